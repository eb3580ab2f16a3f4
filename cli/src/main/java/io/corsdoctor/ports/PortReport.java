package io.corsdoctor.ports;

import java.util.List;

/**
 * Everything cors-doctor found out about one port.
 *
 * @param port the port
 * @param listeners every TCP listener on it
 * @param reaches per address connected to, what the connection reached (empty when not probed)
 * @param localhost the addresses {@code localhost} resolves to, in the resolver's order
 * @param known catalogue entries for this port or its listeners
 * @param reserved OS reservations covering the port (Windows excluded ranges)
 * @param notes further evidence in plain sentences
 */
public record PortReport(
    int port,
    List<Listener> listeners,
    List<Reach> reaches,
    List<String> localhost,
    List<KnownPort.Match> known,
    List<PortRange> reserved,
    List<String> notes) {

  public PortReport {
    listeners = List.copyOf(listeners);
    reaches = List.copyOf(reaches);
    localhost = List.copyOf(localhost);
    known = List.copyOf(known);
    reserved = List.copyOf(reserved);
    notes = List.copyOf(notes);
  }

  /** Nothing listens on any address and the OS reserves nothing. */
  public boolean free() {
    return listeners.isEmpty() && reserved.isEmpty();
  }

  /** Distinct processes (by pid) among the listeners; hidden owners not counted. */
  public long owningProcesses() {
    return listeners.stream()
        .filter(l -> l.owner() != null)
        .map(l -> l.owner().pid())
        .distinct()
        .count();
  }

  /** Listeners whose owner the OS hides. */
  public List<Listener> hidden() {
    return listeners.stream().filter(l -> l.owner() == null).toList();
  }

  /** The reach for one address, or null. */
  public Reach reachOf(String address) {
    return reaches.stream().filter(r -> r.address().equals(address)).findFirst().orElse(null);
  }
}
