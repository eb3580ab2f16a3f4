package io.corsdoctor.ports;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/** Who listens, and who accepted a connection: one interface, one backend per platform. */
public interface PortOwners {

  /** Every TCP listener on {@code port}, on every address. */
  List<Listener> listeners(int port);

  /** Every TCP listener on the machine. */
  List<Listener> allListeners();

  /**
   * The process holding the server side of an established TCP connection whose client end is {@code
   * clientLocal} and whose server end is {@code server}: "who accepted my connection". Empty when
   * the OS hides it.
   */
  Optional<ProcessInfo> acceptorOf(InetSocketAddress clientLocal, InetSocketAddress server);

  /**
   * The listeners of {@code port} and the acceptors of {@code connections} (open connections to
   * that port) in one look; backends override it when one look is cheaper than several.
   */
  default PortSnapshot snapshot(int port, List<Connection> connections) {
    java.util.Map<Connection, ProcessInfo> acceptors = new java.util.HashMap<>();
    for (Connection c : connections) {
      acceptorOf(c.clientLocal(), c.server()).ifPresent(p -> acceptors.put(c, p));
    }
    return new PortSnapshot(listeners(port), acceptors, java.util.Map.of());
  }

  /**
   * An inspection of {@code ports} starts: a backend may begin, in the background, the work that
   * does not depend on the connections {@link PortInspector} is about to open (Linux: the census of
   * processes, and the search for the owners of the ports' listeners).
   */
  default void prepare(List<Integer> ports) {}

  /**
   * How many connections {@link PortInspector} opens to each address: one proves who accepts, but a
   * backend that scans a table until it finds one of them (Linux) finds the first of several
   * sooner. Extra connections are closed at once, without a request.
   */
  default int probesPerAddress() {
    return 1;
  }

  /** A short name of the backend for --debug output (e.g. {@code linux-proc}, {@code lsof}). */
  default String backendName() {
    return getClass().getSimpleName();
  }

  /**
   * Ports the OS reserves so that nobody can bind them although nothing listens (Windows
   * Hyper-V/WinNAT excluded ranges); empty where the OS has no such thing.
   */
  default List<PortRange> reservedRanges() {
    return List.of();
  }

  /** The backend for this machine: the one place that decides (see {@link Backends}). */
  static PortOwners forThisMachine() {
    return Backends.forThisMachine();
  }
}
