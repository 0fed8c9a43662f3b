"""Benign requests for false-positive work (see README.md). usage: spec.py OUT SEED COUNT"""
import json, os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out
random.seed(int(sys.argv[2])); o = Out(sys.argv[1], "spec"); N = int(sys.argv[3])
R = random.choice
patterns = ["^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$", "^(?:[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$",
            "^\\+?[1-9]\\d{1,14}$", "^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", "^(https?|ftp)://[^\\s/$.?#].[^\\s]*$", "^(?=.*[A-Z])(?=.*[a-z])(?=.*\\d)(?=.*[^\\w\\s]).{12,}$",
            "^[A-Z]{2}\\d{2}[A-Z0-9]{1,30}$", "^(\\d{1,3}\\.){3}\\d{1,3}(/\\d{1,2})?$", "^[^<>\"'&;]*$", "^/[a-z0-9/_-]*$", "^(?!.*\\.\\.)[a-zA-Z0-9_./-]+$", "^(select|insert|update|delete)$"]
descs = ["Returns the user's orders. Use `status=open` to filter; `sort=-created_at` sorts newest first.", "**Deprecated**: use `/v2/search` instead. Supports `q` with `AND`/`OR` (e.g. `shoes AND (red OR blue)`).",
         "The SQL `WHERE` clause is built server-side; never pass raw SQL. Example: `name eq 'O''Brien'`.", "HTML is sanitized: `<script>`, `on*` attributes and `javascript:` URLs are stripped.",
         "Path to the file relative to the workspace root, e.g. `src/index.ts` (no `../`).", "A shell-style glob, like `logs/*.log` or `**/*.{js,ts}`.", "Webhook URL. Must be HTTPS and public: `localhost`, `127.0.0.1` and `169.254.169.254` are rejected.",
         "Template for the e-mail body. Handlebars: `{{firstName}}`, `{{#each items}}…{{/each}}`.", "cron expression, e.g. `*/5 * * * *` or `0 3 * * 1-5`"]
examples = ["O'Brien", "select shoes", "<b>bold</b> is allowed", "rm -rf is not a valid name", "../etc is rejected", "1=1", "{{firstName}}", "${HOME}/data", "a; b"]
def openapi():
    paths = {}
    for i in range(random.randint(2, 6)):
        p = R(["/users/{id}", "/orders", "/search", "/files/{path}", "/webhooks", "/templates/{id}"]) + ("" if i == 0 else f"/v{i}")
        paths[p] = {"get": {"summary": R(descs)[:60], "description": R(descs), "parameters": [{"name": R(["q", "filter", "path", "sort", "email"]), "in": "query", "schema": {"type": "string", "pattern": R(patterns), "example": R(examples)}, "description": R(descs)}],
                            "responses": {"200": {"description": "OK", "content": {"application/json": {"example": {"name": R(examples), "html": "<p>Hello, <em>world</em></p>"}}}}}, "x-codeSamples": [{"lang": "curl", "source": "curl -s -H \"Authorization: Bearer $TOKEN\" 'https://api.example.com" + p.replace("{id}", "42") + "?q=shoes%20AND%20red' | jq ."}, {"lang": "Python", "source": "import requests\nr = requests.get(f'{BASE}/orders', params={'status': 'open'})\nprint(r.json())"}]}}
    return {"openapi": "3.1.0", "info": {"title": "Shop API", "version": "2.4.0", "description": "# Shop API\n\nAuthentication: send `Authorization: Bearer <token>`.\n\n```bash\nexport TOKEN=$(curl -s -X POST https://api.example.com/oauth/token -d 'grant_type=client_credentials' | jq -r .access_token)\n```"}, "paths": paths, "components": {"schemas": {"User": {"type": "object", "properties": {"email": {"type": "string", "format": "email", "pattern": R(patterns)}, "bio": {"type": "string", "maxLength": 500, "description": R(descs)}}}}}}
def postman():
    return {"info": {"name": "Shop API", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}, "item": [{"name": "Login", "event": [{"listen": "test", "script": {"type": "text/javascript", "exec": ["pm.test(\"status is 200\", function () {", "    pm.response.to.have.status(200);", "});", "const json = pm.response.json();", "pm.environment.set(\"token\", json.access_token);"]}}, {"listen": "prerequest", "script": {"exec": ["const ts = Date.now();", "pm.variables.set('sig', CryptoJS.HmacSHA256(ts + pm.request.url.toString(), pm.environment.get('secret')).toString());"]}}],
            "request": {"method": "POST", "url": {"raw": "{{baseUrl}}/oauth/token?scope=read%20write", "host": ["{{baseUrl}}"], "path": ["oauth", "token"]}, "body": {"mode": "raw", "raw": "{\n  \"username\": \"{{user}}\",\n  \"password\": \"{{password}}\"\n}"}, "header": [{"key": "X-Signature", "value": "{{sig}}"}]}},
            {"name": "Search", "request": {"method": "GET", "url": {"raw": "{{baseUrl}}/search?q=" + R(["o'brien", "shoes AND red", "%22quoted%22"]), "query": [{"key": "q", "value": R(["o'brien", "shoes AND red", "select"])}]}}}]}
for i in range(N):
    k = R(["openapi", "openapi", "postman", "kong"])
    if k == "openapi": o.emit(k, "PUT", "/apis/shop/versions/2.4.0/definition", json.dumps(openapi()), "application/json", ua="swaggerhub-cli/0.9.0")
    elif k == "postman": o.emit(k, "PUT", "/collections/1234-abcd", json.dumps({"collection": postman()}), "application/json", ua="PostmanRuntime/7.43.0")
    else: o.emit(k, "POST", "/services/shop/plugins", json.dumps({"name": "request-validator", "config": {"body_schema": json.dumps({"type": "object", "properties": {"email": {"type": "string", "pattern": R(patterns)}}}), "parameter_schema": [{"name": "q", "in": "query", "required": False, "schema": json.dumps({"type": "string", "pattern": R(patterns)}), "style": "form", "explode": False}]}}), "application/json", ua="deck/1.40.0")
