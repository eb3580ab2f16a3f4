package io.corsdoctor.ports;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import oshi.SystemInfo;
import oshi.software.os.InternetProtocolStats.IPConnection;
import oshi.software.os.InternetProtocolStats.TcpState;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Backend on OSHI's connection table ({@code InternetProtocolStats.getConnections()}) and process
 * details. Used where cors-doctor has no backend of its own, and measured against the Linux one in
 * bench/ports. What OSHI does not say, this class does not invent: OSHI has no socket owner uid (a
 * hidden owner shows as pid -1 with no user), and no IPv6-only flag (left null for {@link
 * PortInspector} to prove by connecting).
 */
public final class OshiPortOwners implements PortOwners {
  private final OperatingSystem os;
  private final Map<Integer, Optional<ProcessInfo>> processes = new HashMap<>();

  public OshiPortOwners() {
    this.os = new SystemInfo().getOperatingSystem();
  }

  @Override
  public List<Listener> listeners(int port) {
    return toListeners(port);
  }

  @Override
  public List<Listener> allListeners() {
    return toListeners(-1);
  }

  @Override
  public Optional<ProcessInfo> acceptorOf(InetSocketAddress clientLocal, InetSocketAddress server) {
    byte[] client = clientLocal.getAddress().getAddress();
    // A connection the server has not accept()ed yet has no owner; give the server a moment.
    long deadline = System.nanoTime() + 300_000_000L;
    while (true) {
      boolean waiting = false;
      for (IPConnection c : os.getInternetProtocolStats().getConnections()) {
        if (c.getState() == TcpState.ESTABLISHED
            && c.getLocalPort() == server.getPort()
            && c.getForeignPort() == clientLocal.getPort()
            && sameAddress(c.getForeignAddress(), client)) {
          if (c.getowningProcessId() >= 0) {
            return process(c.getowningProcessId());
          }
          waiting = true;
        }
      }
      if (!waiting || System.nanoTime() > deadline) {
        return Optional.empty();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
  }

  @Override
  public String backendName() {
    return "oshi";
  }

  private List<Listener> toListeners(int port) {
    List<Listener> out = new ArrayList<>();
    for (IPConnection c : os.getInternetProtocolStats().getConnections()) {
      if (c.getState() != TcpState.LISTEN || (port >= 0 && c.getLocalPort() != port)) {
        continue;
      }
      boolean v6 = c.getType().endsWith("6");
      String address = address(c.getLocalAddress(), v6);
      int pid = c.getowningProcessId();
      ProcessInfo owner = pid < 0 ? null : process(pid).orElse(null);
      String hidden =
          owner == null
              ? "the OS does not say which process holds this socket (another user's process"
                  + " without privileges); run with sudo to see it"
              : null;
      Listener l =
          new Listener(address, v6 ? "ipv6" : "ipv4", c.getLocalPort(), null, owner, hidden);
      if (!out.contains(l)) {
        out.add(l);
      }
    }
    return out;
  }

  private static String address(byte[] raw, boolean v6) {
    if (raw == null || raw.length == 0 || allZero(raw)) {
      return v6 ? "::" : "0.0.0.0";
    }
    try {
      return PortInspector.text(InetAddress.getByAddress(raw)).replace("0:0:0:0:0:0:0:1", "::1");
    } catch (UnknownHostException e) {
      return v6 ? "::" : "0.0.0.0";
    }
  }

  private static boolean allZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameAddress(byte[] oshi, byte[] java) {
    if (Arrays.equals(oshi, java)) {
      return true;
    }
    // an IPv4 peer of an IPv6 socket shows as ::ffff:a.b.c.d
    return oshi != null
        && oshi.length == 16
        && java.length == 4
        && Arrays.equals(Arrays.copyOfRange(oshi, 12, 16), java);
  }

  private synchronized Optional<ProcessInfo> process(int pid) {
    return processes.computeIfAbsent(
        pid,
        p -> {
          OSProcess o = os.getProcess(p);
          if (o == null) {
            return Optional.empty();
          }
          String cmd = o.getCommandLine();
          String cwd = o.getCurrentWorkingDirectory();
          return Optional.of(
              new ProcessInfo(
                  p,
                  o.getName(),
                  cmd == null || cmd.isBlank() ? null : cmd,
                  o.getUser() == null || o.getUser().isBlank() ? null : o.getUser(),
                  (long) o.getParentProcessID(),
                  o.getStartTime() > 0 ? Instant.ofEpochMilli(o.getStartTime()) : null,
                  cwd == null || cwd.isBlank() ? null : cwd));
        });
  }
}
