package io.corsdoctor.cors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Firefox behaviours beyond the recorded corpus, one row each, read from Firefox's own order of
 * checks (nsCORSListenerProxy) and the corpus README. The corpus replay covers the rest.
 */
class FirefoxModelTest {
  private static final Origin PAGE = Origin.parse("http://localhost:4200").orElseThrow();
  private static final String URL = "http://127.0.0.1:5000/sample";
  private static final String BLOCKED =
      "Cross-Origin Request Blocked: The Same Origin Policy"
          + " disallows reading the remote resource at ";
  private static final String DID_NOT_SUCCEED =
      BLOCKED + URL + ". (Reason: CORS request did not succeed). Status code: (null).";

  static Stream<Arguments> rows() {
    CorsRequest get = CorsRequest.builder(PAGE, URL).build();
    CorsRequest auth = CorsRequest.builder(PAGE, URL).header("Authorization", "Bearer x").build();
    return Stream.of(
        Arguments.of(
            "a space before the colon hides Allow-Origin from Firefox",
            get,
            List.of(actual(URL, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin : *")),
            Outcome.BLOCKED,
            List.of("CORSMissingAllowOrigin"),
            List.of(
                BLOCKED
                    + URL
                    + ". (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status"
                    + " code: 200.")),
        Arguments.of(
            "Allow-Headers * covers Authorization by default (no console line)",
            auth,
            List.of(
                preflight(
                    URL,
                    "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                        + "Access-Control-Allow-Headers: *"),
                actual(URL, "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: *")),
            Outcome.PASS,
            List.of(),
            List.of()),
        Arguments.of(
            "Allow-Headers * is a literal name with credentials, so Authorization is missing",
            auth.toBuilder().credentials(CredentialsMode.INCLUDE).build(),
            List.of(
                preflight(
                    URL,
                    "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: http://localhost:4200"
                        + "\r\nAccess-Control-Allow-Credentials: true\r\n"
                        + "Access-Control-Allow-Headers: *")),
            Outcome.BLOCKED,
            List.of("CORSMissingAllowHeaderFromPreflight", "CORSDidNotSucceed"),
            List.of(
                BLOCKED
                    + URL
                    + ". (Reason: header ‘authorization’ is not allowed according to header"
                    + " ‘Access-Control-Allow-Headers’ from CORS preflight response).",
                DID_NOT_SUCCEED)),
        Arguments.of(
            "the first missing header is reported in sorted lower-case order",
            CorsRequest.builder(PAGE, URL).header("X-B", "1").header("X-A", "1").build(),
            List.of(
                preflight(
                    URL,
                    "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                        + "Access-Control-Allow-Headers: X-B")),
            Outcome.BLOCKED,
            List.of("CORSMissingAllowHeaderFromPreflight", "CORSDidNotSucceed"),
            List.of(
                BLOCKED
                    + URL
                    + ". (Reason: header ‘x-a’ is not allowed according to header"
                    + " ‘Access-Control-Allow-Headers’ from CORS preflight response).",
                DID_NOT_SUCCEED)),
        Arguments.of(
            "a redirect without Allow-Origin fails the check, then the cancelled channel",
            get,
            List.of(actual(URL, "HTTP/1.1 302 Found\r\nLocation: /final")),
            Outcome.BLOCKED,
            List.of("CORSMissingAllowOrigin", "CORSDidNotSucceed"),
            List.of(
                BLOCKED
                    + URL
                    + ". (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status"
                    + " code: 302.",
                DID_NOT_SUCCEED)),
        Arguments.of(
            "a preflight redirect without Allow-Origin logs did-not-succeed for both channels",
            CorsRequest.builder(PAGE, URL).method("PUT").build(),
            List.of(preflight(URL, "HTTP/1.1 307 Temporary Redirect\r\nLocation: /x")),
            Outcome.BLOCKED,
            List.of("CORSMissingAllowOrigin", "CORSDidNotSucceed", "CORSDidNotSucceed"),
            List.of(
                BLOCKED
                    + URL
                    + ". (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status"
                    + " code: 307.",
                DID_NOT_SUCCEED,
                DID_NOT_SUCCEED)),
        Arguments.of(
            "redirect mode error fails the request without any console line",
            get.toBuilder().redirect(RedirectMode.ERROR).build(),
            List.of(
                actual(
                    URL,
                    "HTTP/1.1 302 Found\r\nLocation: /final\r\nAccess-Control-Allow-Origin: *")),
            Outcome.NETWORK_ERROR,
            List.of(),
            List.of()),
        Arguments.of(
            "the 21st redirect fails the request",
            get,
            java.util.Collections.nCopies(
                21,
                actual(
                    URL,
                    "HTTP/1.1 302 Found\r\nLocation: /sample\r\nAccess-Control-Allow-Origin: *")),
            Outcome.NETWORK_ERROR,
            List.of("CORSDidNotSucceed"),
            List.of(DID_NOT_SUCCEED)),
        Arguments.of(
            "a redirect to a refused port reports the redirect's target",
            get,
            List.of(
                actual(
                    URL,
                    "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:5009/x\r\n"
                        + "Access-Control-Allow-Origin: *"),
                new Exchange(
                    out(OutgoingRequest.Kind.ACTUAL, "http://127.0.0.1:5009/x"),
                    new NetworkFailure(NetError.CONNECTION_REFUSED, ""))),
            Outcome.NETWORK_ERROR,
            List.of("CORSDidNotSucceed"),
            List.of(
                BLOCKED
                    + "http://127.0.0.1:5009/x. (Reason: CORS request did not succeed). Status"
                    + " code: (null).")),
        Arguments.of(
            "a script's User-Agent is sent by Firefox, so it needs a preflight",
            CorsRequest.builder(PAGE, URL).header("User-Agent", "x").build(),
            List.of(preflight(URL, "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *")),
            Outcome.BLOCKED,
            List.of("CORSMissingAllowHeaderFromPreflight", "CORSDidNotSucceed"),
            List.of(
                BLOCKED
                    + URL
                    + ". (Reason: header ‘user-agent’ is not allowed according to header"
                    + " ‘Access-Control-Allow-Headers’ from CORS preflight response).",
                DID_NOT_SUCCEED)),
        Arguments.of(
            "redirect mode manual still checks the 3xx",
            get.toBuilder().redirect(RedirectMode.MANUAL).build(),
            List.of(actual(URL, "HTTP/1.1 302 Found\r\nLocation: /final")),
            Outcome.BLOCKED,
            List.of("CORSMissingAllowOrigin"),
            List.of(
                BLOCKED
                    + URL
                    + ". (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status"
                    + " code: 302.")),
        Arguments.of(
            "an Allow-Methods value that is not a token list is invalid",
            CorsRequest.builder(PAGE, URL).method("PUT").build(),
            List.of(
                preflight(
                    URL,
                    "HTTP/1.1 204 No Content\r\nAccess-Control-Allow-Origin: *\r\n"
                        + "Access-Control-Allow-Methods: GET, PUT;x")),
            Outcome.BLOCKED,
            List.of("CORSInvalidAllowMethod", "CORSDidNotSucceed"),
            List.of(
                BLOCKED
                    + URL
                    + ". (Reason: invalid token ‘PUT;x’ in CORS header"
                    + " ‘Access-Control-Allow-Methods’).",
                DID_NOT_SUCCEED)),
        Arguments.of(
            "a server that never answers leaves Firefox waiting: no line yet",
            get,
            List.of(
                new Exchange(
                    out(OutgoingRequest.Kind.ACTUAL, URL),
                    new NetworkFailure(NetError.TIMED_OUT, ""))),
            Outcome.NETWORK_ERROR,
            List.of(),
            List.of()),
        Arguments.of(
            "no-cors mode logs nothing for a refused connection",
            get.toBuilder().mode(RequestMode.NO_CORS).build(),
            List.of(
                new Exchange(
                    out(OutgoingRequest.Kind.ACTUAL, URL),
                    new NetworkFailure(NetError.CONNECTION_REFUSED, ""))),
            Outcome.NETWORK_ERROR,
            List.of(),
            List.of()),
        Arguments.of(
            "a same-origin request needs no CORS header",
            CorsRequest.builder(PAGE, "http://localhost:4200/api").build(),
            List.of(actual("http://localhost:4200/api", "HTTP/1.1 200 OK\r\nX: y")),
            Outcome.PASS,
            List.of(),
            List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void judgesAsFirefox(
      String behaviour,
      CorsRequest request,
      List<Exchange> exchanges,
      Outcome outcome,
      List<String> reasons,
      List<String> messages) {
    FirefoxVerdict v = FirefoxModel.judge(request, exchanges);
    assertThat(v.messages()).isEqualTo(messages);
    assertThat(v.reasons()).isEqualTo(reasons);
    assertThat(v.outcome()).isEqualTo(outcome);
  }

  @org.junit.jupiter.api.Test
  void firefoxPreflightsWhatTheStandardPreflights() {
    assertThat(FirefoxModel.preflightNeeded(CorsRequest.builder(PAGE, URL).build())).isFalse();
    assertThat(
            FirefoxModel.preflightNeeded(
                CorsRequest.builder(PAGE, URL)
                    .method("POST")
                    .header("Content-Type", "application/json")
                    .body(BodyKind.TEXT)
                    .build()))
        .isTrue();
    assertThat(FirefoxModel.preflightNeeded(CorsRequest.builder(PAGE, URL).method("patch").build()))
        .isTrue();
    assertThat(
            FirefoxModel.preflightNeeded(
                CorsRequest.builder(PAGE, URL).header("Referer", "http://x/").build()))
        .as("forbidden headers are dropped, not preflighted")
        .isFalse();
  }

  private static Exchange actual(String url, String head) {
    return new Exchange(
        out(OutgoingRequest.Kind.ACTUAL, url), ResponseHead.parse(head + "\r\n\r\n"));
  }

  private static Exchange preflight(String url, String head) {
    return new Exchange(
        out(OutgoingRequest.Kind.PREFLIGHT, url), ResponseHead.parse(head + "\r\n\r\n"));
  }

  private static OutgoingRequest out(OutgoingRequest.Kind kind, String url) {
    return new OutgoingRequest(
        kind, kind == OutgoingRequest.Kind.PREFLIGHT ? "OPTIONS" : "GET", url, new ArrayList<>());
  }
}
