"""Browser traffic to websites: benign requests as a site behind Palisade receives them from
real browsers, not API clients. Page loads with full Chrome/Firefox/Safari headers, client
hints and the cookie jars consent managers and analytics tags leave (OneTrust, Cookiebot,
CookieYes, TCF strings, GA, Meta, HubSpot, Segment), tracking parameters, site search,
analytics and RUM beacons (GA4, Universal Analytics, Meta pixel, Bing UET, HubSpot, Adobe,
Segment, Amplitude, Mixpanel, Datadog RUM, New Relic), session-replay DOM snapshots, CSP and
error reports, sign-in forms with password-manager passwords, OAuth and SAML hand-offs, CDN
image transforms, Next.js RSC and WordPress admin-ajax.
usage: web.py OUT SEED COUNT"""
import base64, json, random, string, sys, urllib.parse as up, uuid
random.seed(int(sys.argv[2])); out = open(sys.argv[1], "w"); N = int(sys.argv[3])
R = random.choice
Q = up.quote
def qs(d): return up.urlencode(d, quote_via=up.quote)
def hexid(n): return "".join(R("0123456789abcdef") for _ in range(n))
def b64(s): return base64.b64encode(s.encode()).decode()
def num(a, b): return str(random.randint(a, b))
site = R(["www.example.com", "shop.example.co.uk", "news.example.org"])
ORIGIN = "https://" + site
UAS = {
    "chrome": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "chrome-mac": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36",
    "edge": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
    "firefox": "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
    "safari": "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "samsung": "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
    "fb-iab": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/485.0.0.38.107;FBBV/654321;FBDV/iPhone14,5;FBMD/iPhone;FBSN/iOS;FBSV/17.6;FBSS/3;FBID/phone;FBLC/en_GB;FBOP/5;FBRV/0]",
}
# Searches people type: quotes, apostrophes, operators, SQL and shell words, code, markup.
SEARCH = ["men's running shoes size 10", "\"red dress\" -maxi", "o'reilly python cookbook", "how to select all in excel", "union square hotels",
          "drop shipping or dropshipping", "1/2\" copper pipe", "5' 11\" to cm", "c++ vs c#", "<3 valentines card", "kids' bikes under $200",
          "AT&T phone plans", "what does 'null' mean", "update iphone 16 ios 18.1", "sleep mask", "exec chair", "where is order #1234",
          "Levi's 501 '90s", "script fonts free", "alert bracelet", "cat 6 cable 50ft", "delete account", "ls 1 2 3 series", "ping pong table",
          "echo dot 5th gen", "wget alternatives", "rm -rf meaning", "SELECT vs WHERE sql tutorial", "Tom & Jerry (1940)", "50% off | sale",
          "javascript tutorial for beginners", "iframe vs embed", "<b>bold</b> html tag", "10 > 9 true", "fish & chips near me", "d'Artagnan",
          "women's \"petite\" jeans", "admin@example.com login help", "../ meaning in path", "$100 gift card", "`code` formatting markdown"]
TITLES = ["Men's \"Trail\" Runner – Size Guide | Example", "Cart (2) | Example Store", "Search results for 'o'reilly' – Example", "Sign in · Example",
          "Q3 Results: Revenue up 12% & Margins Hold | Example News", "Page not found – 404 – Example", "<Untitled> draft", "Checkout — Step 2 of 3",
          "Example | Shoes, Clothing & Accessories", "Help: How do I reset my password?", "Blog › Why we moved from MySQL to Postgres"]
PATHS = ["/", "/products/trail-runner-2", "/collections/mens?page=2&sort_by=price-ascending", "/cart", "/checkout/contact", "/account/login",
         "/blog/why-we-moved-to-postgres", "/news/2026/11/26/q3-results", "/help/articles/360012345-reset-password", "/search", "/en-gb/c/shoes",
         "/p/123456/mens-trail-runner?color=navy&size=10", "/wp-admin/post.php?post=123&action=edit", "/my-account/orders/", "/category/sale/page/3/"]
TRACK = [lambda: {"utm_source": R(["google", "newsletter", "facebook", "linkedin"]), "utm_medium": R(["cpc", "email", "social", "paid_social"]), "utm_campaign": R(["bf_2026", "Q4 Brand | UK", "retarget-cart (v2)", "spring_sale-20%"]), "utm_content": R(["hero_cta", "ad-1 copy B", "{{ad.name}}"]), "utm_term": R(["running shoes", "men's trainers", "+buy +shoes"])},
         lambda: {"gclid": "Cj0KCQiA" + hexid(40), "gad_source": "1"},
         lambda: {"fbclid": "IwAR" + "".join(R(string.ascii_letters + string.digits + "_-") for _ in range(60))},
         lambda: {"msclkid": hexid(32)},
         lambda: {"mc_cid": hexid(10), "mc_eid": hexid(10)},
         lambda: {"_gl": "1*" + hexid(6) + "*_ga*" + b64("123.456").rstrip("=") + "*_ga_ABC123*" + b64("MTcwMC4x").rstrip("=")},
         lambda: {"ref": R(["producthunt", "hn", "twitter.com", "ig"])},
         lambda: {"srsltid": "AfmBOo" + "".join(R(string.ascii_letters + string.digits + "-_") for _ in range(50))},
         lambda: {}]
def ga(): return f"GA1.1.{num(100000000, 2147483647)}.{num(1700000000, 1764000000)}"
def cookies():
    c = [("_ga", ga()), ("_ga_" + hexid(10).upper(), f"GS1.1.{num(1700000000, 1764000000)}.{num(1, 40)}.1.{num(1700000000, 1764000000)}.0.0.0")]
    picks = [
        lambda: ("OptanonConsent", "isGpcEnabled=0&datestamp=" + Q("Thu Nov 26 2026 20:45:39 GMT+0000 (Greenwich Mean Time)") + "&version=202409.1.0&browserGpcFlag=0&isIABGlobal=false&hosts=&consentId=" + str(uuid.uuid4()) + "&interactionCount=1&isAnonUser=1&landingPath=NotLandingPage&groups=C0001%3A1%2CC0002%3A1%2CC0003%3A0%2CC0004%3A0&AwaitingReconsent=false&geolocation=GB%3BENG"),
        lambda: ("OptanonAlertBoxClosed", "2026-11-20T10:11:12.345Z"),
        lambda: ("CookieConsent", "{stamp:%27" + b64(hexid(30))[:40] + "==%27%2Cnecessary:true%2Cpreferences:" + R(["true", "false"]) + "%2Cstatistics:true%2Cmarketing:false%2Cmethod:%27explicit%27%2Cver:3%2Cutc:" + num(1700000000000, 1764000000000) + "%2Cregion:%27gb%27}"),
        lambda: ("cookieyes-consent", "consentid:" + b64(hexid(20))[:32] + ",consent:yes,action:yes,necessary:yes,functional:yes,analytics:yes,performance:no,advertisement:no,other:no"),
        lambda: ("euconsent-v2", "CQ" + "".join(R(string.ascii_letters + string.digits + "-_") for _ in range(120)) + ".YAAAAAAAAAAA"),
        lambda: ("_fbp", f"fb.1.{num(1700000000000, 1764000000000)}.{num(100000000, 999999999)}"),
        lambda: ("_fbc", f"fb.1.{num(1700000000000, 1764000000000)}.IwAR{hexid(40)}"),
        lambda: ("__hstc", f"{num(10000000, 99999999)}.{hexid(32)}.{num(1700000000000, 1764000000000)}.{num(1700000000000, 1764000000000)}.{num(1700000000000, 1764000000000)}.{num(1, 9)}"),
        lambda: ("hubspotutk", hexid(32)),
        lambda: ("ajs_anonymous_id", Q(json.dumps(str(uuid.uuid4())))),
        lambda: ("ajs_user_traits", Q(json.dumps({"email": "sean.obrien@example.ie", "name": "Seán O'Brien", "plan": "pro (annual)"}))),
        lambda: ("__cf_bm", "".join(R(string.ascii_letters + string.digits + "._") for _ in range(43)) + "-" + num(1764000000, 1764200000) + "-1.0.1.1-" + "".join(R(string.ascii_letters + string.digits + "._") for _ in range(80))),
        lambda: ("_uetsid", hexid(32)), lambda: ("_uetvid", hexid(32)),
        lambda: ("_hjSessionUser_" + num(100000, 9999999), b64(json.dumps({"id": str(uuid.uuid4()), "created": 1763000000000, "existing": True}))),
        lambda: ("AMCV_" + hexid(24).upper() + "%40AdobeOrg", "179643557%7CMCIDTS%7C20053%7CMCMID%7C" + num(10 ** 37, 10 ** 38) + "%7CMCAAMLH-1764800000%7C6%7CMCAAMB-1764800000%7C" + b64(hexid(40))[:40] + "%7CMCOPTOUT-1764200000s%7CNONE%7CvVersion%7C5.5.0"),
        lambda: ("s_pers", "%20s_vnum%3D1767225600000%2526vn%253D3%7C1767225600000%3B%20s_invisit%3Dtrue%7C1764190000000%3B"),
        lambda: ("utag_main", "v_id:" + hexid(40) + "$_sn:3$_se:12$_ss:0$_st:1764190000000$ses_id:1764180000000%3Bexp-session$_pn:4%3Bexp-session"),
        lambda: ("wordpress_logged_in_" + hexid(32), "admin%7C1764300000%7C" + "".join(R(string.ascii_letters + string.digits) for _ in range(43)) + "%7C" + hexid(64)),
        lambda: ("wp-settings-1", "libraryContent%3Dbrowse%26editor%3Dhtml%26posts_list_mode%3Dlist"),
        lambda: ("cart", Q(json.dumps({"items": [{"id": 123, "qty": 2, "name": "Men's \"Trail\" Runner"}], "currency": "GBP"}))),
        lambda: ("recently_viewed", Q("123,456,789")),
        lambda: ("locale", R(["en-GB", "de-DE", "fr_FR"])), lambda: ("theme", R(["dark", "light"])),
        lambda: ("session", "".join(R(string.ascii_letters + string.digits + "-_") for _ in range(86)) + "." + "".join(R(string.ascii_letters + string.digits + "-_") for _ in range(27))),
        lambda: ("XSRF-TOKEN", Q(b64(json.dumps({"iv": b64(hexid(16)), "value": b64(hexid(48)), "mac": hexid(64), "tag": ""})))),
        lambda: ("_shopify_y", str(uuid.uuid4())), lambda: ("_clck", f"{hexid(6)}%7C2%7Cfr5%7C0%7C1790"),
        lambda: ("mp_" + hexid(32) + "_mixpanel", Q(json.dumps({"distinct_id": "$device:" + str(uuid.uuid4()), "$device_id": str(uuid.uuid4()), "$initial_referrer": "https://www.google.com/", "$initial_referring_domain": "www.google.com", "__mps": {}, "__mpso": {"$initial_referrer": "https://www.google.com/"}, "__mpus": {}, "__mpa": {}, "__mpu": {}, "__mpr": [], "__mpap": []}))),
    ]
    for f in random.sample(picks, random.randint(3, 9)): c.append(f())
    return "; ".join(f"{k}={v}" for k, v in c)
def browser_headers(kind, ua, nav=True, referer=None):
    h = [["Host", site], ["User-Agent", UAS[ua]]]
    if ua in ("chrome", "chrome-mac", "edge", "samsung"):
        brand = "Microsoft Edge" if ua == "edge" else "Google Chrome"
        h += [["sec-ch-ua", f"\"{brand}\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\""], ["sec-ch-ua-mobile", "?1" if ua == "samsung" else "?0"], ["sec-ch-ua-platform", "\"Android\"" if ua == "samsung" else R(["\"Windows\"", "\"macOS\""])]]
        if random.random() < 0.3: h.append(["sec-ch-ua-full-version-list", "\"Google Chrome\";v=\"131.0.6778.86\", \"Chromium\";v=\"131.0.6778.86\", \"Not_A Brand\";v=\"24.0.0.0\""])
    if nav:
        h += [["Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"], ["Upgrade-Insecure-Requests", "1"],
              ["Sec-Fetch-Site", R(["none", "same-origin", "cross-site"])], ["Sec-Fetch-Mode", "navigate"], ["Sec-Fetch-User", "?1"], ["Sec-Fetch-Dest", "document"]]
    else:
        h += [["Accept", R(["*/*", "application/json, text/plain, */*", "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8"])], ["Sec-Fetch-Site", "same-origin"], ["Sec-Fetch-Mode", R(["cors", "no-cors"])], ["Sec-Fetch-Dest", "empty"]]
    h += [["Accept-Encoding", "gzip, deflate, br, zstd"], ["Accept-Language", R(["en-GB,en-US;q=0.9,en;q=0.8", "en-US,en;q=0.9", "de-DE,de;q=0.9,en-US;q=0.8,en;q=0.7", "fr-FR,fr;q=0.9"])]]
    if referer: h.append(["Referer", referer])
    if random.random() < 0.9: h.append(["Cookie", cookies()])
    if random.random() < 0.2: h.append(["Priority", "u=0, i"])
    return h
def google_ref(): return "https://www.google.com/search?q=" + Q(R(SEARCH)).replace("%20", "+") + "&sca_esv=" + hexid(16) + "&source=hp&ei=" + b64(hexid(12))[:22]
def line(kind, method, path, headers, body=None, ctype=None):
    global n
    if ctype: headers.append(["Content-Type", ctype])
    d = {"source": "web", "category": "benign-web", "label": "benign", "id": f"web-{n}-{kind}", "method": method, "path": path, "headers": headers}
    if body is not None: d["body"] = body
    out.write(json.dumps(d) + "\n"); n += 1
n = 0
def page():
    p = R(PATHS); t = R(TRACK)()
    if p == "/search": t = {"q": R(SEARCH), **({"type": "product"} if random.random() < 0.5 else {})}
    if t: p += ("&" if "?" in p else "?") + qs(t)
    line("page", "GET", p, browser_headers("page", R(list(UAS)), True, R([None, google_ref(), ORIGIN + R(PATHS), "https://t.co/" + hexid(10), "android-app://com.google.android.gm/"])))
def ga4():
    d = {"v": "2", "tid": "G-" + hexid(10).upper(), "gtm": "45je4bk0v" + num(100, 999), "_p": num(10 ** 12, 10 ** 13), "gcd": "13l3l3l3l1l1", "npa": "0", "dma": "0",
         "cid": num(10 ** 8, 2 ** 31) + "." + num(1700000000, 1764000000), "ul": "en-gb", "sr": R(["1920x1080", "390x844", "2560x1440"]), "uaa": "x86", "uab": "64",
         "uafvl": "Google%20Chrome;131.0.6778.86|Chromium;131.0.6778.86|Not_A%20Brand;24.0.0.0", "uamb": "0", "uam": "", "uap": "Windows", "uapv": "15.0.0", "uaw": "0",
         "are": "1", "frm": "0", "pscdl": "noapi", "_s": num(1, 9), "sid": num(1700000000, 1764000000), "sct": num(1, 40), "seg": "1",
         "dl": ORIGIN + R(PATHS), "dr": R(["", google_ref()]), "dt": R(TITLES), "en": R(["page_view", "scroll", "click", "view_search_results", "add_to_cart", "user_engagement", "form_submit"]), "_et": num(10, 90000), "tfd": num(100, 9000)}
    if d["en"] == "view_search_results": d["ep.search_term"] = R(SEARCH)
    if d["en"] == "click": d.update({"ep.link_url": R(["javascript:void(0)", "javascript:;", "#", "mailto:help@example.com", "tel:+441234567890", "https://twitter.com/example"]), "ep.link_text": R(["Sign in", "Menu ☰", "<< Back", "Add to cart (£59.99)"]), "ep.outbound": "true"})
    if d["en"] == "add_to_cart": d.update({"pr1": "id123~nmMen's \"Trail\" Runner~brExample~caShoes~va10 / Navy~pr59.99~qt1", "cu": "GBP", "epn.value": "59.99"})
    if d["en"] == "form_submit": d.update({"ep.form_id": "", "ep.form_name": "", "ep.form_destination": ORIGIN + "/contact?sent=1", "ep.form_submit_text": "Send message →"})
    path = "/g/collect?" + qs(d)
    line("ga4", "POST", path, browser_headers("beacon", R(list(UAS)), False, ORIGIN + "/"), "", "text/plain;charset=UTF-8")
def ua_collect():
    d = {"v": "1", "_v": "j101", "a": num(10 ** 8, 2 ** 31), "t": R(["pageview", "event", "timing"]), "_s": num(1, 20), "dl": ORIGIN + R(PATHS), "dr": google_ref(), "ul": "en-gb", "de": "UTF-8", "dt": R(TITLES),
         "sd": "24-bit", "sr": "1920x1080", "vp": "1903x937", "je": "0", "ec": R(["Outbound", "Video", "Form"]), "ea": R(["click", "play", "submit"]), "el": R(["https://youtu.be/aqz-KE-bpKQ", "Contact form (footer)", "javascript:void(0);"]),
         "_u": "YADAAEABAAAAAC~", "jid": "", "gjid": "", "cid": num(10 ** 8, 2 ** 31) + "." + num(1700000000, 1764000000), "tid": "UA-" + num(1000000, 99999999) + "-1", "_gid": num(10 ** 8, 2 ** 31) + "." + num(1700000000, 1764000000), "z": num(10 ** 8, 2 ** 31)}
    line("ua", "GET", "/collect?" + qs(d), browser_headers("beacon", R(list(UAS)), False, ORIGIN + "/"))
def pixel():
    k = R(["fb", "bing", "hs", "li", "adobe", "tiktok"])
    if k == "fb":
        d = {"id": num(10 ** 14, 10 ** 15), "ev": R(["PageView", "ViewContent", "Search", "Lead"]), "dl": ORIGIN + R(PATHS), "rl": R(["", google_ref()]), "if": "false", "ts": num(1764000000000, 1764200000000),
             "cd[content_name]": R(TITLES), "cd[search_string]": R(SEARCH), "sw": "1920", "sh": "1080", "v": "2.9.176", "r": "stable", "ec": "0", "o": "4126", "fbp": "fb.1.1764000000000.123456789", "ler": "empty", "cdl": "API_unavailable", "it": num(1764000000000, 1764200000000), "coo": "false", "rqm": "GET"}
        line("fb", "GET", "/tr/?" + qs(d), browser_headers("beacon", R(list(UAS)), False, ORIGIN + "/"))
    elif k == "bing":
        d = {"ti": num(10 ** 6, 10 ** 8), "tm": "gtm002", "Ver": "2", "mid": str(uuid.uuid4()), "sid": hexid(32), "vid": hexid(32), "vids": "1", "msclkid": "N", "pi": "918639831", "lg": "en-GB", "sw": "1920", "sh": "1080", "sc": "24",
             "tl": R(TITLES), "p": ORIGIN + R(PATHS), "r": "", "lt": num(100, 3000), "evt": R(["pageLoad", "custom"]), "sv": "1", "cdb": "AQAQ", "rn": num(100000, 999999)}
        line("bing", "GET", "/action/0?" + qs(d), browser_headers("beacon", R(list(UAS)), False, ORIGIN + "/"))
    elif k == "hs":
        d = {"k": "1", "sd": "1920x1080", "cd": "24-bit", "cs": "UTF-8", "ln": "en-gb", "bfp": num(10 ** 8, 10 ** 9), "v": "1.1", "a": num(10 ** 6, 10 ** 7), "rcu": "https://www.google.com/", "pu": ORIGIN + R(PATHS), "t": R(TITLES), "cts": num(1764000000000, 1764200000000), "vi": hexid(32), "nc": "false", "u": "1.2.3.4.5", "b": "1.2.3.4.5", "cc": "15"}
        line("hs", "GET", "/__ptq.gif?" + qs(d), browser_headers("beacon", R(list(UAS)), False, ORIGIN + "/"))
    elif k == "li":
        d = {"pid": num(10 ** 5, 10 ** 7), "url": ORIGIN + R(PATHS), "time": num(1764000000000, 1764200000000), "liSync": "true", "fmt": "js"}
        line("li", "GET", "/collect/?" + qs(d), browser_headers("beacon", R(list(UAS)), False, ORIGIN + "/"))
    elif k == "adobe":
        d = {"AQB": "1", "ndh": "1", "pf": "1", "t": "26/10/2026 20:45:39 4 0", "mid": num(10 ** 37, 10 ** 38), "aamlh": "6", "ce": "UTF-8", "pageName": "shop:" + R(["pdp", "cart", "search results"]),
             "g": ORIGIN + R(PATHS), "r": google_ref(), "c.": "", "a.": "", "activitymap.": "", "page": "shop:pdp", "link": R(["Add to bag", "Sign in|Register", "<< prev"]), "region": "main-nav", ".activitymap": "", ".a": "", ".c": "",
             "v1": R(SEARCH), "c5": "logged out", "s": "1920x1080", "c": "24", "j": "1.6", "v": "N", "k": "Y", "bw": "1903", "bh": "937", "AQE": "1"}
        line("adobe", "GET", "/b/ss/examplerprod/1/JS-2.22.0-LEWM/s" + num(10 ** 12, 10 ** 13) + "?" + qs(d), browser_headers("beacon", R(list(UAS)), False, ORIGIN + "/"))
    else:
        body = {"event": R(["Pageview", "ClickButton", "ViewContent"]), "event_id": hexid(20), "timestamp": "2026-11-26T20:45:39.000Z", "context": {"page": {"url": ORIGIN + R(PATHS), "referrer": google_ref()}, "user_agent": UAS["chrome"], "ip": "", "library": {"name": "pixel.js", "version": "2.2.1"}},
                "properties": {"content_name": R(TITLES), "query": R(SEARCH), "value": 59.99, "currency": "GBP", "contents": [{"content_id": "123", "content_name": "Men's \"Trail\" Runner", "quantity": 1, "price": 59.99}]}}
        line("tiktok", "POST", "/api/v2/pixel", browser_headers("beacon", R(list(UAS)), False, ORIGIN + "/"), json.dumps(body), "application/json")
def segment():
    ev = lambda: {"type": R(["track", "page", "identify"]), "event": R(["Product Viewed", "Products Searched", "Checkout Step Completed", "Sign In Clicked"]), "properties": {"query": R(SEARCH), "name": "Men's \"Trail\" Runner", "url": ORIGIN + R(PATHS), "title": R(TITLES), "path": R(PATHS).split("?")[0], "search": "?" + qs(R(TRACK)()), "referrer": R(["", google_ref()])},
                  "context": {"page": {"url": ORIGIN + R(PATHS), "title": R(TITLES)}, "userAgent": UAS["chrome"], "locale": "en-GB", "library": {"name": "analytics.js", "version": "next-1.76.0"}, "campaign": R(TRACK)()},
                  "anonymousId": str(uuid.uuid4()), "messageId": "ajs-next-" + hexid(32), "timestamp": "2026-11-26T20:45:39.123Z", "traits": {"email": "o'brien@example.ie", "name": "Seán O'Brien"}}
    k = R(["seg", "amp", "mix", "dd", "nr", "heap"])
    if k == "seg":
        line("segment", "POST", "/v1/" + R(["t", "p", "batch"]), browser_headers("xhr", R(list(UAS)), False, ORIGIN + "/"), json.dumps({"batch": [ev() for _ in range(random.randint(1, 4))], "sentAt": "2026-11-26T20:45:40.000Z", "writeKey": hexid(32)}), "text/plain")
    elif k == "amp":
        events = [{"device_id": str(uuid.uuid4()), "session_id": 1764189000000, "time": 1764189339123, "platform": "Web", "os_name": "Chrome", "os_version": "131", "language": "en-GB", "ip": "$remote", "event_type": R(["[Amplitude] Page Viewed", "search", "[Amplitude] Element Clicked"]), "event_properties": {"[Amplitude] Page URL": ORIGIN + R(PATHS), "[Amplitude] Page Title": R(TITLES), "[Amplitude] Element Text": R(["Sign in", "<< Back", "Add to cart"]), "[Amplitude] Element Selector": "div#root > main > form[action=\"/search\"] > button.btn-primary:nth-child(2)", "query": R(SEARCH)}, "insert_id": str(uuid.uuid4())}]
        line("amplitude", "POST", "/2/httpapi", browser_headers("xhr", R(list(UAS)), False, ORIGIN + "/"), json.dumps({"api_key": hexid(32), "events": events, "options": {}}), "application/json")
    elif k == "mix":
        data = [{"event": R(["$mp_web_page_view", "Search", "Sign Up"]), "properties": {"$os": "Windows", "$browser": "Chrome", "$current_url": ORIGIN + R(PATHS), "$referrer": google_ref(), "$screen_height": 1080, "$screen_width": 1920, "mp_lib": "web", "$lib_version": "2.56.0", "distinct_id": "$device:" + str(uuid.uuid4()), "query": R(SEARCH), "token": hexid(32), "mp_page_title": R(TITLES)}}]
        line("mixpanel", "POST", "/track/?verbose=1&ip=1&_=" + num(1764000000000, 1764200000000), browser_headers("xhr", R(list(UAS)), False, ORIGIN + "/"), "data=" + Q(b64(json.dumps(data))), "application/x-www-form-urlencoded")
    elif k == "dd":
        body = "\n".join(json.dumps({"date": 1764189339123, "application": {"id": str(uuid.uuid4())}, "service": "web-store", "version": "1.42.0", "source": "browser", "session": {"id": str(uuid.uuid4()), "type": "user"}, "view": {"id": str(uuid.uuid4()), "url": ORIGIN + R(PATHS), "referrer": google_ref(), "name": R(PATHS).split("?")[0]},
                                    "type": R(["view", "action", "resource", "error"]), "action": {"type": "click", "target": {"name": R(["Sign in", "Remove item ✕", "Select size: 10"])}}, "resource": {"type": "fetch", "url": ORIGIN + "/api/search?q=" + Q(R(SEARCH)), "method": "GET", "status_code": 200, "duration": 123000000},
                                    "error": {"message": R(["Uncaught TypeError: Cannot read properties of null (reading 'addEventListener')", "Script error.", "ResizeObserver loop completed with undelivered notifications."]), "source": "source", "stack": "TypeError: Cannot read properties of null (reading 'addEventListener')\n    at HTMLDocument.<anonymous> (" + ORIGIN + "/_next/static/chunks/pages/_app-" + hexid(16) + ".js:1:23456)"},
                                    "_dd": {"format_version": 2, "drift": 0}}) for _ in range(random.randint(1, 3)))
        line("rum", "POST", "/api/v2/rum?ddsource=browser&ddtags=" + Q("sdk_version:5.30.1,api:fetch,env:prod,service:web-store,version:1.42.0") + "&dd-api-key=pub" + hexid(32) + "&dd-evp-origin-version=5.30.1&dd-evp-origin=browser&dd-request-id=" + str(uuid.uuid4()), browser_headers("beacon", R(list(UAS)), False, ORIGIN + "/"), body, "text/plain;charset=UTF-8")
    elif k == "nr":
        d = {"a": num(10 ** 8, 10 ** 9), "sa": "1", "v": "1.271.0", "t": "Unnamed Transaction", "rst": num(1000, 90000), "ck": "0", "s": hexid(16), "ref": ORIGIN + R(PATHS).split("?")[0], "ptid": hexid(16)}
        body = json.dumps({"err": [{"params": {"stackHash": num(10 ** 8, 10 ** 9), "exceptionClass": "TypeError", "request_uri": R(PATHS).split("?")[0], "message": "Cannot read properties of undefined (reading 'length')", "stack_trace": "TypeError: Cannot read properties of undefined (reading 'length')\n    at e.render (" + ORIGIN + "/static/js/main.3f2a1b.js:2:41822)\n    at Array.map (<anonymous>)"}, "metrics": {"count": 1}}]})
        line("nr", "POST", "/jserrors/1/NRJS-" + hexid(20) + "?" + qs(d), browser_headers("beacon", R(list(UAS)), False, ORIGIN + "/"), body, "text/plain")
    else:
        d = {"a": num(10 ** 8, 10 ** 9), "u": num(10 ** 15, 10 ** 16), "v": num(10 ** 15, 10 ** 16), "s": num(10 ** 15, 10 ** 16), "b": "web", "tv": "4.0", "z": "0", "h": R(PATHS).split("?")[0], "d": site, "t": R(TITLES), "k0": "click", "n0": "button", "c0": R(["btn btn-primary", "nav__link nav__link--active"]), "x0": R(["Add to cart", "Sign in", "Search"]), "y0": "@button;.btn.btn-primary;|@form;#search-form;[action=/search];|@div;.header;|", "st": num(1764000000000, 1764200000000)}
        line("heap", "GET", "/h?" + qs(d), browser_headers("beacon", R(list(UAS)), False, ORIGIN + "/"))
CSS = [".form-select{background-image:url(\"data:image/svg+xml,%3csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3e%3cpath fill='none' stroke='%23343a40' stroke-linecap='round' stroke-linejoin='round' stroke-width='2' d='m2 5 6 6 6-6'/%3e%3c/svg%3e\");background-repeat:no-repeat}",
       "@import url(\"https://fonts.googleapis.com/css2?family=Inter:wght@400;600&display=swap\");:root{--bs-font-sans-serif:'Inter',system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial}",
       ".btn-gradient:hover{filter:progid:DXImageTransform.Microsoft.gradient(startColorstr='#80000000',endColorstr='#80000000')}",
       ".icon-close{background:url(data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAAGXRFWHRTb2Z0d2FyZQ) no-repeat center/16px}",
       "@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}.sr-only:not(:focus){clip:rect(0 0 0 0);clip-path:inset(50%)}"]
def replay():
    # rrweb full snapshot: the DOM as JSON (inline script bodies are replaced, attributes kept).
    nid = [0]
    def node(tag, attrs, kids=()):
        nid[0] += 1; return {"type": 2, "tagName": tag, "attributes": attrs, "childNodes": list(kids), "id": nid[0]}
    def text(t):
        nid[0] += 1; return {"type": 3, "textContent": t, "id": nid[0]}
    body = node("body", {"class": "page-template"}, [
        node("a", {"href": R(["javascript:void(0)", "javascript:;", "#", "/cart"]), "class": "nav-toggle", "onclick": R(["return false;", "toggleMenu(this); return false;", "window.history.back()", "this.classList.toggle('open');return false;", "el.value=null;el.focus()"])}, [text("Menu")]),
        node("link", {"rel": "preload", "as": "style", "href": "/css/main.css", "onload": R(["this.onload=null;this.rel='stylesheet'", "this.media='all'"])}),
        node("form", {"action": "/search", "method": "get", "onsubmit": "return validate(this)"}, [node("input", {"type": "search", "name": "q", "value": R(SEARCH), "placeholder": "Search products…"})]),
        node("script", {"src": "https://www.googletagmanager.com/gtm.js?id=GTM-" + hexid(6).upper(), "async": ""}),
        node("script", {"type": "application/ld+json"}, [text("SCRIPT_PLACEHOLDER")]),
        node("style", {}, [text(R(CSS))]),
        node("img", {"src": "/img/hero.webp", "alt": R(TITLES), "onerror": R(["this.onerror=null;this.src='/img/fallback.png'", "this.onerror=null;this.src='data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7'"]), "loading": "lazy"}),
        node("p", {}, [text(R(["Free delivery on orders over £50 — T&Cs apply.", "Use code <WELCOME10> at checkout!", "\"Best shoes I've owned\" – Runner's World"]))])])
    events = [{"type": 4, "data": {"href": ORIGIN + R(PATHS), "width": 1903, "height": 937}, "timestamp": 1764189339123}, {"type": 2, "data": {"node": {"type": 0, "childNodes": [{"type": 1, "name": "html", "publicId": "", "systemId": "", "id": 1}, node("html", {"lang": "en"}, [node("head", {}, [node("title", {}, [text(R(TITLES))])]), body])], "id": 0}, "initialOffset": {"left": 0, "top": 0}}, "timestamp": 1764189339130},
              {"type": 3, "data": {"source": 5, "text": R(SEARCH), "isChecked": False, "id": 7}, "timestamp": 1764189341000}]
    line("replay", "POST", "/api/replay/" + str(uuid.uuid4()) + "/events", browser_headers("xhr", R(list(UAS)), False, ORIGIN + "/"), json.dumps({"events": events, "sessionId": str(uuid.uuid4())}), "application/json")
def reports():
    k = R(["csp", "csp", "nel", "err"])
    if k == "csp":
        r = {"csp-report": {"document-uri": ORIGIN + R(PATHS), "referrer": R(["", "https://www.google.com/"]), "violated-directive": R(["script-src-elem", "style-src-attr", "img-src", "script-src-attr"]), "effective-directive": "script-src-elem", "original-policy": "default-src 'self'; script-src 'self' 'nonce-" + b64(hexid(12)) + "' https://www.googletagmanager.com; img-src 'self' data: https:; report-uri /csp-report",
                             "disposition": R(["enforce", "report"]), "blocked-uri": R(["inline", "eval", "https://connect.facebook.net/en_US/fbevents.js", "chrome-extension", "data"]), "line-number": random.randint(1, 300), "column-number": random.randint(1, 80), "source-file": ORIGIN + "/", "status-code": 200,
                             "script-sample": R(["", "window.dataLayer = window.dataLayer || [];\nfunction gtag(){dataLayer.push(arguments);}", "(function(w,d,s,l,i){w[l]=w[l]||[];w[l].push({'gtm.start':", "document.getElementById('menu').onclick=function(){", "onclick attribute", "color: red; font-weight: bold"])}}
        line("csp", "POST", "/csp-report", browser_headers("report", R(list(UAS)), False), json.dumps(r), "application/csp-report")
    elif k == "nel":
        r = [{"age": random.randint(0, 60000), "body": {"elapsed_time": 143, "method": "GET", "phase": "connection", "protocol": "h2", "referrer": ORIGIN + "/", "sampling_fraction": 1.0, "server_ip": "", "status_code": 0, "type": "tcp.timed_out"}, "type": "network-error", "url": ORIGIN + R(PATHS), "user_agent": UAS["chrome"]},
             {"age": 10, "body": {"columnNumber": 12, "id": "UnloadHandler", "lineNumber": 345, "message": "Unload event listeners are deprecated and will be removed.", "sourceFile": ORIGIN + "/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"}, "type": "deprecation", "url": ORIGIN + "/", "user_agent": UAS["chrome"]}]
        line("nel", "POST", "/reports", browser_headers("report", "chrome", False), json.dumps(r), "application/reports+json")
    else:
        r = {"message": R(["Uncaught SyntaxError: Unexpected token '<'", "Uncaught ReferenceError: jQuery is not defined", "Uncaught TypeError: $(...).slick is not a function", "Uncaught (in promise) DOMException: The play() request was interrupted by a call to pause()."]),
             "source": ORIGIN + "/wp-content/themes/storefront/assets/js/main.js?ver=4.6.0", "lineno": random.randint(1, 500), "colno": random.randint(1, 80), "url": ORIGIN + R(PATHS), "ua": UAS["firefox"],
             "stack": "@" + ORIGIN + "/wp-content/themes/storefront/assets/js/main.js?ver=4.6.0:12:5\njQuery(document).ready@" + ORIGIN + "/wp-content/themes/storefront/assets/js/main.js?ver=4.6.0:3:1"}
        line("jserr", "POST", "/api/log/js-error", browser_headers("xhr", "firefox", False, ORIGIN + "/"), json.dumps(r), "application/json")
def PW():
    # password-manager passwords: LastPass/Bitwarden/1Password with every symbol allowed
    sym = R(["!@#$%^&*", "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", "-_.:!", "!@#$%^&*()_+-=[]{};:'\",.<>/?|\\`~"])
    alpha = string.ascii_letters + string.digits
    return "".join(R(alpha if random.random() < 0.7 else sym) for _ in range(random.randint(12, 32)))
def forms():
    k = R(["login", "login", "signup", "contact", "newsletter", "reset"])
    ref = ORIGIN + R(["/account/login", "/signin?return_to=%2Fcart", "/contact", "/register"])
    if k == "login":
        d = {"authenticity_token": b64(hexid(48)), "email": R(["sean.obrien@example.ie", "o'neil@example.com", "anne-marie+shop@example.co.uk"]), "password": PW(), "remember_me": "1", "return_to": "/cart"}
    elif k == "signup":
        d = {"first_name": R(["Seán", "D'Arcy", "Zoë", "Jean-Luc", "Null"]), "last_name": R(["O'Brien", "Smith-Jones", "Núñez", "Select"]), "email": "x" + num(1, 99999) + "@example.com", "password": PW(), "password_confirmation": "same", "accepts_marketing": "on", "g-recaptcha-response": "03AFcWeA" + "".join(R(string.ascii_letters + string.digits + "-_") for _ in range(400))}
        d["password_confirmation"] = d["password"]
    elif k == "contact":
        d = {"name": R(["Seán O'Brien", "Bill \"The Kid\" Smith"]), "email": "a@example.com", "subject": R(["Order #1234 — wrong size", "Re: Re: refund?", "Partnership / wholesale"]),
             "message": R(["Hi,\r\nI ordered size 10 but got a 9 :( Can you swap it?\r\n\r\nThanks!", "Your site says \"free returns\" but I was charged £4.95 -- why?", "When I click 'Pay' nothing happens (Chrome 131, Windows 11). Console says: Uncaught TypeError: Cannot read properties of null (reading 'submit')", "Do you ship to N. Ireland & the Channel Islands?\r\nAlso: is the 2\" heel version back in stock?"]),
             "_wpcf7": num(1, 999), "_wpcf7_version": "5.9.8", "_wpcf7_locale": "en_GB", "_wpcf7_unit_tag": "wpcf7-f" + num(1, 999) + "-p" + num(1, 999) + "-o1", "_wpcf7_container_post": num(1, 999)}
    elif k == "newsletter":
        d = {"EMAIL": "sean.obrien@example.ie", "FNAME": "Seán", "b_" + hexid(25) + "_" + hexid(10): "", "u": hexid(25), "id": hexid(10)}
    else:
        d = {"user[email]": "anne-marie+shop@example.co.uk", "user[reset_password_token]": "".join(R(string.ascii_letters + string.digits + "-_") for _ in range(20)), "user[password]": PW(), "commit": "Change my password"}
    line(k, "POST", R(["/account/login", "/users/sign_in", "/contact", "/wp-json/contact-form-7/v1/contact-forms/123/feedback", "/subscribe/post", "/users/password"]), browser_headers("form", R(list(UAS)), True, ref), qs(d), "application/x-www-form-urlencoded")
def sso():
    k = R(["oauth", "saml-req", "saml-resp", "oidc-cb"])
    if k == "oauth":
        d = {"response_type": "code", "client_id": hexid(24), "redirect_uri": ORIGIN + "/auth/callback", "scope": "openid profile email offline_access", "state": b64(json.dumps({"returnTo": "/account?tab=orders&sort=-date", "nonce": hexid(16)})), "nonce": hexid(16), "code_challenge": b64(hexid(32)).rstrip("=").replace("+", "-"), "code_challenge_method": "S256", "prompt": R(["login", "consent", "select_account"])}
        line("oauth", "GET", "/oauth2/authorize?" + qs(d), browser_headers("page", R(list(UAS)), True, ORIGIN + "/"))
    elif k == "oidc-cb":
        d = {"code": "".join(R(string.ascii_letters + string.digits + "-_.") for _ in range(60)), "state": b64(json.dumps({"returnTo": "/account?tab=orders", "nonce": hexid(16)})), "scope": "email profile openid https://www.googleapis.com/auth/userinfo.email", "authuser": "0", "prompt": "none"}
        line("oidc", "GET", "/auth/callback?" + qs(d), browser_headers("page", R(list(UAS)), True, "https://accounts.google.com/"))
    else:
        iid = "_" + hexid(40)
        xml = (f'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{iid}" Version="2.0" IssueInstant="2026-11-26T20:45:39Z" Destination="{ORIGIN}/saml/acs" InResponseTo="_{hexid(32)}">'
               f'<saml:Issuer>http://www.okta.com/exk{hexid(17)}</saml:Issuer><samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
               f'<saml:Assertion ID="_{hexid(40)}" IssueInstant="2026-11-26T20:45:39Z" Version="2.0"><saml:Issuer>http://www.okta.com/exk{hexid(17)}</saml:Issuer>'
               f'<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo><ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/><ds:SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><ds:Reference URI="#_{hexid(40)}"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></ds:Transforms><ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue>{b64(hexid(32))}</ds:DigestValue></ds:Reference></ds:SignedInfo><ds:SignatureValue>{b64(hexid(190))}</ds:SignatureValue></ds:Signature>'
               f'<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">sean.obrien@example.ie</saml:NameID></saml:Subject>'
               f'<saml:AttributeStatement><saml:Attribute Name="displayName"><saml:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="xs:string">Seán O\'Brien</saml:AttributeValue></saml:Attribute>'
               f'<saml:Attribute Name="groups"><saml:AttributeValue>Admins &amp; Ops</saml:AttributeValue><saml:AttributeValue>Everyone</saml:AttributeValue></saml:Attribute></saml:AttributeStatement></saml:Assertion></samlp:Response>')
        if k == "saml-resp":
            line("saml", "POST", "/saml/acs", browser_headers("form", R(list(UAS)), True, "https://example.okta.com/"), qs({"SAMLResponse": b64(xml), "RelayState": ORIGIN + "/admin?tab=users"}), "application/x-www-form-urlencoded")
        else:
            req = f'<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_{hexid(32)}" Version="2.0" IssueInstant="2026-11-26T20:45:39Z" AssertionConsumerServiceURL="{ORIGIN}/saml/acs"><saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">{ORIGIN}/saml/metadata</saml:Issuer></samlp:AuthnRequest>'
            line("samlreq", "GET", "/app/example/sso/saml?" + qs({"SAMLRequest": b64(req), "RelayState": "/dashboard?view=all"}), browser_headers("page", R(list(UAS)), True, ORIGIN + "/"))
def assets():
    k = R(["next", "wp", "img", "font", "rsc", "ajax", "gql"])
    if k == "next":
        p = R(["/_next/static/chunks/pages/_app-" + hexid(16) + ".js", "/_next/static/css/" + hexid(16) + ".css", "/_next/data/" + hexid(21) + "/en-GB/products/trail-runner-2.json?slug=trail-runner-2", "/_next/image?url=" + Q("/images/hero.png", safe="") + "&w=1920&q=75", "/_next/image?url=" + Q("https://images.ctfassets.net/abc123/xyz/hero.jpg?fm=webp", safe="") + "&w=828&q=75"])
        line("next", "GET", p, browser_headers("asset", R(list(UAS)), False, ORIGIN + "/"))
    elif k == "wp":
        p = R(["/wp-content/themes/storefront/style.css?ver=4.6.0", "/wp-includes/js/jquery/jquery.min.js?ver=3.7.1", "/wp-content/plugins/woocommerce/assets/js/frontend/cart-fragments.min.js?ver=9.4.2", "/wp-content/uploads/2026/11/hero-1920x1080.jpg", "/?wc-ajax=get_refreshed_fragments", "/wp-json/wp/v2/posts?_embed&per_page=10&search=" + Q(R(SEARCH)), "/xmlrpc.php?rsd", "/feed/", "/wp-json/oembed/1.0/embed?url=" + Q(ORIGIN + "/blog/why-we-moved-to-postgres/", safe="")])
        line("wp", "GET", p, browser_headers("asset", R(list(UAS)), False, ORIGIN + "/"))
    elif k == "img":
        p = R(["/cdn-cgi/image/width=800,quality=75,format=auto/uploads/hero.jpg", "/images/hero.jpg?auto=format,compress&fit=crop&crop=faces,entropy&w=800&h=600&q=80&dpr=2", "/image/upload/c_fill,g_auto,w_800,h_600,q_auto,f_auto/v1700000000/products/shoe.jpg", "/media/catalog/product/cache/1/image/700x700/9df78eab33525d08d6e5fb8d27136e95/s/h/shoe.jpg", "/.netlify/images?url=/img/a.jpg&w=400&fm=avif", "/s/files/1/0555/5555/products/shoe.jpg?v=1712000000&width=1100"])
        line("img", "GET", p, browser_headers("asset", R(list(UAS)), False, ORIGIN + "/"))
    elif k == "font":
        p = R(["/css2?family=Roboto:ital,wght@0,400;0,700;1,400&family=Open+Sans:wght@300..800&display=swap", "/css?family=Lato:400,700|Merriweather:400italic&subset=latin,latin-ext", "/icon?family=Material+Icons+Outlined", "/s/roboto/v32/KFOmCnqEu92Fr1Mu4mxK.woff2"])
        line("font", "GET", p, browser_headers("asset", R(list(UAS)), False, ORIGIN + "/"))
    elif k == "rsc":
        h = browser_headers("xhr", "chrome", False, ORIGIN + "/products")
        h += [["RSC", "1"], ["Next-Router-State-Tree", Q(json.dumps(["", {"children": ["(shop)", {"children": ["products", {"children": [["slug", "trail-runner-2", "d"], {"children": ["__PAGE__", {}, None, None]}, None, None]}, None, None]}, None, None]}, None, None, True]), safe="")], ["Next-Url", "/products/trail-runner-2"]]
        if random.random() < 0.5:
            line("rsc", "GET", R(PATHS).split("?")[0] + "?_rsc=" + "".join(R(string.ascii_lowercase + string.digits) for _ in range(5)), h)
        else:
            h += [["Next-Action", hexid(40)]]
            line("action", "POST", "/products/trail-runner-2", h, json.dumps([{"productId": "123", "variant": "10 / Navy", "note": R(["", "gift -- no receipt please", "Leave at door; code #1234"])}, "$undefined"]), "text/plain;charset=UTF-8")
    elif k == "ajax":
        d = R([{"action": "heartbeat", "_nonce": hexid(10), "data[wp-refresh-post-lock][post_id]": "123", "data[wp-refresh-post-lock][lock]": "1764189000:1", "interval": "60", "_locked": "1764189000:1", "screen_id": "post", "has_focus": "false"},
               {"action": "woocommerce_add_to_cart", "product_id": "123", "quantity": "1", "variation_id": "456", "attribute_pa_size": "10", "attribute_pa_colour": "navy-blue"},
               {"action": "elementor_ajax", "_nonce": hexid(10), "actions": json.dumps({"save_builder": {"action": "save_builder", "data": {"status": "draft", "elements": [{"id": hexid(7), "elType": "widget", "widgetType": "html", "settings": {"html": "<div class=\"promo\"><a href=\"/sale\" onclick=\"gtag('event','promo_click')\">Sale – up to 50% off</a></div>"}}]}}}), "editor_post_id": "123"},
               {"action": "query-attachments", "post_id": "0", "query[orderby]": "date", "query[order]": "DESC", "query[posts_per_page]": "80", "query[paged]": "1", "query[s]": R(SEARCH)}])
        line("ajax", "POST", "/wp-admin/admin-ajax.php", browser_headers("xhr", R(list(UAS)), False, ORIGIN + "/wp-admin/post.php?post=123&action=edit"), qs(d), "application/x-www-form-urlencoded; charset=UTF-8")
    else:
        body = {"query": "query predictiveSearch($query: String!, $limit: Int) {\n  predictiveSearch(query: $query, limit: $limit, types: [PRODUCT, COLLECTION]) {\n    products { id title handle featuredImage { url altText } priceRange { minVariantPrice { amount currencyCode } } }\n  }\n}", "variables": {"query": R(SEARCH), "limit": 6}, "operationName": "predictiveSearch"}
        line("gql", "POST", "/api/2024-10/graphql.json", browser_headers("xhr", R(list(UAS)), False, ORIGIN + "/"), json.dumps(body), "application/json")
KINDS = [(page, 25), (ga4, 12), (ua_collect, 4), (pixel, 10), (segment, 10), (replay, 4), (reports, 5), (forms, 12), (sso, 5), (assets, 13)]
pool = [f for f, w in KINDS for _ in range(w)]
while n < N: R(pool)()
