package io.corsdoctor.cors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** URLs as Chromium serializes them in its console lines and as redirects resolve. */
class UrlTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          http://127.0.0.1:5000                  | http://127.0.0.1:5000/
          HTTP://LocalHost:80/a                  | http://localhost/a
          https://example.test:443/x?y=1#frag    | https://example.test/x?y=1
          http://[::1]:5002/sample               | http://[::1]:5002/sample
          http://127.0.0.1:5000/a b              | http://127.0.0.1:5000/a%20b
          http://127.0.0.1:5000/ö?q=ö            | http://127.0.0.1:5000/%C3%B6?q=%C3%B6
          http://user:pass@127.0.0.1:5004/final  | http://user:pass@127.0.0.1:5004/final
          """)
  void serializesLikeChromium(String in, String out) {
    assertThat(Url.parse(in).orElseThrow().serialize()).isEqualTo(out);
  }

  @ParameterizedTest(name = "{1} from {0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          http://127.0.0.1:5000/api/sample | /final            | http://127.0.0.1:5000/final
          http://127.0.0.1:5000/api/sample | final             | http://127.0.0.1:5000/api/final
          http://127.0.0.1:5000/api/sample | ../x              | http://127.0.0.1:5000/x
          http://127.0.0.1:5000/api/sample | //127.0.0.1:5004/f | http://127.0.0.1:5004/f
          http://127.0.0.1:5000/api/sample | ?page=2           | http://127.0.0.1:5000/api/sample?page=2
          http://127.0.0.1:5000/api/sample | data:text/plain,hi | data:text/plain,hi
          """)
  void resolvesALocation(String base, String location, String out) {
    assertThat(Url.parse(base).orElseThrow().resolve(location).orElseThrow().serialize())
        .isEqualTo(out);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          http://localhost:4200     | true
          localhost:4200            | true
          ''                        | false
          http://                   | false
          http://a b                | false
          http://localhost:99999    | false
          https://x.test/path       | true
          """)
  void gurlValidityForTheAllowOriginWording(String value, boolean valid) {
    assertThat(Url.isValidGurl(value == null ? "" : value)).isEqualTo(valid);
  }
}
