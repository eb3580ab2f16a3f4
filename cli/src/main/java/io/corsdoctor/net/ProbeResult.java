package io.corsdoctor.net;

import io.corsdoctor.cors.HttpReply;
import io.corsdoctor.cors.NetworkFailure;
import io.corsdoctor.cors.OutgoingRequest;
import io.corsdoctor.cors.Reply;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;

/**
 * One request sent to one address and what came back, byte-faithful.
 *
 * @param target the address and port connected to
 * @param request the request as the engine asked for it
 * @param sentLines the request head exactly as sent (request line, Host, the engine's headers)
 * @param local the local end of the connection, or null when it never connected
 * @param reply what the browser would read: an HTTP reply head, or a failure below HTTP
 * @param statusLine the first line received, even when it is not HTTP ({@code RTSP/1.0 403
 *     Forbidden}), or null when nothing arrived
 * @param rawHeaderLines every header line as received, in order, with case and duplicates
 * @param bodyPrefix the first bytes of the body (ISO-8859-1), at most {@link
 *     ProbeOptions#maxBodyBytes()}
 * @param bodyTruncated true when the body was longer than what was kept, or did not finish in time
 * @param tls the TLS session seen, or null for plain HTTP
 * @param elapsedMillis from the start of the connect to the end of the read
 */
public record ProbeResult(
    InetSocketAddress target,
    OutgoingRequest request,
    List<String> sentLines,
    InetSocketAddress local,
    Reply reply,
    String statusLine,
    List<String> rawHeaderLines,
    String bodyPrefix,
    boolean bodyTruncated,
    TlsInfo tls,
    long elapsedMillis) {

  public ProbeResult {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(request, "request");
    sentLines = List.copyOf(sentLines);
    Objects.requireNonNull(reply, "reply");
    rawHeaderLines = List.copyOf(rawHeaderLines);
    bodyPrefix = bodyPrefix == null ? "" : bodyPrefix;
  }

  /** Whether the TCP connection was made (the address had a listener that accepted). */
  public boolean connected() {
    return local != null;
  }

  /** The HTTP reply, or null when the exchange failed below HTTP. */
  public HttpReply http() {
    return reply instanceof HttpReply h ? h : null;
  }

  /** The failure, or null when an HTTP reply came back. */
  public NetworkFailure failure() {
    return reply instanceof NetworkFailure f ? f : null;
  }

  /**
   * The first line received, safe to print: at most 200 characters, control and non-ASCII bytes as
   * {@code \xNN}; null when nothing arrived.
   */
  public String printableStatusLine() {
    if (statusLine == null) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < statusLine.length() && b.length() < 200; i++) {
      char c = statusLine.charAt(i);
      if (c < 0x20 || c >= 0x7f) {
        b.append(String.format("\\x%02x", (int) c & 0xff));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** The target address as text, without brackets: {@code ::1}, {@code 127.0.0.1}. */
  public String address() {
    return target.getAddress() == null
        ? target.getHostString()
        : Addresses.text(target.getAddress());
  }

  /**
   * The TLS session a probe saw.
   *
   * @param protocol e.g. {@code TLSv1.3}
   * @param cipherSuite the negotiated suite
   * @param peerSubject the server certificate's subject, or null
   * @param trustProblem why a browser would reject the certificate (seen with --insecure), or null
   */
  public record TlsInfo(
      String protocol, String cipherSuite, String peerSubject, String trustProblem) {}
}
