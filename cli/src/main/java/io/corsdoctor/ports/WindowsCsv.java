package io.corsdoctor.ports;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the CSV that Windows tools print: {@code tasklist /FO CSV /NH} and PowerShell's {@code
 * Get-CimInstance Win32_Process | ConvertTo-Csv}. Pure: text in, records out.
 */
public final class WindowsCsv {
  private WindowsCsv() {}

  /** {@code "System","4","Services","0","144 K"}: pid to image name. */
  public static Map<Long, String> tasklist(String output) {
    Map<Long, String> names = new HashMap<>();
    for (String line : output.split("\r?\n")) {
      List<String> f = line(line);
      if (f.size() >= 2 && f.get(1).chars().allMatch(Character::isDigit) && !f.get(1).isEmpty()) {
        names.put(Long.parseLong(f.get(1)), f.get(0));
      }
    }
    return names;
  }

  /**
   * Rows of {@code Select-Object ProcessId,ParentProcessId,Name,CommandLine | ConvertTo-Csv
   * -NoTypeInformation}: a header line, then one row per process; keyed by the header's names.
   */
  public static List<Map<String, String>> table(String output) {
    List<Map<String, String>> rows = new ArrayList<>();
    List<String> header = null;
    for (String line : output.split("\r?\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> f = line(line);
      if (header == null) {
        header = f;
        continue;
      }
      Map<String, String> row = new HashMap<>();
      for (int i = 0; i < header.size() && i < f.size(); i++) {
        row.put(header.get(i), f.get(i));
      }
      rows.add(row);
    }
    return rows;
  }

  /** One CSV line: fields in double quotes, {@code ""} inside a field is a quote. */
  static List<String> line(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
