"""Benign requests for false-positive work (see README.md): help desks, issue trackers and
team chat, whose bodies carry pasted SQL, shell, configs, stack traces and markup.
usage: tix.py OUT SEED COUNT"""
import html, json, os, random, sys, urllib.parse
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out
random.seed(int(sys.argv[2])); o = Out(sys.argv[1], "tix"); N = int(sys.argv[3])
R = random.choice
UA = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
# (language, snippet) pasted into tickets and chats
snips = [
    ("sql", "SELECT id, email FROM users WHERE deleted_at IS NULL AND last_login < now() - interval '90 days';"),
    ("sql", "UPDATE subscriptions SET status = 'cancelled' WHERE customer_id = 8812 AND status <> 'cancelled';"),
    ("text", "ERROR:  duplicate key value violates unique constraint \"users_email_key\"\nDETAIL:  Key (email)=(ana@example.org) already exists."),
    ("sql", "EXPLAIN ANALYZE SELECT * FROM events WHERE tenant_id = 7 ORDER BY created_at DESC LIMIT 50;"),
    ("sql", "ALTER TABLE orders ADD COLUMN refunded_at timestamptz;\nCREATE INDEX CONCURRENTLY idx_orders_refunded ON orders (refunded_at);"),
    ("text", "mysql> SHOW VARIABLES LIKE 'max_connections';\n+-----------------+-------+\n| Variable_name   | Value |\n+-----------------+-------+\n| max_connections | 151   |\n+-----------------+-------+"),
    ("text", "SQLSTATE[42000]: Syntax error or access violation: 1064 You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near ''' at line 1"),
    ("sql", "WITH recent AS (SELECT user_id, max(ts) AS last FROM logins GROUP BY 1)\nSELECT count(*) FROM recent WHERE last > '2026-01-01';"),
    ("sql", "DROP TABLE IF EXISTS tmp_import; -- cleanup after the migration"),
    ("sql", "GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO analyst;"),
    ("bash", "pg_dump -Fc -d app -t public.orders > orders.dump"),
    ("bash", "curl -sS -H 'Authorization: Bearer $TOKEN' 'https://api.example.com/v2/orders?limit=10' | jq '.data[] | .id'"),
    ("bash", "kubectl logs deploy/api -n prod --since=1h | grep -i timeout"),
    ("bash", "sudo systemctl restart nginx && sudo journalctl -u nginx -n 50 --no-pager"),
    ("bash", "docker compose up -d --build && docker compose logs -f web"),
    ("bash", "for f in *.csv; do iconv -f latin1 -t utf-8 \"$f\" > \"utf8/$f\"; done"),
    ("bash", "find . -name '*.pyc' -delete && python -m pytest -x tests/"),
    ("bash", "export DATABASE_URL=postgres://app:secret@localhost:5432/app\n./manage.py migrate"),
    ("text", "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree\nnpm ERR! Found: react@18.3.1"),
    ("powershell", "Get-ChildItem -Path C:\\inetpub\\logs -Recurse | Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-30) } | Remove-Item"),
    ("text", "*/5 * * * * /usr/bin/php /var/www/app/artisan schedule:run >> /dev/null 2>&1"),
    ("bash", "wget https://github.com/acme/tool/releases/download/v1.2.3/tool-linux-amd64.tar.gz && tar xzf tool-linux-amd64.tar.gz"),
    ("bash", "git rebase -i HEAD~3 && git push --force-with-lease origin feature/checkout"),
    ("nginx", "location /api/ {\n    proxy_pass http://127.0.0.1:8080;\n    proxy_set_header X-Real-IP $remote_addr;\n    proxy_read_timeout 120s;\n}"),
    ("apache", "RewriteEngine On\nRewriteCond %{HTTPS} off\nRewriteRule ^(.*)$ https://%{HTTP_HOST}%{REQUEST_URI} [L,R=301]"),
    ("xml", "<Appenders>\n  <RollingFile name=\"app\" fileName=\"${sys:catalina.base}/logs/app.log\" filePattern=\"app-%d{yyyy-MM-dd}.log.gz\">\n    <PatternLayout pattern=\"%d{ISO8601} [%t] %-5level %logger{36} - %msg%n\"/>\n  </RollingFile>\n</Appenders>"),
    ("properties", "spring.datasource.url=jdbc:mysql://${DB_HOST:localhost}:3306/shop?useSSL=false\nspring.jpa.hibernate.ddl-auto=validate"),
    ("dockerfile", "FROM python:3.12-slim\nRUN apt-get update && apt-get install -y --no-install-recommends libpq-dev && rm -rf /var/lib/apt/lists/*\nCOPY . /app\nCMD [\"gunicorn\", \"-b\", \"0.0.0.0:8000\", \"app:app\"]"),
    ("yaml", "- name: Test\n  run: |\n    pip install -r requirements.txt\n    pytest -q --maxfail=1"),
    ("ini", "; php.ini on the staging box\ndisable_functions = exec,passthru,shell_exec,system\nallow_url_include = Off\nupload_max_filesize = 20M"),
    ("text", "^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$"),
    ("php", "<?php\n$stmt = $pdo->prepare('SELECT * FROM users WHERE email = ?');\n$stmt->execute([$_POST['email']]);\n$user = $stmt->fetch();"),
    ("js", "document.querySelector('#pay').addEventListener('click', () => {\n  window.location.href = '/checkout?step=2';\n});"),
    ("python", "import subprocess\nsha = subprocess.run(['git', 'rev-parse', 'HEAD'], capture_output=True, text=True).stdout.strip()"),
    ("text", "java.lang.NullPointerException: Cannot invoke \"String.length()\" because \"name\" is null\n\tat com.acme.users.UserService.normalize(UserService.java:88)\n\tat com.acme.users.UserController.create(UserController.java:41)"),
    ("text", "Traceback (most recent call last):\n  File \"/srv/app/shop/views.py\", line 57, in checkout\n    order = Order.objects.get(pk=order_id)\nshop.models.Order.DoesNotExist: Order matching query does not exist."),
    ("ruby", "User.where(\"created_at > ?\", 1.week.ago).find_each { |u| DigestMailer.weekly(u).deliver_later }"),
    ("go", "rows, err := db.QueryContext(ctx, \"SELECT id FROM jobs WHERE state = $1 ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 10\", \"queued\")"),
    ("csharp", "var users = await _db.Users.FromSqlRaw(\"SELECT * FROM Users WHERE TenantId = {0}\", tenantId).ToListAsync();"),
    ("html", "<form method=\"post\" action=\"/login\">\n  <input type=\"email\" name=\"email\" required>\n  <button type=\"submit\">Sign in</button>\n</form>"),
    ("html", "<table role=\"presentation\" width=\"100%\"><tr><td style=\"padding:24px;font-family:Arial,sans-serif\">Hi {{first_name}},</td></tr></table>"),
    ("text", "Uncaught TypeError: Cannot read properties of undefined (reading 'map')\n    at ProductList (ProductList.jsx:23:18)\n    at renderWithHooks (react-dom.development.js:16305:18)"),
    ("jsx", "{items.length > 0 && items.map(i => <li key={i.id} onClick={() => select(i)}>{i.name}</li>)}"),
    ("json", "{\"error\":{\"code\":\"invalid_request\",\"message\":\"Missing required param: amount\",\"param\":\"amount\"}}"),
    ("xml", "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><soap:Fault><faultcode>soap:Server</faultcode><faultstring>Object reference not set to an instance of an object.</faultstring></soap:Fault></soap:Body></soap:Envelope>"),
    ("text", "C:\\Program Files\\Acme\\bin\\acme.exe --config C:\\ProgramData\\Acme\\config.ini --verbose"),
    ("text", "PermissionError: [Errno 13] Permission denied: '/var/www/html/storage/logs/laravel.log'"),
    ("ts", "import { Button } from '../../components/Button';\nimport type { Order } from '../../../types/order';"),
    ("bash", "ls -la /etc/nginx/sites-enabled/ && nginx -t"),
    ("sql", "SELECT * FROM orders WHERE email = 'o''brien@example.com';"),
    ("text", "2026-11-20T09:14:02Z WARN  [http] GET /api/v1/search?q=%27%20OR%20 took 5012ms status=504"),
    ("yaml", "env:\n  - name: JAVA_OPTS\n    value: \"-Xmx512m -Dlog4j2.formatMsgNoLookups=true\""),
    ("bash", "echo \"$(date +%F) backup done\" >> ~/backup.log"),
    ("python", "df = pd.read_sql(\"SELECT * FROM sales WHERE region IN ('EU', 'US') AND year = 2025\", conn)"),
]
prose = [
    "Steps to reproduce:\n1. Go to Settings > Billing\n2. Click 'Update card'\n3. See error \"Something went wrong\"",
    "When I search for `O'Reilly` the page shows a 500 error.", "Customer says the export drops rows where the name contains a comma or a quote (\").",
    "Can you allowlist 203.0.113.7 for the webhook?", "The webhook URL works locally (http://localhost:3000/hooks) but not in staging.",
    "Is there a way to use OR in the filter? e.g. status:open OR status:pending", "After upgrading to 5.2 the admin panel at /wp-admin/ shows a blank page.",
    "cc @jane: same as #4512, closing as duplicate.", "Works on Chrome, broken on Safari 17 — see screenshot.", "Could you run this on the replica and send me the output?",
    "We rolled back the deploy; root cause below.", "Here's what I ran:", "Still failing after the fix :(", "LGTM, merging once CI is green.",
    "Customer's name is D'Souza & Sons Ltd — the invoice shows D&#39;Souza.", "The \"Select all\" checkbox also selects archived rows — is that intended?",
    "Priority: high. Affects all EU tenants since 09:00 UTC.", "Drop me a line if you need the full logs.", "Thanks! That fixed it 🎉",
]
def pick(k=None):
    return R(snips) if k is None else random.sample(snips, k)
def md():
    parts = [R(prose)]
    for lang, s in pick(random.randint(1, 2)):
        parts.append(R([f"```{lang}\n{s}\n```", f"```\n{s}\n```", "    " + s.replace("\n", "\n    ")]) if "\n" in s or random.random() < .6 else f"`{s}`")
        if random.random() < .5: parts.append(R(prose))
    return "\n\n".join(parts)
def htm():
    out = [f"<p>{html.escape(R(prose))}</p>"]
    for lang, s in pick(random.randint(1, 2)):
        out.append(R([f"<pre><code class=\"language-{lang}\">{html.escape(s)}</code></pre>", f"<pre>{html.escape(s, quote=False)}</pre>", f"<p><code>{html.escape(s)}</code></p>"]))
    return "".join(out)
def adf():
    c = [{"type": "paragraph", "content": [{"type": "text", "text": R(prose)}]}]
    for lang, s in pick(random.randint(1, 2)):
        c.append({"type": "codeBlock", "attrs": {"language": lang}, "content": [{"type": "text", "text": s}]})
    return {"type": "doc", "version": 1, "content": c}
def slack_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
def one():
    k = R(["jira", "jira_comment", "github", "gh_comment", "zendesk", "intercom", "slack", "discord", "linear", "notion", "confluence", "freshdesk", "helpscout"])
    if k == "jira":
        return "POST", "/rest/api/3/issue", {"fields": {"project": {"key": "OPS"}, "issuetype": {"name": "Bug"}, "summary": R(prose)[:60], "description": adf(), "labels": ["customer", "p2"]}}
    if k == "jira_comment":
        return "POST", f"/rest/api/3/issue/OPS-{random.randint(100, 9999)}/comment", {"body": adf()}
    if k == "github":
        return "POST", "/repos/acme/shop/issues", {"title": R(prose)[:70], "body": md(), "labels": ["bug"], "assignees": ["octocat"]}
    if k == "gh_comment":
        return "POST", f"/repos/acme/shop/issues/{random.randint(1, 5000)}/comments", {"body": md()}
    if k == "zendesk":
        return "PUT", f"/api/v2/tickets/{random.randint(1000, 99999)}.json", {"ticket": {"status": "pending", "comment": {"html_body": htm(), "public": random.random() < .5}}}
    if k == "intercom":
        return "POST", f"/conversations/{random.randint(10**9, 10**10)}/reply", {"message_type": "comment", "type": "admin", "admin_id": "5017691", "body": htm()}
    if k == "slack":
        t = slack_escape(md())
        return "POST", "/api/chat.postMessage", {"channel": "C06A1B2C3", "text": t[:80], "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": t}}]}
    if k == "discord":
        return "POST", "/api/webhooks/1234567890/abcDEF", {"content": md()[:2000], "username": "deploy-bot"}
    if k == "linear":
        q = "mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url } } }"
        return "POST", "/graphql", {"query": q, "variables": {"input": {"teamId": "9cfb482a-81e3-4154-b5b9-2c805e70a02d", "title": R(prose)[:60], "description": md()}}}
    if k == "notion":
        lang, s = pick()
        return "PATCH", "/v1/blocks/b55c9c91-384d-452b-81db-d1ef79372b75/children", {"children": [
            {"object": "block", "type": "paragraph", "paragraph": {"rich_text": [{"type": "text", "text": {"content": R(prose)}}]}},
            {"object": "block", "type": "code", "code": {"rich_text": [{"type": "text", "text": {"content": s}}], "language": lang if lang != "text" else "plain text"}}]}
    if k == "confluence":
        lang, s = pick()
        v = f"<p>{html.escape(R(prose))}</p><ac:structured-macro ac:name=\"code\"><ac:parameter ac:name=\"language\">{lang}</ac:parameter><ac:plain-text-body><![CDATA[{s}]]></ac:plain-text-body></ac:structured-macro>"
        return "POST", "/wiki/rest/api/content", {"type": "page", "title": "Runbook: " + R(["restarts", "backups", "migrations", "incident 4512"]), "space": {"key": "OPS"}, "body": {"storage": {"value": v, "representation": "storage"}}}
    if k == "freshdesk":
        return "POST", "/helpdesk/tickets/reply", urllib.parse.urlencode({"reply[body]": htm(), "reply[cc_emails]": "ops@example.com", "commit": "Send"})
    return "POST", f"/v2/conversations/{random.randint(1000, 99999)}/reply", {"customer": {"id": random.randint(1, 10**6)}, "text": htm(), "draft": False}
for i in range(N):
    m, p, b = one()
    if isinstance(b, str):
        o.emit("form", m, p, b, "application/x-www-form-urlencoded", UA)
    else:
        o.emit("json", m, p, json.dumps(b), "application/json", UA)
print(o.n, "lines")
