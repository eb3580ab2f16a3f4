package io.corsdoctor.cors;

import java.util.List;

/**
 * What the browser remembers between requests that changes CORS decisions: the CORS-preflight cache
 * (https://fetch.spec.whatwg.org/#cors-preflight-cache). Immutable; each verdict carries the state
 * after its request.
 *
 * @param preflightCache cache entries, oldest first
 * @param nowMillis the caller's clock reading for the next request, in milliseconds
 */
public record BrowserState(List<PreflightCacheEntry> preflightCache, long nowMillis) {
  public BrowserState {
    preflightCache = List.copyOf(preflightCache);
  }

  /** A fresh browser context: empty cache, clock at zero. */
  public static BrowserState fresh() {
    return new BrowserState(List.of(), 0);
  }

  /** The same state with the clock moved to {@code millis}. */
  public BrowserState at(long millis) {
    return new BrowserState(preflightCache, millis);
  }
}
