package io.corsdoctor.har;

/**
 * One recorded HTTP exchange (a preflight or a request) as the report shows it.
 *
 * @param entry the entry's index in {@code log.entries}
 * @param method the request method
 * @param status the status code, 0 when nothing was recorded
 * @param statusLine e.g. {@code HTTP/1.1 403 Forbidden}
 * @param server the {@code Server} header, or null
 * @param serverIpAddress the address that answered, without brackets, or null
 * @param connection the connection id, or null
 * @param error the browser's {@code _error}, or null
 * @param fromCache the cache it came from, or null
 */
public record HarExchange(
    int entry,
    String method,
    int status,
    String statusLine,
    String server,
    String serverIpAddress,
    String connection,
    String error,
    String fromCache) {

  static HarExchange of(HarEntry e) {
    return new HarExchange(
        e.index(),
        e.request().method(),
        e.response().status(),
        e.response().status() == 0 ? null : e.response().statusLine(),
        e.server(),
        e.serverIpAddress(),
        e.connectionId() != null ? e.connectionId() : e.connection(),
        e.response().error(),
        e.fromCache());
  }
}
