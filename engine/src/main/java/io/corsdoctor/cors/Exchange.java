package io.corsdoctor.cors;

import java.util.Objects;

/** One request the engine asked for and the reply the caller handed back. */
public record Exchange(OutgoingRequest request, Reply reply) {
  public Exchange {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(reply, "reply");
  }
}
