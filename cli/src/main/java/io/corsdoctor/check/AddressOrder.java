package io.corsdoctor.check;

import java.net.InetAddress;
import java.util.List;

/**
 * The order in which each browser tries a host's addresses, for {@link InetAddress} lists: the rule
 * itself lives in the engine ({@link io.corsdoctor.cors.AddressOrder}).
 */
final class AddressOrder {
  private AddressOrder() {}

  static List<InetAddress> chromium(String host, List<InetAddress> resolved) {
    return reorder(io.corsdoctor.cors.AddressOrder.chromium(host, literals(resolved)), resolved);
  }

  static List<InetAddress> firefox(String host, List<InetAddress> resolved) {
    return reorder(io.corsdoctor.cors.AddressOrder.firefox(host, literals(resolved)), resolved);
  }

  private static List<String> literals(List<InetAddress> addresses) {
    return addresses.stream().map(InetAddress::getHostAddress).toList();
  }

  private static List<InetAddress> reorder(List<String> order, List<InetAddress> resolved) {
    return order.stream()
        .map(
            literal ->
                resolved.stream()
                    .filter(a -> a.getHostAddress().equals(literal))
                    .findFirst()
                    .orElseThrow())
        .toList();
  }
}
