package io.corsdoctor.proxy;

import io.corsdoctor.proxy.Change.Code;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Rewrites what ties an answer to the target's address, so redirects and sessions work through the
 * proxy: {@code Location} headers that point at the target, and {@code Set-Cookie} attributes
 * ({@code Domain}, {@code Secure}, {@code Path}) a browser would reject or misfile on the proxy's
 * {@code http://} origin. No I/O.
 */
final class Rewrites {
  private final String targetScheme;
  private final int targetPort;
  private final Set<String> targetHosts;
  private final String basePath;

  /**
   * @param target the target URL
   * @param targetHosts every spelling of the target's host (its name and addresses), lower-case,
   *     IPv6 without brackets
   */
  Rewrites(URI target, Set<String> targetHosts) {
    this.targetScheme = target.getScheme().toLowerCase(Locale.ROOT);
    this.targetPort = port(target);
    this.targetHosts = Set.copyOf(targetHosts);
    String p = target.getRawPath() == null ? "" : target.getRawPath();
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    this.basePath = p;
  }

  String basePath() {
    return basePath;
  }

  private static int port(URI u) {
    if (u.getPort() != -1) {
      return u.getPort();
    }
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
  }

  /**
   * The Location to send to the browser, or null when it stays as it is.
   *
   * @param proxyBase the proxy as the browser addressed it, e.g. {@code http://localhost:5050}
   */
  String location(String location, String proxyBase) {
    URI u;
    try {
      u = URI.create(location.trim());
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (u.isAbsolute()) {
      String host = u.getHost();
      if (host == null) {
        return null;
      }
      host = host.toLowerCase(Locale.ROOT);
      if (host.startsWith("[")) {
        host = host.substring(1, host.length() - 1);
      }
      if (!u.getScheme().equalsIgnoreCase(targetScheme)
          || port(u) != targetPort
          || !targetHosts.contains(host)) {
        return null;
      }
      String rest = u.getRawPath() == null ? "" : u.getRawPath();
      rest = stripBase(rest);
      if (u.getRawQuery() != null) {
        rest += "?" + u.getRawQuery();
      }
      if (u.getRawFragment() != null) {
        rest += "#" + u.getRawFragment();
      }
      return proxyBase + (rest.isEmpty() ? "/" : rest);
    }
    String raw = location.trim();
    if (!basePath.isEmpty() && raw.startsWith("/") && !raw.startsWith("//")) {
      String stripped = stripBase(raw);
      return stripped.equals(raw) ? null : stripped;
    }
    return null;
  }

  private String stripBase(String path) {
    if (basePath.isEmpty()) {
      return path;
    }
    if (path.equals(basePath)) {
      return "/";
    }
    if (path.startsWith(basePath + "/")) {
      return path.substring(basePath.length());
    }
    return path;
  }

  /** A rewritten Set-Cookie value and what changed; {@code value} is unchanged when none did. */
  record CookieRewrite(String value, List<Change> changes) {}

  CookieRewrite setCookie(String header) {
    String[] parts = header.split(";");
    String name = parts[0].trim();
    int eq = name.indexOf('=');
    String cookieName = eq < 0 ? name : name.substring(0, eq).trim();
    boolean sameSiteNone = false;
    for (int i = 1; i < parts.length; i++) {
      String a = parts[i].trim().toLowerCase(Locale.ROOT);
      if (a.replace(" ", "").equals("samesite=none")) {
        sameSiteNone = true;
      }
    }
    List<Change> changes = new ArrayList<>(1);
    StringBuilder out = new StringBuilder(parts[0].trim());
    for (int i = 1; i < parts.length; i++) {
      String attr = parts[i].trim();
      if (attr.isEmpty()) {
        continue;
      }
      String lower = attr.toLowerCase(Locale.ROOT);
      if (lower.startsWith("domain=") || lower.startsWith("domain ")) {
        changes.add(
            new Change(
                Code.COOKIE_DOMAIN_REMOVED,
                "removed "
                    + attr
                    + " from cookie '"
                    + cookieName
                    + "' (so it sticks to the proxy)"));
        continue;
      }
      if (lower.equals("secure") && !sameSiteNone) {
        changes.add(
            new Change(
                Code.COOKIE_SECURE_REMOVED,
                "removed Secure from cookie '"
                    + cookieName
                    + "' (the proxy speaks http; SameSite=None cookies keep it)"));
        continue;
      }
      if (lower.startsWith("path=") && !basePath.isEmpty()) {
        String p = attr.substring(5).trim();
        String stripped = stripBase(p);
        if (!stripped.equals(p)) {
          changes.add(
              new Change(
                  Code.COOKIE_PATH_REWRITTEN,
                  "rewrote Path=" + p + " of cookie '" + cookieName + "' to Path=" + stripped));
          out.append("; Path=").append(stripped);
          continue;
        }
      }
      out.append("; ").append(attr);
    }
    return changes.isEmpty()
        ? new CookieRewrite(header, List.of())
        : new CookieRewrite(out.toString(), changes);
  }
}
