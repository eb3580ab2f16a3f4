package io.corsdoctor.check;

import io.corsdoctor.ports.Listener;
import io.corsdoctor.ports.PortOwners;
import io.corsdoctor.ports.ProcessInfo;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/** A port-owner backend that sees nothing; used when no real backend is available. */
public final class NoPortOwners implements PortOwners {
  @Override
  public List<Listener> listeners(int port) {
    return List.of();
  }

  @Override
  public List<Listener> allListeners() {
    return List.of();
  }

  @Override
  public Optional<ProcessInfo> acceptorOf(InetSocketAddress clientLocal, InetSocketAddress server) {
    return Optional.empty();
  }
}
