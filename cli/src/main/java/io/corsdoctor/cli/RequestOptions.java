package io.corsdoctor.cli;

import io.corsdoctor.cors.CredentialsMode;
import io.corsdoctor.cors.Header;
import io.corsdoctor.net.ProbeOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The request and probe options {@code check} and {@code explain} share. */
public final class RequestOptions {

  @Option(
      names = {"-X", "--request"},
      paramLabel = "METHOD",
      description = "The method the page uses (default: GET, or POST with --data).")
  String method;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "'Name: value'",
      description = "A header the page's script sets (repeatable).")
  List<String> headers = new ArrayList<>();

  @Option(
      names = {"-d", "--data"},
      paramLabel = "BODY",
      description = "A request body (a string body, as fetch sends it).")
  String data;

  @Option(
      names = "--credentials",
      paramLabel = "MODE",
      description = "fetch's credentials mode: omit, same-origin (default) or include.")
  String credentials;

  @Option(
      names = "--xhr",
      description = "The page uses XMLHttpRequest (Angular HttpClient) instead of fetch.")
  boolean xhr;

  @Option(
      names = "--send-anyway",
      description = "Also send the actual request when the preflight fails, to learn more.")
  boolean sendAnyway;

  @Option(
      names = {"-k", "--insecure"},
      description = "Look past TLS certificate problems (they are still reported).")
  boolean insecure;

  @Option(
      names = "--connect-timeout",
      paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "How long to wait for a connection (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How long to wait for each reply (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  ProbeOptions probeOptions() {
    return ProbeOptions.DEFAULTS.withTimeouts(connectTimeout, timeout).withInsecure(insecure);
  }

  List<Header> parsedHeaders() {
    List<Header> out = new ArrayList<>();
    for (String h : headers) {
      int c = h.indexOf(':');
      if (c <= 0) {
        throw new UserError(
            ExitCodes.USAGE,
            "-H '"
                + h
                + "' is not a header; write it as 'Name: value', e.g. -H 'Content-Type: application/json'.");
      }
      out.add(new Header(h.substring(0, c).trim(), h.substring(c + 1).trim()));
    }
    return out;
  }

  CredentialsMode credentialsMode() {
    if (credentials == null) {
      return CredentialsMode.SAME_ORIGIN;
    }
    try {
      return CredentialsMode.fromToken(credentials);
    } catch (IllegalArgumentException e) {
      throw new UserError(
          ExitCodes.USAGE,
          "--credentials '"
              + credentials
              + "' is not a credentials mode; use omit, same-origin or include.");
    }
  }
}
