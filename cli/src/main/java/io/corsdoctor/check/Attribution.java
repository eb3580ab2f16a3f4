package io.corsdoctor.check;

import io.corsdoctor.ports.Connection;
import io.corsdoctor.ports.Listener;
import io.corsdoctor.ports.PortOwners;
import io.corsdoctor.ports.PortSnapshot;
import io.corsdoctor.ports.ProcessInfo;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Finds who accepted each probe's connection while it is open, batching the connections that
 * different addresses open at about the same time into one look at the socket tables ({@link
 * PortOwners#snapshot}), which also gives the port's listeners. Reading the tables is the slow part
 * (a busy machine has tens of thousands of sockets in TIME_WAIT), so it happens once per check in
 * the common case: a later connection to an address already looked at (the actual request after the
 * preflight) is credited to the same process, as the same listening socket accepts it.
 */
final class Attribution {
  /** How long the first connection of a round waits for the other addresses' connections. */
  private static final long GATHER_NANOS = 25_000_000L;

  private final PortOwners owners;
  private final int port;
  private final int addresses;
  private final Object lock = new Object();
  private Batch open;
  private volatile List<Listener> listeners;
  private final Map<InetSocketAddress, Optional<ProcessInfo>> known = new ConcurrentHashMap<>();

  Attribution(PortOwners owners, int port, int addresses) {
    this.owners = owners;
    this.port = port;
    this.addresses = addresses;
  }

  private static final class Batch {
    final List<Connection> connections = new ArrayList<>();
    final CountDownLatch full = new CountDownLatch(1);
    final CountDownLatch done = new CountDownLatch(1);
    volatile Map<Connection, ProcessInfo> acceptors = Map.of();
  }

  /** Who accepted this open connection, or null when unseen; blocks while the batch is read. */
  ProcessInfo acceptorOf(InetSocketAddress local, InetSocketAddress server) {
    Connection c = new Connection(local, server);
    if (server.getPort() != port) {
      return safely(() -> owners.acceptorOf(local, server).orElse(null));
    }
    Optional<ProcessInfo> seen = known.get(server);
    if (seen != null) {
      return seen.orElse(null);
    }
    Batch b;
    boolean leader;
    synchronized (lock) {
      if (open == null) {
        open = new Batch();
      }
      b = open;
      b.connections.add(c);
      leader = b.connections.size() == 1;
      if (b.connections.size() >= addresses) {
        b.full.countDown();
      }
    }
    try {
      if (leader) {
        b.full.await(GATHER_NANOS, TimeUnit.NANOSECONDS);
        List<Connection> batch;
        synchronized (lock) {
          open = null;
          batch = List.copyOf(b.connections);
        }
        PortSnapshot s = safely(() -> owners.snapshot(port, batch));
        if (s != null) {
          b.acceptors = s.acceptors();
          listeners = s.listeners();
        }
        b.done.countDown();
      } else {
        b.done.await(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
    ProcessInfo found = b.acceptors.get(c);
    if (found != null) {
      known.putIfAbsent(server, Optional.of(found));
    }
    return found;
  }

  /** The port's listeners as last seen, or a fresh look when no connection was ever made. */
  List<Listener> listeners() {
    List<Listener> l = listeners;
    if (l != null) {
      return l;
    }
    List<Listener> fresh = safely(() -> owners.listeners(port));
    return fresh == null ? List.of() : fresh;
  }

  private static <T> T safely(java.util.function.Supplier<T> s) {
    try {
      return s.get();
    } catch (RuntimeException e) {
      return null;
    }
  }
}
