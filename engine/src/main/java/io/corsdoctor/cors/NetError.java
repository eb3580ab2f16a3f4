package io.corsdoctor.cors;

/** Chromium's net error for a request that failed before CORS could apply. */
public enum NetError {
  CONNECTION_REFUSED("net::ERR_CONNECTION_REFUSED"),
  CONNECTION_RESET("net::ERR_CONNECTION_RESET"),
  CONNECTION_CLOSED("net::ERR_CONNECTION_CLOSED"),
  EMPTY_RESPONSE("net::ERR_EMPTY_RESPONSE"),
  INVALID_HTTP_RESPONSE("net::ERR_INVALID_HTTP_RESPONSE"),
  RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH("net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_LENGTH"),
  RESPONSE_HEADERS_MULTIPLE_LOCATION("net::ERR_RESPONSE_HEADERS_MULTIPLE_LOCATION"),
  RESPONSE_HEADERS_MULTIPLE_CONTENT_DISPOSITION(
      "net::ERR_RESPONSE_HEADERS_MULTIPLE_CONTENT_DISPOSITION"),
  RESPONSE_HEADERS_TOO_BIG("net::ERR_RESPONSE_HEADERS_TOO_BIG"),
  TIMED_OUT("net::ERR_TIMED_OUT"),
  CONNECTION_TIMED_OUT("net::ERR_CONNECTION_TIMED_OUT"),
  NAME_NOT_RESOLVED("net::ERR_NAME_NOT_RESOLVED"),
  ADDRESS_UNREACHABLE("net::ERR_ADDRESS_UNREACHABLE"),
  CERT_AUTHORITY_INVALID("net::ERR_CERT_AUTHORITY_INVALID"),
  CERT_COMMON_NAME_INVALID("net::ERR_CERT_COMMON_NAME_INVALID"),
  CERT_DATE_INVALID("net::ERR_CERT_DATE_INVALID"),
  SSL_PROTOCOL_ERROR("net::ERR_SSL_PROTOCOL_ERROR"),
  UNSAFE_REDIRECT("net::ERR_UNSAFE_REDIRECT"),
  TOO_MANY_REDIRECTS("net::ERR_TOO_MANY_REDIRECTS"),
  INVALID_REDIRECT("net::ERR_INVALID_REDIRECT"),
  ABORTED("net::ERR_ABORTED"),
  BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS("net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS"),
  FAILED("net::ERR_FAILED");

  private final String chromiumName;

  NetError(String chromiumName) {
    this.chromiumName = chromiumName;
  }

  /** As Chromium prints it, e.g. {@code net::ERR_CONNECTION_REFUSED}. */
  public String chromiumName() {
    return chromiumName;
  }

  public static NetError fromChromiumName(String name) {
    for (NetError e : values()) {
      if (e.chromiumName.equals(name)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown net error: " + name);
  }
}
