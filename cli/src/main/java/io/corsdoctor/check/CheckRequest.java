package io.corsdoctor.check;

import io.corsdoctor.cors.Api;
import io.corsdoctor.cors.BodyKind;
import io.corsdoctor.cors.CorsRequest;
import io.corsdoctor.cors.CredentialsMode;
import io.corsdoctor.cors.Header;
import io.corsdoctor.cors.Origin;
import java.util.List;
import java.util.Objects;

/**
 * What to check: the request as the page makes it.
 *
 * @param url the absolute http(s) URL
 * @param origin the page's origin
 * @param method the method as the script writes it
 * @param headers the headers the script sets, in order
 * @param data the body, or null
 * @param credentials fetch's credentials mode
 * @param api fetch or XMLHttpRequest
 * @param sendAnyway also send the actual request when the preflight fails, to learn more
 */
public record CheckRequest(
    String url,
    Origin origin,
    String method,
    List<Header> headers,
    String data,
    CredentialsMode credentials,
    Api api,
    boolean sendAnyway) {

  public CheckRequest {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(method, "method");
    headers = List.copyOf(headers);
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(api, "api");
  }

  /** The request for the engine: a string body is fetch's text body. */
  public CorsRequest corsRequest() {
    return CorsRequest.builder(origin, url)
        .method(method)
        .headers(headers)
        .body(data == null ? BodyKind.NONE : BodyKind.TEXT)
        .credentials(credentials)
        .api(api)
        .build();
  }
}
