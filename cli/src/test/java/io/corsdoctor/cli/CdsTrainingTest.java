package io.corsdoctor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The proxy's class-data-sharing training really sends a request of each kind through a proxy. */
class CdsTrainingTest {

  @Test
  void theProxyTrainingGoesThroughTheLeanPathAPreflightAndJetty() {
    String log = CdsTraining.proxy();
    assertThat(log)
        .contains("GET /sample 200")
        .contains("OPTIONS /sample 204")
        .contains("POST /sample 200")
        .contains("\"event\":\"exchange\"")
        .contains("removed duplicate Access-Control-Allow-Origin '*'");
  }
}
