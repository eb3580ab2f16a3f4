#!/usr/bin/env python3
"""Ports the shared Chromium 156 corpus into one scenario file per scenario.

Usage: scripts/port-corpus.py PATH/TO/corpus.json   (run from browser-truth/)

Writes src/test/resources/scenarios/corpus/<id>.json. The corpus's fixed ports become
listener placeholders (${page}, ${api}, ...) so the harness can run each scenario on free
ports; what Chromium recorded is kept under "recorded", with the corpus's ports.
"""
import json
import pathlib
import sys

PORTS = {4200: "page", 4300: "public", 5000: "api", 5002: "v6only", 5003: "dual",
         5004: "second", 5009: "refused"}


def placeholders(value):
    if isinstance(value, str):
        for port, name in PORTS.items():
            value = value.replace(f":{port}", ":${" + name + "}")
        return value
    if isinstance(value, list):
        return [placeholders(v) for v in value]
    if isinstance(value, dict):
        return {k: placeholders(v) for k, v in value.items()}
    return value


def recorded(observed):
    return {
        "outcome": observed["outcome"],
        "corsError": observed.get("corsError"),
        "failedParameter": observed.get("failedParameter"),
        "consoleMessage": observed.get("consoleMessage"),
        "preflightSent": bool(observed.get("preflightSent")),
        "netErrorText": observed.get("netErrorText"),
    }


def main(corpus_path):
    corpus = json.load(open(corpus_path))
    out = pathlib.Path("src/test/resources/scenarios/corpus")
    out.mkdir(parents=True, exist_ok=True)
    for s in corpus["scenarios"]:
        scenario = {
            "id": s["id"],
            "group": s["group"],
            "description": s["description"],
            "source": "corpus",
            "request": placeholders(s["request"]),
            "server": placeholders(s["server"]),
        }
        follow = []
        for f in s.get("followUpSteps", []):
            req = dict(f["request"])
            sleep = f.get("sleepBeforeMs", req.pop("sleepBeforeMs", 0))
            req.pop("sleepBeforeMs", None)
            follow.append({"sleepBeforeMs": sleep, "request": placeholders(req)})
        if follow:
            scenario["followUps"] = follow
        for key, name in (("browserExtraArgs", "browserArgs"), ("cookies", "cookies"),
                          ("permissions", "permissions")):
            if key in s:
                scenario[name] = placeholders(s[key])
        scenario["recorded"] = [recorded(s["observed"])] + [
            recorded(f["observed"]) for f in s.get("followUpSteps", [])]
        (out / f"{s['id']}.json").write_text(json.dumps(scenario, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {len(corpus['scenarios'])} scenarios to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
