//! Behavioural detectors: what a client's requests add up to over time. Each reads and
//! updates actor records through [`ActorStore`] and reports findings the policies see as
//! signals (detector names `stuffing`, `bruteforce`, `bola`, `scraping`, `exfiltration`,
//! `flood`, `flow`, `timing`).
//!
//! They judge by ratios and by what humans do not do (walk neighbouring ids, page 20 deep,
//! try six usernames, collect 20 strangers' card numbers, keep a metronome's rhythm), not by
//! a fixed request count fitted to one site: thresholds are in [`Tuning`] and configurable.

use crate::decay::{hash32, Secs};
use crate::record::{FlowState, Level, Record};
use crate::store::ActorStore;
use crate::ActorKey;
use palisade_types::Category;

/// Thresholds and windows. Defaults are for human-driven API clients; `actors.tuning` in the
/// configuration overrides any of them by name.
#[derive(Clone, Debug)]
pub struct Tuning {
    /// Threat score half-life, seconds.
    pub score_half_life: f32,
    /// Window (half-life) of login counters, seconds.
    pub login_half_life: f32,
    /// One client (address or session) trying this many usernames, with failures: stuffing.
    pub client_usernames: f32,
    /// A crowd key (fingerprint, network, ASN) with this many failed logins...
    pub crowd_failures: f32,
    /// ...over this many distinct usernames...
    pub crowd_usernames: f32,
    /// ...at this failure ratio or more: a stuffing campaign.
    pub crowd_failure_ratio: f32,
    /// How long a flagged campaign key stays flagged, seconds.
    pub campaign_seconds: f32,
    /// One username failing this many times...
    pub user_failures: f32,
    /// ...from this many addresses: brute force on the account.
    pub user_addresses: f32,
    /// Neighbouring object ids in a row: an enumeration walk.
    pub bola_sequence: u16,
    /// Distinct ids (10-minute window) needed before the 403/404 share counts...
    pub bola_ids: f32,
    /// ...and that share.
    pub bola_miss_ratio: f32,
    /// Distinct ids of one endpoint in the long (1 h) window: scraping.
    pub scrape_ids: f32,
    /// Distinct ids of one endpoint in the 10-minute window, fetched at `flood_rate` or
    /// faster: fast scraping.
    pub scrape_ids_fast: f32,
    /// Distinct pages of one list in the long window: scraping.
    pub scrape_pages: f32,
    /// Distinct card numbers returned to one client in the long window: exfiltration.
    pub exfil_cards: f32,
    /// Distinct other sensitive items (SSNs, IBANs, e-mails, phones…) in the long window.
    pub exfil_items: f32,
    /// Requests a minute by one client on one endpoint while that endpoint surges.
    pub flood_rate: f32,
    /// Requests a minute by one client on one endpoint at any time (a weaker signal).
    pub flood_rate_alone: f32,
    /// An endpoint surges at this multiple of its baseline...
    pub surge_factor: f32,
    /// ...and at least this many requests a minute.
    pub surge_floor: f32,
    /// Intervals needed before timing is judged, and the spread (mean absolute deviation
    /// over mean) below which a client's rhythm is a machine's.
    pub timing_intervals: u16,
    pub timing_spread: f32,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            score_half_life: 600.0,
            login_half_life: 900.0,
            client_usernames: 3.0,
            crowd_failures: 8.0,
            crowd_usernames: 6.0,
            crowd_failure_ratio: 0.75,
            campaign_seconds: 3600.0,
            user_failures: 8.0,
            user_addresses: 3.0,
            bola_sequence: 8,
            bola_ids: 10.0,
            bola_miss_ratio: 0.3,
            scrape_ids: 50.0,
            scrape_ids_fast: 15.0,
            scrape_pages: 20.0,
            exfil_cards: 20.0,
            exfil_items: 60.0,
            flood_rate: 30.0,
            flood_rate_alone: 120.0,
            surge_factor: 5.0,
            surge_floor: 60.0,
            timing_intervals: 12,
            timing_spread: 0.08,
        }
    }
}

impl Tuning {
    /// Sets one threshold by name (from configuration).
    pub fn set(&mut self, name: &str, v: f64) -> Result<(), String> {
        let f = v as f32;
        match name {
            "score_half_life" => self.score_half_life = f.max(1.0),
            "login_half_life" => self.login_half_life = f.max(1.0),
            "client_usernames" => self.client_usernames = f,
            "crowd_failures" => self.crowd_failures = f,
            "crowd_usernames" => self.crowd_usernames = f,
            "crowd_failure_ratio" => self.crowd_failure_ratio = f,
            "campaign_seconds" => self.campaign_seconds = f,
            "user_failures" => self.user_failures = f,
            "user_addresses" => self.user_addresses = f,
            "bola_sequence" => self.bola_sequence = v.clamp(2.0, 10_000.0) as u16,
            "bola_ids" => self.bola_ids = f,
            "bola_miss_ratio" => self.bola_miss_ratio = f,
            "scrape_ids" => self.scrape_ids = f,
            "scrape_ids_fast" => self.scrape_ids_fast = f,
            "scrape_pages" => self.scrape_pages = f,
            "exfil_cards" => self.exfil_cards = f,
            "exfil_items" => self.exfil_items = f,
            "flood_rate" => self.flood_rate = f,
            "flood_rate_alone" => self.flood_rate_alone = f,
            "surge_factor" => self.surge_factor = f,
            "surge_floor" => self.surge_floor = f,
            "timing_intervals" => self.timing_intervals = v.clamp(3.0, 10_000.0) as u16,
            "timing_spread" => self.timing_spread = f,
            _ => return Err(format!("unknown tuning value `{name}`")),
        }
        Ok(())
    }
}

/// Short window for rates (seconds of half-life).
const RATE_HL: f32 = 10.0;
/// The BOLA window and the long (scraping, exfiltration) window.
const SHORT_HL: f32 = 600.0;
const LONG_HL: f32 = 3600.0;
/// Decayed count → events per minute for a counter with half-life `hl`.
fn per_minute(v: f32, hl: f32) -> f32 {
    v * std::f32::consts::LN_2 / hl * 60.0
}

/// Has a decayed count reached a whole-number threshold? Counts decay a little between
/// events, so the 8th event in a row reads as 7.98: allow that much.
fn reached(v: f32, threshold: f32) -> bool {
    v + 0.5 >= threshold
}

/// One behavioural finding, made into a signal by the engine.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub detector: &'static str,
    pub category: Category,
    pub confidence: f32,
    /// Where it was seen (the key), for the signal's place.
    pub key: String,
    pub evidence: String,
}

/// What the request is, as the behavioural detectors need it.
#[derive(Debug, Default)]
pub struct RequestFacts<'a> {
    /// Keys that name this client (address, session, user, API key, custom keys).
    pub principals: &'a [ActorKey],
    /// Keys shared with others (fingerprint, network, ASN, country).
    pub crowd: &'a [ActorKey],
    /// Hash of `METHOD /template`.
    pub endpoint: u32,
    /// The object id in the path, if any (numbers as themselves, others hashed).
    pub object_id: Option<u64>,
    /// The page asked for, hashed (page, offset, cursor…).
    pub page: Option<u32>,
    /// A login attempt, and the username it names.
    pub login: Option<Option<&'a str>>,
    /// (flow, step, minimum seconds since the previous step).
    pub flow_step: Option<(u8, u8, f32)>,
    /// The endpoint is far above its own baseline right now.
    pub surging: bool,
}

/// What the policies read about the actor.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct View {
    pub score: f32,
    pub level: Option<Level>,
    /// The client has logged in successfully before, or browsed like a person before this.
    pub good_standing: bool,
    pub requests: u32,
}

/// The request phase: updates the client's traffic counters and reports what they add up to.
pub fn on_request(
    store: &dyn ActorStore,
    t: &Tuning,
    f: &RequestFacts<'_>,
    now: Secs,
) -> (View, Vec<Finding>) {
    let mut out = Vec::new();
    let mut view = View::default();
    for (i, key) in f.principals.iter().enumerate() {
        // Traffic is tracked on the address and on authenticated identities; custom keys
        // (tenants and the like) are crowds of their own.
        let track = !matches!(key, ActorKey::Custom(_));
        store.update(key, now, &mut |r| {
            r.last_seen = now;
            r.requests = r.requests.saturating_add(1);
            // Keys seen on the same request are linked: evidence on one is evidence on all.
            for (j, other) in f.principals.iter().enumerate() {
                if i != j {
                    r.link(other);
                }
            }
            let score = r.score.get(now, t.score_half_life);
            view.score = view.score.max(score);
            view.requests = view.requests.max(r.requests);
            if i == 0 || r.login.as_ref().is_some_and(|l| l.ever_succeeded) {
                view.good_standing |= standing(r, now, score);
            }
            if track {
                traffic(r, t, f, now, key, &mut out);
            }
        });
    }
    if let Some(username) = f.login {
        login_checks(store, t, f, username, now, view.good_standing, &mut out);
    }
    view.level = Some(Level::of(view.score));
    (view, out)
}

/// Has this client shown it is a person with an account? A past successful login, or some
/// browsing spread over time before this request, with nothing held against it.
fn standing(r: &Record, now: Secs, score: f32) -> bool {
    if score >= 10.0 {
        return false;
    }
    if let Some(l) = &r.login {
        if l.ever_succeeded {
            return true;
        }
    }
    let browsed = r.traffic.as_ref().map_or(0, |tr| {
        tr.templates
            .iter()
            .filter(|t| t.rate.get(now, RATE_HL) > 0.0)
            .count()
    });
    browsed >= 1
        && r.requests >= 3
        && now - r.first_seen >= 10.0
        && r.login
            .as_ref()
            .is_none_or(|l| l.failures.get(now, 900.0) < 2.0)
}

fn traffic(
    r: &mut Record,
    t: &Tuning,
    f: &RequestFacts<'_>,
    now: Secs,
    key: &ActorKey,
    out: &mut Vec<Finding>,
) {
    let is_login = f.login.is_some();
    let tr = r.traffic();
    // Timing: the rhythm between requests (bursts under 50 ms are one page's requests).
    if tr.last_at > 0.0 {
        let dt = now - tr.last_at;
        if dt >= 0.05 {
            if tr.intervals == 0 {
                tr.interval_mean = dt;
                tr.interval_dev = dt / 2.0;
            } else {
                let dev = (dt - tr.interval_mean).abs();
                tr.interval_mean += 0.2 * (dt - tr.interval_mean);
                tr.interval_dev += 0.2 * (dev - tr.interval_dev);
            }
            tr.intervals = tr.intervals.saturating_add(1);
        }
    }
    tr.last_at = now;
    tr.rate.add(1.0, now, RATE_HL);
    let mut find = |detector, category, confidence, evidence: String| {
        out.push(Finding {
            detector,
            category,
            confidence,
            key: key.to_string(),
            evidence,
        })
    };
    if tr.intervals >= t.timing_intervals
        && tr.interval_mean < 120.0
        && tr.interval_dev < t.timing_spread * tr.interval_mean
    {
        find(
            "timing",
            Category::Bot,
            0.7,
            format!(
                "requests every {:.2}s ± {:.3}s over {} intervals",
                tr.interval_mean, tr.interval_dev, tr.intervals
            ),
        );
    }
    // Exfiltration: sensitive items this client was sent (counted in the response phase).
    let cards = tr.cards.get(now, LONG_HL);
    if reached(cards, t.exfil_cards) {
        find(
            "exfiltration",
            Category::Exfiltration,
            0.95,
            format!("{cards:.0} distinct card numbers returned in the last hour"),
        );
    }
    let items = tr.pii.get(now, LONG_HL);
    if reached(items, t.exfil_items) {
        find(
            "exfiltration",
            Category::Exfiltration,
            0.9,
            format!("{items:.0} distinct personal data items returned in the last hour"),
        );
    }
    // Flows: ordered steps with a minimum human time between them.
    if let Some((flow, step, min)) = f.flow_step {
        let prev = tr.flow.filter(|s| s.flow == flow && now - s.at < 1800.0);
        if step > 0 {
            match prev {
                None => find(
                    "flow",
                    Category::Bot,
                    0.9,
                    format!("flow step {} without the steps before it", step + 1),
                ),
                Some(s) if s.step + 1 < step => find(
                    "flow",
                    Category::Bot,
                    0.9,
                    format!("flow step {} after step {}", step + 1, s.step + 1),
                ),
                Some(s) if s.step + 1 == step && now - s.at < min => find(
                    "flow",
                    Category::Bot,
                    0.9,
                    format!(
                        "flow step {} {:.2}s after the previous one (a person takes {min}s or more)",
                        step + 1,
                        now - s.at
                    ),
                ),
                _ => {}
            }
        }
        tr.flow = Some(FlowState {
            flow,
            step,
            at: now,
        });
    }
    if is_login {
        return;
    }
    let ts = tr.template(f.endpoint, now);
    let rate = per_minute(ts.rate.add(1.0, now, RATE_HL), RATE_HL);
    if let Some(id) = f.object_id {
        if ts.recent_ids.insert(hash32(&id.to_le_bytes())) {
            ts.ids.add(1.0, now, SHORT_HL);
            ts.ids_long.add(1.0, now, LONG_HL);
        }
        match ts.last_id {
            Some(last) if last != id => {
                let d = id.abs_diff(last);
                ts.seq_run = if d <= 2 {
                    ts.seq_run.saturating_add(1)
                } else {
                    0
                };
            }
            _ => {}
        }
        ts.last_id = Some(id);
    }
    if let Some(p) = f.page {
        if ts.recent_pages.insert(p) {
            ts.pages.add(1.0, now, LONG_HL);
        }
    }
    let ids = ts.ids.get(now, SHORT_HL);
    let misses = ts.misses.get(now, SHORT_HL);
    if ts.seq_run >= t.bola_sequence {
        find(
            "bola",
            Category::Enumeration,
            0.9,
            format!("{} neighbouring object ids in a row", ts.seq_run + 1),
        );
    } else if reached(ids, t.bola_ids) && misses >= t.bola_miss_ratio * ids {
        find(
            "bola",
            Category::Enumeration,
            0.9,
            format!("{ids:.0} distinct object ids, {misses:.0} answered 403/404"),
        );
    }
    let long = ts.ids_long.get(now, LONG_HL);
    let pages = ts.pages.get(now, LONG_HL);
    if reached(ids, t.scrape_ids_fast) && rate >= t.flood_rate {
        find(
            "scraping",
            Category::Exfiltration,
            0.9,
            format!("{ids:.0} distinct objects of one endpoint at {rate:.0} requests/min"),
        );
    } else if reached(long, t.scrape_ids) {
        find(
            "scraping",
            Category::Exfiltration,
            0.9,
            format!("{long:.0} distinct objects of one endpoint in the last hour"),
        );
    } else if reached(pages, t.scrape_pages) {
        find(
            "scraping",
            Category::Exfiltration,
            0.9,
            format!("{pages:.0} distinct pages of one list in the last hour"),
        );
    }
    if f.surging && rate >= t.flood_rate {
        find(
            "flood",
            Category::Dos,
            0.9,
            format!("{rate:.0} requests/min to an endpoint that is surging"),
        );
    } else if rate >= t.flood_rate_alone {
        find(
            "flood",
            Category::Dos,
            0.6,
            format!("{rate:.0} requests/min to one endpoint"),
        );
    }
}

fn login_checks(
    store: &dyn ActorStore,
    t: &Tuning,
    f: &RequestFacts<'_>,
    username: Option<&str>,
    now: Secs,
    good_standing: bool,
    out: &mut Vec<Finding>,
) {
    let hl = t.login_half_life;
    let user_key = username.map(|u| ActorKey::User(u.into()));
    for key in f.principals.iter().chain(f.crowd).chain(user_key.as_ref()) {
        let crowd = !key.is_specific();
        let is_target = user_key.as_ref() == Some(key);
        let mut found: Option<(f32, String, &'static str)> = None;
        let mut flag = false;
        store.read(key, &mut |r| {
            let Some(l) = &r.login else { return };
            let fails = l.failures.get(now, hl);
            let attempts = l.attempts.get(now, hl).max(fails);
            let users = l.users.get(now, hl);
            if is_target {
                let ips = l.ips.get(now, hl);
                if reached(fails, t.user_failures) && reached(ips, t.user_addresses) {
                    found = Some((
                        0.9,
                        format!(
                            "{fails:.0} failed logins for this account from {ips:.0} addresses"
                        ),
                        "bruteforce",
                    ));
                }
            } else if crowd {
                if r.campaign_until > now {
                    found = Some((
                        0.9,
                        "a credential-stuffing campaign uses this key".into(),
                        "stuffing",
                    ));
                } else if reached(fails, t.crowd_failures)
                    && reached(users, t.crowd_usernames)
                    && fails >= t.crowd_failure_ratio * attempts
                {
                    flag = true;
                    found = Some((
                        0.9,
                        format!(
                            "{fails:.0} failed logins over {users:.0} usernames ({:.0}% failed)",
                            100.0 * fails / attempts
                        ),
                        "stuffing",
                    ));
                }
            } else if reached(users, t.client_usernames) && reached(fails, t.client_usernames) {
                found = Some((
                    0.9,
                    format!("{users:.0} usernames tried, {fails:.0} failed"),
                    "stuffing",
                ));
            }
        });
        if flag {
            store.update(key, now, &mut |r| {
                r.campaign_until = now + t.campaign_seconds
            });
        }
        if let Some((c, evidence, detector)) = found {
            // A client in good standing is not taken for a campaign it happens to share a
            // fingerprint or network with; its own failures still count against it.
            if crowd && good_standing {
                continue;
            }
            if detector == "bruteforce" && good_standing {
                continue;
            }
            out.push(Finding {
                detector,
                category: Category::Ato,
                confidence: c,
                key: key.to_string(),
                evidence,
            });
        }
    }
}

/// What the upstream's answer adds.
#[derive(Debug, Default)]
pub struct ResponseFacts<'a> {
    pub status: u16,
    /// For a login attempt: did it succeed?
    pub login_ok: Option<bool>,
    pub username: Option<&'a str>,
    pub client_ip: Option<std::net::IpAddr>,
    /// Hashes of the card numbers and of other sensitive items in the body.
    pub cards: &'a [u32],
    pub items: &'a [u32],
}

pub fn on_response(
    store: &dyn ActorStore,
    t: &Tuning,
    f: &RequestFacts<'_>,
    resp: &ResponseFacts<'_>,
    now: Secs,
) {
    let hl = t.login_half_life;
    if let Some(ok) = resp.login_ok {
        let uh = resp.username.map(|u| hash32(u.as_bytes()));
        let ih = resp.client_ip.map(|ip| hash32(ip.to_string().as_bytes()));
        let user_key = resp.username.map(|u| ActorKey::User(u.into()));
        for key in f.principals.iter().chain(f.crowd).chain(user_key.as_ref()) {
            store.update(key, now, &mut |r| {
                r.last_seen = now;
                let l = r.login();
                l.attempts.add(1.0, now, hl);
                if ok {
                    l.successes.add(1.0, now, hl);
                    l.ever_succeeded = true;
                } else {
                    l.failures.add(1.0, now, hl);
                }
                if let Some(h) = uh {
                    if l.recent_users.insert(h) {
                        l.users.add(1.0, now, hl);
                    }
                }
                if let Some(h) = ih {
                    if l.recent_ips.insert(h) {
                        l.ips.add(1.0, now, hl);
                    }
                }
            });
        }
    }
    let miss = matches!(resp.status, 403 | 404);
    if !miss && resp.cards.is_empty() && resp.items.is_empty() {
        return;
    }
    for key in f.principals {
        if matches!(key, ActorKey::Custom(_)) {
            continue;
        }
        store.update(key, now, &mut |r| {
            let tr = r.traffic();
            if miss {
                tr.errors.add(1.0, now, SHORT_HL);
                if f.login.is_none() {
                    tr.template(f.endpoint, now).misses.add(1.0, now, SHORT_HL);
                }
            }
            if resp.cards.is_empty() && resp.items.is_empty() {
                return;
            }
            let seen = tr.recent_sensitive.get_or_insert_with(Box::default);
            let new_cards = resp.cards.iter().filter(|h| seen.insert(**h)).count();
            let new_items = resp.items.iter().filter(|h| seen.insert(**h)).count();
            if new_cards > 0 {
                tr.cards.add(new_cards as f32, now, LONG_HL);
            }
            if new_items > 0 {
                tr.pii.add(new_items as f32, now, LONG_HL);
            }
        });
    }
}

/// Weight of one signal of a category in the threat score (times its confidence).
pub fn weight(c: Category) -> f32 {
    match c {
        Category::Cve => 25.0,
        Category::Sqli
        | Category::Xss
        | Category::Rce
        | Category::Lfi
        | Category::Rfi
        | Category::Ssrf
        | Category::Xxe
        | Category::Ssti
        | Category::Ldap
        | Category::Nosql
        | Category::JavaInjection
        | Category::PhpInjection => 12.0,
        Category::Enumeration | Category::Exfiltration | Category::Ato => 15.0,
        Category::Scanner | Category::Reputation | Category::Dos => 10.0,
        Category::Bot | Category::GenericInjection => 6.0,
        Category::ProtocolEnforcement => 3.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::LocalActors;
    use std::time::Duration;

    fn store() -> LocalActors {
        LocalActors::new(10_000, Duration::from_secs(3600))
    }

    fn ip(n: u8) -> ActorKey {
        ActorKey::Ip(std::net::IpAddr::from([10, 0, 0, n]))
    }

    #[test]
    fn sequential_ids_are_a_walk_random_ones_are_not() {
        let s = store();
        let t = Tuning::default();
        let me = [ip(1)];
        let mut hits = Vec::new();
        for id in 100..120u64 {
            let f = RequestFacts {
                principals: &me,
                endpoint: 7,
                object_id: Some(id),
                ..RequestFacts::default()
            };
            let (_, found) = on_request(&s, &t, &f, id as f32 * 3.7);
            hits.push(found.iter().any(|x| x.detector == "bola"));
        }
        assert_eq!(hits.iter().position(|h| *h), Some(8));
        let other = [ip(2)];
        for (i, id) in [5u64, 93, 41, 17, 88, 60, 3, 72, 29, 51, 11, 97]
            .iter()
            .enumerate()
        {
            let f = RequestFacts {
                principals: &other,
                endpoint: 7,
                object_id: Some(*id),
                ..RequestFacts::default()
            };
            let (_, found) = on_request(&s, &t, &f, i as f32 * 5.3);
            assert!(found.is_empty(), "{found:?}");
        }
    }

    #[test]
    fn crowd_key_with_many_failed_usernames_is_a_campaign() {
        let s = store();
        let t = Tuning::default();
        let fp = [ActorKey::Fingerprint("hx".into())];
        let mut first = None;
        for i in 0..30u8 {
            let me = [ip(i)];
            let name = format!("user{i}");
            let f = RequestFacts {
                principals: &me,
                crowd: &fp,
                login: Some(Some(&name)),
                ..RequestFacts::default()
            };
            let now = f32::from(i);
            let (_, found) = on_request(&s, &t, &f, now);
            if first.is_none() && found.iter().any(|x| x.detector == "stuffing") {
                first = Some(i);
            }
            let r = ResponseFacts {
                status: 401,
                login_ok: Some(false),
                username: Some(&name),
                ..ResponseFacts::default()
            };
            on_response(&s, &t, &f, &r, now);
        }
        assert_eq!(first, Some(8));
    }

    #[test]
    fn metronome_timing_is_a_machine() {
        let s = store();
        let t = Tuning::default();
        let me = [ip(3)];
        let mut seen = false;
        for i in 0..20 {
            let f = RequestFacts {
                principals: &me,
                endpoint: 1,
                ..RequestFacts::default()
            };
            let (_, found) = on_request(&s, &t, &f, i as f32 * 2.0);
            seen |= found.iter().any(|x| x.detector == "timing");
        }
        assert!(seen);
        // A person: irregular gaps.
        let person = [ip(4)];
        let mut now = 0.0;
        for gap in [
            3.1, 9.4, 1.2, 17.0, 4.4, 6.3, 2.2, 11.9, 5.0, 3.3, 8.8, 2.7, 14.1, 4.0,
        ] {
            now += gap;
            let f = RequestFacts {
                principals: &person,
                endpoint: 1,
                ..RequestFacts::default()
            };
            let (_, found) = on_request(&s, &t, &f, now);
            assert!(found.is_empty(), "{found:?}");
        }
    }
}
