package io.corsdoctor.cli;

import io.corsdoctor.check.CheckRequest;
import io.corsdoctor.check.CheckResult;
import io.corsdoctor.check.Doctor;
import io.corsdoctor.cors.Api;
import io.corsdoctor.cors.Header;
import io.corsdoctor.cors.Origin;
import io.corsdoctor.ports.PortOwners;
import io.corsdoctor.report.CheckJson;
import io.corsdoctor.report.CheckText;
import io.corsdoctor.report.Json;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/** Runs a check and prints it: shared by {@code check}, {@code explain} and {@code demo}. */
final class CheckRun {
  private CheckRun() {}

  /** Builds the request from user input, with messages that say what to type instead. */
  static CheckRequest request(
      String url,
      String origin,
      String method,
      List<Header> headers,
      String data,
      RequestOptions o) {
    return new CheckRequest(
        checkedUrl(url),
        checkedOrigin(origin),
        method != null ? method : data != null ? "POST" : "GET",
        headers,
        data,
        o.credentialsMode(),
        o.xhr ? Api.XHR : Api.FETCH,
        o.sendAnyway);
  }

  static String checkedUrl(String url) {
    try {
      URI u = new URI(url);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
        return url;
      }
    } catch (URISyntaxException e) {
      // fall through to the message below
    }
    String guess = url.contains("://") ? "http://localhost:5000/" : "http://" + url;
    throw new UserError(
        ExitCodes.USAGE, "'" + url + "' is not an http(s) URL. Did you mean " + guess + "?");
  }

  static Origin checkedOrigin(String origin) {
    if (origin == null) {
      throw new UserError(
          ExitCodes.USAGE,
          "Which page makes the request? Pass its origin with --origin, e.g. --origin http://localhost:4200.");
    }
    return Origin.parse(origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin)
        .orElseThrow(
            () ->
                new UserError(
                    ExitCodes.USAGE,
                    "--origin \""
                        + origin
                        + "\" is not an origin (scheme://host[:port], no path). Did you mean http://"
                        + origin.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "")
                        + "?"));
  }

  static CheckResult check(
      CheckRequest request, RequestOptions o, PortOwners owners, String note, PrintWriter err) {
    boolean progress = err != null && Progress.stderrIsTerminal();
    String line =
        "cors-doctor: probing every address of "
            + URI.create(request.url()).getAuthority()
            + " ...";
    if (progress) {
      err.print(line + "\r");
      err.flush();
    }
    try {
      return new Doctor(owners, note, o.probeOptions()).check(request);
    } catch (UnknownHostException e) {
      throw new UserError(
          ExitCodes.INCOMPLETE,
          "Cannot resolve the host of "
              + request.url()
              + ". Check the spelling, or use localhost / 127.0.0.1 for a local server.",
          e);
    } finally {
      if (progress) {
        err.print(" ".repeat(line.length()) + "\r");
        err.flush();
      }
    }
  }

  /** Prints the result and returns the exit code: 0 pass, 1 problem, 3 nothing reachable. */
  static int print(CheckResult result, OutputOptions out, PrintWriter w) {
    if (out.json()) {
      w.println(Json.write(CheckJson.tree(result), System.console() != null));
    } else {
      w.print(CheckText.render(result, out.ansi()));
    }
    w.flush();
    return exitCode(result);
  }

  /** 0 when nothing blocks, 3 when no address could be reached, 1 otherwise. */
  static int exitCode(CheckResult result) {
    if (result.unreachable()) {
      return ExitCodes.INCOMPLETE;
    }
    return result.ok() ? ExitCodes.OK : ExitCodes.PROBLEM;
  }
}
