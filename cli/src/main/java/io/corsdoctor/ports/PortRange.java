package io.corsdoctor.ports;

/**
 * An inclusive range of ports the OS reserves, and by whom.
 *
 * @param first first port
 * @param last last port (inclusive)
 * @param family {@code ipv4} or {@code ipv6}
 * @param source what reserved it, e.g. {@code netsh int ipv4 show excludedportrange}
 * @param administered true when marked with {@code *} (an administrator's exclusion)
 */
public record PortRange(int first, int last, String family, String source, boolean administered) {
  public boolean contains(int port) {
    return port >= first && port <= last;
  }
}
