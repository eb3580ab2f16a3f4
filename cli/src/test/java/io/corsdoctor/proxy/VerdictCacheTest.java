package io.corsdoctor.proxy;

import static io.corsdoctor.proxy.ProxyFixture.APP;
import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

/** The cache gives the engine's labels, once per distinct exchange. */
class VerdictCacheTest {

  private static HttpFields answer(String date, String... allowOrigins) {
    HttpFields.Mutable h = HttpFields.build();
    h.add("Date", date);
    h.add("Content-Type", "application/json");
    for (String o : allowOrigins) {
      h.add("Access-Control-Allow-Origin", o);
    }
    return h.asImmutable();
  }

  private static ProxyExchange.BrowserLabel label(
      VerdictCache cache, HttpFields upstream, HttpFields proxied) {
    return cache.label(
        "GET", APP, "127.0.0.1:5050", "/items", false, 200, upstream, null, 200, proxied);
  }

  @Test
  void labelsAreTheEnginesAndVolatileHeadersDoNotMakeNewEntries() {
    VerdictCache cache = new VerdictCache();
    HttpFields fixed = answer("Wed, 25 Nov 2026 08:00:00 GMT", APP);
    ProxyExchange.BrowserLabel first =
        label(cache, answer("Wed, 25 Nov 2026 08:00:00 GMT", "*", APP), fixed);
    ProxyExchange.BrowserLabel direct =
        BrowserVerdicts.label(
            "GET",
            APP,
            "http://127.0.0.1:5050/items",
            false,
            BrowserVerdicts.reply(200, answer("x", "*", APP)),
            BrowserVerdicts.reply(200, fixed));
    assertThat(first).isEqualTo(direct);
    assertThat(first.upstream()).isNotEqualTo(first.proxied()); // duplicate ACAO blocks
    ProxyExchange.BrowserLabel again =
        label(cache, answer("Wed, 25 Nov 2026 08:00:01 GMT", "*", APP), fixed);
    assertThat(again).isEqualTo(first);
    assertThat(cache.size()).isEqualTo(1);

    ProxyExchange.BrowserLabel fine = label(cache, answer("y", APP), fixed);
    assertThat(fine.upstream()).isEqualTo(fine.proxied());
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void serverRequestIdAndOtherPerAnswerHeadersDoNotMakeNewEntriesButOthersDo() {
    VerdictCache cache = new VerdictCache();
    HttpFields fixed = answer("d", APP);
    for (int i = 0; i < 3; i++) {
      HttpFields.Mutable up = HttpFields.build(answer("d" + i, "*", APP));
      up.add("Server", "nginx/1." + i);
      up.add("X-Request-Id", "req-" + i);
      up.add("ETag", "\"" + i + "\"");
      label(cache, up.asImmutable(), fixed);
    }
    assertThat(cache.size()).isEqualTo(1);
    HttpFields.Mutable other = HttpFields.build(answer("d", "*", APP));
    other.add("X-Trace", "1");
    label(cache, other.asImmutable(), fixed);
    assertThat(cache.size()).isEqualTo(2);
  }

  @Test
  void theCacheIsBounded() {
    VerdictCache cache = new VerdictCache();
    HttpFields fixed = answer("d", APP);
    for (int i = 0; i < VerdictCache.MAX_ENTRIES + 10; i++) {
      label(cache, answer("d", "http://localhost:" + (1000 + i)), fixed);
    }
    assertThat(cache.size()).isLessThanOrEqualTo(VerdictCache.MAX_ENTRIES);
  }
}
