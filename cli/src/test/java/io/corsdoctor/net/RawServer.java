package io.corsdoctor.net;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP server on a free port that hands each connection to a script: for replies a real
 * HTTP server would never send. Records each request head it read. Closes everything on close().
 */
public final class RawServer implements AutoCloseable {

  /** What to do with one accepted connection; the request head has been read already. */
  @FunctionalInterface
  public interface Script {
    void answer(String requestHead, OutputStream out, Socket socket) throws Exception;
  }

  private final ServerSocket server;
  private final Thread acceptor;
  private final List<Socket> open = new CopyOnWriteArrayList<>();
  public final List<String> requests = new CopyOnWriteArrayList<>();

  public RawServer(InetAddress address, Script script) throws IOException {
    this(address, 0, script);
  }

  public RawServer(InetAddress address, int port, Script script) throws IOException {
    server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(address, port));
    acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket s = server.accept();
                  open.add(s);
                  Thread t = new Thread(() -> serve(s, script), "raw-server-conn");
                  t.setDaemon(true);
                  t.start();
                } catch (IOException e) {
                  return;
                }
              }
            },
            "raw-server-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Replies with the given text (CRLFs as written) and closes. */
  public static Script reply(String raw) {
    return (head, out, socket) -> {
      out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
    };
  }

  private void serve(Socket s, Script script) {
    try (s) {
      String head = readHead(s.getInputStream());
      requests.add(head);
      script.answer(head, s.getOutputStream(), s);
    } catch (Exception e) {
      // the client went away or the script ended the connection: both are fine here
    }
  }

  public static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int prev3 = 0;
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      prev3 = (prev3 << 8 | c) & 0xffffffff;
      if (prev3 == 0x0d0a0d0a) {
        break;
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  public int port() {
    return server.getLocalPort();
  }

  public InetAddress address() {
    return server.getInetAddress();
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : open) {
      try {
        s.close();
      } catch (IOException e) {
        // already closed
      }
    }
  }
}
