package io.corsdoctor.browsertruth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.corsdoctor.browsertruth.Scenario.RequestSpec;

/**
 * The JavaScript a page runs for a scenario's request, with {@code fetch} or {@code
 * XMLHttpRequest}. Its value is a promise of what the script saw, as JSON: {@code resolved} with
 * status, type, headers and body, or {@code rejected} with the error text (fetch); {@code load},
 * {@code error} or {@code threw} (XHR).
 */
final class PageScript {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PageScript() {}

  static String of(RequestSpec r) {
    return switch (r.api()) {
      case "fetch" -> fetch(r);
      case "xhr" -> xhr(r, true);
      case "xhr-sync" -> xhr(r, false);
      default -> throw new IllegalArgumentException("unknown api " + r.api());
    };
  }

  private static String fetch(RequestSpec r) {
    ObjectNode init = JSON.createObjectNode();
    init.put("method", r.method());
    var headers = init.putArray("headers");
    r.headers().forEach(h -> headers.addArray().add(h.get(0)).add(h.get(1)));
    if (r.credentials() != null) {
      init.put("credentials", r.credentials());
    }
    if (r.mode() != null) {
      init.put("mode", r.mode());
    }
    if (r.redirect() != null) {
      init.put("redirect", r.redirect());
    }
    if (r.targetAddressSpace() != null) {
      init.put("targetAddressSpace", r.targetAddressSpace());
    }
    return "(async () => {\n"
        + "  const init = "
        + init
        + ";\n"
        + bodyExpression(r.body(), "  init.body")
        + "  let r;\n"
        + "  try { r = await fetch("
        + quote(r.url())
        + ", init); } catch (e) { return {outcome: 'rejected', error: String(e)}; }\n"
        + "  const seen = {outcome: 'resolved', status: r.status, statusText: r.statusText,"
        + " type: r.type, redirected: r.redirected, url: r.url, headers: [...r.headers]};\n"
        + "  try { seen.body = await r.text(); } catch (e) {"
        + " seen.outcome = 'ok-body-error'; seen.error = String(e); }\n"
        + "  return seen;\n"
        + "})()";
  }

  private static String xhr(RequestSpec r, boolean async) {
    boolean withCredentials =
        Boolean.TRUE.equals(r.withCredentials()) || "include".equals(r.credentials());
    StringBuilder js = new StringBuilder();
    js.append("(() => new Promise((resolve) => {\n");
    js.append("  const x = new XMLHttpRequest();\n");
    js.append("  const seen = () => ({status: x.status, statusText: x.statusText,")
        .append(" headers: x.getAllResponseHeaders(), body: x.responseText});\n");
    js.append("  const init = {};\n");
    js.append(bodyExpression(r.body(), "  init.body"));
    js.append("  try {\n");
    js.append("    x.open(")
        .append(quote(r.method()))
        .append(", ")
        .append(quote(r.url()))
        .append(", ")
        .append(async)
        .append(");\n");
    if (withCredentials) {
      js.append("    x.withCredentials = true;\n");
    }
    for (var h : r.headers()) {
      js.append("    x.setRequestHeader(")
          .append(quote(h.get(0)))
          .append(", ")
          .append(quote(h.get(1)))
          .append(");\n");
    }
    if (async) {
      js.append("    x.onload = () => resolve(Object.assign({outcome: 'load'}, seen()));\n");
      js.append("    x.onerror = () => resolve(Object.assign({outcome: 'error'}, seen()));\n");
      js.append("    x.send(init.body === undefined ? null : init.body);\n");
    } else {
      js.append("    x.send(init.body === undefined ? null : init.body);\n");
      js.append("    resolve(Object.assign({outcome: 'load'}, seen()));\n");
    }
    js.append("  } catch (e) { resolve({outcome: 'threw', error: String(e)}); }\n");
    js.append("}))()");
    return js.toString();
  }

  /** Assigns the body the script passes, or nothing when there is none. */
  private static String bodyExpression(JsonNode body, String target) {
    if (body == null || body.isNull()) {
      return "";
    }
    if (body.isTextual()) {
      return target + " = " + quote(body.asText()) + ";\n";
    }
    String kind = body.path("kind").asText();
    switch (kind) {
      case "json":
        return target + " = JSON.stringify(" + body.path("value") + ");\n";
      case "urlsearch":
        return target + " = new URLSearchParams(" + quote(body.path("value").asText()) + ");\n";
      case "formdata":
        StringBuilder fd = new StringBuilder("  { const fd = new FormData();");
        for (JsonNode pair : body.path("value")) {
          fd.append(" fd.append(")
              .append(quote(pair.get(0).asText()))
              .append(", ")
              .append(quote(pair.get(1).asText()))
              .append(");");
        }
        return fd.append(" ").append(target.trim()).append(" = fd; }\n").toString();
      case "blob":
        String type = body.path("type").asText("");
        return target
            + " = new Blob(["
            + quote(body.path("text").asText(""))
            + "]"
            + (type.isEmpty() ? "" : ", {type: " + quote(type) + "}")
            + ");\n";
      case "bytes":
        return target + " = new Uint8Array([1, 2, 3]);\n";
      default:
        throw new IllegalArgumentException("unknown body kind " + kind);
    }
  }

  private static String quote(String s) {
    return JSON.getNodeFactory().textNode(s).toString();
  }
}
