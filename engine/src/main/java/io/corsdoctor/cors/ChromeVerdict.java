package io.corsdoctor.cors;

/**
 * What Chromium 156 shows for the request.
 *
 * @param corsError the CDP CorsError, or null when CORS did not block
 * @param failedParameter CDP's {@code corsErrorStatus.failedParameter} ("" when none), or null when
 *     there is no corsError
 * @param message the console line exactly as Chromium prints it ("Access to fetch at ..."), or null
 *     when it prints none (pass, network errors)
 * @param netError the net error of the network entry, or null on pass
 * @param networkLine the network console entry, e.g. {@code Failed to load resource:
 *     net::ERR_FAILED}, or null
 * @param issueCorsError a CorsError Chromium files only as a DevTools issue, with no corsError on
 *     the request (DisallowedByMode, CorsDisabledScheme, NoCorsRedirectModeNotFollow), or null
 * @param scriptError what the page's script sees when the request fails ({@code TypeError: Failed
 *     to fetch}, ...), or null when it gets a response
 */
public record ChromeVerdict(
    CorsError corsError,
    String failedParameter,
    String message,
    NetError netError,
    String networkLine,
    CorsError issueCorsError,
    String scriptError) {

  public static final ChromeVerdict PASS =
      new ChromeVerdict(null, null, null, null, null, null, null);

  /** A verdict without the DevTools-issue and script details. */
  public ChromeVerdict(
      CorsError corsError,
      String failedParameter,
      String message,
      NetError netError,
      String networkLine) {
    this(corsError, failedParameter, message, netError, networkLine, null, null);
  }
}
