package io.corsdoctor.cli;

import io.corsdoctor.check.CheckRequest;
import io.corsdoctor.check.ConsoleMessage;
import io.corsdoctor.cors.Api;
import io.corsdoctor.cors.CredentialsMode;
import io.corsdoctor.cors.Header;
import io.corsdoctor.report.CheckJson;
import io.corsdoctor.report.Json;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code explain 'pasted console error'}: reads the message, then runs check with it. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
      "Reads a Chrome, Firefox or Safari CORS console message (paste it in quotes, or - for",
      "stdin), shows what it understood, and runs check with the URL, origin and method it implies."
    })
final class ExplainCommand implements Callable<Integer> {

  @Parameters(
      arity = "1..*",
      paramLabel = "MESSAGE",
      description = "The console message, or - to read it from stdin.")
  List<String> message;

  @Option(
      names = "--origin",
      paramLabel = "ORIGIN",
      description = "The page's origin, when the message does not name it (Firefox).")
  String origin;

  @Mixin RequestOptions request;
  @Mixin OutputOptions out;
  @Spec CommandSpec spec;

  /** What explain made of the message, and what it had to assume. */
  record Reading(ConsoleMessage message, CheckRequest request, List<String> assumed) {}

  @Override
  public Integer call() throws IOException {
    String text = String.join(" ", message);
    if (text.equals("-")) {
      text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Reading reading = read(text);
    PrintWriter w = spec.commandLine().getOut();
    PortOwnersBackend backend = PortOwnersBackend.forThisMachine();
    var result =
        CheckRun.check(
            reading.request(),
            request,
            backend.owners(),
            backend.note(),
            spec.commandLine().getErr());
    if (out.json()) {
      Map<String, Object> tree = CheckJson.tree(result);
      tree.put("explained", explained(reading));
      w.println(Json.write(tree, System.console() != null));
      w.flush();
      return CheckRun.exitCode(result);
    }
    w.print(understood(reading));
    w.println();
    return CheckRun.print(result, out, w);
  }

  Reading read(String text) {
    ConsoleMessage m =
        ConsoleMessage.parse(text)
            .orElseThrow(
                () -> {
                  List<String> seen = ConsoleMessage.fragments(text);
                  return new UserError(
                      ExitCodes.USAGE,
                      "That is not a Chrome, Firefox or Safari CORS message I know"
                          + (seen.isEmpty()
                              ? " (I could read nothing useful in it)"
                              : "; I could read " + String.join(", ", seen))
                          + ". Paste the whole console line (\"Access to fetch at ... has been blocked by CORS policy: ...\"),"
                          + " or run cors-doctor check URL --origin ORIGIN.");
                });
    if (m.url() == null) {
      throw new UserError(
          ExitCodes.USAGE,
          "Understood a "
              + m.browser()
              + " message ("
              + m.failure()
              + "), but it names no URL. "
              + "Paste the \"cannot load URL\" line too, or run cors-doctor check URL --origin ORIGIN.");
    }
    List<String> assumed = new ArrayList<>();
    String pageOrigin = origin != null ? origin : m.origin();
    if (pageOrigin == null) {
      throw new UserError(
          ExitCodes.USAGE,
          "Understood a "
              + m.browser()
              + " message: "
              + m.failure()
              + " for "
              + m.url()
              + ", but "
              + m.browser()
              + "'s messages do not name the page's origin. "
              + "Add --origin with the page's address, e.g. --origin http://localhost:4200.");
    }
    List<Header> headers = request.parsedHeaders();
    if (headers.isEmpty() && m.header() != null) {
      String value = m.header().equalsIgnoreCase("content-type") ? "application/json" : "x";
      headers = List.of(new Header(m.header(), value));
      assumed.add(
          "header " + m.header() + ": " + value + " (the message names the header, not its value)");
    }
    String method = request.method != null ? request.method : m.method();
    if (method == null && m.preflight() && headers.isEmpty()) {
      method = "POST";
      headers = List.of(new Header("Content-Type", "application/json"));
      assumed.add(
          "POST with Content-Type: application/json (a preflight was involved; the message does not say why)");
    } else if (method == null) {
      method =
          request.data != null
                  || (m.header() != null && m.header().equalsIgnoreCase("content-type"))
              ? "POST"
              : "GET";
      assumed.add("method " + method + " (the message does not name it)");
    }
    CheckRequest base =
        CheckRun.request(m.url(), pageOrigin, method, headers, request.data, request);
    CheckRequest r =
        new CheckRequest(
            base.url(),
            base.origin(),
            base.method(),
            base.headers(),
            base.data(),
            request.credentials == null && m.credentials()
                ? CredentialsMode.INCLUDE
                : base.credentials(),
            m.xhr() || request.xhr ? Api.XHR : Api.FETCH,
            base.sendAnyway());
    if (request.credentials == null && m.credentials()) {
      assumed.add("credentials include (the message is about a credentialed request)");
    }
    return new Reading(m, r, assumed);
  }

  private static String understood(Reading r) {
    ConsoleMessage m = r.message();
    StringBuilder b = new StringBuilder();
    b.append("What the ").append(m.browser()).append(" message says\n");
    b.append("  URL        ").append(m.url()).append('\n');
    b.append("  origin     ")
        .append(r.request().origin().serialize())
        .append(m.origin() == null ? "  (from --origin)" : "")
        .append('\n');
    b.append("  API        ").append(m.xhr() ? "XMLHttpRequest" : "fetch").append('\n');
    b.append("  failure    ")
        .append(m.failure())
        .append(m.preflight() ? "  (at the preflight)" : "")
        .append('\n');
    if (m.detail() != null) {
      b.append("  value      ").append(m.detail()).append('\n');
    }
    for (String a : r.assumed()) {
      b.append("  assumed    ").append(a).append('\n');
    }
    b.append("Running: cors-doctor check ")
        .append(r.request().url())
        .append(" --origin ")
        .append(r.request().origin().serialize())
        .append(" -X ")
        .append(r.request().method());
    for (Header h : r.request().headers()) {
      b.append(" -H '").append(h).append('\'');
    }
    if (r.request().credentials() != CredentialsMode.SAME_ORIGIN) {
      b.append(" --credentials ").append(r.request().credentials().token());
    }
    if (r.request().api() != Api.FETCH) {
      b.append(" --xhr");
    }
    return b.append('\n').toString();
  }

  private static Map<String, Object> explained(Reading r) {
    ConsoleMessage m = r.message();
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("browser", m.browser());
    e.put("url", m.url());
    e.put("origin", m.origin());
    e.put("api", m.xhr() ? "xhr" : "fetch");
    e.put("failure", m.failure());
    e.put("preflight", m.preflight());
    e.put("method", m.method());
    e.put("header", m.header());
    e.put("value", m.detail());
    e.put("assumed", r.assumed());
    return e;
  }
}
