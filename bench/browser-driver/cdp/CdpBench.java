import com.sun.net.httpserver.HttpServer;
import io.corsdoctor.browsertruth.BrowserDriver;
import io.corsdoctor.browsertruth.chromium.ChromiumDriver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;

public class CdpBench {
  public static void main(String[] a) throws Exception {
    HttpServer page = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    page.createContext("/", x -> { byte[] b = "<!doctype html>page".getBytes(); x.sendResponseHeaders(200, b.length); x.getResponseBody().write(b); x.close(); });
    page.start();
    String url = "http://127.0.0.1:" + page.getAddress().getPort() + "/";
    long t0 = System.nanoTime();
    ChromiumDriver d = ChromiumDriver.launch(Path.of("/usr/bin/chromium"), List.of());
    long started = System.nanoTime();
    System.out.printf("cdp start-up (browser + websocket): %d ms%n", (started - t0) / 1_000_000);
    int n = 20;
    String js = "fetch('http://localhost:1/').then(() => 1, () => 0)";
    long v0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      d.visit(new BrowserDriver.VisitPlan(url, List.of(new BrowserDriver.StepPlan(0, js)), List.of(), List.of(), false));
    }
    System.out.printf("cdp per visit (fresh context + navigate + fetch + events settled): %d ms%n", (System.nanoTime() - v0) / 1_000_000 / n);
    d.close();
    page.stop(0);
    System.out.printf("total %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }
}
