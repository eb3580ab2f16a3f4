package io.corsdoctor.proxy;

import io.corsdoctor.proxy.Change.Code;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * The proxy's CORS decisions: which origins get headers, the one set of headers a preflight answer
 * carries, and how an upstream answer's CORS headers are replaced. Works on Jetty's header fields;
 * no I/O.
 */
public final class CorsRules {
  static final String ACAO = "Access-Control-Allow-Origin";
  static final String ACAC = "Access-Control-Allow-Credentials";
  static final String ACAM = "Access-Control-Allow-Methods";
  static final String ACAH = "Access-Control-Allow-Headers";
  static final String ACMA = "Access-Control-Max-Age";
  static final String ACEH = "Access-Control-Expose-Headers";
  static final String ACAPN = "Access-Control-Allow-Private-Network";
  static final String ACRM = "Access-Control-Request-Method";
  static final String ACRH = "Access-Control-Request-Headers";
  static final String ACRPN = "Access-Control-Request-Private-Network";

  /** Response headers the proxy owns: upstream values never reach the browser. */
  private static final List<String> OWNED = List.of(ACAO, ACAC, ACAM, ACAH, ACMA, ACEH, ACAPN);

  private final Set<String> allowed;
  private final boolean anyOrigin;
  private final boolean credentials;
  private final String maxAge;

  /**
   * @param allowedOrigins exact origins ({@code scheme://host[:port]}), or {@code *} alone for any
   *     origin (refused together with credentials)
   */
  public CorsRules(List<String> allowedOrigins, boolean credentials, long maxAgeSeconds) {
    this.allowed = new LinkedHashSet<>();
    boolean any = false;
    for (String o : allowedOrigins) {
      if (o.equals("*")) {
        any = true;
      } else {
        allowed.add(normalise(o));
      }
    }
    if (any && credentials) {
      throw new IllegalArgumentException(
          "allowing every origin (*) together with credentials would let any web site read"
              + " your API with your cookies");
    }
    this.anyOrigin = any;
    this.credentials = credentials;
    this.maxAge = Long.toString(maxAgeSeconds);
  }

  /** Origins compare as browsers serialise them: lower-case scheme and host, no trailing slash. */
  static String normalise(String origin) {
    String o = origin.trim();
    while (o.endsWith("/")) {
      o = o.substring(0, o.length() - 1);
    }
    return o.toLowerCase(Locale.ROOT);
  }

  public boolean allows(String origin) {
    return anyOrigin || allowed.contains(origin.toLowerCase(Locale.ROOT));
  }

  public boolean credentials() {
    return credentials;
  }

  /** The value the proxy sends as {@code Access-Control-Allow-Origin} for an allowed origin. */
  String allowOriginValue(String origin) {
    return anyOrigin ? "*" : origin;
  }

  /** Is this request a CORS preflight (OPTIONS with Origin and Access-Control-Request-Method)? */
  public static boolean isPreflight(String method, HttpFields requestHeaders) {
    return "OPTIONS".equals(method)
        && requestHeaders.contains(HttpHeader.ORIGIN)
        && requestHeaders.contains(ACRM);
  }

  /**
   * Writes the proxy's answer headers for a preflight from an allowed origin into {@code out}
   * (which may hold an upstream answer: its CORS headers are removed first).
   */
  void preflightHeaders(String origin, HttpFields requestHeaders, HttpFields.Mutable out) {
    for (String h : OWNED) {
      out.remove(h);
    }
    out.put(ACAO, allowOriginValue(origin));
    if (credentials) {
      out.put(ACAC, "true");
    }
    String method = requestHeaders.get(ACRM);
    if (method != null) {
      out.put(ACAM, method.trim());
    }
    String headers = requestHeaders.get(ACRH);
    if (headers != null && !headers.isBlank()) {
      out.put(ACAH, headers.trim());
    }
    if ("true".equalsIgnoreCase(requestHeaders.get(ACRPN))) {
      out.put(ACAPN, "true");
    }
    out.put(ACMA, maxAge);
    addVary(out, PREFLIGHT_VARY);
  }

  /**
   * Replaces the CORS headers of an actual (non-preflight) answer by one correct set, and says what
   * changed. {@code origin} is the request's Origin header (null when the request had none: then
   * nothing is touched).
   */
  List<Change> rewriteActual(String origin, HttpFields.Mutable headers) {
    if (origin == null) {
      return List.of();
    }
    List<Change> changes = new ArrayList<>(2);
    List<String> upstreamOrigins = tokens(headers, ACAO);
    if (!allows(origin)) {
      headers.remove(ACAO);
      headers.remove(ACAC);
      headers.remove(ACEH);
      changes.add(notAllowed(origin, upstreamOrigins));
      return changes;
    }
    String value = allowOriginValue(origin);
    if (upstreamOrigins.isEmpty()) {
      changes.add(
          new Change(
              Code.ALLOW_ORIGIN_ADDED,
              "added Access-Control-Allow-Origin '" + value + "' (upstream sent none)"));
    } else if (upstreamOrigins.size() == 1) {
      if (!upstreamOrigins.get(0).equals(value)) {
        changes.add(
            new Change(
                Code.ALLOW_ORIGIN_REPLACED,
                "replaced Access-Control-Allow-Origin '"
                    + upstreamOrigins.get(0)
                    + "' with '"
                    + value
                    + "'"));
      }
    } else {
      boolean kept = false;
      for (String v : upstreamOrigins) {
        if (v.equals(value) && !kept) {
          kept = true;
          continue;
        }
        changes.add(
            new Change(
                Code.ALLOW_ORIGIN_DUPLICATE_REMOVED,
                "removed duplicate Access-Control-Allow-Origin '" + v + "'"));
      }
      if (!kept) {
        changes.add(
            new Change(
                Code.ALLOW_ORIGIN_REPLACED, "set Access-Control-Allow-Origin '" + value + "'"));
      }
    }
    headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, value);

    List<String> upstreamCredentials = tokens(headers, ACAC);
    if (credentials) {
      if (!(upstreamCredentials.size() == 1 && upstreamCredentials.get(0).equals("true"))) {
        changes.add(
            new Change(
                Code.ALLOW_CREDENTIALS_ADDED,
                upstreamCredentials.isEmpty()
                    ? "added Access-Control-Allow-Credentials 'true'"
                    : "replaced Access-Control-Allow-Credentials '"
                        + String.join(", ", upstreamCredentials)
                        + "' with 'true'"));
      }
      headers.put(HttpHeader.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
    } else if (!upstreamCredentials.isEmpty()) {
      headers.remove(ACAC);
      changes.add(
          new Change(
              Code.ALLOW_CREDENTIALS_REMOVED,
              "removed Access-Control-Allow-Credentials '"
                  + String.join(", ", upstreamCredentials)
                  + "' (credentials not allowed: start the proxy with --allow-credentials)"));
    }

    List<HttpField> expose = fields(headers, ACEH);
    if (expose.size() > 1) {
      Set<String> names = new LinkedHashSet<>(tokens(headers, ACEH));
      headers.put(ACEH, String.join(", ", names));
      changes.add(
          new Change(
              Code.EXPOSE_HEADERS_MERGED,
              "merged " + expose.size() + " Access-Control-Expose-Headers lines into one"));
    }
    addVary(headers, ACTUAL_VARY);
    return changes;
  }

  static Change notAllowed(String origin, List<String> removed) {
    String fix = " (start the proxy with --allow-origin " + origin + " to allow it)";
    if (removed.isEmpty()) {
      return new Change(Code.ORIGIN_NOT_ALLOWED, "origin '" + origin + "' is not allowed" + fix);
    }
    return new Change(
        Code.ORIGIN_NOT_ALLOWED,
        "origin '"
            + origin
            + "' is not allowed: removed Access-Control-Allow-Origin '"
            + String.join(", ", removed)
            + "'"
            + fix);
  }

  private static List<HttpField> fields(HttpFields headers, String name) {
    List<HttpField> out = new ArrayList<>(1);
    for (HttpField f : headers) {
      if (f.is(name)) {
        out.add(f);
      }
    }
    return out;
  }

  /** Every comma-separated value of every line of the named header, trimmed, empty ones dropped. */
  static List<String> tokens(HttpFields headers, String name) {
    List<String> out = new ArrayList<>(1);
    for (HttpField f : headers) {
      if (f.is(name)) {
        String value = f.getValue();
        int from = 0;
        while (from <= value.length()) {
          int comma = value.indexOf(',', from);
          int to = comma < 0 ? value.length() : comma;
          String t = value.substring(from, to).trim();
          if (!t.isEmpty()) {
            out.add(t);
          }
          from = to + 1;
        }
      }
    }
    return out;
  }

  /** What a preflight answer varies on. */
  static final List<String> PREFLIGHT_VARY =
      List.of("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers");

  /** What an actual answer varies on. */
  static final List<String> ACTUAL_VARY = List.of("Origin");

  /** Adds names to {@code Vary} unless already listed (or Vary is {@code *}). */
  static void addVary(HttpFields.Mutable headers, List<String> names) {
    List<String> present = tokens(headers, "Vary");
    if (present.contains("*")) {
      return;
    }
    StringBuilder value = null;
    for (String n : names) {
      boolean listed = false;
      for (String p : present) {
        listed |= p.equalsIgnoreCase(n);
      }
      if (listed) {
        continue;
      }
      if (value == null) {
        value = new StringBuilder(String.join(", ", present));
      }
      value.append(value.length() == 0 ? "" : ", ").append(n);
    }
    if (value != null) {
      headers.put(HttpHeader.VARY, value.toString());
    }
  }

  /** Words for the start-up banner: what the proxy allows. */
  public String describe() {
    String who = anyOrigin ? "any origin (*)" : String.join(", ", allowed);
    return who + (credentials ? ", with credentials" : ", without credentials");
  }
}
