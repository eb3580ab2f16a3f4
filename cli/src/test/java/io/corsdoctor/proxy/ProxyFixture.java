package io.corsdoctor.proxy;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/** A started proxy in front of a test upstream, with every logged exchange kept. */
final class ProxyFixture implements AutoCloseable {
  static final String APP = "http://localhost:4200";

  final CorsProxy proxy;
  final List<ProxyExchange> log = new CopyOnWriteArrayList<>();

  ProxyFixture(String target, UnaryOperator<ProxySettings> tweak) throws Exception {
    this(target, tweak, CorsProxy.defaultFront());
  }

  ProxyFixture(String target, UnaryOperator<ProxySettings> tweak, CorsProxy.Front front)
      throws Exception {
    ProxySettings s = tweak.apply(ProxySettings.of(URI.create(target), List.of(APP)));
    proxy = CorsProxy.create(s, log::add, front).start();
  }

  ProxyFixture(String target) throws Exception {
    this(target, s -> s);
  }

  int port() {
    return proxy.port();
  }

  /** The exchanges logged so far, waiting briefly for the one just answered. */
  List<ProxyExchange> logged(int atLeast) throws InterruptedException {
    long end = System.currentTimeMillis() + 5000;
    while (log.size() < atLeast && System.currentTimeMillis() < end) {
      Thread.sleep(10);
    }
    return List.copyOf(log);
  }

  ProxyExchange last() throws InterruptedException {
    List<ProxyExchange> l = logged(1);
    return l.get(l.size() - 1);
  }

  @Override
  public void close() throws Exception {
    proxy.close();
  }
}
