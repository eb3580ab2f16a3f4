package io.corsdoctor.ports;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses Windows' {@code netstat -ano -p TCP} and {@code -p TCPv6}. Pure: text in, records out.
 *
 * <p>The state column is translated on non-English Windows ({@code ABHÖREN}, {@code ÉCOUTE}...), so
 * a listener is recognised by its foreign address {@code 0.0.0.0:0} / {@code [::]:0} rather than by
 * the word {@code LISTENING}.
 */
public final class WindowsNetstatParser {
  private WindowsNetstatParser() {}

  /**
   * One row.
   *
   * @param local local address without brackets ({@code 0.0.0.0}, {@code ::}, {@code ::1})
   * @param localPort local port
   * @param remote remote address
   * @param remotePort remote port
   * @param listening true for a listener
   * @param pid owning process id
   */
  public record Row(
      String local, int localPort, String remote, int remotePort, boolean listening, long pid) {
    public boolean ipv6() {
      return local.contains(":");
    }
  }

  public static List<Row> parse(String output) {
    List<Row> rows = new ArrayList<>();
    for (String line : output.split("\r?\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length < 4 || !f[0].equalsIgnoreCase("TCP")) {
        continue;
      }
      String[] local = split(f[1]);
      String[] remote = split(f[2]);
      if (local == null || remote == null) {
        continue;
      }
      long pid;
      try {
        pid = Long.parseLong(f[f.length - 1]);
      } catch (NumberFormatException e) {
        continue;
      }
      boolean listening =
          remote[1].equals("0") && (remote[0].equals("0.0.0.0") || remote[0].equals("::"));
      rows.add(
          new Row(
              local[0],
              Integer.parseInt(local[1]),
              remote[0],
              Integer.parseInt(remote[1]),
              listening,
              pid));
    }
    return rows;
  }

  /** {@code 127.0.0.1:5000} or {@code [::1]:5000} to address and port; null when malformed. */
  private static String[] split(String endpoint) {
    int colon = endpoint.lastIndexOf(':');
    if (colon <= 0 || colon == endpoint.length() - 1) {
      return null;
    }
    String host = endpoint.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int pct = host.indexOf('%');
    if (pct >= 0) {
      host = host.substring(0, pct);
    }
    String port = endpoint.substring(colon + 1);
    return port.chars().allMatch(Character::isDigit) ? new String[] {host, port} : null;
  }
}
