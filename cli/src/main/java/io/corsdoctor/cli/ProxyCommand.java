package io.corsdoctor.cli;

import io.corsdoctor.proxy.CorsProxy;
import io.corsdoctor.proxy.ExchangeLog;
import io.corsdoctor.proxy.ProxyExchange;
import io.corsdoctor.proxy.ProxySettings;
import io.corsdoctor.proxy.TargetAddresses;
import io.corsdoctor.report.ProxyLogRenderer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code cors-doctor proxy}: a CORS-correct local dev proxy that says what it fixed. */
@Command(
    name = "proxy",
    mixinStandardHelpOptions = true,
    description = {
      "A local dev proxy in front of your API that gets CORS right and says what it fixed:",
      "answers preflights, sends exactly one set of CORS headers for the origins you allow,",
      "adds them to errors too, rewrites redirects and cookies, and logs one line per request."
    },
    footer = {
      "",
      "Example: cors-doctor proxy --target http://127.0.0.1:5000 --allow-origin http://localhost:4200",
      "then call http://127.0.0.1:5050 from the page instead of the API."
    })
public final class ProxyCommand implements Callable<Integer> {

  /** Origins of common dev servers, allowed when no --allow-origin is given. */
  static final List<String> DEFAULT_ORIGINS =
      List.of(
          "http://localhost:3000",
          "http://localhost:4200",
          "http://localhost:5173",
          "http://localhost:8080",
          "http://127.0.0.1:3000",
          "http://127.0.0.1:4200",
          "http://127.0.0.1:5173",
          "http://127.0.0.1:8080");

  private static final Pattern ORIGIN =
      Pattern.compile("(?i)(https?)://(\\[[0-9a-f:.]+\\]|[a-z0-9.-]+)(:\\d{1,5})?");

  @Spec CommandSpec spec;

  @Mixin OutputOptions out;

  @Option(
      names = "--target",
      required = true,
      paramLabel = "URL",
      description = "The API to forward to, e.g. http://127.0.0.1:5000 (a path is a prefix).")
  String target;

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      defaultValue = "127.0.0.1:5050",
      description = "Where the proxy listens (default: ${DEFAULT-VALUE}; loopback only).")
  String listen;

  @Option(
      names = "--allow-origin",
      paramLabel = "ORIGIN",
      description = {
        "An origin that may call through the proxy, e.g. http://localhost:4200 (repeatable).",
        "Default: localhost and 127.0.0.1 on ports 3000, 4200, 5173 and 8080."
      })
  List<String> allowOrigins = new ArrayList<>();

  @Option(
      names = "--allow-credentials",
      description = "Send Access-Control-Allow-Credentials: true (cookies, Authorization).")
  boolean allowCredentials;

  @Option(
      names = "--pass-preflight",
      description = "Forward preflights to the target and repair its answer, instead of answering.")
  boolean passPreflight;

  @Option(
      names = "--upstream-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "Answer 504 when the target is silent this long (default: ${DEFAULT-VALUE}).")
  int upstreamTimeout;

  /** Started proxies, so tests can stop a running command; null until started. */
  volatile CorsProxy running;

  private final CountDownLatch stopped = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    ProxySettings settings = settings();
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    ProxyLogRenderer renderer = new ProxyLogRenderer(out.json(), out.ansi());
    LineWriter lines = new LineWriter(stdout);
    CorsProxy proxy;
    try {
      proxy =
          CorsProxy.create(
              settings,
              new ExchangeLog() {
                @Override
                public void accept(ProxyExchange e) {
                  later(() -> e);
                }

                @Override
                public void later(Supplier<ProxyExchange> e) {
                  // Built and rendered on the log's thread.
                  lines.println(batch -> renderer.line(e.get(), batch));
                }
              });
    } catch (UnknownHostException e) {
      lines.close();
      throw new UserError(
          ExitCodes.INCOMPLETE,
          "The target's host '"
              + settings.target().getHost()
              + "' does not resolve. Check --target (for a local API use 127.0.0.1 or localhost).");
    } catch (IllegalArgumentException e) {
      lines.close();
      throw new UserError(ExitCodes.USAGE, capitalise(e.getMessage()) + ".");
    }
    try {
      proxy.start();
    } catch (IOException e) {
      lines.close();
      throw new UserError(
          ExitCodes.INCOMPLETE,
          "Cannot listen on "
              + settings.listenHost()
              + ":"
              + settings.listenPort()
              + " ("
              + e.getMessage()
              + "). Is the port in use? Find its owner with `cors-doctor port "
              + settings.listenPort()
              + "` or pass another --listen.",
          e);
    }
    boolean loopback = CorsProxy.isLoopback(settings.listenHost());
    if (!loopback) {
      stderr.println(
          "Warning: listening on "
              + settings.listenHost()
              + ", not loopback: other machines that reach this address can call "
              + settings.target()
              + " through the proxy. Use --listen 127.0.0.1:"
              + proxy.port()
              + " unless you need that.");
    }
    List<TargetAddresses.Probe> probes = proxy.addresses().probes();
    if (probes.stream().noneMatch(TargetAddresses.Probe::answers)) {
      stderr.println(
          "Warning: nothing answers on "
              + settings.target()
              + " yet; the proxy answers 502 until it does. Is the API running?");
    }
    stderr.flush();
    String host =
        settings.listenHost().contains(":")
            ? "[" + settings.listenHost() + "]"
            : settings.listenHost();
    lines.println(
        renderer.banner(
            new ProxyLogRenderer.Banner(
                "http://" + host + ":" + proxy.port(),
                settings.target().toString(),
                probes,
                proxy.allows(),
                settings.passPreflight(),
                settings.upstreamTimeout().toSeconds(),
                loopback)));
    running = proxy; // after the banner: tests (and users) see it before any exchange
    Thread hook =
        new Thread(
            () -> {
              stop(proxy);
              lines.close();
            },
            "cors-doctor-proxy-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stopped.await();
    } finally {
      stop(proxy);
      lines.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // already running
      }
    }
    return ExitCodes.OK;
  }

  /** Stops a running command (tests; the shutdown hook stops it on Ctrl-C). */
  void shutdown() {
    stopped.countDown();
  }

  private static void stop(CorsProxy proxy) {
    try {
      proxy.close();
    } catch (Exception ignored) {
      // stopping anyway
    }
  }

  ProxySettings settings() {
    if (!target.contains("://")) {
      throw new UserError(
          ExitCodes.USAGE,
          "--target \""
              + target
              + "\" needs a scheme and a host. Did you mean http://"
              + target.trim()
              + "?");
    }
    URI t;
    try {
      t = new URI(target.trim());
    } catch (URISyntaxException e) {
      throw new UserError(
          ExitCodes.USAGE,
          "--target \"" + target + "\" is not a URL. Pass one like http://127.0.0.1:5000.");
    }
    if (t.getScheme() == null || t.getHost() == null) {
      String hint = t.getScheme() == null ? " Did you mean http://" + target.trim() + "?" : "";
      throw new UserError(
          ExitCodes.USAGE,
          "--target \""
              + target
              + "\" needs a scheme and a host, like http://127.0.0.1:5000."
              + hint);
    }
    if (!t.getScheme().equalsIgnoreCase("http") && !t.getScheme().equalsIgnoreCase("https")) {
      throw new UserError(
          ExitCodes.USAGE, "--target \"" + target + "\" must be an http:// or https:// URL.");
    }
    List<String> origins = allowOrigins.isEmpty() ? DEFAULT_ORIGINS : checkOrigins(allowOrigins);
    if (allowCredentials && origins.contains("*")) {
      throw new UserError(
          ExitCodes.USAGE,
          "--allow-origin '*' cannot be combined with --allow-credentials: any web site could"
              + " then read your API with your cookies. Name the origins, e.g. --allow-origin"
              + " http://localhost:4200.");
    }
    if (upstreamTimeout <= 0) {
      throw new UserError(ExitCodes.USAGE, "--upstream-timeout must be at least 1 second.");
    }
    String[] hp = listen(listen);
    return ProxySettings.of(t, origins)
        .withListen(hp[0], Integer.parseInt(hp[1]))
        .withCredentials(allowCredentials)
        .withPassPreflight(passPreflight)
        .withUpstreamTimeout(Duration.ofSeconds(upstreamTimeout));
  }

  static List<String> checkOrigins(List<String> given) {
    List<String> out = new ArrayList<>();
    for (String o : given) {
      String s = o.trim();
      while (s.endsWith("/")) {
        s = s.substring(0, s.length() - 1);
      }
      if (s.equals("*")) {
        out.add(s);
        continue;
      }
      Matcher m = ORIGIN.matcher(s);
      if (!m.matches()) {
        String hint =
            s.contains("://")
                ? " An origin is scheme://host[:port], with no path."
                : " It needs a scheme. Did you mean http://" + s + "?";
        throw new UserError(
            ExitCodes.USAGE, "--allow-origin \"" + o + "\" is not an origin." + hint);
      }
      out.add(s.toLowerCase(Locale.ROOT));
    }
    return out;
  }

  /** Parses HOST:PORT, [V6]:PORT, :PORT or PORT. */
  static String[] listen(String value) {
    String v = value.trim();
    String host;
    String port;
    if (v.startsWith("[")) {
      int end = v.indexOf(']');
      if (end < 0 || end + 1 >= v.length() || v.charAt(end + 1) != ':') {
        throw badListen(value);
      }
      host = v.substring(1, end);
      port = v.substring(end + 2);
    } else if (v.matches("\\d+")) {
      host = "127.0.0.1";
      port = v;
    } else {
      int colon = v.lastIndexOf(':');
      if (colon < 0 || v.indexOf(':') != colon) {
        throw badListen(value);
      }
      host = colon == 0 ? "127.0.0.1" : v.substring(0, colon);
      port = v.substring(colon + 1);
    }
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
      throw badListen(value);
    }
    return new String[] {host, port};
  }

  private static UserError badListen(String value) {
    return new UserError(
        ExitCodes.USAGE,
        "--listen \"" + value + "\" is not HOST:PORT. Pass one like 127.0.0.1:5050 or [::1]:5050.");
  }

  private static String capitalise(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
