package io.corsdoctor.check;

/** How much a finding matters; lower-case in JSON. */
public enum Severity {
  /** The browser blocks, or the request reaches the wrong process. */
  error,
  /** Works now, but fragile or only for one browser / address. */
  warning,
  /** Context that helps read the rest. */
  info
}
