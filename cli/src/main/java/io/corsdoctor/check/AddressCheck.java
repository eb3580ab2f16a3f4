package io.corsdoctor.check;

import io.corsdoctor.cors.Verdict;
import io.corsdoctor.net.Addresses;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The browser's request replayed over one address: what the engine decided and every probe sent.
 *
 * @param address the address connected to
 * @param verdict the engine's verdict for this address
 * @param probes every request sent, in order (the browser's, then any --send-anyway extra)
 */
public record AddressCheck(InetAddress address, Verdict verdict, List<AnsweredProbe> probes) {
  public AddressCheck {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(verdict, "verdict");
    probes = List.copyOf(probes);
  }

  public String text() {
    return Addresses.text(address);
  }

  /** Whether any connection to the address was accepted. */
  public boolean connected() {
    return probes.stream().anyMatch(p -> p.result().connected());
  }

  /** Whether the first connection attempt was refused (Chromium then tries the next address). */
  public boolean refused() {
    return !probes.isEmpty()
        && !probes.get(0).result().connected()
        && probes.get(0).result().failure() != null
        && switch (probes.get(0).result().failure().error()) {
          case CONNECTION_REFUSED, ADDRESS_UNREACHABLE, CONNECTION_TIMED_OUT -> true;
          default -> false;
        };
  }

  /** The first probe that got any answer, for who-answered comparisons. */
  public Optional<AnsweredProbe> firstAnswered() {
    return probes.stream().filter(p -> p.result().connected()).findFirst();
  }

  /** Who answered the first connected probe ({@link AnsweredProbe#answererKey()}), or null. */
  public String answererKey() {
    return firstAnswered().map(AnsweredProbe::answererKey).orElse(null);
  }
}
