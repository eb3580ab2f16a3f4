package io.corsdoctor.ports;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
        ObjectMapper m =
            JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        JsonNode root = m.readTree(in);
        List<KnownPort> list = new ArrayList<>();
        for (JsonNode e : root.get("entries")) {
          list.add(m.treeToValue(e, KnownPort.class));
        }
        k = new KnownPorts(list);
        bundled = k;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + RESOURCE, e);
      }
    }
    return k;
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
