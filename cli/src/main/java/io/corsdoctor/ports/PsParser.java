package io.corsdoctor.ports;

import java.util.HashMap;
import java.util.Map;

/** Parses {@code ps -ww -o pid=,command= -p PIDS}: pid to full command line. Pure. */
public final class PsParser {
  private PsParser() {}

  public static Map<Long, String> commands(String output) {
    Map<Long, String> out = new HashMap<>();
    for (String line : output.split("\n")) {
      String s = line.strip();
      int sp = s.indexOf(' ');
      if (sp <= 0 || !s.substring(0, sp).chars().allMatch(Character::isDigit)) {
        continue;
      }
      out.put(Long.parseLong(s.substring(0, sp)), s.substring(sp + 1).strip());
    }
    return out;
  }
}
