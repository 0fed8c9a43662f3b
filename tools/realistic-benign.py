#!/usr/bin/env python3
"""Build a synthetic benign corpus of realistic API traffic for false-positive work.

Legitimate API fields carry rich text from editors (styles, embeds, pasted images),
Markdown with code spans and fences, program code, SQL discussed in support tickets,
apostrophes in names and quotes in search terms. This draws requests (JSON tickets,
form comments, search queries, GraphQL mutations, profile updates, cookies and
referers) from pools of such snippets, in the corpora's JSON Lines format.

usage: tools/realistic-benign.py OUT.jsonl [SEED [COUNT]]    (defaults: 7, 3000)

Several snippets are deliberately grey (a whole SQL statement, `and 1=1 in the docs?`,
`x' or not`): a detector may flag them, and the figure shows how many it does. The pools
are small, so lines repeat: read the flagged snippets (`palisade eval --misses N`), not
only the rate. Write new snippets when tuning, and keep some unseen to check generality.
"""
import json, random, urllib.parse, sys
random.seed(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
out = open(sys.argv[1], "w")
H = [["Host", "api.example.com"], ["User-Agent", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15"],
     ["Accept", "application/json"], ["Accept-Language", "en-GB,en;q=0.8"], ["Accept-Encoding", "gzip, deflate, br"]]
names = ["O'Brien", "D'Angelo", "Anne-Marie O'Neil", "Zoë Saldaña", "José Núñez", "Robert'); DROP", "McDonald's", "L'Oréal", "Bill \"The Kid\" Smith", "Null", "Select Comfort"]
sqlish = ["select the best plan for me", "union station parking", "drop down menu not working", "order by price, then rating",
          "how do I delete my account?", "Insert coin to continue", "update: it works now!", "where is my order #1234?",
          "I can't log in -- please help", "my password is 'hunter2' lol", "exec summary for Q3", "1=1 tees on sale",
          "Is 'OR' a keyword in SQL?", "SELECT * FROM users WHERE id = 1 returns nothing", "The query `SELECT count(*) FROM orders GROUP BY day` is slow",
          "Tried `DELETE FROM cart WHERE user_id = 42;` and nothing happened", "sleep(5) between retries", "benchmark results: 12ms vs 40ms",
          "char(10) in my CSV breaks import", "wait for 5 seconds", "and 1=1 in the docs?", "Shall we go for a drink or not?",
          "it's the \"best\" -- really", "price < 20 and rating > 4", "x' or not", "rock 'n' roll", "'90s music", "can't/won't/shouldn't",
          "a=1&b=2 is the format", "5' 11\" tall", "It's 6 o'clock", "Women's shoes size 8", "Kids' toys", "#1 best seller; really!"]
code = [
    "```python\ndef get_user(id):\n    return db.execute(\"SELECT * FROM users WHERE id = %s\", (id,)).fetchone()\n```",
    "```js\nconst res = await fetch(`/api/items?q=${encodeURIComponent(q)}`);\nif (!res.ok) throw new Error(res.statusText);\n```",
    "```sql\nSELECT u.name, COUNT(o.id) AS orders\nFROM users u LEFT JOIN orders o ON o.user_id = u.id\nWHERE u.created_at > '2024-01-01'\nGROUP BY u.name\nORDER BY orders DESC;\n```",
    "```bash\ncurl -s https://api.example.com/v1/items | jq '.[] | .name'\n```",
    "```sh\n$ cat ~/.config/app/config.toml\n$ ls -la /var/log/app/\n```",
    "Run `rm -rf node_modules && npm install` then restart.",
    "```html\n<div class=\"card\">\n  <img src=\"/img/a.png\" alt=\"A\">\n  <p>Hello</p>\n</div>\n```",
    "```go\nif err != nil {\n\treturn fmt.Errorf(\"open %s: %w\", path, err)\n}\n```",
    "```rust\nlet x: Vec<String> = items.iter().map(|i| i.name.clone()).collect();\n```",
    "```java\nString q = \"SELECT * FROM t WHERE a = ?\";\nPreparedStatement ps = conn.prepareStatement(q);\n```",
    "```php\n<?php echo htmlspecialchars($_GET['q'], ENT_QUOTES); ?>\n```",
    "```yaml\nservices:\n  web:\n    image: nginx:1.25\n    ports: [\"80:80\"]\n```",
    "The stack trace says `TypeError: Cannot read properties of undefined (reading 'map')` at line 42.",
    "Error: `ENOENT: no such file or directory, open '../config/settings.json'`",
    "I used `{{ user.name }}` in the template and it printed nothing.",
    "Set `PATH=$PATH:/usr/local/bin` in your `.bashrc`.",
    "Use `git log --oneline | head -5` to see recent commits.",
    "```\nTraceback (most recent call last):\n  File \"app.py\", line 10, in <module>\n    main()\nValueError: invalid literal for int() with base 10: 'abc'\n```",
    "```powershell\nGet-ChildItem -Path C:\\Users\\me\\Documents -Recurse | Where-Object { $_.Length -gt 1MB }\n```",
    "```python\nimport os\nos.system('clear')\nprint(open('/etc/hostname').read())\n```",
]
html = [
    "<p>Thanks for the <strong>quick</strong> reply! See <a href=\"https://example.com/docs?page=2&amp;lang=en\" target=\"_blank\" rel=\"noopener\">the docs</a>.</p>",
    "<p><span style=\"color: rgb(230, 0, 0);\">Important:</span> the meeting moved to 3pm.</p><ul><li>Agenda</li><li>Notes</li></ul>",
    "<h2>Release notes</h2><ol><li>Fixed login</li><li>Faster search</li></ol><p><em>— the team</em></p>",
    "<p><img src=\"https://cdn.example.com/uploads/2024/05/photo.jpg\" alt=\"Team photo\" width=\"600\"></p>",
    "<blockquote><p>It's not a bug, it's a feature.</p></blockquote><p>Agreed &mdash; mostly.</p>",
    "<table><thead><tr><th>Item</th><th>Qty</th></tr></thead><tbody><tr><td>Apples</td><td>3</td></tr></tbody></table>",
    "<p>Watch the demo:</p><iframe width=\"560\" height=\"315\" src=\"https://www.youtube.com/embed/dQw4w9WgXcQ\" frameborder=\"0\" allowfullscreen></iframe>",
    "<p style=\"text-align: center;\"><u>Underlined</u> and <s>struck</s> text<br></p>",
    "<pre><code class=\"language-js\">const a = b &lt; c ? 'x' : \"y\";</code></pre>",
    "<p>Email me at <a href=\"mailto:jane.doe@example.com\">jane.doe@example.com</a> or call +1 (555) 010-9999.</p>",
    "<div class=\"ql-editor\"><p>Hello&nbsp;world</p><p><br></p></div>",
    "<p>Math: 3 &lt; 5 &amp;&amp; 7 &gt; 2</p>",
    "<p><a href=\"/account/settings#notifications\">Notification settings</a></p>",
    "<figure><img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==\" alt=\"dot\"></figure>",
    "<p>Use the <code>&lt;script&gt;</code> tag only in the head.</p>",
]
markdown = [
    "## Steps to reproduce\n1. Go to **Settings**\n2. Click *Save*\n3. See error\n\n> Expected: saved\n> Actual: 500",
    "- [x] tests\n- [ ] docs\n\n| col | val |\n|---|---|\n| a | 1 |",
    "See [this issue](https://github.com/org/repo/issues/123) and ![screenshot](https://i.imgur.com/abc.png).",
    "**Note:** the `--force` flag will overwrite `~/.ssh/known_hosts`. Use with care!",
    "Reply to @john: I'd say `a || b` is fine, but `a && b` is clearer.",
    "Price went from $10 to $12 (20% up); that's >= what we expected & < the cap.",
    "Path is `C:\\Program Files\\App\\bin\\app.exe` on Windows and `/opt/app/bin/app` elsewhere.",
    "Why does `1' + '1'` equal `'11'` in JS? :)",
    "TODO: handle <none> and <empty> cases; see #42 & #43.",
    "Ratings: ★★★★☆ — \"would buy again\"",
]
queries = ["shoes", "men's shoes size 10", "c++ vs c#", "\"exact phrase\" -exclude", "price:<20 rating:>4", "title:\"Don't stop\"",
           "status:open AND priority>2", "rock & roll", "50% off", "tom's diner", "SELECT", "union", "1 or 2 bedrooms", "null",
           "<3", "a/b testing", "../", "user@example.com", "https://example.com/?a=1&b=2", "café", "日本語", "emoji 🎉",
           "where to buy", "order by date", "waitfor delivery", "drop shipping", "insert molding", "alert box design", "script writing course",
           "javascript tutorial", "onload event", "iframe vs embed", "etc/hosts file", "passwd reset", "cmd line tools", "bin/bash vs sh",
           "ls -la meaning", "sudo apt install", "1; 2; 3", "x=1", "a | b", "$HOME", "%20", "%s format", "{name}", "{{handlebars}}", "${VAR}"]
def emit(i, kind, method, path, body=None, ctype=None, extra=None):
    h = [list(x) for x in H]
    if ctype:
        h.append(["Content-Type", ctype])
    if extra:
        h.extend(extra)
    d = {"source": "realistic", "category": "benign-realistic", "label": "benign", "id": f"real-{i}-{kind}", "method": method, "path": path, "headers": h}
    if body is not None:
        d["body"] = body
    out.write(json.dumps(d) + "\n")
pool = sqlish + code + html + markdown
n = 0
for i in range(int(sys.argv[3]) if len(sys.argv) > 3 else 3000):
    text = random.choice(pool)
    if random.random() < 0.4:
        text = random.choice(sqlish) + "\n\n" + text
    name = random.choice(names)
    k = random.randrange(6)
    if k == 0:
        emit(i, "json", "POST", "/api/v1/tickets", json.dumps({"subject": random.choice(sqlish)[:60], "body": text, "author": {"name": name}, "tags": ["bug", "ui"]}), "application/json")
    elif k == 1:
        emit(i, "form", "POST", "/comments", urllib.parse.urlencode({"name": name, "comment": text, "post_id": str(random.randint(1, 9999))}), "application/x-www-form-urlencoded")
    elif k == 2:
        q = random.choice(queries)
        emit(i, "query", "GET", "/api/search?" + urllib.parse.urlencode({"q": q, "page": random.randint(1, 9), "sort": random.choice(["price_desc", "-created_at", "name asc", "relevance"])}))
    elif k == 3:
        emit(i, "graphql", "POST", "/graphql", json.dumps({"query": "mutation AddComment($body: String!, $id: ID!) { addComment(postId: $id, body: $body) { id createdAt } }", "variables": {"body": text, "id": str(random.randint(1, 999))}}), "application/json")
    elif k == 4:
        emit(i, "put", "PUT", f"/api/v1/users/{random.randint(1,99999)}/profile", json.dumps({"display_name": name, "bio": text[:500], "website": "https://example.org/~me/", "location": random.choice(["Paris, France", "St. John's, NL", "Washington, D.C."])}), "application/json")
    else:
        emit(i, "cookie", "GET", "/api/v1/me", extra=[["Cookie", f"session=eyJ1c2VyIjoiam9obiJ9.{random.randint(10**8, 10**9)}; theme=dark; last_search={urllib.parse.quote(random.choice(queries))}"], ["Referer", "https://app.example.com/search?q=" + urllib.parse.quote(random.choice(queries))]])
