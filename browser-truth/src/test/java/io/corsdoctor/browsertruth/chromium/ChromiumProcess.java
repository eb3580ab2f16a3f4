package io.corsdoctor.browsertruth.chromium;

import io.corsdoctor.browsertruth.BrowserProcess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A headless Chromium process with a fresh profile, reachable over the DevTools protocol. */
final class ChromiumProcess {
  /** The flags known to work on this machine (see the module README). */
  static final List<String> BASE_FLAGS =
      List.of(
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--remote-debugging-port=0");

  private ChromiumProcess() {}

  static BrowserProcess launch(Path binary, List<String> extraFlags) throws IOException {
    Path profile = Files.createTempDirectory("cors-doctor-chromium-");
    List<String> command = new ArrayList<>();
    command.add(binary.toString());
    command.addAll(BASE_FLAGS);
    command.add("--user-data-dir=" + profile);
    command.addAll(extraFlags);
    command.add("about:blank");
    return BrowserProcess.launch(
        new ProcessBuilder(command),
        profile,
        "DevTools listening on ",
        URI::create,
        30,
        "Chromium (" + binary + ") did not open its DevTools port within 30 s.");
  }
}
