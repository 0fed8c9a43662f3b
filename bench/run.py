#!/usr/bin/env python3
"""Side-by-side load benchmark on loopback: upstream direct, nginx plain proxy,
nginx + ModSecurity + CRS (PL1, engine On, request body access On), Palisade with inspection
off, Palisade with full inspection; for a benign GET with a query string and a benign POST
with a 1 KB JSON body. Every proxy gets one worker pinned to core 0; wrk and the upstream
share core 1. Runs are interleaved (round-robin over targets, several rounds) and the median
round is reported: rps, p50, p99, and the proxy's CPU time per request (from /proc).

Usage: bench/run.py [--duration 8] [--rounds 3] [--connections 50]
Installs nginx, libnginx-mod-http-modsecurity, modsecurity-crs and wrk from Debian if absent,
and builds Palisade in release mode. A script, not a test: it asserts nothing.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOST = "api.example.com"  # wrk's default Host (127.0.0.1:port) trips CRS rule 920350
PROXY_CORE, CLIENT_CORE = "0", "1"
CLK_TCK = os.sysconf("SC_CLK_TCK")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def ensure_tools():
    missing = [p for p, b in [("nginx", "nginx"), ("wrk", "wrk")] if shutil.which(b) is None]
    if not os.path.exists("/usr/share/nginx/modules/ngx_http_modsecurity_module.so"):
        missing.append("libnginx-mod-http-modsecurity")
    if not os.path.isdir("/usr/share/modsecurity-crs/rules"):
        missing.append("modsecurity-crs")
    if missing:
        print(f"installing {' '.join(missing)} ...", flush=True)
        sh(["apt-get", "update", "-qq"])
        sh(["apt-get", "install", "-y", "-qq", "nginx", "libnginx-mod-http-modsecurity", "modsecurity-crs", "wrk"],
           env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    print("building palisade (release) ...", flush=True)
    sh(["cargo", "build", "--release", "-q", "-p", "palisade"], cwd=ROOT)
    return os.path.join(ROOT, "target", "release", "palisade")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=15):
    end = time.time() + timeout
    while time.time() < end:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on {port}")


NGINX_BASE = """
user root;
worker_processes 1;
error_log {dir}/error.log warn;
pid {dir}/{name}.pid;
{modules}
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {dir}/body_{name};
  proxy_temp_path {dir}/proxy_{name};
  client_max_body_size 8m;
  client_body_buffer_size 64k;
  keepalive_requests 1000000;
  {body}
}}
"""

UPSTREAM_BODY = """
  server {{
    listen 127.0.0.1:{port} reuseport backlog=4096;
    location / {{
      default_type application/json;
      return 200 '{{"ok":true,"items":[{{"sku":"SKU-1001","name":"Trail running shoes","price_cents":8900}}]}}';
    }}
  }}
"""

PROXY_BODY = """
  upstream app {{ server 127.0.0.1:{up}; keepalive 128; }}
  server {{
    listen 127.0.0.1:{port} backlog=4096;
    {extra}
    location / {{
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
    }}
  }}
"""

MODSEC_MAIN = """
SecRuleEngine On
SecRequestBodyAccess On
SecRequestBodyLimit 13107200
SecRequestBodyNoFilesLimit 131072
SecRequestBodyLimitAction Reject
SecRule REQUEST_HEADERS:Content-Type "(?:application(?:/soap\\+|/)|text/)xml" \
  "id:'200000',phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
SecRule REQUEST_HEADERS:Content-Type "application/json" \
  "id:'200001',phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
SecResponseBodyAccess Off
SecTmpDir {dir}
SecDataDir {dir}
SecAuditEngine RelevantOnly
SecAuditLogRelevantStatus "^(?:5|4(?!04))"
SecAuditLogParts ABIJDEFHZ
SecAuditLogType Serial
SecAuditLog {dir}/modsec_audit.log
SecArgumentSeparator &
SecCookieFormat 0
Include /etc/modsecurity/crs/crs-setup.conf
Include /etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf
Include /usr/share/modsecurity-crs/rules/*.conf
Include /etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf
"""

PALISADE_CONFIG = """
server:
  listen: 127.0.0.1:{port}
  workers: 1
admin:
  listen: 127.0.0.1:{admin}
  token: bench-admin-token-0123456789
upstreams:
  app:
    servers: ["127.0.0.1:{up}"]
    max_idle_per_server: 128
routes:
  - {{ path_prefix: /, upstream: app }}
inspection:
  enabled: {inspect}
events:
  store:
    path: {dir}/events-{name}.redb
"""


class Server:
    def __init__(self, name, cmd, port, core):
        self.name, self.port = name, port
        self.proc = subprocess.Popen(["taskset", "-c", core] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                     start_new_session=True)
        try:
            wait_port(port)
        except RuntimeError:
            self.proc.kill()
            err = self.proc.stderr.read().decode(errors="replace") if self.proc.stderr else ""
            raise RuntimeError(f"{name} did not start on {port}:\n{err}")

    def pids(self):
        out = subprocess.run(["pgrep", "-g", str(self.proc.pid)], capture_output=True, text=True).stdout
        return [int(p) for p in out.split()] or [self.proc.pid]

    def cpu_seconds(self):
        total = 0
        for pid in self.pids():
            try:
                with open(f"/proc/{pid}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                total += int(fields[11]) + int(fields[12])  # utime + stime
            except OSError:
                pass
        return total / CLK_TCK

    def stop(self):
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
            self.proc.wait(timeout=15)
        except Exception:
            os.killpg(self.proc.pid, signal.SIGKILL)


def nginx(name, dir, body, modules="", core=PROXY_CORE, port=None):
    port = port or free_port()
    conf = os.path.join(dir, f"{name}.conf")
    with open(conf, "w") as f:
        f.write(NGINX_BASE.format(dir=dir, name=name, modules=modules, body=body.format(port=port, **_fmt)))
    return Server(name, ["nginx", "-c", conf, "-p", dir, "-g", "daemon off;"], port, core)


_fmt = {}


def parse_wrk(out):
    def lat(p):
        m = re.search(rf"^\s*{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not m:
            return float("nan")
        v, u = float(m.group(1)), m.group(2)
        return v / 1000 if u == "us" else v if u == "ms" else v * 1000
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    reqs = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": rps, "requests": reqs, "p50": lat(50), "p99": lat(99),
            "non2xx": int(non2xx.group(1)) if non2xx else 0, "socket_errors": errors.group(0) if errors else ""}


def run_wrk(url, script, args, server):
    cmd = ["taskset", "-c", CLIENT_CORE, "wrk", "-t1", f"-c{args.connections}", f"-d{args.duration}s", "--latency",
           "--timeout", "10s", "-H", f"Host: {HOST}", "-s", script, url]
    before = server.cpu_seconds() if server else 0
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    after = server.cpu_seconds() if server else 0
    r = parse_wrk(out)
    r["cpu_us"] = (after - before) / r["requests"] * 1e6 if server and r["requests"] else float("nan")
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--duration", type=int, default=8, help="seconds per wrk run")
    ap.add_argument("--rounds", type=int, default=3, help="interleaved rounds; the median is reported")
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--only", default="", help="comma-separated substrings: run only matching targets (plus nginx plain)")
    args = ap.parse_args()
    palisade = ensure_tools()
    d = tempfile.mkdtemp(prefix="palisade-bench-")
    os.chmod(d, 0o755)

    get_lua = os.path.join(d, "get.lua")
    with open(get_lua, "w") as f:
        f.write('wrk.method = "GET"\nwrk.path = "/api/products?q=trail+running+shoes&page=2&sort=price"\n')
    body = '{"customer":"alice@example.com","note":"Leave it at the door, it\'s fine","items":['
    items = []
    i = 0
    while len(body) + len(",".join(items)) < 1000:
        items.append(f'{{"sku":"SKU-{1000 + i}","name":"Trail running shoe, size {40 + i % 8}","qty":{1 + i % 3}}}')
        i += 1
    body = body + ",".join(items) + "]}"
    post_lua = os.path.join(d, "post.lua")
    with open(post_lua, "w") as f:
        f.write('wrk.method = "POST"\nwrk.path = "/api/cart"\nwrk.headers["Content-Type"] = "application/json"\n')
        f.write(f"wrk.body = [[{body}]]\n")
    workloads = [("GET query", get_lua), (f"POST {len(body)} B JSON", post_lua)]

    servers = []
    try:
        up = nginx("upstream", d, UPSTREAM_BODY, core=CLIENT_CORE)
        servers.append(up)
        _fmt["up"] = up.port
        plain = nginx("nginx", d, PROXY_BODY.replace("{extra}", ""))
        servers.append(plain)
        with open(os.path.join(d, "modsec.conf"), "w") as f:
            f.write(MODSEC_MAIN.format(dir=d))
        modsec = nginx("nginx-modsec", d,
                       PROXY_BODY.replace("{extra}", f"modsecurity on; modsecurity_rules_file {d}/modsec.conf;"),
                       modules="load_module /usr/share/nginx/modules/ngx_http_modsecurity_module.so;")
        servers.append(modsec)
        pal = {}
        for name, inspect in [("palisade-off", "false"), ("palisade-full", "true")]:
            port, admin = free_port(), free_port()
            cfg = os.path.join(d, f"{name}.yaml")
            with open(cfg, "w") as f:
                f.write(PALISADE_CONFIG.format(port=port, admin=admin, up=up.port, inspect=inspect, dir=d, name=name))
            s = Server(name, [palisade, "run", "--config", cfg], port, PROXY_CORE)
            servers.append(s)
            pal[name] = s
        targets = [("upstream direct", up, None), ("nginx plain", plain, plain), ("nginx+ModSecurity+CRS", modsec, modsec),
                   ("palisade inspection off", pal["palisade-off"], pal["palisade-off"]),
                   ("palisade full inspection", pal["palisade-full"], pal["palisade-full"])]
        if args.only:
            keep = [k.strip() for k in args.only.split(",") if k.strip()] + ["nginx plain"]
            targets = [t for t in targets if any(k in t[0] for k in keep)]
        # Warm-up: fill keep-alive pools and caches.
        for _, srv, _ in targets:
            for _, script in workloads:
                subprocess.run(["taskset", "-c", CLIENT_CORE, "wrk", "-t1", "-c10", "-d1s", "-H", f"Host: {HOST}",
                                "-s", script, f"http://127.0.0.1:{srv.port}"], capture_output=True)
        results = {}
        for rnd in range(args.rounds):
            for wl, script in workloads:
                for name, srv, measured in targets:
                    r = run_wrk(f"http://127.0.0.1:{srv.port}", script, args, measured)
                    results.setdefault((wl, name), []).append(r)
                    print(f"round {rnd + 1}/{args.rounds}  {wl:18} {name:26} {r['rps']:>10.0f} rps"
                          f"  non-2xx {r['non2xx']}", flush=True)
    finally:
        for s in servers:
            s.stop()

    print()
    print(f"wrk -t1 -c{args.connections} -d{args.duration}s, {args.rounds} interleaved rounds (median by rps); "
          f"proxy on core {PROXY_CORE}, wrk + upstream on core {CLIENT_CORE}")
    hdr = f"| workload | target | rps | p50 ms | p99 ms | proxy CPU µs/req | rps vs nginx | CPU vs nginx | non-2xx |"
    print(hdr)
    print("|" + "---|" * 9)
    for wl, _ in workloads:
        med = {}
        for name, _, _ in targets:
            runs = sorted(results[(wl, name)], key=lambda r: r["rps"])
            med[name] = runs[len(runs) // 2]
        base = med["nginx plain"]
        for name, _, _ in targets:
            r = med[name]
            ratio = r["rps"] / base["rps"]
            cpu_ratio = r["cpu_us"] / base["cpu_us"] if base["cpu_us"] == base["cpu_us"] else float("nan")
            cpu = "—" if r["cpu_us"] != r["cpu_us"] else f"{r['cpu_us']:.1f}"
            cpu_r = "—" if cpu_ratio != cpu_ratio else f"{cpu_ratio:.2f}×"
            print(f"| {wl} | {name} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {cpu} | {ratio:.3f}× | {cpu_r} | {r['non2xx']} |")
    shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
