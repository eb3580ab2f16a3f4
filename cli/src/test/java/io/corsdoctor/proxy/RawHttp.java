package io.corsdoctor.proxy;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A tiny HTTP/1.1 client on raw sockets: the test writes the exact bytes, reads every header. */
final class RawHttp implements AutoCloseable {
  final Socket socket;
  final InputStream in;
  final OutputStream out;

  RawHttp(String host, int port) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress(host, port), 5000);
    socket.setSoTimeout(15_000);
    in = new BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** A parsed answer: status, every header line in order, the body. */
  record Answer(int status, List<String[]> headers, byte[] body) {
    List<String> all(String name) {
      List<String> v = new ArrayList<>();
      for (String[] h : headers) {
        if (h[0].equalsIgnoreCase(name)) {
          v.add(h[1]);
        }
      }
      return v;
    }

    String get(String name) {
      List<String> v = all(name);
      return v.isEmpty() ? null : v.get(0);
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  static Answer exchange(int port, String request) throws IOException {
    try (RawHttp c = new RawHttp("127.0.0.1", port)) {
      c.send(request);
      return c.read(!request.startsWith("HEAD"));
    }
  }

  /** GET with an Origin header (or none when origin is null). */
  static Answer get(int port, String path, String origin) throws IOException {
    return exchange(
        port,
        "GET "
            + path
            + " HTTP/1.1\r\nHost: 127.0.0.1:"
            + port
            + "\r\n"
            + (origin == null ? "" : "Origin: " + origin + "\r\n")
            + "\r\n");
  }

  void send(String request) throws IOException {
    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  Answer read(boolean hasBody) throws IOException {
    String statusLine = line();
    int status = Integer.parseInt(statusLine.split(" ")[1]);
    List<String[]> headers = new ArrayList<>();
    String l;
    while (!(l = line()).isEmpty()) {
      int c = l.indexOf(':');
      headers.add(new String[] {l.substring(0, c).trim(), l.substring(c + 1).trim()});
    }
    Answer head = new Answer(status, headers, new byte[0]);
    if (!hasBody || status == 204 || status == 304 || status < 200) {
      return head;
    }
    String length = head.get("Content-Length");
    String te = head.get("Transfer-Encoding");
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    if (length != null) {
      body.write(in.readNBytes(Integer.parseInt(length.trim())));
    } else if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      while (true) {
        int size = Integer.parseInt(line().split(";")[0].trim(), 16);
        if (size == 0) {
          while (!line().isEmpty()) {
            // trailers
          }
          break;
        }
        body.write(in.readNBytes(size));
        line();
      }
    } else {
      body.write(in.readAllBytes());
    }
    return new Answer(status, headers, body.toByteArray());
  }

  String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    throw new EOFException("connection closed");
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
