package io.corsdoctor.har;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The analysis of one HAR file.
 *
 * @param bytes how many bytes were read
 * @param entries entries in {@code log.entries}
 * @param preflights preflight entries among them
 * @param crossOrigin cross-origin CORS requests (matching the URL filter, if any)
 * @param blocked requests the browser blocks (CORS)
 * @param networkErrors requests that failed below CORS
 * @param unknown requests the HAR lacks a reply for, so no verdict
 * @param byCause blocked requests per Chromium CorsError, most frequent first
 * @param byFinding requests per finding code, most frequent first
 * @param requests every cross-origin request, in file order (up to the retention limit)
 * @param requestsOmitted requests counted but not kept because of the retention limit
 */
public record HarAnalysis(
    long bytes,
    int entries,
    int preflights,
    int crossOrigin,
    int blocked,
    int networkErrors,
    int unknown,
    Map<String, Integer> byCause,
    Map<String, Integer> byFinding,
    List<HarRequestResult> requests,
    int requestsOmitted) {

  public HarAnalysis {
    byCause = Collections.unmodifiableMap(new LinkedHashMap<>(byCause));
    byFinding = Collections.unmodifiableMap(new LinkedHashMap<>(byFinding));
    requests = List.copyOf(requests);
  }
}
