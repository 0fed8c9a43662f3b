"""Benign requests for false-positive work (see README.md). usage: otel.py OUT SEED COUNT"""
import json, os, random, sys, uuid
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out
random.seed(int(sys.argv[2])); o = Out(sys.argv[1], "otel"); N = int(sys.argv[3])
R = random.choice
def hexid(n): return "".join(R("0123456789abcdef") for _ in range(n))
tables = ["users", "orders", "order_items", "products", "sessions", "invoices", "accounts", "audit_log", "carts", "payments"]
cols = ["id", "email", "name", "created_at", "status", "total", "user_id", "sku", "price", "updated_at"]
def sql():
    t = R(tables); c = R(cols)
    return R([
        f"SELECT * FROM {t} WHERE id = ?",
        f"SELECT {t}.* FROM {t} WHERE {t}.{c} = $1 LIMIT $2",
        f'SELECT "{t}".* FROM "{t}" WHERE "{t}"."email" = \'ann.o\'\'brien@example.com\' LIMIT 1',
        f'SELECT "{t}"."id", "{t}"."{c}" FROM "{t}" WHERE "{t}"."user_id" = 42 ORDER BY "{t}"."created_at" DESC LIMIT 25 OFFSET 0',
        f"INSERT INTO {t} ({c}, created_at) VALUES (?, NOW())",
        f"UPDATE {t} SET status = 'shipped', updated_at = NOW() WHERE id = 1234",
        f"DELETE FROM sessions WHERE expires_at < NOW() - INTERVAL '1 day'",
        f"SELECT COUNT(*) FROM {t} WHERE {c} IS NOT NULL",
        f"SELECT u.id, u.email, COUNT(o.id) AS orders FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE u.created_at > ? GROUP BY u.id, u.email HAVING COUNT(o.id) > 1",
        f"SELECT id FROM {t} WHERE name LIKE '%o''neil%' OR email LIKE ?",
        "BEGIN", "COMMIT", "ROLLBACK", "SELECT 1", "SET search_path TO public",
        f"SELECT pg_advisory_lock(?)", "SELECT version()",
        f"UPDATE {t} SET {c} = CASE WHEN {c} IS NULL THEN ? ELSE {c} END WHERE id IN (?, ?, ?)",
        f"SELECT * FROM {t} WHERE id = 7 UNION ALL SELECT * FROM {t}_archive WHERE id = 7",
        f"WITH recent AS (SELECT * FROM {t} WHERE created_at > now() - interval '7 days') SELECT count(*) FROM recent",
        "SELECT `products`.* FROM `products` WHERE `products`.`deleted_at` IS NULL AND `products`.`slug` = 'men\\'s-shoes' LIMIT 1",
        f"/* controller='orders',action='index' */ SELECT orders.* FROM orders WHERE orders.user_id = 9 ORDER BY id DESC",
        "SELECT TOP (1) [u].[Id] FROM [Users] AS [u] WHERE [u].[Email] = @__email_0",
    ])
def redis(): return R(["GET session:" + hexid(16), "SET cart:42 ? EX 3600", "HGETALL user:1001", "EVALSHA 3f1a9c ? 1 lock:orders", "MULTI", "EXEC", "ZADD leaderboard ? ?", "DEL cache:products:page:2", "INCRBY ratelimit:203.0.113.7 1"])
def mongo(): return R([json.dumps({"find": "users", "filter": {"email": "?"}}), json.dumps({"aggregate": "orders", "pipeline": [{"$match": {"status": "?"}}, {"$group": {"_id": "$user_id", "n": {"$sum": 1}}}]}), json.dumps({"find": "products", "filter": {"price": {"$gt": "?"}, "tags": {"$in": ["?"]}}}), json.dumps({"update": "carts", "updates": [{"q": {"_id": "?"}, "u": {"$set": {"items": "?"}}}]}), json.dumps({"find": "events", "filter": {"$or": [{"a": "?"}, {"b": {"$exists": True}}]}})])
paths = ["/api/v1/orders?status=open&page=2", "/search?q=men%27s+shoes", "/api/users/42", "/graphql", "/healthz", "/api/v2/products?sort=-price&filter[brand]=Levi%27s", "/login?next=%2Fdashboard", "/wp-json/wp/v2/posts?search=%22quoted+phrase%22"]
exc_py = 'Traceback (most recent call last):\n  File "/app/orders/views.py", line 88, in create\n    cursor.execute("SELECT * FROM orders WHERE id = %s", [order_id])\n  File "/usr/local/lib/python3.12/site-packages/django/db/backends/utils.py", line 102, in execute\n    return self.cursor.execute(sql, params)\npsycopg.errors.UndefinedColumn: column "statuss" does not exist\nLINE 1: SELECT * FROM orders WHERE statuss = \'open\'\n                                   ^'
exc_java = 'org.postgresql.util.PSQLException: ERROR: duplicate key value violates unique constraint "users_email_key"\n  Detail: Key (email)=(jo@example.com) already exists.\n\tat org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725)\n\tat org.hibernate.engine.jdbc.internal.ResultSetReturnImpl.executeUpdate(ResultSetReturnImpl.java:197)\n\tat com.example.shop.UserService.register(UserService.java:54)\n\tat java.base/java.lang.Thread.run(Thread.java:1583)'
exc_node = "Error: ER_PARSE_ERROR: You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near ''' at line 1\n    at Query.Sequence._packetToError (/app/node_modules/mysql/lib/protocol/sequences/Sequence.js:47:14)\n    at Protocol._parsePacket (/app/node_modules/mysql/lib/protocol/Protocol.js:291:23)"
exc_rb = "ActiveRecord::StatementInvalid: PG::SyntaxError: ERROR:  syntax error at or near \"'\"\nLINE 1: SELECT \"users\".* FROM \"users\" WHERE (name = 'O'Brien')\n                                                        ^\n/app/app/models/user.rb:12:in `search'\n/app/app/controllers/users_controller.rb:8:in `index'"
cmdlines = ["/usr/local/bin/python3 /app/manage.py runserver 0.0.0.0:8000", "java -Xmx2g -javaagent:/otel/opentelemetry-javaagent.jar -Dotel.service.name=orders -jar /app/app.jar", "node --require @opentelemetry/auto-instrumentations-node/register dist/server.js", "/bin/sh -c bundle exec puma -C config/puma.rb", "php-fpm: pool www", "/usr/bin/dotnet /app/Orders.dll", "bash -c 'sleep 5 && ./start.sh'"]
orm = [
    lambda: f'Executed DbCommand ({random.randint(1,40)}ms) [Parameters=[@__email_0=\'jo@example.com\' (Size = 256)], CommandType=\'Text\', CommandTimeout=\'30\']\nSELECT TOP(1) [u].[Id], [u].[Email], [u].[Name]\nFROM [Users] AS [u]\nWHERE [u].[Email] = @__email_0',
    lambda: f'Hibernate: select u1_0.id,u1_0.email,u1_0.name from users u1_0 where u1_0.email=?',
    lambda: f'(0.002) SELECT "auth_user"."id", "auth_user"."username" FROM "auth_user" WHERE "auth_user"."username" = \'o\'\'brien\' LIMIT 21; args=("o\'brien",); alias=default',
    lambda: f'  User Load (0.4ms)  SELECT "users".* FROM "users" WHERE "users"."id" = $1 LIMIT $2  [["id", 1], ["LIMIT", 1]]',
    lambda: f'Executing (default): SELECT "id", "email" FROM "Users" AS "User" WHERE "User"."email" = \'ann@example.com\' LIMIT 1;',
    lambda: f'prisma:query SELECT "public"."Post"."id", "public"."Post"."title" FROM "public"."Post" WHERE "public"."Post"."authorId" = $1 OFFSET $2',
    lambda: f'[{random.uniform(0.1,9):.3f}ms] [rows:1] SELECT * FROM `users` WHERE email = \'jo@example.com\' AND `users`.`deleted_at` IS NULL ORDER BY `users`.`id` LIMIT 1',
    lambda: f'select * from `orders` where `user_id` = ? and `status` in (?, ?) order by `created_at` desc limit 15 offset 0',
    lambda: f'SQL (0.3ms)  INSERT INTO "comments" ("body", "post_id") VALUES ($1, $2) RETURNING "id"  [["body", "Nice post! Can\'t wait for part 2"], ["post_id", 7]]',
    lambda: f'Query executed in {random.randint(1,900)} ms: UPDATE inventory SET qty = qty - 1 WHERE sku = \'TS-BLK-M\' AND qty > 0',
    lambda: f'TRACE o.h.orm.jdbc.bind - binding parameter (1:VARCHAR) <- [O\'Neil]',
]
logs = [lambda: f"Executing query: {sql()}", lambda: f"duration: {random.uniform(500,5000):.3f} ms  statement: {sql()}",
        lambda: f'Started GET "{R(paths)}" for 10.0.{random.randint(0,255)}.{random.randint(1,254)} at 2026-11-26 09:12:01 +0000',
        lambda: f'10.0.3.7 - - [26/Nov/2026:09:12:01 +0000] "GET {R(paths)} HTTP/1.1" 200 512 "-" "Mozilla/5.0 (X11; Linux x86_64)"',
        lambda: "  Processing by UsersController#index as JSON\n  Parameters: {\"q\"=>\"o'brien\", \"page\"=>\"2\"}",
        lambda: exc_py, lambda: exc_java, lambda: exc_node, lambda: exc_rb,
        lambda: "Redis command failed: EVALSHA 3f1a9c 1 lock:orders (NOSCRIPT No matching script. Please use EVAL.)",
        lambda: "kubelet: Liveness probe failed: cat: /tmp/healthy: No such file or directory",
        lambda: "cron: (root) CMD (cd / && run-parts --report /etc/cron.hourly)",
        lambda: "sshd[1023]: Accepted publickey for deploy from 10.0.0.5 port 51234 ssh2",
        lambda: "Template rendered: emails/welcome.html.erb with locals {name: \"Zoë\"} in 3.2ms",
        lambda: "[WARN] Slow query (2034 ms): db.orders.find({ status: 'open', total: { $gt: 100 } }).sort({ created_at: -1 })",
        *orm, *orm, lambda: "GraphQL query: query GetUser($id: ID!) { user(id: $id) { id name orders(first: 10) { edges { node { id total } } } } }",
        lambda: "Rendered <div class=\"alert alert-danger\">Payment failed: card declined</div> in 0.4ms",
]
def attrs(d): return [{"key": k, "value": ({"intValue": str(v)} if isinstance(v, int) else {"arrayValue": {"values": [{"stringValue": x} for x in v]}} if isinstance(v, list) else {"stringValue": v})} for k, v in d.items()]
def resource():
    return {"attributes": attrs({"service.name": R(["orders", "checkout", "users-api", "web"]), "service.version": "1.4." + str(random.randint(0, 30)), "telemetry.sdk.language": R(["python", "java", "nodejs", "ruby", "php", "dotnet"]), "host.name": "ip-10-0-3-7", "process.pid": random.randint(100, 50000), "process.command_line": R(cmdlines), "process.executable.path": R(["/usr/local/bin/python3", "/usr/bin/java", "/usr/local/bin/node"]), "process.command_args": R(cmdlines).split(), "k8s.pod.name": "orders-7d9f8b6c5-x2k4p", "container.image.name": "registry.example.com/shop/orders:1.4.2"})}
def span():
    kind = R(["db", "redis", "mongo", "http", "server", "exc"])
    a = {}
    if kind == "db": a = {"db.system": R(["postgresql", "mysql", "mssql"]), "db.name": "shop", "db.statement": sql(), "db.query.text": sql(), "db.operation": "SELECT", "db.sql.table": R(tables)}
    elif kind == "redis": a = {"db.system": "redis", "db.statement": redis()}
    elif kind == "mongo": a = {"db.system": "mongodb", "db.statement": mongo(), "db.mongodb.collection": "users"}
    elif kind in ("http", "server"): p = R(paths); a = {"http.method": "GET", "http.url": "https://shop.example.com" + p, "url.full": "https://shop.example.com" + p, "http.target": p, "url.query": p.partition("?")[2], "http.route": "/api/v1/orders", "http.status_code": 200, "user_agent.original": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "code.function": R(["OrdersController#index", "views.create", "UserService.register"]), "code.filepath": "/app/app/controllers/orders_controller.rb"}
    sp = {"traceId": hexid(32), "spanId": hexid(16), "name": R(["SELECT shop.orders", "GET /api/v1/orders", "redis.GET", "mongodb.find", "POST /graphql"]), "kind": R([1, 2, 3]), "startTimeUnixNano": "1764148321000000000", "endTimeUnixNano": "1764148321012000000", "attributes": attrs(a), "status": {}}
    if kind == "exc" or random.random() < 0.2:
        e = R([exc_py, exc_java, exc_node, exc_rb])
        sp["events"] = [{"name": "exception", "timeUnixNano": "1764148321011000000", "attributes": attrs({"exception.type": e.split(":")[0].split("\n")[-1][:60], "exception.message": e.split("\n")[0], "exception.stacktrace": e})}]
        sp["status"] = {"code": 2, "message": e.split("\n")[0]}
    return sp
for i in range(N):
    k = R(["traces", "traces", "logs", "dd", "loki", "bulk", "honey", "sentrytx"])
    if k == "traces":
        o.emit(k, "POST", "/v1/traces", json.dumps({"resourceSpans": [{"resource": resource(), "scopeSpans": [{"scope": {"name": R(["opentelemetry.instrumentation.psycopg", "io.opentelemetry.jdbc", "@opentelemetry/instrumentation-http"])}, "spans": [span() for _ in range(random.randint(1, 6))]}]}]}), "application/json")
    elif k == "logs":
        o.emit(k, "POST", "/v1/logs", json.dumps({"resourceLogs": [{"resource": resource(), "scopeLogs": [{"logRecords": [{"timeUnixNano": "1764148321000000000", "severityText": R(["INFO", "WARN", "ERROR"]), "body": {"stringValue": R(logs)()}, "attributes": attrs({"log.file.path": "/var/log/app/app.log", "code.lineno": random.randint(1, 900)})} for _ in range(random.randint(1, 5))]}]}]}), "application/json")
    elif k == "dd":
        o.emit(k, "POST", "/api/v2/logs", json.dumps([{"ddsource": R(["nginx", "python", "java", "postgresql"]), "ddtags": "env:prod,version:1.4.2", "hostname": "ip-10-0-3-7", "service": "orders", "message": R(logs)()} for _ in range(random.randint(1, 4))]), "application/json", ua="datadog-agent/7.59.0", extra=[["DD-API-KEY", hexid(32)]])
    elif k == "loki":
        o.emit(k, "POST", "/loki/api/v1/push", json.dumps({"streams": [{"stream": {"job": "app", "level": R(["info", "error"]), "filename": "/var/log/app.log"}, "values": [["1764148321000000000", R(logs)()] for _ in range(random.randint(1, 4))]}]}), "application/json", ua="promtail/3.2.1")
    elif k == "bulk":
        lines = []
        for _ in range(random.randint(1, 4)):
            lines.append(json.dumps({"index": {"_index": "logs-app-2026.11.26"}}))
            lines.append(json.dumps({"@timestamp": "2026-11-26T09:12:01.000Z", "message": R(logs)(), "log.level": "info", "service.name": "orders", "process.command_line": R(cmdlines)}))
        o.emit(k, "POST", "/_bulk", "\n".join(lines) + "\n", "application/x-ndjson", ua="Fluent-Bit/3.1")
    elif k == "honey":
        o.emit(k, "POST", "/1/batch/orders", json.dumps([{"time": "2026-11-26T09:12:01Z", "data": {"name": "db.query", "db.statement": sql(), "duration_ms": round(random.uniform(0.2, 900), 2), "trace.trace_id": hexid(32), "error": R(["", exc_node.split("\n")[0]])}} for _ in range(random.randint(1, 5))]), "application/json", ua="libhoney-go/1.23.1", extra=[["X-Honeycomb-Team", hexid(22)]])
    else:
        o.emit(k, "POST", "/api/42/envelope/", json.dumps({"event_id": hexid(32), "sent_at": "2026-11-26T09:12:01Z"}) + "\n" + json.dumps({"type": "transaction"}) + "\n" + json.dumps({"type": "transaction", "transaction": R(["GET /api/v1/orders", "orders.views.create"]), "spans": [{"op": R(["db.sql.query", "db", "cache.get", "http.client"]), "description": R([sql(), sql(), redis(), "GET https://payments.example.com/v1/charges?limit=10"]), "span_id": hexid(16), "data": {"db.system": "postgresql"}} for _ in range(random.randint(1, 6))], "breadcrumbs": {"values": [{"category": "query", "message": sql()}, {"category": "http", "data": {"url": R(paths), "method": "GET"}}]}}), "application/x-sentry-envelope", ua="sentry.python/2.19.0")
