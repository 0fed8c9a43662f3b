#!/usr/bin/env python3
"""Build a benign corpus of short developer text from the changelogs on this machine.

Lines of CHANGELOG, CHANGES, NEWS and HISTORY files (Debian's compressed ones too) read
like the short fields of real API traffic: ticket titles, commit messages, comments, search
queries full of code, command-line options, quoted SQL and file paths. Each line (12-300
characters) becomes, in turn, a JSON body field, a query parameter and a form field of a
request in the corpora's JSON Lines format. Run `palisade eval` on the output; every
flagged line is a false positive to study. The output stays out of git.

usage: tools/changelog-lines.py OUT.jsonl SEED COUNT

Different SEEDs shuffle the same pool differently: build one set to tune on and another
to check that a fix generalizes (session 34: seeds 1 and 2, 30,000 lines each).
"""
import json, os, random, re, subprocess, sys, gzip, urllib.parse
out, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
files = subprocess.run("find / -xdev \\( -iname 'CHANGELOG*' -o -iname 'CHANGES*' -o -iname 'NEWS*' -o -iname 'HISTORY*' \\) -type f -size +2k 2>/dev/null | grep -v -e ^/proc -e ^/work -e ^/tmp", shell=True, capture_output=True, text=True).stdout.split()
lines = set()
for f in sorted(files):
    try:
        data = gzip.open(f).read() if f.endswith('.gz') else open(f, 'rb').read()
        text = data.decode('utf-8')
    except Exception:
        continue
    for l in text.splitlines():
        l = l.strip().lstrip('*-+ ').strip()
        if 12 <= len(l) <= 300 and re.search(r'[a-z]{3}', l):
            lines.add(l)
lines = sorted(lines)
rnd = random.Random(seed)
rnd.shuffle(lines)
H = [["Host", "api.example.com"], ["User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"], ["Accept", "application/json"], ["Accept-Language", "en-US,en;q=0.9"], ["Accept-Encoding", "gzip, deflate, br"]]
with open(out, 'w') as o:
    for n, l in enumerate(lines[:count]):
        r = {"source": "chlines", "category": "benign-line", "label": "benign", "id": f"cl-{n}"}
        k = n % 3
        if k == 0:
            r.update(method="POST", path="/api/comments", headers=H + [["Content-Type", "application/json"]], body=json.dumps({"text": l, "post_id": 42}))
        elif k == 1:
            r.update(method="GET", path="/api/search?" + urllib.parse.urlencode({"q": l, "page": 2}), headers=H)
        else:
            r.update(method="POST", path="/api/feedback", headers=H + [["Content-Type", "application/x-www-form-urlencoded"]], body=urllib.parse.urlencode({"subject": "note", "message": l}))
        o.write(json.dumps(r) + "\n")
print(len(lines), "distinct lines;", min(count, len(lines)), "written")
