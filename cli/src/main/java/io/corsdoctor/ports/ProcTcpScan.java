package io.corsdoctor.ports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteOrder;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One look at {@code /proc/net/tcp} and {@code /proc/net/tcp6} for one port that reads no further
 * than it must. The kernel formats these files as they are read, and with tens of thousands of
 * sockets formatting is what costs (bench/ports: ~50 ms for 30,000 sockets on a quiet machine).
 * Listeners come first in each file (the kernel's listening hash, then its established hash), so
 *
 * <ul>
 *   <li>listeners alone cost only the listening part of each file;
 *   <li>for connections, the reading stops as soon as one server end per server address is found. A
 *       caller that opens several connections to the same address (see {@link
 *       PortOwners#probesPerAddress()}) makes that early: the first of k connections scattered over
 *       the hash table lies on average 1/(k+1) into it.
 * </ul>
 *
 * Both files are read at once, on two threads; an IPv4 connection accepted by a dual-stack IPv6
 * socket is found in {@code tcp6}, and then the {@code tcp} reader stops too.
 */
final class ProcTcpScan {
  private ProcTcpScan() {}

  /**
   * @param listeners the port's listening sockets (every listener when the port is -1)
   * @param serverEnds the server ends found, per connection: at least one per server address unless
   *     the kernel has none yet with an owner (inode 0: not accepted yet)
   */
  record Result(List<TcpSocket> listeners, Map<Connection, TcpSocket> serverEnds) {}

  static Result scan(ProcFs proc, int port, List<Connection> connections) {
    Set<InetAddress> wanted = new HashSet<>();
    for (Connection c : connections) {
      wanted.add(c.server().getAddress());
    }
    Set<InetAddress> wantedV4 = new HashSet<>();
    for (InetAddress a : wanted) {
      if (a instanceof Inet4Address) {
        wantedV4.add(a);
      }
    }
    Set<InetAddress> found = ConcurrentHashMap.newKeySet();
    Map<Connection, TcpSocket> ends = new ConcurrentHashMap<>();
    List<TcpSocket> listeners = java.util.Collections.synchronizedList(new ArrayList<>());
    ProcNetTcpParser.Filter filter = new ProcNetTcpParser.Filter(-1, port);

    UncheckedIOException[] v6Failure = new UncheckedIOException[1];
    Thread v6 =
        new Thread(
            () -> {
              try {
                read(proc, true, filter, connections, listeners, ends, found, wanted);
              } catch (UncheckedIOException e) {
                v6Failure[0] = e;
              }
            },
            "cors-doctor-tcp6");
    v6.setDaemon(true);
    v6.start();
    read(proc, false, filter, connections, listeners, ends, found, wantedV4);
    try {
      v6.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (v6Failure[0] != null) {
      throw v6Failure[0];
    }
    return new Result(List.copyOf(listeners), Map.copyOf(ends));
  }

  /** Reads one file until its listeners are read and {@code enough} server addresses are found. */
  private static void read(
      ProcFs proc,
      boolean ipv6,
      ProcNetTcpParser.Filter filter,
      List<Connection> connections,
      List<TcpSocket> listeners,
      Map<Connection, TcpSocket> ends,
      Set<InetAddress> found,
      Set<InetAddress> enough) {
    String file = ipv6 ? "net/tcp6" : "net/tcp";
    try (InputStream in = proc.open(file)) {
      ProcNetTcpParser.stream(
          in,
          ipv6,
          filter,
          ByteOrder.nativeOrder(),
          new TableReader(connections, listeners, ends, found, enough));
    } catch (NoSuchFileException e) {
      if (!ipv6) {
        throw new UncheckedIOException("cannot read " + proc.root() + "/" + file, e);
      }
      // no IPv6 in this kernel: nothing listens on IPv6
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + proc.root() + "/" + file, e);
    }
  }

  /**
   * Keeps the listeners and the server ends of the connections; done once past the listeners with
   * {@code enough} server addresses found, by this file or the other one (an IPv4 connection
   * accepted by a dual-stack IPv6 socket is in {@code tcp6}), which it checks after each piece
   * read.
   */
  private static final class TableReader implements ProcNetTcpParser.Sink {
    private final List<Connection> connections;
    private final List<TcpSocket> listeners;
    private final Map<Connection, TcpSocket> ends;
    private final Set<InetAddress> found;
    private final Set<InetAddress> enough;
    private boolean listening = true;

    TableReader(
        List<Connection> connections,
        List<TcpSocket> listeners,
        Map<Connection, TcpSocket> ends,
        Set<InetAddress> found,
        Set<InetAddress> enough) {
      this.connections = connections;
      this.listeners = listeners;
      this.ends = ends;
      this.found = found;
      this.enough = enough;
    }

    @Override
    public boolean line(int state, TcpSocket s) {
      if (listening && (state == TcpSocket.LISTEN || state == ProcNetTcpParser.SYN_RECV)) {
        if (s != null && state == TcpSocket.LISTEN) {
          listeners.add(s);
        }
        return true;
      }
      listening = false;
      if (s != null && state == TcpSocket.ESTABLISHED) {
        for (Connection c : connections) {
          if (s.remotePort() == c.clientLocal().getPort()
              && same(s.remote(), c.clientLocal().getAddress())
              && same(s.local(), c.server().getAddress())) {
            ends.put(c, s);
            if (s.inode() != 0) {
              found.add(c.server().getAddress());
            }
          }
        }
      }
      return more();
    }

    @Override
    public boolean more() {
      return listening || !found.containsAll(enough);
    }
  }

  private static boolean same(InetAddress a, InetAddress b) {
    return Arrays.equals(a.getAddress(), b.getAddress());
  }
}
