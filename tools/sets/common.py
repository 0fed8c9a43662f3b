"""Shared by the set generators: the corpus line writer, and the shared corpora's attack payloads."""
import json, os, random, sys
H = [["Host", "api.example.com"], ["User-Agent", "opentelemetry-collector/0.112.0"], ["Accept", "*/*"], ["Accept-Encoding", "gzip"]]
class Out:
    def __init__(self, path, src):
        self.f = open(path, "w"); self.src = src; self.n = 0
    def emit(self, kind, method, path, body=None, ctype=None, ua=None, extra=()):
        h = [list(x) for x in H]
        if ua: h[1][1] = ua
        if ctype: h.append(["Content-Type", ctype])
        h.extend([list(x) for x in extra])
        d = {"source": self.src, "category": "benign-" + self.src, "label": "benign", "id": f"{self.src}-{self.n}-{kind}", "method": method, "path": path, "headers": h}
        if body is not None: d["body"] = body
        self.f.write(json.dumps(d) + "\n"); self.n += 1


def corpus_attacks(seed, count):
    """`count` (category, payload) pairs from the shared corpora's attack lines, shuffled
    with `seed`; exits with a message when the corpora are absent."""
    here = os.path.dirname(os.path.abspath(__file__))
    corpora = os.environ.get("CORPORA", os.path.join(here, "../../../shared/corpora"))
    pay = []
    for name in ["libinjection.jsonl", "httpparamsdataset.jsonl"]:
        f = os.path.join(corpora, name)
        if not os.path.exists(f):
            sys.exit(f"skipped: {f} not found (set CORPORA)")
        for line in open(f):
            d = json.loads(line)
            p = d.get("meta", {}).get("payload") or d.get("meta", {}).get("original")
            if d["label"] == "attack" and p:
                pay.append((d["category"], p))
    random.seed(seed)
    random.shuffle(pay)
    return pay[:count]
