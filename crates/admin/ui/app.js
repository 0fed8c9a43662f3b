// Palisade dashboard: a small single-page app over the admin API. Every action goes
// through the same documented, token-protected endpoints the CLI and scripts use.
"use strict";

const $ = (sel, el = document) => el.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
const fmtTime = (ms) => new Date(ms).toLocaleString();
const fmtNum = (n) => Number(n || 0).toLocaleString();
let timer = null;
let windowSel = "15m";

function token() { return sessionStorage.getItem("palisade-token"); }

async function api(path, opts = {}) {
  const headers = Object.assign({ authorization: "Bearer " + token() }, opts.body ? { "content-type": "application/json" } : {});
  const r = await fetch(path, Object.assign({}, opts, { headers }));
  if (r.status === 401) { signOut(); throw new Error("signed out: the token was refused"); }
  const text = await r.text();
  const data = text ? JSON.parse(text) : {};
  if (!r.ok) throw new Error(data.detail || data.title || r.statusText);
  return data;
}

function toast(msg) {
  const t = $("#toast"); t.textContent = msg; t.hidden = false;
  clearTimeout(toast.t); toast.t = setTimeout(() => (t.hidden = true), 3000);
}

function signOut() {
  sessionStorage.removeItem("palisade-token");
  location.hash = "";
  location.reload();
}

// ---------- charts (SVG, no library) ----------
function lineChart(series, opts) {
  const W = 640, H = 180, P = 30;
  const n = Math.max(1, series[0].values.length - 1);
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const x = (i) => P + (i * (W - P - 8)) / n;
  const y = (v) => H - P + 4 - (v * (H - P - 8)) / max;
  let out = `<svg viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${esc(opts.label)}" class="chart" data-max="${max}">`;
  for (let g = 0; g <= 4; g++) {
    const v = (max * g) / 4;
    out += `<line x1="${P}" x2="${W}" y1="${y(v)}" y2="${y(v)}" stroke="#2a3440"/><text x="2" y="${y(v) + 4}">${Math.round(v)}</text>`;
  }
  for (const s of series) {
    const pts = s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ");
    out += `<polyline fill="none" stroke="${s.color}" stroke-width="2" points="${pts}"/>`;
  }
  if (opts.labels) {
    const step = Math.max(1, Math.floor(opts.labels.length / 6));
    opts.labels.forEach((l, i) => { if (i % step === 0 && x(i) < W - 50) out += `<text x="${x(i) - 14}" y="${H - 6}">${esc(l)}</text>`; });
  }
  out += "</svg>";
  const legend = series.map((s) => `<span><i style="background:${s.color}"></i>${esc(s.name)}</span>`).join("");
  return out + `<div class="legend">${legend}</div>`;
}

function bars(entries, unit) {
  const max = Math.max(1, ...entries.map((e) => e[1]));
  if (!entries.length) return `<p class="muted">Nothing yet.</p>`;
  return `<table>${entries.map(([k, v]) => `<tr><td style="width:40%">${esc(k)}</td><td><div class="bar" style="width:${(100 * v) / max}%"></div></td><td style="width:70px;text-align:right">${fmtNum(v)} ${unit || ""}</td></tr>`).join("")}</table>`;
}

// ---------- pages ----------
const pages = {
  async overview(main) {
    const [stats, actors, endpoints] = await Promise.all([
      api(`/api/stats?window=${windowSel}`), api("/api/actors?level=low&limit=8"), api("/api/endpoints"),
    ]);
    const pts = stats.points;
    const sum = (f) => pts.reduce((a, p) => a + f(p), 0);
    const actions = {}, cats = {};
    for (const p of pts) {
      for (const [k, v] of Object.entries(p.by_action)) actions[k] = (actions[k] || 0) + v;
      for (const [k, v] of Object.entries(p.by_category)) cats[k] = (cats[k] || 0) + v;
    }
    const labels = pts.map((p) => new Date(p.t).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }));
    const topEndpoints = endpoints.endpoints.filter((e) => e.attacks > 0).sort((a, b) => b.attacks - a.attacks).slice(0, 8);
    main.innerHTML = `
      <div class="filters windows">${["15m", "1h", "24h", "7d"].map((w) => `<button data-w="${w}" class="${w === windowSel ? "on" : ""}">${w}</button>`).join("")}
        <span class="muted">updates every 5 s</span></div>
      <div class="kpis">
        <div class="card kpi"><div class="v" id="kpi-requests">${fmtNum(sum((p) => p.requests))}</div><div class="l">requests</div></div>
        <div class="card kpi"><div class="v" id="kpi-mitigated">${fmtNum(sum((p) => p.mitigated))}</div><div class="l">mitigated</div></div>
        <div class="card kpi"><div class="v">${fmtNum(Object.values(cats).reduce((a, b) => a + b, 0))}</div><div class="l">detections</div></div>
        <div class="card kpi"><div class="v">${fmtNum(actors.count)}</div><div class="l">actors with a threat level</div></div>
      </div>
      <div class="card" id="traffic-chart"><h2>Requests and mitigations</h2>${lineChart([
        { name: "requests", color: "#4aa3ff", values: pts.map((p) => p.requests) },
        { name: "mitigated", color: "#ff6b6b", values: pts.map((p) => p.mitigated) },
      ], { label: "requests and mitigations over time", labels })}</div>
      <div class="grid">
        <div class="card" id="actions-chart"><h2>Mitigations by action</h2>${bars(Object.entries(actions).filter(([k, v]) => v > 0 && k !== "allow" && k !== "log").sort((a, b) => b[1] - a[1]))}</div>
        <div class="card" id="categories-chart"><h2>Detections by category</h2>${bars(Object.entries(cats).sort((a, b) => b[1] - a[1]))}</div>
        <div class="card"><h2>Most attacked endpoints</h2>${bars(topEndpoints.map((e) => [e.endpoint, e.attacks]), "attacks")}</div>
        <div class="card"><h2>Top actors</h2><table>${actors.actors.map((a) => `<tr class="row" data-actor="${esc(a.key)}"><td class="mono">${esc(a.key)}</td><td><span class="tag ${a.level}">${a.level}</span></td><td>${Number(a.score).toFixed(1)}</td><td>${a.blocked ? '<span class="tag block">blocked</span>' : ""}</td></tr>`).join("") || '<tr><td class="muted">No actor has a threat level.</td></tr>'}</table></div>
      </div>`;
    main.querySelectorAll("[data-w]").forEach((b) => b.addEventListener("click", () => { windowSel = b.dataset.w; route(); }));
    main.querySelectorAll("[data-actor]").forEach((r) => r.addEventListener("click", () => (location.hash = "#/actors/" + encodeURIComponent(r.dataset.actor))));
    return 5000;
  },

  async events(main, arg) {
    const f = pages.events.filters || (pages.events.filters = { category: "", action: "", policy: "", text: "", since: "" });
    const q = new URLSearchParams({ limit: "200" });
    if (f.category) q.set("category", f.category);
    if (f.since) q.set("since", f.since);
    const data = await api("/api/events?" + q);
    const list = data.events.filter((e) =>
      (!f.action || e.effective_action === f.action) &&
      (!f.policy || (e.policy_id || "").includes(f.policy)) &&
      (!f.text || JSON.stringify([e.actors, e.request.path, e.request.client_ip]).includes(f.text)));
    const open = arg ? data.events.find((e) => String(e.id) === arg) : null;
    main.innerHTML = `
      <div class="card"><h1>Events</h1>
      <div class="filters">
        <select id="f-category"><option value="">any category</option>${["sqli","xss","rce","lfi","rfi","ssrf","xxe","ssti","nosql","java-injection","php-injection","scanner","protocol-enforcement","cve","ato","bot","enumeration","exfiltration","dos","reputation"].map((c) => `<option ${c === f.category ? "selected" : ""}>${c}</option>`).join("")}</select>
        <select id="f-action"><option value="">any action</option>${["block","rate_limit","tarpit","deceive","log"].map((a) => `<option ${a === f.action ? "selected" : ""}>${a}</option>`).join("")}</select>
        <select id="f-since"><option value="">any time</option>${["15m","1h","24h","7d"].map((w) => `<option value="${w}" ${w === f.since ? "selected" : ""}>last ${w}</option>`).join("")}</select>
        <input id="f-policy" placeholder="policy" value="${esc(f.policy)}">
        <input id="f-text" placeholder="actor, endpoint or address" value="${esc(f.text)}">
        <span class="muted">${list.length} of the newest ${data.count} · live</span>
      </div>
      <table id="events-table"><tr><th>time</th><th>action</th><th>policy</th><th>request</th><th>actor</th><th>signals</th></tr>
      ${list.map((e) => `<tr class="row" data-id="${e.id}"><td>${fmtTime(e.time_ms)}</td><td><span class="tag ${e.effective_action}">${esc(e.effective_action)}</span></td><td>${esc(e.policy_id || "")}</td><td class="mono">${esc(e.request.method)} ${esc(e.request.path)}</td><td class="mono">${esc(e.actors[0] || "")}</td><td>${e.signals.map((s) => `<span class="tag">${esc(s.category)}</span>`).join("")}</td></tr>`).join("")}
      </table></div>
      ${open ? eventDetail(open) : ""}`;
    const bind = (id, key) => $(id).addEventListener("change", (ev) => { f[key] = ev.target.value; route(); });
    bind("#f-category", "category"); bind("#f-since", "since"); bind("#f-action", "action"); bind("#f-policy", "policy"); bind("#f-text", "text");
    main.querySelectorAll("tr[data-id]").forEach((r) => r.addEventListener("click", () => (location.hash = "#/events/" + r.dataset.id)));
    const exc = $("#make-exception");
    if (exc) exc.addEventListener("click", async () => {
      const s = open.signals[0];
      try {
        const r = await api("/api/exceptions", { method: "POST", body: JSON.stringify({ policy: open.policy_id, method: open.request.method, path: open.request.path, detector: s ? s.detector : null, event_id: open.id }) });
        toast(`Exception ${r.id} written to ${r.file}`);
      } catch (e) { toast(e.message); }
    });
    return arg ? 0 : 3000;
  },

  async actors(main, arg) {
    if (arg) return actorDetail(main, decodeURIComponent(arg));
    const lvl = pages.actors.level || "";
    const data = await api(`/api/actors?limit=200${lvl ? "&level=" + lvl : ""}`);
    main.innerHTML = `<div class="card"><h1>Actors</h1>
      <div class="filters"><select id="f-level"><option value="">with any evidence</option>${["low","medium","high","critical"].map((l) => `<option ${l === lvl ? "selected" : ""}>${l}</option>`).join("")}</select><span class="muted">ranked by threat score</span></div>
      <table id="actors-table"><tr><th>actor</th><th>level</th><th>score</th><th>requests</th><th>marks</th><th>linked</th><th>last signal</th></tr>
      ${data.actors.map((a) => `<tr class="row" data-actor="${esc(a.key)}"><td class="mono">${esc(a.key)}</td><td><span class="tag ${a.level}">${a.level}</span></td><td>${Number(a.score).toFixed(1)}</td><td>${fmtNum(a.requests)}</td><td>${a.blocked ? '<span class="tag block">blocked</span>' : ""}${a.deceived ? '<span class="tag deceive">deceived</span>' : ""}${a.campaign ? '<span class="tag critical">campaign</span>' : ""}</td><td class="mono">${a.linked.map(esc).join("<br>")}</td><td>${esc(a.last_signal || "")}</td></tr>`).join("")}
      </table></div>`;
    $("#f-level").addEventListener("change", (e) => { pages.actors.level = e.target.value; route(); });
    main.querySelectorAll("[data-actor]").forEach((r) => r.addEventListener("click", () => (location.hash = "#/actors/" + encodeURIComponent(r.dataset.actor))));
    return 5000;
  },

  async policies(main) {
    const [data, hist] = await Promise.all([api("/api/policies"), api("/api/policies/history?window=1h")]);
    const spark = (id) => {
      const v = hist.policies[id];
      if (!v) return "";
      const max = Math.max(1, ...v), W = 120, H = 22;
      const pts = v.map((x, i) => `${(i * W) / Math.max(1, v.length - 1)},${H - 2 - (x * (H - 4)) / max}`).join(" ");
      return `<svg class="spark" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" aria-label="hits per minute, last hour"><polyline fill="none" stroke="#4aa3ff" stroke-width="1.5" points="${pts}"/></svg>`;
    };
    const f = pages.policies.filter || "";
    const list = data.policies.filter((p) => !f || p.id.includes(f) || p.category.includes(f));
    list.sort((a, b) => (b.hits || 0) - (a.hits || 0));
    main.innerHTML = `<div class="card"><h1>Policies</h1>
      <div class="filters"><input id="f-pol" placeholder="filter by id or category" value="${esc(f)}"><span class="muted">${data.count} policies, most hits first</span></div>
      <table id="policies-table"><tr><th>policy</th><th>category</th><th>action</th><th>hits</th><th>last hour</th><th>enforced</th><th>mode</th><th></th></tr>
      ${list.map((p) => `<tr data-policy="${esc(p.id)}"><td class="mono" title="${esc(p.description)}">${esc(p.id)}</td><td>${esc(p.category)}</td><td>${esc(p.action)}</td><td>${fmtNum(p.hits)}</td><td>${spark(p.id)}</td><td>${fmtNum(p.enforced)}</td><td><span class="tag ${p.mode}">${esc(p.mode)}</span></td><td><button class="mode" data-id="${esc(p.id)}" data-to="${p.mode === "enforce" ? "monitor" : "enforce"}">switch to ${p.mode === "enforce" ? "monitor" : "enforce"}</button></td></tr>`).join("")}
      </table></div>`;
    $("#f-pol").addEventListener("change", (e) => { pages.policies.filter = e.target.value; route(); });
    main.querySelectorAll("button.mode").forEach((b) => b.addEventListener("click", async () => {
      try {
        await api(`/api/policies/${encodeURIComponent(b.dataset.id)}/mode`, { method: "POST", body: JSON.stringify({ mode: b.dataset.to }) });
        toast(`${b.dataset.id} now in ${b.dataset.to} mode`); route();
      } catch (e) { toast(e.message); }
    }));
    return 10000;
  },

  async endpoints(main) {
    const data = await api("/api/endpoints");
    main.innerHTML = `<div class="card"><h1>API inventory</h1><p class="muted">Endpoints discovered from traffic, ids templated.</p>
      <table id="endpoints-table"><tr><th>endpoint</th><th>requests</th><th>rate/min</th><th>baseline/min</th><th>errors</th><th>attacks</th><th>mitigated</th><th>cards returned</th><th>other sensitive items</th></tr>
      ${data.endpoints.map((e) => `<tr><td class="mono">${esc(e.endpoint)}</td><td>${fmtNum(e.requests)}</td><td>${e.rate.toFixed(1)}</td><td>${e.baseline.toFixed(1)}</td><td>${fmtNum(e.errors)}</td><td>${fmtNum(e.attacks)}</td><td>${fmtNum(e.mitigated)}</td><td>${e.cards ? `<span class="tag critical">${fmtNum(e.cards)}</span>` : 0}</td><td>${e.sensitive_items ? `<span class="tag high">${fmtNum(e.sensitive_items)}</span>` : 0}</td></tr>`).join("")}
      </table></div>`;
    return 10000;
  },
};

function eventDetail(e) {
  return `<div class="card" id="event-detail"><h1>Event ${e.id}</h1>
    <p><span class="tag ${e.effective_action}">${esc(e.effective_action)}</span> by <b>${esc(e.policy_id || "—")}</b> (${esc(e.mode)} mode) at ${fmtTime(e.time_ms)}</p>
    <h2>Why</h2><p class="explain">${esc(e.reason)}</p>
    <table><tr><th>detector</th><th>category</th><th>confidence</th><th>where</th><th>why</th><th>evidence (masked)</th></tr>
    ${e.signals.map((s) => `<tr><td>${esc(s.detector)}</td><td>${esc(s.category)}</td><td>${s.confidence.toFixed(2)}</td><td class="mono">${esc(s.place)}</td><td>${esc(s.reason || "")}</td><td class="mono">${esc(s.evidence)}</td></tr>`).join("") || '<tr><td class="muted" colspan="6">No signal: the policy acted on actor state or request shape.</td></tr>'}
    </table>
    <h2>Request</h2><p class="mono">${esc(e.request.method)} ${esc(e.request.host)}${esc(e.request.path)}${e.request.query ? "?" + esc(e.request.query) : ""} from ${esc(e.request.client_ip)} · ${esc(e.request.user_agent || "")}</p>
    <p class="mono">actors: ${e.actors.map(esc).join(", ")}</p>
    ${e.policy_id ? `<button id="make-exception" class="primary">Allow this here: exception for ${esc(e.policy_id)} on ${esc(e.request.method)} ${esc(e.request.path)}</button>` : ""}
    <a href="#/events">close</a></div>`;
}

async function actorDetail(main, key) {
  const a = await api("/api/actors/" + encodeURIComponent(key));
  const ip = key.startsWith("ip:") ? key.slice(3) : null;
  main.innerHTML = `<div class="card" id="actor-detail"><h1 class="mono">${esc(a.key)}</h1>
    <p><span class="tag ${a.level}">${a.level}</span> score ${Number(a.score).toFixed(1)} · ${fmtNum(a.requests)} requests · first seen ${fmtTime(a.first_seen_ms)} · last seen ${fmtTime(a.last_seen_ms)}
    ${a.blocked ? '<span id="mark-blocked" class="tag block">blocked</span>' : ""}${a.deceived ? '<span class="tag deceive">deceived</span>' : ""}</p>
    <p class="mono">linked: ${a.linked.map(esc).join(", ") || "—"}</p>
    ${a.login ? `<p>logins: ${a.login.attempts} attempts, ${a.login.failures} failed, ${a.login.usernames} usernames, ${a.login.addresses} addresses</p>` : ""}
    <div class="filters">
      <select id="block-for"><option>15m</option><option selected>1h</option><option>24h</option><option>7d</option></select>
      <button id="block" class="danger">Block</button>
      <button id="unblock">Unblock</button>
      ${ip ? '<button id="allow">Allow-list this address</button>' : ""}
    </div>
    <h2>Timeline (oldest first)</h2>
    <table id="timeline"><tr><th>time</th><th>signal or mitigation</th><th>category</th><th>action</th><th>endpoint</th><th>request</th></tr>
    ${a.trail.map((e) => `<tr><td>${fmtTime(e.at_ms)}</td><td>${esc(e.detector)}</td><td>${esc(e.category)}</td><td><span class="tag ${e.action}">${esc(e.action)}</span></td><td class="mono">${esc(e.endpoint)}</td><td class="mono">${esc(e.request_id)}</td></tr>`).join("")}
    </table><a href="#/actors">all actors</a></div>`;
  const path = "/api/actors/" + encodeURIComponent(key) + "/block";
  $("#block").addEventListener("click", async () => {
    try { await api(path, { method: "POST", body: JSON.stringify({ duration: $("#block-for").value }) }); toast(`${key} blocked for ${$("#block-for").value}`); route(); } catch (e) { toast(e.message); }
  });
  $("#unblock").addEventListener("click", async () => {
    try { await api(path, { method: "DELETE" }); toast(`${key} unblocked`); route(); } catch (e) { toast(e.message); }
  });
  if (ip) $("#allow").addEventListener("click", async () => {
    try { await api("/api/lists/allow-ips", { method: "POST", body: JSON.stringify({ value: ip }) }); toast(`${ip} added to allow-ips`); } catch (e) { toast(e.message); }
  });
  return 0;
}

async function route() {
  clearTimeout(timer);
  if (!token()) return;
  const [, page = "overview", arg] = (location.hash || "#/overview").split("/");
  document.querySelectorAll("nav a").forEach((a) => a.classList.toggle("active", a.dataset.page === page));
  const main = $("#main");
  try {
    const again = await (pages[page] || pages.overview)(main, arg);
    if (again) timer = setTimeout(route, again);
  } catch (e) {
    main.innerHTML = `<div class="card error">${esc(e.message)}</div>`;
  }
}

function start() {
  $("#nav").hidden = false; $("#logout").hidden = false;
  $("#logout").addEventListener("click", signOut);
  window.addEventListener("hashchange", route);
  route();
}

$("#login").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const t = $("#token").value.trim();
  const r = await fetch("/api/policies", { headers: { authorization: "Bearer " + t } });
  if (r.ok) { sessionStorage.setItem("palisade-token", t); start(); }
  else { const e = $("#login-error"); e.textContent = "That token was refused."; e.hidden = false; }
});

if (token()) start();
