package io.corsdoctor.check;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The order in which each browser tries a host's addresses. For {@code localhost} Chromium tries
 * {@code ::1} first and Firefox {@code 127.0.0.1}; other names keep the resolver's order.
 */
final class AddressOrder {
  private AddressOrder() {}

  static List<InetAddress> chromium(String host, List<InetAddress> resolved) {
    return isLocalhost(host) ? sorted(resolved, true) : resolved;
  }

  static List<InetAddress> firefox(String host, List<InetAddress> resolved) {
    return isLocalhost(host) ? sorted(resolved, false) : resolved;
  }

  private static boolean isLocalhost(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    return h.equals("localhost") || h.endsWith(".localhost");
  }

  private static List<InetAddress> sorted(List<InetAddress> in, boolean v6First) {
    List<InetAddress> out = new ArrayList<>(in);
    out.sort(
        Comparator.comparingInt(
            a -> (a instanceof Inet6Address) == v6First ? 0 : (a instanceof Inet4Address ? 1 : 1)));
    return out;
  }
}
