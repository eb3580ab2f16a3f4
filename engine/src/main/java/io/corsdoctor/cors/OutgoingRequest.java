package io.corsdoctor.cors;

import java.util.List;
import java.util.Objects;

/**
 * A request the browser puts on the wire, as the engine asks the caller to send it.
 *
 * @param kind preflight or actual request
 * @param method the request method
 * @param url the absolute URL (after redirects, the redirect target)
 * @param headers the header lines a browser sends that matter to CORS and to server routing, in
 *     Chromium's order ({@code Origin}, {@code Access-Control-Request-*}, {@code Sec-Fetch-*}, and
 *     the script's own headers); the caller adds {@code Host}
 */
public record OutgoingRequest(Kind kind, String method, String url, List<Header> headers) {

  /** Which step of the CORS protocol this request is. */
  public enum Kind {
    PREFLIGHT,
    ACTUAL
  }

  public OutgoingRequest {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(url, "url");
    headers = List.copyOf(headers);
  }
}
