package io.corsdoctor.ports;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses lsof's field output ({@code lsof -nP +c 0 -iTCP -F pcRuLftPnT}, see lsof(8) "OUTPUT FOR
 * OTHER PROGRAMS"): lines that start with a field letter; {@code p} opens a process, {@code f} a
 * file of it. Pure: text in, records out.
 */
public final class LsofParser {
  private LsofParser() {}

  /**
   * One TCP socket as lsof lists it.
   *
   * @param process the process holding it (name as lsof's {@code c} field; full with {@code +c 0})
   * @param ipv6 lsof's {@code t} field is {@code IPv6}
   * @param local the local address text ({@code *}, {@code 127.0.0.1}, {@code ::1})
   * @param localPort the local port
   * @param remote the remote {@code address:port} for a connection, or null for a listener
   * @param state the TCP state ({@code LISTEN}, {@code ESTABLISHED}), or null
   */
  public record Entry(
      ProcessInfo process,
      boolean ipv6,
      String local,
      int localPort,
      String remote,
      String state) {}

  public static List<Entry> parse(String output) {
    List<Entry> out = new ArrayList<>();
    long pid = -1;
    String name = null;
    String user = null;
    Long ppid = null;
    String type = null;
    String addr = null;
    String state = null;
    boolean inFile = false;
    for (String line : (output + "\nf").split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      char k = line.charAt(0);
      String v = line.substring(1);
      if ((k == 'f' || k == 'p') && inFile && addr != null) {
        Entry e = entry(pid, name, user, ppid, type, addr, state);
        if (e != null) {
          out.add(e);
        }
      }
      switch (k) {
        case 'p' -> {
          pid = Long.parseLong(v.strip());
          name = null;
          user = null;
          ppid = null;
          inFile = false;
        }
        case 'c' -> name = v;
        case 'L' -> user = v;
        case 'u' -> user = user == null ? "uid " + v : user;
        case 'R' -> ppid = Long.valueOf(v.strip());
        case 'f' -> {
          inFile = true;
          type = null;
          addr = null;
          state = null;
        }
        case 't' -> type = v;
        case 'n' -> addr = v;
        case 'T' -> {
          if (v.startsWith("ST=")) {
            state = v.substring(3);
          }
        }
        default -> {
          // other fields (P protocol, TQR/TQS queues...) are not needed
        }
      }
    }
    return out;
  }

  private static Entry entry(
      long pid, String name, String user, Long ppid, String type, String n, String state) {
    String local = n;
    String remote = null;
    int arrow = n.indexOf("->");
    if (arrow >= 0) {
      local = n.substring(0, arrow);
      remote = n.substring(arrow + 2);
    }
    int colon = local.lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    int port;
    try {
      port = Integer.parseInt(local.substring(colon + 1));
    } catch (NumberFormatException e) {
      return null; // a service name: lsof ran without -P
    }
    String host = local.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    ProcessInfo p = new ProcessInfo(pid, name, null, user, ppid, null, null);
    return new Entry(p, "IPv6".equals(type), host, port, remote, state);
  }

  /** The listeners among the entries, as {@link Listener}s ({@code *} becomes the wildcard). */
  public static List<Listener> listeners(List<Entry> entries) {
    List<Listener> out = new ArrayList<>();
    for (Entry e : entries) {
      if (e.remote() != null || (e.state() != null && !e.state().equals("LISTEN"))) {
        continue;
      }
      String address = e.local().equals("*") ? (e.ipv6() ? "::" : "0.0.0.0") : e.local();
      Listener l =
          new Listener(address, e.ipv6() ? "ipv6" : "ipv4", e.localPort(), null, e.process(), null);
      if (!out.contains(l)) {
        out.add(l);
      }
    }
    return out;
  }
}
