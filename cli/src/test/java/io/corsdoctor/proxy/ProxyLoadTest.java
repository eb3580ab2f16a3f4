package io.corsdoctor.proxy;

import static io.corsdoctor.proxy.ProxyFixture.APP;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.Test;

/** Thousands of keep-alive connections at once; memory flat over many requests. */
class ProxyLoadTest {

  /** A Jetty upstream (NIO: holds many idle keep-alive connections cheaply). */
  static Server upstream() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setDaemon(true);
    Server s = new Server(threads);
    ServerConnector c = new ServerConnector(s, 1, 1);
    c.setHost("127.0.0.1");
    c.setPort(0);
    c.setAcceptQueueSize(4096);
    s.addConnector(c);
    byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
    s.setHandler(
        new Handler.Abstract.NonBlocking() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            response.getHeaders().add("Access-Control-Allow-Origin", "*");
            response.getHeaders().add("Access-Control-Allow-Origin", APP);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
          }
        });
    s.start();
    return s;
  }

  static int port(Server s) {
    return ((ServerConnector) s.getConnectors()[0]).getLocalPort();
  }

  static String request(int i) {
    return "GET /item/" + i + " HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: " + APP + "\r\n\r\n";
  }

  @Test
  void twoThousandConcurrentKeepAliveConnectionsAreHeldAndServedTwice() throws Exception {
    Server up = upstream();
    AtomicLong logged = new AtomicLong();
    ProxySettings settings =
        ProxySettings.of(URI.create("http://127.0.0.1:" + port(up)), List.of(APP));
    List<RawHttp> clients = new ArrayList<>();
    CorsProxy p = CorsProxy.create(settings, e -> logged.incrementAndGet()).start();
    try {
      int n = 2000;
      for (int i = 0; i < n; i++) {
        clients.add(new RawHttp("127.0.0.1", p.port()));
      }
      for (int round = 0; round < 2; round++) {
        for (int i = 0; i < n; i++) {
          clients.get(i).send(request(i));
        }
        for (int i = 0; i < n; i++) {
          RawHttp.Answer a = clients.get(i).read(true);
          assertThat(a.status()).as(a.text()).isEqualTo(200);
          assertThat(a.all("Access-Control-Allow-Origin")).containsExactly(APP);
          assertThat(a.get("Connection")).isNull();
        }
      }
      awaitCount(logged, 2L * n);
    } finally {
      for (RawHttp c : clients) {
        c.close();
      }
      p.close();
      up.stop();
    }
  }

  @Test
  void memoryStaysFlatOverManyRequests() throws Exception {
    Server up = upstream();
    AtomicLong logged = new AtomicLong();
    ProxySettings settings =
        ProxySettings.of(URI.create("http://127.0.0.1:" + port(up)), List.of(APP));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    try (CorsProxy p = CorsProxy.create(settings, e -> logged.incrementAndGet()).start()) {
      load(pool, p.port(), 4000); // warm up: pools, caches, JIT
      long before = usedAfterGc(memory);
      load(pool, p.port(), 16000);
      long after = usedAfterGc(memory);
      awaitCount(logged, 20000);
      assertThat((after - before) / (1024 * 1024))
          .as(
              "heap growth in MB over 16000 requests (before %d MB, after %d MB)",
              before >> 20, after >> 20)
          .isLessThan(16);
    } finally {
      pool.shutdownNow();
      up.stop();
    }
  }

  /** {@code total} requests over 8 keep-alive connections, each reconnected every 500 requests. */
  private static void load(ExecutorService pool, int port, int total) throws Exception {
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      done.add(
          pool.submit(
              () -> {
                RawHttp c = new RawHttp("127.0.0.1", port);
                try {
                  for (int i = 0; i < total / 8; i++) {
                    if (i > 0 && i % 500 == 0) {
                      c.close();
                      c = new RawHttp("127.0.0.1", port);
                    }
                    c.send(request(i));
                    if (c.read(true).status() != 200) {
                      throw new AssertionError("not 200");
                    }
                  }
                } finally {
                  c.close();
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get();
    }
  }

  /**
   * The log line is written when the answer's last write completes, just after the client reads.
   */
  private static void awaitCount(AtomicLong count, long expected) throws InterruptedException {
    long end = System.currentTimeMillis() + 10_000;
    while (count.get() < expected && System.currentTimeMillis() < end) {
      Thread.sleep(10);
    }
    assertThat(count.get()).isEqualTo(expected);
  }

  private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }
}
