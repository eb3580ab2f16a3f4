package io.corsdoctor.ports;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Inspects a port: who listens, and which process a connection to each loopback address and to
 * every address of {@code localhost} reaches, proven by connecting and asking the OS who holds the
 * server side of the connection.
 */
public final class PortInspector {
  private final PortOwners owners;
  private final java.util.function.Supplier<KnownPorts> catalogue;
  private final int connectTimeoutMillis;

  public PortInspector(PortOwners owners, KnownPorts known) {
    this(owners, known, 1000);
  }

  public PortInspector(PortOwners owners, KnownPorts known, int connectTimeoutMillis) {
    this(owners, () -> known, connectTimeoutMillis);
  }

  /**
   * With the catalogue still loading: it is asked for only once the sockets are known, so a caller
   * may load it meanwhile.
   */
  public PortInspector(
      PortOwners owners,
      java.util.function.Supplier<KnownPorts> catalogue,
      int connectTimeoutMillis) {
    this.owners = owners;
    this.catalogue = catalogue;
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  /** Nanosecond marks of the last {@link #inspect}, formatted only when asked. */
  private volatile long[] marks;

  /** Where the last {@link #inspect} spent its time (for --debug). */
  public String timing() {
    long[] t = marks;
    return t == null
        ? ""
        : String.format(
            java.util.Locale.ROOT,
            "resolve localhost and connect to 127.0.0.1, ::1 %.1f ms, connect to the rest %.1f"
                + " ms, sockets and owners %.1f ms, catalogue %.1f ms",
            (t[1] - t[0]) / 1e6,
            (t[2] - t[1]) / 1e6,
            (t[3] - t[2]) / 1e6,
            (t[4] - t[3]) / 1e6);
  }

  /** Listeners only, no connection (what {@code ports} shows). */
  public PortReport listenersOnly(int port, List<Listener> listeners) {
    return new PortReport(
        port,
        listeners,
        List.of(),
        List.of(),
        catalogue.get().matches(port, listeners),
        reserved(port),
        List.of());
  }

  /** The whole inspection of one port, connecting to it on every loopback address. */
  public PortReport inspect(int port) {
    long t0 = System.nanoTime();
    owners.prepare(List.of(port));
    List<String> notes = new ArrayList<>();
    // localhost resolves on another thread while the two loopback addresses are connected to.
    Background<List<String>> resolving =
        Background.start("cors-doctor-resolve-localhost", () -> resolveLocalhost(notes));
    List<String> targets = new ArrayList<>(List.of("127.0.0.1", "::1"));
    List<String> localhost = List.of();
    long t1 = t0;
    // Connect first and keep the connections open while the OS is asked who holds their server
    // ends: one look at the socket tables then covers the listeners and every connection.
    List<Attempt> attempts = new ArrayList<>();
    try {
      for (int i = 0; i < targets.size(); i++) {
        String t = targets.get(i);
        Attempt a = connect(t, port);
        attempts.add(a);
        for (int n = 1; n < owners.probesPerAddress() && a.connection != null; n++) {
          // An extra connection only speeds the lookup up: it must not wait long when a server
          // with a short accept queue (Python's socketserver: 5) has not taken the first ones yet.
          Attempt more = connect(t, port, Math.min(connectTimeoutMillis, EXTRA_PROBE_MILLIS));
          if (more.connection == null) {
            break;
          }
          a.more.add(more);
        }
        if (i == 1) { // both loopback addresses done: add what localhost resolves to
          localhost = resolving.join();
          t1 = System.nanoTime();
          for (String l : localhost) {
            if (!targets.contains(l)) {
              targets.add(l);
            }
          }
        }
      }
      List<Connection> open = new ArrayList<>();
      for (Attempt a : attempts) {
        if (a.connection != null) {
          open.add(a.connection);
          a.more.forEach(m -> open.add(m.connection));
        }
      }
      long t2 = System.nanoTime();
      PortSnapshot snap = owners.snapshot(port, open);
      long t3 = System.nanoTime();
      List<Listener> listeners = snap.listeners();
      List<Reach> reaches = new ArrayList<>();
      if (!listeners.isEmpty() || !open.isEmpty()) {
        for (Attempt a : attempts) {
          reaches.add(a.reach(snap, listeners));
        }
        listeners = proveV6Only(listeners, reaches, notes);
      }
      List<KnownPort.Match> matches = catalogue.get().matches(port, listeners);
      List<PortRange> reserved = reserved(port);
      // Not String.format here: its first call costs a short run milliseconds; --debug asks.
      marks = new long[] {t0, t1, t2, t3, System.nanoTime()};
      return new PortReport(port, listeners, reaches, localhost, matches, reserved, notes);
    } finally {
      for (Attempt a : attempts) {
        a.close();
      }
    }
  }

  private List<PortRange> reserved(int port) {
    return owners.reservedRanges().stream().filter(r -> r.contains(port)).toList();
  }

  /**
   * Starts, on a thread of its own, what the first connection of a fresh JVM pays for (loading and
   * initialising the socket classes and native libraries: about 10 ms) and resolves localhost once
   * (the JDK keeps the answer for 30 s), so that a caller that starts this while it has other work
   * (parsing the arguments) finds both done. Opens and closes one unconnected socket: no traffic.
   */
  public static void warmUp() {
    Background.start(
        "cors-doctor-warm-up",
        () -> {
          new Socket().close();
          java.nio.channels.SocketChannel.open().close();
          resolveLocalhost(new ArrayList<>());
          return null;
        });
  }

  private static List<String> resolveLocalhost(List<String> notes) {
    List<String> out = new ArrayList<>();
    try {
      for (InetAddress a : InetAddress.getAllByName("localhost")) {
        String s = text(a);
        if (!out.contains(s)) {
          out.add(s);
        }
      }
    } catch (UnknownHostException e) {
      notes.add("localhost does not resolve on this machine (" + e.getMessage() + ").");
    }
    return out;
  }

  /** One connection attempt to one address: open (with its socket) or failed (with why). */
  private final class Attempt {
    final String address;
    final Socket socket;
    final Connection connection;
    final Reach failure;

    /** Further connections to the same address ({@link PortOwners#probesPerAddress()}). */
    final List<Attempt> more = new ArrayList<>();

    Attempt(String address, Socket socket, Connection connection, Reach failure) {
      this.address = address;
      this.socket = socket;
      this.connection = connection;
      this.failure = failure;
    }

    Reach reach(PortSnapshot snap, List<Listener> listeners) {
      if (failure != null) {
        return failure;
      }
      Connection connection = this.connection;
      ProcessInfo acceptor = snap.acceptors().get(connection);
      for (Attempt m : more) {
        if (acceptor == null && snap.acceptors().containsKey(m.connection)) {
          connection = m.connection; // the one whose server end the OS showed first
          acceptor = snap.acceptors().get(connection);
        }
      }
      InetAddress target = connection.server().getAddress();
      if (acceptor == null) {
        return new Reach(
            address,
            Reach.Outcome.ACCEPTED,
            null,
            listenerFor(target, null, listeners),
            "connected, but the OS does not show which process accepted it (another user's"
                + " process, or one that has not accepted the connection yet); run with sudo to"
                + " see it");
      }
      Boolean viaV6 = snap.acceptedByIpv6Socket().get(connection);
      Listener l = listenerFor(target, acceptor.pid(), listeners, viaV6);
      String note =
          target instanceof Inet4Address && Boolean.TRUE.equals(viaV6)
              ? "an IPv6 socket accepted this IPv4 connection (dual-stack)"
              : null;
      return new Reach(address, Reach.Outcome.ACCEPTED, acceptor, l, note);
    }

    void close() {
      more.forEach(Attempt::close);
      if (socket != null) {
        try {
          socket.close();
        } catch (IOException e) {
          // closing a probe: nothing to do
        }
      }
    }
  }

  /** How long an extra connection to an address already reached may take. */
  static final int EXTRA_PROBE_MILLIS = 100;

  private Attempt connect(String address, int port) {
    return connect(address, port, connectTimeoutMillis);
  }

  private Attempt connect(String address, int port, int timeoutMillis) {
    InetAddress target;
    try {
      target = InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      return new Attempt(
          address,
          null,
          null,
          new Reach(address, Reach.Outcome.FAILED, null, null, e.getMessage()));
    }
    InetSocketAddress server = new InetSocketAddress(target, port);
    Socket s = new Socket();
    try {
      s.connect(server, timeoutMillis);
      return new Attempt(
          address, s, new Connection((InetSocketAddress) s.getLocalSocketAddress(), server), null);
    } catch (IOException e) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already failed
      }
      Reach r =
          e instanceof ConnectException
              ? new Reach(address, Reach.Outcome.REFUSED, null, null, "connection refused")
              : e instanceof SocketTimeoutException
                  ? new Reach(
                      address,
                      Reach.Outcome.TIMEOUT,
                      null,
                      null,
                      "no answer within " + timeoutMillis + " ms (accept queue full?)")
                  : new Reach(address, Reach.Outcome.FAILED, null, null, e.getMessage());
      return new Attempt(address, null, null, r);
    }
  }

  /**
   * The listener of {@code pid} that a connection to {@code target} went to: the one bound to the
   * address itself, else the family's wildcard, else (IPv4 targets) a dual-stack IPv6 wildcard.
   */
  static Listener listenerFor(InetAddress target, Long pid, List<Listener> listeners) {
    return listenerFor(target, pid, listeners, null);
  }

  /**
   * As above; {@code viaV6} (the OS says an IPv6 socket holds the server end) settles whether an
   * IPv4 connection went to a dual-stack IPv6 wildcard.
   */
  static Listener listenerFor(
      InetAddress target, Long pid, List<Listener> listeners, Boolean viaV6) {
    String t = text(target);
    List<Listener> mine =
        listeners.stream()
            .filter(l -> pid == null || (l.owner() != null && l.owner().pid() == pid))
            .toList();
    if (pid == null && listeners.size() != 1) {
      return null; // cannot tell which of several
    }
    String family = target instanceof Inet6Address ? "ipv6" : "ipv4";
    if (target instanceof Inet4Address && Boolean.TRUE.equals(viaV6)) {
      family = "ipv6-dual";
    }
    for (Listener l : mine) {
      if (l.address().equals(t) && !family.equals("ipv6-dual")) {
        return l;
      }
    }
    for (Listener l : mine) {
      if (l.wildcard() && l.family().equals(family)) {
        return l;
      }
    }
    if (target instanceof Inet4Address) {
      for (Listener l : mine) {
        if (l.address().equals("::ffff:" + t)) {
          return l;
        }
      }
      for (Listener l : mine) {
        if (l.wildcard() && l.family().equals("ipv6")) {
          return l;
        }
      }
    }
    return null;
  }

  /**
   * An IPv6 wildcard that took a connection to 127.0.0.1 is dual-stack, proven; one that exists
   * while 127.0.0.1 is refused is IPv6-only, proven.
   */
  private static List<Listener> proveV6Only(
      List<Listener> listeners, List<Reach> reaches, List<String> notes) {
    Reach v4 =
        reaches.stream().filter(r -> r.address().equals("127.0.0.1")).findFirst().orElse(null);
    // Keyed by identity: the reaches name elements of this very list. (A record's own equals and
    // hashCode are bootstrapped through method handles on first use, tens of ms of a short run.)
    Map<Listener, Listener> replaced = new java.util.IdentityHashMap<>();
    for (Listener l : listeners) {
      if (!(l.family().equals("ipv6") && l.wildcard())) {
        continue;
      }
      if (v4 != null && v4.listener() == l) {
        replaced.put(l, l.withV6Only(false));
        notes.add(
            l.endpoint()
                + " is dual-stack: it accepted the connection to 127.0.0.1 (an IPv4-mapped"
                + " connection).");
      } else if (v4 != null && v4.outcome() == Reach.Outcome.REFUSED) {
        replaced.put(l, l.withV6Only(true));
        notes.add(l.endpoint() + " is IPv6-only: 127.0.0.1 was refused while it listens.");
      }
    }
    List<Listener> out = new ArrayList<>();
    for (Listener l : listeners) {
      out.add(replaced.getOrDefault(l, l));
    }
    return out;
  }

  static String text(InetAddress a) {
    String s = a.getHostAddress();
    int pct = s.indexOf('%');
    if (pct >= 0) {
      s = s.substring(0, pct);
    }
    return s.equals("0:0:0:0:0:0:0:1") ? "::1" : s;
  }
}
