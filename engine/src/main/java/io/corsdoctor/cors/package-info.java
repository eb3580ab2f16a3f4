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
 */
package io.corsdoctor.cors;
