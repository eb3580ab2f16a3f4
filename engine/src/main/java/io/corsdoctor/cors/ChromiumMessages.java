package io.corsdoctor.cors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Chromium 156's console texts, filled in. The templates live in {@code
 * chromium-messages.properties} beside this class (one source of truth); this class only assembles
 * them the way {@code GetErrorStringForConsoleMessage} does.
 */
public final class ChromiumMessages {
  private static final Properties TEMPLATES = load();
  private static final Set<String> PREFLIGHT_ERRORS =
      Arrays.stream(TEMPLATES.getProperty("preflightErrors").split(","))
          .map(String::strip)
          .collect(Collectors.toUnmodifiableSet());

  private ChromiumMessages() {}

  private static Properties load() {
    Properties p = new Properties();
    try (InputStream in =
        ChromiumMessages.class.getResourceAsStream("chromium-messages.properties")) {
      if (in == null) {
        throw new IllegalStateException(
            "chromium-messages.properties is missing from the engine jar");
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** The raw template for {@code key}; fails loudly when a key is missing. */
  static String template(String key) {
    String t = TEMPLATES.getProperty(key);
    if (t == null) {
      throw new IllegalStateException("no Chromium message template " + key);
    }
    return t;
  }

  static String fill(String key, Map<String, String> values) {
    return fillText(template(key), values);
  }

  private static String fillText(String text, Map<String, String> values) {
    StringBuilder out = new StringBuilder(text.length() + 64);
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '{') {
        int close = text.indexOf('}', i);
        if (close > i) {
          String name = text.substring(i + 1, close);
          String v = values.get(name);
          if (v != null) {
            out.append(v);
            i = close + 1;
            continue;
          }
        }
      }
      out.append(c);
      i++;
    }
    return out.toString();
  }

  /** Whether Chromium adds "Response to preflight request doesn't pass access control check: ". */
  public static boolean isPreflightError(CorsError error) {
    return PREFLIGHT_ERRORS.contains(error.name());
  }

  /**
   * The "Access to {kind} at ..." line for a CORS error.
   *
   * @param hint the failed parameter as raw header bytes (ISO-8859-1 chars); printed through {@link
   *     #encodeHint}
   * @param target for InvalidLocalNetworkAccess, the requested address space
   * @param resource for the Local Network Access errors, the resource's address space
   */
  public static String corsLine(
      Api api,
      String firstUrl,
      String lastUrl,
      String pageOrigin,
      CorsError error,
      String hint,
      AddressSpace target,
      AddressSpace resource) {
    // Preflight* variants share the text of the plain error (cors_error_string.cc).
    String base =
        TEMPLATES.containsKey("body." + error.name())
            ? error.name()
            : error.name().substring("Preflight".length());
    String body =
        fill(
            "body." + base,
            Map.of(
                "hint", encodeHint(hint == null ? "" : hint),
                "target", target == null ? AddressSpace.UNKNOWN.word() : target.word(),
                "resource", resource == null ? AddressSpace.UNKNOWN.word() : resource.word()));
    String suffixFor = TEMPLATES.getProperty("suffixFor." + base);
    if ("fetch".equals(suffixFor) && api == Api.FETCH) {
      body += template("suffix.fetch");
    } else if ("xhr".equals(suffixFor) && api != Api.FETCH) {
      body += template("suffix.xhr");
    }
    String redirected =
        firstUrl.equals(lastUrl) ? "" : fill("redirected", Map.of("firstUrl", firstUrl));
    return fill(
        "line",
        Map.of(
            "kind", api.chromiumKind(),
            "url", lastUrl,
            "redirected", redirected,
            "origin", pageOrigin,
            "prefix", isPreflightError(error) ? template("preflightPrefix") : "",
            "body", body));
  }

  /** "Failed to load resource: net::ERR_..." */
  public static String networkLine(NetError error) {
    return fill("network.failed", Map.of("netError", error.chromiumName()));
  }

  /** "Failed to load resource: the server responded with a status of 404 (Not Found)" */
  public static String statusLine(int status, String reason) {
    return fill("network.status", Map.of("status", Integer.toString(status), "reason", reason));
  }

  /**
   * Chromium's {@code EncodeHint}: printable ASCII stays, every other char (the header's bytes, one
   * char each) prints as {@code \\uXXXX}.
   */
  public static String encodeHint(String hint) {
    StringBuilder b = new StringBuilder(hint.length());
    for (int i = 0; i < hint.length(); i++) {
      char c = hint.charAt(i);
      if (c >= 0x20 && c < 0x7F) {
        b.append(c);
      } else {
        b.append(String.format("\\u%04X", (int) c));
      }
    }
    return b.toString();
  }

  /**
   * CDP's {@code failedParameter}: the hint as a string when its bytes are UTF-8 (which ASCII is),
   * else "" (the protocol cannot carry it; corpus A22).
   */
  public static String cdpFailedParameter(String hint) {
    if (hint == null) {
      return "";
    }
    for (int i = 0; i < hint.length(); i++) {
      if (hint.charAt(i) > 0x7F) {
        if (!Url.validUtf8(hint)) {
          return "";
        }
        return new String(
            hint.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
            java.nio.charset.StandardCharsets.UTF_8);
      }
    }
    return hint;
  }
}
