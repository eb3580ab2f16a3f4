package io.corsdoctor.check;

import io.corsdoctor.cors.CorsRequest;
import io.corsdoctor.cors.Outcome;
import io.corsdoctor.ports.Listener;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code check} learned.
 *
 * @param request what was checked
 * @param corsRequest the request as the engine saw it
 * @param port the URL's port
 * @param addresses one entry per address the host resolves to, in Chromium's order
 * @param chrome the address Chromium would use (its verdict is the top-level one)
 * @param firefox the address Firefox would use
 * @param listeners who listens on the port (empty when unknown)
 * @param ownersNote why owners could not be seen, or null
 * @param findings what is wrong, the headline first
 */
public record CheckResult(
    CheckRequest request,
    CorsRequest corsRequest,
    int port,
    List<AddressCheck> addresses,
    AddressCheck chrome,
    AddressCheck firefox,
    List<Listener> listeners,
    String ownersNote,
    List<Finding> findings) {

  public CheckResult {
    Objects.requireNonNull(request, "request");
    addresses = List.copyOf(addresses);
    Objects.requireNonNull(chrome, "chrome");
    Objects.requireNonNull(firefox, "firefox");
    listeners = List.copyOf(listeners);
    findings = List.copyOf(findings);
  }

  /** Chromium's outcome over the address it would use. */
  public Outcome outcome() {
    return chrome.verdict().outcome();
  }

  /** No address accepted a connection: there is nothing to diagnose. */
  public boolean unreachable() {
    return addresses.stream().noneMatch(AddressCheck::connected);
  }

  /** Nothing blocks in either browser and nothing serious was found. */
  public boolean ok() {
    return chrome.verdict().outcome() == Outcome.PASS
        && firefox.verdict().firefox().outcome() == Outcome.PASS
        && findings.stream().noneMatch(f -> f.severity() == Severity.error);
  }
}
