package io.corsdoctor.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;

/**
 * Every address of the target's host, probed once at start-up, answering ones first. Used as the
 * proxy's only address resolver, so the proxy connects over the address that answers (for {@code
 * localhost}: {@code ::1} or {@code 127.0.0.1}) and never anywhere else, whatever host a request
 * names. Jetty tries the next address when one refuses.
 */
public final class TargetAddresses implements SocketAddressResolver {

  /** What one address did when probed. */
  public record Probe(InetSocketAddress address, boolean answers, String error) {
    public String host() {
      return address.getAddress().getHostAddress();
    }
  }

  private final List<Probe> probes;
  private final List<InetSocketAddress> ordered;

  private TargetAddresses(List<Probe> probes) {
    this.probes = List.copyOf(probes);
    List<InetSocketAddress> order = new ArrayList<>();
    probes.stream().filter(Probe::answers).forEach(p -> order.add(p.address()));
    probes.stream().filter(p -> !p.answers()).forEach(p -> order.add(p.address()));
    this.ordered = List.copyOf(order);
  }

  /** Resolves {@code host} to every address and tries a TCP connection to each. */
  public static TargetAddresses probe(String host, int port, Duration timeout)
      throws UnknownHostException {
    return probe(List.of(InetAddress.getAllByName(host)), port, timeout);
  }

  /** Tries a TCP connection to each of the given addresses. */
  static TargetAddresses probe(List<InetAddress> all, int port, Duration timeout) {
    List<Probe> probes = new ArrayList<>();
    for (InetAddress a : all) {
      InetSocketAddress sa = new InetSocketAddress(a, port);
      try (Socket s = new Socket()) {
        s.connect(sa, (int) timeout.toMillis());
        probes.add(new Probe(sa, true, null));
      } catch (IOException e) {
        probes.add(new Probe(sa, false, reason(e)));
      }
    }
    return new TargetAddresses(probes);
  }

  private static String reason(IOException e) {
    String m = e.getMessage();
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    return m.toLowerCase(java.util.Locale.ROOT).contains("refused") ? "connection refused" : m;
  }

  /** The addresses to connect to, answering ones first. */
  List<InetSocketAddress> ordered() {
    return ordered;
  }

  public List<Probe> probes() {
    return probes;
  }

  /** Every spelling of the target host, lower-case (IPv6 without brackets). */
  List<String> hostSpellings(String host) {
    List<String> out = new ArrayList<>();
    out.add(host.toLowerCase(java.util.Locale.ROOT).replace("[", "").replace("]", ""));
    for (Probe p : probes) {
      out.add(p.host().toLowerCase(java.util.Locale.ROOT));
      if (p.address().getAddress().isLoopbackAddress()) {
        out.add("localhost");
        out.add("127.0.0.1");
        out.add("::1");
        out.add("0:0:0:0:0:0:0:1");
      }
    }
    return out;
  }

  @Override
  public void resolve(
      String host,
      int port,
      Map<String, Object> context,
      Promise<List<InetSocketAddress>> promise) {
    promise.succeeded(ordered);
  }
}
