#!/usr/bin/env python3
"""Writes a realistic Chrome-shaped HAR of about SIZE_MB megabytes (default 1024) to OUT.

A single-page app on http://localhost:4200 loading its documents, scripts, styles and images
(bodies included, as "Export HAR (with content)" does) and calling APIs on other origins: JSON GETs,
preflighted POST/PUT/DELETE with their OPTIONS entries listed after the request (Chrome's order),
some blocked (no ACAO, duplicate ACAO, 403 preflight from another server), some served from cache.
Deterministic (seeded), streamed to disk: memory stays small whatever the size.

usage: gen_har.py OUT [SIZE_MB]
"""
import base64
import json
import random
import sys
from datetime import datetime, timedelta, timezone

out_path = sys.argv[1]
target = int(sys.argv[2] if len(sys.argv) > 2 else 1024) * 1024 * 1024
rnd = random.Random(42)
PAGE = "http://localhost:4200"
APIS = ["http://localhost:5000", "http://127.0.0.1:8000", "http://localhost:3001", "https://api.example.test"]
UA = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
      "Chrome/131.0.0.0 Safari/537.36")
WORDS = ("const let function return import export from await async class extends this new if else "
         "for while of in true false null undefined map filter reduce push then catch").split()


def js_body(n):
    out, size = [], 0
    while size < n:
        line = " ".join(rnd.choice(WORDS) for _ in range(12)) + ";\n"
        out.append(line)
        size += len(line)
    return "".join(out)


def json_body(n):
    items, size = [], 0
    while size < n:
        item = {"id": rnd.randrange(10**6), "name": "item-%d" % rnd.randrange(10**6),
                "tags": [rnd.choice(WORDS) for _ in range(3)], "price": round(rnd.random() * 100, 2),
                "description": " ".join(rnd.choice(WORDS) for _ in range(20))}
        items.append(item)
        size += 180
    return json.dumps({"items": items})


# Pools of bodies reused across entries (generation speed), sizes as seen in real exports.
JS = [js_body(rnd.choice([3_000, 12_000, 40_000, 120_000])) for _ in range(24)]
JSON_BODIES = [json_body(rnd.choice([500, 2_000, 8_000, 30_000])) for _ in range(24)]
IMAGES = [base64.b64encode(rnd.randbytes(rnd.choice([1_000, 6_000, 25_000]))).decode() for _ in range(24)]
CSS = [js_body(8_000).replace(";", "}") for _ in range(6)]


def headers(*pairs):
    return [{"name": n, "value": v} for n, v in pairs]


def base_request(method, url, extra):
    host = url.split("/")[2]
    h = [("Accept", "application/json, text/plain, */*"), ("Accept-Encoding", "gzip, deflate, br, zstd"),
         ("Accept-Language", "en-US,en;q=0.9"), ("Connection", "keep-alive"), ("Host", host),
         ("Referer", PAGE + "/"), ("Sec-Fetch-Dest", "empty"), ("Sec-Fetch-Site", "same-site"),
         ("User-Agent", UA), ("sec-ch-ua", '"Chromium";v="131", "Not_A Brand";v="24"'),
         ("sec-ch-ua-mobile", "?0"), ("sec-ch-ua-platform", '"macOS"')] + extra
    return {"method": method, "url": url, "httpVersion": "HTTP/1.1", "headers": headers(*h),
            "queryString": [], "cookies": [], "headersSize": -1, "bodySize": 0}


def response(status, text, mime, extra, encoding=None, error=None):
    content = {"size": len(text), "mimeType": mime, "text": text}
    if encoding:
        content["encoding"] = encoding
    h = [("Date", "Tue, 14 Nov 2023 10:00:00 GMT"), ("Content-Type", mime),
         ("Content-Length", str(len(text))), ("Cache-Control", "no-cache"), ("Vary", "Origin")] + extra
    return {"status": status, "statusText": "OK" if status < 400 else "Forbidden", "httpVersion": "HTTP/1.1",
            "headers": headers(*h), "cookies": [], "content": content, "redirectURL": "", "headersSize": -1,
            "bodySize": len(text), "_transferSize": len(text) + 300, "_error": error,
            "_fetchedViaServiceWorker": False}


def initiator():
    frames = [{"functionName": rnd.choice(WORDS), "scriptId": str(rnd.randrange(500)),
               "url": PAGE + "/chunk-%04d.js" % rnd.randrange(200), "lineNumber": rnd.randrange(3000),
               "columnNumber": rnd.randrange(80)} for _ in range(rnd.randrange(3, 9))]
    return {"type": "script", "stack": {"callFrames": frames,
                                         "parent": {"description": "Promise.then", "callFrames": frames[:2]}}}


def entry(req, resp, rtype, started, ip, conn, init, from_cache=None):
    e = {"_initiator": init, "_priority": "High", "_resourceType": rtype, "cache": {}, "connection": conn,
         "pageref": "page_1", "request": req, "response": resp, "serverIPAddress": ip,
         "startedDateTime": started.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
         "time": rnd.random() * 50,
         "timings": {"blocked": 0.4, "dns": -1, "ssl": -1, "connect": -1, "send": 0.1,
                     "wait": rnd.random() * 40, "receive": rnd.random() * 5, "_blocked_queueing": 0.2}}
    if from_cache:
        e["_fromCache"] = from_cache
    return e


def page_entry(t):
    r = rnd.random()
    if r < 0.35:
        path, body, mime, enc = "/chunk-%04d.js" % rnd.randrange(200), rnd.choice(JS), "application/javascript", None
        rtype = "script"
    elif r < 0.45:
        path, body, mime, enc = "/styles-%02d.css" % rnd.randrange(20), rnd.choice(CSS), "text/css", None
        rtype = "stylesheet"
    else:
        path, body, mime, enc = "/assets/img-%04d.png" % rnd.randrange(500), rnd.choice(IMAGES), "image/png", "base64"
        rtype = "image"
    req = base_request("GET", PAGE + path, [("Sec-Fetch-Mode", "no-cors")])
    return [entry(req, response(200, body, mime, [("X-Powered-By", "Express")], enc), rtype, t, "[::1]", "4200",
                  {"type": "parser", "url": PAGE + "/", "lineNumber": 12})]


def api_entries(t, n):
    api = rnd.choice(APIS)
    url = "%s/api/items/%d?page=%d" % (api, rnd.randrange(10000), rnd.randrange(50))
    acao = [("Access-Control-Allow-Origin", PAGE)]
    ip = "[::1]" if "localhost" in api else "127.0.0.1"
    server = [("Server", "Werkzeug/3.0.1 Python/3.11.6")]
    kind = rnd.random()
    if kind < 0.55:  # simple GET
        extra = acao if rnd.random() > 0.03 else []
        req = base_request("GET", url, [("Origin", PAGE), ("Sec-Fetch-Mode", "cors")])
        cache = "memory" if rnd.random() < 0.05 else None
        return [entry(req, response(200, rnd.choice(JSON_BODIES), "application/json", server + extra,
                                    error=None if extra else "net::ERR_FAILED"),
                      "fetch", t, ip, str(n), initiator(), cache)]
    method = rnd.choice(["POST", "PUT", "DELETE", "PATCH"])
    body = json.dumps({"name": "x%d" % n, "qty": rnd.randrange(10)})
    req = base_request(method, url, [("Origin", PAGE), ("Sec-Fetch-Mode", "cors"),
                                     ("Content-Type", "application/json"), ("Authorization", "Bearer abc%d" % n),
                                     ("Content-Length", str(len(body)))])
    req["postData"] = {"mimeType": "application/json", "text": body}
    pre_req = base_request("OPTIONS", url, [("Origin", PAGE), ("Sec-Fetch-Mode", "cors"),
                                            ("Access-Control-Request-Method", method),
                                            ("Access-Control-Request-Headers", "authorization,content-type")])
    pre_ok = response(204, "", "text/plain", server + acao + [
        ("Access-Control-Allow-Methods", "GET, POST, PUT, DELETE, PATCH"),
        ("Access-Control-Allow-Headers", "authorization, content-type"), ("Access-Control-Max-Age", "600")])
    act = response(200, rnd.choice(JSON_BODIES), "application/json", server + acao)
    pre, act_ip = pre_ok, ip
    if kind > 0.97:  # the story: preflight answered by AirTunes on ::1
        pre = response(403, "", "text/plain", [("Server", "AirTunes/620.8.2")])
        act = {**act, "status": 0, "headers": [], "_error": "net::ERR_FAILED"}
        act_ip = "127.0.0.1"
    elif kind > 0.95:  # duplicate ACAO on the actual response
        act = response(200, rnd.choice(JSON_BODIES), "application/json",
                       server + acao + [("Access-Control-Allow-Origin", "*")], error="net::ERR_FAILED")
    req_id = "%d.%d" % (4242, n)
    return [entry(req, act, "fetch", t, act_ip, str(n), initiator()),
            entry(pre_req, pre, "preflight", t + timedelta(milliseconds=1), "[::1]" if kind > 0.97 else ip,
                  str(n + 1), {"type": "preflight", "url": url, "requestId": req_id})]


def main():
    t = datetime(2023, 11, 14, 10, 0, 0, tzinfo=timezone.utc)
    written = 0
    with open(out_path, "w", encoding="utf-8") as f:
        head = ('{\n  "log": {\n    "version": "1.2",\n    "creator": {"name": "WebInspector", "version": "537.36"},\n'
                '    "pages": [{"startedDateTime": "2023-11-14T10:00:00.000Z", "id": "page_1", '
                '"title": "http://localhost:4200/", "pageTimings": {"onContentLoad": 120.5, "onLoad": 300.2}}],\n'
                '    "entries": [\n')
        f.write(head)
        written += len(head)
        n, first = 0, True
        while written < target:
            t += timedelta(milliseconds=rnd.randrange(1, 40))
            batch = api_entries(t, n) if rnd.random() < 0.5 else page_entry(t)
            for e in batch:
                text = ("" if first else ",\n") + json.dumps(e, indent=2)
                first = False
                f.write(text)
                written += len(text)
                n += 1
        tail = "\n    ]\n  }\n}\n"
        f.write(tail)
    print("wrote %s: %d entries, %.0f MB" % (out_path, n, written / 1e6))


main()
