package io.corsdoctor.cors;

/**
 * What kind of body the page passed; it decides the Content-Type the browser adds on its own
 * (https://fetch.spec.whatwg.org/#concept-bodyinit-extract).
 */
public enum BodyKind {
  /** No body. */
  NONE,
  /** A string: {@code text/plain;charset=UTF-8}. */
  TEXT,
  /** URLSearchParams: {@code application/x-www-form-urlencoded;charset=UTF-8}. */
  URL_SEARCH_PARAMS,
  /** FormData: {@code multipart/form-data; boundary=...}. */
  FORM_DATA,
  /** A Blob without a type: no Content-Type. */
  BLOB_UNTYPED,
  /** A Blob with a type: that type (given as a Content-Type header by the caller). */
  BLOB_TYPED,
  /** An ArrayBuffer or typed array: no Content-Type. */
  BYTES
}
