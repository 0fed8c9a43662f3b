"""Benign requests for false-positive work (see README.md). usage: llm.py OUT SEED COUNT"""
import json, os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out
random.seed(int(sys.argv[2])); o = Out(sys.argv[1], "llm"); N = int(sys.argv[3])
R = random.choice
def hexid(n): return "".join(R("0123456789abcdef") for _ in range(n))
user_msgs = ["Why does this query return duplicates?\n\n```sql\nSELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.status = 'open'\n```",
             "Fix this bash script, it fails on filenames with spaces:\n```bash\nfor f in $(ls *.txt); do cat $f | wc -l; done\n```",
             "Explain what this payload does: `' OR '1'='1' --` and how to prevent it in Django.",
             "Write a React component that renders `<ul>` of todos with a delete button.",
             "Summarize this page:\n<html><head><title>Release notes</title></head><body><h1>v2.3</h1><p>Fixed XSS in <code>&lt;img onerror&gt;</code> handling.</p></body></html>",
             "Convert to Python: `curl -X POST -H 'Content-Type: application/json' -d '{\"a\":1}' https://api.example.com/x`",
             "what's the difference between `rm -rf dir/` and `rm -r dir`?", "Translate to French: \"Don't forget to bring O'Neil's keys; they're on the desk.\"",
             "My nginx config has `location ~ \\.php$ { fastcgi_pass 127.0.0.1:9000; }` — why do I get 502?", "Review: `eval(request.GET['expr'])` in views.py — is this safe?",
             "Generate a regex for emails like jo.o'brien+tag@example.co.uk", "How do I read /etc/passwd entries in Go to list users?"]
asst_msgs = ["You're joining `customers` once per matching row. Use `SELECT DISTINCT` or aggregate:\n\n```sql\nSELECT o.id, MIN(c.name) FROM orders o JOIN customers c ON c.id = o.customer_id GROUP BY o.id;\n```",
             "Quote the variable and iterate the glob directly:\n\n```bash\nfor f in *.txt; do\n  wc -l < \"$f\"\ndone\n```",
             "That's a classic tautology injection: `'1'='1'` is always true and `--` comments out the rest. In Django use the ORM or `cursor.execute(sql, [param])`.",
             "```jsx\nexport function Todos({ items, onDelete }) {\n  return <ul>{items.map(t => <li key={t.id}>{t.title} <button onClick={() => onDelete(t.id)}>×</button></li>)}</ul>;\n}\n```",
             "No — `eval` on user input allows arbitrary code execution (e.g. `__import__('os').system('id')`). Use `ast.literal_eval` or a parser.",
             "```python\nimport requests\nrequests.post('https://api.example.com/x', json={'a': 1})\n```"]
tool_calls = [("run_sql", {"query": "SELECT id, email FROM users WHERE created_at > NOW() - INTERVAL '7 days' ORDER BY created_at DESC LIMIT 20"}),
              ("bash", {"command": "git status && git diff --stat HEAD~1"}), ("bash", {"command": "cat /etc/os-release; uname -a"}), ("bash", {"command": "npm test -- --watch=false 2>&1 | tail -20"}),
              ("python", {"code": "import pandas as pd\ndf = pd.read_csv('sales.csv')\nprint(df.groupby('region')['total'].sum())"}), ("python", {"code": "import os\nprint(os.listdir('/mnt/data'))"}),
              ("read_file", {"path": "../config/settings.yaml"}), ("read_file", {"path": "/home/user/project/src/app.ts"}), ("fetch_url", {"url": "http://localhost:8080/health"}),
              ("edit_file", {"path": "src/db.py", "old": "cur.execute(\"SELECT * FROM t WHERE id = %s\" % id)", "new": "cur.execute(\"SELECT * FROM t WHERE id = %s\", (id,))"}),
              ("str_replace_based_edit_tool", {"command": "create", "path": "/repo/index.html", "file_text": "<!doctype html>\n<html><head><script src=\"app.js\"></script></head><body onload=\"init()\"></body></html>"}),
              ("search", {"query": "\"union select\" waf bypass site:owasp.org"})]
tool_results = ["total 24\ndrwxr-xr-x 3 user user 4096 Nov 26 09:12 .\n-rw-r--r-- 1 user user  220 Nov 26 09:12 .env.example\n-rwxr-xr-x 1 user user 1200 Nov 26 09:12 deploy.sh",
                "On branch main\nChanges not staged for commit:\n  modified:   src/db.py\n\n src/db.py | 4 ++--\n 1 file changed, 2 insertions(+), 2 deletions(-)",
                " id | email\n----+-------------------\n 42 | o'brien@example.com\n 43 | jo@example.com\n(2 rows)",
                "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nLinux runner 6.1.0-26-amd64 #1 SMP x86_64 GNU/Linux",
                "Traceback (most recent call last):\n  File \"<stdin>\", line 3, in <module>\nKeyError: 'region'",
                "<!DOCTYPE html><html><head><title>OWASP</title><script>window.dataLayer=[];</script></head><body><p>SQL injection: ' UNION SELECT username, password FROM users--</p></body></html>",
                "FAIL src/api.test.ts\n  ● fetches orders › returns 500\n    expect(received).toBe(expected)\n    Expected: 200\n    Received: 500"]
system = ["You are a helpful coding assistant. Use ```language fences for code. Never run `rm -rf /`.", "You are Acme's support bot. Answer from the docs below.\n\n<docs>\n# Reset password\nGo to **Settings → Security** and click \"Reset\".\n</docs>", "You are a SQL expert. The schema:\nCREATE TABLE users (id serial primary key, email text unique, created_at timestamptz default now());\nCREATE TABLE orders (id serial, user_id int references users(id), total numeric);"]
def openai():
    msgs = [{"role": "system", "content": R(system)}, {"role": "user", "content": R(user_msgs)}]
    for _ in range(random.randint(0, 3)):
        name, args = R(tool_calls); cid = "call_" + hexid(12)
        msgs.append({"role": "assistant", "content": None, "tool_calls": [{"id": cid, "type": "function", "function": {"name": name, "arguments": json.dumps(args)}}]})
        msgs.append({"role": "tool", "tool_call_id": cid, "content": R(tool_results)})
    if random.random() < 0.5: msgs.append({"role": "assistant", "content": R(asst_msgs)}); msgs.append({"role": "user", "content": R(user_msgs)})
    return "/v1/chat/completions", {"model": R(["gpt-4.1", "gpt-4o-mini", "o4-mini"]), "messages": msgs, "temperature": 0.2, "stream": R([True, False]), "tools": [{"type": "function", "function": {"name": "run_sql", "description": "Run a read-only SQL query against the analytics DB. Example: SELECT count(*) FROM orders WHERE status = 'paid'", "parameters": {"type": "object", "properties": {"query": {"type": "string", "description": "A single SELECT statement; no ; or --"}}, "required": ["query"]}}}]}
def anthropic():
    msgs = [{"role": "user", "content": R(user_msgs)}]
    for _ in range(random.randint(0, 3)):
        name, args = R(tool_calls); tid = "toolu_" + hexid(20)
        msgs.append({"role": "assistant", "content": [{"type": "text", "text": "Let me check."}, {"type": "tool_use", "id": tid, "name": name, "input": args}]})
        msgs.append({"role": "user", "content": [{"type": "tool_result", "tool_use_id": tid, "content": R(tool_results)}]})
    if random.random() < 0.5: msgs.append({"role": "assistant", "content": [{"type": "text", "text": R(asst_msgs)}]}); msgs.append({"role": "user", "content": R(user_msgs)})
    return "/v1/messages", {"model": "claude-sonnet-4-5", "max_tokens": 4096, "system": R(system), "messages": msgs, "tools": [{"name": "bash", "description": "Run a shell command, e.g. `ls -la` or `grep -rn 'TODO' src/`", "input_schema": {"type": "object", "properties": {"command": {"type": "string"}}}}]}
def embed():
    return "/v1/embeddings", {"model": "text-embedding-3-small", "input": [R(user_msgs), R(asst_msgs), R(tool_results)]}
for i in range(N):
    k = R(["openai", "openai", "anthropic", "anthropic", "embed"])
    p, b = {"openai": openai, "anthropic": anthropic, "embed": embed}[k]()
    o.emit(k, "POST", p, json.dumps(b), "application/json", ua=R(["OpenAI/Python 1.54.3", "Anthropic/Python 0.40.0", "claude-cli/2.0.1 (external, cli)", "ai-sdk/4.0"]), extra=[["Authorization", "Bearer sk-" + hexid(40)]])
