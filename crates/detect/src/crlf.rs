//! CRLF injection: a line break in a value followed by an HTTP header (`%0d%0aSet-Cookie:`,
//! `%0aLocation:`) or by a request or status line (`%0aGET / HTTP/1.1`, `HTTP/1.1 200 OK`).
//! Reflected into a response header it splits the response; forwarded upstream it smuggles
//! a request. The URL, query, headers and cookies never carry a line break of their own, so
//! any HTTP header line there counts; a body field is text a person writes (`Thanks!\nLocation:
//! Berlin`), so there only the headers that steer a response and the protocol lines count.

use crate::{signal, Detector};
use palisade_normalize::classes as bc;
use palisade_normalize::Value;
use palisade_types::{Category, PlaceKind, Signal};

pub struct Crlf;

/// Response headers an injection sets; no letter or form field starts a line with them.
const STEERING: &[&str] = &[
    "set-cookie",
    "content-length",
    "content-type",
    "transfer-encoding",
    "content-security-policy",
    "x-xss-protection",
    "access-control-allow-origin",
    "access-control-allow-credentials",
    "refresh",
];

/// Headers a response or a forwarded request carries: in the URL, after a line break, they
/// can only be injected. Names a text format shares (robots.txt's `User-agent:`, YAML's
/// `title:`, a Makefile's `build:`) are not HTTP's.
const HTTP: &[&str] = &[
    "location",
    "host",
    "cookie",
    "authorization",
    "referer",
    "origin",
    "connection",
    "upgrade",
    "via",
    "forwarded",
    "cache-control",
    "pragma",
    "expires",
    "last-modified",
    "etag",
    "server",
    "vary",
    "link",
    "www-authenticate",
    "remote-addr",
    "content-disposition",
    "content-encoding",
    "content-language",
    "content-location",
];

const METHODS: &[&str] = &[
    "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT",
];

/// `Name:` at the start of `line`: a header name (letters, digits, `-`), then `:`.
fn header_name(line: &str) -> Option<&str> {
    let end = line
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'-'))?;
    let name = &line[..end];
    let starts_with_letter = name.bytes().next().is_some_and(|b| b.is_ascii_alphabetic());
    (starts_with_letter && name.len() >= 2 && line[end..].starts_with(':')).then_some(name)
}

/// `GET /x HTTP/1.1` or `HTTP/1.1 200 …` at the start of `line`.
fn protocol_line(line: &str) -> bool {
    if let Some(status) = line.strip_prefix("HTTP/") {
        let mut parts = status.splitn(3, ' ');
        let version = parts.next().unwrap_or("");
        let code = parts.next().unwrap_or("");
        return version.len() == 3 && code.len() == 3 && code.bytes().all(|b| b.is_ascii_digit());
    }
    let Some((method, rest)) = line.split_once([' ', '\t']) else {
        return false;
    };
    if !METHODS.contains(&method) {
        return false;
    }
    let rest = rest.trim_start();
    let target_end = rest.find([' ', '\t']).unwrap_or(rest.len());
    let (target, after) = rest.split_at(target_end);
    (target.starts_with('/') || target.starts_with("http"))
        && after.trim_start().starts_with("HTTP/")
}

/// A mail protocol's command line at the start of `line`, written as the protocols write
/// them (upper case): SMTP's `RCPT TO:`/`MAIL FROM:` and its bare `DATA`/`QUIT`/`RSET`,
/// IMAP's tagged commands (`V100 CAPABILITY`, `a1 FETCH 4791`). Injected after a line break
/// into a field a webmail or a contact form hands to its mail server, each runs as a
/// command of its own (IMAP/SMTP injection).
fn mail_command(line: &str) -> bool {
    let first = line.lines().next().unwrap_or("").trim_end();
    if first.starts_with("RCPT TO:") || first.starts_with("MAIL FROM:") {
        return true;
    }
    if matches!(first, "DATA" | "QUIT" | "RSET" | "NOOP") {
        return true;
    }
    let mut words = first.split(' ');
    let (Some(tag), Some(command)) = (words.next(), words.next()) else {
        return false;
    };
    let tagged = (1..=8).contains(&tag.len())
        && tag.bytes().all(|b| b.is_ascii_alphanumeric())
        && tag.bytes().any(|b| b.is_ascii_digit());
    tagged
        && matches!(
            command,
            "CAPABILITY"
                | "LOGIN"
                | "SELECT"
                | "EXAMINE"
                | "FETCH"
                | "STORE"
                | "LIST"
                | "LOGOUT"
                | "APPEND"
                | "DELETE"
                | "RENAME"
                | "COPY"
                | "UID"
                | "AUTHENTICATE"
        )
}

impl Crlf {
    fn check(text: &str, anywhere: bool) -> Option<(f32, &'static str)> {
        let b = text.as_bytes();
        // In a body field, a header pasted under a sentence or a label (`The server
        // answers:\nContent-Type: text/html`) is shown; an injection follows a parameter's
        // own short value (`foobar\r\nContent-Length: 0`) or nothing.
        let first_break = memchr::memchr2(b'\r', b'\n', b).unwrap_or(text.len());
        let lead = text[..first_break].trim();
        // A MIME body (an inbound-mail webhook's `html` part, a pasted multipart request)
        // opens with its boundary's delimiter line and repeats it further down; its headers
        // are the part's, not a response's.
        let mime_part =
            lead.len() > 4 && lead.starts_with("--") && text.matches(lead).nth(1).is_some();
        let appended =
            anywhere || !(lead.contains(char::is_whitespace) || lead.ends_with(':') || mime_part);
        let mut from = 0;
        while let Some(at) = memchr::memchr2(b'\r', b'\n', &b[from..]).map(|p| from + p) {
            let line = text[at..].trim_start_matches(['\r', '\n']);
            from = text.len() - line.len();
            if from >= text.len() {
                break;
            }
            if protocol_line(line) {
                return Some((0.9, "request or status line after a line break"));
            }
            if appended && mail_command(line) {
                return Some((0.85, "mail command after a line break"));
            }
            let Some(name) = header_name(line) else {
                continue;
            };
            if appended && STEERING.iter().any(|h| name.eq_ignore_ascii_case(h)) {
                return Some((0.9, "response header after a line break"));
            }
            let http = HTTP.iter().any(|h| name.eq_ignore_ascii_case(h))
                || name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("x-"))
                || name
                    .get(..6)
                    .is_some_and(|p| p.eq_ignore_ascii_case("proxy-"));
            if anywhere && http {
                return Some((0.85, "header after a line break"));
            }
            // In the URL, any `Name: value` line right after a parameter's own single token,
            // one line break between (`http://www.google.fr\r\nwapiti: 3.0.4`, a scanner's
            // marker header that it looks for in the response): no link, query or cookie
            // breaks a word onto a header line. A line after words or a label (`query
            // {\nfoo: user(id: 1)`), or further down pasted text (`dir.read()\n\n…\nClass:
            // fs.Dirent`), is not one; nor is a line after a marker (`---\ntitle: My post`,
            // YAML front matter).
            let own_token = at == first_break
                && matches!(&text[at..from], "\r\n" | "\n" | "\r")
                && lead.bytes().any(|b| b.is_ascii_alphanumeric())
                && !lead.contains(char::is_whitespace)
                && !lead.ends_with(':');
            if anywhere && own_token && line[name.len() + 1..].starts_with(' ') {
                return Some((0.85, "header after a line break"));
            }
        }
        None
    }
}

impl Detector for Crlf {
    fn name(&self) -> &'static str {
        "crlf"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        if !value.classes.any(bc::NEWLINE) {
            return;
        }
        let anywhere = matches!(
            value.place.kind,
            PlaceKind::Path
                | PlaceKind::QueryKey
                | PlaceKind::QueryValue
                | PlaceKind::Header
                | PlaceKind::Cookie
        );
        if let Some((confidence, why)) = Crlf::check(value.text(), anywhere) {
            out.push(signal(
                "crlf",
                Category::GenericInjection,
                confidence,
                value,
                value.text(),
                why,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lines_count_in_the_url_and_steering_ones_anywhere() {
        assert!(Crlf::check("/home\r\nSet-Cookie: a=1", false).is_some());
        assert!(Crlf::check("x\nX-Forwarded-For: 1.2.3.4", true).is_some());
        assert!(Crlf::check("Thanks!\nLocation: Berlin", false).is_none());
        assert!(Crlf::check("Thanks!\nLocation: Berlin", true).is_some());
        assert!(Crlf::check("aaa\nGET / HTTP/1.1", false).is_some());
        assert!(Crlf::check("x\r\n\r\nHTTP/1.1 200 OK", false).is_some());
        assert!(Crlf::check("first line\nsecond line: more", false).is_none());
        assert!(Crlf::check("The server answers:\nContent-Type: text/html", false).is_none());
        assert!(Crlf::check("Response:\nContent-Type: text/html", false).is_none());
        assert!(Crlf::check("User-agent: *\nDisallow: /admin/", true).is_none());
        assert!(Crlf::check("build:\n\tgo build\ntest:\n\tgo test", true).is_none());
        assert!(Crlf::check("trailing\n", true).is_none());
        // Any header line after the parameter's own token in the URL; not after words.
        assert!(Crlf::check("http://www.google.fr\r\nwapiti: 3.0.4 version", true).is_some());
        assert!(Crlf::check("http://www.google.fr\r\nwapiti: 3.0.4 version", false).is_none());
        assert!(Crlf::check("query {\nfoo: user(id: 1) { name }\n}", true).is_none());
        assert!(Crlf::check("Hi there\nName: Bob", true).is_none());
        assert!(Crlf::check("dir.read()\n\ndir.read(cb)\n\nClass: fs.Dir", true).is_none());
    }
}
