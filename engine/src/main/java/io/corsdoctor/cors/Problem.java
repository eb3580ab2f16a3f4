package io.corsdoctor.cors;

import java.util.Objects;

/**
 * One thing wrong with the exchange, whether or not it was the one that decided. Words for people
 * live in the report layer; this is data.
 *
 * @param rule the stable rule id
 * @param stage where it was found
 * @param header the header concerned, or null
 * @param observed what was seen (may be null: e.g. a missing header)
 * @param expected what the browser needed, or null
 */
public record Problem(Rule rule, Stage stage, String header, String observed, String expected) {
  public Problem {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(stage, "stage");
  }
}
