package io.corsdoctor.cors;

/** https://fetch.spec.whatwg.org/#concept-request-redirect-mode */
public enum RedirectMode {
  FOLLOW("follow"),
  ERROR("error"),
  MANUAL("manual");

  private final String token;

  RedirectMode(String token) {
    this.token = token;
  }

  public String token() {
    return token;
  }

  public static RedirectMode fromToken(String token) {
    for (RedirectMode m : values()) {
      if (m.token.equals(token)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown redirect mode: " + token);
  }
}
