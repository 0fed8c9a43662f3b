"""Benign requests for false-positive work (see README.md): storefront and CMS admin APIs and
mail senders, whose fields carry product HTML, reviews, order notes, posts and e-mail markup.
usage: shop.py OUT SEED COUNT"""
import html, json, os, random, sys, urllib.parse
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import Out
random.seed(int(sys.argv[2])); o = Out(sys.argv[1], "shop"); N = int(sys.argv[3])
R = random.choice
UA = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_6) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15"
products = ["Men's \"Classic\" Tee", "2\" x 4\" x 8' Stud (Pack of 10)", "Kids' Rain Boots – Size 10", "O'Neill 4/3mm Wetsuit", "Select Comfort Pillow",
            "Union Jack Mug", "Drop-Leaf Table (Oak)", "Wall Art: \"Where the Wild Things Are\"", "USB-C to HDMI (4K@60Hz)", "Script Font Pack", "Exec Chair <Mesh>",
            "Order Book A5 – 100 pages", "Rock 'n' Roll Vinyl Box", "Null Pointer T-Shirt", "Alert! Safety Vest (Hi-Vis)", "1=1 Puzzle Cube"]
descs = [
    "<p>Soft, breathable cotton.</p><ul><li>100% organic</li><li>Machine wash cold</li><li>Fits true to size</li></ul>",
    "<table><tr><th>Size</th><th>Chest (in)</th></tr><tr><td>S</td><td>34–36</td></tr><tr><td>M</td><td>38–40</td></tr></table>",
    "<p style=\"text-align:center\"><strong>New!</strong> Now with <em>recycled</em> packaging.</p>",
    "<div class=\"video\"><iframe width=\"560\" height=\"315\" src=\"https://www.youtube.com/embed/aqz-KE-bpKQ\" title=\"YouTube video player\" frameborder=\"0\" allow=\"accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; picture-in-picture\" allowfullscreen></iframe></div>",
    "<p>Dimensions: 24\" W x 18\" D x 30\" H. Weight: 12 lbs.</p><p>Assembly required (tools included).</p>",
    "<h3>Care</h3><p>Hand wash only &amp; dry flat. Don't bleach.</p>",
    "<p>Select your size &gt; add to cart &gt; checkout. Orders over $50 ship free.</p>",
    "<img src=\"https://cdn.shopify.com/s/files/1/0555/products/detail.jpg?v=1712000000\" alt=\"Close-up of the stitching\" width=\"800\">",
    "<p>Compatible with: iPhone 15/16, iPad Pro (M4), MacBook Air 13\" & 15\".</p>",
    "<blockquote>\"Best purchase I've made all year\" — Wirecutter</blockquote>",
    "<p>⚠️ WARNING: Choking hazard — small parts. Not for children under 3 yrs.</p>",
    "<!-- imported from legacy store --><p>Limited edition; only 500 made.</p>",
    "<p>Use code <code>WELCOME10</code> at checkout for 10% off your first order.</p>",
]
reviews = ["Love it!!! Fits perfectly 😍", "Runs small — order one size up. I'm 5'11\" and 180 lbs, the L was tight.", "Not bad, but the color is more \"navy\" than \"royal blue\".",
           "Arrived damaged; the box said 'fragile' but clearly nobody cared.", "3/5 — does the job. Wouldn't buy again at this price.", "Great value for money; my kids' favorite.",
           "Where is the manual? The QR code links to a 404.", "I'd give 10 stars if I could!", "Select size 8 if you're usually an 8.5", "Bought 2 x 4-packs; one battery was dead.",
           "the drop in price after I bought it is annoying -- please price-match", "It's OK. <3 the packaging though.", "Does what it says on the tin. 4/5",
           "Returned it. Customer service said \"we'll refund in 5-7 days\" and they did.", "Is this the same as model #A-1200 or the newer one?"]
notes = ["Leave at back door; gate code #1234", "Please don't ring the bell — baby sleeping!", "Gift wrap please. Card: \"Happy 30th, Sam! Love, Mom & Dad\"",
         "Deliver after 5pm (I'm at work 9-5)", "Apt #5B, O'Connell St. — buzzer doesn't work, call 555-0134", "Ship with order #10234 if possible",
         "PO Box only; no street delivery", "Customer asked: is it 100% wool or a blend?", "VAT ID: GB123456789; invoice to accounts@acme.co.uk"]
addresses = [("Seán O'Brien", "12 St. Mary's Rd", "Apt 3/B", "Dublin"), ("Zoë D'Angelo", "1600 Amphitheatre Pkwy", "Bldg #43", "Mountain View"),
             ("José Núñez", "Calle 5 #12-34", "", "Bogotá"), ("Anne-Marie Smith-Jones", "Flat 2, 10 Union St", "", "London"), ("Null Select", "1 Drop Ln", "Unit 1", "Dover")]
posts = [
    "<!-- wp:paragraph -->\n<p>We just shipped dark mode! Here's how it works.</p>\n<!-- /wp:paragraph -->\n\n<!-- wp:code -->\n<pre class=\"wp-block-code\"><code>@media (prefers-color-scheme: dark) {\n  :root { --bg: #111; --fg: #eee; }\n}</code></pre>\n<!-- /wp:code -->",
    "<!-- wp:heading --><h2>Migrating from MySQL 5.7</h2><!-- /wp:heading --><!-- wp:code --><pre class=\"wp-block-code\"><code>mysqldump -u root -p --single-transaction shop &gt; shop.sql\nmysql -u root -p shop_new &lt; shop.sql</code></pre><!-- /wp:code -->",
    "<!-- wp:html --><div class=\"cta\"><a class=\"button\" href=\"/pricing?utm_source=blog&amp;utm_medium=cta\">See pricing</a></div><!-- /wp:html -->",
    "<!-- wp:shortcode -->[contact-form-7 id=\"42\" title=\"Contact form 1\"]<!-- /wp:shortcode -->",
    "<p>In the last release we fixed a bug where searching for <code>O'Reilly</code> returned nothing. The culprit:</p><pre><code class=\"language-php\">$wpdb-&gt;prepare( \"SELECT * FROM {$wpdb-&gt;posts} WHERE post_title LIKE %s\", '%' . $wpdb-&gt;esc_like( $term ) . '%' );</code></pre>",
    "<h2>Release notes 4.2</h2><ul><li>Fixed: <code>DELETE</code> button on the orders page</li><li>New: export to CSV</li><li>Changed: <code>/api/v1/orders?status=open</code> now paginates</li></ul>",
    "<p>To embed the widget, paste this before <code>&lt;/body&gt;</code>:</p><pre><code>&lt;script async src=\"https://widget.acme.io/v2/loader.js\" data-key=\"pk_live_123\"&gt;&lt;/script&gt;</code></pre>",
]
emails = [
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><style>body{margin:0}a{color:#0b5}@media only screen and (max-width:600px){.col{width:100%!important}}</style></head><body><table role=\"presentation\" width=\"100%\"><tr><td>Hi {{first_name}},</td></tr><tr><td>Your order <b>#{{order_id}}</b> has shipped.</td></tr></table><img src=\"https://t.acme.io/o/{{message_id}}.gif\" width=\"1\" height=\"1\" alt=\"\"></body></html>",
    "<!--[if mso]><table><tr><td width=\"600\"><![endif]--><div style=\"max-width:600px\">Reset your password: <a href=\"{{reset_url}}\">{{reset_url}}</a></div><!--[if mso]></td></tr></table><![endif]-->",
    "<p>Hi *|FNAME|*,</p><p>Your cart misses you. <a href=\"*|CART_URL|*\">Complete your order</a></p><p><a href=\"*|UNSUB|*\">Unsubscribe</a></p>",
    "<mjml><mj-body><mj-section><mj-column><mj-text>Hello {{name}}</mj-text><mj-button href=\"{{url}}\">Confirm</mj-button></mj-column></mj-section></mj-body></mjml>",
]
def one():
    k = R(["product", "product_update", "review", "order", "customer", "wp_post", "contentful", "sendgrid", "mailgun", "stripe", "twilio", "search"])
    if k == "product":
        return "POST", "/admin/api/2024-10/products.json", {"product": {"title": R(products), "body_html": "".join(random.sample(descs, random.randint(1, 3))), "vendor": R(["Acme", "O'Neill", "Null & Co."]), "tags": ", ".join(random.sample(["sale", "new", "union-made", "select", "drop-ship"], 2)), "variants": [{"sku": f"SKU-{random.randint(100, 999)}-{R(['S', 'M', 'L'])}", "price": f"{random.randint(5, 200)}.99"}]}}
    if k == "product_update":
        return "PUT", f"/wp-json/wc/v3/products/{random.randint(1, 9999)}", {"name": R(products), "description": R(descs), "short_description": html.escape(R(reviews)), "meta_data": [{"key": "_care", "value": R(descs)}]}
    if k == "review":
        return "POST", "/api/reviews", {"product_id": random.randint(1, 9999), "rating": random.randint(1, 5), "title": R(reviews)[:40], "body": R(reviews) + (" " + R(reviews) if random.random() < .5 else ""), "author": R(addresses)[0]}
    if k == "order":
        n, a1, a2, c = R(addresses)
        return "POST", "/api/checkout/orders", {"note": R(notes), "shipping_address": {"name": n, "address1": a1, "address2": a2, "city": c}, "line_items": [{"title": R(products), "quantity": random.randint(1, 3)}], "gift_message": R(notes) if random.random() < .3 else None}
    if k == "customer":
        n, a1, a2, c = R(addresses)
        return "PUT", f"/admin/api/2024-10/customers/{random.randint(10**6, 10**7)}.json", {"customer": {"first_name": n.split()[0], "last_name": n.split()[-1], "note": R(notes), "tags": "vip, 'wholesale'", "addresses": [{"address1": a1, "address2": a2, "city": c}]}}
    if k == "wp_post":
        return "POST", "/wp-json/wp/v2/posts", {"title": R(["Dark mode is here", "Migrating from MySQL 5.7", "Release notes 4.2", "How we fixed search"]), "content": R(posts), "status": R(["draft", "publish"]), "excerpt": R(reviews)}
    if k == "contentful":
        return "PUT", f"/spaces/abc123/environments/master/entries/{random.randint(10**5, 10**6)}", {"fields": {"title": {"en-US": R(products)}, "body": {"en-US": {"nodeType": "document", "data": {}, "content": [
            {"nodeType": "paragraph", "data": {}, "content": [{"nodeType": "text", "value": R(reviews), "marks": [], "data": {}}]},
            {"nodeType": "paragraph", "data": {}, "content": [{"nodeType": "text", "value": R(["SELECT * FROM products WHERE price < 20", "npm install @acme/widget --save", "<Widget apiKey=\"pk_123\" />"]), "marks": [{"type": "code"}], "data": {}}]}]}}}}
    if k == "sendgrid":
        return "POST", "/v3/mail/send", {"personalizations": [{"to": [{"email": "jane@example.com", "name": R(addresses)[0]}], "dynamic_template_data": {"first_name": R(addresses)[0].split()[0], "order_id": random.randint(1000, 9999)}}], "from": {"email": "shop@acme.io", "name": "Acme \"Shop\""}, "subject": R(["Your order has shipped!", "Don't forget your cart", "Re: where's my order?"]), "content": [{"type": "text/html", "value": R(emails)}]}
    if k == "mailgun":
        return "POST", "/v3/mg.acme.io/messages", urllib.parse.urlencode({"from": "Acme <shop@acme.io>", "to": "jane@example.com", "subject": "Order update", "html": R(emails), "text": R(reviews), "o:tag": "orders", "v:order-id": str(random.randint(1000, 9999))})
    if k == "stripe":
        return "POST", "/v1/payment_intents", urllib.parse.urlencode({"amount": str(random.randint(500, 99999)), "currency": "usd", "description": f"{R(products)} x{random.randint(1, 3)}", "metadata[note]": R(notes), "metadata[customer_name]": R(addresses)[0], "shipping[address][line1]": R(addresses)[1], "statement_descriptor_suffix": "ACME*SHOP"})
    if k == "twilio":
        return "POST", "/2010-04-01/Accounts/AC123/Messages.json", urllib.parse.urlencode({"To": "+15555550134", "From": "+15555550100", "Body": R(notes + reviews)})
    return "GET", "/api/search?" + urllib.parse.urlencode({"q": R(products + ["5' 11\" jeans", "drop shipping", "union station map", "select 2 items", "kids' shoes < $20", "\"exact phrase\" -excluded"]), "sort": R(["price asc", "-created_at", "relevance"])}), None
for i in range(N):
    m, p, b = one()
    if b is None:
        o.emit("get", m, p, None, None, UA)
    elif isinstance(b, str):
        o.emit("form", m, p, b, "application/x-www-form-urlencoded", UA)
    else:
        o.emit("json", m, p, json.dumps(b), "application/json", UA)
print(o.n, "lines")
