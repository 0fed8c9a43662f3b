"""Benign requests for false-positive work (see README.md). usage: gql.py OUT SEED COUNT"""
import json, os, random, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out
random.seed(int(sys.argv[2])); o = Out(sys.argv[1], "gql"); N = int(sys.argv[3])
R = random.choice
docs = ['"""\nSearch products. Supports `AND`/`OR`: `shoes AND (red OR blue)`.\nExample: `search(q: "o\'brien")`\n"""', '"""\nDeprecated: use `orders(where: {status: OPEN})`. Don\'t pass raw SQL like `status = \'open\'`.\n"""',
        '"""\nHTML allowed: `<b>`, `<i>`, `<a href>`; `<script>` is stripped.\n"""', '"The user\'s e-mail; must match `^[^@]+@[^@]+$`"', '"""\nRuns `DELETE FROM carts WHERE updated_at < now() - interval \'30 days\'` nightly.\n"""']
DIRS = ['', ' @deprecated(reason: "use `v2`")', ' @auth(requires: USER)']
def sdl():
    parts = ["scalar DateTime", "directive @auth(requires: Role = ADMIN) on OBJECT | FIELD_DEFINITION", "enum Role { ADMIN USER GUEST }"]
    for t in ["Product", "Order", "User", "Query", "Mutation"]:
        fields = "\n".join(f"  {R(docs)}\n  {f}: {R(['String', 'Int!', '[Product!]!', 'DateTime', 'Boolean'])}{R(DIRS)}" for f in random.sample(["id", "name", "search", "orders", "email", "total", "deleteCart", "html"], 3))
        parts.append(f"{R(docs)}\ntype {t} {{\n{fields}\n}}")
    return "\n\n".join(parts)
ops = ['query Search($q: String!, $first: Int = 20, $withReviews: Boolean!) { search(q: $q, first: $first) { edges { node { id name ...ProductCard reviews @include(if: $withReviews) { rating body } } } pageInfo { endCursor hasNextPage } } }\nfragment ProductCard on Product { id name price { amount currency } images(first: 1) { url(transform: {maxWidth: 400}) } }',
       'mutation UpdateOrder($id: ID!, $input: OrderInput!) { updateOrder(id: $id, input: $input) { order { id status } userErrors { field message } } }',
       'query { orders(where: {status: {in: [OPEN, PAID]}, total: {gt: 100}}, orderBy: {createdAt: DESC}) { id total customer { name } } }',
       'subscription OnComment($post: ID!) { commentAdded(postId: $post) { id body author { name } } }', 'query Introspect { __schema { types { name kind fields { name } } } }',
       'query ($id: ID!) { node(id: $id) { ... on User { id name } ... on Product { id name } } }']
for i in range(N):
    k = R(["publish", "op", "op", "persisted"])
    if k == "publish": o.emit(k, "POST", "/api/graphql", json.dumps({"query": "mutation PublishSchema($graph: ID!, $sdl: String!) { graph(id: $graph) { publish(sdl: $sdl) { id } } }", "variables": {"graph": "shop@prod", "sdl": sdl()}}), "application/json", ua="rover/0.26.3")
    elif k == "op": o.emit(k, "POST", "/graphql", json.dumps({"query": R(ops), "variables": {"q": R(["o'brien", "select shoes", "red OR blue", "<b>sale</b>"]), "id": "UHJvZHVjdDox", "input": {"status": "PAID", "note": R(["Don't ship before Monday; call first.", "Leave at door -- thanks!", "Gate code: #1234"])}, "withReviews": True, "post": "1"}, "operationName": None}), "application/json")
    else: o.emit(k, "GET", "/graphql?operationName=Search&variables=" + __import__("urllib.parse").parse.quote(json.dumps({"q": "men's shoes", "first": 20})) + "&extensions=" + __import__("urllib.parse").parse.quote(json.dumps({"persistedQuery": {"version": 1, "sha256Hash": "ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"}})), None, None)
