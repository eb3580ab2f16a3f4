package io.corsdoctor.cli;

import io.corsdoctor.check.CheckRequest;
import io.corsdoctor.cors.Api;
import io.corsdoctor.cors.CredentialsMode;
import io.corsdoctor.cors.Header;
import io.corsdoctor.cors.Origin;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code demo}: the story reproduced inside the JVM, and diagnosed. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Reproduces the story inside this JVM (an API on 127.0.0.1:P that sends",
      "Access-Control-Allow-Origin twice, an AirTunes-like impostor on [::1]:P),",
      "runs check against http://localhost:P/sample and stops. Needs nothing installed."
    })
final class DemoCommand implements Callable<Integer> {
  static final String ORIGIN = "http://localhost:4200";

  @Mixin OutputOptions out;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter w = spec.commandLine().getOut();
    DemoServers servers;
    try {
      servers = DemoServers.start();
    } catch (IOException e) {
      throw new UserError(
          ExitCodes.INCOMPLETE,
          "The demo needs to listen on 127.0.0.1 and ::1, and could not ("
              + e.getMessage()
              + "). Is IPv6 loopback disabled on this machine?",
          e);
    }
    try (servers) {
      int port = servers.port();
      String url = "http://localhost:" + port + "/sample";
      if (!out.json()) {
        w.println("cors-doctor demo: the story, reproduced inside this JVM");
        w.println(
            "  127.0.0.1:"
                + port
                + "  a Flask-like API whose POST answer carries Access-Control-Allow-Origin twice");
        w.println(
            "  [::1]:"
                + port
                + "      an impostor answering 403 with Server: "
                + DemoServers.IMPOSTOR_SERVER);
        w.println("                  (what macOS's AirPlay Receiver does on port 5000)");
        w.println(
            "Running: cors-doctor check "
                + url
                + " --origin "
                + ORIGIN
                + " -X POST -H 'Content-Type: application/json' --data '{\"name\": \"sample\"}'");
        w.println();
      }
      CheckRequest request =
          new CheckRequest(
              url,
              Origin.parse(ORIGIN).orElseThrow(),
              "POST",
              List.of(new Header("Content-Type", "application/json")),
              "{\"name\": \"sample\"}",
              CredentialsMode.SAME_ORIGIN,
              Api.FETCH,
              false);
      RequestOptions options = new RequestOptions();
      options.connectTimeout = Duration.ofSeconds(1);
      options.timeout = Duration.ofSeconds(2);
      var result =
          CheckRun.check(request, options, servers.owners(), null, spec.commandLine().getErr());
      return CheckRun.print(result, out, w);
    } catch (IOException e) {
      throw new UserError(ExitCodes.INCOMPLETE, "The demo could not stop its servers cleanly.", e);
    }
  }
}
