package io.corsdoctor.net;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds and switches of a probe.
 *
 * @param connectTimeout how long to wait for the TCP (and TLS) connection
 * @param responseTimeout how long to wait for the whole reply head after sending, and for the body
 * @param maxHeadBytes the largest reply head read (Chromium gives up at 256 KiB with {@code
 *     ERR_RESPONSE_HEADERS_TOO_BIG})
 * @param maxHeaderLines the most header lines read before giving up the same way
 * @param maxBodyBytes how much of the body to keep
 * @param insecure look past TLS certificate problems (they are still recorded)
 */
public record ProbeOptions(
    Duration connectTimeout,
    Duration responseTimeout,
    int maxHeadBytes,
    int maxHeaderLines,
    int maxBodyBytes,
    boolean insecure) {

  /** 2 s to connect, 5 s for the reply, 256 KiB of head, 1000 header lines, 64 KiB of body. */
  public static final ProbeOptions DEFAULTS =
      new ProbeOptions(
          Duration.ofSeconds(2), Duration.ofSeconds(5), 256 * 1024, 1000, 64 * 1024, false);

  public ProbeOptions {
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(responseTimeout, "responseTimeout");
  }

  public ProbeOptions withTimeouts(Duration connect, Duration response) {
    return new ProbeOptions(
        connect, response, maxHeadBytes, maxHeaderLines, maxBodyBytes, insecure);
  }

  public ProbeOptions withInsecure(boolean value) {
    return new ProbeOptions(
        connectTimeout, responseTimeout, maxHeadBytes, maxHeaderLines, maxBodyBytes, value);
  }
}
