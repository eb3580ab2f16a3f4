package io.corsdoctor.har;

import io.corsdoctor.cors.Header;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The part of one HAR entry that matters to CORS. Bodies, timings and initiator stacks are skipped
 * while reading and never held.
 *
 * @param index position in {@code log.entries}, from 0
 * @param byteOffset where the entry starts in the file
 * @param startedDateTime as recorded (ISO 8601), or null
 * @param pageref the page id, or null
 * @param request the request line and headers
 * @param response the response head as recorded ({@code status} 0 when nothing came back)
 * @param resourceType Chromium's {@code _resourceType} ({@code preflight}, {@code fetch}, {@code
 *     xhr}, ...), or null
 * @param initiatorType {@code _initiator.type}, or null
 * @param initiatorUrl {@code _initiator.url} (for a preflight: the request it precedes), or null
 * @param initiatorRequestId {@code _initiator.requestId} (for a preflight: the id of its request)
 * @param requestId the entry's own {@code _requestId} when the exporter records one, or null
 * @param serverIpAddress {@code serverIPAddress} without IPv6 brackets, or null
 * @param connection the {@code connection} id (Chromium: socket id; Firefox: remote port), or null
 * @param connectionId Chromium's {@code _connectionId}, or null
 * @param fromCache {@code _fromCache} ({@code memory}, {@code disk}) or Safari's cache {@code
 *     _fetchType}, or null
 */
public record HarEntry(
    int index,
    long byteOffset,
    String startedDateTime,
    String pageref,
    HarRequest request,
    HarResponse response,
    String resourceType,
    String initiatorType,
    String initiatorUrl,
    String initiatorRequestId,
    String requestId,
    String serverIpAddress,
    String connection,
    String connectionId,
    String fromCache) {

  /** The request as recorded: method, URL, every header line, whether it had a body. */
  public record HarRequest(
      String method, String url, List<Header> headers, boolean hasBody, int cookieCount) {
    public HarRequest {
      headers = List.copyOf(headers);
    }

    /** The first value of the named header, or null. */
    public String header(String name) {
      return HarEntry.first(headers, name);
    }
  }

  /**
   * The response head as recorded.
   *
   * @param status the status code; 0 when the browser recorded no response
   * @param error Chromium's {@code _error} (e.g. {@code net::ERR_FAILED}), or null
   */
  public record HarResponse(
      int status,
      String statusText,
      String httpVersion,
      List<Header> headers,
      String redirectUrl,
      String error) {
    public HarResponse {
      headers = List.copyOf(headers);
    }

    public String header(String name) {
      return HarEntry.first(headers, name);
    }

    /** Every value of the named header, in order. */
    public List<String> values(String name) {
      List<String> out = new ArrayList<>(1);
      for (Header h : headers) {
        if (h.is(name)) {
          out.add(h.value());
        }
      }
      return List.copyOf(out);
    }

    /** The status line as a browser would have seen it, e.g. {@code HTTP/1.1 403 Forbidden}. */
    public String statusLine() {
      String version = httpVersion == null || httpVersion.isEmpty() ? "HTTP/1.1" : httpVersion;
      String text = statusText == null || statusText.isEmpty() ? "" : " " + statusText;
      return version.toUpperCase(Locale.ROOT) + " " + status + text;
    }
  }

  /** A CORS preflight: Chromium marks it, other browsers show an OPTIONS with a request method. */
  public boolean isPreflight() {
    return "preflight".equals(resourceType)
        || "preflight".equals(initiatorType)
        || ("OPTIONS".equalsIgnoreCase(request.method())
            && request.header("Access-Control-Request-Method") != null
            && request.header("Origin") != null);
  }

  /** The {@code Server} response header, or null. */
  public String server() {
    return response.header("Server");
  }

  static String first(List<Header> headers, String name) {
    for (Header h : headers) {
      if (h.is(name)) {
        return h.value();
      }
    }
    return null;
  }
}
