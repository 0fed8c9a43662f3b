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
        || ip.is_unspecified()
        || ip.octets()[0] == 0
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
                || v6.to_ipv4_mapped().is_some_and(internal_v4)
                || v6 == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254)
        }
    }
}

/// The host of `text` when it reads as a URL (`scheme://[userinfo@]host[:port]…`), with
/// the scheme. Bare `host[:port]/…` counts when `bare` (a URL-named parameter).
fn url_host(text: &str, bare: bool) -> Option<(String, String)> {
    let t = text.trim();
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
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or("");
    let host_port = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = host_port.strip_prefix('[') {
        v6.split(']').next().unwrap_or("").to_string()
    } else if host_port.matches(':').count() > 1 {
        host_port.to_string()
    } else {
        host_port.split(':').next().unwrap_or("").to_string()
    };
    Some((
        scheme,
        host.to_ascii_lowercase().trim_end_matches('.').to_string(),
    ))
}

fn host_is_internal(host: &str) -> bool {
    if INTERNAL_NAMES.contains(&host) || host.ends_with(".localhost") || host.ends_with(".internal")
    {
        return true;
    }
    if let Ok(ip) = host.parse::<IpAddr>() {
        return internal(ip);
    }
    ipv4_any(host).is_some_and(internal_v4)
}

impl Ssrf {
    fn check(text: &str, param: &str) -> Option<(Category, f32)> {
        // A URL (`scheme://`, `//host`) anywhere, or any value of a URL-named parameter.
        let url_param = name_has(param, URL_PARAMS);
        if !url_param && !text.contains("//") {
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
        if host_is_internal(&host) {
            let metadata = host.starts_with("169.254.169.254")
                || host.contains("metadata")
                || host == "100.100.100.200";
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
            let script = [".php", ".txt", ".jsp", ".asp", ".cgi", ".pl", ".sh", ".inc"]
                .iter()
                .any(|e| path.to_ascii_lowercase().contains(e));
            let ip_host = host.parse::<IpAddr>().is_ok();
            if name_has(param, FILE_PARAMS) && (script || path.ends_with('?')) {
                return Some((Category::Rfi, 0.85));
            }
            if name_has(param, FILE_PARAMS) {
                return Some((Category::Rfi, 0.75));
            }
            if ip_host && script {
                return Some((Category::Rfi, 0.8));
            }
        }
        None
    }
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
            && !(value.place.name.contains("url") || value.place.name.contains("uri"))
        {
            return;
        }
        if let Some((category, c)) = Ssrf::check(value.text(), &value.place.name) {
            out.push(signal("ssrf", category, c, value, value.text()));
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
