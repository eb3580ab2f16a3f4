/**
 * picocli commands, wiring and exit codes. The only package that touches stdout, stderr and the
 * process exit status; everything else returns values that {@code report} renders.
 */
package io.corsdoctor.cli;
