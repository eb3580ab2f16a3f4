/**
 * A CORS-correct local dev proxy on Jetty 12: answers preflights, sets exactly one set of CORS
 * headers on every answer for the origins it allows, rewrites redirects and cookies, and reports
 * what it changed for each exchange. Renders nothing: each exchange goes to a sink as a {@link
 * io.corsdoctor.proxy.ProxyExchange}.
 */
package io.corsdoctor.proxy;
