package io.corsdoctor.cors;

/**
 * Chromium's CORS error names: the Chrome DevTools Protocol {@code Network.CorsError} enum as
 * served by Chromium 156 ({@code GET /json/protocol}). The constant names are the CDP names
 * exactly; they appear in cors-doctor's JSON as {@code chrome.corsError}. Never rename.
 */
public enum CorsError {
  DisallowedByMode,
  InvalidResponse,
  WildcardOriginNotAllowed,
  MissingAllowOriginHeader,
  MultipleAllowOriginValues,
  InvalidAllowOriginValue,
  AllowOriginMismatch,
  InvalidAllowCredentials,
  CorsDisabledScheme,
  PreflightInvalidStatus,
  PreflightDisallowedRedirect,
  PreflightWildcardOriginNotAllowed,
  PreflightMissingAllowOriginHeader,
  PreflightMultipleAllowOriginValues,
  PreflightInvalidAllowOriginValue,
  PreflightAllowOriginMismatch,
  PreflightInvalidAllowCredentials,
  PreflightMissingAllowExternal,
  PreflightInvalidAllowExternal,
  InvalidAllowMethodsPreflightResponse,
  InvalidAllowHeadersPreflightResponse,
  MethodDisallowedByPreflightResponse,
  HeaderDisallowedByPreflightResponse,
  RedirectContainsCredentials,
  InsecureLocalNetwork,
  InvalidLocalNetworkAccess,
  NoCorsRedirectModeNotFollow,
  LocalNetworkAccessPermissionDenied
}
