package io.corsdoctor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.corsdoctor.net.Addresses;
import io.corsdoctor.report.Json;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Helpers for tests that listen on both loopback addresses and read check's JSON. */
final class Loopback {
  private Loopback() {}

  /** A port free on 127.0.0.1 and on ::1 (right now). */
  static int freeOnBoth() throws IOException {
    for (int i = 0; i < 50; i++) {
      try (ServerSocket v4 = new ServerSocket()) {
        v4.bind(new InetSocketAddress(Addresses.IPV4_LOOPBACK, 0));
        try (ServerSocket v6 = new ServerSocket()) {
          v6.bind(new InetSocketAddress(Addresses.IPV6_LOOPBACK, v4.getLocalPort()));
          return v4.getLocalPort();
        } catch (IOException e) {
          // taken on ::1: try another
        }
      }
    }
    throw new IOException("no port free on both loopback addresses");
  }

  static JsonNode json(String out) throws IOException {
    return Json.mapper().readTree(out);
  }

  static List<String> codes(JsonNode root) {
    List<String> out = new ArrayList<>();
    root.get("findings").forEach(f -> out.add(f.get("code").asText()));
    return out;
  }

  /** The probes of one address, in order. */
  static List<JsonNode> probes(JsonNode root, String address) {
    List<JsonNode> out = new ArrayList<>();
    root.get("probes")
        .forEach(
            p -> {
              if (p.get("address").asText().equals(address)) {
                out.add(p);
              }
            });
    return out;
  }
}
