/**
 * The raw-socket HTTP/1.1 probe: sends exactly the header lines a browser would send and reports
 * the reply's bytes as they arrived (status line even when it is not HTTP, every header line in
 * order with its case and duplicates, the start of the body). Bounded in time and size; a failure
 * is a value ({@link io.corsdoctor.cors.NetworkFailure}), never an exception. Also server
 * fingerprints.
 */
package io.corsdoctor.net;
