package io.corsdoctor.cors;

import java.util.Objects;

/**
 * The exchange failed below HTTP: nothing listened, the peer reset or closed without a reply, the
 * reply was not HTTP, the clock ran out, TLS failed.
 *
 * @param error the net error Chromium would report
 * @param detail what was seen, for people (e.g. the first bytes of a non-HTTP reply)
 */
public record NetworkFailure(NetError error, String detail) implements Reply {
  public NetworkFailure {
    Objects.requireNonNull(error, "error");
    detail = detail == null ? "" : detail;
  }
}
