package io.corsdoctor.ports;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses macOS's {@code netstat -an -p tcp}: it lists every user's sockets without privileges, but
 * no process. cors-doctor compares it with lsof's list to name listeners whose owner is hidden
 * instead of leaving them out. Pure: text in, records out.
 */
public final class BsdNetstatParser {
  private BsdNetstatParser() {}

  /** Lines like {@code tcp46 0 0 *.5000 *.* LISTEN}; other states and protocols are skipped. */
  public static List<Listener> listeners(String output) {
    List<Listener> out = new ArrayList<>();
    for (String line : output.split("\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length < 6 || !f[0].startsWith("tcp") || !f[5].equals("LISTEN")) {
        continue;
      }
      String local = f[3];
      int dot = local.lastIndexOf('.');
      if (dot < 0) {
        continue;
      }
      int port;
      try {
        port = Integer.parseInt(local.substring(dot + 1));
      } catch (NumberFormatException e) {
        continue;
      }
      String host = local.substring(0, dot);
      boolean v6 = f[0].contains("6");
      boolean dual = f[0].equals("tcp46");
      if (host.equals("*")) {
        host = v6 ? "::" : "0.0.0.0";
      }
      int pct = host.indexOf('%');
      if (pct >= 0) {
        host = host.substring(0, pct);
      }
      Boolean v6Only = dual ? Boolean.FALSE : v6 && host.equals("::") ? Boolean.TRUE : null;
      out.add(new Listener(host, v6 ? "ipv6" : "ipv4", port, v6Only, null, null));
    }
    return out;
  }
}
