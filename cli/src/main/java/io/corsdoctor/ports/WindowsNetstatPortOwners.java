package io.corsdoctor.ports;

import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Windows backend: {@code netstat -ano} (every user's sockets with their PIDs, no elevation
 * needed), {@code tasklist /FO CSV} for names, PowerShell's Win32_Process for command lines, and
 * {@code netsh ... excludedportrange} for ports Windows reserves. Parsing lives in {@link
 * WindowsNetstatParser}, {@link WindowsCsv} and {@link ExcludedPortRangeParser}.
 */
public final class WindowsNetstatPortOwners implements PortOwners {
  private static final Charset CONSOLE = Charset.defaultCharset();

  @Override
  public List<Listener> listeners(int port) {
    return toListeners(
        rows().stream().filter(r -> r.listening() && r.localPort() == port).toList());
  }

  @Override
  public List<Listener> allListeners() {
    return toListeners(rows().stream().filter(WindowsNetstatParser.Row::listening).toList());
  }

  @Override
  public Optional<ProcessInfo> acceptorOf(InetSocketAddress clientLocal, InetSocketAddress server) {
    for (WindowsNetstatParser.Row r : rows()) {
      if (!r.listening()
          && r.localPort() == server.getPort()
          && r.remotePort() == clientLocal.getPort()) {
        return Optional.of(processes(List.of(r.pid())).get(0));
      }
    }
    return Optional.empty();
  }

  @Override
  public List<PortRange> reservedRanges() {
    List<PortRange> out = new ArrayList<>();
    for (String family : List.of("ipv4", "ipv6")) {
      try {
        out.addAll(
            ExcludedPortRangeParser.parse(
                CommandRunner.run(
                    List.of("netsh", "int", family, "show", "excludedportrange", "protocol=tcp"),
                    CONSOLE),
                family));
      } catch (RuntimeException e) {
        // netsh unavailable: no reservations known
      }
    }
    return out;
  }

  @Override
  public String backendName() {
    return "windows-netstat";
  }

  private static List<WindowsNetstatParser.Row> rows() {
    List<WindowsNetstatParser.Row> rows = new ArrayList<>();
    for (String proto : List.of("TCP", "TCPv6")) {
      rows.addAll(
          WindowsNetstatParser.parse(
              CommandRunner.run(List.of("netstat", "-ano", "-p", proto), CONSOLE)));
    }
    return rows;
  }

  private List<Listener> toListeners(List<WindowsNetstatParser.Row> rows) {
    List<Long> pids = rows.stream().map(WindowsNetstatParser.Row::pid).distinct().toList();
    List<ProcessInfo> procs = processes(pids);
    List<Listener> out = new ArrayList<>();
    for (WindowsNetstatParser.Row r : rows) {
      ProcessInfo p = procs.get(pids.indexOf(r.pid()));
      out.add(new Listener(r.local(), r.ipv6() ? "ipv6" : "ipv4", r.localPort(), null, p, null));
    }
    return out;
  }

  /** Names from tasklist, command lines from Win32_Process (null for elevated processes). */
  private static List<ProcessInfo> processes(List<Long> pids) {
    Map<Long, String> names =
        WindowsCsv.tasklist(CommandRunner.run(List.of("tasklist", "/FO", "CSV", "/NH"), CONSOLE));
    Map<Long, Map<String, String>> details = new java.util.HashMap<>();
    if (!pids.isEmpty()) {
      StringBuilder filter = new StringBuilder();
      for (long pid : pids) {
        filter.append(filter.length() == 0 ? "" : " or ").append("ProcessId=").append(pid);
      }
      try {
        String csv =
            CommandRunner.run(
                List.of(
                    "powershell",
                    "-NoProfile",
                    "-Command",
                    "Get-CimInstance Win32_Process -Filter '"
                        + filter
                        + "' | Select-Object ProcessId,ParentProcessId,Name,CommandLine |"
                        + " ConvertTo-Csv -NoTypeInformation"),
                CONSOLE);
        for (Map<String, String> row : WindowsCsv.table(csv)) {
          details.put(Long.parseLong(row.getOrDefault("ProcessId", "-1")), row);
        }
      } catch (RuntimeException e) {
        // no PowerShell: names only
      }
    }
    List<ProcessInfo> out = new ArrayList<>();
    for (long pid : pids) {
      Map<String, String> d = details.getOrDefault(pid, Map.of());
      String cmd = d.get("CommandLine");
      String ppid = d.get("ParentProcessId");
      out.add(
          new ProcessInfo(
              pid,
              names.getOrDefault(pid, d.getOrDefault("Name", pid == 4 ? "System" : "pid " + pid)),
              cmd == null || cmd.isEmpty() ? null : cmd,
              null,
              ppid == null || ppid.isEmpty() ? null : Long.valueOf(ppid),
              null,
              null));
    }
    return out;
  }
}
