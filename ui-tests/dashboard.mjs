// End-to-end test of the dashboard in a real headless Chromium (Debian's), against
// `palisade demo` with generated attack traffic. Run by crates/cli/tests/dashboard.rs:
//   node ui-tests/dashboard.mjs PALISADE_BINARY ARTIFACT_DIR
// Every step drives the UI the way an analyst would; its effects are checked on the proxy
// itself (a blocked actor's next request refused, a policy in monitor mode letting through).
import { chromium } from "playwright-core";
import { spawn } from "node:child_process";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import assert from "node:assert/strict";

const [bin, artifacts] = process.argv.slice(2);
fs.mkdirSync(artifacts, { recursive: true });

function startDemo() {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, ["demo", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0"], {
      env: { ...process.env, PALISADE_LOG: "warn" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    const timeout = setTimeout(() => reject(new Error("demo did not start:\n" + out)), 30000);
    child.stdout.on("data", (d) => {
      out += d;
      const m = out.match(/proxy=(\S+) admin=(\S+)/);
      const t = out.match(/token: (\S+)/);
      if (m && t) { clearTimeout(timeout); resolve({ child, proxy: m[1], admin: m[2], token: t[1] }); }
    });
    child.on("exit", (c) => reject(new Error(`demo exited ${c}:\n${out}`)));
  });
}

// One request from a chosen loopback source address; resolves to the status.
function send(proxy, { from = "127.0.0.1", method = "GET", path: p, body, headers = {} }) {
  const [host, port] = proxy.split(":");
  return new Promise((resolve, reject) => {
    const req = http.request({ host, port, method, path: p, localAddress: from,
      headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/125.0", accept: "application/json", ...(body ? { "content-type": "application/json" } : {}), ...headers } },
    (res) => { res.resume(); res.on("end", () => resolve(res.statusCode)); });
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

const SQLI = "/api/products?q=%27%20OR%201%3D1--";
const step = (s) => console.log("step:", s);

const demo = await startDemo();
let browser;
try {
  step("generate traffic: shoppers, SQL injection from 127.0.0.5, failed logins, a stuffing tool");
  for (let i = 0; i < 40; i++) await send(demo.proxy, { path: `/api/products?q=shoes&page=${1 + (i % 3)}` });
  for (let i = 0; i < 4; i++) assert.equal(await send(demo.proxy, { from: "127.0.0.5", path: SQLI }), 403);
  for (let i = 0; i < 6; i++) await send(demo.proxy, { from: "127.0.0.7", method: "POST", path: "/api/login", body: JSON.stringify({ username: "alice", password: "guess" + i }) });
  await send(demo.proxy, { from: "127.0.0.8", method: "POST", path: "/api/login", body: '{"username":"bob","password":"x"}', headers: { "user-agent": "OpenBullet2/0.3" } });
  for (let i = 0; i < 3; i++) await send(demo.proxy, { path: `/api/accounts/${3 + i * 17}/transactions` });
  // The event writer flushes in batches; give it a moment.
  await new Promise((r) => setTimeout(r, 1500));

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  const ui = `http://${demo.admin}/ui/`;

  step("a wrong token is refused, the right one signs in");
  await page.goto(ui);
  await page.fill("#token", "not-the-token");
  await page.click("button[type=submit]");
  await page.waitForSelector("#login-error:not([hidden])");
  await page.fill("#token", demo.token);
  await page.click("button[type=submit]");

  step("overview: charts render with non-zero data");
  await page.waitForSelector("#traffic-chart svg polyline");
  const requests = Number((await page.textContent("#kpi-requests")).replace(/\D/g, ""));
  const mitigated = Number((await page.textContent("#kpi-mitigated")).replace(/\D/g, ""));
  assert.ok(requests >= 50, `requests shown: ${requests}`);
  assert.ok(mitigated >= 5, `mitigations shown: ${mitigated}`);
  assert.ok(Number(await page.getAttribute("#traffic-chart svg", "data-max")) >= 1);
  assert.match(await page.textContent("#categories-chart"), /sqli/);
  assert.match(await page.textContent("#actions-chart"), /block/);
  for (const w of ["1h", "24h", "7d", "15m"]) {
    await page.click(`[data-w="${w}"]`);
    await page.waitForSelector(`[data-w="${w}"].on`);
  }
  await page.waitForSelector("#traffic-chart svg polyline");
  await page.screenshot({ path: path.join(artifacts, "overview.png"), fullPage: true });

  step("events: filter, open a blocked SQL injection, see its explanation and evidence");
  await page.goto(ui + "#/events");
  await page.selectOption("#f-since", "15m");
  await page.selectOption("#f-category", "sqli");
  await page.waitForSelector("#events-table tr[data-id]");
  await page.click("#events-table tr[data-id] >> nth=0");
  await page.waitForSelector("#event-detail");
  const detail = await page.textContent("#event-detail");
  assert.match(detail, /web-sqli/);
  assert.match(detail, /Why/);
  assert.match(detail, /sqli/);
  assert.match(detail, /q=\*\*\*/, "query values are masked in the event");
  await page.screenshot({ path: path.join(artifacts, "event.png"), fullPage: true });

  step("actors: the attacker is ranked; block it and its next request is refused");
  await page.goto(ui + "#/actors");
  await page.waitForSelector('#actors-table tr[data-actor="ip:127.0.0.5"]');
  await page.click('#actors-table tr[data-actor="ip:127.0.0.5"]');
  await page.waitForSelector("#actor-detail #timeline");
  assert.match(await page.textContent("#timeline"), /policy:web-sqli/);
  assert.equal(await send(demo.proxy, { from: "127.0.0.5", path: "/api/products?q=socks" }), 200);
  await page.click("#block");
  await page.waitForSelector("#mark-blocked");
  await page.screenshot({ path: path.join(artifacts, "actor.png"), fullPage: true });
  assert.equal(await send(demo.proxy, { from: "127.0.0.5", path: "/api/products?q=socks" }), 403);
  await page.click("#unblock");
  await page.waitForSelector("#actor-detail");
  await page.waitForFunction(() => !document.querySelector("#mark-blocked"));
  assert.equal(await send(demo.proxy, { from: "127.0.0.5", path: "/api/products?q=socks" }), 200);

  step("policies: switch web-sqli to monitor and it stops blocking; back to enforce");
  await page.goto(ui + "#/policies");
  await page.fill("#f-pol", "web-sqli");
  await page.press("#f-pol", "Enter");
  await page.waitForSelector('#policies-table tr[data-policy="web-sqli"] button[data-to="monitor"]');
  await page.waitForSelector('#policies-table tr[data-policy="web-sqli"] svg.spark polyline');
  await page.click('#policies-table tr[data-policy="web-sqli"] button[data-to="monitor"]');
  await page.waitForSelector('#policies-table tr[data-policy="web-sqli"] button[data-to="enforce"]');
  assert.equal(await send(demo.proxy, { from: "127.0.0.6", path: SQLI }), 200);
  await page.screenshot({ path: path.join(artifacts, "policies.png"), fullPage: true });
  await page.click('#policies-table tr[data-policy="web-sqli"] button[data-to="enforce"]');
  await page.waitForSelector('#policies-table tr[data-policy="web-sqli"] button[data-to="monitor"]');
  assert.equal(await send(demo.proxy, { from: "127.0.0.6", path: SQLI }), 403);

  step("API inventory: endpoints with sensitive data returned");
  await page.goto(ui + "#/endpoints");
  await page.waitForSelector("#endpoints-table");
  const inv = await page.textContent("#endpoints-table");
  assert.match(inv, /GET \/api\/accounts\/\{id\}\/transactions/);
  assert.match(inv, /GET \/api\/products/);
  await page.screenshot({ path: path.join(artifacts, "endpoints.png"), fullPage: true });

  step("one-click exception from an event: the same attack on that endpoint now passes");
  await page.goto(ui + "#/events");
  await page.selectOption("#f-category", "sqli");
  await page.waitForSelector("#events-table tr[data-id]");
  await page.click("#events-table tr[data-id] >> nth=0");
  await page.click("#make-exception");
  await page.waitForFunction(() => /Exception|refused|policy/.test(document.querySelector("#toast").textContent) && document.querySelector("#toast").textContent.startsWith("Exception"), null, { timeout: 10000 })
    .catch(async () => assert.fail("no exception toast: " + (await page.textContent("#toast"))));
  assert.match(await page.textContent("#toast"), /Exception exception-web-sqli-/);
  assert.equal(await send(demo.proxy, { from: "127.0.0.9", path: SQLI }), 200);
  assert.equal(await send(demo.proxy, { from: "127.0.0.9", path: "/api/accounts/1/transactions?x=%27%20OR%201%3D1--" }), 403);

  assert.deepEqual(errors, [], "no script errors in the page");
  console.log("dashboard: all steps passed; screenshots in", artifacts);
} finally {
  if (browser) await browser.close();
  demo.child.kill("SIGTERM");
}
