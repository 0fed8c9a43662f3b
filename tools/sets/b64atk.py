"""Attack lines for detection work (see README.md). usage: b64atk.py OUT"""
import json, os, random, sys, base64
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import corpus_attacks
pay = corpus_attacks(5, 3000)
out = open(sys.argv[1], "w")
for i, (cat, p) in enumerate(pay):
    inner = json.dumps({"filter": {"name": p}, "page": 2}) if i % 2 else json.dumps([p, "x"])
    b = base64.b64encode(inner.encode()).decode()
    if i % 3 == 0:
        path, body, ct = "/api/x", json.dumps({"state": b}), "application/json"
    elif i % 3 == 1:
        path, body, ct = "/api/x?state=" + b.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"), None, None
    else:
        path, body, ct = "/api/x", "state=" + b.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"), "application/x-www-form-urlencoded"
    d = {"source": "b64atk", "category": cat, "label": "attack", "id": f"b64-{i}", "method": "POST" if body else "GET", "path": path, "headers": [["Host", "a"]] + ([["Content-Type", ct]] if ct else [])}
    if body: d["body"] = body
    out.write(json.dumps(d) + "\n")
