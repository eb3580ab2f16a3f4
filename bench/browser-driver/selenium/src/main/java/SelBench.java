import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.devtools.DevTools;
import org.openqa.selenium.devtools.v156.network.Network;

public class SelBench {
  public static void main(String[] a) throws Exception {
    HttpServer page = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
    page.createContext("/", x -> { byte[] b = "<!doctype html>page".getBytes(); x.getResponseHeaders().add("Access-Control-Allow-Origin", "*"); x.sendResponseHeaders(200, b.length); x.getResponseBody().write(b); x.close(); });
    page.start();
    String url = "http://127.0.0.1:" + page.getAddress().getPort() + "/";
    long t0 = System.nanoTime();
    ChromeOptions o = new ChromeOptions();
    o.setBinary("/usr/bin/chromium");
    o.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync");
    ChromeDriverService svc = new ChromeDriverService.Builder().usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).build();
    ChromeDriver d = new ChromeDriver(svc, o);
    DevTools dt = d.getDevTools();
    dt.createSession();
    dt.send(Network.enable(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    List<String> failed = new ArrayList<>();
    dt.addListener(Network.loadingFailed(), f -> failed.add(String.valueOf(f.getCorsErrorStatus())));
    long started = System.nanoTime();
    System.out.printf("selenium start-up (driver + browser + devtools session): %d ms%n", (started - t0) / 1_000_000);
    int n = 20;
    long v0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      d.get(url);
      d.executeAsyncScript("const done = arguments[0]; fetch('http://localhost:1/').then(() => done(1), () => done(0));");
    }
    System.out.printf("selenium per visit (navigate + fetch, same context): %d ms%n", (System.nanoTime() - v0) / 1_000_000 / n);
    d.quit();
    page.stop(0);
    System.out.printf("total %d ms%n", (System.nanoTime() - t0) / 1_000_000);
  }
}
