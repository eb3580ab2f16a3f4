package io.corsdoctor.browsertruth;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The loopback listeners a scenario may name, each on a free port chosen at run time. The names and
 * address families mirror the shared corpus's fixed ports (in brackets):
 *
 * <ul>
 *   <li>{@code page} (4200): the page origin, on 127.0.0.1 and ::1 (so {@code localhost} works)
 *   <li>{@code public} (4300): a second page origin on 127.0.0.1 (made "public" by a flag)
 *   <li>{@code api} (5000): the API on 127.0.0.1 only, like Flask's default
 *   <li>{@code v6only} (5002): ::1 only
 *   <li>{@code dual} (5003): 127.0.0.1 and ::1, each with its own rules
 *   <li>{@code second} (5004): a second API origin on 127.0.0.1 (redirect targets)
 *   <li>{@code refused} (5009): a port nobody listens on
 * </ul>
 */
final class Topology implements AutoCloseable {
  static final Map<String, Integer> CORPUS_PORTS =
      Map.of(
          "page", 4200,
          "public", 4300,
          "api", 5000,
          "v6only", 5002,
          "dual", 5003,
          "second", 5004,
          "refused", 5009);
  static final Set<String> PAGE_LISTENERS = Set.of("page", "public");
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([a-z0-9]+)}");

  /** One bound socket: its label as rules name it ({@code 127.0.0.1:PORT}, {@code [::1]:PORT}). */
  record Bound(String name, String label, ServerSocket socket) {}

  private final Map<String, Integer> ports;
  private final List<Bound> bound;

  private Topology(Map<String, Integer> ports, List<Bound> bound) {
    this.ports = ports;
    this.bound = bound;
  }

  /** The listener names a scenario's text refers to; {@code page} is always included. */
  static Set<String> namesIn(String scenarioText) {
    Set<String> names = new TreeSet<>();
    names.add("page");
    Matcher m = PLACEHOLDER.matcher(scenarioText);
    while (m.find()) {
      if (!CORPUS_PORTS.containsKey(m.group(1))) {
        throw new IllegalArgumentException("unknown listener placeholder ${" + m.group(1) + "}");
      }
      names.add(m.group(1));
    }
    return names;
  }

  static Topology bind(Set<String> names) throws IOException {
    Map<String, Integer> ports = new LinkedHashMap<>();
    List<Bound> bound = new ArrayList<>();
    try {
      for (String name : names) {
        switch (name) {
          case "page":
          case "dual":
            bindBoth(name, ports, bound);
            break;
          case "v6only":
            bound.add(bindOne(name, "::1", 0));
            ports.put(name, bound.get(bound.size() - 1).socket().getLocalPort());
            break;
          case "refused":
            ports.put(name, refusedPort());
            break;
          default:
            bound.add(bindOne(name, "127.0.0.1", 0));
            ports.put(name, bound.get(bound.size() - 1).socket().getLocalPort());
            break;
        }
      }
    } catch (IOException e) {
      for (Bound b : bound) {
        b.socket().close();
      }
      throw e;
    }
    return new Topology(ports, bound);
  }

  /** Binds 127.0.0.1 and ::1 on the same free port. */
  private static void bindBoth(String name, Map<String, Integer> ports, List<Bound> bound)
      throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      Bound v4 = bindOne(name, "127.0.0.1", 0);
      int port = v4.socket().getLocalPort();
      try {
        Bound v6 = bindOne(name, "::1", port);
        bound.add(v4);
        bound.add(v6);
        ports.put(name, port);
        return;
      } catch (BindException taken) {
        v4.socket().close();
      }
    }
    throw new IOException("no free port is free on both 127.0.0.1 and ::1");
  }

  /** A port on which neither 127.0.0.1 nor ::1 accepts (bound, then closed). */
  private static int refusedPort() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket v4 = new ServerSocket()) {
        v4.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        int port = v4.getLocalPort();
        try (ServerSocket v6 = new ServerSocket()) {
          v6.bind(new InetSocketAddress(InetAddress.getByName("::1"), port));
          return port;
        } catch (BindException taken) {
          // someone listens on ::1 there; try another
        }
      }
    }
    throw new IOException("no port is free on both families");
  }

  private static Bound bindOne(String name, String host, int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    try {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), port), 64);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    String label = (host.contains(":") ? "[" + host + "]" : host) + ":" + socket.getLocalPort();
    return new Bound(name, label, socket);
  }

  Map<String, Integer> ports() {
    return ports;
  }

  List<Bound> bound() {
    return bound;
  }

  /** Replaces every {@code ${name}} with its port. */
  String substitute(String text) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(out, String.valueOf(ports.get(m.group(1))));
    }
    m.appendTail(out);
    return out.toString();
  }

  /** Rewrites this run's ports back to the corpus's fixed ports, to compare with a recording. */
  String toCorpusPorts(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (Map.Entry<String, Integer> e : ports.entrySet()) {
      out = out.replace(":" + e.getValue(), ":" + CORPUS_PORTS.get(e.getKey()));
    }
    return out;
  }

  @Override
  public void close() {
    for (Bound b : bound) {
      try {
        b.socket().close();
      } catch (IOException e) {
        // closing a listener cannot fail in a way that matters here
      }
    }
  }
}
