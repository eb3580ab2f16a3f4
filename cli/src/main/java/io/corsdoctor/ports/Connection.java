package io.corsdoctor.ports;

import java.net.InetSocketAddress;

/**
 * An established TCP connection seen from its client end.
 *
 * @param clientLocal the client's local address and port
 * @param server the address and port connected to
 */
public record Connection(InetSocketAddress clientLocal, InetSocketAddress server) {
  // Written out: a record's generated equals and hashCode are bootstrapped through method handles
  // on first use, which costs a short run tens of milliseconds (Connection is a map key).
  @Override
  public boolean equals(Object o) {
    return o instanceof Connection c
        && clientLocal.equals(c.clientLocal)
        && server.equals(c.server);
  }

  @Override
  public int hashCode() {
    return 31 * clientLocal.hashCode() + server.hashCode();
  }
}
