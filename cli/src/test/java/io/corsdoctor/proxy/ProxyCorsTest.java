package io.corsdoctor.proxy;

import static io.corsdoctor.proxy.ProxyFixture.APP;
import static org.assertj.core.api.Assertions.assertThat;

import io.corsdoctor.proxy.Change.Code;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CORS headers through the proxy, on real sockets. */
class ProxyCorsTest {

  /** The story's upstream: flask-cors echoes the origin and another layer adds '*'. */
  static Upstream duplicateAllowOrigin() throws Exception {
    return new Upstream(
        (r, in, out, s) -> {
          String origin = r.get("Origin");
          Upstream.answer(
              out,
              200,
              "{\"ok\":true}",
              "Access-Control-Allow-Origin: *",
              "Access-Control-Allow-Origin: " + (origin == null ? "x" : origin),
              "Content-Type: application/json");
          return true;
        });
  }

  @Test
  void duplicateAllowOriginBecomesExactlyOneAndTheLogSaysWhatWasRemoved() throws Exception {
    try (Upstream up = duplicateAllowOrigin();
        ProxyFixture p = new ProxyFixture(up.url())) {
      RawHttp.Answer direct = RawHttp.get(up.port(), "/sample", APP);
      assertThat(direct.all("Access-Control-Allow-Origin")).hasSize(2);

      RawHttp.Answer a = RawHttp.get(p.port(), "/sample", APP);
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.all("Access-Control-Allow-Origin")).containsExactly(APP);
      assertThat(a.get("Vary")).contains("Origin");
      assertThat(a.text()).isEqualTo("{\"ok\":true}");
      ProxyExchange e = p.last();
      assertThat(e.status()).isEqualTo(200);
      assertThat(e.path()).isEqualTo("/sample");
      assertThat(e.changes())
          .extracting(Change::message)
          .containsExactly("removed duplicate Access-Control-Allow-Origin '*'");
      // the engine's verdicts: the upstream's answer is blocked, the proxy's passes
      assertThat(e.verdict())
          .isEqualTo(
              new ProxyExchange.BrowserLabel("blocked", "MultipleAllowOriginValues", "pass", null));
    }
  }

  @Test
  void preflightIsAnsweredByTheProxyAndNeverReachesTheUpstream() throws Exception {
    try (Upstream up = duplicateAllowOrigin();
        ProxyFixture p = new ProxyFixture(up.url(), s -> s.withCredentials(true))) {
      RawHttp.Answer a =
          RawHttp.exchange(
              p.port(),
              "OPTIONS /sample HTTP/1.1\r\nHost: x\r\nOrigin: "
                  + APP
                  + "\r\nAccess-Control-Request-Method: PUT\r\n"
                  + "Access-Control-Request-Headers: content-type, x-token\r\n\r\n");
      assertThat(a.status()).isEqualTo(204);
      assertThat(a.all("Access-Control-Allow-Origin")).containsExactly(APP);
      assertThat(a.get("Access-Control-Allow-Credentials")).isEqualTo("true");
      assertThat(a.get("Access-Control-Allow-Methods")).isEqualTo("PUT");
      assertThat(a.get("Access-Control-Allow-Headers")).isEqualTo("content-type, x-token");
      assertThat(up.received).isEmpty();
      assertThat(p.last().kind()).isEqualTo(ProxyExchange.Kind.PREFLIGHT);
      assertThat(p.last().changes().get(0).code()).isEqualTo(Code.PREFLIGHT_ANSWERED);
    }
  }

  @Test
  void passPreflightForwardsAndRepairsA405WithoutCorsHeaders() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  Upstream.answer(out, 405, "Method Not Allowed", "Allow: GET, POST");
                  return true;
                });
        ProxyFixture p = new ProxyFixture(up.url(), s -> s.withPassPreflight(true))) {
      RawHttp.Answer a =
          RawHttp.exchange(
              p.port(),
              "OPTIONS /items HTTP/1.1\r\nHost: x\r\nOrigin: "
                  + APP
                  + "\r\nAccess-Control-Request-Method: DELETE\r\n\r\n");
      assertThat(up.received).extracting(Upstream.Received::method).containsExactly("OPTIONS");
      assertThat(a.status()).isEqualTo(200);
      assertThat(a.all("Access-Control-Allow-Origin")).containsExactly(APP);
      assertThat(a.get("Access-Control-Allow-Methods")).isEqualTo("DELETE");
      assertThat(p.last().changes()).extracting(Change::code).contains(Code.PREFLIGHT_REPAIRED);
      assertThat(p.last().changes().get(0).message())
          .contains("upstream answered the preflight 405");
    }
  }

  @Test
  void upstreamErrorsGetCorsHeadersSoTheBrowserShowsTheRealStatus() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  Upstream.answer(out, 500, "Traceback: KeyError 'name'");
                  return true;
                });
        ProxyFixture p = new ProxyFixture(up.url())) {
      RawHttp.Answer a = RawHttp.get(p.port(), "/boom", APP);
      assertThat(a.status()).isEqualTo(500);
      assertThat(a.all("Access-Control-Allow-Origin")).containsExactly(APP);
      assertThat(a.text()).contains("KeyError");
      assertThat(p.last().changes().get(0).message())
          .isEqualTo("added Access-Control-Allow-Origin '" + APP + "' (upstream sent none)");
      assertThat(p.last().verdict())
          .isEqualTo(
              new ProxyExchange.BrowserLabel("blocked", "MissingAllowOriginHeader", "pass", null));
    }
  }

  @Test
  void anOriginNotGivenGetsNoCorsHeadersEvenWhenTheUpstreamReflectsIt() throws Exception {
    try (Upstream up = duplicateAllowOrigin();
        ProxyFixture p = new ProxyFixture(up.url(), s -> s.withCredentials(true))) {
      RawHttp.Answer a = RawHttp.get(p.port(), "/sample", "http://evil.example");
      assertThat(a.all("Access-Control-Allow-Origin")).isEmpty();
      assertThat(a.all("Access-Control-Allow-Credentials")).isEmpty();
      RawHttp.Answer pre =
          RawHttp.exchange(
              p.port(),
              "OPTIONS /sample HTTP/1.1\r\nHost: x\r\nOrigin: http://evil.example\r\n"
                  + "Access-Control-Request-Method: PUT\r\n\r\n");
      assertThat(pre.status()).isEqualTo(403);
      assertThat(pre.all("Access-Control-Allow-Origin")).isEmpty();
      assertThat(pre.text()).contains("--allow-origin http://evil.example");
      assertThat(p.logged(2))
          .allSatisfy(
              e ->
                  assertThat(e.changes())
                      .extracting(Change::code)
                      .contains(Code.ORIGIN_NOT_ALLOWED));
    }
  }

  @Test
  void credentialsAreRemovedUnlessAllowedAndAddedWhenAllowed() throws Exception {
    Upstream.Handler h =
        (r, in, out, s) -> {
          Upstream.answer(
              out,
              200,
              "ok",
              "Access-Control-Allow-Origin: " + r.get("Origin"),
              "Access-Control-Allow-Credentials: true");
          return true;
        };
    try (Upstream up = new Upstream(h);
        ProxyFixture p = new ProxyFixture(up.url())) {
      RawHttp.Answer a = RawHttp.get(p.port(), "/", APP);
      assertThat(a.all("Access-Control-Allow-Credentials")).isEmpty();
      assertThat(p.last().changes())
          .extracting(Change::code)
          .containsExactly(Code.ALLOW_CREDENTIALS_REMOVED);
    }
  }

  @Test
  void redirectsAndCookiesPointAtTheProxy() throws Exception {
    try (Upstream up =
            new Upstream(
                (r, in, out, s) -> {
                  int port = s.getLocalPort();
                  Upstream.answer(
                      out,
                      302,
                      "",
                      "Location: http://127.0.0.1:" + port + "/api/login?next=%2F",
                      "Set-Cookie: sid=abc; Domain=127.0.0.1; Path=/api; Secure; HttpOnly",
                      "Set-Cookie: pref=1; Path=/");
                  return true;
                });
        ProxyFixture p = new ProxyFixture(up.url() + "/api")) {
      RawHttp.Answer a =
          RawHttp.exchange(
              p.port(), "GET /start HTTP/1.1\r\nHost: localhost:" + p.port() + "\r\n\r\n");
      assertThat(up.received.get(0).target()).isEqualTo("/api/start");
      assertThat(up.received.get(0).get("Host")).isEqualTo("127.0.0.1:" + up.port());
      assertThat(a.get("Location")).isEqualTo("http://localhost:" + p.port() + "/login?next=%2F");
      assertThat(a.all("Set-Cookie"))
          .containsExactly("sid=abc; Path=/; HttpOnly", "pref=1; Path=/");
      assertThat(p.last().changes())
          .extracting(Change::code)
          .containsExactly(
              Code.LOCATION_REWRITTEN,
              Code.COOKIE_DOMAIN_REMOVED,
              Code.COOKIE_PATH_REWRITTEN,
              Code.COOKIE_SECURE_REMOVED);
    }
  }

  @Test
  void requestsWithoutOriginPassUntouched() throws Exception {
    try (Upstream up = duplicateAllowOrigin();
        ProxyFixture p = new ProxyFixture(up.url())) {
      RawHttp.Answer a = RawHttp.get(p.port(), "/sample", null);
      assertThat(a.all("Access-Control-Allow-Origin")).isEqualTo(List.of("*", "x"));
      assertThat(p.last().changes()).isEmpty();
    }
  }
}
