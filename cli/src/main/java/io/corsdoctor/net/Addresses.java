package io.corsdoctor.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Resolving a URL host to every address a browser may connect to. */
public final class Addresses {
  private Addresses() {}

  /** {@code ::1} */
  public static final InetAddress IPV6_LOOPBACK = literal(new byte[16], true);

  /** {@code 127.0.0.1} */
  public static final InetAddress IPV4_LOOPBACK = literal(new byte[] {127, 0, 0, 1}, false);

  private static InetAddress literal(byte[] bytes, boolean v6) {
    try {
      if (v6) {
        bytes[15] = 1;
      }
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every address of {@code host}. {@code localhost} (and {@code *.localhost}) is always {@code
   * ::1} and {@code 127.0.0.1}, whatever the resolver says: Chromium and Firefox never ask DNS for
   * it. An IP literal (bracketed or not) is itself. Other names go to the system resolver.
   *
   * @throws UnknownHostException when the name does not resolve
   */
  public static List<InetAddress> resolve(String host) throws UnknownHostException {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.equals("localhost") || h.endsWith(".localhost")) {
      return List.of(IPV6_LOOPBACK, IPV4_LOOPBACK);
    }
    List<InetAddress> out = new ArrayList<>();
    for (InetAddress a : InetAddress.getAllByName(h)) {
      if (!out.contains(a)) {
        out.add(a);
      }
    }
    return List.copyOf(out);
  }

  /** The address as text without brackets or zone: {@code ::1}, {@code 127.0.0.1}. */
  public static String text(InetAddress address) {
    if (address instanceof Inet6Address && address.isLoopbackAddress()) {
      return "::1";
    }
    String s = address.getHostAddress();
    int zone = s.indexOf('%');
    return zone < 0 ? s : s.substring(0, zone);
  }

  /** {@code ipv4} or {@code ipv6}. */
  public static String family(InetAddress address) {
    return address instanceof Inet6Address ? "ipv6" : "ipv4";
  }

  /** The address as it is written in a URL: IPv6 in brackets. */
  public static String urlHost(InetAddress address) {
    return address instanceof Inet6Address ? "[" + text(address) + "]" : text(address);
  }
}
