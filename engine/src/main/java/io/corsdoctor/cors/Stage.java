package io.corsdoctor.cors;

/** Where in the request's life the browser decided. */
public enum Stage {
  /** Before anything was sent: the request itself is not allowed (mode, scheme). */
  REQUEST,
  /** The CORS preflight (OPTIONS). */
  PREFLIGHT,
  /** The actual request's response. */
  ACTUAL,
  /** A redirect of the actual request. */
  REDIRECT
}
