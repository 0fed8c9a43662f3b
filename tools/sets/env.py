"""Benign requests for false-positive work (see README.md). usage: env.py OUT SEED COUNT"""
import json, random, sys, base64, glob, os
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out
random.seed(int(sys.argv[2])); o = Out(sys.argv[1], "env"); N = int(sys.argv[3])
R = random.choice
def hexid(n): return "".join(R("0123456789abcdef") for _ in range(n))
ctx = [("  const res = await fetch(`/api/orders?status=${status}&q=${encodeURIComponent(q)}`);", ["async function load(status, q) {", "  setLoading(true);"], ["  if (!res.ok) throw new Error(`HTTP ${res.status}`);", "  return res.json();"]),
       ("    el.innerHTML = `<li data-id=\"${item.id}\">${escape(item.name)}</li>`;", ["  list.forEach(item => {", "    const el = document.createElement('li');"], ["    ul.appendChild(el);", "  });"]),
       ("  eval(script.textContent);", ["function runInline(script) {", "  // legacy widgets"], ["}", ""]),
       ("  document.write('<script src=\"' + cdn + '/w.js\"></' + 'script>');", ["(function () {", "  var cdn = window.CDN || '//cdn.example.com';"], ["})();", ""]),
       ("      query: `SELECT * FROM products WHERE name LIKE '%${term}%'`,", ["  const { rows } = await db.query({", "      // TODO: parametrize"], ["  });", "  return rows;"])]
msgs = ["TypeError: Cannot read properties of undefined (reading 'map')", "SyntaxError: Unexpected token '<', \"<!DOCTYPE \"... is not valid JSON", "Error: HTTP 500", "ChunkLoadError: Loading chunk 42 failed.\n(error: https://shop.example.com/_next/static/chunks/42.js)", "ReferenceError: $ is not defined", "Uncaught (in promise) Error: Request failed with status code 403", "Script error."]
crumbs = [{"category": "console", "level": "warning", "message": "Warning: Each child in a list should have a unique \"key\" prop.%s", "data": {"arguments": ["Warning: Each child...", "\n    at li\n    at ul (http://localhost:3000/static/js/bundle.js:120:5)"]}},
          {"category": "fetch", "data": {"method": "GET", "url": "/api/search?q=%22men%27s+shoes%22+OR+boots", "status_code": 200}},
          {"category": "ui.click", "message": "body > div#root > main > button.btn.btn-danger[data-action=\"delete\"]"},
          {"category": "navigation", "data": {"from": "/products?sort=price&dir=desc", "to": "/checkout?step=2"}},
          {"category": "console", "level": "log", "message": "SELECT * FROM cart WHERE id = ? [42]"},
          {"category": "xhr", "data": {"method": "POST", "url": "https://api.example.com/graphql", "status_code": 400}}]
def frame():
    c, pre, post = R(ctx)
    return {"filename": R(["app:///main.js", "https://shop.example.com/static/js/main.3f2a1b.js", "webpack-internal:///./src/api.js"]), "function": R(["load", "render", "runInline", "Object.<anonymous>", "?"]), "lineno": random.randint(1, 900), "colno": random.randint(1, 80), "in_app": True, "context_line": c, "pre_context": pre, "post_context": post}
def envelope():
    eid = hexid(32)
    ev = {"event_id": eid, "platform": "javascript", "level": "error", "timestamp": 1764148321.2, "exception": {"values": [{"type": "Error", "value": R(msgs), "stacktrace": {"frames": [frame() for _ in range(random.randint(1, 4))]}, "mechanism": {"type": "onunhandledrejection", "handled": False}}]},
          "request": {"url": "https://shop.example.com/search?q=" + R(["o%27brien", "%3Cb%3Ebold%3C%2Fb%3E", "1%3D1", "select+shoes"]), "headers": {"User-Agent": "Mozilla/5.0"}}, "breadcrumbs": {"values": random.sample(crumbs, 3)}, "tags": {"route": "/search"}, "sdk": {"name": "sentry.javascript.react", "version": "8.40.0"}}
    k = R(["event", "event", "transaction", "replay", "session"])
    head = json.dumps({"event_id": eid, "sent_at": "2026-11-26T09:12:01.000Z", "sdk": {"name": "sentry.javascript.react", "version": "8.40.0"}, "dsn": "https://abc@o1.ingest.sentry.io/42"})
    if k == "event":
        p = json.dumps(ev); return head + "\n" + json.dumps({"type": "event", "length": len(p)}) + "\n" + p + "\n"
    if k == "transaction":
        p = json.dumps({"type": "transaction", "transaction": "/search", "spans": [{"op": "http.client", "description": "GET /api/search?q=%22men%27s%22", "data": {"url": "/api/search"}}, {"op": "resource.script", "description": "https://www.googletagmanager.com/gtm.js?id=GTM-XXXX"}, {"op": "ui.long-task", "description": "Main UI thread blocked"}]})
        return head + "\n" + json.dumps({"type": "transaction"}) + "\n" + p + "\n"
    if k == "replay":
        rec = json.dumps([{"type": 2, "data": {"node": {"type": 0, "childNodes": [{"type": 2, "tagName": "html", "attributes": {}, "childNodes": [{"type": 2, "tagName": "script", "attributes": {"src": "/static/js/main.js"}, "childNodes": []}, {"type": 3, "textContent": "window.__STATE__ = {\"q\": \"o'brien\"};"}]}]}}}])
        return head + "\n" + json.dumps({"type": "replay_event"}) + "\n" + json.dumps({"type": "replay_event", "urls": ["https://shop.example.com/search?q=o%27brien"], "replay_id": eid}) + "\n" + json.dumps({"type": "replay_recording", "length": len(rec) + 14}) + "\n" + json.dumps({"segment_id": 0}) + "\n" + rec + "\n"
    return head + "\n" + json.dumps({"type": "session"}) + "\n" + json.dumps({"sid": hexid(32), "status": "ok", "attrs": {"release": "web@1.4.2", "environment": "production", "user_agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X)"}}) + "\n"
srcs = [p for p in glob.glob("/usr/share/doc/*/examples/*") + glob.glob("/usr/lib/python3/dist-packages/*/*.py") + glob.glob("/usr/share/perl5/*/*.pm") if os.path.isfile(p) and os.path.getsize(p) < 20000][:400]
def contents():
    p = R(srcs) if srcs else None
    data = open(p, "rb").read() if p else b"print('hi')\n"
    return json.dumps({"message": "update " + os.path.basename(p or "x.py"), "content": base64.b64encode(data).decode(), "sha": hexid(40), "branch": "main"}), os.path.basename(p or "x.py")
for i in range(N):
    if random.random() < 0.7:
        o.emit("envelope", "POST", "/api/42/envelope/?sentry_key=abc&sentry_version=7", envelope(), "text/plain;charset=UTF-8", ua="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
    else:
        b, name = contents(); o.emit("contents", "PUT", f"/repos/acme/tools/contents/src/{name}", b, "application/json", ua="octokit-rest.js/21.0.2")
print(len(srcs), "source files")
