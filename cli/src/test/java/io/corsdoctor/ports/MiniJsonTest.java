package io.corsdoctor.ports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MiniJsonTest {
  @Test
  void readsTheCatalogueExactlyAsJacksonDoes() throws Exception {
    String text;
    try (InputStream in = getClass().getResourceAsStream("/io/corsdoctor/ports/known-ports.json")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Object mine = MiniJson.parse(text);
    Object jackson = new ObjectMapper().readValue(text, Object.class);
    assertThat(normalise(mine)).isEqualTo(normalise(jackson));
  }

  @Test
  void escapesNumbersLiteralsAndErrors() {
    assertThat(
            MiniJson.parse("{\"a\":\"x\\\"y\\u00e9\\n\",\"b\":[1,-2.5,true,false,null],\"c\":{}}"))
        .isEqualTo(
            Map.of(
                "a",
                "x\"y\u00e9\n",
                "b",
                java.util.Arrays.asList(1L, -2.5, true, false, null),
                "c",
                Map.of()));
    assertThatThrownBy(() -> MiniJson.parse("{\"a\": }")).hasMessageContaining("offset");
    assertThatThrownBy(() -> MiniJson.parse("[1] x")).hasMessageContaining("trailing");
  }

  /** Jackson reads small integers as Integer; compare numbers by value. */
  static Object normalise(Object o) {
    if (o instanceof Map<?, ?> m) {
      java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
      m.forEach((k, v) -> out.put(k, normalise(v)));
      return out;
    }
    if (o instanceof List<?> l) {
      return l.stream().map(MiniJsonTest::normalise).toList();
    }
    if (o instanceof Integer i) {
      return i.longValue();
    }
    return o;
  }
}
