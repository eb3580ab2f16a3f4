package io.corsdoctor.ports;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
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

  /** Details of the processes named so far (the read-ahead thread adds some). */
  private final Map<Long, Optional<ProcessInfo>> processes =
      new java.util.concurrent.ConcurrentHashMap<>();

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
    return snapshot(port, List.of()).listeners();
  }

  /**
   * Every listener of the machine. Called again and again by {@code ports --watch}: an inode is one
   * socket for as long as it lives, so owners found before are kept while their process lives,
   * sockets whose owner was hidden stay hidden, and only new listeners are searched for (one poll
   * then costs the listening part of the tables, not every descriptor of the machine).
   */
  @Override
  public synchronized List<Listener> allListeners() {
    List<TcpSocket> sockets = ProcTcpScan.scan(proc, -1, List.of()).listeners();
    Map<Long, Integer> wanted = inodes(sockets);
    Map<Long, Long> owners = new HashMap<>();
    for (Map.Entry<Long, Long> e : seenOwners.entrySet()) {
      if (wanted.containsKey(e.getKey()) && proc.alive(e.getValue())) {
        owners.put(e.getKey(), e.getValue());
      }
    }
    Map<Long, Integer> search = new HashMap<>(wanted);
    search.keySet().removeAll(owners.keySet());
    search.keySet().removeAll(seenHidden);
    SocketOwners.Result found = SocketOwners.find(proc, search);
    owners.putAll(found.owners());
    seenDenied.addAll(found.deniedUids());
    seenOwners.clear();
    seenOwners.putAll(owners);
    seenHidden.retainAll(wanted.keySet());
    for (Long inode : search.keySet()) {
      if (!found.owners().containsKey(inode)) {
        seenHidden.add(inode);
      }
    }
    return toListeners(
        sockets,
        new SocketOwners.Result(
            owners, Set.copyOf(seenDenied), found.processesRead(), found.descriptorsRead()));
  }

  /** What earlier {@link #allListeners} calls found: inode to owner, owners not found, denials. */
  private final Map<Long, Long> seenOwners = new HashMap<>();

  private final Set<Long> seenHidden = new HashSet<>();
  private final Set<Integer> seenDenied = new HashSet<>();

  @Override
  public Optional<ProcessInfo> acceptorOf(InetSocketAddress clientLocal, InetSocketAddress server) {
    Connection c = new Connection(clientLocal, server);
    return Optional.ofNullable(snapshot(server.getPort(), List.of(c)).acceptors().get(c));
  }

  /**
   * One read of the kernel's socket tables for the port (listeners and the server ends of the given
   * connections together), then one search for the processes holding them.
   */
  @Override
  public PortSnapshot snapshot(int port, List<Connection> connections) {
    long t0 = System.nanoTime();
    // The census of processes the owner search needs runs in the background (started by prepare()
    // or now) while this thread reads the socket tables: two independent costs, two cores.
    Prepared pending = takePrepared();
    ProcTcpScan.Result scan = ProcTcpScan.scan(proc, port, connections);
    long tTables = System.nanoTime();
    Map<Long, ProcFs.FdDir> census = pending.census.join();
    SocketIndex early = pending.stopReadingAhead();
    long tCensus = System.nanoTime();
    // A connection the server has not accept()ed yet waits in the listener's queue with inode 0;
    // give the server a moment to take it.
    long deadline = System.nanoTime() + 300_000_000L;
    while (waiting(scan.serverEnds()) && System.nanoTime() < deadline) {
      sleep(10);
      scan = ProcTcpScan.scan(proc, port, connections);
    }
    Map<Connection, TcpSocket> serverEnds = new HashMap<>(scan.serverEnds());
    serverEnds.values().removeIf(x -> x.inode() == 0);
    long t1 = System.nanoTime();
    List<TcpSocket> listening = scan.listeners();
    // First the listeners' owners, then the server ends of the connections, which their owners
    // (or children sharing the listening socket) almost always hold.
    SocketOwners.Result found =
        SocketOwners.find(proc, inodes(listening), List.of(), census, early);
    Map<Long, Integer> accepted = inodes(List.copyOf(serverEnds.values()));
    accepted.keySet().removeAll(found.owners().keySet());
    if (!accepted.isEmpty()) {
      List<Long> likely = found.owners().values().stream().distinct().toList();
      SocketOwners.Result more = SocketOwners.find(proc, accepted, likely, census);
      Map<Long, Long> owners = new HashMap<>(found.owners());
      owners.putAll(more.owners());
      Set<Integer> denied = new HashSet<>(found.deniedUids());
      denied.addAll(more.deniedUids());
      found =
          new SocketOwners.Result(
              owners,
              denied,
              found.processesRead() + more.processesRead(),
              found.descriptorsRead() + more.descriptorsRead());
    }
    Map<Connection, ProcessInfo> acceptors = new HashMap<>();
    Map<Connection, Boolean> viaV6 = new HashMap<>();
    for (Map.Entry<Connection, TcpSocket> e : serverEnds.entrySet()) {
      viaV6.put(e.getKey(), e.getValue().ipv6());
      Long pid = found.owners().get(e.getValue().inode());
      if (pid != null) {
        process(pid).ifPresent(p -> acceptors.put(e.getKey(), p));
      }
    }
    List<Listener> listeners = toListeners(listening, found);
    // Kept as numbers: formatted only when --debug asks (backendName), since String.format's first
    // call costs a short run several milliseconds.
    lastTiming =
        new long[] {
          t0,
          tTables,
          tCensus,
          t1,
          System.nanoTime(),
          connections.isEmpty() ? 0 : 1,
          census.size(),
          early == null ? 0 : early.descriptors(),
          found.processesRead(),
          found.descriptorsRead()
        };
    return new PortSnapshot(listeners, acceptors, viaV6);
  }

  /** Marks and counts of the last snapshot (see {@link #snapshot}); null before the first. */
  private volatile long[] lastTiming;

  @Override
  public String backendName() {
    long[] t = lastTiming;
    return t == null
        ? "linux-proc ()"
        : String.format(
            java.util.Locale.ROOT,
            "linux-proc (read /proc/net/tcp{,6} (%s) %.1f ms, then waited %.1f ms for the census of"
                + " %d processes and the %d descriptors read ahead; searched %d processes, %d"
                + " descriptors in %.1f ms)",
            t[5] == 0 ? "listeners" : "listeners, then until found",
            (t[1] - t[0]) / 1e6,
            (t[2] - t[1]) / 1e6,
            t[6],
            t[7],
            t[8],
            t[9],
            (t[4] - t[3]) / 1e6);
  }

  /**
   * True while a server address has server ends in the kernel's table but none accepted yet (inode
   * 0): worth another look in a moment.
   */
  private static boolean waiting(Map<Connection, TcpSocket> ends) {
    Set<InetAddress> seen = new HashSet<>();
    Set<InetAddress> accepted = new HashSet<>();
    ends.forEach(
        (c, s) -> {
          seen.add(c.server().getAddress());
          if (s.inode() != 0) {
            accepted.add(c.server().getAddress());
          }
        });
    return !accepted.containsAll(seen);
  }

  /**
   * Linux finds the server ends of connections in a table it formats as text while it is read: with
   * several connections per address the first one turns up early ({@link ProcTcpScan}). Measured
   * with 31,000 sockets (bench/ports): the median time to the first server end was 46 ms with 1
   * connection, 25 ms with 4, 13 ms with 8 and 8 ms with 12; 8 keeps the extra connections a dev
   * server sees modest (each is closed at once, without a request).
   */
  @Override
  public int probesPerAddress() {
    return 8;
  }

  private static Map<Long, Integer> inodes(List<TcpSocket> sockets) {
    Map<Long, Integer> wanted = new HashMap<>();
    for (TcpSocket s : sockets) {
      if (s.inode() != 0) {
        wanted.put(s.inode(), s.uid());
      }
    }
    return wanted;
  }

  private List<Listener> toListeners(List<TcpSocket> sockets, SocketOwners.Result found) {
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
        (a, b) -> {
          int c = Integer.compare(a.port(), b.port());
          c = c != 0 ? c : a.family().compareTo(b.family());
          return c != 0 ? c : a.address().compareTo(b.address());
        });
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

  private Optional<ProcessInfo> process(long pid) {
    return processes.computeIfAbsent(pid, proc::process);
  }

  /**
   * The census taken by {@link #prepare()}, with the sockets read ahead after it ({@link
   * SocketIndex}), for the next {@link #snapshot}.
   */
  private static final class Prepared {
    final Background<Map<Long, ProcFs.FdDir>> census;
    final SocketIndex index; // null: none read ahead
    final Background<Void> reading;

    /**
     * Reads ahead for the listeners of {@code ports} (none: only the census), and hands the pids of
     * their owners to {@code details} (to read what the report shows of them meanwhile).
     */
    Prepared(ProcFs proc, List<Integer> ports, java.util.function.LongConsumer details) {
      census = Background.start("cors-doctor-census", () -> SocketOwners.census(proc));
      index = ports.isEmpty() ? null : new SocketIndex();
      reading =
          ports.isEmpty()
              ? null
              : Background.start(
                  "cors-doctor-read-ahead",
                  () -> {
                    Set<Long> wanted = new HashSet<>();
                    for (TcpSocket s : ProcTcpScan.scan(proc, -1, List.of()).listeners()) {
                      if (ports.contains(s.localPort())) {
                        wanted.add(s.inode());
                      }
                    }
                    if (!wanted.isEmpty()) { // a free port: nothing to look for
                      index.fill(proc, census.join(), wanted);
                      for (long inode : wanted) {
                        long pid = index.holder(inode);
                        if (pid > 0) {
                          details.accept(pid);
                        }
                      }
                    }
                    return null;
                  });
    }

    /** Ends the reading ahead, and waits for it to end (between two descriptors). */
    SocketIndex stopReadingAhead() {
      if (index == null) {
        return null;
      }
      index.stop();
      reading.join();
      return index;
    }
  }

  private Prepared prepared;

  /**
   * Takes the census of processes in the background while the inspector resolves and connects, and
   * looks for the owners of the ports' listeners ahead ({@link SocketIndex}) until the snapshot.
   * Processes started after the census are not lost: the search takes a second census for what it
   * did not find ({@link SocketOwners#find}).
   */
  @Override
  public synchronized void prepare(List<Integer> ports) {
    if (prepared == null) { // not taken yet by a snapshot: still fresh
      prepared = new Prepared(proc, List.copyOf(ports), this::process);
    }
  }

  /**
   * What prepare() started (taken once: a later snapshot wants a fresh census), or a census started
   * now, without reading ahead (nothing else would run meanwhile).
   */
  private synchronized Prepared takePrepared() {
    Prepared p = prepared != null ? prepared : new Prepared(proc, List.of(), pid -> {});
    prepared = null;
    return p;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
