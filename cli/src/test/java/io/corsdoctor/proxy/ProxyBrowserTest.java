package io.corsdoctor.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Browser truth: the story's failure (an API answering with {@code Access-Control-Allow-Origin: *,
 * http://localhost:...}) blocks a real headless Chromium when called directly, and passes through
 * the proxy.
 */
class ProxyBrowserTest {

  static String chromium() {
    for (String c : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (new File(c).canExecute()) {
        return c;
      }
    }
    String msg =
        "Chromium is not installed (looked for /usr/bin/chromium): run scripts/install-test-deps.sh.";
    if ("true".equals(System.getenv("CI"))) {
      fail(msg);
    }
    Assumptions.assumeTrue(false, msg);
    return null;
  }

  /** The page: its script POSTs JSON to both URLs, one after the other, and writes the results. */
  static String html(String direct, String proxied) {
    return "<!doctype html><html><body><pre id=direct>pending</pre><pre id=proxied>pending</pre>"
        + "<script>\n"
        + "async function go(url, id) {\n"
        + "  try {\n"
        + "    const r = await fetch(url, {method: 'POST', headers: {'Content-Type':"
        + " 'application/json'}, body: '{\"name\":\"x\"}'});\n"
        + "    document.getElementById(id).textContent = 'ok ' + r.status + ' ' + await r.text();\n"
        + "  } catch (e) {\n"
        + "    document.getElementById(id).textContent = 'failed ' + e;\n"
        + "  }\n"
        + "}\n"
        + "go('"
        + direct
        + "', 'direct').then(() => go('"
        + proxied
        + "', 'proxied'));\n"
        + "</script></body></html>";
  }

  /** Serves the page on 127.0.0.1:port (the browser calls it http://localhost:port). */
  static HttpServer page(int port, String direct, String proxied) throws IOException {
    byte[] b = html(direct, proxied).getBytes(StandardCharsets.UTF_8);
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    s.createContext(
        "/",
        ex -> {
          ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    s.start();
    return s;
  }

  /** Runs headless Chromium on the page and returns the DOM once its fetches are done. */
  static String dumpDom(String chromium, String url) throws Exception {
    Path profile = Files.createTempDirectory("cors-doctor-chromium");
    List<String> cmd =
        new ArrayList<>(
            List.of(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=15000",
                "--dump-dom",
                url));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    try {
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        fail("headless Chromium did not finish within 90 s");
      }
      return new String(out, StandardCharsets.UTF_8);
    } finally {
      p.destroyForcibly();
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  void theStorysDuplicateAllowOriginIsBlockedDirectlyAndPassesThroughTheProxy() throws Exception {
    String chromium = chromium();
    try (Upstream api = ProxyCorsTest.duplicateAllowOrigin()) {
      HttpServer pageServer = null;
      try {
        // The page's origin is only known once its server has a port: start it, then the proxy.
        int pagePort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
          pagePort = probe.getLocalPort();
        }
        String pageOrigin = "http://localhost:" + pagePort;
        ProxySettings settings = ProxySettings.of(URI.create(api.url()), List.of(pageOrigin));
        List<ProxyExchange> log = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (CorsProxy proxy = CorsProxy.create(settings, log::add).start()) {
          String direct = api.url() + "/sample";
          String proxied = "http://127.0.0.1:" + proxy.port() + "/sample";
          pageServer = page(pagePort, direct, proxied);
          String dom = dumpDom(chromium, pageOrigin + "/");
          assertThat(dom).contains("<pre id=\"direct\">failed TypeError: Failed to fetch</pre>");
          assertThat(dom).contains("<pre id=\"proxied\">ok 200 {\"ok\":true}</pre>");
          // Chromium's preflight went to the API directly (and failed there), never through the
          // proxy: the proxy answered its own preflight and fixed the POST's answer.
          assertThat(log).extracting(ProxyExchange::method).containsExactly("OPTIONS", "POST");
          assertThat(log.get(1).changes())
              .extracting(Change::message)
              .containsExactly("removed duplicate Access-Control-Allow-Origin '*'");
          assertThat(log.get(1).verdict().upstream()).isEqualTo("blocked");
          assertThat(log.get(1).verdict().proxied()).isEqualTo("pass");
        }
      } finally {
        if (pageServer != null) {
          pageServer.stop(0);
        }
      }
    }
  }
}
