//! Path traversal and local file inclusion: climbing directories (`../`, `..\`, encoded
//! forms are decoded before we see them) toward system files, or naming them outright.

use crate::{signal, Detector};
use palisade_normalize::classes as bc;
use palisade_normalize::Value;
use palisade_types::{Category, PlaceKind, Signal};

pub struct Lfi;

/// Files attackers reach for. Matched case-insensitively with `\` read as `/`.
const SENSITIVE: &[&str] = &[
    "etc/passwd",
    "etc/shadow",
    "etc/hosts",
    "etc/group",
    "proc/self/",
    "proc/version",
    "proc/cpuinfo",
    "proc/meminfo",
    "proc/interrupts",
    "proc/mounts",
    "proc/net/",
    "/sys/class/",
    "/sys/kernel/",
    "/.docker/",
    "win.ini",
    "boot.ini",
    "system32/",
    "web.config",
    "/.env",
    ".htaccess",
    ".htpasswd",
    "wp-config.php",
    "id_rsa",
    ".ssh/",
    ".git/config",
    "windows/system.ini",
    // A user's registry hive, read over an admin share (`\\::1\c$\users\default\ntuser.dat`).
    "ntuser.dat",
    "/var/log/",
    "/.aws/credentials",
    "web-inf/",
    "global.asa",
    "/inetpub/",
    // What LFI lists probe next (SecLists' LFI-Jhaddix, CRS lfi-os-files): services'
    // configuration, shells' histories, web servers' logs.
    "etc/crontab",
    "etc/sudoers",
    "etc/fstab",
    "etc/resolv.conf",
    // Present on every system, and so what scanners read to prove a read (wapiti).
    "etc/services",
    "etc/master.passwd",
    "etc/security/",
    "etc/ssh/",
    "etc/my.cnf",
    "etc/mysql/",
    "etc/apache2/",
    "etc/httpd/",
    "etc/php",
    "/php.ini",
    "httpd.conf",
    "boot/grub/",
    ".bash_history",
    ".bashrc",
    ".bash_profile",
    ".zsh_history",
    ".cshrc",
    "logs/access.log",
    "logs/access_log",
    "logs/error.log",
    "logs/error_log",
];

/// [`SENSITIVE`] as one case-insensitive automaton, `\` spellings included, built once.
static SENSITIVE_AC: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        let both = SENSITIVE
            .iter()
            .flat_map(|s| [s.to_string(), s.replace('/', "\\")]);
        aho_corasick::AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(both)
            // A constant list of plain strings: building cannot fail.
            .unwrap_or_else(|_| unreachable!())
    });

/// The path ends at the first space and a sentence follows: at least two words, one of
/// letters only and the other of letters and digits (`/var/log/nginx/error.log shows 502s`);
/// `c:/program files/apache group/…` goes on as a path.
fn sentence_after_path(norm: &str) -> bool {
    norm.split_once(char::is_whitespace)
        .is_some_and(|(_, rest)| {
            let words = || {
                rest.split_whitespace()
                    .map(|w| w.trim_end_matches(['.', ',', '!', '?', ';', ':']))
            };
            !rest.contains(['/', '\\'])
                && words()
                    .filter(|w| {
                        w.len() >= 2
                            && w.chars().all(char::is_alphanumeric)
                            && w.chars().any(char::is_alphabetic)
                    })
                    .count()
                    >= 2
                && words().any(|w| w.len() >= 3 && w.chars().all(char::is_alphabetic))
        })
}

/// The system's banner and identity, read first to pick the next payload. Whole names
/// only: `/repos/acme/etc/issues/5` is a REST path.
const BANNER: &[&str] = &[
    "etc/issue",
    "etc/hostname",
    "etc/os-release",
    "etc/lsb-release",
    "etc/motd",
    "etc/environment",
    "etc/apt/sources.list",
];

static BANNER_AC: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(BANNER)
        // A constant list of plain strings: building cannot fail.
        .unwrap_or_else(|_| unreachable!())
});

/// Does `text` name one of the system files an attacker reads (`/etc/passwd`, `boot.ini`,
/// `/etc/issue`)?
pub(crate) fn names_sensitive_file(text: &str) -> bool {
    SENSITIVE_AC.is_match(text)
        || BANNER_AC.find_iter(text).any(|m| {
            !text
                .as_bytes()
                .get(m.end())
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
        })
}

/// Does `text` name only a web server's log by a relative path (`logs/access.log`)? An
/// application's own log viewer takes that parameter; reading another's log takes a climb
/// or an absolute path, which the callers judge first.
fn logs_only(text: &str) -> bool {
    // [`SENSITIVE_AC`] holds two spellings per entry, in order: pattern `i` is entry `i / 2`.
    !BANNER_AC.is_match(text)
        && SENSITIVE_AC
            .find_iter(text)
            .all(|m| SENSITIVE[m.pattern().as_usize() / 2].starts_with("logs/"))
}

/// What attackers read under `/var/log/`: the web server's logs they poison with code and
/// include (Apache, nginx, lighttpd, PHP's), and the system's (auth, mail, FTP, syslog)
/// that carry secrets or take their own poisoned lines. Names as their first segment.
const SYSTEM_LOGS: &[&str] = &[
    "apache",
    "httpd",
    "nginx",
    "lighttpd",
    "php",
    "auth",
    "secure",
    "syslog",
    "messages",
    "mail",
    "vsftpd",
    "proftpd",
    "pure-ftpd",
    "xferlog",
    "sshd",
    "lastlog",
    "wtmp",
    "btmp",
    "faillog",
    "kern",
    "dmesg",
    "boot",
    "cron",
    "daemon",
    "user.log",
    "debug",
    "audit",
    "mysql",
    "mariadb",
    "postgresql",
    "sudo",
    "samba",
    "exim",
    "postfix",
    "dovecot",
    "tomcat",
    "jboss",
    "iis",
];

/// Is `norm` (lower case, `/` separators) only the path of a file under `/var/log/` that
/// is no system or web server log (`/var/log/app/app.log`): an application's own log, which log
/// shippers name in every record (OpenTelemetry's `log.file.path`, Loki's `filename`).
fn app_log_only(norm: &str) -> bool {
    !norm.contains(char::is_whitespace)
        && !BANNER_AC.is_match(norm)
        && SENSITIVE_AC.find_iter(norm).all(|m| {
            SENSITIVE[m.pattern().as_usize() / 2] == "/var/log/"
                && !SYSTEM_LOGS
                    .iter()
                    .any(|name| norm[m.end()..].starts_with(name))
        })
}

/// Does `norm` name, of [`SENSITIVE`]'s files, only an application's own configuration
/// (`.env`, `web.config`, `.git/config`, `.htaccess`, `wp-config.php`, `WEB-INF/`), and no
/// banner file?
fn app_config_only(norm: &str) -> bool {
    const APP: [&str; 6] = [
        "/.env",
        "web.config",
        ".git/config",
        ".htaccess",
        "wp-config.php",
        "web-inf/",
    ];
    !BANNER_AC.is_match(norm)
        && SENSITIVE_AC
            .find_iter(norm)
            .all(|m| APP.contains(&SENSITIVE[m.pattern().as_usize() / 2]))
}

/// Characters Windows' "best fit" mapping (and IIS) reads as `.`, `/` or `\\`: fullwidth
/// and small dots, the division slash, the set minus, fullwidth solidi
/// (`%uff0e%uff0e%u2215etc%u2215passwd` climbs).
const BEST_FIT: [char; 7] = [
    '\u{ff0e}', '\u{fe52}', '\u{2024}', '\u{2215}', '\u{ff0f}', '\u{2216}', '\u{ff3c}',
];

fn best_fit(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{ff0e}' | '\u{fe52}' | '\u{2024}' => '.',
            '\u{2215}' | '\u{ff0f}' => '/',
            '\u{2216}' | '\u{ff3c}' => '\\',
            c => c,
        })
        .collect()
}

impl Lfi {
    /// `json`: the value's JSON path, when it is a JSON value (read only when one climb
    /// needs to know whether it is a field inside the document, [`crate::inner_json_field`]).
    fn check(text: &str, in_path: bool, json: Option<&str>) -> Option<f32> {
        Lfi::climbs_or_names(text, in_path, json)
            .or_else(|| junk_climb(text))
            .or_else(|| (!in_path && unfilled_template(text)).then_some(0.85))
            .or_else(|| hex_climb(text).then_some(0.85))
    }

    fn climbs_or_names(text: &str, in_path: bool, json: Option<&str>) -> Option<f32> {
        // Without a climb, only a parameter that starts like an absolute path can name a file.
        let absolute = !in_path
            && (text.starts_with(['/', '\\'])
                || text.get(1..2) == Some(":")
                || text
                    .get(..5)
                    .is_some_and(|p| p.eq_ignore_ascii_case("file:")));
        if !text.contains("..") && !absolute {
            // A parameter that is a system file's relative path (`web-inf/web.xml`).
            let named = !in_path
                && !text.contains(char::is_whitespace)
                && ((names_sensitive_file(text) && !logs_only(text)) || squeezed_whole(text));
            return named.then_some(0.8);
        }
        let mut norm = text.replace('\\', "/").to_ascii_lowercase();
        if let Some(read) = hex_literals_read(&norm) {
            norm = read;
        }
        // A file system reads `/./` as `/` and `//` as `/` (`file:///etc/./passwd`,
        // `/etc//shadow`): the file named is the same.
        // A URL's `scheme://` keeps its slashes: the link rules below read them.
        if norm.contains("/./") || norm.contains("//") {
            while norm.contains("/./") {
                norm = norm.replace("/./", "/");
            }
            let mut folded = String::with_capacity(norm.len());
            for c in norm.chars() {
                let doubled = c == '/' && folded.ends_with('/') && !folded.ends_with(":/");
                if !doubled {
                    folded.push(c);
                }
            }
            norm = folded;
        }
        // Windows reads `...` and `....` as `..`: a run of dots against a separator climbs.
        // `foo../1234`, `foo.../1234` are names that end in dots, not climbs: dots climb
        // as a segment of their own.
        let climbs = norm
            .match_indices("../")
            .filter(|&(at, _)| {
                !norm[..at]
                    .trim_end_matches('.')
                    .as_bytes()
                    .last()
                    .is_some_and(u8::is_ascii_alphanumeric)
            })
            .count()
            + usize::from(norm.ends_with("/.."))
            + if norm.contains(char::is_whitespace) {
                0
            } else {
                dot_runs(&norm)
            };
        // A climb counts toward a system file only on its way there: in a page that links
        // `../logs.html` and, elsewhere, names `.htaccess`, neither path reads the file. A
        // path ends at a quote or an angle bracket too (`<a href="../howto/htaccess.html">
        // .htaccess</a>` links a page and names the file in its text).
        let sensitive = names_sensitive_file(&norm)
            && (climbs == 0
                || norm
                    .split(|c: char| c.is_ascii_whitespace() || matches!(c, '"' | '\'' | '<' | '>'))
                    .any(|t| {
                        (t.contains("../") || t.ends_with("/..") || dot_runs(t) > 0)
                            && names_sensitive_file(t)
                    }));
        if !sensitive && squeezed_target(&norm) {
            return Some(0.85);
        }
        match (climbs, sensitive) {
            // A sentence that climbs a level or two to an application's own configuration
            // (`We load ../config/.env in dev`, Node's `ENOENT: no such file or directory,
            // open '/app/config/../.env.production'` pasted in a ticket): words before the
            // path make it no file a sink can open. Recorded. System files still block.
            (1 | 2, true) if !in_path && prose(&norm) && app_config_only(&norm) => Some(0.6),
            (n, true) if n >= 1 => Some(0.95),
            // A value that names a system file by absolute path (`/etc/passwd`, `C:/windows/win.ini`).
            (0, true)
                if !in_path
                    && (norm.starts_with('/')
                        || norm.get(1..3) == Some(":/")
                        || norm.starts_with("file:")) =>
            {
                // A file-reading sink opens the whole value: a sentence after the path
                // (`/etc/shadow permissions are 640, is that normal?`) names no file it
                // can open; nor does an application's own log, which log shippers name
                // in every record. Recorded, not blocked.
                Some(if sentence_after_path(&norm) || app_log_only(&norm) {
                    0.6
                } else {
                    0.85
                })
            }
            // Climbing in a parameter, or climbing out of the root in the path. In prose
            // (`see [the licence](../../LICENSE)`, `.. include:: ../../README.rst`) a climb
            // to no system file is a relative link.
            (n, _)
                if n >= 2
                    && !in_path
                    && !prose(&norm)
                    && !mentioned_document(&norm)
                    && !html_links(&norm)
                    && !markdown_links(&norm)
                    && !js_module_paths(&norm)
                    && !parent_context_paths(&norm)
                    && !rst_directive_paths(&norm)
                    && !template_directive_paths(&norm)
                    && !source_location(&norm)
                    && !(n <= 3 && asset(&norm)) =>
            {
                Some(0.85)
            }
            (n, _) if n >= 1 && in_path => Some(0.8),
            // One climb toward something (`../config.php`); a bare `../` names nothing.
            // Inside a document (an Ansible play's `include_tasks: ../_create_job.yml`, a
            // Molecule scenario's `playbooks.cleanup`) one climb is the document's own
            // layout: recorded, not blocked. Climbing further, or to a system file, counts
            // anywhere.
            (1, false)
                if !in_path
                    && leading_climb(&norm)
                    && !asset(&norm)
                    && !html_links(&norm)
                    && !parent_context_paths(&norm)
                    && !source_location(&norm)
                    && !bare_climb(&norm) =>
            {
                Some(if json.is_some_and(crate::inner_json_field) {
                    0.6
                } else {
                    0.75
                })
            }
            // A parameter that is a system file's path (`web-inf/web.xml`), not prose about it.
            (0, true) if !in_path && !norm.contains(char::is_whitespace) && !logs_only(&norm) => {
                Some(0.8)
            }
            _ => None,
        }
    }
}

/// A climb written with separators no decoder turns into `/` (DotDotPwn's `..%c0%qf`,
/// `..%bg%qf`, `..%c1%1c`, `.?/`, `%%c0%6e%c0%6e/`: invalid escapes, stray control bytes,
/// bytes that are not UTF-8): some server's decoder reads each as `../`, and nothing else
/// writes one unit of dots and junk twice in a row. The value starts with a unit repeated
/// (at least twice) that holds two or more dots, `?` or bytes that were not UTF-8, and a
/// separator (`/`, `%`, `?`, a control byte, a byte past ASCII), and no word (at most four
/// letters, as escape junk has) — `1.1.1.1`, `...`, `.-.-` and repeated emoji do not
/// qualify; a name must follow the units. With the unit's
/// separator read as `/`, a system file after it is a read (0.95); the repeated unit alone
/// is a climb (0.85). A single unit counts only with a two-segment system file after it,
/// its junk separator repeated between the segments (`..%c0%qfetc%c0%qfpasswd`).
/// The units must be the value's whole prefix.
/// Cold: only values that start with a dot, `?`, `%`, `0x2e` or U+FFFD get this far.
fn junk_climb(text: &str) -> Option<f32> {
    let bare = text.trim_start_matches(['/', '\\']);
    let hex_dot = bare
        .get(..4)
        .is_some_and(|p| p.eq_ignore_ascii_case("0x2e"));
    if !(bare.starts_with(['.', '?', '%', '\u{fffd}']) || hex_dot)
        || text.len() > 1024
        || text.contains(char::is_whitespace)
    {
        return None;
    }
    let mut t = text.to_ascii_lowercase().replace('\\', "/");
    let mut spelled = false;
    if let Some(read) = hex_literals_read(&t) {
        spelled |= read != t;
        t = read;
    }
    // And its doubled percents: `%%32%%65` arrives as `%2%e` once a server has decoded it,
    // a `.` to a decoder that reads the pair of escapes as one.
    if t.contains("%2%") || t.contains("%5%") {
        let read = t
            .replace("%2%e", ".")
            .replace("%2%f", "/")
            .replace("%5%c", "/");
        spelled |= read != t;
        t = read;
    }
    // The unit may begin with the separator (`%5c..%c0%qf%5c..%c0%qf…`) or after it. Once
    // the hex and doubled-percent spellings are read, plain climbs are judged as any are
    // (`..%2%f..%2%f..%2%fboot.ini`, whose last `%fb` a decoder turned into a byte).
    junk_units(&t)
        .or_else(|| junk_units(t.trim_start_matches('/')))
        .or_else(|| {
            spelled
                .then(|| Lfi::climbs_or_names(&t, false, None))
                .flatten()
        })
}

/// A traversal wordlist's line sent as the list has it, its file not filled in (DotDotPwn's
/// and fuzzdb's `/..{file}`, `//{file}`, `....//{file}`, after a run of padding
/// `aaaa…/../{file}`): climbing dots or doubled slashes right before the `{file}`
/// placeholder, with nothing but one repeated padding character before them. What only
/// a traversal scanner sends; an API's path template (`/files/{file}`) names a folder.
fn unfilled_template(text: &str) -> bool {
    let Some(junk) = text
        .len()
        .checked_sub(6)
        .filter(|&at| text.is_char_boundary(at) && text[at..].eq_ignore_ascii_case("{file}"))
        .map(|at| &text[..at])
    else {
        return false;
    };
    let run = junk.len() - junk.trim_end_matches(['.', '/', '\\']).len();
    let (pad, tail) = junk.split_at(junk.len() - run);
    let climbs = tail.contains("..") || tail.contains("//") || tail.contains("\\\\");
    let pad = pad.strip_prefix(['/', '\\']).unwrap_or(pad);
    let padding = pad.is_empty()
        || pad
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() && b == pad.as_bytes()[0]);
    run >= 2 && climbs && padding
}

/// DotDotPwn writes dots and slashes as hex literals (`0x2e0x2e0x2f`, `..0x2f`): `norm`
/// (lower-cased) with them read, when it has any.
fn hex_literals_read(norm: &str) -> Option<String> {
    (norm.contains("0x2e") || norm.contains("0x2f") || norm.contains("0x5c")).then(|| {
        norm.replace("0x2e", ".")
            .replace("0x2f", "/")
            .replace("0x5c", "/")
    })
}

/// A value that opens with hex literals and climbs once they are read (`0x5c0x2e./`,
/// `0x5c0x2e.%00/`: `\..` and a separator, CRS's probes in any header): no path is
/// written in hex literals but to slip a climb past a filter.
fn hex_climb(text: &str) -> bool {
    if !text.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("0x"))
        || text.contains(char::is_whitespace)
    {
        return false;
    }
    hex_literals_read(&text.to_ascii_lowercase())
        .is_some_and(|read| read.contains("../") || read.contains("/.."))
}

/// A dot form written in escape junk: two or more dots, `?` or undecodable bytes, and no
/// word (at most four letters, as escapes have).
fn dot_form(s: &str) -> bool {
    s.chars()
        .filter(|c| matches!(c, '.' | '?' | '\u{fffd}'))
        .count()
        >= 2
        && s.bytes().filter(u8::is_ascii_alphabetic).count() <= 4
}

fn junk_units(t: &str) -> Option<f32> {
    let b = t.as_bytes();
    // A unit of escape junk: a dot form with a separator in it (a slash, an escape's `%`,
    // a `?`, a control byte, a byte past ASCII).
    let junk_unit = |u: &str| {
        dot_form(u)
            && u.bytes()
                .any(|c| matches!(c, b'/' | b'%' | b'?' | ..=0x1f | 0x80..))
    };
    for l in 2..=24usize {
        if b.len() < 2 * l || !t.is_char_boundary(l) || b[..l] != b[l..2 * l] || !junk_unit(&t[..l])
        {
            continue;
        }
        let mut k = 2;
        while b.len() >= (k + 1) * l && b[k * l..(k + 1) * l] == b[..l] {
            k += 1;
        }
        let rest = &t[k * l..];
        if !rest.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            continue;
        }
        // The separator: what the unit holds after its last dot or `?`.
        let u = &t[..l];
        let sep = &u[u.rfind(['.', '?']).map_or(0, |i| i + 1)..];
        let named = !sep.is_empty() && names_sensitive_file(&rest.replace(sep, "/"));
        // Plain climbs are `climbs_or_names`' to judge, with its exceptions (a few to a
        // picture or a stylesheet are a relative link): this is for junk separators.
        if u == "../" {
            return None;
        }
        return Some(if named || names_sensitive_file(rest) {
            0.95
        } else {
            0.85
        });
    }
    // A system file's two segments with a separator between them, after units of a dot form
    // and that same separator: `..%c0%qfetc%c0%qfpasswd`, and `..o..oetcopasswd` (IIS reads
    // `%c1%af` as `o`), which the repetition above cannot tell from a name.
    const TWO_SEGMENTS: [&str; 2] = ["windows/system32", "winnt/system32"];
    SENSITIVE
        .iter()
        .chain(BANNER)
        .chain(&TWO_SEGMENTS)
        .find_map(|name| {
            let (dir, file) = name.trim_start_matches('/').split_once('/')?;
            let file = file.trim_end_matches('/');
            if dir.is_empty() || file.is_empty() {
                return None;
            }
            let at = t.find(dir)?;
            let after = &t[at + dir.len()..];
            let sep = &after[..after.find(file)?];
            let prefix = &t[..at];
            if sep.is_empty() || sep.len() > 12 || prefix.len() > 512 {
                return None;
            }
            let unit = &prefix[..prefix.find(sep)? + sep.len()];
            let dots = &unit[..unit.len() - sep.len()];
            (prefix.len().is_multiple_of(unit.len())
                && prefix
                    .as_bytes()
                    .chunks(unit.len())
                    .all(|c| c == unit.as_bytes())
                && dot_form(dots))
            .then_some(0.95)
        })
}

/// System files with their separators squeezed out (`etcpasswd`, `web-infweb.xml`), the
/// way a probe reads after a filter strips backslashes, right after a run of dots
/// (`........etcpasswd`) or a drive (`c:windowswin.ini`): a climb or an absolute path whose
/// separators were eaten, aimed at a system file. `oot.ini` is `c:\boot.ini` after `\b`
/// was read as an escape. Nothing but a traversal probe glues dots or a drive to these names.
fn squeezed_target(norm: &str) -> bool {
    SQUEEZED_PATHS
        .iter()
        .chain(&["boot.ini", "oot.ini", "win.ini"])
        .any(|name| {
            norm.match_indices(name).any(|(at, _)| {
                let before = &norm[..at];
                let drive = before
                    .strip_prefix("file:")
                    .unwrap_or(before)
                    .trim_start_matches('/');
                before.ends_with("..")
                    || (drive.len() == 2
                        && drive.as_bytes()[0].is_ascii_alphabetic()
                        && drive.ends_with(':'))
            })
        })
}

/// System files' paths with their separators squeezed out: no word or file name a person
/// types, so a value that is one of them is a probe by itself.
const SQUEEZED_PATHS: &[&str] = &[
    "etcpasswd",
    "etcshadow",
    "web-infweb.xml",
    "windowswin.ini",
    "winntwin.ini",
];

/// A whole value that is one of [`SQUEEZED_PATHS`] (`web-infweb.xml`, `etcpasswd`).
fn squeezed_whole(text: &str) -> bool {
    SQUEEZED_PATHS
        .iter()
        .any(|name| text.eq_ignore_ascii_case(name))
}

/// Words around the path: at least three runs of two or more letters between spaces, as a
/// sentence or a directive has and a payload padded with a space does not.
fn prose(norm: &str) -> bool {
    norm.split_ascii_whitespace()
        .filter(|w| w.len() >= 2 && w.bytes().all(|b| b.is_ascii_alphabetic() || b == b':'))
        .count()
        >= 3
}

/// A climb that names nothing: the value is `../` alone, or its first word is (`../ in the
/// URL gives a 404`, prose about the climb itself).
fn bare_climb(norm: &str) -> bool {
    let first = norm.split_whitespace().next().unwrap_or("");
    (first.trim_end_matches('/').ends_with("..") && first.bytes().all(|b| b == b'.' || b == b'/'))
        || norm.trim_end().trim_end_matches('/').ends_with("..")
}

/// A compiler's or a tool's message that starts at a source location (`../src/table.hh:377:60:
/// error: comparison between signed and unsigned`, `../../lib/m4sh.m4:639: AS_IF is
/// expanded from...`), pasted into a ticket: the path carries a line number and the message
/// follows it. A file parameter holds a path to open, not a place in it with words after.
fn source_location(norm: &str) -> bool {
    let t = norm.trim_start();
    let Some((token, message)) = t.split_once(char::is_whitespace) else {
        return false;
    };
    let Some((path, location)) = token.split_once(':') else {
        return false;
    };
    let location = location.strip_suffix(':').unwrap_or(location);
    path.contains("../")
        && !location.is_empty()
        && location
            .split(':')
            .all(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        && message.bytes().any(|b| b.is_ascii_alphabetic())
}

/// One level up to a picture, a stylesheet or a Markdown or reST page (`../assets/logo.svg`,
/// `../docs/setup.md`, antsibull's `changelog_filename_template: ../CHANGELOG.rst`): a
/// relative link a page or a record keeps, not a file to read.
fn asset(norm: &str) -> bool {
    linked_file(norm, false)
}

/// Does the path end in a picture, a stylesheet or a Markdown or reST page, or with `documents`
/// also a document (`.pdf`, `.docx`, `.html`…): files pages link to, not files to read?
fn linked_file(path: &str, documents: bool) -> bool {
    const PAGES: [&str; 10] = [
        "svg", "png", "jpg", "jpeg", "gif", "webp", "ico", "css", "md", "rst",
    ];
    const DOCUMENTS: [&str; 13] = [
        "pdf", "doc", "docx", "odt", "ppt", "pptx", "html", "xls", "xlsx", "ods", "odp", "rtf",
        "epub",
    ];
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').is_some_and(|(stem, ext)| {
        !stem.is_empty() && (PAGES.contains(&ext) || (documents && DOCUMENTS.contains(&ext)))
    })
}

/// A relative path to a document (a text, a spreadsheet, slides) or a picture written among
/// other words (`Ref: ../../shared/policy.pdf (internal link)`, `see ../../docs/guide.pdf`,
/// `File path: ../../shared/2024.xlsx`, `Redirecting to... ../../../book/ch03.html#loops`):
/// a link being mentioned. A file parameter holds the path alone, and words before it would
/// make the path start in a directory that does not exist, so a path with nothing around
/// it, or one to a file of any other kind, still counts.
fn mentioned_document(norm: &str) -> bool {
    let t = norm.trim();
    // Japanese and Chinese put a full-width colon before the path, and no space
    // (`ファイルパス：../../共有/資料/2024年度.xlsx`).
    let Some(token) = t
        .split(|c: char| c.is_whitespace() || c == '：')
        .find(|w| w.contains("../"))
    else {
        return false;
    };
    if token.len() == t.len() {
        return false;
    }
    let token = token.trim_end_matches([
        ')', ',', '.', ';', ':', '!', '?', '"', '\'', '。', '、', '）', '」',
    ]);
    // A page's anchor (`see ../../../reference/macros.html#repetitions.`): a link, as in
    // [`linked_page`]; no file's name has one.
    let token = token.split('#').next().unwrap_or(token);
    let plain = token
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '/' | '_' | '-'));
    plain && linked_file(token, true)
}

/// Does every climb in `norm` lie inside the span `around` finds for it (the start and end
/// of a target's text), one that `accept` takes? At least one climb.
fn every_climb_in(
    norm: &str,
    around: impl Fn(usize) -> Option<(usize, usize)>,
    accept: impl Fn(usize, usize) -> bool,
) -> bool {
    let mut any = false;
    for (at, _) in norm.match_indices("../") {
        match around(at) {
            Some((start, end)) if start <= at && at < end && accept(start, end) => any = true,
            _ => return false,
        }
    }
    any
}

/// The quoted string a position lies in: from the last quote before it to that quote's
/// next.
fn quoted_around(norm: &str, at: usize) -> Option<(usize, usize)> {
    let open = norm[..at].rfind(['"', '\''])?;
    let q = norm.as_bytes()[open] as char;
    let len = norm[open + 1..].find(q)?;
    Some((open + 1, open + 1 + len))
}

/// The text a position lies in between the last `open` before it and the next `close`.
fn enclosed_around(norm: &str, at: usize, open: &str, close: &str) -> Option<(usize, usize)> {
    let start = norm[..at].rfind(open)? + open.len();
    let len = norm[start..].find(close)?;
    Some((start, start + len))
}

/// A link's target that names a page, a document or a picture: plain path characters up
/// to its `#` or `?`, and a [`linked_file`] with documents.
fn linked_page(url: &str) -> bool {
    let url = url.split(['#', '?']).next().unwrap_or(url);
    url.bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'_' | b'-'))
        && linked_file(url, true)
}

/// Markup whose every climb is a relative link in an `href` or `src` attribute to a page,
/// a document or a picture (`<a href="../../trait/derive.html">`, `<img
/// src="../img/a.png">`): what a CMS stores, not a file to open. A climb anywhere else, or
/// a link to any other kind of file (`src="../../config.php"`), still counts.
fn html_links(norm: &str) -> bool {
    every_climb_in(
        norm,
        |at| quoted_around(norm, at),
        |start, end| {
            let attr = norm[..start - 1]
                .trim_end()
                .strip_suffix('=')
                .map(str::trim_end);
            attr.is_some_and(|a| a.ends_with(" href") || a.ends_with(" src"))
                && linked_page(&norm[start..end])
        },
    )
}

/// Markdown whose every climb is a link's target to a page, a document, a picture or a
/// route with no extension (`[ en ](../../en/mod/core.html) | [ fr ](../../fr/mod/core.html)`,
/// a converted page's language bar; `[fetchers]: ../../how-to/fetchers`, a reference
/// definition of a docs site): what [`html_links`] is for markup. A link to any other kind
/// of file (`](../../config.php)`) still counts, and a system file is judged before this.
fn markdown_links(norm: &str) -> bool {
    every_climb_in(
        norm,
        |at| {
            enclosed_around(norm, at, "](", ")")
                .filter(|&(start, end)| start <= at && at < end)
                .or_else(|| reference_target(norm, at))
        },
        |start, end| {
            let url = &norm[start..end];
            let path = url.split(['#', '?']).next().unwrap_or(url);
            let last = path.rsplit('/').next().unwrap_or(path);
            let route = !last.contains('.')
                && path
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'_' | b'-'));
            linked_page(url) || route
        },
    )
}

/// The target of the Markdown link reference definition on the line of `at`
/// (`[label]: target "title"`), as a span.
fn reference_target(norm: &str, at: usize) -> Option<(usize, usize)> {
    let (start, end) = crate::line_around(norm, at);
    let line = &norm[start..end];
    let indent = line.len() - line.trim_start().len();
    let label_end = line.trim_start().strip_prefix('[')?.find("]:")? + 1;
    let target_at = start + indent + label_end + 2;
    let rest = &norm[target_at..end];
    let target_start = target_at + (rest.len() - rest.trim_start().len());
    let target_len = norm[target_start..end]
        .find(char::is_whitespace)
        .unwrap_or(end - target_start);
    Some((target_start, target_start + target_len))
}

/// Code whose every climb is a JavaScript module's relative path (`const m =
/// require("../../util/memoize")`, `import { x } from '../../build/lib/y.js'`): the
/// module loader's, never a file parameter's; see [`crate::js_module_specifier`]. Or a
/// page's script sending the browser to a relative page (rustdoc's redirect stubs:
/// `location.replace("../../../core/arch/fn.x.html" + location.search)`), or a string of
/// climbs alone assigned to a name (mdBook's `const path_to_root = "../../";`), which
/// names no file.
fn js_module_paths(norm: &str) -> bool {
    every_climb_in(
        norm,
        // A CSP report's `script-sample` is cut at 40 characters: the string may run to the
        // value's end unclosed (`location.replace("../../../../core/ar`).
        |at| {
            quoted_around(norm, at).or_else(|| {
                let open = norm[..at].rfind(['"', '\''])?;
                let q = norm.as_bytes()[open] as char;
                (!norm[open + 1..].contains(q)).then_some((open + 1, norm.len()))
            })
        },
        |start, end| {
            let before = norm[..start - 1].trim_end();
            let loader = before.ends_with("require(")
                || before.ends_with("import(")
                || before.ends_with(" from")
                || before.ends_with("import");
            let navigation = before.ends_with("location.replace(")
                || before.ends_with("location.assign(")
                || before.ends_with("location.href =")
                || before.ends_with("location.href=");
            let path = &norm[start..end];
            let climbs_only =
                !path.is_empty() && path.split('/').all(|p| p.is_empty() || p == "..");
            // Cut short, the page's name is not all there: plain path characters to the cut.
            let cut = end == norm.len()
                && !path.is_empty()
                && path
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'_' | b'-'));
            (loader && crate::js_module_specifier(path))
                || (navigation && (linked_page(path) || cut))
                || (climbs_only && before.ends_with('='))
        },
    )
}

/// A Handlebars or Mustache template whose every climb is a parent context's field inside
/// `{{ … }}` (`{{../name}}`, `{{#if ../world}}`, `{{@../index}}`, `{{../../omg}}`): the
/// template engine's scope, no file. After the climbs comes a name with dots, never another
/// `/`; a partial (`{{> ../x}}`), which loads a file, still counts, and so does any climb
/// outside the braces.
fn parent_context_paths(norm: &str) -> bool {
    every_climb_in(
        norm,
        |at| enclosed_around(norm, at, "{{", "}}"),
        |start, end| {
            let inner = &norm[start..end];
            let plain = inner.bytes().all(|b| {
                b.is_ascii_alphanumeric()
                    || matches!(b, b'_' | b' ' | b'.' | b'@' | b'/' | b'#' | b'^' | b'-')
            });
            let fields = inner.split(' ').all(|w| {
                let name = w
                    .trim_start_matches(['#', '^', '@'])
                    .trim_start_matches("../");
                !w.contains("../")
                    || (!name.is_empty() && !name.contains('/') && !name.starts_with('.'))
            });
            plain && fields && !inner.trim_start().starts_with('>')
        },
    )
}

/// A template whose every climb is the quoted name of another template its tag loads
/// (`{% include "./../../three.html" %}`, `{% extends "../base.html" %}`, Jinja's `{% from
/// "../macros.j2" import x %}`, Liquid's `{% render %}`): the engine resolves it in its
/// own template directories. A system file so named is judged before this.
fn template_directive_paths(norm: &str) -> bool {
    const TAGS: [&str; 7] = [
        "include", "extends", "import", "from", "embed", "render", "use",
    ];
    every_climb_in(
        norm,
        |at| enclosed_around(norm, at, "{%", "%}"),
        |start, end| {
            let inner = norm[start..end].trim().trim_start_matches('-').trim_start();
            let Some((tag, rest)) = inner.split_once(' ') else {
                return false;
            };
            let rest = rest.trim_start();
            let Some(q) = rest.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
                return false;
            };
            let name = rest[1..].split(q).next().unwrap_or_default();
            TAGS.contains(&tag)
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'_' | b'-'))
        },
    )
}

/// reStructuredText whose every climb is a directive's file argument on its own line
/// (`.. include:: ../../LICENSE`, `.. literalinclude:: ../../demos/app.py`, `.. image::
/// ../img/a.png`) or a `:file:` option: Sphinx resolves it against the page's own source
/// tree, the document's layout. A system file so named is judged before this.
fn rst_directive_paths(norm: &str) -> bool {
    const DIRECTIVES: [&str; 6] = [
        "include",
        "literalinclude",
        "image",
        "figure",
        "csv-table",
        "raw",
    ];
    every_climb_in(
        norm,
        |at| Some(crate::line_around(norm, at)),
        |start, end| {
            let line = norm[start..end].trim();
            let Some((head, arg)) = line
                .split_once(":: ")
                .or_else(|| line.strip_prefix(":file:").map(|arg| ("file", arg)))
            else {
                return false;
            };
            let named = head == "file"
                || head
                    .strip_prefix(".. ")
                    .is_some_and(|d| DIRECTIVES.contains(&d.trim()));
            let arg = arg.trim();
            named
                && !arg.is_empty()
                && arg
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'/' | b'_' | b'-'))
        },
    )
}

/// Does the value start by climbing, past slashes and `./` no-ops (`../x`, `/./../x`)?
fn leading_climb(norm: &str) -> bool {
    let mut t = norm;
    loop {
        let next = t.trim_start_matches('/');
        let next = next.strip_prefix("./").unwrap_or(next);
        if next.len() == t.len() {
            return t.starts_with("../");
        }
        t = next;
    }
}

/// Runs of three or more dots that touch a `/` (`/..../`, `/.....x`): climbing variants;
/// not the end of a name (`foo.../1234`).
fn dot_runs(s: &str) -> usize {
    let b = s.as_bytes();
    crate::runs_of(s, b'.')
        .filter(|&(start, len)| {
            let touches = (start > 0 && b[start - 1] == b'/') || b.get(start + len) == Some(&b'/');
            let named = start > 0 && b[start - 1].is_ascii_alphanumeric();
            len >= 3 && touches && !named
        })
        .count()
}

impl Detector for Lfi {
    fn name(&self) -> &'static str {
        "lfi"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        // DotDotPwn's `??0x2f??0x2f…`, `0x2e0x2e0x2f…` and `%%32%%65…` forms carry no dot
        // or slash until read as a climb: a leading `?` or `0`, or a `%`, lets them in.
        if !value
            .classes
            .any(bc::DOT | bc::SLASH | bc::BACKSLASH | bc::NONASCII | bc::PERCENT)
            && !value.text().starts_with(['?', '0'])
        {
            return;
        }
        let in_path = value.place.kind == PlaceKind::Path;
        let folded;
        let text = if value.classes.any(bc::NONASCII) && value.text().contains(BEST_FIT) {
            folded = best_fit(value.text());
            &folded
        } else {
            value.text()
        };
        let json = (value.place.kind == PlaceKind::JsonValue).then_some(value.place.name.as_str());
        if let Some(c) = Lfi::check(text, in_path, json) {
            out.push(signal(
                "lfi",
                Category::Lfi,
                c,
                value,
                value.text(),
                "climbs toward or names a system file",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(s: &str) -> bool {
        crate::hits(&Lfi, s)
    }

    #[test]
    fn traversal_is_caught() {
        for s in [
            "../../../etc/passwd",
            "..%2f..%2f..%2fetc%2fpasswd",
            "..\\..\\windows\\win.ini",
            "/etc/shadow",
            "%252e%252e%252fetc%252fpasswd",
            "....//....//etc/passwd",
            "../../app/config",
            "/..0x2f..0x2fetc0x2fpasswd",
            "/./../config",
            // Separators stripped by the dataset's pipeline (HttpParamsDataset).
            "........................etcpasswd",
            "file:........................etcpasswd",
            "....web-infweb.xml",
            "web-infweb.xml",
            "c:oot.ini",
            "file:/c:oot.ini",
            "........................oot.ini",
            "C:windowswin.ini",
            // DotDotPwn's separators no decoder makes a `/`, repeated or before a file.
            "..\u{fffd}%qf..\u{fffd}%qf..\u{fffd}%qfetc\u{fffd}%qfpasswd",
            "..%bg%qf..%bg%qf..%bg%qfwindows%bg%qfsystem32%bg%qfdrivers%bg%qfetc%bg%qfhosts",
            "..\u{fffd}\u{1c}etc\u{fffd}\u{1c}issue",
            "..%bg%qfetc%bg%qfpasswd",
            "..o..oetcopasswd",
            "..\u{fffd}%qfwindows\u{fffd}%qfsystem32\u{fffd}%qfdrivers",
            "?./?./?./etc/passwd",
            "??/??/boot.ini",
            ".\u{fffd}.\u{fffd}/.\u{fffd}.\u{fffd}/app",
            "/..%2%f..%2%f..%2%fwindows%2%fwin.ini",
            "%2%e%2%e%2%f%2%e%2%e%2%fwindows%2%fwin.ini",
            "??0x2f??0x2f??0x2fetc0x2fpasswd",
            "??\\etc\\issue",
            "0x2e0x2e0x2fetc0x2fissue",
            "..%2%f..%2%f..%2\u{fffd}oot.ini",
        ] {
            assert!(hit(s), "missed: {s}");
        }
    }

    #[test]
    fn ordinary_paths_and_dots_stay_clean() {
        for s in [
            "docs/readme.md",
            "wait...",
            "https://example.com/a/b",
            "1.2.3",
            "a/../b",
            "./src/../README.md",
            "0x2f is a slash",
            "see etcpasswd... or boot.ini",
            "root.ini",
            "config/boot.ini.example is a template",
            "web-infweb.xml is what you get without slashes",
            "a:b",
            // Repeated units with no junk in them, or with words.
            "1.1.1.1",
            "......",
            ".-.-.-abc",
            "🔥🔥🔥",
            "…/…/notes",
            "%s%s%sfile",
            ".config/.config/app",
            "..@..@twitter",
            "etc and passwd",
            "50% off",
            "./etc/passwd.example is a template",
            "0x2f",
            "x/etc/issue-tracker",
            "?q=1&r=2",
            "%2%e means nothing",
            // mgm's false positives: an application's own log, relative.
            "logs/access.log",
            "./index.php",
            "...etc: see passwd",
        ] {
            assert!(!hit(s), "false positive: {s}");
        }
    }
}
