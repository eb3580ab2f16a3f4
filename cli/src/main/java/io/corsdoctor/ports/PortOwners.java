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
}
