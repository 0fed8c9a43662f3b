//! Server-side request forgery and remote file inclusion: a URL-valued parameter that points
//! the server at itself or its network — loopback, private, link-local and cloud-metadata
//! addresses, in every spelling an IP parser accepts (`2130706433`, `0x7f000001`,
//! `0177.0.0.1`, `[::ffff:127.0.0.1]`) — or through a scheme that is not HTTP (`gopher:`,
//! `dict:`, `file:`); and a file-like parameter (`page`, `include`, `template`, `…path`)
//! that names a remote script (`http://203.0.113.9/shell.txt?`).

use crate::{signal, Detector};
use palisade_normalize::classes as bc;
use palisade_normalize::Value;
use palisade_types::{Category, Signal};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub struct Ssrf;

/// Host names that are the cloud metadata service or the machine itself.
const INTERNAL_NAMES: &[&str] = &[
    "localhost",
    "metadata.google.internal",
    "metadata",
    "instance-data",
    "metadata.azure.com",
    "kubernetes.default",
    "kubernetes.default.svc",
    // /etc/hosts names for the loopback on common distributions.
    "localhost.localdomain",
    "localhost4",
    "localhost4.localdomain4",
    "localhost6",
    "localhost6.localdomain6",
    "ip6-localhost",
    "ip6-loopback",
    "ipv6-localhost",
    // Public names that resolve to 127.0.0.1, kept for exactly this purpose.
    "localtest.me",
    "lvh.me",
    "vcap.me",
    // Equinix Metal's and Oracle Cloud's metadata services.
    "metadata.packet.net",
    "192.0.0.192",
];

/// Parameter names that take a URL to fetch.
const URL_PARAMS: &[&str] = &[
    "url",
    "uri",
    "link",
    "src",
    "source",
    "dest",
    "destination",
    "redirect",
    "callback",
    "webhook",
    "feed",
    "host",
    "target",
    "proxy",
    "image",
    "img",
    "fetch",
    "endpoint",
    "domain",
    "site",
    "next",
    "return",
    "ssrf",
    "load",
    "remote",
    "server",
];

/// Parameter names that take a file to include.
const FILE_PARAMS: &[&str] = &[
    "file", "page", "include", "inc", "path", "template", "tpl", "doc", "document", "folder",
    "root", "dir", "conf", "config", "module", "mod", "lang", "style", "pg", "view", "layout",
];

fn name_has(name: &str, list: &[&str]) -> bool {
    let n = name.as_bytes();
    list.iter().any(|p| {
        let p = p.as_bytes();
        n.len() >= p.len()
            && (n[n.len() - p.len()..].eq_ignore_ascii_case(p)
                || n[..p.len()].eq_ignore_ascii_case(p))
    })
}

/// A parameter that names where the user's browser is sent next (OAuth's `redirect_uri`,
/// OpenID's `post_logout_redirect_uri`, a login's `return_to` or `next`, a checkout's
/// `success_url`, SAML's `RelayState`), or where it was (a page view's referrer): the
/// server redirects to it or records it, and never fetches it. The last key counts, with
/// array indexes, case, `_` and `-` set aside (`$.redirect_uris[0]`, `returnUrl`).
/// OpenID's fetched URIs (`request_uri`, `jwks_uri`, `sector_identifier_uri`, `logo_uri`)
/// and webhooks' `callback_url` are not among them.
fn browser_redirect(name: &str) -> bool {
    let mut key = name;
    while let Some(k) = key
        .strip_suffix(']')
        .and_then(|k| k.rsplit_once('['))
        .filter(|(_, i)| i.bytes().all(|c| c.is_ascii_digit()))
    {
        key = k.0;
    }
    let key = key.rsplit(['.', '[']).next().unwrap_or(key);
    let mut buf = [0u8; 32];
    let Some(folded) = palisade_normalize::fold_name(
        key.as_bytes(),
        |c| matches!(c, b'_' | b'-' | b']'),
        &mut buf,
    ) else {
        return false;
    };
    matches!(
        folded,
        b"redirect"
            | b"redirecturi"
            | b"redirecturis"
            | b"redirecturl"
            | b"redirectto"
            | b"postlogoutredirecturi"
            | b"postlogoutredirecturis"
            | b"returnto"
            | b"returnurl"
            | b"returnuri"
            | b"next"
            | b"continue"
            | b"successurl"
            | b"cancelurl"
            | b"failureurl"
            | b"relaystate"
            // Where the browser was: a page view's referrer (Segment's `page.referrer`,
            // GA4's `page_referrer` and `page_location`, the Measurement Protocol's `dr`)
            // is reported, never fetched; a development build reports `localhost:3000`.
            | b"referrer"
            | b"referer"
            | b"documentreferrer"
            | b"pagereferrer"
            | b"initialreferrer"
            | b"pagelocation"
            | b"dr"
    )
}

/// A parameter an application hands to `include`/`require`: named exactly as one
/// (`page`, `file`, `_CONF[path]`), or a snake-case name ending in a word for a local
/// file or directory (`mosConfig_absolute_path`, `appserv_root`, `config[root_dir]`).
/// Names that only contain such a word hold links, not includes: `homepage`,
/// `ClientDownloadLandingPage`, `preview`, `stylesheet`, `TemplateURL`, `doc_url`: an
/// API's JSON is full of them, each with a remote URL.
fn includes_file(name: &str) -> bool {
    const LOCAL: &[&str] = &[
        "path", "file", "dir", "root", "include", "inc", "conf", "config", "template", "tpl",
    ];
    if FILE_PARAMS.iter().any(|p| name.eq_ignore_ascii_case(p)) {
        return true;
    }
    let Some((head, last)) = name.rsplit_once(['_', '-']) else {
        return false;
    };
    // A name that says it holds a URL (`url_template`, GitHub's autolink `url_template`;
    // `webhook_url_path`) holds a link: the word for a file after it is what the link is to.
    let link = head.split(['_', '-', '.', '[', ']']).any(|w| {
        ["url", "uri", "href", "link", "webhook", "endpoint"]
            .iter()
            .any(|l| w.eq_ignore_ascii_case(l))
    });
    !link && LOCAL.iter().any(|w| last.eq_ignore_ascii_case(w))
}

/// A URL whose path ends in the extension of a static resource, before any query or fragment.
fn static_asset(url: &str) -> bool {
    const EXT: &[&str] = &[
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico", ".css", ".js", ".mjs",
        ".map", ".pdf", ".mp4", ".webm", ".mp3", ".woff", ".woff2", ".ttf", ".otf",
    ];
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let after_host = path.find("://").map_or(path, |i| &path[i + 3..]);
    after_host.contains('/')
        && EXT.iter().any(|e| {
            let (p, e) = (path.as_bytes(), e.as_bytes());
            p.len() >= e.len() && p[p.len() - e.len()..].eq_ignore_ascii_case(e)
        })
}

/// Parses one IPv4 component the way `inet_aton` does: decimal, `0x` hex or `0` octal.
fn component(s: &str) -> Option<u64> {
    if let Some(h) = s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        u64::from_str_radix(h, 16).ok()
    } else if s.len() > 1 && s.starts_with('0') {
        u64::from_str_radix(&s[1..], 8).ok()
    } else {
        s.parse().ok()
    }
}

/// An IPv4 host in any form `inet_aton` accepts: `a.b.c.d`, `a.b.c`, `a.b`, a single 32-bit
/// number, each part decimal, hex or octal.
fn ipv4_any(host: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 || parts.iter().any(|p| p.is_empty()) {
        return None;
    }
    let nums: Vec<u64> = parts.iter().map(|p| component(p)).collect::<Option<_>>()?;
    let (head, last) = nums.split_at(nums.len() - 1);
    if head.iter().any(|&n| n > 255) {
        return None;
    }
    let shift = 8 * (4 - nums.len() as u32 + 1);
    let last_max = if shift >= 32 {
        u32::MAX as u64
    } else {
        (1u64 << shift) - 1
    };
    if last[0] > last_max {
        return None;
    }
    let mut v: u64 = 0;
    for (i, &n) in head.iter().enumerate() {
        v |= n << (24 - 8 * i as u32);
    }
    Some(Ipv4Addr::from((v | last[0]) as u32))
}

fn internal_v4(ip: Ipv4Addr) -> bool {
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        // 0.0.0.0 reaches the host itself; the rest of 0.0.0.0/8 is no destination.
        || ip.is_unspecified()
        // Carrier-grade NAT, where some clouds put their metadata service (100.100.100.200).
        || (ip.octets()[0] == 100 && (64..128).contains(&ip.octets()[1]))
}

fn internal(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => {
            let seg0 = v6.segments()[0];
            v6.is_loopback()
                || v6.is_unspecified()
                || (seg0 & 0xfe00) == 0xfc00
                || (seg0 & 0xffc0) == 0xfe80
                // `::ffff:169.254.169.254` (mapped) and `::169.254.169.254` (compatible).
                || v6.to_ipv4().is_some_and(internal_v4)
                || v6 == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254)
        }
    }
}

/// The host of `text` when it reads as a URL (`scheme://[userinfo@]host[:port]…`), with
/// the scheme. Bare `host[:port]/…` counts when `bare` (a URL-named parameter).
fn url_host(text: &str, bare: bool) -> Option<(String, String)> {
    let t = text.trim();
    // `http:127.0.0.1` and `http:\\host`: special schemes need no `//` in URL parsers.
    for special in ["http:", "https:"] {
        // Bytes, not `str` slices: the text may hold a multi-byte character right there.
        if t.len() > special.len()
            && t.as_bytes()[..special.len()].eq_ignore_ascii_case(special.as_bytes())
            && !t[special.len()..].starts_with("//")
        {
            let rest = t[special.len()..].trim_start_matches(['/', '\\']);
            return Some((
                special.trim_end_matches(':').to_string(),
                authority_host(rest),
            ));
        }
    }
    let (scheme, rest) = match t.find("://") {
        Some(p)
            if p > 0
                && t[..p]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'+') =>
        {
            (t[..p].to_ascii_lowercase(), &t[p + 3..])
        }
        _ if t.starts_with("//") => (String::new(), &t[2..]),
        _ if bare => (String::new(), t),
        _ => return None,
    };
    // A host spelled with backslashes between its letters (`\\l\\o\\c\\a\\l…`) reads
    // as the letters to parsers that drop them.
    if rest.starts_with('\\') && rest.len() <= 256 {
        let squeezed: String = rest.chars().filter(|&c| c != '\\').collect();
        return Some((scheme, authority_host(&squeezed)));
    }
    Some((scheme, authority_host(rest)))
}

/// The host of what follows a URL's `scheme://`: userinfo and port dropped, IPv6 brackets
/// removed, lower-cased, no trailing dot.
fn authority_host(rest: &str) -> String {
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
    // A NUL ends the host for C-based resolvers (`127.0.0.1%00example.com`).
    let authority = authority.split(['\0']).next().unwrap_or("");
    let authority = authority.split("%00").next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        // A zone id (`[fe80::1%eth0]`, `%25` in URLs) names the interface, not the host.
        let v6 = v6.split(']').next().unwrap_or("");
        v6.split('%').next().unwrap_or(v6)
    } else if host_port.matches(':').count() > 1 {
        host_port
    } else {
        host_port.split(':').next().unwrap_or("")
    };
    host.to_ascii_lowercase().trim_end_matches('.').to_string()
}

/// Parser confusion: a URL with a space or a second `@` (`http://a.com:80 &@b.com:80# @127.0.0.1/`)
/// reaches different hosts in different parsers; the host after the last `@` is one of them.
fn confused_host(text: &str) -> Option<String> {
    let t = text.trim();
    if t.matches('@').count() < 2 && !(t.contains('@') && t.contains(' ')) {
        return None;
    }
    let (_, after) = t.rsplit_once('@')?;
    Some(authority_host(after))
}

fn host_is_internal(host: &str) -> bool {
    // IDNA maps circled and fullwidth characters and the ideographic full stop to ASCII
    // (`①②⑦.⓪.⓪.①`, `169。254。169。254`, `ⓛⓞⓒⓐⓛⓗⓞⓢⓣ`) before resolving.
    let folded;
    let host = if host.is_ascii() {
        host
    } else {
        folded = idna_fold(host);
        folded.as_str()
    };
    if INTERNAL_NAMES.contains(&host)
        || host.ends_with(".localhost")
        || host.ends_with(".internal")
        || host.ends_with(".svc.cluster.local")
        || host.ends_with(".localtest.me")
        || host.ends_with(".lvh.me")
    {
        return true;
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return internal(ip);
    }
    if ipv4_any(host).is_some_and(internal_v4) {
        return true;
    }
    // Wildcard DNS that answers with the address spelled in the name
    // (`127.0.0.1.nip.io`, `app-10-0-0-5.sslip.io`, `169.254.169.254.xip.io`).
    if let Some(name) = ["nip.io", "sslip.io", "xip.io", "nip.direct"]
        .iter()
        .find_map(|s| host.strip_suffix(s)?.strip_suffix('.'))
    {
        let dotted: Vec<&str> = name.rsplit('.').take(4).collect();
        let dotted = dotted.iter().rev().copied().collect::<Vec<_>>().join(".");
        let dashed = name.rsplit('.').next().unwrap_or(name);
        let dashed: Vec<&str> = dashed.rsplit('-').take(4).collect();
        let dashed = dashed.iter().rev().copied().collect::<Vec<_>>().join(".");
        if [dotted, dashed]
            .iter()
            .any(|ip| ip.parse::<Ipv4Addr>().is_ok_and(internal_v4))
        {
            return true;
        }
    }
    // An address with names in front (`example.com.127.0.0.1`): no DNS name ends in a
    // number, so a parser that takes the last four labels reaches the address.
    if let Some((dot, _)) = host.rmatch_indices('.').nth(3) {
        if host[dot + 1..].parse::<Ipv4Addr>().is_ok_and(internal_v4) {
            return true;
        }
    }
    // One number past 32 bits: parsers that keep only the low 32 bits
    // (`7147006462`, `0x41414141A9FEA9FE` both reach 169.254.169.254).
    let wrapped = if let Some(h) = host.strip_prefix("0x") {
        (h.len() > 8 && h.len() <= 16)
            .then(|| u64::from_str_radix(h, 16).ok())
            .flatten()
    } else {
        (host.len() >= 10 && host.len() <= 20 && host.bytes().all(|b| b.is_ascii_digit()))
            .then(|| host.parse::<u64>().ok())
            .flatten()
    };
    wrapped.is_some_and(|n| n > u64::from(u32::MAX) && internal_v4(Ipv4Addr::from(n as u32)))
}

/// The IDNA mappings attackers use on hosts: circled digits and letters, fullwidth forms
/// and the ideographic and halfwidth full stops, to ASCII; lower-cased.
fn idna_fold(host: &str) -> String {
    host.chars()
        .map(|c| {
            let u = c as u32;
            let mapped = match u {
                0x2460..=0x2468 => Some(b'1' + (u - 0x2460) as u8),
                0x24ea => Some(b'0'),
                0x24b6..=0x24cf => Some(b'a' + (u - 0x24b6) as u8),
                0x24d0..=0x24e9 => Some(b'a' + (u - 0x24d0) as u8),
                0xff01..=0xff5e => Some((u - 0xfee0) as u8),
                0x3002 | 0xff61 => Some(b'.'),
                _ => None,
            };
            mapped.map_or(c, |b| char::from(b).to_ascii_lowercase())
        })
        .collect()
}

impl Ssrf {
    fn check(text: &str, param: &str) -> Option<(Category, f32)> {
        // Schemes that read local files or fetch and open archives: `jar:http://…!/`,
        // `jar:file:…`, Python's `local_file://`, Java's `url:file://`.
        let t = text.trim_start().as_bytes();
        let starts = |p: &[u8]| t.len() > p.len() && t[..p.len()].eq_ignore_ascii_case(p);
        if (starts(b"jar:")
            && [&b"http"[..], b"file", b"ftp"]
                .iter()
                .any(|s| t[4..].starts_with(s)))
            || starts(b"local_file:")
            || starts(b"url:file:")
        {
            return Some((Category::Rfi, 0.85));
        }
        let full_name = param;
        // `_CONF[path]`: the innermost key names what the value is.
        let param = param
            .rsplit('[')
            .next()
            .map_or(param, |p| p.trim_end_matches(']'));
        // A URL (`scheme://`, `//host`) anywhere, or any value of a URL-named parameter.
        let url_param = name_has(param, URL_PARAMS);
        if !url_param && !crate::has(text, "//") {
            return None;
        }
        let (scheme, host) = url_host(text, url_param)?;
        if host.is_empty() && scheme != "file" {
            return None;
        }
        if matches!(
            scheme.as_str(),
            "gopher" | "dict" | "ldap" | "tftp" | "jar" | "netdoc"
        ) {
            return Some((Category::Ssrf, 0.9));
        }
        if !scheme.is_empty() {
            if let Some(other) = confused_host(text) {
                if host_is_internal(&other) {
                    return Some((Category::Ssrf, 0.85));
                }
            }
        }
        if host_is_internal(&host) {
            // `[0:0:0:0:0:0:169.254.169.254]` and `[::ffff:a9fe:a9fe]` name the same host.
            let v4 = host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<std::net::Ipv6Addr>()
                .ok()
                .and_then(|v6| v6.to_ipv4());
            let metadata = host.starts_with("169.254.169.254")
                || host.contains("metadata")
                || host == "100.100.100.200"
                || v4.is_some_and(|v4| {
                    v4 == Ipv4Addr::new(169, 254, 169, 254)
                        || v4 == Ipv4Addr::new(100, 100, 100, 200)
                });
            // Where the user's browser goes next is no fetch of the server's: native apps'
            // OAuth redirects to a loopback port (RFC 8252 §7.3), development logins return
            // to `localhost:3000`. A metadata address there is still a probe.
            if !metadata
                && matches!(scheme.as_str(), "http" | "https")
                && browser_redirect(full_name)
            {
                return None;
            }
            // A private (RFC 1918) address written plainly, without a scheme, in a field
            // inside a document (an Ansible play's `vars.nios_provider.host: 10.36.118.2`,
            // a switch's `ntp_server`): a private network described, as every
            // configuration of one is. Recorded. Loopback, link-local and metadata
            // addresses, other spellings (`0x0a000001`) and URLs still count.
            if scheme.is_empty()
                && !text.trim_start().starts_with("//")
                && host.parse::<Ipv4Addr>().is_ok_and(|ip| ip.is_private())
                && crate::inner_json_field(full_name)
            {
                return Some((Category::Ssrf, 0.6));
            }
            let from_anywhere = !scheme.is_empty();
            if metadata || url_param || (from_anywhere && host.parse::<IpAddr>().is_err()) {
                return Some((Category::Ssrf, if metadata { 0.95 } else { 0.85 }));
            }
            // An internal address in any parameter as a full URL: still a fetch target.
            if from_anywhere {
                return Some((Category::Ssrf, 0.8));
            }
        }
        // Remote file inclusion: a file-like parameter fetching a remote URL, or a remote
        // script by bare IP with the trailing `?` that cuts the appended extension.
        if matches!(scheme.as_str(), "http" | "https" | "ftp" | "ftps") {
            let path = text.trim();
            const SCRIPTS: [&str; 8] =
                [".php", ".txt", ".jsp", ".asp", ".cgi", ".pl", ".sh", ".inc"];
            let lower = path.to_ascii_lowercase();
            let script = SCRIPTS.iter().any(|e| lower.contains(e));
            let ip_host = host.parse::<IpAddr>().is_ok();
            let include_param = includes_file(param);
            // The `?` that cuts the extension an include appends is an RFI payload's mark: the
            // URL's first `?` ends it (`shell.txt?`, `c99.php??`). A page whose query ends in
            // a question (`…/search?q=is+it+blocked%3F`) has asked one.
            let cut = path
                .find('?')
                .is_some_and(|at| path[at..].bytes().all(|b| b == b'?'));
            if (include_param && script) || (name_has(param, FILE_PARAMS) && cut) {
                return Some((Category::Rfi, 0.85));
            }
            // An image, stylesheet, script or document (`image_path=https://cdn…/logo.png`)
            // is a resource the page links to, not code to include. A JSON value inside an
            // inner object (`$.csp-report.source-file`, a Sentry frame's `abs_path`) is a
            // report's or a record's field, not a parameter the server includes.
            if include_param && !static_asset(path) && !crate::inner_json_field(full_name) {
                return Some((Category::Rfi, 0.75));
            }
            if ip_host && script {
                return Some((Category::Rfi, 0.8));
            }
            // In any parameter, a remote script whose name the `?` ends
            // (`http://evil.example/shell.txt?`): the include payload's own mark, which no
            // link to a file needs.
            let bare = lower.trim_end_matches('?');
            if bare.len() < lower.len() && SCRIPTS.iter().any(|e| bare.ends_with(e)) {
                return Some((Category::Rfi, 0.8));
            }
        }
        None
    }
}

/// A custom header (`X-…`, not a proxy's `X-Forwarded-…`) whose value is a cloud metadata URL
/// or uses a scheme no browser or proxy sends (`gopher://`, `dict://`, `file://`): an SSRF
/// probe aimed at an application that reads a URL from a header of its own (nemesida's
/// bypass set). Loopback and private addresses stay the `url`/`uri` headers' concern:
/// development traffic names them in headers all the time.
fn custom_header_probe(name: &str, text: &str) -> bool {
    if !name.starts_with("x-") || name.starts_with("x-forwarded") {
        return false;
    }
    let t = text.trim_start();
    [
        "gopher://",
        "dict://",
        "file://",
        "ldap://",
        "tftp://",
        "jar:",
        "netdoc:",
    ]
    .iter()
    .any(|s| t.get(..s.len()).is_some_and(|p| p.eq_ignore_ascii_case(s)))
        || [
            "169.254.169.254",
            "metadata.google.internal",
            "100.100.100.200",
            "fd00:ec2::254",
        ]
        .iter()
        .any(|h| crate::find_ci(t, h).is_some())
}

impl Detector for Ssrf {
    fn name(&self) -> &'static str {
        "ssrf"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        // A URL needs `:` or `/`, a bare address needs `.` or `:`.
        if !value.classes.any(bc::COLON | bc::SLASH | bc::DOT) {
            return;
        }
        // Headers are the browser's and the proxies' (Referer, Origin, Forwarded,
        // Sec-Fetch-Site…); only a header that names a URL (`X-Callback-Url`) is a target.
        if value.place.kind == palisade_types::PlaceKind::Header
            && !(crate::has(&value.place.name, "url") || crate::has(&value.place.name, "uri"))
            && !custom_header_probe(&value.place.name, value.text())
        {
            return;
        }
        // Decoding drops NULs (`127.0.0.1%00example.com` becomes one name): a C resolver
        // stops at the NUL, so the value as sent is judged too.
        let found = Ssrf::check(value.text(), &value.place.name).or_else(|| {
            let nul = value.raw.contains('\0') || crate::has(&value.raw, "%00");
            nul.then(|| Ssrf::check(&value.raw, &value.place.name))
                .flatten()
        });
        if let Some((category, c)) = found {
            out.push(signal(
                "ssrf",
                category,
                c,
                value,
                value.text(),
                if category == Category::Rfi {
                    "remote or archive file for a file parameter"
                } else {
                    "URL to an internal or metadata address"
                },
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_in_every_spelling() {
        for s in [
            "2130706433",
            "0x7f000001",
            "0177.0.0.1",
            "127.1",
            "0x7f.1",
            "127.0.0.1",
        ] {
            assert_eq!(ipv4_any(s), Some(Ipv4Addr::new(127, 0, 0, 1)), "{s}");
        }
        assert_eq!(
            ipv4_any("2852039166"),
            Some(Ipv4Addr::new(169, 254, 169, 254))
        );
        assert_eq!(ipv4_any("example.com"), None);
        assert_eq!(ipv4_any("1.2.3.4.5"), None);
        assert_eq!(ipv4_any("300.1.1.1"), None);
    }
}
