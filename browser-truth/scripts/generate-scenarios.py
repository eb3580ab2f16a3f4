#!/usr/bin/env python3
"""Generates the project's own browser-truth scenarios, systematically, one file each.

Usage: scripts/generate-scenarios.py [OUT_DIR]   (run from browser-truth/; default
src/test/resources/scenarios/generated). Re-running rewrites the same files.

Families (each a directory): acao (the CORS check on a simple request, fetch and XHR, with
and without credentials), preflight (every preflight failure, fetch and XHR, credentials),
address (IPv4/IPv6 targets and page origins, localhost fallback, two servers on one port,
refused ports), cache (a second request within or after max-age), redirect (status codes,
cross-origin, modes, loops), wire (closed, reset, non-HTTP, slow replies), safelist (headers,
content types, methods that do or do not need a preflight).
"""
import json
import pathlib
import shutil
import sys

PAGE = "http://localhost:${page}"
API = "http://127.0.0.1:${api}/data"
OUT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "src/test/resources/scenarios/generated")
written = []


def respond(status=200, headers=(), body="ok", reason=None, **extra):
    r = {"status": status, "headers": [list(h) for h in headers], "body": body}
    if reason is not None:
        r["reason"] = reason
    r.update(extra)
    return r


def rule(respond_, method=None, path=None, listener=None):
    r = {}
    if listener:
        r["listener"] = listener
    if method:
        r["method"] = method
    if path:
        r["path"] = path
    r["respond"] = respond_
    return r


def request(url=API, method="GET", api="fetch", origin=PAGE, headers=(), body=None, **opts):
    r = {"origin": origin, "api": api, "url": url, "method": method}
    if headers:
        r["headers"] = [list(h) for h in headers]
    if body is not None:
        r["body"] = body
    if api.startswith("xhr") and opts.pop("credentials", None) == "include":
        r["withCredentials"] = True
    r.update(opts)
    return r


def scenario(family, sid, description, req, rules, **extra):
    s = {"id": f"{family}-{sid}", "group": family, "description": description,
         "source": f"generated:{family}", "request": req, "server": {"rules": rules}}
    s.update(extra)
    d = OUT / family
    d.mkdir(parents=True, exist_ok=True)
    (d / f"{s['id']}.json").write_text(json.dumps(s, indent=1, ensure_ascii=False) + "\n")
    written.append(s["id"])


ACAO = "Access-Control-Allow-Origin"
ACAC = "Access-Control-Allow-Credentials"
ACAM = "Access-Control-Allow-Methods"
ACAH = "Access-Control-Allow-Headers"
MAXAGE = "Access-Control-Max-Age"
TEXT = ("Content-Type", "text/plain")


def acao_family():
    variants = {
        "missing": [],
        "star": [(ACAO, "*")],
        "exact": [(ACAO, PAGE)],
        "exact-acac-true": [(ACAO, PAGE), (ACAC, "true")],
        "exact-acac-upper": [(ACAO, PAGE), (ACAC, "TRUE")],
        "star-acac-true": [(ACAO, "*"), (ACAC, "true")],
        "other-port": [(ACAO, "http://localhost:3000")],
        "two-lines": [(ACAO, PAGE), (ACAO, "*")],
        "star-comma-origin": [(ACAO, "*, " + PAGE)],
        "empty": [(ACAO, "")],
    }
    for api in ("fetch", "xhr"):
        for creds in ("default", "include"):
            for name, headers in variants.items():
                opts = {} if creds == "default" else {"credentials": "include"}
                har = {"har": True} if (api, creds, name) == ("fetch", "include", "star-comma-origin") else {}
                scenario("acao", f"{api}-{creds}-{name}",
                         f"Simple GET with {api}, credentials {creds}; the response's CORS headers: {name}",
                         request(api=api, **opts), [rule(respond(200, [TEXT] + headers))], **har)


def preflight_family():
    ok_actual = lambda creds: rule(respond(200, [TEXT, (ACAO, PAGE)] + ([(ACAC, "true")] if creds else [])))
    base = [(ACAO, PAGE), (ACAM, "PUT"), (ACAH, "X-Token")]
    variants = {
        "ok": (204, base),
        "no-acao": (204, [(ACAM, "PUT"), (ACAH, "X-Token")]),
        "acao-mismatch": (204, [(ACAO, "http://localhost:3000"), (ACAM, "PUT"), (ACAH, "X-Token")]),
        "acao-two-lines": (204, [(ACAO, PAGE), (ACAO, PAGE), (ACAM, "PUT"), (ACAH, "X-Token")]),
        "acao-empty": (204, [(ACAO, ""), (ACAM, "PUT"), (ACAH, "X-Token")]),
        "status-403": (403, base),
        "status-500": (500, base),
        "redirect-302": (302, base + [("Location", "/elsewhere")]),
        "redirect-307": (307, base + [("Location", "/elsewhere")]),
        "acam-missing": (204, [(ACAO, PAGE), (ACAH, "X-Token")]),
        "acam-invalid": (204, [(ACAO, PAGE), (ACAM, "PUT;DELETE"), (ACAH, "X-Token")]),
        "acah-missing": (204, [(ACAO, PAGE), (ACAM, "PUT")]),
        "acah-invalid": (204, [(ACAO, PAGE), (ACAM, "PUT"), (ACAH, "X-Token; v=1")]),
        "acam-acah-star": (204, [(ACAO, PAGE), (ACAM, "*"), (ACAH, "*")]),
    }
    for api in ("fetch", "xhr"):
        for name, (status, headers) in variants.items():
            har = {"har": True} if (api, name) in (("fetch", "ok"), ("xhr", "acah-missing")) else {}
            scenario("preflight", f"{api}-{name}",
                     f"PUT with X-Token via {api}; the preflight answers {status} with {name}",
                     request(method="PUT", api=api, headers=[("X-Token", "1")], body="x"),
                     [rule(respond(status, headers, body=""), method="OPTIONS"), ok_actual(False)], **har)
        scenario("preflight", f"{api}-actual-no-acao",
                 f"PUT via {api}; the preflight passes, the actual response has no Allow-Origin",
                 request(method="PUT", api=api, headers=[("X-Token", "1")], body="x"),
                 [rule(respond(204, base, body=""), method="OPTIONS"), rule(respond(200, [TEXT]))])
        cred = {
            "cred-ok": [(ACAO, PAGE), (ACAC, "true"), (ACAM, "PUT"), (ACAH, "X-Token")],
            "cred-acao-star": [(ACAO, "*"), (ACAC, "true"), (ACAM, "PUT"), (ACAH, "X-Token")],
            "cred-no-acac": [(ACAO, PAGE), (ACAM, "PUT"), (ACAH, "X-Token")],
            "cred-acac-false": [(ACAO, PAGE), (ACAC, "false"), (ACAM, "PUT"), (ACAH, "X-Token")],
            "cred-acam-star": [(ACAO, PAGE), (ACAC, "true"), (ACAM, "*"), (ACAH, "X-Token")],
            "cred-acah-star": [(ACAO, PAGE), (ACAC, "true"), (ACAM, "PUT"), (ACAH, "*")],
        }
        for name, headers in cred.items():
            scenario("preflight", f"{api}-{name}",
                     f"PUT with X-Token via {api}, credentials included; the preflight answers {name}",
                     request(method="PUT", api=api, headers=[("X-Token", "1")], body="x",
                             credentials="include"),
                     [rule(respond(204, headers, body=""), method="OPTIONS"), ok_actual(True)])


def address_family():
    v6 = "http://[::1]:${v6only}/data"
    cases = [
        ("v6-literal-ok", request(url=v6), [rule(respond(200, [TEXT, (ACAO, PAGE)]))]),
        ("v6-literal-no-acao", request(url=v6), [rule(respond(200, [TEXT]))]),
        ("v6-literal-xhr-preflight", request(url=v6, api="xhr", method="DELETE"),
         [rule(respond(204, [(ACAO, PAGE), (ACAM, "DELETE")], body=""), method="OPTIONS"),
          rule(respond(200, [TEXT, (ACAO, PAGE)]))]),
        ("localhost-v6only-ok", request(url="http://localhost:${v6only}/data"),
         [rule(respond(200, [TEXT, (ACAO, PAGE)]))]),
        ("localhost-v6only-mismatch", request(url="http://localhost:${v6only}/data", api="xhr"),
         [rule(respond(200, [TEXT, (ACAO, "http://127.0.0.1:${page}")]))]),
        ("localhost-falls-back-to-v4", request(url="http://localhost:${api}/data"),
         [rule(respond(200, [TEXT, (ACAO, PAGE)]))]),
        ("localhost-falls-back-to-v4-preflight",
         request(url="http://localhost:${api}/data", method="POST",
                 headers=[("Content-Type", "application/json")], body="{}"),
         [rule(respond(204, [(ACAO, PAGE), (ACAH, "Content-Type")], body=""), method="OPTIONS"),
          rule(respond(200, [TEXT, (ACAO, PAGE)]))]),
        ("refused-v4-fetch", request(url="http://127.0.0.1:${refused}/data"), []),
        ("refused-localhost-xhr", request(url="http://localhost:${refused}/data", api="xhr"), []),
        ("refused-xhr-sync", request(url="http://127.0.0.1:${refused}/data", api="xhr-sync"), []),
        ("refused-preflight", request(url="http://127.0.0.1:${refused}/data", method="PUT", body="x"), []),
        ("page-127-acao-127", request(origin="http://127.0.0.1:${page}"),
         [rule(respond(200, [TEXT, (ACAO, "http://127.0.0.1:${page}")]))]),
        ("page-127-acao-localhost", request(origin="http://127.0.0.1:${page}", api="xhr"),
         [rule(respond(200, [TEXT, (ACAO, PAGE)]))]),
        ("page-v6-acao-v6", request(origin="http://[::1]:${page}"),
         [rule(respond(200, [TEXT, (ACAO, "http://[::1]:${page}")]))]),
        ("page-v6-to-v6-target-preflight",
         request(origin="http://[::1]:${page}", url=v6, method="PATCH", body="x"),
         [rule(respond(204, [(ACAO, "http://[::1]:${page}"), (ACAM, "PATCH")], body=""), method="OPTIONS"),
          rule(respond(200, [TEXT, (ACAO, "http://[::1]:${page}")]))]),
    ]
    airtunes = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nServer: AirTunes/860.7.1\r\n\r\n"
    flask_ok = [rule(respond(200, [("Server", "Werkzeug/3.0.1 Python/3.12.2"), (ACAO, PAGE), (ACAH, "Content-Type")], body=""),
                     method="OPTIONS", listener="127.0.0.1:${dual}"),
                rule(respond(200, [("Content-Type", "application/json"), (ACAO, PAGE)], body='{"ok":true}'),
                     listener="127.0.0.1:${dual}")]
    squatter = [rule({"raw": airtunes}, listener="[::1]:${dual}")]
    post_json = dict(method="POST", headers=[("Content-Type", "application/json")], body='{"a":1}')
    cases += [
        ("dual-localhost-reaches-v6-squatter", request(url="http://localhost:${dual}/sample", **post_json),
         squatter + flask_ok),
        ("dual-localhost-xhr-squatter", request(url="http://localhost:${dual}/sample", api="xhr", **post_json),
         squatter + flask_ok),
        ("dual-127-reaches-flask", request(url="http://127.0.0.1:${dual}/sample", **post_json),
         squatter + flask_ok),
        ("dual-localhost-simple-get-squatter", request(url="http://localhost:${dual}/sample"),
         squatter + flask_ok),
    ]
    for sid, req, rules in cases:
        scenario("address", sid, f"Address families and origins: {sid}", req, rules,
                 **({"har": True} if sid in ("dual-localhost-reaches-v6-squatter",) else {}))


def cache_family():
    pf = lambda extra: rule(respond(204, [(ACAO, PAGE), (ACAM, "PUT, DELETE"), (ACAH, "X-Token")] + extra, body=""),
                            method="OPTIONS")
    actual = rule(respond(200, [TEXT, (ACAO, PAGE), (ACAC, "true")]))
    put = lambda **o: request(method="PUT", body="x", **o)
    cases = [
        ("maxage-600-same-again", [(MAXAGE, "600")], put(), [(0, put())]),
        ("maxage-600-new-header", [(MAXAGE, "600")], put(), [(0, put(headers=[("X-Token", "1")]))]),
        ("maxage-600-other-allowed-method", [(MAXAGE, "600")], put(), [(0, request(method="DELETE"))]),
        ("maxage-0-same-again", [(MAXAGE, "0")], put(), [(0, put())]),
        ("no-maxage-same-again-at-once", [], put(), [(0, put())]),
        ("maxage-1-after-1500ms", [(MAXAGE, "1")], put(), [(1500, put())]),
        ("maxage-negative", [(MAXAGE, "-1")], put(), [(0, put())]),
        ("maxage-plus-sign", [(MAXAGE, "+600")], put(), [(0, put())]),
        ("maxage-with-space-inside", [(MAXAGE, "6 00")], put(), [(0, put())]),
        ("maxage-600-then-credentials", [(MAXAGE, "600")], put(), [(0, put(credentials="include"))]),
        ("maxage-600-xhr-then-xhr", [(MAXAGE, "600")], put(api="xhr"), [(0, put(api="xhr"))]),
        ("maxage-600-three-requests", [(MAXAGE, "600")], put(), [(0, put()), (0, put(api="xhr"))]),
    ]
    for sid, extra, first, follow in cases:
        scenario("cache", sid, f"Preflight cache: {sid}", first, [pf(extra), actual],
                 followUps=[{"sleepBeforeMs": s, "request": r} for s, r in follow],
                 **({"har": True} if sid == "maxage-600-same-again" else {}))
    scenario("cache", "failed-preflight-not-cached", "A failed preflight is not cached: the retry preflights again",
             put(), [rule(respond(403, [(ACAO, PAGE), (MAXAGE, "600")], body=""), method="OPTIONS"), actual],
             followUps=[{"sleepBeforeMs": 0, "request": put()}])


def redirect_family():
    final_ok = rule(respond(200, [TEXT, (ACAO, PAGE)]), path="/final")
    for status in (301, 302, 303, 307, 308):
        for api in ("fetch", "xhr"):
            scenario("redirect", f"{api}-{status}-same-server",
                     f"GET via {api}, {status} to another path of the same server, both allow the origin",
                     request(api=api),
                     [rule(respond(status, [("Location", "/final"), (ACAO, PAGE)], body=""), path="/data"), final_ok])
    second = "http://127.0.0.1:${second}/final"
    cases = [
        ("cross-origin-final-star", request(),
         [rule(respond(302, [("Location", second), (ACAO, PAGE)], body=""), path="/data"),
          rule(respond(200, [TEXT, (ACAO, "*")]), path="/final")]),
        ("cross-origin-final-origin", request(api="xhr"),
         [rule(respond(302, [("Location", second), (ACAO, PAGE)], body=""), path="/data"),
          rule(respond(200, [TEXT, (ACAO, PAGE)]), path="/final")]),
        ("cross-origin-final-null", request(),
         [rule(respond(307, [("Location", second), (ACAO, PAGE)], body=""), path="/data"),
          rule(respond(200, [TEXT, (ACAO, "null")]), path="/final")]),
        ("first-hop-no-acao", request(),
         [rule(respond(302, [("Location", "/final")], body=""), path="/data"), final_ok]),
        ("post-303-becomes-get", request(method="POST", body="x"),
         [rule(respond(303, [("Location", "/final"), (ACAO, PAGE)], body=""), path="/data"), final_ok]),
        ("put-307-cross-origin-preflights-again", request(method="PUT", body="x"),
         [rule(respond(204, [(ACAO, PAGE), (ACAM, "PUT")], body=""), method="OPTIONS"),
          rule(respond(307, [("Location", second), (ACAO, PAGE)], body=""), path="/data"),
          rule(respond(200, [TEXT, (ACAO, "*")]), path="/final")]),
        ("mode-error", request(redirect="error"),
         [rule(respond(302, [("Location", "/final"), (ACAO, PAGE)], body=""), path="/data"), final_ok]),
        ("mode-manual", request(redirect="manual"),
         [rule(respond(302, [("Location", "/final"), (ACAO, PAGE)], body=""), path="/data"), final_ok]),
        ("to-refused-port", request(),
         [rule(respond(302, [("Location", "http://127.0.0.1:${refused}/final"), (ACAO, PAGE)], body=""), path="/data")]),
        ("loop", request(),
         [rule(respond(302, [("Location", "/data"), (ACAO, PAGE)], body=""), path="/data")]),
        ("credentials-cross-origin-star", request(credentials="include"),
         [rule(respond(302, [("Location", second), (ACAO, PAGE), (ACAC, "true")], body=""), path="/data"),
          rule(respond(200, [TEXT, (ACAO, "*"), (ACAC, "true")]), path="/final")]),
    ]
    for sid, req, rules in cases:
        scenario("redirect", sid, f"Redirects: {sid}", req, rules,
                 **({"har": True} if sid == "cross-origin-final-origin" else {}))


def wire_family():
    ok = lambda **extra: respond(200, [TEXT, (ACAO, PAGE)], **extra)
    cases = [
        ("close-get-xhr", request(api="xhr"), [rule({"action": "close"})]),
        ("reset-get-xhr", request(api="xhr"), [rule({"action": "reset"})]),
        ("close-preflight", request(method="PUT", body="x"), [rule({"action": "close"}, method="OPTIONS"), rule(ok())]),
        ("reset-preflight", request(method="PUT", body="x"), [rule({"action": "reset"}, method="OPTIONS"), rule(ok())]),
        ("rtsp-get-xhr", request(api="xhr"), [rule({"raw": "RTSP/1.0 200 OK\r\nCSeq: 0\r\n\r\n"})]),
        ("garbage-reply", request(), [rule({"raw": "hello there\r\n\r\n"})]),
        ("http10-preflight", request(method="DELETE"),
         [rule(respond(204, [(ACAO, PAGE), (ACAM, "DELETE")], body="", proto="HTTP/1.0"), method="OPTIONS"), rule(ok())]),
        ("slow-reply-ok", request(), [rule(ok(delayMs=400))]),
        ("slow-preflight-ok", request(method="PUT", body="x"),
         [rule(respond(204, [(ACAO, PAGE), (ACAM, "PUT")], body="", delayMs=300), method="OPTIONS"), rule(ok())]),
        ("dup-content-length-xhr", request(api="xhr"),
         [rule({"raw": "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin: http://localhost:${page}\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nok"})]),
        ("obs-fold-acao", request(),
         [rule({"raw": "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin:\r\n http://localhost:${page}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"})]),
        ("acao-space-before-colon", request(),
         [rule({"raw": "HTTP/1.1 200 OK\r\nAccess-Control-Allow-Origin : http://localhost:${page}\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"})]),
    ]
    for sid, req, rules in cases:
        scenario("wire", sid, f"What arrives on the wire: {sid}", req, rules)


def safelist_family():
    pf_only_origin = rule(respond(204, [(ACAO, PAGE)], body=""), method="OPTIONS")
    actual = rule(respond(200, [TEXT, (ACAO, PAGE)]))
    cases = [
        ("post-text-plain", "POST", [("Content-Type", "text/plain")], "x"),
        ("post-urlencoded", "POST", [("Content-Type", "application/x-www-form-urlencoded")], "a=1"),
        ("post-multipart", "POST", [("Content-Type", "multipart/form-data; boundary=abc")], "x"),
        ("post-json", "POST", [("Content-Type", "application/json")], "{}"),
        ("post-xml", "POST", [("Content-Type", "application/xml")], "<a/>"),
        ("accept-json", "GET", [("Accept", "application/json")], None),
        ("accept-language", "GET", [("Accept-Language", "en-US,en;q=0.9")], None),
        ("content-language-bad", "GET", [("Content-Language", "en US!")], None),
        ("range-simple", "GET", [("Range", "bytes=0-10")], None),
        ("range-multi", "GET", [("Range", "bytes=0-10,20-30")], None),
        ("authorization", "GET", [("Authorization", "Bearer t")], None),
        ("two-custom-headers", "GET", [("X-Zeta", "1"), ("X-Alpha", "2")], None),
        ("three-custom-headers", "GET", [("X-Mid", "1"), ("X-Alpha", "2"), ("X-Zeta", "3")], None),
        ("custom-and-json", "POST", [("X-Zeta", "1"), ("Content-Type", "application/json")], "{}"),
        ("method-delete-lower", "delete", [], None),
        ("method-put-lower", "put", [], "x"),
    ]
    for sid, method, headers, body in cases:
        for api in (("fetch", "xhr") if sid in ("post-json", "authorization", "two-custom-headers") else ("fetch",)):
            scenario("safelist", f"{api}-{sid}",
                     f"{method} via {api} with {headers or 'no headers'}; the preflight allows the origin only",
                     request(method=method, api=api, headers=headers, body=body), [pf_only_origin, actual])
    scenario("safelist", "fetch-two-disallowed-one-allowed",
             "GET with X-Mid, X-Alpha and X-Zeta; the preflight allows X-Zeta only: which name is reported",
             request(headers=[("X-Mid", "1"), ("X-Alpha", "2"), ("X-Zeta", "3")]),
             [rule(respond(204, [(ACAO, PAGE), (ACAH, "X-Zeta")], body=""), method="OPTIONS"), actual])
    scenario("safelist", "fetch-ftp-scheme", "fetch() of an ftp: URL: refused before anything is sent",
             request(url="ftp://127.0.0.1:${api}/data"), [actual])
    scenario("safelist", "fetch-blob-untyped", "POST with an untyped Blob body: no Content-Type, no preflight",
             request(method="POST", body={"kind": "blob", "text": "{}"}), [pf_only_origin, actual])
    scenario("safelist", "fetch-bytes-body", "POST with a Uint8Array body: no Content-Type, no preflight",
             request(method="POST", body={"kind": "bytes"}), [pf_only_origin, actual])


if __name__ == "__main__":
    if OUT.exists():
        shutil.rmtree(OUT)
    for family in (acao_family, preflight_family, address_family, cache_family, redirect_family,
                   wire_family, safelist_family):
        family()
    print(f"wrote {len(written)} scenarios to {OUT}")
