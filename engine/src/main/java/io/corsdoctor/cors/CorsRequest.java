package io.corsdoctor.cors;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The request as a page makes it: the page's origin, the URL, the method and the headers the script
 * set (not those the browser adds), the body kind, and the fetch options.
 *
 * @param origin the page's origin ({@link Origin#OPAQUE} for a {@code null} origin)
 * @param url the absolute URL the script asked for
 * @param method the method exactly as the script wrote it (fetch keeps {@code patch} lower-case)
 * @param headers the headers the script set, in order
 * @param body what kind of body the script passed
 * @param credentials the credentials mode (for XHR: {@code withCredentials} true = INCLUDE, false =
 *     SAME_ORIGIN)
 * @param mode the request mode
 * @param redirect the redirect mode
 * @param api fetch, async XHR or sync XHR
 * @param clientAddressSpace the page's IP address space for Local Network Access, or null to derive
 *     it from the origin's host ({@code localhost} and loopback literals are loopback)
 * @param targetAddressSpace fetch's {@code targetAddressSpace} option, or null when not given
 * @param addressSpaceOverrides like Chromium's {@code --ip-address-space-overrides}: {@code
 *     host:port} (e.g. {@code 127.0.0.1:5004}) to the space the browser treats it as
 * @param localNetworkAccessGranted whether the page holds the Local Network Access permission
 */
public record CorsRequest(
    Origin origin,
    String url,
    String method,
    List<Header> headers,
    BodyKind body,
    CredentialsMode credentials,
    RequestMode mode,
    RedirectMode redirect,
    Api api,
    AddressSpace clientAddressSpace,
    AddressSpace targetAddressSpace,
    Map<String, AddressSpace> addressSpaceOverrides,
    boolean localNetworkAccessGranted) {

  public CorsRequest {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(method, "method");
    headers = List.copyOf(headers);
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(redirect, "redirect");
    Objects.requireNonNull(api, "api");
    addressSpaceOverrides = Map.copyOf(addressSpaceOverrides);
  }

  /** A request without Local Network Access settings (the page's space derives from its origin). */
  public CorsRequest(
      Origin origin,
      String url,
      String method,
      List<Header> headers,
      BodyKind body,
      CredentialsMode credentials,
      RequestMode mode,
      RedirectMode redirect,
      Api api) {
    this(
        origin,
        url,
        method,
        headers,
        body,
        credentials,
        mode,
        redirect,
        api,
        null,
        null,
        Map.of(),
        false);
  }

  /** A GET with fetch's defaults: mode cors, credentials same-origin, redirect follow. */
  public static Builder builder(Origin origin, String url) {
    return new Builder(origin, url);
  }

  public Builder toBuilder() {
    Builder b = new Builder(origin, url);
    b.method = method;
    b.headers.addAll(headers);
    b.body = body;
    b.credentials = credentials;
    b.mode = mode;
    b.redirect = redirect;
    b.api = api;
    b.clientAddressSpace = clientAddressSpace;
    b.targetAddressSpace = targetAddressSpace;
    b.addressSpaceOverrides.putAll(addressSpaceOverrides);
    b.localNetworkAccessGranted = localNetworkAccessGranted;
    return b;
  }

  /** Builds a {@link CorsRequest}; only the origin and URL are required. */
  public static final class Builder {
    private final Origin origin;
    private final String url;
    private String method = "GET";
    private final List<Header> headers = new ArrayList<>();
    private BodyKind body = BodyKind.NONE;
    private CredentialsMode credentials = CredentialsMode.SAME_ORIGIN;
    private RequestMode mode = RequestMode.CORS;
    private RedirectMode redirect = RedirectMode.FOLLOW;
    private Api api = Api.FETCH;
    private AddressSpace clientAddressSpace;
    private AddressSpace targetAddressSpace;
    private final Map<String, AddressSpace> addressSpaceOverrides = new LinkedHashMap<>();
    private boolean localNetworkAccessGranted;

    private Builder(Origin origin, String url) {
      this.origin = origin;
      this.url = url;
    }

    public Builder method(String method) {
      this.method = method;
      return this;
    }

    public Builder header(String name, String value) {
      headers.add(new Header(name, value));
      return this;
    }

    public Builder headers(List<Header> list) {
      headers.clear();
      headers.addAll(list);
      return this;
    }

    public Builder body(BodyKind body) {
      this.body = body;
      return this;
    }

    public Builder credentials(CredentialsMode credentials) {
      this.credentials = credentials;
      return this;
    }

    public Builder mode(RequestMode mode) {
      this.mode = mode;
      return this;
    }

    public Builder redirect(RedirectMode redirect) {
      this.redirect = redirect;
      return this;
    }

    public Builder api(Api api) {
      this.api = api;
      return this;
    }

    /** The page's address space (default: derived from the origin's host). */
    public Builder clientAddressSpace(AddressSpace space) {
      this.clientAddressSpace = space;
      return this;
    }

    /** fetch's {@code targetAddressSpace} option. */
    public Builder targetAddressSpace(AddressSpace space) {
      this.targetAddressSpace = space;
      return this;
    }

    /** Treat {@code hostPort} (e.g. {@code 127.0.0.1:5004}) as being in {@code space}. */
    public Builder addressSpaceOverride(String hostPort, AddressSpace space) {
      addressSpaceOverrides.put(hostPort, space);
      return this;
    }

    /** Whether the page holds the Local Network Access permission. */
    public Builder localNetworkAccessGranted(boolean granted) {
      this.localNetworkAccessGranted = granted;
      return this;
    }

    public CorsRequest build() {
      return new CorsRequest(
          origin,
          url,
          method,
          headers,
          body,
          credentials,
          mode,
          redirect,
          api,
          clientAddressSpace,
          targetAddressSpace,
          addressSpaceOverrides,
          localNetworkAccessGranted);
    }
  }
}
