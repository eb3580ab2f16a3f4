package io.corsdoctor.bench;

import io.corsdoctor.cors.BrowserState;
import io.corsdoctor.cors.CorsEngine;
import io.corsdoctor.cors.CorsRequest;
import io.corsdoctor.cors.Origin;
import io.corsdoctor.cors.OutgoingRequest;
import io.corsdoctor.cors.Reply;
import io.corsdoctor.cors.ResponseHead;
import io.corsdoctor.cors.Verdict;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * One full CORS evaluation as the story's Angular page makes it: a JSON POST from
 * http://localhost:4200 to the Flask API, preflight (OPTIONS) and actual request, with the replies
 * Werkzeug/flask-cors sends. Variants: replies parsed from raw bytes inside the measurement (what
 * the check command and the HAR reader pay), replies pre-parsed, and a simple GET as the floor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class EngineBenchmark {
  static final Origin PAGE = Origin.parse("http://localhost:4200").orElseThrow();

  static final byte[] PREFLIGHT_RAW =
      ("HTTP/1.1 200 OK\r\nServer: Werkzeug/3.0.1 Python/3.12.2\r\n"
              + "Date: Mon, 01 Jan 2024 00:00:00 GMT\r\nContent-Type: text/html; charset=utf-8\r\n"
              + "Allow: POST, OPTIONS\r\nAccess-Control-Allow-Origin: http://localhost:4200\r\n"
              + "Access-Control-Allow-Headers: Content-Type\r\n"
              + "Access-Control-Allow-Methods: DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT\r\n"
              + "Vary: Origin\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1);

  static final byte[] ACTUAL_RAW =
      ("HTTP/1.1 200 OK\r\nServer: Werkzeug/3.0.1 Python/3.12.2\r\n"
              + "Date: Mon, 01 Jan 2024 00:00:00 GMT\r\nContent-Type: application/json\r\n"
              + "Access-Control-Allow-Origin: http://localhost:4200\r\nVary: Origin\r\n"
              + "Content-Length: 11\r\nConnection: close\r\n\r\n{\"ok\":true}")
          .getBytes(StandardCharsets.ISO_8859_1);

  final CorsRequest postJson =
      CorsRequest.builder(PAGE, "http://127.0.0.1:5000/sample")
          .method("POST")
          .header("Content-Type", "application/json")
          .build();
  final CorsRequest simpleGet = CorsRequest.builder(PAGE, "http://127.0.0.1:5000/sample").build();
  final Reply preflightParsed = ResponseHead.parse(PREFLIGHT_RAW);
  final Reply actualParsed = ResponseHead.parse(ACTUAL_RAW);
  final BrowserState fresh = BrowserState.fresh();

  /** Preflight + actual, each reply parsed from its raw bytes. */
  @Benchmark
  public Verdict preflightAndActualFromRawBytes() {
    return CorsEngine.evaluate(
        postJson,
        fresh,
        out ->
            ResponseHead.parse(
                out.kind() == OutgoingRequest.Kind.PREFLIGHT ? PREFLIGHT_RAW : ACTUAL_RAW));
  }

  /** Preflight + actual on replies parsed beforehand: the engine alone. */
  @Benchmark
  public Verdict preflightAndActualParsed() {
    return CorsEngine.evaluate(
        postJson,
        fresh,
        out -> out.kind() == OutgoingRequest.Kind.PREFLIGHT ? preflightParsed : actualParsed);
  }

  /** A simple GET (no preflight): the floor. */
  @Benchmark
  public Verdict simpleGetParsed() {
    return CorsEngine.evaluate(simpleGet, fresh, out -> actualParsed);
  }

  /** Parsing the two raw responses only. */
  @Benchmark
  public Reply parseBothResponsesOnly() {
    ResponseHead.parse(PREFLIGHT_RAW);
    return ResponseHead.parse(ACTUAL_RAW);
  }
}
