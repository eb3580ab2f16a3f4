package io.corsdoctor.browsertruth.firefox;

import io.corsdoctor.browsertruth.BrowserProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A headless Firefox process with a fresh profile holding only the harness's {@code user.js}
 * (background services, telemetry, updates and the HTTP cache off), reachable over its built-in
 * WebDriver BiDi agent. It prints {@code WebDriver BiDi listening on ws://127.0.0.1:PORT} once
 * ready; BiDi sessions are opened at {@code /session} of that address.
 */
final class FirefoxProcess {
  private FirefoxProcess() {}

  static BrowserProcess launch(Path binary, String userJs) throws IOException {
    Path profile = Files.createTempDirectory("cors-doctor-firefox-");
    Files.writeString(profile.resolve("user.js"), userJs, StandardCharsets.UTF_8);
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ProcessBuilder pb =
        new ProcessBuilder(
            List.of(
                binary.toString(),
                "--headless",
                "--no-remote",
                "--remote-debugging-port=" + port,
                "--profile",
                profile.toString()));
    pb.environment().put("MOZ_CRASHREPORTER_DISABLE", "1");
    return BrowserProcess.launch(
        pb,
        profile,
        "WebDriver BiDi listening on ",
        address -> URI.create(address.replaceAll("/+$", "") + "/session"),
        60,
        "firefox-esr did not start its WebDriver BiDi agent within 60 s.");
  }
}
