package io.corsdoctor.ports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares two inventories of listeners: which appeared, which disappeared. A listener is the same
 * when its address, port and owning process (or, hidden, its socket's user) are.
 */
public final class ListenerWatch {
  private Map<String, Listener> last;

  /** A change between two polls. */
  public record Change(boolean appeared, Listener listener) {}

  /** Feeds the next inventory; returns the changes since the previous one (none the first time). */
  public List<Change> next(List<Listener> now) {
    Map<String, Listener> current = new LinkedHashMap<>();
    for (Listener l : now) {
      current.put(key(l), l);
    }
    List<Change> changes = new ArrayList<>();
    if (last != null) {
      for (Map.Entry<String, Listener> e : last.entrySet()) {
        if (!current.containsKey(e.getKey())) {
          changes.add(new Change(false, e.getValue()));
        }
      }
      for (Map.Entry<String, Listener> e : current.entrySet()) {
        if (!last.containsKey(e.getKey())) {
          changes.add(new Change(true, e.getValue()));
        }
      }
    }
    last = current;
    return changes;
  }

  static String key(Listener l) {
    return l.address()
        + "|"
        + l.port()
        + "|"
        + (l.owner() != null ? "pid " + l.owner().pid() : "hidden " + l.socketUser());
  }
}
