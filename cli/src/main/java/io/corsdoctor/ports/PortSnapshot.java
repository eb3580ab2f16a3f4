package io.corsdoctor.ports;

import java.util.List;
import java.util.Map;

/**
 * The listeners of one port and who accepted given connections to it, taken in one look.
 *
 * @param listeners every TCP listener on the port
 * @param acceptors per connection, the process that accepted it (absent: hidden or unknown)
 * @param acceptedByIpv6Socket per connection, true when an IPv6 socket holds the server side (for
 *     an IPv4 client: a dual-stack listener took it), absent when the OS does not tell
 */
public record PortSnapshot(
    List<Listener> listeners,
    Map<Connection, ProcessInfo> acceptors,
    Map<Connection, Boolean> acceptedByIpv6Socket) {
  public PortSnapshot {
    listeners = List.copyOf(listeners);
    acceptors = Map.copyOf(acceptors);
    acceptedByIpv6Socket = Map.copyOf(acceptedByIpv6Socket);
  }
}
