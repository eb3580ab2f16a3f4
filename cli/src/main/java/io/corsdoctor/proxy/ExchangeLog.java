package io.corsdoctor.proxy;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A sink for the proxy's exchanges that may also take them unbuilt: {@link #later} gets the
 * exchange as a supplier that builds the record, the browser's verdict included, on whichever
 * thread calls it. The epoll front hands its exchanges over this way, so the engine's work (cached
 * or not) leaves the event loop for the log's own thread. A plain {@code Consumer} builds each one
 * at once on the proxy's thread.
 */
public interface ExchangeLog extends Consumer<ProxyExchange> {

  /**
   * Takes an exchange to be built later. The supplier may be called once, on any thread; it holds
   * the request's and answer's headers until then.
   */
  default void later(Supplier<ProxyExchange> exchange) {
    accept(exchange.get());
  }
}
