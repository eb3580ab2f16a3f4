package io.corsdoctor.har;

import io.corsdoctor.cors.Origin;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Pairs each preflight with the request it preceded, whatever the order of the entries (Chromium
 * lists the preflight after its request; others before). A preflight matches a request by the
 * request id its initiator names when the exporter recorded ids, otherwise by URL, origin and
 * requested method, the closest in start time winning. Only a sliding window of entries is held, so
 * memory does not grow with the file.
 */
final class HarPairing {

  /** Receives a request with its preflight (either may be null, not both). */
  interface Sink {
    void unit(Origin origin, HarEntry actual, HarEntry preflight, long millis);
  }

  private static final class Pending {
    final HarEntry entry;
    final Origin origin;
    final boolean preflight;
    final long millis;
    final String key;
    boolean done;

    Pending(HarEntry entry, Origin origin, boolean preflight, long millis, String key) {
      this.entry = entry;
      this.origin = origin;
      this.preflight = preflight;
      this.millis = millis;
      this.key = key;
    }
  }

  private final int window;
  private final Sink sink;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private final Map<String, List<Pending>> byUrl = new HashMap<>();

  HarPairing(int window, Sink sink) {
    this.window = window;
    this.sink = sink;
  }

  /** Adds an entry; {@code millis} is its start time ({@link #millis(String)}). */
  void add(HarEntry e, Origin origin, boolean preflight, long millis) {
    String key = preflight && e.initiatorUrl() != null ? e.initiatorUrl() : e.request().url();
    Pending p = new Pending(e, origin, preflight, millis, key);
    List<Pending> list = byUrl.get(key);
    Pending match = list == null ? null : best(p, list);
    if (match != null) {
      list.remove(match);
      if (list.isEmpty()) {
        byUrl.remove(key);
      }
      match.done = true;
      p.done = true;
      Pending actual = preflight ? match : p;
      Pending pre = preflight ? p : match;
      sink.unit(actual.origin, actual.entry, pre.entry, earliest(actual.millis, pre.millis));
    } else {
      byUrl.computeIfAbsent(key, k -> new ArrayList<>(2)).add(p);
      queue.addLast(p);
    }
    evict(e.index());
  }

  /** Emits everything still waiting, in file order. */
  void flush() {
    evict(Integer.MAX_VALUE);
  }

  private void evict(int current) {
    while (!queue.isEmpty()) {
      Pending head = queue.peekFirst();
      if (head.done) {
        queue.removeFirst();
        continue;
      }
      if ((long) current - head.entry.index() <= window) {
        return;
      }
      queue.removeFirst();
      head.done = true;
      List<Pending> list = byUrl.get(head.key);
      if (list != null) {
        list.remove(head);
        if (list.isEmpty()) {
          byUrl.remove(head.key);
        }
      }
      if (head.preflight) {
        sink.unit(head.origin, null, head.entry, head.millis);
      } else {
        sink.unit(head.origin, head.entry, null, head.millis);
      }
    }
  }

  private static Pending best(Pending p, List<Pending> candidates) {
    Pending best = null;
    long bestDistance = Long.MAX_VALUE;
    for (Iterator<Pending> it = candidates.iterator(); it.hasNext(); ) {
      Pending c = it.next();
      if (c.preflight == p.preflight || c.done) {
        continue;
      }
      Pending actual = p.preflight ? c : p;
      Pending pre = p.preflight ? p : c;
      if (!compatible(actual, pre)) {
        continue;
      }
      String wanted = pre.entry.initiatorRequestId();
      String own = actual.entry.requestId();
      if (wanted != null && own != null) {
        if (wanted.equals(own)) {
          return c;
        }
        continue;
      }
      long distance =
          actual.millis != Long.MIN_VALUE && pre.millis != Long.MIN_VALUE
              ? Math.abs(actual.millis - pre.millis) * 1_000_000L
                  + Math.abs(actual.entry.index() - pre.entry.index())
              : Math.abs(actual.entry.index() - pre.entry.index());
      if (distance < bestDistance) {
        bestDistance = distance;
        best = c;
      }
    }
    return best;
  }

  private static boolean compatible(Pending actual, Pending pre) {
    if (actual.origin != null && pre.origin != null && !actual.origin.sameOrigin(pre.origin)) {
      if (!(actual.origin.opaque() && pre.origin.opaque())) {
        return false;
      }
    }
    String method = pre.entry.request().header("Access-Control-Request-Method");
    return method == null || method.trim().equalsIgnoreCase(actual.entry.request().method());
  }

  private static long earliest(long a, long b) {
    if (a == Long.MIN_VALUE) {
      return b;
    }
    if (b == Long.MIN_VALUE) {
      return a;
    }
    return Math.min(a, b);
  }

  /** Milliseconds since the epoch of an ISO 8601 date, or {@code Long.MIN_VALUE}. */
  static long millis(String iso) {
    if (iso == null) {
      return Long.MIN_VALUE;
    }
    long fast = commonMillis(iso);
    if (fast != Long.MIN_VALUE) {
      return fast;
    }
    try {
      return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return Long.MIN_VALUE;
    }
  }

  /**
   * The shape every exporter writes, {@code 2023-11-14T10:00:00.123Z} or {@code ...+01:00}, read
   * without java.time's general parser (a tenth of the analysis otherwise); {@code Long.MIN_VALUE}
   * for anything else, which {@link OffsetDateTime#parse} then judges.
   */
  static long commonMillis(String s) {
    int n = s.length();
    if (n < 20
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':') {
      return Long.MIN_VALUE;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > YearMonth.of(year, month).lengthOfMonth()
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59) {
      return Long.MIN_VALUE;
    }
    int i = 19;
    long millis = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      for (int scale = 100; i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++, scale /= 10) {
        millis += (s.charAt(i) - '0') * scale;
      }
      if (i == start || i - start > 9) {
        return Long.MIN_VALUE;
      }
    }
    long offset;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offset = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh < 0 || oh > 17 || om < 0 || om > 59) {
        return Long.MIN_VALUE;
      }
      offset = (oh * 3600L + om * 60L) * (s.charAt(i) == '-' ? -1 : 1);
    } else {
      return Long.MIN_VALUE;
    }
    long days = LocalDate.of(year, month, day).toEpochDay();
    return (days * 86_400L + hour * 3600L + minute * 60L + second - offset) * 1000L + millis;
  }

  /** The non-negative number written with {@code count} ASCII digits at {@code from}, or -1. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }
}
