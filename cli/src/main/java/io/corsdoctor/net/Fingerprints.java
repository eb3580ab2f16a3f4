package io.corsdoctor.net;

import io.corsdoctor.cors.Header;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Recognises servers from their replies, by the rules in {@code fingerprints.txt}. */
public final class Fingerprints {

  private record Rule(String key, String product, String where, Pattern pattern) {}

  private static final List<Rule> RULES = load();

  private Fingerprints() {}

  /**
   * The first rule matching the status line, the header lines or the body, or empty.
   *
   * @param statusLine the first line as received, or null
   * @param headers the header lines in order
   * @param body the start of the body (may be empty)
   */
  public static Optional<Fingerprint> identify(
      String statusLine, List<Header> headers, String body) {
    for (Rule r : RULES) {
      if (r.where.equals("status-line")) {
        if (statusLine != null && r.pattern.matcher(statusLine).find()) {
          return Optional.of(new Fingerprint(r.key, r.product, statusLine));
        }
      } else if (r.where.equals("body")) {
        Matcher m = r.pattern.matcher(body == null ? "" : body);
        if (m.find()) {
          return Optional.of(
              new Fingerprint(r.key, r.product, "body contains \"" + m.group() + "\""));
        }
      } else {
        String name = r.where.substring("header:".length());
        for (Header h : headers) {
          if (h.is(name) && r.pattern.matcher(h.value()).find()) {
            return Optional.of(new Fingerprint(r.key, r.product, h.toString()));
          }
        }
      }
    }
    return Optional.empty();
  }

  private static List<Rule> load() {
    List<Rule> rules = new ArrayList<>();
    try (InputStream in = Fingerprints.class.getResourceAsStream("fingerprints.txt")) {
      if (in == null) {
        throw new IllegalStateException("fingerprints.txt missing from the jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] f = line.split("\\s*\\|\\s*", 4);
        if (f.length != 4) {
          throw new IllegalStateException("bad fingerprint rule: " + line);
        }
        String where = f[2].trim();
        if (!where.equals("status-line") && !where.equals("body") && !where.startsWith("header:")) {
          throw new IllegalStateException("bad fingerprint field: " + where);
        }
        rules.add(
            new Rule(
                f[0].trim(),
                f[1].trim(),
                where,
                Pattern.compile(f[3].trim(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(rules);
  }
}
