package io.corsdoctor.cors;

/** https://fetch.spec.whatwg.org/#concept-request-credentials-mode */
public enum CredentialsMode {
  OMIT("omit"),
  SAME_ORIGIN("same-origin"),
  INCLUDE("include");

  private final String token;

  CredentialsMode(String token) {
    this.token = token;
  }

  /** The value as written in JavaScript and in cors-doctor's JSON. */
  public String token() {
    return token;
  }

  public static CredentialsMode fromToken(String token) {
    for (CredentialsMode m : values()) {
      if (m.token.equals(token)) {
        return m;
      }
    }
    throw new IllegalArgumentException("unknown credentials mode: " + token);
  }
}
