package io.corsdoctor.cors;

import java.util.List;
import java.util.Objects;

/**
 * What Firefox shows for the same replies.
 *
 * @param outcome Firefox's own outcome
 * @param reasons Firefox reason codes as MDN names them ({@code CORSMissingAllowOrigin}, ...), in
 *     the order Firefox logs them
 * @param messages the console error lines exactly as Firefox prints them (typographic quotes
 *     included), in the order it prints them; the CORS lines are in the same order as {@code
 *     reasons}; a request refused before CORS applies (mode {@code same-origin} to another origin)
 *     prints a "Security Error" line that has no reason code
 */
public record FirefoxVerdict(Outcome outcome, List<String> reasons, List<String> messages) {
  public FirefoxVerdict {
    Objects.requireNonNull(outcome, "outcome");
    reasons = List.copyOf(reasons);
    messages = List.copyOf(messages);
  }

  /** The first reason, or null. */
  public String reason() {
    return reasons.isEmpty() ? null : reasons.get(0);
  }

  /** The first message, or null. */
  public String message() {
    return messages.isEmpty() ? null : messages.get(0);
  }
}
