package io.corsdoctor.ports;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * macOS backend: lsof names the owners it may see; {@code netstat -an -p tcp} lists every listener,
 * so the ones lsof cannot attribute (other users' processes without sudo) are reported as hidden
 * instead of missing, and {@code tcp46} rows tell dual-stack sockets; {@code ps} adds the command
 * lines. Parsing lives in {@link LsofParser} and {@link BsdNetstatParser}.
 */
public final class MacLsofPortOwners implements PortOwners {
  private static final String LSOF_FIELDS = "-FpcRuLftPnT";

  /**
   * Every user's TCP sockets; {@code -W} keeps long IPv6 addresses whole (without it netstat cuts
   * them to the column, e.g. {@code fe80::3ec3:369f:.1025} in a real macOS 15 capture).
   */
  static final List<String> NETSTAT = List.of("netstat", "-anW", "-p", "tcp");

  @Override
  public List<Listener> listeners(int port) {
    List<Listener> named =
        LsofParser.listeners(LsofParser.parse(lsof(List.of("-iTCP:" + port, "-sTCP:LISTEN"))));
    List<Listener> all =
        BsdNetstatParser.listeners(netstat()).stream().filter(l -> l.port() == port).toList();
    return withCommands(merge(named, all));
  }

  @Override
  public List<Listener> allListeners() {
    List<Listener> named =
        LsofParser.listeners(LsofParser.parse(lsof(List.of("-iTCP", "-sTCP:LISTEN"))));
    return withCommands(merge(named, BsdNetstatParser.listeners(netstat())));
  }

  @Override
  public Optional<ProcessInfo> acceptorOf(InetSocketAddress clientLocal, InetSocketAddress server) {
    String host = PortInspector.text(server.getAddress());
    String at = server.getAddress() instanceof Inet6Address ? "[" + host + "]" : host;
    List<LsofParser.Entry> entries =
        LsofParser.parse(lsof(List.of("-iTCP@" + at + ":" + server.getPort())));
    for (LsofParser.Entry e : entries) {
      if (e.remote() != null
          && e.localPort() == server.getPort()
          && e.remote().endsWith(":" + clientLocal.getPort())) {
        return Optional.of(e.process());
      }
    }
    return Optional.empty();
  }

  @Override
  public String backendName() {
    return "macos-lsof+netstat";
  }

  /**
   * lsof's listeners keep their owners; netstat's that lsof did not show become hidden ones; the
   * dual-stack flag comes from netstat's {@code tcp46}.
   */
  static List<Listener> merge(List<Listener> named, List<Listener> all) {
    List<Listener> out = new ArrayList<>();
    for (Listener l : named) {
      Boolean v6Only = l.v6Only();
      for (Listener n : all) {
        if (same(n, l) && n.v6Only() != null) {
          v6Only = n.v6Only();
        }
      }
      out.add(l.withV6Only(v6Only));
    }
    for (Listener n : all) {
      if (named.stream().noneMatch(l -> same(n, l))) {
        out.add(
            new Listener(
                n.address(),
                n.family(),
                n.port(),
                n.v6Only(),
                null,
                "macOS shows the owner of this socket only to its user and to root (another"
                    + " user's or a system process); run with sudo to see it"));
      }
    }
    return out;
  }

  private static boolean same(Listener a, Listener b) {
    return a.address().equals(b.address()) && a.family().equals(b.family()) && a.port() == b.port();
  }

  private static List<Listener> withCommands(List<Listener> listeners) {
    List<String> pids = new ArrayList<>();
    for (Listener l : listeners) {
      if (l.owner() != null && !pids.contains(Long.toString(l.owner().pid()))) {
        pids.add(Long.toString(l.owner().pid()));
      }
    }
    if (pids.isEmpty()) {
      return listeners;
    }
    Map<Long, String> commands =
        PsParser.commands(
            CommandRunner.run(
                List.of("ps", "-ww", "-o", "pid=,command=", "-p", String.join(",", pids)),
                StandardCharsets.UTF_8,
                1));
    List<Listener> out = new ArrayList<>();
    for (Listener l : listeners) {
      ProcessInfo p = l.owner();
      if (p != null && commands.containsKey(p.pid())) {
        p =
            new ProcessInfo(
                p.pid(), p.name(), commands.get(p.pid()), p.user(), p.parentPid(), null, null);
      }
      out.add(
          new Listener(
              l.address(), l.family(), l.port(), l.v6Only(), p, l.hiddenReason(), l.socketUser()));
    }
    return out;
  }

  private static String lsof(List<String> selection) {
    List<String> cmd = new ArrayList<>(List.of("lsof", "-nP", "+c", "0"));
    cmd.addAll(selection);
    cmd.add(LSOF_FIELDS);
    return CommandRunner.run(cmd, StandardCharsets.UTF_8, 1); // 1: nothing found
  }

  private static String netstat() {
    return CommandRunner.run(NETSTAT, StandardCharsets.UTF_8);
  }
}
