package io.corsdoctor.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CatalogueTest {

  @ParameterizedTest
  @EnumSource(FindingCode.class)
  void everyCodeHasSeveritySummaryEvidenceAndFix(FindingCode code) {
    assertThat(Catalogue.complete(code)).as(code + " in findings.properties").isTrue();
    Map<String, String> values = new HashMap<>();
    Catalogue.placeholders(code).forEach(p -> values.put(p, "<" + p + ">"));
    Finding f = Catalogue.finding(code, "flask", values);
    assertThat(f.summary()).isNotBlank().doesNotContain("(unknown)");
    assertThat(f.fix()).isNotEmpty();
  }

  @Test
  void aRecognisedFrameworkGetsItsOwnSwitchFirst() {
    Finding f =
        Catalogue.finding(
            FindingCode.DUPLICATE_ALLOW_ORIGIN,
            "flask",
            Map.of("origin", "http://localhost:4200", "values", "*, http://localhost:4200"));
    assertThat(f.fix().get(0))
        .contains("flask-cors")
        .contains("CORS(app, origins=[\"http://localhost:4200\"])");
    assertThat(f.fix()).hasSizeGreaterThan(1);
    Finding generic = Catalogue.finding(FindingCode.DUPLICATE_ALLOW_ORIGIN, null, Map.of());
    assertThat(generic.fix()).hasSize(1);
  }

  @Test
  void missingValuesAreShownNotThrown() {
    assertThat(Catalogue.fill("port {port} of {host}", Map.of("port", "5000")))
        .isEqualTo("port 5000 of (unknown)");
  }
}
