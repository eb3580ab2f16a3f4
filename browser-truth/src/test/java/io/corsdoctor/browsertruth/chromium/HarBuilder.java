package io.corsdoctor.browsertruth.chromium;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds a HAR 1.2 log from DevTools protocol Network events, in the layout Chrome DevTools uses
 * when it exports a HAR: one entry per request and per redirect hop, preflights as their own
 * entries with {@code _initiator.type = "preflight"} and {@code _resourceType = "preflight"},
 * {@code serverIPAddress}, {@code connection} (the remote port, as DevTools writes it) and {@code
 * _connectionId}. Response headers come from the raw header block, so their order and duplicates
 * are kept.
 */
final class HarBuilder {
  private HarBuilder() {}

  /** One request hop, assembled from its events. */
  private static final class Hop {
    JsonNode willBeSent;
    JsonNode initiator;
    JsonNode extraRequestHeaders;
    JsonNode response;
    JsonNode responseExtra;
    JsonNode failed;
    double endTimestamp = -1;
    String redirectUrl = "";
  }

  static String build(List<Cdp.Event> events, String pageUrl, String browserVersion) {
    Map<String, List<Hop>> byRequest = new LinkedHashMap<>();
    List<Hop> order = new ArrayList<>();
    double domContent = -1;
    double load = -1;
    // Extra-info events may arrive before their request's requestWillBeSent: hold them back.
    Map<String, List<Cdp.Event>> early = new LinkedHashMap<>();
    List<Cdp.Event> ordered = new ArrayList<>();
    for (Cdp.Event ev : events) {
      String id = ev.params().path("requestId").asText();
      if (ev.method().equals("Network.requestWillBeSent")) {
        ordered.add(ev);
        List<Cdp.Event> held = early.remove(id);
        if (held != null) {
          ordered.addAll(held);
        }
      } else if (ev.method().endsWith("ExtraInfo")
          && ordered.stream()
              .noneMatch(
                  e ->
                      e.method().equals("Network.requestWillBeSent")
                          && e.params().path("requestId").asText().equals(id))) {
        early.computeIfAbsent(id, k -> new ArrayList<>()).add(ev);
      } else {
        ordered.add(ev);
      }
    }
    for (Cdp.Event ev : ordered) {
      JsonNode p = ev.params();
      String id = p.path("requestId").asText();
      List<Hop> hops = byRequest.get(id);
      Hop last = hops == null ? null : hops.get(hops.size() - 1);
      switch (ev.method()) {
        case "Network.requestWillBeSent":
          if (last != null && p.has("redirectResponse")) {
            last.response = p.get("redirectResponse");
            last.endTimestamp = p.path("timestamp").asDouble();
            last.redirectUrl = p.path("request").path("url").asText();
          }
          Hop hop = new Hop();
          hop.willBeSent = p;
          hop.initiator = last != null ? last.initiator : p.path("initiator");
          byRequest.computeIfAbsent(id, k -> new ArrayList<>()).add(hop);
          order.add(hop);
          break;
        case "Network.requestWillBeSentExtraInfo":
          if (last != null && last.extraRequestHeaders == null) {
            last.extraRequestHeaders = p.path("headers");
          }
          break;
        case "Network.responseReceived":
          if (last != null) {
            last.response = p.path("response");
          }
          break;
        case "Network.responseReceivedExtraInfo":
          if (last != null) {
            last.responseExtra = p;
          }
          break;
        case "Network.loadingFinished":
          if (last != null) {
            last.endTimestamp = p.path("timestamp").asDouble();
          }
          break;
        case "Network.loadingFailed":
          if (last != null) {
            last.failed = p;
            last.endTimestamp = p.path("timestamp").asDouble();
          }
          break;
        case "Page.domContentEventFired":
          domContent = p.path("timestamp").asDouble();
          break;
        case "Page.loadEventFired":
          load = p.path("timestamp").asDouble();
          break;
        default:
          break;
      }
    }
    ObjectNode root = Cdp.JSON.createObjectNode();
    ObjectNode log = root.putObject("log");
    log.put("version", "1.2");
    ObjectNode creator = log.putObject("creator");
    creator.put("name", "cors-doctor-browser-truth");
    creator.put("version", browserVersion);
    creator.put(
        "comment",
        "Built from Chrome DevTools Protocol Network events in the layout of a DevTools HAR export");
    ArrayNode pages = log.putArray("pages");
    ArrayNode entries = log.putArray("entries");
    double pageStart = order.isEmpty() ? 0 : order.get(0).willBeSent.path("timestamp").asDouble();
    ObjectNode page = pages.addObject();
    page.put(
        "startedDateTime",
        order.isEmpty() ? Instant.EPOCH.toString() : wallTime(order.get(0).willBeSent));
    page.put("id", "page_1");
    page.put("title", pageUrl);
    ObjectNode pageTimings = page.putObject("pageTimings");
    pageTimings.put("onContentLoad", domContent < 0 ? -1 : (domContent - pageStart) * 1000);
    pageTimings.put("onLoad", load < 0 ? -1 : (load - pageStart) * 1000);
    // DevTools lists a preflight right after the request it was made for.
    List<Hop> listed = new ArrayList<>();
    for (Hop hop : order) {
      if (!hop.initiator.path("type").asText().equals("preflight")) {
        listed.add(hop);
        String id = hop.willBeSent.path("requestId").asText();
        for (Hop pf : order) {
          if (pf.initiator.path("type").asText().equals("preflight")
              && pf.initiator.path("requestId").asText().equals(id)
              && !listed.contains(pf)) {
            listed.add(pf);
          }
        }
      }
    }
    for (Hop hop : order) {
      if (!listed.contains(hop)) {
        listed.add(hop);
      }
    }
    for (Hop hop : listed) {
      entries.add(entry(hop));
    }
    try {
      return Cdp.JSON.writer(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String wallTime(JsonNode willBeSent) {
    double wall = willBeSent.path("wallTime").asDouble();
    return Instant.ofEpochMilli(Math.round(wall * 1000)).toString();
  }

  private static ObjectNode entry(Hop hop) {
    JsonNode sent = hop.willBeSent;
    JsonNode req = sent.path("request");
    JsonNode res = hop.response;
    ObjectNode e = Cdp.JSON.createObjectNode();
    String connectionId = res == null ? "" : res.path("connectionId").asText("");
    if (!connectionId.isEmpty() && !connectionId.equals("0")) {
      e.put("_connectionId", connectionId);
    }
    ObjectNode initiator = e.putObject("_initiator");
    JsonNode init = hop.initiator;
    initiator.put("type", init.path("type").asText("other"));
    if (init.has("url")) {
      initiator.put("url", init.path("url").asText());
    }
    if (init.has("requestId")) {
      initiator.put("requestId", init.path("requestId").asText());
    }
    e.put("_priority", req.path("initialPriority").asText("High"));
    boolean preflight = init.path("type").asText().equals("preflight");
    e.put(
        "_resourceType",
        preflight ? "preflight" : sent.path("type").asText("Other").toLowerCase(Locale.ROOT));
    e.putObject("cache");
    String ip = res == null ? "" : res.path("remoteIPAddress").asText("");
    int port = res == null ? 0 : res.path("remotePort").asInt(0);
    if (port > 0) {
      e.put("connection", String.valueOf(port));
    }
    e.put("pageref", "page_1");
    e.set("request", request(hop));
    e.set("response", response(hop));
    e.put("serverIPAddress", ip.contains(":") && !ip.startsWith("[") ? "[" + ip + "]" : ip);
    e.put("startedDateTime", wallTime(sent));
    ObjectNode timings = timings(hop);
    double time = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = timings.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> t = it.next();
      if (!t.getKey().startsWith("_") && t.getValue().asDouble() > 0) {
        time += t.getValue().asDouble();
      }
    }
    e.put("time", time);
    e.set("timings", timings);
    return e;
  }

  private static ObjectNode request(Hop hop) {
    JsonNode req = hop.willBeSent.path("request");
    ObjectNode r = Cdp.JSON.createObjectNode();
    r.put("method", req.path("method").asText());
    r.put("url", req.path("url").asText());
    String protocol = hop.response == null ? "" : hop.response.path("protocol").asText("");
    r.put("httpVersion", protocol.isEmpty() ? "HTTP/1.1" : protocol.toUpperCase(Locale.ROOT));
    ArrayNode headers = r.putArray("headers");
    JsonNode source =
        hop.extraRequestHeaders != null ? hop.extraRequestHeaders : req.path("headers");
    int headersSize = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> h = it.next();
      for (String value : h.getValue().asText().split("\n", -1)) {
        headers.addObject().put("name", h.getKey()).put("value", value);
        headersSize += h.getKey().length() + value.length() + 4;
      }
    }
    ArrayNode query = r.putArray("queryString");
    String rawQuery = URI.create(req.path("url").asText()).getRawQuery();
    if (rawQuery != null) {
      for (String pair : rawQuery.split("&")) {
        int eq = pair.indexOf('=');
        query
            .addObject()
            .put("name", eq < 0 ? pair : pair.substring(0, eq))
            .put("value", eq < 0 ? "" : pair.substring(eq + 1));
      }
    }
    r.putArray("cookies");
    r.put("headersSize", headersSize == 0 ? -1 : headersSize + 2);
    String body = req.path("postData").asText(null);
    if (body == null && req.has("postDataEntries")) {
      StringBuilder b = new StringBuilder();
      req.path("postDataEntries").forEach(x -> b.append(x.path("bytes").asText("")));
      body =
          new String(
              java.util.Base64.getDecoder().decode(b.toString()),
              java.nio.charset.StandardCharsets.UTF_8);
    }
    r.put(
        "bodySize",
        body == null ? 0 : body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    if (body != null) {
      ObjectNode post = r.putObject("postData");
      String type = "";
      for (Iterator<Map.Entry<String, JsonNode>> it = req.path("headers").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> h = it.next();
        if (h.getKey().equalsIgnoreCase("content-type")) {
          type = h.getValue().asText();
        }
      }
      post.put("mimeType", type);
      post.put("text", body);
    }
    return r;
  }

  private static ObjectNode response(Hop hop) {
    ObjectNode r = Cdp.JSON.createObjectNode();
    JsonNode res = hop.response;
    JsonNode extra = hop.responseExtra;
    int status =
        res != null
            ? res.path("status").asInt()
            : extra != null ? extra.path("statusCode").asInt() : 0;
    String headersText = extra != null ? extra.path("headersText").asText("") : "";
    if (headersText.isEmpty() && res != null) {
      headersText = res.path("headersText").asText("");
    }
    String statusText = res != null ? res.path("statusText").asText("") : "";
    String httpVersion =
        res != null ? res.path("protocol").asText("").toUpperCase(Locale.ROOT) : "";
    ArrayNode headers = Cdp.JSON.createArrayNode();
    if (!headersText.isEmpty()) {
      String[] lines = headersText.split("\r\n");
      String[] statusLine = lines[0].split(" ", 3);
      if (httpVersion.isEmpty() && statusLine.length > 0) {
        httpVersion = statusLine[0];
      }
      if (statusText.isEmpty() && statusLine.length > 2) {
        statusText = statusLine[2];
      }
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers
              .addObject()
              .put("name", lines[i].substring(0, colon).trim())
              .put("value", lines[i].substring(colon + 1).trim());
        }
      }
    } else {
      JsonNode source =
          extra != null ? extra.path("headers") : res != null ? res.path("headers") : null;
      if (source != null) {
        for (Iterator<Map.Entry<String, JsonNode>> it = source.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> h = it.next();
          for (String value : h.getValue().asText().split("\n", -1)) {
            headers.addObject().put("name", h.getKey()).put("value", value);
          }
        }
      }
    }
    r.put("status", status);
    r.put("statusText", statusText);
    r.put("httpVersion", httpVersion.isEmpty() ? (status == 0 ? "" : "HTTP/1.1") : httpVersion);
    r.set("headers", headers);
    r.putArray("cookies");
    ObjectNode content = r.putObject("content");
    long size = res == null ? 0 : Math.max(0, res.path("encodedDataLength").asLong(0));
    content.put("size", 0);
    content.put("mimeType", res == null ? "x-unknown" : res.path("mimeType").asText("x-unknown"));
    r.put("redirectURL", hop.redirectUrl);
    r.put("headersSize", headersText.isEmpty() ? -1 : headersText.length());
    r.put("bodySize", -1);
    r.put("_transferSize", size);
    if (hop.failed != null) {
      r.put("_error", hop.failed.path("errorText").asText());
      JsonNode cors = hop.failed.path("corsErrorStatus");
      if (!cors.isMissingNode()) {
        // Not in DevTools' export; kept so tests can check what the browser decided.
        r.set("_corsErrorStatus", cors);
      }
    } else {
      r.putNull("_error");
    }
    return r;
  }

  private static ObjectNode timings(Hop hop) {
    ObjectNode t = Cdp.JSON.createObjectNode();
    JsonNode timing = hop.response == null ? null : hop.response.path("timing");
    if (timing == null || timing.isMissingNode()) {
      double start = hop.willBeSent.path("timestamp").asDouble();
      double total = hop.endTimestamp < 0 ? 0 : (hop.endTimestamp - start) * 1000;
      t.put("blocked", total);
      t.put("dns", -1);
      t.put("ssl", -1);
      t.put("connect", -1);
      t.put("send", 0);
      t.put("wait", 0);
      t.put("receive", 0);
      return t;
    }
    double dnsStart = timing.path("dnsStart").asDouble(-1);
    double dnsEnd = timing.path("dnsEnd").asDouble(-1);
    double connectStart = timing.path("connectStart").asDouble(-1);
    double connectEnd = timing.path("connectEnd").asDouble(-1);
    double sendStart = timing.path("sendStart").asDouble(0);
    double sendEnd = timing.path("sendEnd").asDouble(0);
    double headersEnd = timing.path("receiveHeadersEnd").asDouble(0);
    double requestTime = timing.path("requestTime").asDouble(0);
    double blocked = dnsStart >= 0 ? dnsStart : connectStart >= 0 ? connectStart : sendStart;
    t.put("blocked", Math.max(0, blocked));
    t.put("dns", dnsStart >= 0 ? dnsEnd - dnsStart : -1);
    t.put("ssl", -1);
    t.put("connect", connectStart >= 0 ? connectEnd - connectStart : -1);
    t.put("send", Math.max(0, sendEnd - sendStart));
    t.put("wait", Math.max(0, headersEnd - sendEnd));
    double end = hop.endTimestamp < 0 ? requestTime : hop.endTimestamp;
    t.put("receive", Math.max(0, (end - requestTime) * 1000 - headersEnd));
    t.put("_blocked_queueing", Math.max(0, blocked));
    return t;
  }
}
