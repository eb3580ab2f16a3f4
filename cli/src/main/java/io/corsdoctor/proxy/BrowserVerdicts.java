package io.corsdoctor.proxy;

import io.corsdoctor.cors.BrowserState;
import io.corsdoctor.cors.CorsEngine;
import io.corsdoctor.cors.CorsRequest;
import io.corsdoctor.cors.CredentialsMode;
import io.corsdoctor.cors.Header;
import io.corsdoctor.cors.HttpReply;
import io.corsdoctor.cors.NetError;
import io.corsdoctor.cors.NetworkFailure;
import io.corsdoctor.cors.Origin;
import io.corsdoctor.cors.OutgoingRequest;
import io.corsdoctor.cors.Reply;
import io.corsdoctor.cors.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * Labels an exchange with what the browser decides, from cors-doctor's engine: once for the
 * upstream's answer as it came, once for the proxy's. Only the actual response is judged: a
 * preflight the request needs is taken as passed (the proxy answers those itself).
 */
final class BrowserVerdicts {
  private BrowserVerdicts() {}

  static List<Header> headers(HttpFields fields) {
    List<Header> out = new ArrayList<>(fields.size());
    for (HttpField f : fields) {
      out.add(new Header(f.getName(), f.getValue() == null ? "" : f.getValue()));
    }
    return out;
  }

  /**
   * @param upstream the upstream's answer, or a {@link NetworkFailure} when there was none
   * @param proxied the proxy's answer
   * @return the label, or null when the request is not a CORS request the engine can judge
   */
  static ProxyExchange.BrowserLabel label(
      String method,
      String origin,
      String url,
      boolean credentials,
      Reply upstream,
      Reply proxied) {
    Optional<Origin> o = Origin.parse(origin);
    if (o.isEmpty()) {
      return null;
    }
    try {
      CorsRequest request =
          CorsRequest.builder(o.get(), url)
              .method(method)
              .credentials(credentials ? CredentialsMode.INCLUDE : CredentialsMode.SAME_ORIGIN)
              .build();
      Verdict up = evaluate(request, origin, credentials, upstream);
      Verdict px = evaluate(request, origin, credentials, proxied);
      return new ProxyExchange.BrowserLabel(
          up.outcome().token(), name(up), px.outcome().token(), name(px));
    } catch (RuntimeException e) {
      return null; // a label is a nicety: never break the log for it
    }
  }

  private static String name(Verdict v) {
    return v.chrome().corsError() == null ? null : v.chrome().corsError().name();
  }

  private static Verdict evaluate(
      CorsRequest request, String origin, boolean credentials, Reply actual) {
    return CorsEngine.evaluate(
        request,
        BrowserState.fresh(),
        out ->
            out.kind() == OutgoingRequest.Kind.PREFLIGHT ? passingPreflight(out, origin) : actual);
  }

  private static Reply passingPreflight(OutgoingRequest out, String origin) {
    List<Header> h = new ArrayList<>();
    h.add(new Header(CorsRules.ACAO, origin));
    h.add(new Header(CorsRules.ACAC, "true"));
    for (Header rh : out.headers()) {
      if (rh.is(CorsRules.ACRM)) {
        h.add(new Header(CorsRules.ACAM, rh.value()));
      } else if (rh.is(CorsRules.ACRH)) {
        h.add(new Header(CorsRules.ACAH, rh.value()));
      } else if (rh.is(CorsRules.ACRPN)) {
        h.add(new Header(CorsRules.ACAPN, "true"));
      }
    }
    return HttpReply.of(204, "No Content", h);
  }

  static Reply reply(int status, HttpFields fields) {
    return HttpReply.of(status, "", headers(fields));
  }

  static Reply failure(Change.Code code) {
    NetError e =
        switch (code) {
          case UPSTREAM_UNREACHABLE -> NetError.CONNECTION_REFUSED;
          case UPSTREAM_TIMEOUT -> NetError.TIMED_OUT;
          default -> NetError.EMPTY_RESPONSE;
        };
    return new NetworkFailure(e, "");
  }
}
