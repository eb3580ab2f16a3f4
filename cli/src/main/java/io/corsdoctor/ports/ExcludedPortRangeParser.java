package io.corsdoctor.ports;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code netsh int ipv4 show excludedportrange protocol=tcp} (and {@code ipv6}): the port
 * ranges Windows reserves (Hyper-V, WinNAT, Docker, WSL) so that binding them fails although
 * nothing listens. Pure: text in, records out.
 */
public final class ExcludedPortRangeParser {
  private ExcludedPortRangeParser() {}

  /** Lines of two numbers (start, end), {@code *} after them marks an administrator's range. */
  public static List<PortRange> parse(String output, String family) {
    List<PortRange> out = new ArrayList<>();
    String source = "netsh int " + family + " show excludedportrange protocol=tcp";
    for (String line : output.split("\r?\n")) {
      String[] f = line.strip().split("\\s+");
      if (f.length < 2 || !digits(f[0]) || !digits(f[1])) {
        continue;
      }
      boolean admin = f.length > 2 && f[2].equals("*");
      out.add(new PortRange(Integer.parseInt(f[0]), Integer.parseInt(f[1]), family, source, admin));
    }
    return out;
  }

  private static boolean digits(String s) {
    return !s.isEmpty() && s.length() <= 5 && s.chars().allMatch(Character::isDigit);
  }
}
