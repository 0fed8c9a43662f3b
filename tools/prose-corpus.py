#!/usr/bin/env python3
"""Build a benign corpus of developer prose from the Markdown files on this machine.

Real API traffic carries markdown, code, shell lines, SQL and HTML in legitimate fields
(issue bodies, comments, descriptions). The shared corpora are thin on that, so this turns
the README/CHANGELOG files of the crates in ~/.cargo/registry and of /usr/share/doc into
benign requests in the corpora's JSON Lines format: each section of a file becomes a JSON
body field, a form field and (when short) a query parameter. Run `palisade eval` on the
output; every flagged line is a false positive to study. The output stays out of git.

usage: tools/prose-corpus.py OUT.jsonl [--max N] [--only] [DIR...]

DIRs add documentation trees (Markdown, reStructuredText, text, and HTML pages read as their
text): unpacked npm packages (`npm pack express`) or Python sdists (`pip download
--no-binary :all: django`) bring JavaScript, HTML templates, SQL and shell examples, and
Debian's documentation packages whole manuals (`apt-get download postgresql-doc-15 &&
dpkg -x postgresql-doc-15_*.deb pg`: SQL in prose; sqlite3-doc, python3.11-doc, git-doc,
apache2-doc). `--only` leaves out the machine's own READMEs, so the output holds the DIRs
alone. At most 40 sections per file keep one big manual from drowning out the rest.
"""
import glob
import html.parser
import json
import os
import re
import sys
import urllib.parse

args = sys.argv[1:]
out_path = args.pop(0)
limit = 20000
if args[:1] == ["--max"]:
    limit = int(args[1])
    args = args[2:]
only = args[:1] == ["--only"]
if only:
    args = args[1:]
roots = [] if only else [os.path.expanduser("~/.cargo/registry/src/*/*/"), "/usr/share/doc/*/"]
files = []
for r in roots:
    files.extend(glob.glob(r + "*.md"))
for d in args:
    for ext in ("md", "rst", "txt", "html", "htm"):
        files.extend(glob.glob(os.path.join(d, "**", "*." + ext), recursive=True))
# A manual's single-page edition repeats every other page.
files = sorted(f for f in set(files) if not f.endswith("print.html"))


class PageText(html.parser.HTMLParser):
    """An HTML page's text as a reader sees it: blocks on lines of their own, code blocks
    kept line by line, no scripts, styles, head or navigation."""

    BLOCKS = {"p", "pre", "div", "h1", "h2", "h3", "h4", "li", "tr", "dt", "dd", "br", "table"}
    HIDDEN = {"script", "style", "head", "nav"}

    def __init__(self):
        super().__init__()
        self.out, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self.hidden += tag in self.HIDDEN
        if tag in self.BLOCKS:
            self.out.append("\n" if tag == "br" else "\n\n")

    def handle_endtag(self, tag):
        self.hidden -= tag in self.HIDDEN and self.hidden > 0
        if tag in ("p", "pre", "div"):
            self.out.append("\n\n")

    def handle_data(self, data):
        if not self.hidden:
            self.out.append(data)


def read(path):
    text = open(path, encoding="utf-8").read()
    if path.endswith((".html", ".htm")):
        page = PageText()
        page.feed(text)
        text = re.sub(r"\n{3,}", "\n\n", "".join(page.out))
    return text
PER_FILE = 40

HEADERS = [
    ["Host", "localhost"],
    ["User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"],
    ["Accept", "application/json"],
    ["Accept-Language", "en-US,en;q=0.9"],
    ["Accept-Encoding", "gzip, deflate, br"],
]

def sections(text):
    """Split at headings and blank lines, keeping fenced code blocks whole; sections of
    up to ~1.5 KB."""
    parts, cur, fence = [], [], False
    for line in text.splitlines():
        if line.strip().startswith("```"):
            fence = not fence
        if not fence and (line.startswith("#") or not line.strip()) and sum(map(len, cur)) > 200:
            parts.append("\n".join(cur))
            cur = []
        cur.append(line)
        if sum(map(len, cur)) > 1500 and not fence:
            parts.append("\n".join(cur))
            cur = []
    if cur:
        parts.append("\n".join(cur))
    return [p.strip() for p in parts if len(p.strip()) > 20]

n = 0
seen = set()
with open(out_path, "w") as out:
    for f in files:
        try:
            text = read(f)
        except (UnicodeDecodeError, OSError):
            continue
        for i, sec in enumerate(sections(text)[:PER_FILE]):
            if sec in seen:
                continue
            seen.add(sec)
            base = {"source": "prose", "category": "benign-prose", "label": "benign",
                    "meta": {"file": f, "section": i}}
            lines = [
                dict(base, id=f"prose-{n}-json", method="POST", path="/api/issues",
                     headers=HEADERS + [["Content-Type", "application/json"]],
                     body=json.dumps({"title": os.path.basename(os.path.dirname(f)), "body": sec, "labels": ["docs"]})),
                dict(base, id=f"prose-{n}-form", method="POST", path="/comments",
                     headers=HEADERS + [["Content-Type", "application/x-www-form-urlencoded"]],
                     body="comment=" + urllib.parse.quote_plus(sec) + "&submit=Post"),
            ]
            if len(sec) < 300:
                lines.append(dict(base, id=f"prose-{n}-query", method="GET",
                                  path="/search?q=" + urllib.parse.quote(sec, safe=""),
                                  headers=HEADERS, body=""))
            for l in lines:
                out.write(json.dumps(l) + "\n")
            n += 1
            if n >= limit:
                break
        if n >= limit:
            break
print(f"{n} sections from {len(files)} files -> {out_path}", file=sys.stderr)
