"""Benign requests for false-positive work (see README.md). usage: flt.py OUT SEED COUNT"""
import json, os, random, sys, urllib.parse as up
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out
random.seed(int(sys.argv[2])); o = Out(sys.argv[1], "flt"); N = int(sys.argv[3])
R = random.choice
brands = ["Levi's", "O'Neill", "Nike", "Dr. Martens", "Ben & Jerry's", "H&M", "AT&T", "Toys\"R\"Us"]
def q(s): return up.quote(s, safe="")
def odata():
    b = R(brands).replace("'", "''")
    f = R([f"Name eq '{b}' and Price lt 100", f"contains(tolower(Name), 'shirt') or Category/Name eq 'Shoes'", f"CreatedAt ge 2026-01-01T00:00:00Z and Status ne 'Cancelled'",
           f"startswith(LastName, 'O''B') and Age gt 18", "Tags/any(t: t eq 'sale')", "not (Price gt 50)", f"Id in (1, 2, 3) and IsActive eq true"])
    return "GET", f"/odata/Products?$filter={q(f)}&$select=Id,Name,Price&$orderby=Price desc&$top=20&$skip=40&$expand=Category($select=Name)", None, None
def scim():
    f = R(['userName eq "bjensen"', 'name.familyName sw "O\'B" and active eq true', 'emails[type eq "work" and value co "@example.com"]', 'meta.lastModified gt "2026-01-01T00:00:00Z" or title pr', 'not (userType eq "Guest")'])
    return "GET", f"/scim/v2/Users?filter={q(f)}&startIndex=1&count=100", None, None
def algolia():
    f = R([f"price < 100 AND (brand:'{R(brands)}' OR brand:Nike)", "categories:Shoes AND NOT categories:Kids", "_tags:sale OR _tags:new", "rating >= 4 AND free_shipping:true", '"brand:Dr. Martens" AND size:42'])
    return "POST", "/1/indexes/products/query", json.dumps({"params": "query=" + q(R(['shoes', 'mens shirt', "o'neill jacket"])) + "&filters=" + q(f) + "&hitsPerPage=20&facets=%5B%22brand%22%5D"}), "application/json"
def typesense():
    f = R(["price:<100 && brand:=[Nike,Adidas]", "in_stock:true && rating:>=4", "category:=`Men's Shoes` || category:=`Boots`", "created_at:>1735689600 && tags:!=discontinued"])
    return "GET", f"/collections/products/documents/search?q={q(R(['shoes','*']))}&query_by=name,description&filter_by={q(f)}&sort_by=price:asc", None, None
def meili():
    return "POST", "/indexes/movies/search", json.dumps({"q": R(["star wars", "o'brien", '"the matrix"']), "filter": R(["genres = 'Sci-Fi' AND release_year > 1999", "(rating >= 8 OR awards EXISTS) AND NOT genres = Horror", "director = \"O'Brien\"", "price 10 TO 50"]), "sort": ["release_year:desc"]}), "application/json"
def es():
    body = R([{"query": {"query_string": {"query": "status:error AND NOT host:\"web-1\" AND message:\"connection refused\"", "default_field": "message"}}},
              {"query": {"bool": {"must": [{"match": {"title": "o'reilly"}}], "filter": [{"range": {"price": {"gte": 10, "lte": 100}}}, {"term": {"brand.keyword": "Levi's"}}]}}, "sort": [{"price": "asc"}]},
              {"query": {"function_score": {"query": {"match_all": {}}, "script_score": {"script": {"source": "doc['rating'].value * params.factor + Math.log(1 + doc['sales'].value)", "params": {"factor": 1.2}}}}}},
              {"script": {"source": "ctx._source.counter += params.count; if (ctx._source.tags == null) { ctx._source.tags = [] }", "lang": "painless", "params": {"count": 4}}},
              {"query": {"simple_query_string": {"query": "\"fried eggs\" +(eggplant | potato) -frittata", "fields": ["title^5", "body"]}}},
              {"aggs": {"by_day": {"date_histogram": {"field": "@timestamp", "calendar_interval": "1d"}}}, "query": {"wildcard": {"user.id": {"value": "ki*y"}}}},
              {"query": {"regexp": {"path": {"value": "/api/v[0-9]+/users/.*"}}}}])
    return "POST", "/logs-*/_search", json.dumps(body), "application/json"
def kql():
    return "GET", "/api/saved_objects/_find?type=search&search=" + q(R(['response:>=500 and not extension:php', 'user.name:"O\'Brien" or user.name:jo*', 'http.request.method:POST and url.path:/api/* and not source.ip:10.0.0.0/8', 'event.action:"process-started" and process.args:"-c"'])), None, None
def mongo():
    return "POST", "/api/v1/products/find", json.dumps({"filter": R([{"price": {"$lt": 100}, "brand": {"$in": ["Nike", "Levi's"]}}, {"$or": [{"status": "open"}, {"due": {"$lte": "2026-12-01"}}]}, {"tags": {"$all": ["sale", "new"]}, "name": {"$regex": "^shi", "$options": "i"}}, {"location": {"$near": {"$geometry": {"type": "Point", "coordinates": [2.35, 48.85]}, "$maxDistance": 500}}}]), "sort": {"price": 1}, "limit": 20}), "application/json"
def jsonapi():
    return "GET", "/api/articles?filter[title]=" + q(R(["O'Reilly", 'select the best', 'Drop shipping 101'])) + f"&filter[published-at][gt]=2026-01-01&sort=-created,title&include=author,comments.author&fields[articles]=title,body&page[number]=2", None, None
def graphql_where():
    return "POST", "/graphql", json.dumps({"query": "query Products($where: ProductWhereInput) { products(where: $where, orderBy: { price: asc }, take: 20) { id name price } }", "variables": {"where": R([{"AND": [{"price": {"lt": 100}}, {"OR": [{"name": {"contains": "shirt", "mode": "insensitive"}}, {"brand": {"equals": "Levi's"}}]}]}, {"NOT": {"status": {"in": ["DRAFT", "ARCHIVED"]}}}, {"name": {"startsWith": "O'"}}])}}), "application/json"
def rsql():
    return "GET", "/api/users?search=" + q(R(["name==\"O'Brien\";age=gt=18", "status=in=(active,pending),role==admin", "createdAt=ge=2026-01-01;email=like=*@example.com", "name=='Kill Bill';year=gt=2003"])), None, None
def lucene():
    return "GET", "/solr/products/select?q=" + q(R(['title:"o\'reilly" AND price:[10 TO 100]', '(brand:nike OR brand:adidas) AND -category:kids', 'name:shoe* AND {!frange l=4}rating', 'text:"union station" AND city:chicago', 'select:true AND drop:false'])) + "&fq=" + q("in_stock:true") + "&sort=price%20asc&rows=20&wt=json", None, None
fns = [odata, scim, algolia, typesense, meili, es, kql, mongo, jsonapi, graphql_where, rsql, lucene]
for i in range(N):
    f = R(fns); m, p, b, ct = f()
    o.emit(f.__name__, m, p, b, ct, ua="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36")
