package io.corsdoctor.check;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of every finding, from {@code findings.properties}: severity, summary, evidence and fix
 * templates with {@code {placeholders}}, and fixes specific to a recognised framework.
 */
public final class Catalogue {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
  private static final Properties TEXTS = load();

  private Catalogue() {}

  /**
   * A finding with its templates filled from {@code values}.
   *
   * @param framework a fingerprint key ({@code flask}, {@code express}, ...) or null: its fix comes
   *     first when the catalogue has one
   */
  public static Finding finding(FindingCode code, String framework, Map<String, String> values) {
    String severity = text(code, "severity");
    List<String> fix = new ArrayList<>();
    if (framework != null && TEXTS.getProperty(code + ".fix." + framework) != null) {
      fix.addAll(lines(fill(TEXTS.getProperty(code + ".fix." + framework), values)));
    }
    fix.addAll(lines(fill(text(code, "fix"), values)));
    return new Finding(
        code,
        Severity.valueOf(severity.trim()),
        fill(text(code, "summary"), values).trim(),
        lines(fill(text(code, "evidence"), values)),
        fix);
  }

  /** Whether the catalogue has every part of {@code code}'s words (checked by tests). */
  static boolean complete(FindingCode code) {
    for (String part : List.of("severity", "summary", "evidence", "fix")) {
      if (TEXTS.getProperty(code + "." + part) == null) {
        return false;
      }
    }
    return true;
  }

  /** The placeholders a template of {@code code} uses. */
  static List<String> placeholders(FindingCode code) {
    List<String> out = new ArrayList<>();
    for (String key : TEXTS.stringPropertyNames()) {
      if (key.startsWith(code + ".")) {
        Matcher m = PLACEHOLDER.matcher(TEXTS.getProperty(key));
        while (m.find()) {
          out.add(m.group(1));
        }
      }
    }
    return out;
  }

  private static String text(FindingCode code, String part) {
    String t = TEXTS.getProperty(code + "." + part);
    if (t == null) {
      throw new IllegalStateException("findings.properties has no " + code + "." + part);
    }
    return t;
  }

  static String fill(String template, Map<String, String> values) {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "(unknown)" : v));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    for (String l : text.split("\n")) {
      if (!l.isBlank()) {
        out.add(l.strip());
      }
    }
    return out;
  }

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in = Catalogue.class.getResourceAsStream("findings.properties")) {
      if (in == null) {
        throw new IllegalStateException("findings.properties missing from the jar");
      }
      p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }
}
