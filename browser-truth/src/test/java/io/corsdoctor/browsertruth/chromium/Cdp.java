package io.corsdoctor.browsertruth.chromium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A Chrome DevTools Protocol connection over the JDK's WebSocket client, in "flat" session mode:
 * one socket to the browser, every attached target addressed by its {@code sessionId}.
 */
final class Cdp implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  /** One CDP event; {@code sessionId} is "" for browser-level events. */
  record Event(String sessionId, String method, JsonNode params, long receivedNanos) {}

  private final WebSocket socket;
  private final AtomicInteger nextId = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final Map<String, Consumer<Event>> listeners = new ConcurrentHashMap<>();
  private volatile Throwable closedBecause;

  private Cdp(WebSocket socket) {
    this.socket = socket;
  }

  static Cdp connect(URI endpoint) throws IOException {
    Receiver receiver = new Receiver();
    try {
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .connectTimeout(Duration.ofSeconds(10))
              .buildAsync(endpoint, receiver)
              .get(15, TimeUnit.SECONDS);
      Cdp cdp = new Cdp(ws);
      receiver.owner = cdp;
      return cdp;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while connecting to " + endpoint, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot connect to the DevTools endpoint " + endpoint, e);
    }
  }

  /** Routes the events of one session (or "" for the browser) to {@code listener}. */
  void listen(String sessionId, Consumer<Event> listener) {
    listeners.put(sessionId, listener);
  }

  void unlisten(String sessionId) {
    listeners.remove(sessionId);
  }

  /** Sends a command and waits for its result; a protocol error becomes a {@link CdpException}. */
  JsonNode call(String sessionId, String method, ObjectNode params, Duration timeout) {
    CompletableFuture<JsonNode> reply = send(sessionId, method, params);
    try {
      return reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CdpException(method + ": interrupted");
    } catch (TimeoutException e) {
      throw new CdpException(method + ": no reply within " + timeout.toMillis() + " ms");
    } catch (ExecutionException e) {
      throw new CdpException(method + ": " + e.getCause().getMessage());
    }
  }

  JsonNode call(String sessionId, String method, ObjectNode params) {
    return call(sessionId, method, params, Duration.ofSeconds(10));
  }

  CompletableFuture<JsonNode> send(String sessionId, String method, ObjectNode params) {
    if (closedBecause != null) {
      return CompletableFuture.failedFuture(
          new CdpException("connection closed: " + closedBecause.getMessage()));
    }
    int id = nextId.incrementAndGet();
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", params == null ? JSON.createObjectNode() : params);
    if (sessionId != null && !sessionId.isEmpty()) {
      message.put("sessionId", sessionId);
    }
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    pending.put(id, reply);
    synchronized (socket) {
      socket.sendText(message.toString(), true).join();
    }
    return reply;
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
    if (message.has("id")) {
      CompletableFuture<JsonNode> reply = pending.remove(message.get("id").asInt());
      if (reply == null) {
        return;
      }
      if (message.has("error")) {
        reply.completeExceptionally(new CdpException(message.get("error").toString()));
      } else {
        reply.complete(message.path("result"));
      }
      return;
    }
    String session = message.path("sessionId").asText("");
    Consumer<Event> listener = listeners.get(session);
    if (listener != null) {
      listener.accept(
          new Event(
              session, message.path("method").asText(), message.path("params"), System.nanoTime()));
    }
  }

  private void failAll(Throwable why) {
    closedBecause = why;
    pending.values().forEach(f -> f.completeExceptionally(new CdpException(why.getMessage())));
    pending.clear();
  }

  @Override
  public void close() {
    failAll(new IOException("closed by the harness"));
    socket.abort();
  }

  /** A protocol error or a broken connection. */
  static final class CdpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CdpException(String message) {
      super(message);
    }
  }

  private static final class Receiver implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();
    private volatile Cdp owner;

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String text = partial.toString();
        partial.setLength(0);
        Cdp cdp = owner;
        if (cdp != null) {
          cdp.dispatch(text);
        }
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      Cdp cdp = owner;
      if (cdp != null) {
        cdp.failAll(new IOException("browser closed the DevTools socket: " + statusCode));
      }
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      Cdp cdp = owner;
      if (cdp != null) {
        cdp.failAll(error);
      }
    }
  }
}
