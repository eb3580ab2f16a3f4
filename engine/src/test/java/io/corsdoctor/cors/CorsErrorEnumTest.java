package io.corsdoctor.cors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CorsError} is exactly CDP's {@code Network.CorsError} as Chromium 156 serves it. */
class CorsErrorEnumTest {
  @Test
  void corsErrorEqualsTheCdpEnumOfChromium156InOrder() throws Exception {
    JsonNode root;
    try (InputStream in = getClass().getResourceAsStream("/corpus/cdp-cors-enums.json")) {
      root = new ObjectMapper().readTree(in);
    }
    List<String> cdp = new ArrayList<>();
    root.get("types").get("Network.CorsError").forEach(n -> cdp.add(n.asText()));
    assertThat(Arrays.stream(CorsError.values()).map(Enum::name).toList()).isEqualTo(cdp);
  }

  @Test
  void everyCorsErrorHasAConsoleText() {
    for (CorsError e : CorsError.values()) {
      String line =
          ChromiumMessages.corsLine(
              Api.FETCH,
              "http://a.test/",
              "http://a.test/",
              "http://b.test",
              e,
              "x",
              AddressSpace.PUBLIC,
              AddressSpace.LOOPBACK);
      assertThat(line)
          .as(e.name())
          .startsWith("Access to fetch at 'http://a.test/'")
          .doesNotContain("{");
    }
  }
}
