package io.corsdoctor.ports;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The catalogue of known port owners, read from the one data file {@code known-ports.json}. */
public final class KnownPorts {
  private static final String RESOURCE = "/io/corsdoctor/ports/known-ports.json";
  private static volatile KnownPorts bundled;

  private final List<KnownPort> entries;

  public KnownPorts(List<KnownPort> entries) {
    this.entries = List.copyOf(entries);
  }

  /** The catalogue shipped in the jar. */
  public static KnownPorts bundled() {
    KnownPorts k = bundled;
    if (k == null) {
      try (InputStream in = KnownPorts.class.getResourceAsStream(RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(RESOURCE + " is missing from the jar");
        }
        k = parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        bundled = k;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }
    return k;
  }

  /** Reads a catalogue document: {@code {"entries": [ {...}, ... ]}}. */
  @SuppressWarnings("unchecked")
  static KnownPorts parse(String json) {
    Map<String, Object> root = (Map<String, Object>) MiniJson.parse(json);
    List<KnownPort> list = new ArrayList<>();
    for (Object o : (List<Object>) root.get("entries")) {
      Map<String, Object> e = (Map<String, Object>) o;
      List<Integer> ports = new ArrayList<>();
      for (Object p : (List<Object>) e.getOrDefault("ports", List.of())) {
        ports.add(((Long) p).intValue());
      }
      list.add(
          new KnownPort(
              (String) e.get("id"),
              (String) e.get("kind"),
              (String) e.get("os"),
              ports,
              (String) e.get("title"),
              strings(e.get("processNames")),
              strings(e.get("commandContains")),
              (Long) e.get("pid"),
              Boolean.TRUE.equals(e.get("movesWhenBusy")),
              (String) e.get("advice"),
              (String) e.get("instead"),
              (String) e.get("evidence")));
    }
    return new KnownPorts(list);
  }

  @SuppressWarnings("unchecked")
  private static List<String> strings(Object o) {
    List<String> out = new ArrayList<>();
    if (o != null) {
      for (Object x : (List<Object>) o) {
        out.add((String) x);
      }
    }
    return out;
  }

  public List<KnownPort> entries() {
    return entries;
  }

  public Optional<KnownPort> byId(String id) {
    return entries.stream().filter(e -> e.id().equals(id)).findFirst();
  }

  /** Entries for port {@code port}: those that recognise a listener first, then its defaults. */
  public List<KnownPort.Match> matches(int port, List<Listener> listeners) {
    Map<String, KnownPort.Match> out = new LinkedHashMap<>();
    for (Listener l : listeners) {
      for (KnownPort e : entries) {
        if (e.recognises(l.owner(), port) && !out.containsKey(e.id())) {
          out.put(e.id(), new KnownPort.Match(e, l.owner().pid()));
        }
      }
    }
    for (KnownPort e : entries) {
      if (e.ports().contains(port) && !out.containsKey(e.id())) {
        out.put(e.id(), new KnownPort.Match(e, null));
      }
    }
    return List.copyOf(out.values());
  }

  /** The system entry that recognises this process on this port, if any (refuse to kill it). */
  public Optional<KnownPort> systemOwner(ProcessInfo process, int port) {
    return entries.stream().filter(e -> e.system() && e.recognises(process, port)).findFirst();
  }

  /** True when a process listening on {@code port} is something a web developer runs. */
  public boolean devRelevant(Listener l) {
    for (KnownPort e : entries) {
      if (e.ports().contains(l.port())
          && (e.kind().equals("dev-server") || e.kind().equals("emulator"))) {
        return true;
      }
      if (e.recognises(l.owner(), l.port()) && !e.kind().equals("service")) {
        return true;
      }
    }
    return false;
  }
}
