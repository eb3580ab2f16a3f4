package io.corsdoctor.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.corsdoctor.cors.Header;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FingerprintsTest {

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // header name | header value | expected key | body
        "Server       | AirTunes/620.8.2                      | airplay  | ''",
        "Server       | Werkzeug/2.2.2 Python/3.11.2          | flask    | ''",
        "Server       | uvicorn                               | fastapi  | ''",
        "Server       | WSGIServer/0.2 CPython/3.11.2         | django   | ''",
        "X-Powered-By | Express                               | express  | ''",
        "Server       | Jetty(12.1.14)                        | jetty    | ''",
        "Server       | nginx/1.22.1                          | nginx    | ''",
        "Server       | Apache-Coyote/1.1                     | tomcat   | ''",
        "X-Other      | x                                     | vite     | '<script type=\"module\" src=\"/@vite/client\"></script>'",
        "X-Other      | x                                     | spring   | 'Invalid CORS request'",
        "X-Powered-By | Express                               | firebase | 'Firebase Local Emulator Suite'",
      })
  void recognisesServersFromTheirReplies(String name, String value, String key, String body) {
    assertThat(Fingerprints.identify("HTTP/1.1 200 OK", List.of(new Header(name, value)), body))
        .hasValueSatisfying(f -> assertThat(f.key()).isEqualTo(key));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"Server, MyOwnServer", "X-Powered-By, nothing-known"})
  void saysNothingAboutUnknownServers(String name, String value) {
    assertThat(Fingerprints.identify("HTTP/1.1 200 OK", List.of(new Header(name, value)), ""))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"'RTSP/1.0 403 Forbidden'"})
  void aRtspStatusLineIsAirPlay(String statusLine) {
    Fingerprint f = Fingerprints.identify(statusLine, List.of(), "").orElseThrow();
    assertThat(f.product()).contains("AirPlay");
    assertThat(f.evidence()).isEqualTo(statusLine);
  }
}
