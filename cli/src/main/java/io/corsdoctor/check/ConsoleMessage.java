package io.corsdoctor.check;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a pasted browser console message says: which browser, the URL, the page's origin (Chromium
 * and Safari name it, Firefox does not), the API, the failure, and hints about the method and
 * headers. Reads Chromium's "Access to fetch at ..." lines (and DevTools' "POST URL net::ERR_..."
 * lines), Firefox's "Cross-Origin Request Blocked: ..." lines, and WebKit's messages.
 *
 * @param browser chromium, firefox or safari
 * @param url the URL the page called (the first one, before redirects), or null
 * @param origin the page's origin as written, or null
 * @param xhr true when the message names XMLHttpRequest
 * @param failure Chromium's CorsError name, Firefox's reason code, or WebKit's words
 * @param preflight true when the message shows a preflight was involved
 * @param credentials true when the message shows the request sent credentials
 * @param method the method, when the message names it, or null
 * @param header a request header the message names, or null
 * @param detail the value the message quotes (an Allow-Origin value, a status code), or null
 */
public record ConsoleMessage(
    String browser,
    String url,
    String origin,
    boolean xhr,
    String failure,
    boolean preflight,
    boolean credentials,
    String method,
    String header,
    String detail) {

  private static final Pattern CHROMIUM =
      Pattern.compile(
          "Access to (?<kind>fetch|XMLHttpRequest) at '(?<url>[^']+)'"
              + "(?: \\(redirected from '(?<first>[^']+)'\\))? from origin '(?<origin>[^']+)'"
              + " has been blocked by CORS policy: (?<body>.*)");
  private static final String PREFLIGHT_PREFIX =
      "Response to preflight request doesn't pass access control check: ";
  private static final Pattern NETWORK_LINE =
      Pattern.compile(
          "\\b(?<method>GET|POST|PUT|PATCH|DELETE|OPTIONS|HEAD) (?<url>https?://\\S+) net::ERR_\\w+");
  private static final Pattern SAFARI_ORIGIN =
      Pattern.compile("Origin (?<origin>\\S+) is not allowed by Access-Control-Allow-Origin\\.");
  private static final Pattern SAFARI_LOAD =
      Pattern.compile(
          "(?<kind>Fetch API|XMLHttpRequest) cannot load (?<url>\\S+?)\\.? due to access control checks");
  private static final Pattern SAFARI_PREFLIGHT =
      Pattern.compile("Preflight response is not successful\\. Status code: (?<status>\\d+)");
  private static final Pattern SAFARI_METHOD =
      Pattern.compile("Method (?<method>\\S+) is not allowed by Access-Control-Allow-Methods\\.");
  private static final Pattern SAFARI_HEADER =
      Pattern.compile(
          "Request header field (?<header>\\S+) is not allowed by Access-Control-Allow-Headers\\.");
  private static final Pattern SAFARI_MULTIPLE =
      Pattern.compile("Access-Control-Allow-Origin cannot contain more than one origin");

  private static final Map<String, Pattern> CHROMIUM_BODIES = loadChromiumBodies();
  private static final Map<String, Pattern> FIREFOX_TEMPLATES = loadFirefoxTemplates();

  /** Reads the pasted text; empty when no known message is in it. */
  public static Optional<ConsoleMessage> parse(String text) {
    String t = text.replace('\n', ' ').replaceAll("\\s+", " ").trim();
    return chromium(t).or(() -> firefox(t)).or(() -> safari(t));
  }

  /** What could be read from text that is not a known message, for the error. */
  public static List<String> fragments(String text) {
    List<String> out = new ArrayList<>();
    Matcher u = Pattern.compile("https?://[^\\s'\"‘’)]+").matcher(text);
    while (u.find()) {
      out.add("a URL: " + u.group().replaceAll("[.,]$", ""));
    }
    Matcher e = Pattern.compile("net::ERR_\\w+").matcher(text);
    while (e.find()) {
      out.add("a network error: " + e.group());
    }
    if (text.toLowerCase(java.util.Locale.ROOT).contains("cors")) {
      out.add("the word CORS");
    }
    return out;
  }

  private static Optional<ConsoleMessage> chromium(String t) {
    Matcher m = CHROMIUM.matcher(t);
    if (!m.find()) {
      return Optional.empty();
    }
    String body = m.group("body");
    boolean preflight = body.startsWith(PREFLIGHT_PREFIX);
    if (preflight) {
      body = body.substring(PREFLIGHT_PREFIX.length());
    }
    String error = null;
    String hint = null;
    String method = null;
    String header = null;
    for (var e : CHROMIUM_BODIES.entrySet()) {
      Matcher b = e.getValue().matcher(body);
      if (b.lookingAt()) {
        error = e.getKey();
        hint = group(b, "hint");
        method = group(b, "method");
        header = group(b, "header");
        break;
      }
    }
    if (error == null) {
      error = "unknown (" + body + ")";
    } else if (preflight && !error.startsWith("Preflight")) {
      error = "Preflight" + error;
    }
    boolean needsPreflight =
        preflight || error.startsWith("Preflight") || error.contains("PreflightResponse");
    Matcher n = NETWORK_LINE.matcher(t);
    if (method == null && n.find()) {
      method = n.group("method");
    }
    String url = m.group("first") != null ? m.group("first") : m.group("url");
    return Optional.of(
        new ConsoleMessage(
            "chromium",
            url,
            m.group("origin"),
            m.group("kind").equals("XMLHttpRequest"),
            error,
            needsPreflight,
            error.contains("WildcardOriginNotAllowed") || error.contains("InvalidAllowCredentials"),
            method,
            header,
            hint));
  }

  private static Optional<ConsoleMessage> firefox(String t) {
    for (var e : FIREFOX_TEMPLATES.entrySet()) {
      Matcher m = e.getValue().matcher(t);
      if (!m.find()) {
        continue;
      }
      String reason = e.getKey();
      String second = m.groupCount() >= 2 ? m.group(2) : null;
      boolean preflight =
          reason.equals("CORSPreflightDidNotSucceed")
              || reason.equals("CORSMethodNotFound")
              || reason.equals("CORSMissingAllowHeaderFromPreflight")
              || reason.equals("CORSInvalidAllowMethod")
              || reason.equals("CORSInvalidAllowHeader");
      String header = reason.equals("CORSMissingAllowHeaderFromPreflight") ? second : null;
      Matcher n = NETWORK_LINE.matcher(t);
      return Optional.of(
          new ConsoleMessage(
              "firefox",
              m.group(1).replaceAll("^‘|’$", ""),
              null,
              false,
              reason,
              preflight,
              reason.equals("CORSNotSupportingCredentials")
                  || reason.equals("CORSMissingAllowCredentials"),
              n.find() ? n.group("method") : null,
              header,
              header == null ? second : null));
    }
    return Optional.empty();
  }

  private static Optional<ConsoleMessage> safari(String t) {
    Matcher load = SAFARI_LOAD.matcher(t);
    Matcher origin = SAFARI_ORIGIN.matcher(t);
    boolean hasLoad = load.find();
    boolean hasOrigin = origin.find();
    if (!hasLoad && !hasOrigin) {
      return Optional.empty();
    }
    String failure =
        hasOrigin
            ? "Origin is not allowed by Access-Control-Allow-Origin"
            : "access control checks";
    boolean preflight = false;
    String method = null;
    String header = null;
    String detail = null;
    Matcher p = SAFARI_PREFLIGHT.matcher(t);
    Matcher me = SAFARI_METHOD.matcher(t);
    Matcher h = SAFARI_HEADER.matcher(t);
    if (p.find()) {
      failure = "Preflight response is not successful";
      preflight = true;
      detail = p.group("status");
    } else if (me.find()) {
      failure = "Method not allowed by Access-Control-Allow-Methods";
      preflight = true;
      method = me.group("method");
    } else if (h.find()) {
      failure = "Request header field not allowed by Access-Control-Allow-Headers";
      preflight = true;
      header = h.group("header");
    } else if (SAFARI_MULTIPLE.matcher(t).find()) {
      failure = "Access-Control-Allow-Origin cannot contain more than one origin";
    }
    return Optional.of(
        new ConsoleMessage(
            "safari",
            hasLoad ? load.group("url") : null,
            hasOrigin ? origin.group("origin") : null,
            hasLoad && load.group("kind").equals("XMLHttpRequest"),
            failure,
            preflight,
            false,
            method,
            header,
            detail));
  }

  private static String group(Matcher m, String name) {
    try {
      return m.group(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Map<String, Pattern> loadChromiumBodies() {
    Map<String, Pattern> out = new LinkedHashMap<>();
    for (String line : lines("chromium-cors-bodies.txt")) {
      String[] f = line.split("\\s*\\|\\s*", 2);
      out.put(f[0].trim(), Pattern.compile(f[1].trim()));
    }
    return out;
  }

  /** Firefox's templates as patterns; the key without its version digit is the reason code. */
  private static Map<String, Pattern> loadFirefoxTemplates() {
    Map<String, Pattern> out = new LinkedHashMap<>();
    for (String line : lines("firefox-cors-templates.properties")) {
      int eq = line.indexOf('=');
      if (eq < 0) {
        continue;
      }
      String reason = line.substring(0, eq).trim().replaceAll("\\d+$", "");
      String template = line.substring(eq + 1).trim();
      StringBuilder re = new StringBuilder();
      Matcher ph = Pattern.compile("%(\\d)\\$S").matcher(template);
      int last = 0;
      while (ph.find()) {
        re.append(Pattern.quote(template.substring(last, ph.start())));
        re.append(ph.group(1).equals("1") ? "(\\S+?)" : "(.*?)");
        last = ph.end();
      }
      String tail = template.substring(last);
      if (tail.endsWith(".")) {
        tail = tail.substring(0, tail.length() - 1);
      }
      if (tail.isEmpty() && last > 0) {
        re.setLength(re.length() - "(.*?)".length());
        re.append("(\\S+?)\\.?(?:\\s|$)");
      } else {
        re.append(Pattern.quote(tail));
      }
      out.putIfAbsent(reason, Pattern.compile(re.toString()));
    }
    return out;
  }

  private static List<String> lines(String resource) {
    List<String> out = new ArrayList<>();
    try (InputStream in = ConsoleMessage.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " missing from the jar");
      }
      BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        if (!l.isBlank() && !l.startsWith("#")) {
          out.add(l);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
