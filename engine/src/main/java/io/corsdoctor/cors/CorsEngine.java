package io.corsdoctor.cors;

import java.util.function.Function;

/** Entry point: what the browser does with a {@link CorsRequest}. */
public final class CorsEngine {
  private CorsEngine() {}

  /**
   * Begins a request in a browser context with the given state. The returned step either asks for a
   * request to be sent or carries the verdict.
   */
  public static Step start(CorsRequest request, BrowserState state) {
    throw new UnsupportedOperationException("engine not yet implemented (issue 2)");
  }

  /** Runs a request to its verdict, asking {@code network} for each reply. */
  public static Verdict evaluate(
      CorsRequest request, BrowserState state, Function<OutgoingRequest, Reply> network) {
    Step step = start(request, state);
    while (step instanceof Step.Send send) {
      step = send.reply(network.apply(send.request()));
    }
    return ((Step.Done) step).verdict();
  }
}
