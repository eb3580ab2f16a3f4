// The Node.js peer: JSON.parse the whole HAR, then select cross-origin entries and their CORS
// headers (the same work as the jq program). Prints one JSON line per cross-origin entry.
const fs = require("fs");
const text = fs.readFileSync(process.argv[2], "utf8");
const har = JSON.parse(text);
const out = [];
for (const e of har.log.entries) {
  const origin = (e.request.headers || []).find((h) => h.name.toLowerCase() === "origin");
  if (!origin) continue;
  const cors = (e.response.headers || []).filter((h) => h.name.toLowerCase().startsWith("access-control-"));
  out.push(JSON.stringify({ url: e.request.url, method: e.request.method, origin: origin.value, cors }));
}
process.stdout.write(out.join("\n") + "\n");
