package io.corsdoctor.browsertruth;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** A scenario file as written (ports still placeholders), and its parse for the given ports. */
record ScenarioFile(String path, String text, Scenario declared) {
  static final ObjectMapper JSON = new ObjectMapper();

  /** Every {@code scenarios/**.json} on the test class path, sorted by path. */
  static List<ScenarioFile> all() {
    URL root = ScenarioFile.class.getResource("/scenarios");
    if (root == null) {
      throw new IllegalStateException("no scenarios/ directory on the test class path");
    }
    try (Stream<Path> files = Files.walk(Path.of(root.toURI()))) {
      Path base = Path.of(root.toURI());
      return files
          .filter(p -> p.toString().endsWith(".json"))
          .sorted()
          .map(p -> read(base.relativize(p).toString(), p))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ScenarioFile read(String name, Path p) {
    try {
      String text = Files.readString(p, StandardCharsets.UTF_8);
      return new ScenarioFile(name, text, JSON.readValue(text, Scenario.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read scenario " + name + ": " + e.getMessage(), e);
    }
  }

  /** The scenario with this run's ports in place of the placeholders. */
  Scenario withPorts(Topology topology) {
    try {
      return JSON.readValue(topology.substitute(text), Scenario.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
