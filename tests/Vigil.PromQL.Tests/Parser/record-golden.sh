#!/usr/bin/env bash
# Re-records the parser goldens against a real Prometheus 2.42 (Debian's `prometheus` package).
#   queries.jsonl   -> golden-exprs.jsonl      {"query": q, "printed": String()} or {"query": q, "error": "L:C: parse error: ..."}
#   selectors.jsonl -> golden-selectors.jsonl  {"query": q, "ok": true} or {"query": q, "error": "..."}
# Each input line is one JSON string (queries may hold newlines). Printed forms come from
# /api/v1/format_query, selector errors from /api/v1/series?match[]=.
set -euo pipefail
dir=$(cd "$(dirname "$0")" && pwd)
port=${PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
tmp=$(mktemp -d)
echo 'global: {}' > "$tmp/p.yml"
prometheus --config.file="$tmp/p.yml" --web.listen-address="127.0.0.1:$port" \
  --storage.tsdb.path="$tmp/data" > "$tmp/log" 2>&1 &
pid=$!
trap 'kill "$pid"; wait "$pid" 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null && break
  sleep 0.2
done
prometheus --version 2>&1 | head -1 >&2

record() { # $1 input, $2 output, $3 endpoint, $4 parameter name
  : > "$2.tmp"
  while IFS= read -r line; do
    jq -j '.' <<< "$line" > "$tmp/q"
    resp=$(curl -s "http://127.0.0.1:$port/api/v1/$3" --data-urlencode "$4@$tmp/q")
    jq -c --argjson q "$line" --arg p "invalid parameter \"$4\": " '
      if .status == "success" then
        (if (.data | type) == "string" then {query: $q, printed: .data} else {query: $q, ok: true} end)
      elif (.error | startswith($p)) and ((.error | ltrimstr($p)) | test("^([0-9]+:[0-9]+|invalid position):")) then
        {query: $q, error: (.error | ltrimstr($p))}
      else {query: $q, ok: true, note: .error} end' <<< "$resp" >> "$2.tmp"
  done < "$1"
  mv "$2.tmp" "$2"
}
record "$dir/queries.jsonl" "$dir/golden-exprs.jsonl" format_query query
record "$dir/selectors.jsonl" "$dir/golden-selectors.jsonl" series 'match[]'
echo "recorded $(wc -l < "$dir/golden-exprs.jsonl") expressions, $(wc -l < "$dir/golden-selectors.jsonl") selectors" >&2
