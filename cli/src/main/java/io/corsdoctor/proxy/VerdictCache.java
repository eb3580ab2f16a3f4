package io.corsdoctor.proxy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;

/**
 * Remembers the engine's browser labels: a dev loop repeats the same few requests and answers, so
 * the engine runs once per distinct exchange instead of twice per request. The key holds everything
 * the engine may read (method, origin, host, credentials, both statuses and headers) except headers
 * that change on every answer and never decide a CORS verdict (Date, ETag, ...). Bounded: it starts
 * over when full.
 */
final class VerdictCache {
  static final int MAX_ENTRIES = 2048;
  private static final Set<HttpHeader> VOLATILE =
      EnumSet.of(
          HttpHeader.DATE,
          HttpHeader.ETAG,
          HttpHeader.LAST_MODIFIED,
          HttpHeader.EXPIRES,
          HttpHeader.AGE,
          HttpHeader.SERVER);

  /** A volatile header Jetty has no constant for. */
  private static final String REQUEST_ID = "x-request-id";

  private final Map<String, Optional<ProxyExchange.BrowserLabel>> labels =
      new ConcurrentHashMap<>();

  /**
   * The label for one exchange (see {@link BrowserVerdicts#label}).
   *
   * @param upstreamHeaders the upstream's answer headers, or null when it failed ({@code failure})
   */
  ProxyExchange.BrowserLabel label(
      String method,
      String origin,
      String host,
      String path,
      boolean credentials,
      int upstreamStatus,
      HttpFields upstreamHeaders,
      Change.Code failure,
      int status,
      HttpFields headers) {
    StringBuilder k = new StringBuilder(512);
    k.append(method).append(' ').append(origin).append(' ').append(host).append(' ');
    k.append(credentials).append('\n');
    boolean redirect = false;
    if (upstreamHeaders == null) {
      k.append("failed ").append(failure).append('\n');
    } else {
      k.append(upstreamStatus).append('\n');
      redirect = append(k, upstreamHeaders);
    }
    k.append(status).append('\n');
    redirect |= append(k, headers);
    if (redirect) {
      k.append(path); // a relative Location resolves against the path
    }
    String key = k.toString();
    Optional<ProxyExchange.BrowserLabel> known = labels.get(key);
    if (known != null) {
      return known.orElse(null);
    }
    String url = "http://" + host + path;
    ProxyExchange.BrowserLabel label =
        BrowserVerdicts.label(
            method,
            origin,
            url,
            credentials,
            upstreamHeaders != null
                ? BrowserVerdicts.reply(upstreamStatus, upstreamHeaders)
                : BrowserVerdicts.failure(failure),
            BrowserVerdicts.reply(status, headers));
    if (labels.size() >= MAX_ENTRIES) {
      labels.clear();
    }
    labels.put(key, Optional.ofNullable(label));
    return label;
  }

  int size() {
    return labels.size();
  }

  /** Appends the headers that may decide a verdict; true when one is a Location. */
  private static boolean append(StringBuilder k, HttpFields fields) {
    boolean location = false;
    for (HttpField f : fields) {
      HttpHeader known = f.getHeader();
      if (known != null ? VOLATILE.contains(known) : f.is(REQUEST_ID)) {
        continue;
      }
      String name = known != null ? known.lowerCaseName() : f.getLowerCaseName();
      location |= known == HttpHeader.LOCATION;
      k.append(name).append(':').append(f.getValue()).append('\n');
    }
    return location;
  }
}
