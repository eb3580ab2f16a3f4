package io.corsdoctor.cors;

import java.util.List;

/**
 * One entry of Chromium's preflight cache, keyed by origin, URL and credentials mode.
 *
 * @param origin the serialized request origin
 * @param url the request URL
 * @param credentials whether the preflight was for a credentialed request
 * @param methods the allowed methods it learned
 * @param headers the allowed header names it learned (lower-case)
 * @param expiresAtMillis when it stops serving (same clock as {@link BrowserState#nowMillis()})
 */
public record PreflightCacheEntry(
    String origin,
    String url,
    boolean credentials,
    List<String> methods,
    List<String> headers,
    long expiresAtMillis) {
  public PreflightCacheEntry {
    methods = List.copyOf(methods);
    headers = List.copyOf(headers);
  }
}
