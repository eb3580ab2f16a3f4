package io.corsdoctor.browsertruth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The suite's report: target/browser-truth/report.md (for people) and results.json. */
final class Report {
  private Report() {}

  /** One scenario's result. */
  record Row(
      ScenarioFile file,
      ScenarioRunner.Run run,
      List<String> recordingMismatches,
      List<String> engineDifferences) {}

  static void write(Path dir, List<Row> rows, long suiteMillis) throws IOException {
    Files.createDirectories(dir);
    List<Row> sorted =
        rows.stream().sorted(Comparator.comparing(r -> r.file().declared().id())).toList();
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = json.createObjectNode();
    root.put("scenarios", sorted.size());
    root.put("suiteMillis", suiteMillis);
    Map<String, Integer> corsErrors = new TreeMap<>();
    Map<String, Integer> issueErrors = new TreeMap<>();
    ArrayNode list = root.putArray("results");
    StringBuilder md = new StringBuilder();
    md.append("# Browser truth report\n\n");
    md.append(
        "| scenario | request | verdict | corsError | failedParameter | preflight | recording | engine |\n");
    md.append("|---|---|---|---|---|---|---|---|\n");
    for (Row row : sorted) {
      ObjectNode r = list.addObject();
      r.put("id", row.file().declared().id());
      r.put("file", row.file().path());
      r.put("millis", row.run().millis());
      ArrayNode steps = r.putArray("steps");
      int n = 0;
      for (ScenarioRunner.StepRun s : row.run().steps()) {
        n++;
        BrowserFacts f = s.facts();
        ObjectNode o = steps.addObject();
        o.set("browser", json.valueToTree(f));
        ArrayNode received = o.putArray("received");
        s.received().forEach(x -> received.add(x.listener() + " " + x.requestLine()));
        if (f.corsError() != null) {
          corsErrors.merge(f.corsError(), 1, Integer::sum);
        }
        if (f.issueCorsError() != null) {
          issueErrors.merge(f.issueCorsError(), 1, Integer::sum);
        }
        md.append("| ")
            .append(row.file().declared().id())
            .append(row.run().steps().size() > 1 ? " #" + n : "")
            .append(" | ")
            .append(s.request().api())
            .append(' ')
            .append(s.request().method())
            .append(" | ")
            .append(f.verdict())
            .append(" | ")
            .append(f.corsError() == null ? "" : f.corsError())
            .append(" | ")
            .append(f.failedParameter() == null ? "" : "`" + f.failedParameter() + "`")
            .append(" | ")
            .append(f.preflightSent() ? "sent" : "")
            .append(" | ")
            .append(
                row.file().declared().recorded().isEmpty()
                    ? ""
                    : row.recordingMismatches().isEmpty() ? "same" : "DIFFERS")
            .append(" | ")
            .append(row.engineDifferences().isEmpty() ? "same" : "DIFFERS")
            .append(" |\n");
      }
      ArrayNode mism = r.putArray("recordingMismatches");
      row.recordingMismatches().forEach(mism::add);
      ArrayNode engine = r.putArray("engineDifferences");
      row.engineDifferences().forEach(engine::add);
    }
    root.set("corsErrorsSeen", json.valueToTree(corsErrors));
    root.set("issueCorsErrorsSeen", json.valueToTree(issueErrors));
    md.append("\nCorsError values seen in Network.loadingFailed (requests): ")
        .append(corsErrors)
        .append('\n');
    md.append("\nCorsError values seen in CORS issues (requests): ")
        .append(issueErrors)
        .append('\n');
    md.append("\nSuite time: ")
        .append(suiteMillis)
        .append(" ms for ")
        .append(sorted.size())
        .append(" scenarios\n");
    long engineFailures = sorted.stream().filter(r -> !r.engineDifferences().isEmpty()).count();
    root.put("engineDisagreements", engineFailures);
    md.append("\nEngine disagrees with Chromium in ").append(engineFailures).append(" scenarios\n");
    for (Row row : sorted) {
      if (!row.engineDifferences().isEmpty()) {
        md.append("\n## ").append(row.file().declared().id()).append(": the engine differs\n");
        row.engineDifferences().forEach(m -> md.append("- ").append(m).append('\n'));
      }
    }
    for (Row row : sorted) {
      if (!row.recordingMismatches().isEmpty()) {
        md.append("\n## ")
            .append(row.file().declared().id())
            .append(" differs from the recording\n");
        row.recordingMismatches().forEach(m -> md.append("- ").append(m).append('\n'));
      }
    }
    json.writeValue(dir.resolve("results.json").toFile(), root);
    Files.writeString(dir.resolve("report.md"), md.toString());
  }
}
