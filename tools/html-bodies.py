#!/usr/bin/env python3
"""Build a benign corpus of CMS article bodies from the HTML documentation on this machine.

A CMS or knowledge-base API stores articles as HTML: headings, links, tables, code blocks,
figures, MathML, SVG diagrams, the odd inline handler. This splits real HTML pages (the
Rust toolchain's books, /usr/share/doc, unpacked npm or Python packages) at their h2/h3
headings, drops scripts and navigation (a CMS body is the article, not the page chrome),
and writes each section as a JSON body field of a request in the corpora's JSON Lines
format. Run `palisade eval` on the output; every flagged line is a false positive to
study. The output stays out of git.

usage: tools/html-bodies.py OUT.jsonl SEED COUNT ROOT...

Session 34 built 4,288 lines with ROOTs the toolchain's `share/doc/rust/html/{book,
reference,nomicon,rust-by-example,cargo,rustc}`, /usr/share/doc/{nodejs,valgrind,
libxslt1-dev} and unpacked Python and npm packages.
"""
import sys, json, random, re, os
out_path, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
roots = sys.argv[4:]
random.seed(seed)
files = []
for r in roots:
    for d, _, fs in os.walk(r):
        files += [os.path.join(d, f) for f in fs if f.endswith('.html')]
random.shuffle(files)
H = [["Host", "cms.example.com"], ["User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"],
     ["Accept", "application/json"], ["Content-Type", "application/json"], ["Cookie", "session=abc123; theme=dark"]]
out = open(out_path, "w"); n = 0
for f in files:
    if n >= count: break
    try: t = open(f, encoding='utf-8').read()
    except Exception: continue
    m = re.search(r'<main[^>]*>(.*)</main>', t, re.S) or re.search(r'<body[^>]*>(.*)</body>', t, re.S)
    if not m: continue
    body = re.sub(r'<script\b.*?</script>', '', m.group(1), flags=re.S | re.I)
    body = re.sub(r'<nav\b.*?</nav>', '', body, flags=re.S | re.I)
    parts = [p.strip() for p in re.split(r'(?=<h[23]\b)', body) if len(p.strip()) > 200]
    for p in random.sample(parts, min(3, len(parts))):
        if n >= count: break
        if len(p) > 12000: continue
        n += 1
        title = re.sub(r'<[^>]+>', '', p.split('\n', 1)[0])[:80].strip() or os.path.basename(f)
        base = {"source": "cms-html", "category": "benign-html", "label": "benign", "meta": {"file": f}}
        if n % 3:
            b = json.dumps({"title": title, "body_html": p, "status": "draft", "tags": ["docs"]})
            out.write(json.dumps({**base, "id": f"html-{n}", "method": "POST", "path": "/api/articles", "headers": H, "body": b}) + "\n")
        else:
            b = json.dumps({"article": {"id": n, "title": title, "content": p, "format": "html"}})
            out.write(json.dumps({**base, "id": f"html-{n}", "method": "PUT", "path": f"/api/articles/{n}", "headers": H, "body": b}) + "\n")
print(n, "lines", file=sys.stderr)
