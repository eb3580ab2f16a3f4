package io.corsdoctor.ports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Linux backend reading {@code /proc} directly: {@code /proc/net/tcp{,6}} for sockets (with their
 * owner uid and inode), then {@code /proc/PID/fd} to find the process holding each socket inode.
 *
 * <p>It fills what OSHI leaves out here: the socket's user even when the process is hidden, the
 * difference between "hidden by permissions" and "held by no visible process", and a lookup of one
 * port that does not build the whole machine's connection table (see bench/ports).
 */
public final class LinuxProcPortOwners implements PortOwners {
  private final ProcFs proc;
  private final Map<Long, Optional<ProcessInfo>> processes = new HashMap<>();

  /** The live {@code /proc}. */
  public LinuxProcPortOwners() {
    this(Path.of("/proc"));
  }

  LinuxProcPortOwners(Path procRoot) {
    this.proc = new ProcFs(procRoot);
  }

  /** Present when this machine has a readable {@code /proc/net/tcp}. */
  public static Optional<PortOwners> ifSupported() {
    return java.nio.file.Files.isReadable(Path.of("/proc/net/tcp"))
        ? Optional.of(new LinuxProcPortOwners())
        : Optional.empty();
  }

  @Override
  public List<Listener> listeners(int port) {
    return toListeners(sockets(new ProcNetTcpParser.Filter(TcpSocket.LISTEN, port)));
  }

  @Override
  public List<Listener> allListeners() {
    return toListeners(sockets(new ProcNetTcpParser.Filter(TcpSocket.LISTEN, -1)));
  }

  @Override
  public Optional<ProcessInfo> acceptorOf(InetSocketAddress clientLocal, InetSocketAddress server) {
    // A connection the server has not accept()ed yet waits in the listener's queue with inode 0;
    // give the server a moment to take it.
    long deadline = System.nanoTime() + 300_000_000L;
    while (true) {
      Optional<TcpSocket> s = serverSide(clientLocal, server);
      if (s.isEmpty()) {
        return Optional.empty();
      }
      if (s.get().inode() != 0) {
        SocketOwners.Result r = SocketOwners.find(proc, Map.of(s.get().inode(), s.get().uid()));
        Long pid = r.owners().get(s.get().inode());
        return pid == null ? Optional.empty() : process(pid);
      }
      if (System.nanoTime() > deadline) {
        return Optional.empty();
      }
      sleep(10);
    }
  }

  /**
   * The server's end of the connection from {@code clientLocal} to {@code server}, as the kernel
   * lists it: whether it is in {@code tcp6} (an IPv6 socket, dual-stack when the peer is IPv4)
   * tells which family of listener accepted it.
   */
  public Optional<TcpSocket> serverSide(InetSocketAddress clientLocal, InetSocketAddress server) {
    for (TcpSocket s :
        sockets(new ProcNetTcpParser.Filter(TcpSocket.ESTABLISHED, server.getPort()))) {
      if (s.remotePort() == clientLocal.getPort()
          && same(s.remote(), clientLocal.getAddress())
          && same(s.local(), server.getAddress())) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static boolean same(InetAddress a, InetAddress b) {
    return java.util.Arrays.equals(a.getAddress(), b.getAddress());
  }

  private List<TcpSocket> sockets(ProcNetTcpParser.Filter filter) {
    List<TcpSocket> all = new ArrayList<>();
    try {
      all.addAll(ProcNetTcpParser.parse(proc.read("net/tcp"), false, filter));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + proc.root() + "/net/tcp", e);
    }
    try {
      all.addAll(ProcNetTcpParser.parse(proc.read("net/tcp6"), true, filter));
    } catch (IOException e) {
      // no IPv6 in this kernel: nothing listens on IPv6
    }
    return all;
  }

  private List<Listener> toListeners(List<TcpSocket> sockets) {
    Map<Long, Integer> wanted = new HashMap<>();
    for (TcpSocket s : sockets) {
      if (s.inode() != 0) {
        wanted.put(s.inode(), s.uid());
      }
    }
    SocketOwners.Result found = SocketOwners.find(proc, wanted);
    List<Listener> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (TcpSocket s : sockets) {
      String address = s.local().getHostAddress();
      String family = s.ipv6() && !(s.local() instanceof Inet4Address) ? "ipv6" : "ipv4";
      if (s.ipv6() && s.local() instanceof Inet4Address) {
        address = "::ffff:" + address; // an IPv6 socket bound to a v4-mapped address
        family = "ipv6";
      }
      address = normalise(address);
      Long pid = found.owners().get(s.inode());
      ProcessInfo owner = pid == null ? null : process(pid).orElse(null);
      String hidden = owner != null ? null : hiddenReason(s, found);
      String key = address + "|" + s.localPort() + "|" + (owner == null ? s.inode() : owner.pid());
      if (seen.add(key)) { // SO_REUSEPORT groups in one process show once per process
        out.add(
            new Listener(
                address, family, s.localPort(), null, owner, hidden, proc.userName(s.uid())));
      }
    }
    out.sort(
        Comparator.comparingInt(Listener::port)
            .thenComparing(Listener::family)
            .thenComparing(Listener::address));
    return out;
  }

  private String hiddenReason(TcpSocket s, SocketOwners.Result found) {
    String user = proc.userName(s.uid());
    if (s.inode() == 0) {
      return "no process holds this socket (a kernel socket, or one being closed)";
    }
    if (!found.deniedUids().isEmpty() && (found.deniedUids().contains(s.uid()))) {
      return "the socket belongs to user "
          + user
          + ", whose processes the OS hides from you; run with sudo to see the process";
    }
    if (!found.deniedUids().isEmpty()) {
      return "the socket belongs to user "
          + user
          + " and no process you can see holds it; run with sudo to see every process";
    }
    return "the socket belongs to user "
        + user
        + " but no process visible here holds it (it may live in another PID namespace: a"
        + " container, a sandbox or WSL)";
  }

  private static String normalise(String address) {
    return switch (address) {
      case "0:0:0:0:0:0:0:0" -> "::";
      case "0:0:0:0:0:0:0:1" -> "::1";
      default -> address.contains(":") ? compress(address) : address;
    };
  }

  /** {@code fe80:0:0:0:1:2:3:4} to {@code fe80::1:2:3:4} (longest run of zero groups). */
  static String compress(String full) {
    String[] g = full.split(":");
    int bestAt = -1;
    int bestLen = 0;
    for (int i = 0; i < g.length; ) {
      int j = i;
      while (j < g.length && g[j].equals("0")) {
        j++;
      }
      if (j - i > bestLen && j - i > 1) {
        bestAt = i;
        bestLen = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    if (bestAt < 0) {
      return full;
    }
    String head = String.join(":", java.util.Arrays.copyOfRange(g, 0, bestAt));
    String tail = String.join(":", java.util.Arrays.copyOfRange(g, bestAt + bestLen, g.length));
    return head + "::" + tail;
  }

  private synchronized Optional<ProcessInfo> process(long pid) {
    return processes.computeIfAbsent(pid, proc::process);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
