/**
 * The CORS engine: what a browser decides about a cross-origin request, computed from data.
 *
 * <p>This package does no I/O, reads no clock it was not handed, and imports nothing of cors-doctor
 * outside itself. Callers describe the request a page makes ({@link CorsRequest}), then answer each
 * {@link OutgoingRequest} the engine asks for with the {@link Reply} that came back (recorded
 * bytes, a live probe, a HAR entry). The result is an immutable {@link Verdict}.
 *
 * <p>Function names follow the WHATWG Fetch standard (https://fetch.spec.whatwg.org/); where
 * Chromium 156 or Firefox deviate from it, the code says so.
 *
 * <p>Where things live: {@link CorsEngine} (main fetch, CORS-preflight fetch, HTTP-redirect fetch,
 * Local Network Access, the preflight cache), {@link Safelist} (the request side: safelisted
 * methods and headers, forbidden headers, CORS-unsafe request-header names), {@link CorsCheck} (the
 * response side: the CORS check and the preflight checks), {@link ResponseHead} (raw response bytes
 * read as Chromium reads them), {@link ChromiumMessages} (console texts, whose templates live in
 * {@code chromium-messages.properties}), {@link FirefoxModel} (Firefox's reading of the same
 * exchanges).
 */
package io.corsdoctor.cors;
