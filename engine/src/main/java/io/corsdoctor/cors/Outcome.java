package io.corsdoctor.cors;

/** What the browser does with the request, in cors-doctor's JSON words. */
public enum Outcome {
  /** The page can read the response. */
  PASS("pass"),
  /** CORS blocks it (the browser logs a "blocked by CORS policy" line). */
  BLOCKED("blocked"),
  /** The browser failed the request before CORS applied (refused, reset, non-HTTP reply...). */
  NETWORK_ERROR("network-error");

  private final String token;

  Outcome(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }
}
