/**
 * The doctor: resolves a URL to every address, probes each one the way the browser would (through
 * the engine), attributes each answer to the process that accepted it, and turns what it saw into
 * findings with stable codes. Decides; {@code report} renders.
 */
package io.corsdoctor.check;
