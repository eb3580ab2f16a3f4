package io.corsdoctor.cors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The engine's verdicts, one named row per behaviour. Responses are written short: {@code 204;
 * ACAO: O; ACAM: PUT} is status 204 with those headers, where ACAO/ACAC/ACAM/ACAH/MAX are the
 * Access-Control-* names and O is the page origin; {@code -} means the request must not be sent.
 */
class CorsEngineTest {
  static final String PAGE = "http://localhost:4200";
  static final String API = "http://127.0.0.1:5000/sample";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # ported from wpt fetch/api/cors/cors-preflight-star.any.js
          wpt star: GET passes although 'get' fails the case-sensitive check | omit    | GET   | X-Test: 1 | 204; ACAO: *; ACAM: get; ACAH: x-test | 200; ACAO: * | PASS
          wpt star: * is any method without credentials      | omit    | SUPER | X-Test: 1 | 204; ACAO: *; ACAM: *; ACAH: x-test   | 200; ACAO: * | PASS
          wpt star: * is any header without credentials      | omit    | OK    | X-Test: 1 | 204; ACAO: *; ACAM: *; ACAH: *        | 200; ACAO: * | PASS
          wpt star: * is no method with credentials          | include | PUT   |           | 204; ACAO: O; ACAC: true; ACAM: *     | -            | MethodDisallowedByPreflightResponse PUT
          wpt star: PUT allowed by name with credentials     | include | PUT   |           | 204; ACAO: O; ACAC: true; ACAM: PUT; ACAH: * | 200; ACAO: O; ACAC: true | PASS
          wpt star: * is no header with credentials          | include | GET   | X-Test: 1 | 204; ACAO: O; ACAC: true; ACAM: *; ACAH: * | -     | HeaderDisallowedByPreflightResponse x-test
          wpt star: 'put' does not allow PUT                 | include | PUT   |           | 204; ACAO: O; ACAC: true; ACAM: put; ACAH: * | -     | MethodDisallowedByPreflightResponse PUT
          # ported from wpt fetch/api/cors/cors-preflight-status.any.js
          wpt status: preflight 200 is ok                    | omit    | GET   | X-Test: 1 | 200; ACAO: *; ACAH: x-test            | 200; ACAO: * | PASS
          wpt status: preflight 206 is ok                    | omit    | GET   | X-Test: 1 | 206; ACAO: *; ACAH: x-test            | 200; ACAO: * | PASS
          wpt status: preflight 300 without Location fails   | omit    | GET   | X-Test: 1 | 300; ACAO: *; ACAH: x-test            | -            | PreflightInvalidStatus
          wpt status: preflight 304 fails                    | omit    | GET   | X-Test: 1 | 304; ACAO: *; ACAH: x-test            | -            | PreflightInvalidStatus
          wpt status: preflight 404 fails                    | omit    | GET   | X-Test: 1 | 404; ACAO: *; ACAH: x-test            | -            | PreflightInvalidStatus
          wpt status: preflight 505 fails                    | omit    | GET   | X-Test: 1 | 505; ACAO: *; ACAH: x-test            | -            | PreflightInvalidStatus
          # ported from wpt fetch/api/cors/cors-preflight-response-validation.any.js
          wpt validation: Allow-Headers with spaces in a name | omit   | GET   | X-Test: 1 | 204; ACAO: *; ACAH: x-test,header name with space | - | InvalidAllowHeadersPreflightResponse
          wpt validation: Allow-Methods with spaces in a name | omit   | PUT   |           | 204; ACAO: *; ACAM: Bad method name    | -           | InvalidAllowMethodsPreflightResponse
          # ported from wpt fetch/api/cors/cors-preflight-redirect.any.js
          wpt redirect: preflight 301 with Location           | omit   | PUT   |           | 301; ACAO: *; Location: /other         | -           | PreflightDisallowedRedirect
          wpt redirect: preflight 308 with Location           | omit   | PUT   |           | 308; ACAO: *; Location: /other         | -           | PreflightDisallowedRedirect
          # ported from wpt fetch/api/cors/cors-basic.any.js and cors-origin.any.js
          wpt basic: simple GET with ACAO *                   | omit    | GET  |           | -                                      | 200; ACAO: * | PASS
          wpt basic: simple GET without ACAO                  | omit    | GET  |           | -                                      | 200          | MissingAllowOriginHeader
          wpt origin: ACAO of another origin                  | omit    | GET  |           | -                                      | 200; ACAO: http://example.test | AllowOriginMismatch http://example.test
          # ported from wpt fetch/api/cors/cors-multiple-origins.js
          wpt multiple: two origins in one value              | omit    | GET  |           | -                                      | 200; ACAO: O http://example.test | MultipleAllowOriginValues http://localhost:4200 http://example.test
          wpt multiple: two lines                              | omit    | GET  |           | -                                      | 200; ACAO: O; ACAO: O | MultipleAllowOriginValues http://localhost:4200, http://localhost:4200
          # ported from wpt fetch/api/cors/cors-cookies.any.js (credentials)
          wpt cookies: include needs exact origin and true     | include | GET  |           | -                                      | 200; ACAO: O; ACAC: true | PASS
          wpt cookies: include without ACAC                    | include | GET  |           | -                                      | 200; ACAO: O | InvalidAllowCredentials
          # Chromium 156 specifics seen in the corpus
          preflight: missing ACAO is reported before the status | omit  | PUT  |           | 403                                    | -            | PreflightMissingAllowOriginHeader
          preflight: ACAO empty value is invalid               | omit    | PUT  |           | 204; ACAO: ; ACAM: PUT                 | -            | PreflightInvalidAllowOriginValue
          preflight: ACAO null is a mismatch                   | omit    | PUT  |           | 204; ACAO: null; ACAM: PUT             | -            | PreflightAllowOriginMismatch null
          preflight: wildcard ACAO with credentials            | include | PUT  |           | 204; ACAO: *; ACAM: PUT                | -            | PreflightWildcardOriginNotAllowed
          preflight: credentials with ACAC missing             | include | PUT  |           | 204; ACAO: O; ACAM: PUT                | -            | PreflightInvalidAllowCredentials
          preflight: ACAC TRUE is not true                     | include | PUT  |           | 204; ACAO: O; ACAC: TRUE; ACAM: PUT    | -            | PreflightInvalidAllowCredentials TRUE
          preflight: redirect is checked before the ACAO       | omit    | PUT  |           | 302; Location: /x                      | -            | PreflightDisallowedRedirect
          preflight: Allow-Methods parse error beats method    | omit    | PUT  |           | 204; ACAO: *; ACAM: PUT, GE T          | -            | InvalidAllowMethodsPreflightResponse
          preflight: the first missing header in sorted order  | omit    | GET  | X-B: 1; X-A: 1 | 204; ACAO: *; ACAH: x-b         | -            | HeaderDisallowedByPreflightResponse x-a
          preflight: Authorization under * passes in Chromium  | omit    | GET  | Authorization: Bearer x | 204; ACAO: *; ACAH: * | 200; ACAO: * | PASS
          preflight: ACAM lines combine                        | omit    | PUT  |           | 204; ACAO: *; ACAM: GET; ACAM: PUT     | 200; ACAO: * | PASS
          actual: 500 with ACAO passes CORS                    | omit    | GET  |           | -                                      | 500; ACAO: * | PASS
          actual: ACAO padded with spaces is trimmed           | omit    | GET  |           | -                                      | 200; ACAO:   http://localhost:4200   | PASS
          actual: ACAO non-ASCII byte is invalid, hint empty   | omit    | GET  |           | -                                      | 200; ACAO: http://localh\u00f6st:4200 |  InvalidAllowOriginValue
          actual: ACAO without scheme is a mismatch            | omit    | GET  |           | -                                      | 200; ACAO: localhost:4200 | AllowOriginMismatch localhost:4200
          network: RTSP reply to the preflight                 | omit    | PUT  |           | RTSP                                   | -            | net::ERR_INVALID_HTTP_RESPONSE
          network: empty reply                                 | omit    | GET  |           | -                                      | EMPTY        | net::ERR_EMPTY_RESPONSE
          """)
  void verdicts(
      String name,
      String credentials,
      String method,
      String headers,
      String preflight,
      String actual,
      String expected) {
    CorsRequest.Builder b =
        CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), API)
            .method(method)
            .credentials(CredentialsMode.fromToken(credentials));
    if (headers != null) {
      for (String h : headers.split(";")) {
        String[] nv = h.split(":", 2);
        b.header(nv[0].strip(), nv[1].strip());
      }
    }
    List<String> sent = new ArrayList<>();
    Verdict v =
        CorsEngine.evaluate(
            b.build(),
            BrowserState.fresh(),
            out -> {
              String spec = out.kind() == OutgoingRequest.Kind.PREFLIGHT ? preflight : actual;
              sent.add(out.kind().name());
              assertThat(spec)
                  .as(name + ": the engine must not send the " + out.kind())
                  .isNotEqualTo("-");
              return reply(spec);
            });
    String[] exp = expected.split(" ", 2);
    if (exp[0].equals("PASS")) {
      assertThat(v.outcome()).as(name + " " + v.chrome()).isEqualTo(Outcome.PASS);
      assertThat(v.chrome().message()).isNull();
    } else if (exp[0].startsWith("net::")) {
      assertThat(v.outcome()).as(name).isEqualTo(Outcome.NETWORK_ERROR);
      assertThat(v.chrome().netError().chromiumName()).isEqualTo(exp[0]);
      assertThat(v.chrome().message()).isNull();
      assertThat(v.chrome().networkLine()).isEqualTo("Failed to load resource: " + exp[0]);
    } else {
      assertThat(v.outcome()).as(name + " " + v.chrome()).isEqualTo(Outcome.BLOCKED);
      assertThat(v.chrome().corsError()).as(name).isEqualTo(CorsError.valueOf(exp[0]));
      assertThat(v.chrome().failedParameter()).as(name).isEqualTo(exp.length > 1 ? exp[1] : "");
      assertThat(v.chrome().message()).as(name).startsWith("Access to fetch at '" + API + "'");
      assertThat(v.problems()).as(name).isNotEmpty();
    }
  }

  /** Builds raw response bytes from the short form. */
  static Reply reply(String spec) {
    if (spec.equals("RTSP")) {
      return ResponseHead.parse("RTSP/1.0 403 Forbidden\r\nServer: AirTunes/860.7.1\r\n\r\n");
    }
    if (spec.equals("EMPTY")) {
      return ResponseHead.parse("");
    }
    String[] parts = spec.split(";");
    StringBuilder raw = new StringBuilder("HTTP/1.1 ").append(parts[0].strip()).append("\r\n");
    Map<String, String> names =
        Map.of(
            "ACAO", "Access-Control-Allow-Origin",
            "ACAC", "Access-Control-Allow-Credentials",
            "ACAM", "Access-Control-Allow-Methods",
            "ACAH", "Access-Control-Allow-Headers",
            "MAX", "Access-Control-Max-Age");
    for (int i = 1; i < parts.length; i++) {
      String[] nv = parts[i].split(":", 2);
      String n = names.getOrDefault(nv[0].strip(), nv[0].strip());
      String value = nv[1].replace("\\u00f6", "\u00f6");
      if (n.equals("Access-Control-Allow-Origin")) {
        value = value.replaceAll("\\bO\\b", PAGE);
      }
      raw.append(n).append(":").append(value).append("\r\n");
    }
    return ResponseHead.parse(raw.append("Content-Length: 0\r\n\r\n").toString());
  }

  @Test
  void authorizationUnderWildcardIsAChromiumOnlyPassWithAProblem() {
    CorsRequest r =
        CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), API)
            .header("Authorization", "Bearer x")
            .build();
    Verdict v =
        CorsEngine.evaluate(
            r,
            BrowserState.fresh(),
            out ->
                reply(
                    out.kind() == OutgoingRequest.Kind.PREFLIGHT
                        ? "204; ACAO: *; ACAH: *"
                        : "200; ACAO: *"));
    assertThat(v.outcome()).isEqualTo(Outcome.PASS);
    assertThat(v.problems())
        .extracting(Problem::rule)
        .containsExactly(Rule.AUTHORIZATION_NOT_COVERED_BY_WILDCARD);
    assertThat(v.problems().get(0).rule().blocking()).isFalse();
  }

  @Test
  void everyProblemIsCollectedTheDecidingOneFirst() {
    CorsRequest r =
        CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), API)
            .method("PUT")
            .header("X-A", "1")
            .header("X-B", "1")
            .build();
    Verdict v = CorsEngine.evaluate(r, BrowserState.fresh(), out -> reply("403; Server: AirTunes"));
    assertThat(v.chrome().corsError()).isEqualTo(CorsError.PreflightMissingAllowOriginHeader);
    assertThat(v.problems()).allMatch(p -> p.rule().blocking());
    assertThat(v.problems())
        .extracting(Problem::rule)
        .containsExactly(
            Rule.ALLOW_ORIGIN_MISSING,
            Rule.PREFLIGHT_STATUS_NOT_OK,
            Rule.METHOD_NOT_ALLOWED,
            Rule.HEADER_NOT_ALLOWED,
            Rule.HEADER_NOT_ALLOWED);
    assertThat(v.stage()).isEqualTo(Stage.PREFLIGHT);
    assertThat(v.exchanges()).hasSize(1);
  }

  @Test
  void aCredentialedMismatchAlsoReportsTheMissingAllowCredentials() {
    CorsRequest r =
        CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), API)
            .credentials(CredentialsMode.INCLUDE)
            .build();
    Verdict v = CorsEngine.evaluate(r, BrowserState.fresh(), out -> reply("200; ACAO: *"));
    assertThat(v.chrome().corsError()).isEqualTo(CorsError.WildcardOriginNotAllowed);
    assertThat(v.problems())
        .extracting(Problem::rule)
        .containsExactly(
            Rule.ALLOW_ORIGIN_WILDCARD_WITH_CREDENTIALS, Rule.ALLOW_CREDENTIALS_INVALID);
  }

  @Test
  void thePreflightIsBuiltAsChromiumSendsIt() {
    CorsRequest r =
        CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), "http://127.0.0.1:5000")
            .method("post")
            .header("X-B", "1")
            .header("Content-Type", "application/json")
            .header("Cookie", "dropped=1")
            .build();
    Step step = CorsEngine.start(r, BrowserState.fresh());
    OutgoingRequest pf = ((Step.Send) step).request();
    assertThat(pf.kind()).isEqualTo(OutgoingRequest.Kind.PREFLIGHT);
    assertThat(pf.method()).isEqualTo("OPTIONS");
    assertThat(pf.url()).isEqualTo("http://127.0.0.1:5000/");
    assertThat(pf.headers())
        .extracting(Header::name)
        .startsWith(
            "Accept", "Access-Control-Request-Method", "Access-Control-Request-Headers", "Origin")
        .contains("Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-Dest")
        .doesNotContain("Cookie", "X-B");
    assertThat(pf.headers())
        .contains(
            new Header("Access-Control-Request-Method", "POST"),
            new Header("Access-Control-Request-Headers", "content-type,x-b"),
            new Header("Origin", PAGE),
            new Header("Sec-Fetch-Site", "cross-site"));
  }

  @Test
  void aStepCanBeAnsweredTwiceIndependently() {
    CorsRequest r = CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), API).build();
    Step.Send send = (Step.Send) CorsEngine.start(r, BrowserState.fresh());
    Verdict refused =
        ((Step.Done) send.reply(new NetworkFailure(NetError.CONNECTION_REFUSED, ""))).verdict();
    Verdict ok = ((Step.Done) send.reply(reply("200; ACAO: *"))).verdict();
    assertThat(refused.outcome()).isEqualTo(Outcome.NETWORK_ERROR);
    assertThat(ok.outcome()).isEqualTo(Outcome.PASS);
    assertThat(ok.exchanges()).hasSize(1);
  }

  @Test
  void afterACrossOriginRedirectTheOriginIsNull() {
    // wpt fetch/api/cors/cors-redirect.any.js: "cors to another cors" expects origin "null"
    CorsRequest r = CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), API).build();
    List<OutgoingRequest> sent = new ArrayList<>();
    Verdict v =
        CorsEngine.evaluate(
            r,
            BrowserState.fresh(),
            out -> {
              sent.add(out);
              return sent.size() == 1
                  ? reply("302; ACAO: *; Location: http://127.0.0.1:5004/final")
                  : reply("200; ACAO: null");
            });
    assertThat(v.outcome()).isEqualTo(Outcome.PASS);
    assertThat(sent.get(1).headers()).contains(new Header("Origin", "null"));
    assertThat(v.problems()).extracting(Problem::rule).contains(Rule.REDIRECT_TAINTS_ORIGIN);
  }

  /**
   * Ported from wpt fetch/api/cors/cors-redirect.any.js: which Origin the final request carries.
   */
  @ParameterizedTest(name = "wpt cors-redirect: {0} with {3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          cors to same cors     | http://remote.test:81/redirect | http://remote.test:81/preflight | 301 | http://localhost:4200
          cors to another cors  | http://remote.test:81/redirect | http://localhost:4201/preflight | 301 | null
          same origin to cors   | http://localhost:4200/redirect | http://remote.test:81/preflight | 301 | http://localhost:4200
          cors to same origin   | http://remote.test:81/redirect | http://localhost:4200/preflight | 301 | null
          cors to same cors     | http://remote.test:81/redirect | http://remote.test:81/preflight | 302 | http://localhost:4200
          cors to another cors  | http://remote.test:81/redirect | http://localhost:4201/preflight | 302 | null
          same origin to cors   | http://localhost:4200/redirect | http://remote.test:81/preflight | 302 | http://localhost:4200
          cors to same origin   | http://remote.test:81/redirect | http://localhost:4200/preflight | 302 | null
          cors to same cors     | http://remote.test:81/redirect | http://remote.test:81/preflight | 303 | http://localhost:4200
          cors to another cors  | http://remote.test:81/redirect | http://localhost:4201/preflight | 303 | null
          same origin to cors   | http://localhost:4200/redirect | http://remote.test:81/preflight | 303 | http://localhost:4200
          cors to same origin   | http://remote.test:81/redirect | http://localhost:4200/preflight | 303 | null
          cors to same cors     | http://remote.test:81/redirect | http://remote.test:81/preflight | 307 | http://localhost:4200
          cors to another cors  | http://remote.test:81/redirect | http://localhost:4201/preflight | 307 | null
          same origin to cors   | http://localhost:4200/redirect | http://remote.test:81/preflight | 307 | http://localhost:4200
          cors to same origin   | http://remote.test:81/redirect | http://localhost:4200/preflight | 307 | null
          cors to same cors     | http://remote.test:81/redirect | http://remote.test:81/preflight | 308 | http://localhost:4200
          cors to another cors  | http://remote.test:81/redirect | http://localhost:4201/preflight | 308 | null
          same origin to cors   | http://localhost:4200/redirect | http://remote.test:81/preflight | 308 | http://localhost:4200
          cors to same origin   | http://remote.test:81/redirect | http://localhost:4200/preflight | 308 | null
          """)
  void wptCorsRedirectSetsTheOrigin(
      String name, String from, String location, int status, String expectedOrigin) {
    CorsRequest r = CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), from).build();
    List<OutgoingRequest> sent = new ArrayList<>();
    Verdict v =
        CorsEngine.evaluate(
            r,
            BrowserState.fresh(),
            out -> {
              sent.add(out);
              // preflight.py answers with the request's Origin (or *), as the WPT server does.
              String origin =
                  out.headers().stream()
                      .filter(h -> h.is("Origin"))
                      .map(Header::value)
                      .findFirst()
                      .orElse("*");
              return sent.size() == 1
                  ? reply(status + "; ACAO: *; Location: " + location)
                  : reply("200; ACAO: " + origin);
            });
    assertThat(v.outcome()).as(name).isEqualTo(Outcome.PASS);
    assertThat(v.preflightSent()).as("no preflight request has been made").isFalse();
    assertThat(sent).hasSize(2);
    OutgoingRequest last = sent.get(1);
    assertThat(last.url()).isEqualTo(location);
    assertThat(last.headers().stream().filter(h -> h.is("Origin")).map(Header::value).findFirst())
        .as(name)
        .contains(expectedOrigin);
  }

  @Test
  void twentyRedirectsAreFollowedTheTwentyFirstFails() {
    CorsRequest r = CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), API).build();
    int[] n = {0};
    Verdict v =
        CorsEngine.evaluate(
            r, BrowserState.fresh(), out -> reply("302; ACAO: *; Location: /r" + (++n[0])));
    assertThat(n[0]).isEqualTo(21);
    assertThat(v.chrome().netError()).isEqualTo(NetError.TOO_MANY_REDIRECTS);
    assertThat(v.chrome().message()).isNull();
  }

  @Test
  void redirectModeErrorIsAPlainNetworkError() {
    CorsRequest r =
        CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), API)
            .redirect(RedirectMode.ERROR)
            .build();
    Verdict v =
        CorsEngine.evaluate(r, BrowserState.fresh(), out -> reply("302; ACAO: *; Location: /x"));
    assertThat(v.outcome()).isEqualTo(Outcome.NETWORK_ERROR);
    assertThat(v.chrome().netError()).isEqualTo(NetError.FAILED);
    assertThat(v.chrome().corsError()).isNull();
  }

  @Test
  void fetchToFtpIsRefusedBeforeSending() {
    CorsRequest r =
        CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), "ftp://127.0.0.1/x").build();
    Step s = CorsEngine.start(r, BrowserState.fresh());
    Verdict v = ((Step.Done) s).verdict();
    assertThat(v.chrome().message())
        .isEqualTo("Fetch API cannot load ftp://127.0.0.1/x. URL scheme \"ftp\" is not supported.");
    assertThat(v.chrome().issueCorsError()).isEqualTo(CorsError.CorsDisabledScheme);
  }

  @Test
  void xhrMessagesUseTheirOwnKindAndSuffix() {
    CorsRequest r =
        CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), API)
            .api(Api.XHR)
            .credentials(CredentialsMode.INCLUDE)
            .build();
    Verdict v = CorsEngine.evaluate(r, BrowserState.fresh(), out -> reply("200; ACAO: *"));
    assertThat(v.chrome().message())
        .isEqualTo(
            "Access to XMLHttpRequest at '"
                + API
                + "' from origin 'http://localhost:4200' has been blocked by CORS policy: The value"
                + " of the 'Access-Control-Allow-Origin' header in the response must not be the"
                + " wildcard '*' when the request's credentials mode is 'include'. The credentials"
                + " mode of requests initiated by the XMLHttpRequest is controlled by the"
                + " withCredentials attribute.");
  }

  @Test
  void aPreflightIsCachedForFiveSecondsWithoutMaxAgeAndUpToTwoHours() {
    CorsRequest r =
        CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), API).method("PUT").build();
    Verdict first =
        CorsEngine.evaluate(
            r,
            BrowserState.fresh(),
            out ->
                reply(
                    out.kind() == OutgoingRequest.Kind.PREFLIGHT
                        ? "204; ACAO: *; ACAM: PUT; MAX: 99999"
                        : "200; ACAO: *"));
    assertThat(first.stateAfter().preflightCache())
        .singleElement()
        .extracting(PreflightCacheEntry::expiresAtMillis)
        .isEqualTo(7_200_000L);
    Verdict cached =
        CorsEngine.evaluate(r, first.stateAfter().at(7_199_999), out -> reply("200; ACAO: *"));
    assertThat(cached.preflightNeeded()).isTrue();
    assertThat(cached.preflightSent()).isFalse();
  }

  @Test
  void fetchRefusesABodyOnGetWhileXhrDropsIt() {
    CorsRequest.Builder b =
        CorsRequest.builder(Origin.parse(PAGE).orElseThrow(), API).body(BodyKind.TEXT);
    Verdict fetch = ((Step.Done) CorsEngine.start(b.build(), BrowserState.fresh())).verdict();
    assertThat(fetch.chrome().scriptError())
        .isEqualTo(
            "TypeError: Failed to execute 'fetch' on 'Window': Request with GET/HEAD method cannot"
                + " have body.");
    Step xhr = CorsEngine.start(b.api(Api.XHR).build(), BrowserState.fresh());
    OutgoingRequest sent = ((Step.Send) xhr).request();
    assertThat(sent.kind()).isEqualTo(OutgoingRequest.Kind.ACTUAL);
    assertThat(sent.headers()).extracting(Header::name).doesNotContain("Content-Type");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      textBlock =
          """
          public secure page to loopback without permission | http://127.0.0.1:4300 | public   | false | NULL   | LocalNetworkAccessPermissionDenied | loopback
          public page that is not a secure context          | http://pub.test:4300  | public   | false | NULL   | InsecureLocalNetwork | loopback
          public page with the permission                   | http://127.0.0.1:4300 | public   | true  | NULL   | PASS   | -
          loopback page to loopback                         | http://localhost:4200 | NULL     | false | NULL   | PASS   | -
          targetAddressSpace that does not match            | http://localhost:4200 | NULL     | false | public | InvalidLocalNetworkAccess | loopback
          targetAddressSpace that matches                   | http://localhost:4200 | NULL     | false | loopback | PASS | -
          """)
  void localNetworkAccessIsCheckedBeforeAnythingIsSent(
      String name,
      String page,
      String clientSpace,
      boolean granted,
      String target,
      String expected,
      String word) {
    CorsRequest.Builder b =
        CorsRequest.builder(Origin.parse(page).orElseThrow(), API)
            .method("POST")
            .header("Content-Type", "application/json")
            .localNetworkAccessGranted(granted);
    if (clientSpace != null) {
      b.clientAddressSpace(AddressSpace.fromWord(clientSpace));
    }
    if (target != null) {
      b.targetAddressSpace(AddressSpace.fromWord(target));
    }
    Verdict v =
        CorsEngine.evaluate(
            b.build(),
            BrowserState.fresh(),
            out ->
                reply(
                    out.kind() == OutgoingRequest.Kind.PREFLIGHT
                        ? "204; ACAO: *; ACAH: content-type"
                        : "200; ACAO: *"));
    assertThat(v.preflightNeeded()).as(name).isTrue();
    if (expected.equals("PASS")) {
      assertThat(v.outcome()).as(name).isEqualTo(Outcome.PASS);
      assertThat(v.preflightSent()).isTrue();
    } else {
      assertThat(v.chrome().corsError()).as(name).isEqualTo(CorsError.valueOf(expected));
      assertThat(v.exchanges()).as(name).isEmpty();
      assertThat(v.preflightSent()).isFalse();
      assertThat(v.chrome().message()).as(name).contains("`" + word + "`");
      assertThat(v.chrome().message()).doesNotContain("Response to preflight");
    }
  }

  /** The example in README.md ("The CORS engine as a library") prints what it says. */
  @Test
  void theReadmeExampleSaysWhatItPrints() {
    var request =
        CorsRequest.builder(
                Origin.parse("http://localhost:4200").orElseThrow(), "http://127.0.0.1:5000/sample")
            .method("POST")
            .header("Content-Type", "application/json")
            .build();
    Verdict v =
        CorsEngine.evaluate(
            request,
            BrowserState.fresh(),
            out ->
                ResponseHead.parse(
                    out.kind() == OutgoingRequest.Kind.PREFLIGHT
                        ? "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n\r\n"
                        : "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *\r\n\r\n"));
    StringBuilder printed =
        new StringBuilder(v.outcome() + " " + v.chrome().corsError() + "\n" + v.chrome().message());
    v.problems()
        .forEach(
            p ->
                printed.append(
                    "\n"
                        + p.rule()
                        + " "
                        + p.header()
                        + ": "
                        + p.observed()
                        + " (needs "
                        + p.expected()
                        + ")"));
    assertThat(printed.toString())
        .isEqualTo(
            "BLOCKED HeaderDisallowedByPreflightResponse\n"
                + "Access to fetch at 'http://127.0.0.1:5000/sample' from origin"
                + " 'http://localhost:4200' has been blocked by CORS policy: Request header field"
                + " content-type is not allowed by Access-Control-Allow-Headers in preflight"
                + " response.\n"
                + "HEADER_NOT_ALLOWED Access-Control-Allow-Headers: null (needs content-type)");
  }

  @Test
  void encodeHintEscapesControlAndNonAscii() {
    assertThat(ChromiumMessages.encodeHint("a\u00f6\tb")).isEqualTo("a\\u00F6\\u0009b");
    assertThat(ChromiumMessages.cdpFailedParameter("localh\u00f6st")).isEmpty();
    assertThat(ChromiumMessages.cdpFailedParameter("h\u00c3\u00b6")).isEqualTo("h\u00f6");
  }
}
