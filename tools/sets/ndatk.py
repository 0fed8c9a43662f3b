"""Attack lines for detection work (see README.md). usage: ndatk.py OUT"""
import json, os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import corpus_attacks
pay = corpus_attacks(3, 4000)
out = open(sys.argv[1], "w")
for i, (cat, p) in enumerate(pay):
    k = i % 3
    if k == 0:
        body = json.dumps({"index": {"_index": "x"}}) + "\n" + json.dumps({"message": p, "user": "a"}) + "\n"; ct = "application/x-ndjson"
    elif k == 1:
        body = json.dumps({"event_id": "ab"}) + "\n" + json.dumps({"type": "event"}) + "\n" + json.dumps({"message": {"formatted": p}, "user": {"username": p}}) + "\n"; ct = "application/x-sentry-envelope"
    else:
        body = json.dumps({"q": p}) + "\n" + json.dumps({"q": "x"}) + "\n"; ct = "application/json"
    out.write(json.dumps({"source": "ndatk", "category": cat, "label": "attack", "id": f"nd-{i}", "method": "POST", "path": "/api/ingest", "headers": [["Host", "a"], ["Content-Type", ct]], "body": body}) + "\n")
