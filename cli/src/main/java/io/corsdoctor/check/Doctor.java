package io.corsdoctor.check;

import io.corsdoctor.cors.AddressSpace;
import io.corsdoctor.cors.BrowserState;
import io.corsdoctor.cors.CorsEngine;
import io.corsdoctor.cors.CorsRequest;
import io.corsdoctor.cors.Header;
import io.corsdoctor.cors.NetError;
import io.corsdoctor.cors.NetworkFailure;
import io.corsdoctor.cors.Outcome;
import io.corsdoctor.cors.OutgoingRequest;
import io.corsdoctor.cors.Stage;
import io.corsdoctor.cors.Verdict;
import io.corsdoctor.net.Addresses;
import io.corsdoctor.net.Fingerprints;
import io.corsdoctor.net.Probe;
import io.corsdoctor.net.ProbeOptions;
import io.corsdoctor.net.ProbeResult;
import io.corsdoctor.ports.Listener;
import io.corsdoctor.ports.PortOwners;
import io.corsdoctor.ports.ProcessInfo;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a check: every address in parallel, each through the engine with live probes, attributed to
 * the accepting process; then the diagnosis.
 */
public final class Doctor {
  private final PortOwners owners;
  private final String ownersNote;
  private final ProbeOptions options;

  /**
   * @param owners who listens and who accepted (use {@link NoPortOwners} when none)
   * @param ownersNote why owners cannot be seen, or null when the backend can see them
   */
  public Doctor(PortOwners owners, String ownersNote, ProbeOptions options) {
    this.owners = Objects.requireNonNull(owners, "owners");
    this.ownersNote = ownersNote;
    this.options = Objects.requireNonNull(options, "options");
  }

  /**
   * Checks the request over every address of the URL's host.
   *
   * @throws UnknownHostException when the host does not resolve
   */
  public CheckResult check(CheckRequest request) throws UnknownHostException {
    URI uri = URI.create(request.url());
    String host = uri.getHost();
    int port = effectivePort(uri);
    List<InetAddress> resolved = Addresses.resolve(host);
    List<InetAddress> chromeOrder = AddressOrder.chromium(host, resolved);
    List<InetAddress> firefoxOrder = AddressOrder.firefox(host, resolved);
    CorsRequest cors = request.corsRequest();
    ExecutorService pool = Executors.newFixedThreadPool(resolved.size(), new Named());
    Attribution attribution = new Attribution(owners, port, resolved.size());
    try {
      List<Future<AddressCheck>> jobs = new ArrayList<>();
      for (InetAddress a : chromeOrder) {
        jobs.add(pool.submit(() -> checkAddress(a, host, port, cors, request, attribution)));
      }
      List<AddressCheck> checks = new ArrayList<>();
      for (Future<AddressCheck> f : jobs) {
        checks.add(await(f));
      }
      List<Listener> seen = attribution.listeners();
      AddressCheck chrome = pick(chromeOrder, checks);
      AddressCheck firefox = pick(firefoxOrder, checks);
      List<Finding> findings =
          Diagnosis.diagnose(request, host, port, checks, chrome, firefox, seen, ownersNote);
      return new CheckResult(
          request, cors, port, checks, chrome, firefox, seen, ownersNote, findings);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The address a browser ends up using: the first one that does not refuse the connection. */
  static AddressCheck pick(List<InetAddress> order, List<AddressCheck> checks) {
    AddressCheck fallback = null;
    for (InetAddress a : order) {
      for (AddressCheck c : checks) {
        if (c.address().equals(a)) {
          if (!c.refused()) {
            return c;
          }
          fallback = fallback == null ? c : fallback;
        }
      }
    }
    return fallback != null ? fallback : checks.get(0);
  }

  private AddressCheck checkAddress(
      InetAddress address,
      String host,
      int port,
      CorsRequest cors,
      CheckRequest request,
      Attribution attribution) {
    Probe probe = new Probe(options);
    List<AnsweredProbe> probes = new ArrayList<>();
    if (AddressSpace.ofHost(host) == AddressSpace.UNKNOWN) {
      // A name: the browser learns its space from the address it connects to.
      cors = cors.toBuilder().addressSpaceOverride(host + ":" + port, spaceOf(address)).build();
    }
    byte[] body = request.data() == null ? null : request.data().getBytes(StandardCharsets.UTF_8);
    Verdict verdict =
        CorsEngine.evaluate(
            cors,
            BrowserState.fresh(),
            out -> {
              AnsweredProbe p =
                  send(
                      attribution,
                      probe,
                      target(out.url(), host, port, address),
                      out,
                      bodyFor(out, body),
                      false);
              probes.add(p);
              return p.result().reply();
            });
    if (request.sendAnyway()
        && verdict.stage() == Stage.PREFLIGHT
        && verdict.outcome() != Outcome.PASS
        && probes.stream()
            .allMatch(p -> p.result().request().kind() != OutgoingRequest.Kind.ACTUAL)) {
      OutgoingRequest actual = actualAnyway(request);
      probes.add(
          send(attribution, probe, new InetSocketAddress(address, port), actual, body, true));
    }
    return new AddressCheck(address, verdict, probes);
  }

  /** The address space Chromium puts an address in (Local Network Access). */
  static AddressSpace spaceOf(InetAddress a) {
    if (a.isLoopbackAddress()) {
      return AddressSpace.LOOPBACK;
    }
    boolean uniqueLocal = a instanceof Inet6Address && (a.getAddress()[0] & 0xfe) == 0xfc;
    if (a.isSiteLocalAddress() || a.isLinkLocalAddress() || uniqueLocal) {
      return AddressSpace.LOCAL;
    }
    return AddressSpace.PUBLIC;
  }

  private static byte[] bodyFor(OutgoingRequest out, byte[] body) {
    return out.kind() == OutgoingRequest.Kind.ACTUAL ? body : null;
  }

  /** The pinned address for the checked host and port; a redirect elsewhere resolves anew. */
  private static InetSocketAddress target(String url, String host, int port, InetAddress pinned) {
    URI u = URI.create(url);
    if (host.equalsIgnoreCase(u.getHost()) && effectivePort(u) == port) {
      return new InetSocketAddress(pinned, port);
    }
    try {
      List<InetAddress> all = Addresses.resolve(u.getHost());
      return new InetSocketAddress(
          AddressOrder.chromium(u.getHost(), all).get(0), effectivePort(u));
    } catch (UnknownHostException e) {
      return InetSocketAddress.createUnresolved(u.getHost(), effectivePort(u));
    }
  }

  private static AnsweredProbe send(
      Attribution attribution,
      Probe probe,
      InetSocketAddress to,
      OutgoingRequest out,
      byte[] body,
      boolean extra) {
    ProbeResult r;
    ProcessInfo[] acceptor = new ProcessInfo[1];
    if (to.isUnresolved()) {
      r = unresolved(to, out);
    } else {
      r =
          probe.send(
              to.getAddress(),
              to.getPort(),
              out,
              body,
              (local, remote) -> acceptor[0] = attribution.acceptorOf(local, remote));
    }
    var server =
        Fingerprints.identify(
                r.statusLine(),
                r.http() != null ? r.http().headers() : looseHeaders(r),
                r.bodyPrefix())
            .orElse(null);
    return new AnsweredProbe(r, acceptor[0], server, extra);
  }

  private static ProbeResult unresolved(InetSocketAddress to, OutgoingRequest out) {
    return new ProbeResult(
        to,
        out,
        List.of(),
        null,
        new NetworkFailure(NetError.NAME_NOT_RESOLVED, "cannot resolve " + to.getHostString()),
        null,
        List.of(),
        "",
        false,
        null,
        0);
  }

  /** Header lines of a reply that failed to parse as HTTP, read leniently for fingerprints. */
  private static List<Header> looseHeaders(ProbeResult r) {
    List<Header> out = new ArrayList<>();
    for (String line : r.rawHeaderLines()) {
      int c = line.indexOf(':');
      if (c > 0) {
        out.add(new Header(line.substring(0, c).trim(), line.substring(c + 1).trim()));
      }
    }
    return out;
  }

  /** The actual request a browser would send had the preflight passed (for --send-anyway). */
  static OutgoingRequest actualAnyway(CheckRequest request) {
    List<Header> headers = new ArrayList<>();
    headers.add(new Header("Origin", request.origin().serialize()));
    headers.addAll(request.headers());
    if (request.data() != null && request.headers().stream().noneMatch(h -> h.is("Content-Type"))) {
      headers.add(new Header("Content-Type", "text/plain;charset=UTF-8"));
    }
    return new OutgoingRequest(
        OutgoingRequest.Kind.ACTUAL,
        request.method().toUpperCase(Locale.ROOT),
        request.url(),
        headers);
  }

  static int effectivePort(URI uri) {
    if (uri.getPort() >= 0) {
      return uri.getPort();
    }
    return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
  }

  private <T> T await(Future<T> f) {
    long budget =
        options.connectTimeout().toMillis() * 2 + options.responseTimeout().toMillis() * 3 + 10_000;
    try {
      return f.get(budget, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a probe failed unexpectedly", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("a probe overran its time budget", e);
    }
  }

  private static final class Named implements java.util.concurrent.ThreadFactory {
    private final AtomicInteger n = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "cors-doctor-probe-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
