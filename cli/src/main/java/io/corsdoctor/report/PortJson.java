package io.corsdoctor.report;

import io.corsdoctor.ports.KnownPort;
import io.corsdoctor.ports.Listener;
import io.corsdoctor.ports.PortRange;
import io.corsdoctor.ports.PortReport;
import io.corsdoctor.ports.ProcessInfo;
import io.corsdoctor.ports.Reach;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON shape of {@code port} and {@code ports} (docs/json-contract.md): {@code
 * ports[].listeners[]}, {@code reaches}, {@code known}, and more beside them.
 */
public final class PortJson {
  private PortJson() {}

  public static Map<String, Object> document(List<PortReport> reports, boolean probed) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("schemaVersion", Json.SCHEMA_VERSION);
    List<Object> ports = new ArrayList<>();
    for (PortReport r : reports) {
      ports.add(port(r, probed));
    }
    doc.put("ports", ports);
    return doc;
  }

  static Map<String, Object> port(PortReport r, boolean probed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("port", r.port());
    m.put("free", r.free());
    List<Object> ls = new ArrayList<>();
    for (Listener l : r.listeners()) {
      ls.add(listener(l));
    }
    m.put("listeners", ls);
    if (probed) {
      Map<String, Object> reaches = new LinkedHashMap<>();
      for (Reach x : r.reaches()) {
        if (x.address().equals("127.0.0.1") || x.address().equals("::1")) {
          reaches.put(x.address(), x.acceptorPid());
        }
      }
      if (!r.reaches().isEmpty()) {
        List<Long> lh = new ArrayList<>();
        for (String a : r.localhost()) {
          Reach x = r.reachOf(a);
          lh.add(x == null ? null : x.acceptorPid());
        }
        reaches.put("localhost", lh);
      }
      m.put("reaches", reaches);
      List<Object> details = new ArrayList<>();
      for (Reach x : r.reaches()) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("address", x.address());
        d.put("outcome", x.outcome().name().toLowerCase(Locale.ROOT));
        d.put("pid", x.acceptorPid());
        d.put("process", x.acceptor() == null ? null : x.acceptor().name());
        d.put("listener", x.listener() == null ? null : x.listener().endpoint());
        d.put("note", x.note());
        details.add(d);
      }
      m.put("reachDetails", details);
      m.put("localhost", r.localhost());
    } else {
      m.put("reaches", null);
    }
    List<String> known = new ArrayList<>();
    List<Object> knownDetails = new ArrayList<>();
    for (KnownPort.Match k : r.known()) {
      known.add(k.entry().title());
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("id", k.entry().id());
      d.put("title", k.entry().title());
      d.put("kind", k.entry().kind());
      d.put("os", k.entry().os());
      d.put("pid", k.pid());
      d.put("advice", k.entry().advice());
      knownDetails.add(d);
    }
    m.put("known", known);
    m.put("knownDetails", knownDetails);
    List<Object> reserved = new ArrayList<>();
    for (PortRange range : r.reserved()) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("first", range.first());
      d.put("last", range.last());
      d.put("family", range.family());
      d.put("source", range.source());
      d.put("administered", range.administered());
      reserved.add(d);
    }
    m.put("reserved", reserved);
    m.put("notes", r.notes());
    return m;
  }

  public static Map<String, Object> listener(Listener l) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("address", l.address());
    m.put("family", l.family());
    m.put("port", l.port());
    m.put("v6Only", l.v6Only());
    ProcessInfo p = l.owner();
    m.put("pid", p == null ? null : p.pid());
    m.put("process", p == null ? null : p.name());
    m.put("command", p == null ? null : p.command());
    m.put("user", p == null ? l.socketUser() : p.user());
    m.put("parentPid", p == null ? null : p.parentPid());
    m.put("startTime", p == null || p.startTime() == null ? null : p.startTime().toString());
    m.put("cwd", p == null ? null : p.cwd());
    m.put("hidden", p == null);
    m.put("hiddenReason", l.hiddenReason());
    return m;
  }
}
