package io.corsdoctor.cors;

/** Which page API made the request; Chromium words its console messages differently for each. */
public enum Api {
  FETCH,
  XHR,
  XHR_SYNC;

  /** The {KIND} word in Chromium's "Access to {KIND} at ..." line. */
  public String chromiumKind() {
    return this == FETCH ? "fetch" : "XMLHttpRequest";
  }
}
