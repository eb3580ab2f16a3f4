package io.corsdoctor.ports;

import java.net.InetAddress;

/**
 * One line of Linux's {@code /proc/net/tcp} or {@code /proc/net/tcp6}.
 *
 * @param ipv6 true when read from {@code tcp6} (an IPv4 peer then shows as {@code ::ffff:a.b.c.d})
 * @param local the local address
 * @param localPort the local port
 * @param remote the remote address ({@code 0.0.0.0} / {@code ::} for a listener)
 * @param remotePort the remote port
 * @param state the kernel's TCP state number ({@link #LISTEN}, {@link #ESTABLISHED}, ...)
 * @param uid the user id owning the socket
 * @param inode the socket's inode, the key to find the process holding it; 0 when no process holds
 *     it (e.g. a connection still waiting in a listener's accept queue)
 */
public record TcpSocket(
    boolean ipv6,
    InetAddress local,
    int localPort,
    InetAddress remote,
    int remotePort,
    int state,
    int uid,
    long inode) {

  /** {@code TCP_ESTABLISHED} in include/net/tcp_states.h. */
  public static final int ESTABLISHED = 0x01;

  /** {@code TCP_LISTEN} in include/net/tcp_states.h. */
  public static final int LISTEN = 0x0A;
}
