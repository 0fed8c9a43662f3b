"""Benign requests for false-positive work (see README.md). usage: logq.py OUT SEED COUNT"""
import json, os, random, sys, urllib.parse as up
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out
random.seed(int(sys.argv[2])); o = Out(sys.argv[1], "logq"); N = int(sys.argv[3])
R = random.choice
spl = ['search index=web sourcetype=access_combined status>=500 | stats count by uri_path | sort -count | head 10',
       'index=main "connection refused" | rex field=_raw "host=(?<host>\\S+)" | top limit=5 host',
       'index=app level=ERROR | eval dur_s=duration/1000 | where dur_s > 2 | table _time, user, dur_s',
       'index=security action=failure user=* | bin _time span=5m | stats dc(src_ip) as ips by user | where ips > 10',
       '| tstats count where index=* by index, sourcetype | sort - count', 'index=web | iplocation clientip | geostats count by Country',
       'index=linux sourcetype=syslog "sudo:" | rex "COMMAND=(?<cmd>.*)" | stats count by cmd | sort -count',
       'index=web uri="*/etc/passwd*" OR uri="*union*select*" | table _time clientip uri status']
logql = ['{job="app", env="prod"} |= "error" != "timeout" | json | line_format "{{.level}} {{.msg}}"', 'sum by (route) (rate({app="api"} | logfmt | status >= 500 [5m]))',
         '{namespace="shop"} |~ "(?i)exception|panic" | pattern "<ip> - - [<_>] \\"<method> <uri> <_>\\" <status>"', 'count_over_time({job="nginx"} |= "wp-login.php" [1h]) > 10']
promql = ['sum(rate(http_requests_total{status=~"5..", job="api"}[5m])) by (route) / sum(rate(http_requests_total[5m])) by (route)', 'histogram_quantile(0.99, sum(rate(http_request_duration_seconds_bucket[5m])) by (le, route))',
          'up{job="node"} == 0', 'increase(kube_pod_container_status_restarts_total{namespace="shop"}[1h]) > 3', 'absent(up{job="postgres"})']
kql = ['requests | where timestamp > ago(1h) and resultCode == "500" | summarize count() by bin(timestamp, 5m), name | order by count_ desc',
       'SecurityEvent | where EventID == 4625 | summarize FailedLogins = count() by Account, IpAddress | where FailedLogins > 20', 'traces | where message has "exec" | project timestamp, message | take 50',
       'AzureDiagnostics | where Category == "SQLSecurityAuditEvents" and statement_s contains "DROP TABLE" | project event_time_t, statement_s']
dd = ['service:web status:error @http.status_code:[500 TO 599] -@http.url_details.path:/health', '@usr.email:*@example.com AND @error.kind:TypeError', 'source:nginx @http.method:POST @network.client.ip:10.0.0.0/8']
sumo = ['_sourceCategory=prod/web | parse "GET * HTTP" as url | count by url | sort by _count desc | limit 20', '_index=app "exception" | json field=_raw "user.id" as uid | count_distinct(uid)']
lucene = ['message:"union select" AND NOT source.ip:10.*', 'process.command_line:*powershell* AND process.command_line:*-enc*', 'url.original:*../../*']
def req():
    k = R(["splunk", "loki", "prom", "kql", "dd", "sumo", "elastic"])
    if k == "splunk": return "POST", "/services/search/jobs", "search=" + up.quote(R(spl)) + "&output_mode=json&earliest_time=-24h", "application/x-www-form-urlencoded"
    if k == "loki": return "GET", "/loki/api/v1/query_range?query=" + up.quote(R(logql)) + "&start=1764140000000000000&limit=100", None, None
    if k == "prom": return "GET", "/api/v1/query?query=" + up.quote(R(promql)) + "&time=1764148321", None, None
    if k == "kql": return "POST", "/v1/workspaces/ws1/query", json.dumps({"query": R(kql), "timespan": "PT1H"}), "application/json"
    if k == "dd": return "POST", "/api/v2/logs/events/search", json.dumps({"filter": {"query": R(dd), "from": "now-15m", "to": "now"}, "page": {"limit": 50}}), "application/json"
    if k == "sumo": return "POST", "/api/v1/search/jobs", json.dumps({"query": R(sumo), "from": "2026-11-26T08:00:00", "to": "2026-11-26T09:00:00", "timeZone": "UTC"}), "application/json"
    return "POST", "/api/saved_searches", json.dumps({"title": "suspicious", "query": {"query": R(lucene), "language": "lucene"}}), "application/json"
for i in range(N):
    m, p, b, ct = req(); o.emit("q", m, p, b, ct, ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
