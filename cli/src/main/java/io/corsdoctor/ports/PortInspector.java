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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Inspects a port: who listens, and which process a connection to each loopback address and to
 * every address of {@code localhost} reaches, proven by connecting and asking the OS who holds the
 * server side of the connection.
 */
public final class PortInspector {
  private final PortOwners owners;
  private final KnownPorts known;
  private final int connectTimeoutMillis;

  public PortInspector(PortOwners owners, KnownPorts known) {
    this(owners, known, 1000);
  }

  public PortInspector(PortOwners owners, KnownPorts known, int connectTimeoutMillis) {
    this.owners = owners;
    this.known = known;
    this.connectTimeoutMillis = connectTimeoutMillis;
  }

  /** Listeners only, no connection (what {@code ports} shows). */
  public PortReport listenersOnly(int port, List<Listener> listeners) {
    return new PortReport(
        port,
        listeners,
        List.of(),
        List.of(),
        known.matches(port, listeners),
        reserved(port),
        List.of());
  }

  /** The whole inspection of one port, connecting to it when something listens. */
  public PortReport inspect(int port) {
    List<Listener> listeners = owners.listeners(port);
    List<String> notes = new ArrayList<>();
    List<String> localhost = resolveLocalhost(notes);
    List<Reach> reaches = new ArrayList<>();
    if (!listeners.isEmpty()) {
      List<String> targets = new ArrayList<>(List.of("127.0.0.1", "::1"));
      for (String a : localhost) {
        if (!targets.contains(a)) {
          targets.add(a);
        }
      }
      for (String t : targets) {
        reaches.add(reach(t, port, listeners));
      }
      listeners = proveV6Only(listeners, reaches, notes);
    }
    return new PortReport(
        port, listeners, reaches, localhost, known.matches(port, listeners), reserved(port), notes);
  }

  private List<PortRange> reserved(int port) {
    return owners.reservedRanges().stream().filter(r -> r.contains(port)).toList();
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

  private Reach reach(String address, int port, List<Listener> listeners) {
    InetAddress target;
    try {
      target = InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      return new Reach(address, Reach.Outcome.FAILED, null, null, e.getMessage());
    }
    InetSocketAddress server = new InetSocketAddress(target, port);
    try (Socket s = new Socket()) {
      s.connect(server, connectTimeoutMillis);
      InetSocketAddress local = (InetSocketAddress) s.getLocalSocketAddress();
      Optional<ProcessInfo> acceptor = owners.acceptorOf(local, server);
      if (acceptor.isEmpty()) {
        return new Reach(
            address,
            Reach.Outcome.ACCEPTED,
            null,
            listenerFor(target, null, listeners),
            "connected, but the OS does not show which process accepted it (another user's"
                + " process, or it has not accepted the connection yet); run with sudo to see it");
      }
      Listener l = listenerFor(target, acceptor.get().pid(), listeners);
      return new Reach(address, Reach.Outcome.ACCEPTED, acceptor.get(), l, null);
    } catch (ConnectException e) {
      return new Reach(address, Reach.Outcome.REFUSED, null, null, "connection refused");
    } catch (SocketTimeoutException e) {
      return new Reach(
          address,
          Reach.Outcome.TIMEOUT,
          null,
          null,
          "no answer within " + connectTimeoutMillis + " ms (accept queue full?)");
    } catch (IOException e) {
      return new Reach(address, Reach.Outcome.FAILED, null, null, e.getMessage());
    }
  }

  /**
   * The listener of {@code pid} that a connection to {@code target} went to: the one bound to the
   * address itself, else the family's wildcard, else (IPv4 targets) a dual-stack IPv6 wildcard.
   */
  static Listener listenerFor(InetAddress target, Long pid, List<Listener> listeners) {
    String t = text(target);
    List<Listener> mine =
        listeners.stream()
            .filter(l -> pid == null || (l.owner() != null && l.owner().pid() == pid))
            .toList();
    if (pid == null && listeners.size() != 1) {
      return null; // cannot tell which of several
    }
    String family = target instanceof Inet6Address ? "ipv6" : "ipv4";
    for (Listener l : mine) {
      if (l.address().equals(t)) {
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
    Map<Listener, Listener> replaced = new LinkedHashMap<>();
    for (Listener l : listeners) {
      if (!(l.family().equals("ipv6") && l.wildcard())) {
        continue;
      }
      if (v4 != null && v4.listener() != null && v4.listener().equals(l)) {
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
