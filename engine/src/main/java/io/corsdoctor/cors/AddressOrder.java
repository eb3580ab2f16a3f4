package io.corsdoctor.cors;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Which address each browser tries first when a host name resolves to both families, and where it
 * ends up. Addresses are literals as {@link java.net.InetAddress#getHostAddress()} writes them
 * ({@code 127.0.0.1}, {@code ::1}, {@code 0:0:0:0:0:0:0:1}, optionally in brackets).
 *
 * <p>Observed for {@code localhost} on loopback servers (shared corpora, Chromium 156 and Firefox
 * ESR 153 on Debian 12):
 *
 * <ul>
 *   <li><b>Chromium</b> connects to {@code ::1} first and falls back to {@code 127.0.0.1} only when
 *       {@code ::1} refuses the connection;
 *   <li><b>Firefox</b> connects to {@code 127.0.0.1} first and falls back to {@code ::1} only when
 *       {@code 127.0.0.1} refuses.
 * </ul>
 *
 * So with two processes behind one port (the story: Flask on 127.0.0.1:5000, the AirPlay Receiver
 * on [::1]:5000) the two browsers talk to different servers. A server that accepts the connection
 * and then answers badly (reset, garbage, 403) does not make either browser try the other address.
 */
public final class AddressOrder {
  private AddressOrder() {}

  /**
   * Chromium's order for {@code host}: for {@code localhost} (and {@code *.localhost}) IPv6
   * addresses first, then IPv4; other names keep the resolver's order.
   */
  public static List<String> chromium(String host, List<String> resolved) {
    return isLocalhost(host) ? byFamily(resolved, true) : List.copyOf(resolved);
  }

  /**
   * Firefox's order for {@code host}: for {@code localhost} (and {@code *.localhost}) IPv4
   * addresses first, then IPv6; other names keep the resolver's order.
   */
  public static List<String> firefox(String host, List<String> resolved) {
    return isLocalhost(host) ? byFamily(resolved, false) : List.copyOf(resolved);
  }

  /**
   * Whether the name is {@code localhost} or a name under it, which browsers resolve to loopback.
   */
  public static boolean isLocalhost(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    return h.equals("localhost") || h.endsWith(".localhost");
  }

  /**
   * The address a browser ends up talking to: the first in its order that did not refuse the
   * connection, or the last one tried when all refuse (its error is the one the browser reports).
   * Empty only when {@code order} is.
   */
  public static String reached(List<String> order, Set<String> refused) {
    for (String address : order) {
      if (!refused.contains(address)) {
        return address;
      }
    }
    return order.isEmpty() ? null : order.get(order.size() - 1);
  }

  /** Whether the literal is an IPv6 address (it contains a colon). */
  public static boolean isIpv6(String address) {
    return address.indexOf(':') >= 0;
  }

  private static List<String> byFamily(List<String> resolved, boolean ipv6First) {
    List<String> first = new ArrayList<>();
    List<String> second = new ArrayList<>();
    for (String a : resolved) {
      (isIpv6(a) == ipv6First ? first : second).add(a);
    }
    first.addAll(second);
    return List.copyOf(first);
  }
}
