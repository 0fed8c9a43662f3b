#!/usr/bin/env bash
# Hot-reload proof: wrk drives benign traffic through `palisade run` while the policy file
# and a list file are rewritten 100 times. Prints wrk's summary (non-2xx, socket errors) and
# how many reloads Palisade applied. Loopback only; about 40 s.
#   bench/reload.sh [path/to/palisade]
set -euo pipefail
BIN=${1:-target/release/palisade}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }
DIR=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$DIR"' EXIT
mkdir -p "$DIR/policies"
# The upstream: the demo's sample API (axum), started by `palisade demo` on a free port.
PALISADE_LOG=warn "$BIN" demo --listen 127.0.0.1:0 --admin 127.0.0.1:0 > "$DIR/demo.log" 2>&1 &
for _ in $(seq 50); do grep -q 'sample API behind it on' "$DIR/demo.log" && break; sleep 0.2; done
UPSTREAM=$(grep -o 'sample API behind it on [0-9.:]*' "$DIR/demo.log" | awk '{print $NF}')
write_policy() {
  cat > "$DIR/policies/site.yaml.tmp" <<YAML
policies:
  - id: site-block-debug
    description: "No debug endpoint (revision $1)"
    category: site
    severity: low
    when: request.path == "/debug-$1"
    then: { action: block }
    tests: { act: [ { path: /debug-$1 } ], pass: [ { path: / } ] }
YAML
  mv "$DIR/policies/site.yaml.tmp" "$DIR/policies/site.yaml"
  printf '203.0.113.%d\n198.51.100.0/24\n' "$(( $1 % 250 ))" > "$DIR/deny.netset.tmp"
  mv "$DIR/deny.netset.tmp" "$DIR/deny.netset"
}
write_policy 0
cat > "$DIR/palisade.yaml" <<YAML
server: { listen: 127.0.0.1:18080, workers: 2 }
admin: { listen: 127.0.0.1:19090, token: reload-bench-token-0123456789 }
upstreams: { app: { servers: ["$UPSTREAM"] } }
routes: [ { name: app, path_prefix: /, upstream: app } ]
# The pack rate-limits one address at 6,000 requests a minute; a load test from one address
# would measure that limit, not the reload.
policies: { dir: policies, disabled: [dos-ip-rate, dos-ip-endpoint-rate] }
lists: { deny-ips: { kind: ip, file: deny.netset } }
events: { store: { path: none } }
YAML
PALISADE_LOG=warn "$BIN" run --config "$DIR/palisade.yaml" > "$DIR/out.log" 2>&1 &
for _ in $(seq 50); do curl -sf -o /dev/null http://127.0.0.1:18080/api/products && break; sleep 0.2; done
wrk -t2 -c16 -d40s -H 'User-Agent: Mozilla/5.0 (reload bench)' -H 'Accept-Language: en' \
  http://127.0.0.1:18080/api/products > "$DIR/wrk.txt" &
WRK=$!
sleep 2
for i in $(seq 1 100); do write_policy "$i"; sleep 0.3; done
wait $WRK
cat "$DIR/wrk.txt"
echo "reloads: $(curl -s -H 'Authorization: Bearer reload-bench-token-0123456789' http://127.0.0.1:19090/metrics | grep -E '^palisade_config_reloads')"
echo "policy now: $(curl -s -H 'Authorization: Bearer reload-bench-token-0123456789' http://127.0.0.1:19090/api/policies | grep -o 'revision [0-9]*' | head -1)"
