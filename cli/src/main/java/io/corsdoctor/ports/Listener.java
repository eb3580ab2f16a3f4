package io.corsdoctor.ports;

/**
 * One TCP listening socket.
 *
 * @param address the bind address: {@code 127.0.0.1}, {@code ::1}, {@code 0.0.0.0}, {@code ::}
 *     (wildcards as the OS shows them)
 * @param family {@code ipv4} or {@code ipv6}
 * @param port the port
 * @param v6Only for an IPv6 wildcard: true = IPv6 only, false = dual-stack, null = unknown
 * @param owner the owning process, or null when the OS hides it (say why with {@link
 *     #hiddenReason})
 * @param hiddenReason why the owner is unknown (e.g. another user's process without privileges), or
 *     null
 */
public record Listener(
    String address,
    String family,
    int port,
    Boolean v6Only,
    ProcessInfo owner,
    String hiddenReason) {}
