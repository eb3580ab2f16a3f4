package io.corsdoctor.cors;

/** https://fetch.spec.whatwg.org/#concept-request-mode */
public enum RequestMode {
  CORS("cors"),
  NO_CORS("no-cors"),
  SAME_ORIGIN("same-origin");

  private final String token;

  RequestMode(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }

  public static RequestMode fromToken(String token) {
    for (RequestMode m : values()) {
      if (m.token.equals(token)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown request mode: " + token);
  }
}
