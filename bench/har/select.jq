# The jq peer: cross-origin entries (those with an Origin header) and their CORS response headers.
.log.entries[]
| (.request.headers // []) as $rq
| ($rq | map(select((.name | ascii_downcase) == "origin")) | first) as $o
| select($o != null)
| { url: .request.url, method: .request.method, origin: $o.value,
    cors: [ (.response.headers // [])[] | select(.name | ascii_downcase | startswith("access-control-")) ] }
