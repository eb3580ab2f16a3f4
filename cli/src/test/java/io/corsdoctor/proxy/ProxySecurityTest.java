package io.corsdoctor.proxy;

import static io.corsdoctor.proxy.ProxyFixture.APP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proxy is no open proxy and reflects no origin. */
class ProxySecurityTest {

  static Upstream named(String name) throws Exception {
    return new Upstream(
        (r, in, out, s) -> {
          Upstream.answer(out, 200, name);
          return true;
        });
  }

  @Test
  void absoluteFormRequestLinesAndForeignHostHeadersStillGoToTheTarget() throws Exception {
    try (Upstream target = named("target");
        Upstream other = named("other");
        ProxyFixture p = new ProxyFixture(target.url())) {
      RawHttp.Answer absolute =
          RawHttp.exchange(
              p.port(),
              "GET http://127.0.0.1:"
                  + other.port()
                  + "/secret HTTP/1.1\r\nHost: 127.0.0.1:"
                  + other.port()
                  + "\r\n\r\n");
      RawHttp.Answer host =
          RawHttp.exchange(
              p.port(), "GET /secret HTTP/1.1\r\nHost: 127.0.0.1:" + other.port() + "\r\n\r\n");
      assertThat(absolute.text()).isEqualTo("target");
      assertThat(host.text()).isEqualTo("target");
      assertThat(other.received).isEmpty();
      assertThat(target.received).extracting(Upstream.Received::target).containsOnly("/secret");
    }
  }

  @Test
  void connectIsRefused() throws Exception {
    try (Upstream target = named("target");
        Upstream other = named("other");
        ProxyFixture p = new ProxyFixture(target.url())) {
      RawHttp.Answer a =
          RawHttp.exchange(
              p.port(),
              "CONNECT 127.0.0.1:"
                  + other.port()
                  + " HTTP/1.1\r\nHost: 127.0.0.1:"
                  + other.port()
                  + "\r\n\r\n");
      assertThat(a.status()).isIn(400, 405);
      assertThat(other.received).isEmpty();
      assertThat(target.received).isEmpty();
    }
  }

  @Test
  void bindsLoopbackByDefault() throws Exception {
    try (Upstream target = named("target");
        ProxyFixture p = new ProxyFixture(target.url())) {
      assertThat(p.proxy.settings().listenHost()).isEqualTo("127.0.0.1");
      assertThat(CorsProxy.isLoopback(p.proxy.settings().listenHost())).isTrue();
      assertThat(CorsProxy.isLoopback("0.0.0.0")).isFalse();
    }
  }

  @Test
  void originsAreNeverReflectedAndWildcardWithCredentialsIsRefused() throws Exception {
    CorsRules rules = new CorsRules(List.of(APP), true, 60);
    assertThat(rules.allows("http://localhost:4201")).isFalse();
    assertThat(rules.allows("http://localhost:4200.evil.example")).isFalse();
    assertThat(rules.allows("null")).isFalse();
    assertThatThrownBy(
            () ->
                CorsProxy.create(
                    ProxySettings.of(URI.create("http://127.0.0.1:1"), List.of("*"))
                        .withCredentials(true),
                    e -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentials");
  }
}
