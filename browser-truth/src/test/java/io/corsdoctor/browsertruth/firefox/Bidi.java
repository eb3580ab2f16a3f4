package io.corsdoctor.browsertruth.firefox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A minimal WebDriver BiDi client (https://w3c.github.io/webdriver-bidi/) over the JDK's WebSocket:
 * commands with ids and their results, events to listeners. Firefox's built-in remote agent speaks
 * it; no geckodriver is involved.
 */
final class Bidi implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final WebSocket socket;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final List<Consumer<JsonNode>> listeners = new CopyOnWriteArrayList<>();

  private Bidi(WebSocket socket) {
    this.socket = socket;
  }

  /** Connects to a BiDi endpoint such as {@code ws://127.0.0.1:PORT/session}. */
  static Bidi connect(URI endpoint, Duration timeout) throws IOException {
    Receiver receiver = new Receiver();
    try {
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(timeout)
              .buildAsync(endpoint, receiver)
              .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Bidi bidi = new Bidi(ws);
      receiver.bidi = bidi;
      return bidi;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to " + endpoint, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("could not connect to Firefox's remote agent at " + endpoint, e);
    }
  }

  /** Listens to every event ({@code {"type":"event","method":...,"params":...}}). */
  void onEvent(Consumer<JsonNode> listener) {
    listeners.add(listener);
  }

  /** Sends a command and waits for its result; a BiDi error becomes an IOException. */
  JsonNode send(String method, ObjectNode params, Duration timeout) throws IOException {
    long id = ids.incrementAndGet();
    ObjectNode command = JSON.createObjectNode();
    command.put("id", id);
    command.put("method", method);
    command.set("params", params == null ? JSON.createObjectNode() : params);
    CompletableFuture<JsonNode> result = new CompletableFuture<>();
    pending.put(id, result);
    try {
      socket
          .sendText(JSON.writeValueAsString(command), true)
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(method + " interrupted", e);
    } catch (ExecutionException e) {
      throw new IOException(method + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(method + " got no answer within " + timeout.toMillis() + " ms", e);
    } finally {
      pending.remove(id);
    }
  }

  static ObjectNode params() {
    return JSON.createObjectNode();
  }

  private void dispatch(String text) {
    JsonNode message;
    try {
      message = JSON.readTree(text);
    } catch (IOException e) {
      return;
    }
    if (message.has("id") && !message.get("id").isNull()) {
      CompletableFuture<JsonNode> f = pending.get(message.get("id").asLong());
      if (f == null) {
        return;
      }
      if ("error".equals(message.path("type").asText())) {
        f.completeExceptionally(
            new IOException(
                message.path("error").asText() + ": " + message.path("message").asText()));
      } else {
        f.complete(message.path("result"));
      }
    } else if ("event".equals(message.path("type").asText())) {
      for (Consumer<JsonNode> l : listeners) {
        l.accept(message);
      }
    }
  }

  @Override
  public void close() {
    socket.abort();
    pending.values().forEach(f -> f.completeExceptionally(new IOException("connection closed")));
  }

  /** Collects text frames (a message may come in parts) and hands whole messages over. */
  private static final class Receiver implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    volatile Bidi bidi;

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        if (bidi != null) {
          bidi.dispatch(text);
        }
      }
      ws.request(1);
      return null;
    }
  }
}
