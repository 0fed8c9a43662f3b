"""Benign requests for false-positive work (see README.md). usage: dev2.py OUT SEED COUNT"""
import json, os, random, sys, base64
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out
random.seed(int(sys.argv[2])); o = Out(sys.argv[1], "dev2"); N = int(sys.argv[3])
R = random.choice
# i18n: translation platforms and app catalogs
msgs = ["Welcome back, {{name}}!", "You have {count, plural, one {# new message} other {# new messages}}", "Vous avez %{count} messages non lus",
        "<strong>{user}</strong> commented on <a href=\"{link}\">{title}</a>", "Impossible d'enregistrer : %s", "Hallo %(name)s, dein Passwort wurde geändert.",
        "Click <a href='/settings'>here</a> to change your e-mail", "${firstName} ${lastName}", "#{count} Artikel im Warenkorb", "{{ $t('cart.total') }}: {{ total | currency }}",
        "{% trans %}Hello {{ user }}{% endtrans %}", "Press <kbd>Ctrl</kbd>+<kbd>S</kbd> to save", "It's {time} o'clock — don't forget!", "Ce champ est obligatoire; veuillez le remplir.",
        "Use the \"Export\" button, then select \"CSV (comma-separated)\"", "Select all rows where status = 'pending' and click Approve", "Order #{{ order.id }} – {{ order.items | length }} items",
        "Drop files here or <button type=\"button\" class=\"link\">browse</button>", "Error {code}: {message}", "Delete '{name}'? This can't be undone.", "<0>Terms</0> and <1>Privacy Policy</1>",
        "%1$s sent you %2$d files", "{gender, select, male {He} female {She} other {They}} liked your post", "L'utilisateur « {{username}} » n'existe pas", "Ejecute `npm run build` y luego `npm start`",
        "Run <code>rm -rf node_modules && npm install</code> if the build fails", "Die Datei /etc/hosts konnte nicht gelesen werden", "Powered by <script> tags? No — by React."]
def i18n():
    k = R(["lokalise", "crowdin", "phrase", "catalog", "transifex"])
    if k == "lokalise":
        return "POST", "/api2/projects/123.abc/keys", json.dumps({"keys": [{"key_name": f"checkout.{R(['error','title','hint','cta'])}_{random.randint(1,99)}", "platforms": ["web", "ios"], "translations": [{"language_iso": R(["fr", "de", "es", "en"]), "translation": R(msgs)} for _ in range(2)]} for _ in range(random.randint(1, 4))]})
    if k == "crowdin":
        return "POST", "/api/v2/projects/42/strings", json.dumps({"text": R(msgs), "identifier": "app.header.greeting", "context": "Shown in the header; {{name}} is the user's first name. Keep <b> tags.", "maxLength": 80})
    if k == "phrase":
        return "PATCH", "/v2/projects/p1/translations/t9", json.dumps({"content": R(msgs), "locale_id": "de", "plural_suffix": R(["", "one", "other"])})
    if k == "transifex":
        return "PATCH", "/resource_translations/o:acme:p:web:r:main:s:abc:l:fr", json.dumps({"data": {"type": "resource_translations", "attributes": {"strings": {"other": R(msgs), "one": R(msgs)}}}})
    return "PUT", "/api/locales/fr.json", json.dumps({f"k{i}": R(msgs) for i in range(random.randint(3, 12))})
# Jupyter
cells_code = ["import pandas as pd\ndf = pd.read_sql(\"SELECT * FROM orders WHERE created_at > '2026-01-01'\", conn)\ndf.head()",
              "!pip install -q scikit-learn==1.5.2", "%%bash\ncd /data && ls -la | head\nwc -l *.csv", "%sql SELECT user_id, COUNT(*) FROM events GROUP BY 1 ORDER BY 2 DESC LIMIT 10",
              "import os\nos.environ['AWS_PROFILE'] = 'analytics'\nprint(os.getcwd())", "import subprocess\nout = subprocess.run(['git', 'log', '-1'], capture_output=True, text=True)\nprint(out.stdout)",
              "from IPython.display import HTML\nHTML('<b>done</b><script>console.log(1)</script>')", "with open('/etc/hosts') as f:\n    print(f.read())",
              "query = f\"SELECT * FROM users WHERE id = {user_id}\"  # TODO: parametrize\ncur.execute(query)", "def f(x):\n    return x if x > 0 else -x\n\n[f(i) for i in range(-3, 3)]",
              "spark.sql(\"\"\"\nSELECT a.id, b.name FROM a JOIN b ON a.id = b.id WHERE b.name LIKE '%o''neil%'\n\"\"\").show()", "eval('1+1')", "%%javascript\nelement.text('hello');",
              "!curl -s https://api.example.com/health | jq .", "df.query(\"status == 'open' and total > 100\")", "exec(open('setup.py').read())"]
cells_md = ["# Churn analysis\nThis notebook loads `orders` and computes **monthly churn**.", "## Notes\n- run `make data` first\n- see <a href=\"https://wiki/x\">wiki</a>", "$$\\sum_{i=0}^{n} x_i$$", "> **Warning**: don't run the `DROP TABLE` cell on prod!"]
def nb():
    cells = []
    for _ in range(random.randint(2, 8)):
        if random.random() < 0.7:
            src = R(cells_code); cells.append({"cell_type": "code", "execution_count": random.randint(1, 40), "metadata": {}, "outputs": [{"output_type": "stream", "name": "stdout", "text": ["total 12\n", "-rw-r--r-- 1 jo staff 1200 orders.csv\n"]}] if random.random() < 0.3 else [], "source": [l + "\n" for l in src.split("\n")[:-1]] + [src.split("\n")[-1]]})
        else:
            src = R(cells_md); cells.append({"cell_type": "markdown", "metadata": {}, "source": [l + "\n" for l in src.split("\n")[:-1]] + [src.split("\n")[-1]]})
    doc = {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}}, "nbformat": 4, "nbformat_minor": 5}
    k = R(["jupyter", "jupyter", "databricks", "colab"])
    if k == "jupyter":
        return "PUT", "/user/jo/api/contents/analysis/churn.ipynb", json.dumps({"type": "notebook", "format": "json", "content": doc})
    if k == "databricks":
        return "POST", "/api/2.0/workspace/import", json.dumps({"path": "/Users/jo@example.com/churn", "format": "JUPYTER", "language": "PYTHON", "content": base64.b64encode(json.dumps(doc).encode()).decode(), "overwrite": True})
    return "POST", "/api/v1/notebooks/save", json.dumps({"notebook": doc, "name": "Untitled3.ipynb"})
# GitHub webhooks
diffs = ["@@ -12,7 +12,7 @@ def get_user(id):\n-    cur.execute(\"SELECT * FROM users WHERE id = %s\" % id)\n+    cur.execute(\"SELECT * FROM users WHERE id = %s\", (id,))\n     return cur.fetchone()",
         "@@ -1,4 +1,4 @@\n-<script src=\"https://cdn.example.com/a.js\"></script>\n+<script src=\"/static/a.js\" defer></script>", "@@ -3,3 +3,4 @@ RUN apt-get update \\\n-    && apt-get install -y curl\n+    && apt-get install -y curl ca-certificates \\\n+    && rm -rf /var/lib/apt/lists/*"]
comments = ["LGTM :shipit:", "```suggestion\n    cur.execute(\"SELECT id, name FROM users WHERE id = %s\", (user_id,))\n```", "Can we avoid `os.system(cmd)` here? Use `subprocess.run([...], check=True)`.",
            "This is vulnerable to SQL injection: `' OR 1=1 --` would dump every row. Please use bind params.", "nit: `../../utils` → use the `@/utils` alias", "Fixed in 3f2a1b9. `rm -rf build/` was needed locally.",
            "Why `<div dangerouslySetInnerHTML={{__html: body}} />`? We should sanitize with DOMPurify first.", "Closes #123. Adds `ORDER BY created_at DESC` to the feed query.", "/cc @security-team — this touches `/etc/nginx/conf.d/default.conf`"]
def gh():
    k = R(["pr_review_comment", "issue_comment", "push", "pull_request"])
    repo = {"id": 1, "full_name": "acme/shop", "html_url": "https://github.com/acme/shop"}
    if k == "pr_review_comment":
        return "POST", "/webhooks/github", json.dumps({"action": "created", "comment": {"body": R(comments), "diff_hunk": R(diffs), "path": R(["app/db.py", "templates/base.html", "Dockerfile"]), "line": 14}, "repository": repo}), [["X-GitHub-Event", "pull_request_review_comment"]]
    if k == "issue_comment":
        return "POST", "/webhooks/github", json.dumps({"action": "created", "issue": {"number": 42, "title": R(["Login fails for O'Brien", "XSS in <title> of search page", "`DROP TABLE` in migration 0042?", "Crash: cat: /tmp/healthy: No such file"]), "body": R(comments)}, "comment": {"body": R(comments)}, "repository": repo}), [["X-GitHub-Event", "issue_comment"]]
    if k == "push":
        return "POST", "/webhooks/github", json.dumps({"ref": "refs/heads/main", "commits": [{"id": "3f2a1b9", "message": R(["fix: escape user input in search (was vulnerable to ' OR 1=1)", "chore: bump lodash\n\nSigned-off-by: Jo <jo@example.com>", "feat: add `rm -rf tmp/` to clean task", "revert \"use eval() for config\""]), "added": [], "modified": [R(["app/db.py", "../shared/x.py", "etc/nginx/site.conf"])]}], "repository": repo}), [["X-GitHub-Event", "push"]]
    return "POST", "/webhooks/github", json.dumps({"action": "opened", "pull_request": {"title": R(["Use parametrized queries", "Sanitize <img onerror> in comments"]), "body": "## Summary\n" + R(comments) + "\n\n## Test plan\n```sh\ncurl -s 'http://localhost:8000/search?q=%27%20OR%201%3D1--' | grep -c row\n```"}, "repository": repo}), [["X-GitHub-Event", "pull_request"]]
for i in range(N):
    k = R(["i18n", "nb", "gh"])
    if k == "i18n": m, p, b = i18n(); o.emit(k, m, p, b, "application/json", ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
    elif k == "nb": m, p, b = nb(); o.emit(k, m, p, b, "application/json", ua="Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15")
    else: m, p, b, h = gh(); o.emit(k, m, p, b, "application/json", ua="GitHub-Hookshot/a1b2c3d", extra=h)
