package io.corsdoctor.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

class CorsRulesTest {

  @Test
  void tokensSplitEveryLineOnCommasAndDropEmptyOnes() {
    HttpFields h =
        HttpFields.build()
            .add("Access-Control-Allow-Origin", "*")
            .add("Vary", " Accept-Encoding , ,Cookie,")
            .add("access-control-allow-origin", "http://localhost:4200")
            .add("Vary", "");
    assertThat(CorsRules.tokens(h, "Access-Control-Allow-Origin"))
        .containsExactly("*", "http://localhost:4200");
    assertThat(CorsRules.tokens(h, "Vary")).containsExactly("Accept-Encoding", "Cookie");
    assertThat(CorsRules.tokens(h, "Expires")).isEmpty();
  }

  @Test
  void varyGainsOnlyTheNamesItLacksOnOneLine() {
    HttpFields.Mutable none = HttpFields.build();
    CorsRules.addVary(none, CorsRules.PREFLIGHT_VARY);
    assertThat(none.getValuesList("Vary"))
        .containsExactly("Origin, Access-Control-Request-Method, Access-Control-Request-Headers");

    HttpFields.Mutable two =
        HttpFields.build().add("Vary", "Accept-Encoding").add("Vary", "origin");
    CorsRules.addVary(two, CorsRules.PREFLIGHT_VARY);
    assertThat(two.getValuesList("Vary"))
        .containsExactly(
            "Accept-Encoding, origin, Access-Control-Request-Method, Access-Control-Request-Headers");

    HttpFields.Mutable listed = HttpFields.build().add("Vary", "Origin").add("Vary", "Cookie");
    CorsRules.addVary(listed, CorsRules.ACTUAL_VARY);
    assertThat(listed.getValuesList("Vary")).containsExactly("Origin", "Cookie");

    HttpFields.Mutable star = HttpFields.build().add("Vary", "*");
    CorsRules.addVary(star, List.of("Origin"));
    assertThat(star.getValuesList("Vary")).containsExactly("*");
  }
}
