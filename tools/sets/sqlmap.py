"""Attacks: the requests sqlmap sends, captured on loopback. A logging HTTP server on
127.0.0.1 answers every request with the same JSON; sqlmap (Debian's package, fetched with
`apt-get download` when it is not installed) scans a few targets whose parameters hold a
number, a word or a sentence, plain and through tamper scripts. Every request whose query,
form or JSON values, User-Agent or Referer differ from the target's own is an attack, but a
value changed to a bare number (sqlmap's random baselines) or a Referer naming the target.
usage: sqlmap.py OUT [TIMEOUT_PER_RUN_SECONDS]"""
import http.server, json, os, shutil, subprocess, sys, tempfile, threading, urllib.parse as up

UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
# (path and query, form body or None, JSON body or None, extra sqlmap options)
TARGETS = [
    ("/api/items?id=1&sort=name", None, None, ["--level", "3", "--risk", "2"]),
    ("/api/orders", None, {"customer_id": 42, "note": "leave at door"}, ["--level", "1", "--risk", "2"]),
    ("/api/reviews", "title=Great+little+mug&body=Arrived+quickly,+would+buy+again&rating=5", None, ["--level", "2", "--risk", "3"]),
] + [("/api/users?name=Jane+Doe&city=New+York", None, None, ["--tamper", t]) for t in
     ["space2comment,randomcase", "between,charencode", "versionedkeywords", "randomcomments", "halfversionedmorekeywords"]]


def sqlmap():
    """The sqlmap command: an installed one, or Debian's package unpacked in a temp dir."""
    if shutil.which("sqlmap"):
        return ["sqlmap"]
    d = tempfile.mkdtemp(prefix="sqlmap-deb-")
    r = subprocess.run(["apt-get", "download", "sqlmap"], cwd=d, capture_output=True, text=True)
    debs = [f for f in os.listdir(d) if f.endswith(".deb")]
    if r.returncode != 0 or not debs:
        sys.exit(f"skipped: sqlmap is not installed and apt-get download failed: {r.stderr.strip()[:200]}")
    subprocess.run(["dpkg-deb", "-x", os.path.join(d, debs[0]), os.path.join(d, "x")], check=True)
    return [sys.executable, os.path.join(d, "x/usr/share/sqlmap/sqlmap.py")]


def main():
    out_path = sys.argv[1]
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 900
    cmd = sqlmap()
    seen, lock = [], threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def answer(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n).decode("utf-8", "replace") if n else None
            with lock:
                seen.append((self.command, self.path, list(self.headers.items()), body))
            b = b'{"id": 1, "name": "Widget", "price": 9.99}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(b)))
            self.end_headers()
            self.wfile.write(b)

        do_GET = do_POST = do_PUT = answer

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    originals = {}
    with open(out_path, "w") as out:
        for t, (target, form, js, opts) in enumerate(TARGETS):
            start = len(seen)
            args = cmd + ["-u", base + target, "-A", UA, "--batch", "--time-sec", "1", "--timeout", "5",
                          "--retries", "0", "--disable-coloring", "--output-dir", tempfile.mkdtemp(prefix="sqlmap-out-")] + opts
            if form:
                args += ["--data", form]
            if js:
                args += ["--data", json.dumps(js, separators=(",", ":"))]
            try:
                subprocess.run(args, capture_output=True, timeout=limit)
            except subprocess.TimeoutExpired:
                pass
            originals = dict(up.parse_qsl(up.urlsplit(target).query))
            originals.update(up.parse_qsl(form or ""))
            for i, (method, path, headers, body) in enumerate(seen[start:]):
                values = dict(up.parse_qsl(up.urlsplit(path).query, keep_blank_values=True))
                changed = [v for k, v in values.items() if originals.get(k) != v]
                if body and js:
                    try:
                        parsed = json.loads(body)
                        changed += [str(v) for k, v in parsed.items() if js.get(k) != v] if isinstance(parsed, dict) else [body]
                    except ValueError:
                        changed.append(body)
                elif body:
                    changed += [v for k, v in up.parse_qsl(body, keep_blank_values=True) if originals.get(k) != v]
                h = {k.lower(): v for k, v in headers}
                where = ["value"] if any(not v.strip().isdigit() for v in changed) else []
                if h.get("user-agent") != UA:
                    where.append("ua")
                ref = h.get("referer", "")
                if ref and not ref.startswith(base + target.split("?")[0]):
                    where.append("referer")
                elif ref.startswith(base) and ref not in (base + target, base + target.split("?")[0]):
                    where.append("referer")
                attack = bool(where)
                d = {"source": "sqlmap", "category": "sqli" if attack else "benign-sqlmap",
                     "label": "attack" if attack else "benign", "id": f"sqlmap-{t}-{i}-{'-'.join(where) or 'base'}",
                     "method": method, "path": path,
                     "headers": [[k, v.replace(base[7:], "api.example.com")] for k, v in headers]}
                if body is not None:
                    d["body"] = body
                out.write(json.dumps(d) + "\n")
            print(f"target {t}: {len(seen) - start} requests", file=sys.stderr)
    server.shutdown()


main()
