package io.corsdoctor.cors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressOrderTest {
  private static final List<String> LOCALHOST = List.of("127.0.0.1", "::1");

  @Test
  void chromiumTriesIpv6FirstAndFirefoxIpv4First() {
    assertThat(AddressOrder.chromium("localhost", LOCALHOST)).containsExactly("::1", "127.0.0.1");
    assertThat(AddressOrder.firefox("localhost", List.of("::1", "127.0.0.1")))
        .containsExactly("127.0.0.1", "::1");
  }

  @Test
  void twoProcessesBehindOnePortMeanTwoBrowsersReachDifferentServers() {
    // The story: Flask on 127.0.0.1:5000, the AirPlay Receiver on [::1]:5000; nobody refuses.
    assertThat(AddressOrder.reached(AddressOrder.chromium("localhost", LOCALHOST), Set.of()))
        .isEqualTo("::1");
    assertThat(AddressOrder.reached(AddressOrder.firefox("localhost", LOCALHOST), Set.of()))
        .isEqualTo("127.0.0.1");
  }

  @Test
  void aRefusedAddressMakesTheBrowserFallBack() {
    assertThat(AddressOrder.reached(AddressOrder.chromium("localhost", LOCALHOST), Set.of("::1")))
        .isEqualTo("127.0.0.1");
    assertThat(
            AddressOrder.reached(AddressOrder.firefox("localhost", LOCALHOST), Set.of("127.0.0.1")))
        .isEqualTo("::1");
    assertThat(
            AddressOrder.reached(
                AddressOrder.firefox("localhost", LOCALHOST), Set.copyOf(LOCALHOST)))
        .as("all refuse: the last error is the one reported")
        .isEqualTo("::1");
  }

  @Test
  void otherNamesKeepTheResolversOrder() {
    List<String> resolved = List.of("127.0.0.1", "::1");
    assertThat(AddressOrder.chromium("api.test", resolved)).isEqualTo(resolved);
    assertThat(AddressOrder.firefox("api.test", List.of("::1", "127.0.0.1")))
        .containsExactly("::1", "127.0.0.1");
    assertThat(AddressOrder.chromium("app.localhost", resolved))
        .containsExactly("::1", "127.0.0.1");
  }
}
