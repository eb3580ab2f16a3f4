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
 */
public record ChromeVerdict(
    CorsError corsError,
    String failedParameter,
    String message,
    NetError netError,
    String networkLine) {

  public static final ChromeVerdict PASS = new ChromeVerdict(null, null, null, null, null);
}
