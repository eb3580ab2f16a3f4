package io.corsdoctor.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code check URL --origin O}: the doctor. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Sends the browser's preflight and request to every address of the URL's host,",
      "shows who answered each, what Chromium and Firefox decide, why, and the fix."
    })
final class CheckCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "URL", description = "The URL the page calls.")
  String url;

  @Option(
      names = "--origin",
      paramLabel = "ORIGIN",
      description = "The page's origin, e.g. http://localhost:4200.")
  String origin;

  @Mixin RequestOptions request;
  @Mixin OutputOptions out;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var req =
        CheckRun.request(
            url, origin, request.method, request.parsedHeaders(), request.data, request);
    PortOwnersBackend backend = PortOwnersBackend.forThisMachine();
    var result =
        CheckRun.check(req, request, backend.owners(), backend.note(), spec.commandLine().getErr());
    return CheckRun.print(result, out, spec.commandLine().getOut());
  }
}
