#!/usr/bin/env bash
# Generate the benign API-traffic sets and the wrapped-attack sets into OUT (default
# /tmp/sets), and with a palisade binary, print how many each flags or detects.
# usage: tools/sets/make.sh [OUT] [PALISADE_BINARY]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-/tmp/sets}"
bin="${2:-}"
mkdir -p "$out"
# name generator count
while read -r name gen count; do
  for seed in 1 9; do
    python3 "$here/$gen.py" "$out/$name$seed.jsonl" "$seed" "$count" > /dev/null
  done
done <<'SETS'
ot otel 3000
dv dev2 3000
lm llm 3000
ia iac 2000
tp tpl 3000
fl flt 3000
lq logq 2000
sp spec 2000
gq gql 2000
en env 2000
tx tix 3000
sh shop 3000
qa qa 3000
web web 3000
ml mail 2000
SETS
# Attacks from the shared corpora inside JSON Lines bodies and base64-wrapped JSON.
python3 "$here/ndatk.py" "$out/ndatk.jsonl" || true
python3 "$here/b64atk.py" "$out/b64atk.jsonl" || true
# sqlmap's own requests against a loopback server (Debian's package; about 30 s).
python3 "$here/sqlmap.py" "$out/sqlmap.jsonl" || true
if [ -n "$bin" ]; then
  for f in "$out"/*.jsonl; do
    printf '%-14s ' "$(basename "$f")"
    "$bin" eval "$f" 2>/dev/null | grep '^total'
  done
fi
