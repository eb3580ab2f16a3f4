package io.corsdoctor.ports;

/**
 * One TCP listening socket.
 *
 * @param address the bind address: {@code 127.0.0.1}, {@code ::1}, {@code 0.0.0.0}, {@code ::}
 *     (wildcards as the OS shows them)
 * @param family {@code ipv4} or {@code ipv6}
 * @param port the port
 * @param v6Only for an IPv6 wildcard: true = IPv6 only, false = dual-stack, null = unknown
 * @param owner the owning process, or null when the OS hides it (say why with {@link
 *     #hiddenReason})
 * @param hiddenReason why the owner is unknown (e.g. another user's process without privileges), or
 *     null
 * @param socketUser the user owning the socket as the kernel reports it even when the process is
 *     hidden (Linux), or null when unknown
 */
public record Listener(
    String address,
    String family,
    int port,
    Boolean v6Only,
    ProcessInfo owner,
    String hiddenReason,
    String socketUser) {

  /** A listener without the socket's user. */
  public Listener(
      String address,
      String family,
      int port,
      Boolean v6Only,
      ProcessInfo owner,
      String hiddenReason) {
    this(address, family, port, v6Only, owner, hiddenReason, null);
  }

  /** True for {@code 0.0.0.0}, {@code ::} and {@code *}: every address of the family. */
  public boolean wildcard() {
    return address.equals("0.0.0.0") || address.equals("::") || address.equals("*");
  }

  /** The same listener with its IPv6-only mode now known. */
  public Listener withV6Only(Boolean mode) {
    return new Listener(address, family, port, mode, owner, hiddenReason, socketUser);
  }

  /** {@code 127.0.0.1:5000} or {@code [::1]:5000}. */
  public String endpoint() {
    return (address.contains(":") ? "[" + address + "]" : address) + ":" + port;
  }
}
