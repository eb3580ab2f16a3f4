package io.corsdoctor.proxy;

import static io.corsdoctor.proxy.ProxyFixture.APP;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The proxy reaches the target over whichever address of its host answers. */
class ProxyAddressTest {
  static final InetAddress V4 = loopback("127.0.0.1");
  static final InetAddress V6 = loopback("::1");

  static InetAddress loopback(String a) {
    try {
      return InetAddress.getByName(a);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  static Upstream.Handler named(String name) {
    return (r, in, out, s) -> {
      Upstream.answer(out, 200, name);
      return true;
    };
  }

  static CorsProxy proxy(int port, List<InetAddress> addresses) throws Exception {
    ProxySettings s = ProxySettings.of(URI.create("http://localhost:" + port), List.of(APP));
    return CorsProxy.create(s, e -> {}, addresses).start();
  }

  @Test
  void anApiOnIpv6OnlyIsReachedWhenIpv4Refuses() throws Exception {
    try (Upstream up = new Upstream(V6, named("v6"));
        CorsProxy p = proxy(up.port(), List.of(V4, V6))) {
      assertThat(p.addresses().probes())
          .extracting(TargetAddresses.Probe::host, TargetAddresses.Probe::answers)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("127.0.0.1", false),
              org.assertj.core.groups.Tuple.tuple("0:0:0:0:0:0:0:1", true));
      assertThat(RawHttp.get(p.port(), "/", APP).text()).isEqualTo("v6");
    }
  }

  @Test
  void anApiOnIpv4OnlyIsReachedWhenIpv6Refuses() throws Exception {
    try (Upstream up = new Upstream(V4, named("v4"));
        CorsProxy p = proxy(up.port(), List.of(V6, V4))) {
      assertThat(RawHttp.get(p.port(), "/", APP).text()).isEqualTo("v4");
    }
  }

  @Test
  void anApiStartedAfterTheProxyIsFoundOnWhicheverAddressItTook() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, V4)) {
      port = s.getLocalPort();
    }
    try (CorsProxy p = proxy(port, List.of(V6, V4))) {
      assertThat(RawHttp.get(p.port(), "/", APP).status()).isEqualTo(502);
      try (Upstream up = new Upstream(V4, port, named("late"))) {
        assertThat(RawHttp.get(p.port(), "/", APP).text()).isEqualTo("late");
      }
    }
  }
}
