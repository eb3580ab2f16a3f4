package io.corsdoctor.ports;

import java.net.InetSocketAddress;

/**
 * An established TCP connection seen from its client end.
 *
 * @param clientLocal the client's local address and port
 * @param server the address and port connected to
 */
public record Connection(InetSocketAddress clientLocal, InetSocketAddress server) {}
