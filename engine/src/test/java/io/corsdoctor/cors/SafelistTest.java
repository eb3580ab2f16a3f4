package io.corsdoctor.cors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When a request needs a CORS preflight: one named row per rule of the Fetch standard. */
class SafelistTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NULL",
      textBlock =
          """
          # ported from wpt fetch/api/cors/resources/not-cors-safelisted.json (cors-preflight-not-cors-safelisted.any.js)
          wpt: accept with a double quote                     | accept           | "                      | true
          wpt: accept of 129 bytes                            | accept           | 012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678 | true
          wpt: accept-language with @                         | accept-language  | @                      | true
          wpt: authorization                                  | authorization    | basics                 | true
          wpt: content-language with @                        | content-language | @                      | true
          wpt: content-type text/html                         | content-type     | text/html              | true
          wpt: content-type text/plain with a long parameter  | content-type     | text/plain; long=0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901 | true
          wpt: last-event-id is not safelisted                | last-event-id    | x                      | true
          wpt: range without the equals sign                  | range            | bytes 0-               | true
          wpt: an unknown header                              | test             | hi                     | true
          # ported from wpt fetch/api/cors/cors-no-preflight.any.js
          wpt: accept */*                                     | accept           | */*                    | false
          wpt: accept-language 0                              | accept-language  | 0                      | false
          wpt: content-language 0                             | content-language | 0                      | false
          wpt: content-type application/x-www-form-urlencoded | content-type     | application/x-www-form-urlencoded | false
          wpt: content-type multipart/form-data               | content-type     | multipart/form-data    | false
          wpt: content-type text/plain                        | content-type     | text/plain             | false
          wpt: content-type text/plain;charset=utf-8          | content-type     | text/plain;charset=utf-8 | false
          wpt: content-type Text/Plain;charset=utf-8          | content-type     | Text/Plain;charset=utf-8 | false
          # the standard's value rules (corpus C30-C43)
          accept of exactly 128 bytes is safelisted           | accept           | 01234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567 | false
          accept with { is an unsafe byte                     | accept           | application/json{      | true
          accept-language with an underscore                  | accept-language  | en_US                  | true
          content-type with a list is not one MIME type       | content-type     | text/plain, application/json | true
          content-type json with charset                      | content-type     | application/json;charset=UTF-8 | true
          content-type upper case essence                     | content-type     | TEXT/PLAIN             | false
          range bytes=0- is a simple range                    | range            | bytes=0-               | false
          range bytes=5-1 is not                              | range            | bytes=5-1              | true
          cache-control is not safelisted                     | cache-control    | no-cache               | true
          forbidden headers are dropped, not preflighted      | origin           | http://evil.invalid    | false
          sec- headers are forbidden                          | sec-custom       | 1                      | false
          """)
  void needsPreflightForOneHeader(String name, String header, String value, boolean preflight) {
    List<String> unsafe = Safelist.corsUnsafeRequestHeaderNames(List.of(new Header(header, value)));
    assertThat(!unsafe.isEmpty()).as(name).isEqualTo(preflight);
  }

  @Test
  void safelistedValuesOver1024BytesInTotalMakeEveryOneUnsafe() {
    String v = "a".repeat(120);
    List<Header> headers =
        List.of(
            new Header("Accept", v),
            new Header("Accept-Language", v),
            new Header("Content-Language", v),
            new Header("Accept", v),
            new Header("Accept", v),
            new Header("Accept", v),
            new Header("Accept", v),
            new Header("Accept", v),
            new Header("Accept", v));
    assertThat(Safelist.corsUnsafeRequestHeaderNames(headers.subList(0, 8))).isEmpty();
    assertThat(Safelist.corsUnsafeRequestHeaderNames(headers))
        .containsExactly("accept", "accept-language", "content-language");
  }

  @Test
  void unsafeNamesAreLowerCasedSortedAndUnique() {
    assertThat(
            Safelist.corsUnsafeRequestHeaderNames(
                List.of(
                    new Header("X-B", "1"),
                    new Header("Content-Type", "application/json"),
                    new Header("x-a", "1"),
                    new Header("X-A", "2"))))
        .containsExactly("content-type", "x-a", "x-b");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "get,GET",
    "Put,PUT",
    "delete,DELETE",
    "options,OPTIONS",
    "patch,patch",
    "PATCH,PATCH"
  })
  void methodsAreNormalizedOnlyForTheSixStandardOnes(String in, String out) {
    assertThat(Safelist.normalizeMethod(in)).isEqualTo(out);
  }
}
