package io.corsdoctor.net;

import io.corsdoctor.cors.Header;
import io.corsdoctor.cors.HttpReply;
import io.corsdoctor.cors.NetError;
import io.corsdoctor.cors.NetworkFailure;
import io.corsdoctor.cors.OutgoingRequest;
import io.corsdoctor.cors.Reply;
import io.corsdoctor.cors.ResponseHead;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Sends one request over a fresh TCP connection to one address and reads the reply as bytes. Sends
 * the request line, {@code Host} (the URL's), exactly the header lines of the {@link
 * OutgoingRequest}, and {@code Content-Length} when there is a body. What arrived is read as
 * Chromium reads it ({@link ResponseHead#parse}). Never throws on I/O failure: every failure is a
 * {@link NetworkFailure} in the {@link ProbeResult}.
 */
public final class Probe {

  /** Told about the connection while it is open, e.g. to find the process that accepted it. */
  @FunctionalInterface
  public interface ConnectListener {
    void connected(InetSocketAddress local, InetSocketAddress remote);

    ConnectListener NONE = (local, remote) -> {};
  }

  private final ProbeOptions options;

  public Probe(ProbeOptions options) {
    this.options = options;
  }

  public ProbeOptions options() {
    return options;
  }

  /**
   * Sends {@code request} to {@code address}:{@code port} (the port of the request's URL when
   * {@code port} is negative).
   *
   * @param body the request body, or null for none
   */
  public ProbeResult send(
      InetAddress address,
      int port,
      OutgoingRequest request,
      byte[] body,
      ConnectListener listener) {
    long start = System.nanoTime();
    URI uri = URI.create(request.url());
    boolean https = "https".equalsIgnoreCase(uri.getScheme());
    int effectivePort = port >= 0 ? port : uri.getPort() >= 0 ? uri.getPort() : https ? 443 : 80;
    InetSocketAddress target = new InetSocketAddress(address, effectivePort);
    List<String> lines = requestHead(uri, request, body);
    Attempt a = new Attempt(target, request, lines, start);
    try (Socket socket = new Socket()) {
      try {
        socket.connect(target, (int) options.connectTimeout().toMillis());
      } catch (ConnectException e) {
        return a.failed(NetError.CONNECTION_REFUSED, "connection refused");
      } catch (SocketTimeoutException e) {
        return a.failed(
            NetError.CONNECTION_TIMED_OUT,
            "no answer to the connection attempt within "
                + options.connectTimeout().toMillis()
                + " ms");
      } catch (NoRouteToHostException e) {
        return a.failed(NetError.ADDRESS_UNREACHABLE, "no route to the address");
      } catch (IOException e) {
        return a.failed(NetError.CONNECTION_REFUSED, "cannot connect: " + e.getMessage());
      }
      a.local = (InetSocketAddress) socket.getLocalSocketAddress();
      listener.connected(a.local, target);
      Socket io = socket;
      if (https) {
        Tls.Handshake h = Tls.handshake(socket, uri.getHost(), effectivePort, options);
        if (h.failure() != null) {
          return a.failed(h.failure().error(), h.failure().detail());
        }
        io = h.socket();
        a.tls = h.info();
      }
      return exchange(io, a, request, body);
    } catch (IOException e) {
      return a.failed(NetError.CONNECTION_RESET, String.valueOf(e.getMessage()));
    }
  }

  private ProbeResult exchange(Socket io, Attempt a, OutgoingRequest request, byte[] body)
      throws IOException {
    try {
      OutputStream out = io.getOutputStream();
      out.write((String.join("\r\n", a.lines) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        out.write(body);
      }
      out.flush();
    } catch (IOException e) {
      return a.failed(NetError.CONNECTION_RESET, "the server closed while the request was sent");
    }
    long deadline = System.nanoTime() + options.responseTimeout().toNanos();
    WireReader reader = new WireReader(io, io.getInputStream(), options);
    WireReader.Head head = reader.readHead(deadline);
    RawHead raw = RawHead.split(head.bytes());
    a.raw = raw;
    long timeoutMs = options.responseTimeout().toMillis();
    switch (head.end()) {
      case TOO_BIG:
        return a.failed(
            NetError.RESPONSE_HEADERS_TOO_BIG,
            "the reply head passed "
                + options.maxHeadBytes() / 1024
                + " KiB or "
                + options.maxHeaderLines()
                + " lines without ending");
      case TIMED_OUT:
        return a.failed(
            NetError.TIMED_OUT,
            head.bytes().length == 0
                ? "no reply within " + timeoutMs + " ms"
                : "the reply head did not finish within "
                    + timeoutMs
                    + " ms ("
                    + head.bytes().length
                    + " bytes arrived)");
      case RESET:
        if (head.bytes().length == 0) {
          return a.failed(NetError.CONNECTION_RESET, "the server reset the connection");
        }
        break;
      case CLOSED:
        if (head.bytes().length == 0) {
          return a.failed(NetError.EMPTY_RESPONSE, "the server closed without a reply");
        }
        break;
      default:
        break;
    }
    Reply reply = ResponseHead.parse(head.bytes());
    if (reply instanceof HttpReply http && head.end() == WireReader.HeadEnd.COMPLETE) {
      WireReader.Body b = readBody(reader, head.leftover(), http, request.method(), deadline);
      a.body = new String(b.bytes(), StandardCharsets.ISO_8859_1);
      a.bodyTruncated = b.truncated();
      reply =
          new HttpReply(
              http.statusLine(), http.status(), http.headers(), http.rawHeaderLines(), a.body);
    }
    return a.done(reply);
  }

  private WireReader.Body readBody(
      WireReader reader, byte[] leftover, HttpReply http, String method, long deadline) {
    int s = http.status();
    if ("HEAD".equalsIgnoreCase(method) || s / 100 == 1 || s == 204 || s == 304) {
      return new WireReader.Body(new byte[0], false);
    }
    boolean chunked =
        http.values("Transfer-Encoding").stream()
            .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("chunked"));
    long length = -1;
    if (!chunked) {
      for (String v : http.values("Content-Length")) {
        try {
          length = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
          length = -1;
        }
      }
    }
    return reader.readBody(leftover, length, chunked, deadline);
  }

  /** The request line, Host, the engine's header lines, and Content-Length for a body. */
  static List<String> requestHead(URI uri, OutgoingRequest request, byte[] body) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    List<String> lines = new ArrayList<>();
    lines.add(request.method() + " " + path + " HTTP/1.1");
    String authority = uri.getRawAuthority();
    int at = authority.lastIndexOf('@');
    lines.add("Host: " + (at >= 0 ? authority.substring(at + 1) : authority));
    for (Header h : request.headers()) {
      lines.add(h.name() + ": " + h.value());
    }
    if (body != null) {
      lines.add("Content-Length: " + body.length);
    }
    return lines;
  }

  /** What one attempt has gathered so far. */
  private final class Attempt {
    final InetSocketAddress target;
    final OutgoingRequest request;
    final List<String> lines;
    final long start;
    InetSocketAddress local;
    ProbeResult.TlsInfo tls;
    RawHead raw = new RawHead(null, List.of());
    String body = "";
    boolean bodyTruncated;

    Attempt(InetSocketAddress target, OutgoingRequest request, List<String> lines, long start) {
      this.target = target;
      this.request = request;
      this.lines = lines;
      this.start = start;
    }

    ProbeResult failed(NetError error, String detail) {
      return done(new NetworkFailure(error, detail));
    }

    ProbeResult done(Reply reply) {
      return new ProbeResult(
          target,
          request,
          lines,
          local,
          reply,
          raw.firstLine(),
          raw.headerLines(),
          body,
          bodyTruncated,
          tls,
          (System.nanoTime() - start) / 1_000_000L);
    }
  }
}
