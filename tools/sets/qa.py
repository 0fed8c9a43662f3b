#!/usr/bin/env python3
"""Q&A posts and issue comments that paste code: benign requests, as a forum, a Q&A site or
an issue tracker receives them.

Each post is a question or an answer in prose around a chunk of real code read from this
machine (shell scripts in /usr/bin, Python's standard library, PostgreSQL's SQL files,
JavaScript in node_modules, Rust in ~/.cargo/registry, Perl modules, C headers, /etc
configuration), shown as Markdown does: a four-space indented block (Stack Overflow's
habit), a fence with or without a language, Stack Overflow's `<!-- language: … -->` hint,
or rendered to HTML (`<pre><code>` with the code escaped). Sent as a Stack Exchange
`questions/add` form, a Discourse post, a GitHub issue comment or a rendered answer.

usage: tools/sets/qa.py OUT.jsonl SEED COUNT
"""
import glob
import html
import json
import os
import random
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out  # noqa: E402

out_path, seed, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(seed)

POOLS = {
    "bash": ["/usr/bin/*", "/usr/sbin/*", "/etc/init.d/*", "/usr/share/debconf/*.sh"],
    "python": ["/usr/lib/python3.11/*.py", "/usr/lib/python3.11/*/*.py"],
    "sql": ["/usr/share/postgresql/*/*.sql", "/usr/share/postgresql/*/extension/*.sql"],
    "javascript": [os.path.expanduser("~/.npm/**/*.js"), "/usr/lib/node_modules/**/*.js", "/usr/share/nodejs/**/*.js"],
    "rust": [os.path.expanduser("~/.cargo/registry/src/*/*/src/*.rs")],
    "perl": ["/usr/share/perl5/**/*.pm", "/usr/share/perl/*/*.pm"],
    "c": ["/usr/include/*.h"],
    "ini": ["/etc/*.conf", "/etc/*/*.conf"],
}


def text_file(path):
    try:
        if os.path.getsize(path) > 2_000_000 or not os.path.isfile(path):
            return None
        with open(path, "rb") as f:
            data = f.read()
        if b"\0" in data[:4096]:
            return None
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None


files = {}
for lang, globs in POOLS.items():
    found = []
    for g in globs:
        found.extend(glob.glob(g, recursive=True))
    if lang == "bash":
        found = [f for f in found if (text_file(f) or "")[:40].startswith("#!") and "sh" in (text_file(f) or "")[:40].split("\n")[0]]
    found = sorted(set(found))
    random.shuffle(found)
    files[lang] = found[:400]
files = {k: v for k, v in files.items() if v}
if not files:
    sys.exit("no source files found on this machine")


def chunk(lang):
    """3 to 14 consecutive lines of a file of `lang`, starting on a non-blank line."""
    for _ in range(20):
        t = text_file(random.choice(files[lang]))
        if not t:
            continue
        lines = t.split("\n")
        if len(lines) < 4:
            continue
        start = random.randrange(0, max(1, len(lines) - 3))
        while start < len(lines) and not lines[start].strip():
            start += 1
        n = random.randint(3, 14)
        part = [l.rstrip() for l in lines[start:start + n]]
        while part and not part[-1].strip():
            part.pop()
        if len(part) >= 2 and max(len(l) for l in part) < 200:
            return "\n".join(part)
    return None


ASK = [
    "I'm trying to get this working but it fails with a syntax error on the second line. Here's what I have:",
    "This works on my machine but breaks in CI. The relevant part of the file:",
    "Why does the following behave differently on Debian and on macOS?",
    "I inherited this and can't figure out what it's supposed to do:",
    "Can someone explain what this does, step by step? It's from our build.",
    "After upgrading, the snippet below stopped doing what it used to do.",
    "Is there a cleaner way to write this? It feels like I'm repeating myself.",
    "My reviewer says this isn't \"idiomatic\" -- what would you change?",
]
ANSWER = [
    "The problem is the quoting. Compare with this:",
    "You don't need the loop at all; the standard tool already does it. For reference, the upstream version reads:",
    "That's expected: the variable is read before it's set. Move it up, like so:",
    "Your code is fine, the issue is the environment. Upstream does exactly the same:",
    "Short answer: yes. Long answer below.",
]
AFTER = [
    "Thanks in advance!",
    "Any idea what I'm missing?",
    "I've read the docs twice and I'm still stuck.",
    "Edit: same result with the latest release.",
    "",
    "Hope that helps.",
    "(Tested on Debian 12 and Ubuntu 24.04.)",
]
TITLES = [
    "Script fails only in CI", "Unexpected output from {lang} snippet", "How do I simplify this {lang}?",
    "{lang}: what does this block do?", "Behaviour changed after upgrade", "Syntax error I can't find",
]


def markdown(lang, code):
    style = random.random()
    if style < 0.5:
        block = "\n".join("    " + l if l.strip() else "" for l in code.split("\n"))
        if random.random() < 0.2:
            block = f"<!-- language: lang-{lang} -->\n\n" + block
        return block
    if style < 0.8:
        return f"```{lang}\n{code}\n```"
    return f"```\n{code}\n```"


def post(lang):
    code = chunk(lang)
    if code is None:
        return None
    lead = random.choice(ASK if random.random() < 0.6 else ANSWER)
    tail = random.choice(AFTER)
    md = f"{lead}\n\n{markdown(lang, code)}\n"
    if tail:
        md += f"\n{tail}\n"
    rendered = f"<p>{html.escape(lead)}</p>\n<pre><code class=\"language-{lang}\">{html.escape(code)}\n</code></pre>\n"
    if tail:
        rendered += f"<p>{html.escape(tail)}</p>\n"
    return md, rendered


out = Out(out_path, "qa")
langs = sorted(files)
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
while out.n < count:
    lang = random.choice(langs)
    p = post(lang)
    if p is None:
        continue
    md, rendered = p
    title = random.choice(TITLES).format(lang=lang)
    kind = random.randrange(4)
    if kind == 0:
        form = {"key": "U4DMV*8nvpm3EOpvf69Rxw((", "access_token": "k1Zx9(2aQ", "title": title, "body": md, "tags": f"{lang};debian"}
        out.emit("se-form", "POST", "/2.3/questions/add", urllib.parse.urlencode(form), "application/x-www-form-urlencoded", UA)
    elif kind == 1:
        out.emit("discourse", "POST", "/posts.json", json.dumps({"raw": md, "topic_id": random.randint(1000, 99999), "reply_to_post_number": random.randint(1, 40)}), "application/json", UA)
    elif kind == 2:
        out.emit("gh-comment", "POST", f"/repos/acme/app/issues/{random.randint(1, 5000)}/comments", json.dumps({"body": md}), "application/json", "octokit-rest.js/20.1.1")
    else:
        out.emit("rendered", "POST", "/api/answers", json.dumps({"question_id": random.randint(10**6, 10**8), "body_markdown": md, "body": rendered}), "application/json", UA)
print(f"{out.n} requests in {out_path} ({', '.join(f'{k} {len(v)} files' for k, v in files.items())})")
