package io.corsdoctor.cors;

import java.util.Objects;
import java.util.function.Function;

/**
 * The engine without I/O: each step either asks the caller to send a request and hand back the
 * reply, or is done with a verdict. The caller owns sockets, recordings and clocks.
 *
 * <pre>{@code
 * Step step = CorsEngine.start(request, BrowserState.fresh(), now);
 * while (step instanceof Step.Send send) step = send.reply(network.exchange(send.request()));
 * Verdict verdict = ((Step.Done) step).verdict();
 * }</pre>
 */
public sealed interface Step permits Step.Send, Step.Done {

  /** Send {@code request}, then call {@link #reply} with what came back. */
  record Send(OutgoingRequest request, Function<Reply, Step> continuation) implements Step {
    public Send {
      Objects.requireNonNull(request, "request");
      Objects.requireNonNull(continuation, "continuation");
    }

    public Step reply(Reply reply) {
      return continuation.apply(Objects.requireNonNull(reply, "reply"));
    }
  }

  /** The browser has decided. */
  record Done(Verdict verdict) implements Step {
    public Done {
      Objects.requireNonNull(verdict, "verdict");
    }
  }
}
