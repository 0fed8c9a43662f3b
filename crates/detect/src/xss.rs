//! XSS by reading the value as HTML: does it open an executable context — a script-capable
//! tag, an event-handler attribute, a `javascript:` URL — or break out of a JS string into code?
//! Angle brackets in prose ("a < b", "<3", "<b>bold</b>") are not attacks.

use crate::{signal, Detector};
use palisade_normalize::classes as bc;
use palisade_normalize::{ByteClasses, Cut, Value};
use palisade_types::{Category, PlaceKind, Signal};

pub struct Xss;

/// Tags that run script or load active content by themselves.
const DANGEROUS_TAGS: &[&str] = &[
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "base",
    "link", "meta", "style", "vmlframe", "isindex", "template", "portal", "xml", "import",
    // Netscape's layers load a page by `src`; nobody writes them for layout any more.
    "layer", "ilayer",
];

/// An HTML document as sent (real tags in it) that shows markup escaped as text
/// (`<p>Use the <code>&lt;script&gt;</code> tag…</p>`): a browser displays `&lt;script&gt;`
/// there, it never parses it as a tag. Returns the value decoded as usual but with escaped
/// angle brackets kept as look-alike characters, and its byte classes. Entities elsewhere
/// (`jav&#x09;ascript:`, `&quot;` in attributes) are still decoded. A value of escaped markup
/// alone (`&lt;script&gt;…`, a double-decoding probe) is read decoded, as before.
fn escaped_markup_in_document(value: &Value) -> Option<(String, ByteClasses)> {
    let raw = &value.raw;
    // An entity leaves a `&` in the text or was decoded away (then the text is a copy).
    if !value.classes.any(bc::AMP) && std::ptr::eq(raw.as_str(), value.text()) {
        return None;
    }
    let lower = lower(raw);
    if !lower.contains("&lt;") {
        return None;
    }
    let plain = if raw.contains('%') {
        palisade_normalize::percent_decode_lossy(raw)
    } else {
        raw.to_string()
    };
    let b = plain.as_bytes();
    let markup = (0..b.len().saturating_sub(1))
        .any(|i| b[i] == b'<' && (b[i + 1].is_ascii_alphabetic() || b[i + 1] == b'/'));
    if !markup {
        return None;
    }
    let mut kept = String::with_capacity(plain.len());
    let mut rest = plain.as_str();
    while let Some(at) = rest.find('&') {
        kept.push_str(&rest[..at]);
        let tail = &rest[at..];
        let entity = ["&amp;lt;", "&amp;gt;", "&lt;", "&gt;"]
            .into_iter()
            .find(|e| {
                tail.get(..e.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(e))
            });
        match entity {
            Some(e) => {
                kept.push(if e.ends_with("lt;") { '‹' } else { '›' });
                rest = &tail[e.len()..];
            }
            None => {
                kept.push('&');
                rest = &tail[1..];
            }
        }
    }
    kept.push_str(rest);
    let decoded = palisade_normalize::decode(&kept, 3);
    let classes = ByteClasses::of(&decoded);
    Some((decoded, classes))
}

/// `text` with the `data:` of base64 image data URLs written `xata:`, for libinjection
/// (which calls any URL starting `data` dangerous); SVG only outside frames and objects.
fn raster_data_urls_renamed(text: &str) -> String {
    let lower = lower(text);
    let mut out = text.to_string();
    let framed = ["<iframe", "<frame", "<object", "<embed", "<portal"]
        .iter()
        .any(|t| lower.contains(t));
    for kind in [
        "png", "jpeg", "jpg", "gif", "webp", "avif", "bmp", "svg+xml",
    ] {
        if kind == "svg+xml" && framed {
            continue;
        }
        let needle = format!("data:image/{kind};base64,");
        for (at, _) in lower.match_indices(&needle) {
            // Same length and ASCII on both sides: offsets stay valid.
            out.replace_range(at..at + 1, "x");
        }
    }
    out
}

/// Players rich-text editors embed in an `<iframe>` (host and path prefix, after `https://`).
const EMBED_PLAYERS: &[&str] = &[
    "www.youtube.com/embed/",
    "youtube.com/embed/",
    "www.youtube-nocookie.com/embed/",
    "player.vimeo.com/video/",
    "www.google.com/maps/embed",
    "open.spotify.com/embed/",
    "w.soundcloud.com/player/",
    "www.loom.com/embed/",
    "www.dailymotion.com/embed/",
    // Forms, documents, calendars and boards that CMS pages and help centres embed.
    "docs.google.com/forms/",
    "docs.google.com/document/",
    "docs.google.com/presentation/",
    "docs.google.com/spreadsheets/",
    "calendar.google.com/calendar/embed",
    "lookerstudio.google.com/embed/",
    "www.figma.com/embed",
    "calendly.com/",
    "form.typeform.com/",
    "airtable.com/embed/",
    "miro.com/app/embed/",
    "player.twitch.tv/",
    "codepen.io/",
    "www.slideshare.net/slideshow/embed_code/",
    "giphy.com/embed/",
];

/// Tags that are ordinary inside an XML document sent as the body, and dangerous (IE data
/// islands and imports) inside a parameter.
const XML_DOCUMENT_TAGS: &[&str] = &["xml", "import"];

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// `javascript:`, `vbscript:`, `data:text/html` (and Netscape's `livescript:` and `mocha:`)
/// with whitespace and control characters removed, as browsers do when parsing URLs.
fn is_script_url(v: &str) -> bool {
    if !v.contains(':') {
        return false;
    }
    // An attribute value may arrive with its own opening quote: `"javascript:alert(1)">`.
    let v = v.trim_start_matches(['"', '\'', ' ']);
    let squeezed: String = v
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(24)
        .collect::<String>()
        .to_ascii_lowercase();
    squeezed.starts_with("javascript:")
        || squeezed.starts_with("vbscript:")
        || squeezed.starts_with("data:text/html")
        || squeezed.starts_with("livescript:")
        || squeezed.starts_with("mocha:")
}

/// `javascript:void(0)`, `javascript:;`: the placeholder link of every page whose anchors a
/// script handles elsewhere, as an attribute's value. The URL runs, but its code evaluates
/// to nothing; whatever follows `void(0)` as code (`;alert(1)`) is code again.
fn does_nothing(url: &str) -> bool {
    void_link(url) || url.trim().eq_ignore_ascii_case("javascript:;")
}

/// A link's or a form's `javascript:` URL (`name`, lower-cased up to its closing `quote`)
/// that calls the page's own function, as an `onclick` would (see [`inert_handler`]): a
/// legacy CMS's `<a href="javascript:toggleMenu()">`, a button's
/// `href="javascript:postDrop()"`. It runs on a click; a frame's or an object's URL, which
/// runs on load, is not one of these.
fn clicked_page_call(name: &str, url: &str, quote: Option<char>) -> bool {
    matches!(name, "href" | "action" | "formaction")
        && url.strip_prefix("javascript:").is_some_and(|code| {
            let code = code.trim_end();
            match quote {
                Some(q) => inert_handler("onclick", &format!("{q}{code}{q}")),
                None => inert_handler("onclick", code),
            }
        })
}

/// `text` with every quoted attribute value that is a do-nothing `javascript:` URL replaced
/// by `#`, or `None` when it has none.
fn void_urls_blanked(text: &str) -> Option<String> {
    // No copy of the value unless it holds a script URL at all.
    if !text
        .as_bytes()
        .windows(11)
        .any(|w| w.eq_ignore_ascii_case(b"javascript:"))
    {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let mut out = String::new();
    let mut from = 0;
    for (at, _) in lower.match_indices("javascript:") {
        let before = lower[..at].trim_end_matches(' ');
        let Some(q) = before.chars().last().filter(|c| matches!(c, '"' | '\'')) else {
            continue;
        };
        if !before[..before.len() - 1].trim_end().ends_with('=') || at < from {
            continue;
        }
        let Some(len) = lower[at..].find(q) else {
            continue;
        };
        let attr = before[..before.len() - 1]
            .trim_end()
            .trim_end_matches('=')
            .trim_end();
        let attr = attr
            .rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
            .next()
            .unwrap_or("");
        let url = &lower[at..at + len];
        if does_nothing(url) || clicked_page_call(attr, url, Some(q)) {
            out.push_str(&text[from..at]);
            out.push('#');
            from = at + len;
        }
    }
    (from > 0).then(|| {
        out.push_str(&text[from..]);
        out
    })
}

/// libinjection calls every URL attribute whose value starts with `data`, `java`, `vbscript`
/// or `view-source` a script URL, whatever follows: `href="data.html"`, `src="javadoc/logo.png"`,
/// `href="database-guide"`, links every documentation site's table of contents has. Those are
/// paths, since a scheme ends at its `:`. Returns `text` with each such value shown to
/// libinjection as `./…` (the same path), or `None` when it has none. A value whose word runs
/// into anything but a path's delimiter (a `:`, an entity, a tab a browser removes) stays.
fn relative_urls_marked(text: &str) -> Option<String> {
    const WORDS: [&str; 4] = ["data", "java", "vbscript", "view-source"];
    let lower = text.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let mut out = String::new();
    let mut from = 0;
    for (at, _) in lower.match_indices('=') {
        let spaces = |i: usize| i + bytes[i..].iter().take_while(|&&b| b == b' ').count();
        let mut v = spaces(at + 1);
        let quote = bytes.get(v).copied().filter(|&b| b == b'"' || b == b'\'');
        if quote.is_some() {
            v = spaces(v + 1);
        }
        if v < from || !WORDS.iter().any(|w| lower[v..].starts_with(w)) {
            continue;
        }
        let run = bytes[v..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            .count();
        let path = match bytes.get(v + run).copied() {
            Some(b'/' | b'?' | b'#' | b'>') => true,
            Some(b' ') => quote.is_none(),
            next => next.is_some() && next == quote,
        };
        if path {
            out.push_str(&text[from..v]);
            out.push_str("./");
            from = v;
        }
    }
    (from > 0).then(|| {
        out.push_str(&text[from..]);
        out
    })
}

/// Scans for tags; returns the reason for the first executable context found. In an XML
/// document body (`xml_document`), XML's own tag names are not read as HTML.
fn scan_html(s: &str, xml_document: bool) -> Option<(f32, &'static str)> {
    scan_html_noting_inert(
        s,
        xml_document,
        Cut::default(),
        &mut Vec::new(),
        &mut Vec::new(),
    )
}

/// [`scan_html`], noting in `inert` where the names of the script-capable tags it judged
/// inert start, and in `comments` the comments it skipped, so that the libinjection pass
/// can be shown the tags renamed and the comments blanked.
fn scan_html_noting_inert(
    s: &str,
    xml_document: bool,
    cut: Cut,
    inert: &mut Vec<usize>,
    comments: &mut Vec<(usize, usize)>,
) -> Option<(f32, &'static str)> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut embeds = 0usize;
    // `<math>` tags judged plain formulas, whose `</math>` closes inertly.
    let mut formulas = 0usize;
    let mut drawings = 0usize;
    let mut data_blocks = 0usize;
    // Whether this window has shown a `<script>` opener yet.
    let mut opened_script = false;
    while let Some(off) = s[i..].find('<') {
        let start = i + off + 1;
        i = start;
        // A comment's content is never parsed as markup (`<!--[if mso]><xml>…<![endif]-->`
        // in every Outlook-ready e-mail). It ends at the first `-->` or `--!>` (`<!-->` and
        // `<!--->` at once), even inside what looks like a quoted attribute: in
        // `<!--<img src="--><img src=x onerror=…>` the second tag is outside it. One that
        // never closes hides the rest. Inside a raw-text element (`<title>`, `<textarea>`,
        // `<script>`…) a comment is plain text: one that closes such an element
        // (`<!--</title><script>…`) is read as markup.
        let raw_closer = |body: &str| {
            let lower = lower(body);
            [
                "</title",
                "</textarea",
                "</script",
                "</style",
                "</noscript",
                "</xmp",
                "</iframe",
                "</noembed",
                "</noframes",
                "</plaintext",
            ]
            .iter()
            .any(|c| lower.contains(c))
        };
        if let Some(body) = s[start..].strip_prefix("!--") {
            let end = if body.starts_with('>') {
                Some(1)
            } else if body.starts_with("->") {
                Some(2)
            } else {
                [
                    body.find("-->").map(|p| p + 3),
                    body.find("--!>").map(|p| p + 4),
                ]
                .into_iter()
                .flatten()
                .min()
            };
            // Only the comment's own text can close a raw-text element it sits in; the
            // document after it (an e-mail's `</title>`) is not the comment's.
            let own = &body[..end.unwrap_or(body.len())];
            if !raw_closer(own) {
                let end = end.map_or(s.len(), |e| start + 3 + e);
                comments.push((start - 1, end));
                i = end;
                continue;
            }
        }
        // Tag name: letters, maybe after '/'.
        let mut j = start;
        if b.get(j) == Some(&b'/') {
            j += 1;
        }
        let closing = j > start;
        let name_start = j;
        // `_` and `.` continue a name to HTML (`<template_name_suffix>` is not `<template>`).
        while j < b.len()
            && (b[j].is_ascii_alphanumeric() || matches!(b[j], b':' | b'-' | b'_' | b'.'))
        {
            j += 1;
        }
        if j == name_start || !b[name_start].is_ascii_alphabetic() {
            // `<!--`, `<?`: comments and PIs matter only around other evidence.
            continue;
        }
        let name = lower(&s[name_start..j]);
        // Attributes run until '>' or the end of the value (a tag need not close to work).
        let end = tag_end(s, j);
        let attrs = &s[j..end];
        let bare = name.rsplit(':').next().unwrap_or(&name);
        let boundary = attrs.is_empty()
            || attrs.starts_with(|c: char| c.is_whitespace() || c == '/')
            || end < s.len();
        // `</object>` ends a fixture's element; `</script>` alone is still a payload's tail
        // (`…innerHTML;</script>`), the end of a script context it breaks out of.
        // HTML reads a tag's name on to a space, `/` or `>`: `<Script=Katakana>` (a Unicode
        // property in Perl's manual) is an element named `script=katakana`, and
        // `Result<Frame<Self::Data>>` (a nested type argument) one named `frame<self::data`.
        // Their attributes are still read below. A control character or NUL stays a
        // boundary: old parsers and filters drop or split on them.
        let renamed = b
            .get(j)
            .is_some_and(|&c| c > b' ' && c != b'/' && c != b'>' && c != 0x7f);
        // A prefix makes the element another one to HTML (`<dia:object>` in a diagram's XML
        // is an element named `dia:object`); only an XML parser reading a prefix the value
        // binds to XHTML (`<x:script xmlns:x="http://www.w3.org/1999/xhtml">`) runs it.
        // VML's `<v:vmlframe>` exists only prefixed, bound by the page it lands in.
        // A value that binds the prefix itself to another vocabulary (`xmlns:xsl=
        // "http://www.w3.org/1999/XSL/Transform"` around `<xsl:template>`) says so.
        let foreign_prefix = || {
            bare.len() < name.len() && bare != "vmlframe" && {
                let prefix = &name[..name.len() - bare.len() - 1];
                let ls = lower(s);
                let mut bindings = ls.match_indices("xmlns").filter_map(|(at, _)| {
                    ls[at + 5..]
                        .strip_prefix(':')
                        .and_then(|r| r.strip_prefix(prefix))
                        .and_then(|r| r.trim_start().strip_prefix('='))
                });
                !ls.contains("xmlns")
                    || bindings
                        .next()
                        .is_some_and(|v| plain_namespace(v) && bindings.all(plain_namespace))
            }
        };
        if DANGEROUS_TAGS.contains(&bare) && boundary && !renamed && !foreign_prefix() {
            if bare == "script" && !closing {
                opened_script = true;
            }
            let dead_script = bare == "script"
                && !closing
                && ((attrs.is_empty() && never_parses(s.get(end + 1..).unwrap_or("")))
                    || component_script(attrs, s.get(end + 1..).unwrap_or("")));
            // `</iframe>` closes an embed judged inert before it (`mhtml:…></iframe>` alone
            // is a payload's tail).
            // `</meta>` and `</base>` end void elements: HTML ignores them (an EPUB package's
            // `<meta property="…">{{ date }}</meta>` is XML).
            let inert_here = closing
                && matches!(
                    bare,
                    "object" | "link" | "style" | "xml" | "meta" | "base" | "portal"
                )
                || (closing && bare == "iframe" && embeds > 0)
                || (closing && bare == "svg" && drawings > 0)
                // A window of a long value that starts inside a drawing: its `<svg>` was in
                // the window before, judged there.
                || (closing && bare == "svg" && drawings == 0 && cut.before)
                || (closing && bare == "script" && data_blocks > 0)
                // A window of a long value that starts inside a script block: its opener was
                // in the window before, judged there (a component's `<script setup>`).
                || (closing && bare == "script" && cut.before && !opened_script)
                || (bare == "svg" && !closing && plain_svg(attrs, &s[end..], cut.after))
                || (closing && bare == "math" && formulas > 0)
                // As for drawings: a window that starts inside a formula.
                || (closing && bare == "math" && formulas == 0 && cut.before)
                || (bare == "math" && !closing && plain_math(attrs, &s[end..], cut.after))
                || (inert_use(bare, attrs)
                    && (bare != "meta"
                        || in_document(s)
                        || meta_placeholder(attrs)
                        || microdata_meta(attrs)
                        || (!cut.before && clipboard_meta(&s[..start - 1], attrs, &s[end..]))))
                || (bare == "style" && !closing && plain_css(attrs, &s[end..]))
                || (bare == "style" && !closing && type_argument_style(s, start - 1, attrs, end))
                || (bare == "link" && !closing && document_stylesheet(s, attrs))
                // Nor does a closed one without a relation: `rel` says what `href` is for (a
                // sheet, an import, a preload). JSX's router `<Link href="/about">` is this
                // tag to HTML. An unclosed probe (`<link / asdf href /=`) stays.
                || (bare == "link"
                    && !closing
                    && end < s.len()
                    && !lower(attrs).contains("rel")
                    && !loads_active(&lower(attrs)))
                || (!closing && attrs.is_empty() && tag_named_in_prose(s, bare, start - 1, end))
                || (!closing && attrs.is_empty() && bare_inert(s, bare, end))
                || (!closing && loads_nothing(s, bare, attrs, end))
                || (bare == "script" && !closing && official_embed(attrs, s.get(end + 1..).unwrap_or("")))
                || dead_script;
            if inert_here {
                if bare == "iframe" && !closing {
                    embeds += 1;
                }
                // libinjection takes any `xmlns` for a namespace switch; a formula judged
                // plain declares MathML's, a drawing SVG's (every exported file does).
                if (bare == "math" || bare == "svg") && !closing {
                    let la = lower(attrs);
                    for (at, _) in la.match_indices("xmlns") {
                        if la[..at].ends_with(char::is_whitespace) {
                            inert.push(j + at);
                        }
                    }
                }
                if bare == "math" && !closing {
                    formulas += 1;
                }
                // Only a data block opens a `</script>` that may close inertly; a tag named in
                // a sentence has no closing tag in the value.
                if bare == "script" && closing {
                    data_blocks = data_blocks.saturating_sub(1);
                } else if bare == "script" && (!attrs.is_empty() || dead_script) {
                    data_blocks += 1;
                }
                inert.push(name_start);
                if bare == "svg" && !closing {
                    drawings += 1;
                    // The drawing's metadata declares the RDF, Dublin Core and Creative
                    // Commons namespaces.
                    let drawing = lower(&s[end..]);
                    let close = drawing.find("</svg").unwrap_or(drawing.len());
                    for (at, _) in drawing[..close].match_indices("xmlns") {
                        if drawing[..at].ends_with(char::is_whitespace) {
                            inert.push(end + at);
                        }
                    }
                    // `xlink:href="#id"` (a `<use>` or a gradient reusing a shape of the same
                    // drawing), which libinjection takes for a link to anywhere, or a link to
                    // a page (`plain_svg` allowed only those on its `<a>`s).
                    for (at, _) in drawing[..close].match_indices("xlink:href") {
                        let local = drawing[at + 10..]
                            .trim_start()
                            .strip_prefix('=')
                            .map(|v| v.trim_start().trim_start_matches(['"', '\'']))
                            .is_some_and(|v| v.starts_with('#') || page_link(v) || raster_image(v));
                        if local && drawing[..at].ends_with(char::is_whitespace) {
                            inert.push(end + at);
                        }
                    }
                }
            } else {
                let xml_tag = xml_document && XML_DOCUMENT_TAGS.contains(&bare);
                let placeholder = attrs.is_empty()
                    && (code_span_placeholder(s, bare, start - 1, end)
                        || option_placeholder(s, bare, start - 1, end));
                if !xml_tag
                    && !code_span_mention(s, start - 1, end)
                    && !placeholder
                    && !pod_code_mention(s, start - 1, end)
                    && !rst_link_target(s, start - 1, end)
                {
                    return Some((0.95, "script-capable tag"));
                }
            }
        }
        // libinjection calls `<comment>` (IE's) and `<noscript>` dangerous by their names
        // alone; bare, they run nothing (`The <comment> element holds notes`, docutils'
        // doctree): shown to it renamed. What they contain is judged as it is.
        if matches!(bare, "comment" | "noscript")
            && attrs.is_empty()
            && !renamed
            && b.get(end) == Some(&b'>')
        {
            inert.push(name_start);
        }
        // libinjection takes any `xmlns` for a namespace switch; one that binds a vocabulary
        // no browser runs script from (`<e5 xmlns="http://example.org" xmlns:a="…">` in a
        // canonicalised XML document) is shown to it renamed.
        if !closing && attrs.contains("xmlns") {
            for (at, _) in attrs.match_indices("xmlns") {
                let declared = attrs[at + 5..]
                    .trim_start_matches(|c: char| {
                        c == ':' || c == '_' || c == '-' || c.is_ascii_alphanumeric()
                    })
                    .trim_start()
                    .strip_prefix('=')
                    .is_some_and(|v| plain_namespace(&lower(v)));
                let declared =
                    declared || (name == bare && xhtml_default_namespace(bare, &attrs[at + 5..]));
                if declared && attrs[..at].ends_with(char::is_whitespace) {
                    inert.push(j + at);
                }
            }
        }
        if let Some(r) = scan_attrs(attrs) {
            return Some(r);
        }
    }
    None
}

/// HTML's own container and text elements, which an XHTML namespace declaration leaves
/// where they are.
const XHTML_CONTAINERS: &[&str] = &[
    "html",
    "body",
    "div",
    "p",
    "span",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "td",
    "th",
    "caption",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "code",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "b",
    "i",
    "em",
    "strong",
    "figure",
    "figcaption",
];

/// An unprefixed `xmlns` on one of HTML's own elements binding the XHTML namespace, from
/// just after `xmlns`: `<div xmlns="http://www.w3.org/1999/xhtml">`, as every FHIR
/// resource's narrative, an Atom entry's XHTML content and an EPUB chapter declare it. The
/// element is in that namespace already, so nothing switches; libinjection takes any `xmlns`
/// for a switch. Binding a prefix (`<x:script xmlns:x=…>`) or declaring it on a foreign
/// element (`<math xmlns=…>`, `<x xmlns=…>`) still counts, and what the element holds is
/// judged tag by tag.
fn xhtml_default_namespace(bare: &str, after_xmlns: &str) -> bool {
    let Some(v) = after_xmlns.trim_start().strip_prefix('=') else {
        return false;
    };
    let v = v.trim_start();
    let Some(q) = v.chars().next().filter(|&c| c == '"' || c == '\'') else {
        return false;
    };
    XHTML_CONTAINERS.contains(&bare)
        && v[1..]
            .split_once(q)
            .is_some_and(|(uri, _)| uri.eq_ignore_ascii_case("http://www.w3.org/1999/xhtml"))
}

/// A namespace declaration's value, from just after its `=` and lower-cased, that binds no
/// vocabulary a browser runs script from: a quoted URI other than XHTML's, SVG's, MathML's,
/// XML Events' (`ev:handler`, html5sec #85), Mozilla's (XUL, XBL), Microsoft's (VML,
/// HTML+TIME) and IE's XSL (`http://www.w3.org/TR/WD-xsl`, whose `<xsl:eval>` ran script
/// in a data island), with no reference that could spell one of them (`&#x…;`, `%`).
fn plain_namespace(v: &str) -> bool {
    let v = v.trim_start();
    let Some(q) = v.chars().next().filter(|&c| c == '"' || c == '\'') else {
        return false;
    };
    let Some(len) = v[1..].find(q) else {
        return false;
    };
    let uri = &v[1..1 + len];
    !uri.contains(['&', '%', '\\', '<'])
        && ![
            "1999/xhtml",
            "2000/svg",
            "1998/math",
            "wd-xsl",
            "xml-events",
            "mozilla.org",
            "urn:schemas-microsoft-com",
        ]
        .iter()
        .any(|n| uri.contains(n))
}

/// A formula in MathML, as math editors (MathType, WIRIS) save it into rich text and
/// MathJax renders it: `<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi>
/// <mo>=</mo><mn>2</mn></math>`. Presentation elements only, closed by `</math>`. The
/// mutation payloads nest HTML (`<math><mtext><table><mglyph><style>…`) or HTML-carrying
/// annotations (`annotation-xml`), and links and handlers on any element are read tag by
/// tag as everywhere. A window of a long value cut inside the formula shows it up to the
/// cut (`cut_after`), as for [`plain_svg`].
fn plain_math(attrs: &str, rest: &str, cut_after: bool) -> bool {
    const FORMULA: &[&str] = &[
        "math",
        "mi",
        "mo",
        "mn",
        "ms",
        "mtext",
        "mrow",
        "msup",
        "msub",
        "msubsup",
        "mfrac",
        "msqrt",
        "mroot",
        "mspace",
        "mstyle",
        "mtable",
        "mtr",
        "mtd",
        "mover",
        "munder",
        "munderover",
        "mpadded",
        "mphantom",
        "menclose",
        "mfenced",
        "mmultiscripts",
        "mprescripts",
        "none",
        "semantics",
        "annotation",
    ];
    let la = lower(attrs);
    // Its namespace is MathML's, if it names one.
    if loads_active(&la) || (la.contains("xmlns") && !la.contains("w3.org/1998/math/mathml")) {
        return false;
    }
    let lower_rest = lower(rest);
    let Some(close) = lower_rest
        .find("</math")
        .or(cut_after.then_some(lower_rest.len()))
    else {
        return false;
    };
    let body = &lower_rest[..close];
    // Bound first: the iterator borrows `lower_rest`, which the tail expression would outlive.
    let plain =
        elements(body).all(|element| element.is_some_and(|(name, _, _)| FORMULA.contains(&name)));
    plain
}

/// An SVG drawing (an icon in a rich-text field, an uploaded logo): a closed `<svg>` whose
/// own attributes load nothing, no CSS `url()` leaving the document, and whose content, up
/// to `</svg>`, is only shapes, groups,
/// gradients, text, filters, a stylesheet and the editors' metadata. What makes SVG run script is outside that list: `<script>`,
/// `<foreignObject>` (HTML inside), `<animate>`/`<set>` (they rewrite `href` or a handler),
/// `<handler>`, `<image>`/`<feImage>` (they load URLs), `<use>` unless it points into the
/// same document (`href="#id"`), and `<a>` unless it links a page. Handlers and script URLs on the allowed
/// elements are still read, tag by tag, by `scan_attrs`.
fn plain_svg(attrs: &str, rest: &str, cut_after: bool) -> bool {
    const DRAWING: &[&str] = &[
        "svg",
        "g",
        "path",
        "circle",
        "rect",
        "line",
        "polyline",
        "polygon",
        "ellipse",
        "defs",
        "title",
        "desc",
        "lineargradient",
        "radialgradient",
        "stop",
        "clippath",
        "mask",
        "symbol",
        "text",
        "tspan",
        "pattern",
        "metadata",
        "filter",
        "fegaussianblur",
        "feoffset",
        "feblend",
        "fecolormatrix",
        "fecomposite",
        "feflood",
        "femerge",
        "femergenode",
        "fedropshadow",
        "feturbulence",
        "fedisplacementmap",
        "fecomponenttransfer",
        "fefunca",
        "fefuncr",
        "fefuncg",
        "fefuncb",
        "femorphology",
        "fetile",
        "feconvolvematrix",
        "fediffuselighting",
        "fespecularlighting",
        "fedistantlight",
        "fepointlight",
        "fespotlight",
        "marker",
        "switch",
        "textpath",
        "view",
        "use",
        "a",
        "style",
        // What editors write beside the drawing: Inkscape's and Sodipodi's settings, and
        // the RDF metadata (Dublin Core, Creative Commons) of every Inkscape export. Text
        // and attributes only; names are read without their namespace prefix.
        "namedview",
        "grid",
        "perspective",
        "path-effect",
        "page",
        "rdf",
        "work",
        "format",
        "type",
        "license",
        "permits",
        "requires",
        "prohibits",
        "agent",
        "creator",
        "publisher",
        "rights",
        "date",
        "description",
        "subject",
        "bag",
        "li",
        "language",
        "identifier",
        "source",
        "relation",
        "coverage",
        "contributor",
        // Inkscape's guide lines (`<sodipodi:guide>`).
        "guide",
        // An SVG font's description (Graphviz writes them): names and metrics, no link.
        "font-face",
        "font-face-src",
        "font-face-name",
    ];
    // Plain HTML a diagram's `<foreignObject>` lays out as text (mdBook's and draw.io's
    // labels: `<div>`, `<font>`, `<br>`). No tag here switches the parser's mode; a
    // handler on one is read as on any tag.
    const LABEL_HTML: &[&str] = &[
        "div", "span", "p", "b", "i", "u", "em", "strong", "br", "font", "small", "sub", "sup",
        "code",
    ];
    let lower_attrs = lower(attrs);
    if loads_active(&lower_attrs) {
        return false;
    }
    // A drawing is closed; `<svg>` alone or cut off is a fragment of a payload. A window
    // of a long value cut inside the drawing shows it up to the cut; the next window
    // judges the rest.
    let lower_rest = lower(rest);
    let Some(close) = lower_rest
        .find("</svg")
        .or(cut_after.then_some(lower_rest.len()))
    else {
        return false;
    };
    let body = &lower_rest[..close];
    // CSS `url(…)` to another document (`marker-start:url(x.svg#a)`) loads its script. A
    // web font (`@font-face { src: url("https://cdn…/FiraCode.woff2") }` in every terminal
    // screenshot rich exports) is read as a font, never as a document.
    let foreign_url = |t: &str| {
        t.match_indices("url(").any(|(at, _)| {
            let target = t[at + 4..].trim_start_matches(['"', '\'', ' ']);
            let end = target
                .find([')', '"', '\'', '?', '#'])
                .unwrap_or(target.len());
            let font = [".woff2", ".woff", ".ttf", ".otf"]
                .iter()
                .any(|x| target[..end].ends_with(x))
                && page_link(target);
            !target.starts_with('#') && !font
        })
    };
    // A stylesheet (Illustrator's `<style>.cls-1{fill:#fff}</style>`) imports no other.
    if foreign_url(&lower_attrs) || foreign_url(body) || body.contains("@import") {
        return false;
    }
    // How many `<foreignObject>` elements are open where the walk stands.
    let mut labels = 0usize;
    for element in elements(body) {
        let Some((name, j, closing)) = element else {
            // A `<` that ends a window cut inside the drawing: the next window reads it.
            return cut_after && close == lower_rest.len() && body.trim_end().ends_with('<');
        };
        // A name the window's cut ends (`<feO`): the next window reads the tag whole.
        if cut_after && close == lower_rest.len() && j == body.len() {
            break;
        }
        if name == "foreignobject" {
            if closing {
                labels = labels.saturating_sub(1);
            } else {
                labels += 1;
            }
            continue;
        }
        if labels > 0 && LABEL_HTML.contains(&name) {
            continue;
        }
        // A bitmap drawn in (docutils' `biohazard-bitmap.svg`): a raster image by `data:`
        // or a page's path runs nothing, and SVG keeps no script of an image.
        if name == "image" {
            let attrs = &body[j..tag_end(body, j)];
            let plain = attrs.match_indices("href").all(|(at, _)| {
                attrs[at + 4..]
                    .trim_start()
                    .strip_prefix('=')
                    .map(|v| v.trim_start().trim_start_matches(['"', '\'']))
                    .is_some_and(|v| raster_image(v) || (page_link(v) && !v.contains(".svg")))
            });
            if !plain {
                return false;
            }
            continue;
        }
        // A shape's size, place or paint animated (a loading spinner's `<animate
        // attributeName="r" values="3;5;3">`). Animating a link's `href` to a script URL is
        // the vector, and `<set>` is left out.
        let animation = matches!(name, "animate" | "animatetransform" | "animatemotion");
        if !DRAWING.contains(&name) && !animation {
            return false;
        }
        if animation {
            let attrs = &body[j..tag_end(body, j)];
            if ["href", "javascript", "data:", "&"]
                .iter()
                .any(|k| attrs.contains(k))
            {
                return false;
            }
        }
        if name == "use" || name == "a" {
            let end = tag_end(body, j);
            let attrs = &body[j..end];
            // `<use>` only into the same document; `<a>` to a page (see [`page_link`]).
            let local = attrs.match_indices("href").all(|(at, _)| {
                attrs[at + 4..]
                    .trim_start()
                    .strip_prefix('=')
                    .map(|v| v.trim_start().trim_start_matches(['"', '\'']))
                    .is_some_and(|v| v.starts_with('#') || (name == "a" && page_link(v)))
            });
            if !local {
                return false;
            }
        }
    }
    true
}

/// A link in a drawing to a page (a railroad diagram's `<a
/// xlink:href="whitespace.html#grammar-WHITESPACE">`), lower-cased from its value's start: a
/// relative path or http(s), no scheme before the path and no entity to spell one.
fn page_link(v: &str) -> bool {
    let scheme = v.find(':');
    let path = v.find(['/', '#', '?', '"', '\'', ' ', '>']);
    // Once `http://` has named the scheme, an `&amp;` in the query spells none
    // (`?src=pr&amp;el=h1` in a codecov badge).
    v.starts_with("http://")
        || v.starts_with("https://")
        || (!v.contains('&') && scheme.is_none_or(|c| path.is_some_and(|p| p < c)))
}

/// A raster image inlined by a `data:` URL, lower-cased from its value's start.
fn raster_image(v: &str) -> bool {
    [
        "data:image/png",
        "data:image/jpeg",
        "data:image/gif",
        "data:image/webp",
    ]
    .iter()
    .any(|p| v.starts_with(p))
}

/// The elements of a lower-cased markup fragment, in order: each tag's (or closing tag's)
/// name without its namespace prefix, where the name ends, and whether the tag closes.
/// Comments and processing instructions (`<!-- … -->`, `<?…?>`) are skipped; a `<` that
/// opens no tag yields `None`.
fn elements(body: &str) -> impl Iterator<Item = Option<(&str, usize, bool)>> + '_ {
    let b = body.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || loop {
        let off = body[i..].find('<')?;
        let mut j = i + off + 1;
        i = j;
        let closing = b.get(j) == Some(&b'/');
        if closing {
            j += 1;
        }
        let start = j;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || matches!(b[j], b':' | b'-')) {
            j += 1;
        }
        if j == start {
            if matches!(b.get(start), Some(b'!' | b'?')) {
                continue;
            }
            return Some(None);
        }
        let name = &body[start..j];
        return Some(Some((name.rsplit(':').next().unwrap_or(name), j, closing)));
    })
}

/// Where the tag whose attributes start at `from` ends: the first `>` outside a quoted
/// attribute value (`<x 1=">" onxxx=1>` hides its handler behind a quoted `>`), or the
/// first `>` at all when a quote never closes; the end of `s` without one.
fn tag_end(s: &str, from: usize) -> usize {
    let b = s.as_bytes();
    let mut quote = None;
    let mut i = from;
    while i < b.len() {
        match (quote, b[i]) {
            (None, b'>') => return i,
            (None, q @ (b'"' | b'\'')) if i > from && b[i - 1] == b'=' => quote = Some(q),
            (Some(q), c) if c == q => quote = None,
            _ => {}
        }
        i += 1;
    }
    s[from..].find('>').map_or(s.len(), |e| from + e)
}

/// Is `s` an HTML document (or its head): an `<html>` or `<head>` tag in it, or the end
/// of one (a window of a PHP page's markup that starts after `<head>`: `<meta
/// charset="utf-8"><title>…</title></head>`)?
fn in_document(s: &str) -> bool {
    let lower = lower(s);
    ["<html", "<head", "</head", "</html"]
        .iter()
        .any(|t| lower.contains(t))
}

/// A bare tag a sentence names (`Revert "Add <script> tag for analytics"`, `<iframe>
/// elements are blocked by our CSP`): no attributes, then a space and the word for it, and
/// the element is never closed in the value. A script's code or an embed's content starts
/// right after the tag instead; `<script> tag(1)` or `<script> tag.x` reads as code.
///
/// A list of tags names them too (`Skip <script> and <style> stuff`, `Unclosed <script>,
/// <style> are now treated as empty tags`): a script that starts with `,` or `and <` is a
/// syntax error, and one never closed never runs.
fn tag_named_in_prose(s: &str, name: &str, open: usize, end: usize) -> bool {
    let after = s.get(end + 1..).unwrap_or("");
    let before = &s[..open];
    let closed = || lower(s).contains(&format!("</{name}"));
    const SEPARATORS: [&str; 6] = [", ", ",", " and ", " or ", " & ", "/"];
    // The next item (`<script>, <style>`) or the one before it (`<script> and <style>`) is a
    // tag too.
    let listed = SEPARATORS.iter().any(|sep| {
        after
            .strip_prefix(sep)
            .and_then(|t| t.strip_prefix('<'))
            .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_alphabetic()))
            || before
                .strip_suffix(sep)
                .is_some_and(|t| t.ends_with('>') && !t.ends_with("->"))
    });
    if listed {
        return prose_follows(after) && !closed();
    }
    // Chinese, Japanese and Korean write the noun right after the tag, with no space
    // (`<script>タグは使えません`, `<script>标签不能使用`, a full-width `＜script＞` read the
    // same). To a script the words are one name, which runs nothing; a call, an assignment
    // or a template (`(`, `=`, a backtick) anywhere after it still counts.
    if after.starts_with(cjk) {
        let runs = matches!(name, "script" | "style") && after.contains(['(', '=', '`']);
        return !(closed() || runs);
    }
    // The noun may wrap to the next line (`interior <svg>\n  elements.`).
    let Some(rest) = after.strip_prefix(' ').or_else(|| {
        after
            .strip_prefix('\n')
            .map(|r| r.trim_start_matches([' ', '\t']))
    }) else {
        return false;
    };
    let word_end = rest
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(rest.len());
    // Changelogs and issue titles name what is done to the element too (`Add <svg> support`,
    // `yet another issue with <script> parsing.`).
    let noun = matches!(
        &rest[..word_end],
        "tag"
            | "tags"
            | "element"
            | "elements"
            | "block"
            | "blocks"
            | "support"
            | "handling"
            | "parsing"
            | "parser"
            | "rendering"
            | "content"
            | "contents"
            | "attribute"
            | "attributes"
            | "nodes"
            | "sanitization"
            | "escaping"
    );
    let tail = &rest[word_end..];
    // Any other word may start the sentence (`<svg> icons in react`, `<iframe> is blocked`)
    // when more follows it: `script_goes_on` then asks for two words side by side, which
    // no script parses.
    let noun = noun || (word_end > 0 && !tail.trim().is_empty());
    let sentence = tail.is_empty()
        || tail.starts_with([' ', ',', ')', '!', '?', '"', '\'', '\n', '\r'])
        || (tail.starts_with('.') && (tail.len() == 1 || tail[1..].starts_with([' ', '\n'])));
    // Only a script's (or a style sheet's) text runs: after a bare `<svg>` or `<iframe>`
    // the words are text (`<svg> icons in react`), whatever a script would make of them.
    let runs_text = matches!(name, "script" | "style");
    noun && sentence && !closed() && !(runs_text && script_goes_on(tail, rest))
}

/// A letter of Chinese, Japanese (kana) or Korean (Hangul) writing.
fn cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}'
        | '\u{ac00}'..='\u{d7af}')
}

/// After a noun that names an unclosed element, does the value go on as script would? The
/// element's text runs to the value's end (and on into the page): `<script> tag = alert(1)`
/// assigns and calls, `<script> tag (alert(1))` calls. A sentence puts words side by side
/// on a line (`tag is used`, `tag (see below)`), which no script parses, so nothing in it
/// runs; only punctuation after the noun runs nothing either. `from_noun` is the noun and
/// `tail`: the noun itself may be the first of two words (`<script> tag tutorial`).
fn script_goes_on(tail: &str, from_noun: &str) -> bool {
    let rest = tail.trim_start_matches(['.', ',', '!', '?', ')', '"', '\'', ' ', '\n', '\t']);
    if rest.is_empty() {
        return false;
    }
    // Words a script may put before another word (`new x`, `typeof x`, `x in y`).
    const JOINERS: [&str; 14] = [
        "new",
        "typeof",
        "void",
        "delete",
        "in",
        "of",
        "instanceof",
        "return",
        "var",
        "let",
        "const",
        "await",
        "yield",
        "throw",
    ];
    !from_noun.lines().any(|line| {
        let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
        words.windows(2).any(|pair| {
            let word = |w: &str| {
                let w = w.trim_matches(['.', ',', '!', '?', ':', '"', '\'', '(', ')']);
                !w.is_empty() && w.bytes().all(|b| b.is_ascii_alphabetic())
            };
            word(pair[0])
                && word(pair[1])
                && !JOINERS.contains(&pair[0])
                && !JOINERS.contains(&pair[1])
        })
    })
}

/// A tag of a kind that loads nothing without attributes (`data`, `src`, `href`,
/// `http-equiv`), written bare and closed at once: a type argument (`Promise<Object>`,
/// `Array<Frame>`), an escaped type in API docs (`&#x3C;Object>` decodes to `<Object>`), a
/// placeholder. What it contains is judged on its own (`<object><param value=javascript:…>`
/// is a script URL). `script`, `style` and the namespace switches (`svg`, `math`) run or
/// change what their content means, and stay out.
fn bare_inert(s: &str, name: &str, end: usize) -> bool {
    let loads_nothing_bare = matches!(
        name,
        "object"
            | "embed"
            | "applet"
            | "iframe"
            | "frame"
            | "frameset"
            | "base"
            | "link"
            | "meta"
            | "isindex"
            // Chrome's experimental `<portal>` loads its `src`; bare, it is a component's
            // name to HTML (PrimeVue's `<Portal :appendTo="body">`).
            | "portal"
            // IE's data island: bound by its `id` (`datasrc=#x`) or loaded by `src`; bare,
            // it is an element named `xml` (`<xml>foobar contents</xml>`, a sample value).
            | "xml"
    );
    loads_nothing_bare && s.as_bytes().get(end) == Some(&b'>')
}

/// A tag of [`bare_inert`]'s kinds but `meta`, closed, whose attributes name nothing it
/// could load or run: no source, data, code, class id, archive, link target or style
/// (`<Frame filename=%r lineno=%r>`, a Python object's repr in a traceback formatter;
/// `<object id="player" width="640">` before its `<param>`s). Handlers and script URLs in
/// it are still read by `scan_attrs`, and what the element contains is judged on its own.
fn loads_nothing(s: &str, name: &str, attrs: &str, end: usize) -> bool {
    const LOADERS: [&str; 9] = [
        "src", "data", "code", "classid", "archive", "href", "movie", "style", "xmlns",
    ];
    !matches!(name, "meta" | "xml") && bare_inert(s, name, end) && !attrs.is_empty() && {
        let lower = lower(attrs);
        !LOADERS.iter().any(|k| lower.contains(k))
    }
}

/// The embed code a social or code-sharing platform hands out, pasted into a post's HTML
/// (`<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>`
/// after a tweet's blockquote, Instagram's, TikTok's, CodePen's, a gist's, Facebook's SDK):
/// an empty script loading the platform's own file over HTTPS, with only the attributes
/// those codes use. The files are the platforms' and render their own markup; any other
/// host, a query (a JSONP callback), inline code or a handler still counts.
fn official_embed(attrs: &str, after: &str) -> bool {
    const SCRIPTS: [&str; 13] = [
        "platform.twitter.com/widgets.js",
        "www.instagram.com/embed.js",
        "instagram.com/embed.js",
        "www.tiktok.com/embed.js",
        "cpwebassets.codepen.io/assets/embed/ei.js",
        "static.codepen.io/assets/embed/ei.js",
        "embed.reddit.com/widgets.js",
        "embed.redditmedia.com/widgets/platform.js",
        "s.imgur.com/min/embed.js",
        "player.vimeo.com/api/player.js",
        "w.soundcloud.com/player/api.js",
        "assets.pinterest.com/js/pinit.js",
        "static.elfsight.com/platform/platform.js",
    ];
    let closed = after
        .trim_start()
        .get(..9)
        .is_some_and(|c| c.eq_ignore_ascii_case("</script>"));
    if !closed {
        return false;
    }
    let mut src = None;
    for token in attrs.split_whitespace() {
        let (name, value) = token.split_once('=').unwrap_or((token, ""));
        let name = name.to_ascii_lowercase();
        let value = value.trim_matches(['"', '\'']);
        match name.as_str() {
            "src" => src = Some(value),
            "async" | "defer" | "charset" | "crossorigin" | "nonce" | "id" => {}
            "type" if value.eq_ignore_ascii_case("text/javascript") => {}
            n if n.starts_with("data-") => {}
            _ => return false,
        }
    }
    let Some(url) = src
        .and_then(|u| u.strip_prefix("https:").or(Some(u)))
        .and_then(|u| u.strip_prefix("//"))
    else {
        return false;
    };
    // Facebook's SDK names its settings in the fragment (`#xfbml=1&version=v18.0`).
    let url = url.split_once('#').map_or(url, |(u, _)| u);
    if url.contains(['?', '\\', '@']) {
        return false;
    }
    let facebook = url
        .strip_prefix("connect.facebook.net/")
        .and_then(|r| r.strip_suffix("/sdk.js"))
        .is_some_and(|locale| locale.len() == 5 && locale.as_bytes()[2] == b'_');
    // A gist's embed, `gist.github.com/<user>/<id>.js`: GitHub writes the gist's code as text.
    let gist = url
        .strip_prefix("gist.github.com/")
        .and_then(|r| r.strip_suffix(".js"))
        .and_then(|r| r.split_once('/'))
        .is_some_and(|(user, id)| {
            !user.is_empty()
                && user.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                && !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_hexdigit())
        });
    facebook || gist || SCRIPTS.iter().any(|s| url.eq_ignore_ascii_case(s))
}

/// A classic script whose first token no JavaScript statement starts with: a closing tag
/// (`<tt><script></tt> verification.`, RDoc's code markup around a tag's name), an
/// operator or a closing bracket, an ellipsis, or a word that only continues an expression
/// or a statement (`* Remove <script> in SVG images`), or two names side by side. The
/// whole script is a syntax error, and a script that fails to parse runs none of its
/// statements. `<!--` and `-->` are comments to a browser's parser, so they are not
/// counted here.
fn never_parses(body: &str) -> bool {
    let t = body.trim_start();
    if t.starts_with("<!--") || t.starts_with("-->") {
        return false;
    }
    if let Some(name) = t.strip_prefix("</") {
        return !name
            .get(..6)
            .is_some_and(|n| n.eq_ignore_ascii_case("script"));
    }
    // Not `%`: `<script>%(payload)s</script>` is a payload template, filled in before use.
    // An ellipsis for the script's code (`the content of <script>...</script>`): a spread
    // starts no statement, and `…` is no name's first character. `.5` is a number.
    if t.starts_with([')', ']', '}', ',', '=', '?', ':', '*', '|', '^', '>', '…'])
        || t.starts_with("..")
    {
        return true;
    }
    let word = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(t.len());
    if matches!(
        &t[..word],
        "in" | "instanceof" | "else" | "case" | "catch" | "finally" | "extends"
    ) {
        return true;
    }
    // Two names side by side on the first line (`<script>\n\nExecute the Python code…`, a
    // usage placeholder with its description): without an operator between them, and no
    // line break for a semicolon to be inserted at, no statement parses. A keyword takes a
    // name after it (`var x`, `new X`, `typeof x`, `async function`).
    let next = t[word..].trim_start_matches([' ', '\t']);
    word > 0
        && !t.as_bytes()[0].is_ascii_digit()
        && next.len() < t.len() - word
        && next.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && !JS_KEYWORDS.contains(&&t[..word])
}

/// The words a JavaScript statement or expression may put before a name, with a space
/// between: declarations, operators written as words, contextual keywords.
const JS_KEYWORDS: [&str; 34] = [
    "async",
    "await",
    "break",
    "case",
    "class",
    "const",
    "continue",
    "debugger",
    "default",
    "delete",
    "do",
    "else",
    "export",
    "extends",
    "for",
    "function",
    "get",
    "if",
    "import",
    "in",
    "instanceof",
    "let",
    "new",
    "of",
    "return",
    "set",
    "static",
    "switch",
    "throw",
    "typeof",
    "var",
    "void",
    "while",
    "yield",
];

/// A single-file component's script block (`<script setup lang="ts">import { ref } from
/// 'vue'…`, Svelte's `<script module>`, `<script>export default { name: … }</script>`): to a
/// browser a classic script, whose first statement is an `import` or `export` declaration
/// that only a module may hold. The whole script is a syntax error and runs nothing. Only
/// the components' own attributes may stand on the tag (`lang`, `setup`, `context`,
/// `module`, `generic`, `generics`): a `type` may make it a module, a `src` loads another
/// script. A dynamic `import(…)` and `import.meta` are no declarations; TypeScript's
/// `type X =` fails as well. An empty block runs nothing either. What follows the block is
/// judged on its own.
fn component_script(attrs: &str, body: &str) -> bool {
    // The attributes' names, values skipped (`generics="T extends Item = Row"`).
    let mut rest = attrs.trim().trim_end_matches('/');
    while !rest.is_empty() {
        let name_end = rest
            .find(|c: char| c == '=' || c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        if !matches!(
            name.as_str(),
            "lang" | "setup" | "context" | "module" | "generic" | "generics"
        ) {
            return false;
        }
        rest = rest[name_end..].trim_start();
        if let Some(value) = rest.strip_prefix('=') {
            let value = value.trim_start();
            rest = match value.chars().next() {
                Some(q @ ('"' | '\'')) => match value[1..].find(q) {
                    Some(end) => &value[end + 2..],
                    None => return false,
                },
                _ => value
                    .find(|c: char| c.is_ascii_whitespace())
                    .map_or("", |e| &value[e..]),
            }
            .trim_start();
        }
    }
    // An empty block (`<script></script>` before a `<script setup>`) runs nothing. (One that
    // holds only a comment is a filter probe, `<script>/* *alert(1)// */</script>`.)
    if body
        .trim_start()
        .get(..8)
        .is_some_and(|c| c.eq_ignore_ascii_case("</script"))
    {
        return true;
    }
    // Past blank lines and comments to the first statement.
    let mut t = body;
    loop {
        let next = t.trim_start();
        let next = if let Some(r) = next.strip_prefix("//") {
            r.find('\n').map_or("", |e| &r[e..])
        } else if let Some(r) = next.strip_prefix("/*") {
            r.find("*/").map_or("", |e| &r[e + 2..])
        } else {
            next
        };
        if next.len() == t.len() {
            break;
        }
        t = next;
    }
    let word = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '$'))
        .unwrap_or(t.len());
    let after = t[word..].trim_start();
    match &t[..word] {
        "import" => after.starts_with(|c: char| {
            c.is_ascii_alphabetic() || matches!(c, '{' | '*' | '"' | '\'' | '_' | '$')
        }),
        "export" => t.len() > word,
        // TypeScript's declarations (`type Props = {…}`, `interface Item {…}`): two names
        // side by side on a line, which no script parses.
        "type" | "interface" => {
            let gap = &t[word..t.len() - after.len()];
            !gap.is_empty()
                && !gap.contains('\n')
                && after.starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '_' | '$'))
        }
        _ => false,
    }
}

/// What follows a named tag reads as a sentence or another tag, not as code: nothing, a tag,
/// or a word followed by a space or punctuation (`and <style>`, `stuff.`), where a script
/// has a call or a property (`alert(1)`, `document.cookie`).
fn prose_follows(after: &str) -> bool {
    let t = after.trim_start_matches([' ', ',']);
    if t.is_empty() || t.starts_with('<') {
        return true;
    }
    let word = t
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(t.len());
    let next = &t[word..];
    word > 0
        && (next.is_empty()
            || next.starts_with([' ', ',', '!', '?', ')', '\n'])
            || (next.starts_with('.') && (next.len() == 1 || next[1..].starts_with([' ', '\n']))))
}

/// `<script>` types that mark a data block: HTML runs none of them.
const DATA_BLOCK_TYPES: &[&str] = &[
    "application/ld+json",
    "application/json",
    "text/template",
    "text/x-template",
    "text/x-handlebars-template",
    "text/x-jquery-tmpl",
    "text/html",
    "text/plain",
];

/// A script whose only `src` is one server-side template expression, as a template editor
/// saves it (`<script src="{% static 'admin/js/cancel.js' %}" defer>`, `src="{{
/// pathto('_static/searchtools.js', 1) }}"`). Rendered as a template, the expression is the
/// template injection's to judge (`ssti`); put into a page as it is, it is a relative URL
/// under a directory named `{% static 'admin` on the page's own origin, which serves
/// nothing. It must not climb out of it (`..`), carry a query (a JSONP callback) or a
/// backslash (a slash to browsers). Content between the tags is not run when `src` is set.
fn template_src(lower_attrs: &str) -> bool {
    let Some(mut v) = attr_value(lower_attrs, "src") else {
        return false;
    };
    // A helper's own quoted argument (Handlebars' `src="{{asset "built/source.js"}}"`) ends
    // the attribute value early for `attr_value`; the expression runs to its `}}`, and the
    // attribute's quote must close right after it.
    if v.starts_with("{{") && !v.ends_with("}}") {
        // `v` is a slice of `lower_attrs`: where it starts.
        let at = v.as_ptr() as usize - lower_attrs.as_ptr() as usize;
        let quote = lower_attrs[..at].chars().next_back();
        let whole = lower_attrs[at..]
            .find("}}")
            .map(|e| &lower_attrs[at..at + e + 2]);
        match (whole, quote) {
            (Some(w), Some(q @ ('"' | '\'')))
                if lower_attrs[at + w.len()..].starts_with(q)
                    && w[2..w.len() - 2].matches(q).count() == 2 =>
            {
                v = w;
            }
            _ => return false,
        }
    }
    let expression =
        (v.starts_with("{{") && v.ends_with("}}")) || (v.starts_with("{%") && v.ends_with("%}"));
    expression
        && lower_attrs.matches("src").count() == 1
        && !v.contains("..")
        && !v.contains(['?', '\\', '#'])
}

/// The value of attribute `name` in a tag's lower-cased attributes, quotes dropped.
fn attr_value<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    attrs.match_indices(name).find_map(|(at, _)| {
        // The name must stand alone (`type=`, not `data-type=`).
        if !attrs[..at].ends_with(|c: char| c.is_whitespace()) && at != 0 {
            return None;
        }
        let rest = attrs[at + name.len()..].trim_start().strip_prefix('=')?;
        let rest = rest.trim_start();
        Some(match rest.chars().next()? {
            q @ ('"' | '\'') => {
                let v = &rest[1..];
                &v[..v.find(q).unwrap_or(v.len())]
            }
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or("")
                .trim_end_matches('/'),
        })
    })
}

/// A template's or a document's stand-in for a charset (`charset=%s`, `charset=%(charset)s`,
/// `{{ charset }}`, `${enc}`, `charset="..."`): the program that writes the page fills it in,
/// and a browser knows no encoding by that name.
fn charset_placeholder(v: &str) -> bool {
    ["%s", "%(", "{", "$", "...", "\u{2026}"]
        .iter()
        .any(|p| v.starts_with(p))
}

/// A microdata property in an article's body (`<meta itemprop="datePublished"
/// content="2024-05-01">`, schema.org's recipes, reviews and products, which a CMS keeps in
/// the content it stores), or an RDFa one (an EPUB package's `<meta
/// property="dcterms:modified">`), or a named one (`<meta name="cover" content="…">` in an
/// EPUB package, `<meta name="description">` in a fragment): it names a value for crawlers
/// and readers, with no `http-equiv` to refresh or set a cookie and no charset.
fn microdata_meta(attrs: &str) -> bool {
    let lower = lower(attrs);
    ["itemprop", "property", "name"]
        .iter()
        .any(|a| attr_value(&lower, a).is_some())
        && !lower.contains("http-equiv")
        && !lower.contains("charset")
}

/// The `<meta charset="utf-8">` Chromium puts first in every piece of HTML it copies (a
/// Google Docs selection arrives as `<meta charset="utf-8"><b id="docs-internal-guid-…">`),
/// which a rich-text editor's paste keeps: first in the value, with nothing before it, a
/// UTF-8 charset its only attribute, and the copied markup after it, which is judged on its
/// own. Alone, `<meta charset="UTF-8">` is still a probe for markup injection.
fn clipboard_meta(before: &str, attrs: &str, after: &str) -> bool {
    let lower = lower(attrs);
    let charset = lower
        .trim_end_matches('/')
        .trim()
        .strip_prefix("charset=")
        .map(|v| v.trim_matches(['"', '\'', '\\']));
    before.trim().is_empty()
        && charset == Some("utf-8")
        && after.get(1..).is_some_and(|rest| rest.contains('<'))
}

/// A `<meta>` outside a document that only names a charset by a placeholder (`# HTML 5
/// <meta charset="...">` in a parser's comment). A probe needs a real name or a refresh.
fn meta_placeholder(attrs: &str) -> bool {
    let lower = lower(attrs);
    let mut values = lower.split("charset=").skip(1).peekable();
    // `http-equiv="Content-Type"` restates the charset in `content` (`charset=%s`).
    let equiv = lower.matches("http-equiv").count();
    values.peek().is_some()
        && (equiv == 0 || (equiv == 1 && attr_value(&lower, "http-equiv") == Some("content-type")))
        && values.all(|v| charset_placeholder(v.trim_start_matches(['"', '\''])))
}

/// Link relations that place a page among others and load nothing.
const NAVIGATION_RELS: [&str; 21] = [
    "prev",
    "previous",
    "next",
    "up",
    "index",
    "contents",
    "toc",
    "start",
    "first",
    "last",
    "top",
    "chapter",
    "section",
    "subsection",
    "appendix",
    "glossary",
    "help",
    "home",
    "author",
    "license",
    "copyright",
];

/// Link relations, beside [`NAVIGATION_RELS`], that describe a resource without loading it:
/// a page's feeds and short or canonical address, and Atom's and AtomPub's own relations.
const LINK_RELS_LOADING_NOTHING: [&str; 13] = [
    "alternate",
    "canonical",
    "shortlink",
    "bookmark",
    "self",
    "edit",
    "replies",
    "related",
    "via",
    "enclosure",
    "service.edit",
    "service.post",
    "service.feed",
];

/// Uses of a script-capable tag that load nothing executable: a same-origin stylesheet or
/// icon `<link>` (every HTML template in documentation has one) and an `<object>` without the attributes
/// that load content (`<object pk="1" model="auth.user">` in a Django fixture). A script URL,
/// an import or a handler in the attributes still counts (`scan_attrs` reads them).
fn inert_use(tag: &str, attrs: &str) -> bool {
    let lower = lower(attrs);
    let active = loads_active(&lower);
    match tag {
        // HTML's `<template>` holds markup that nothing renders or runs until a script clones
        // it; Vue's single-file components start with one. IE's XSL templates
        // (`<template match="/"><eval>…`) select nodes with `match`.
        "template" => !lower.contains("match"),
        // A data block (`<script type="application/ld+json">{…}</script>`, the structured
        // data every CMS article carries, or a client-side template): a type no browser
        // runs, and nothing loaded. A script type of any other name, `module`, `importmap`
        // and types old browsers ran (`text/vbscript`) are not listed.
        "script" => {
            let data_block = !lower.contains("src")
                && attr_value(&lower, "type").is_some_and(|t| DATA_BLOCK_TYPES.contains(&t));
            !active && !lower.contains("language") && (data_block || template_src(&lower))
        }
        // A stylesheet from another origin can still run script in old browsers
        // (`<LINK REL="stylesheet" HREF="http://ha.ckers.org/xss.css">`): same-origin only.
        // A `<link>` without attributes loads nothing (`<link>` as a placeholder in docs).
        "link" if lower.trim_end_matches('/').trim().is_empty() => true,
        // Every HTML document and e-mail declares its charset and viewport. A `<meta>` runs
        // script by refreshing to a script URL (`http-equiv=refresh`), setting a cookie, or
        // declaring a charset that turns later bytes into markup (UTF-7, mac-farsi); it
        // does none of that without `http-equiv` and with UTF-8 or Latin-1. The caller
        // admits it only inside a document (`<html>`, `<head>`): alone it is a probe.
        "meta" => {
            // Documents travel escaped: as a string inside JSON (`charset=\"utf-8\"`) and in
            // quoted-printable mail (`charset=3Dutf-8`, an inbound-mail webhook's raw MIME).
            // Read the attributes as the page they decode to; that only ever shows the check
            // the real values (an escaped `refresh` or `utf-7` still fails it).
            let lower = lower
                .replace("\\\"", "\"")
                .replace("\\'", "'")
                .replace("=3d", "=");
            // Only `charset=` assigns one (`%(charset)s` names a placeholder's key).
            let charset_ok = lower.split("charset").skip(1).all(|rest| {
                if !rest.trim_start().starts_with('=') {
                    return true;
                }
                let v = rest.trim_start_matches(|c: char| {
                    c == '=' || c == '"' || c == '\'' || c.is_whitespace()
                });
                ["utf-8", "iso-8859-1", "windows-1252", "us-ascii"]
                    .iter()
                    .any(|ok| v.starts_with(ok))
                    || charset_placeholder(v)
            });
            // `http-equiv="Content-Type"` (every HTML e-mail's first line) only restates the
            // charset, which `charset_ok` has read from its `content`. Old templates declare
            // a language and caching the browser ignores (`Content-Language`, `Pragma`).
            let equiv_ok = lower.matches("http-equiv").count() <= 1
                && attr_value(&lower, "http-equiv").is_none_or(|v| {
                    matches!(
                        v,
                        "content-type"
                            | "x-ua-compatible"
                            | "content-language"
                            | "cache-control"
                            | "pragma"
                            | "expires"
                            | "imagetoolbar"
                    )
                });
            !active && equiv_ok && charset_ok
        }
        // `<link href="xss.js" rel=stylesheet type="text/javascript">`: script in disguise.
        // A relation that loads nothing, to any page (`<link rel="alternate"
        // type="application/rss+xml" href="https://example.com/feed">` in a page's head, an
        // Atom entry's `rel="edit"`): the browser fetches and runs nothing.
        "link"
            if !active
                && !lower.contains("script")
                && attr_value(&lower, "rel").is_some_and(|v| {
                    v.split_whitespace().next().is_some()
                        && v.split_whitespace().all(|t| {
                            NAVIGATION_RELS.contains(&t) || LINK_RELS_LOADING_NOTHING.contains(&t)
                        })
                })
                && attr_value(&lower, "href").is_none_or(page_link) =>
        {
            true
        }
        "link" => {
            !active
                && !lower.contains("//")
                && !lower.contains("script")
                && !lower.contains(".js")
                && ([
                    "stylesheet",
                    "icon",
                    "preconnect",
                    "canonical",
                    "alternate",
                    "manifest",
                    // A hint fetches early what the page uses; it runs nothing it fetches.
                    "preload",
                    "prefetch",
                ]
                .iter()
                .any(|r| lower.contains(r))
                    // A document's place in a manual (`rel="prev"`, `rel="chapter"`, every
                    // page texinfo, gtk-doc or Sphinx writes): the browser loads nothing.
                    || attr_value(&lower, "rel").is_some_and(|v| {
                        v.split_whitespace().next().is_some()
                            && v.split_whitespace().all(|t| NAVIGATION_RELS.contains(&t))
                    }))
        }
        // A rich-text editor's video or map embed: an `<iframe>` loading a known player
        // over https, with no `srcdoc` (inline markup) and no handler (`scan_attrs`).
        "iframe" => {
            !active
                && !lower.contains("srcdoc")
                // The one `src` attribute (a `?src=` in its URL is the player's own).
                && attr_value(&lower, "src")
                    .and_then(|v| v.strip_prefix("https://"))
                    .is_some_and(|v| EMBED_PLAYERS.iter().any(|p| v.starts_with(p)))
                && lower
                    .match_indices("src")
                    .filter(|&(at, _)| !lower[..at].ends_with(['?', '&']))
                    .count()
                    == 1
        }
        // IE's `<import>` runs script only through the behavior file its `implementation`
        // names (`<?import namespace="t" implementation="#default#time2">`); without it,
        // it is a placeholder in angle brackets (`"ImportToken": "<import token data>"`).
        "import" => !lower.contains("implementation"),
        "object" => {
            (!active
                && !lower.trim_end_matches('/').trim().is_empty()
                && !["data", "classid", "codebase", "type", "archive"]
                    .iter()
                    .any(|a| lower.contains(a)))
                || passive_media(&lower, "data")
        }
        "embed" => passive_media(&lower, "src"),
        _ => false,
    }
}

/// An `<object>` or `<embed>` that shows a document or a recording (`<object
/// data="/files/guide.pdf" type="application/pdf">`, docutils' `<object data="demo.mp4"
/// type="video/mp4">`): its one URL (`url_attr`, lower-cased `attrs`) is a relative path or
/// https, ends in a PDF, video, audio or raster image extension, and a `type`, if given, is
/// one of those kinds. The browser hands it to a viewer or a player; what ran script through
/// these tags was a plugin (Flash's `.swf`, `classid`, `codebase`, `archive`) or a `data:`
/// or `javascript:` URL, none of which this admits.
fn passive_media(lower: &str, url_attr: &str) -> bool {
    const EXTENSIONS: [&str; 13] = [
        "pdf", "mp4", "webm", "ogg", "ogv", "mp3", "wav", "m4a", "png", "jpg", "jpeg", "gif",
        "webp",
    ];
    if loads_active(lower)
        || ["classid", "codebase", "archive", "srcdoc"]
            .iter()
            .any(|a| lower.contains(a))
        || lower.matches(url_attr).count() != 1
    {
        return false;
    }
    let Some(url) = attr_value(lower, url_attr) else {
        return false;
    };
    let path = url.split(['?', '#']).next().unwrap_or("");
    let located = url.starts_with("https://")
        || (!url.contains(':') && !url.starts_with("//") && !url.contains('&'));
    let extension = path
        .rsplit_once('.')
        .is_some_and(|(_, ext)| EXTENSIONS.contains(&ext));
    let typed = attr_value(lower, "type").is_none_or(|t| {
        t == "application/pdf"
            || t.starts_with("video/")
            || t.starts_with("audio/")
            || (t.starts_with("image/") && !t.contains("svg"))
    });
    located && extension && typed
}

/// Every backslash in the CSS escapes a punctuation mark: utility classes' arbitrary values
/// (`.text-\[80px\]`, `.hover\:text-\[\#00DC82\]:hover`, UnoCSS's and Tailwind's output).
/// Such an escape is the mark itself; one before a letter or a hex digit can spell a word
/// (`e\xpression`, `\65 xpression`), and stays suspect.
fn punctuation_escapes_only(css: &str) -> bool {
    let b = css.as_bytes();
    memchr::memchr_iter(b'\\', b).all(|at| {
        b.get(at + 1)
            .is_some_and(|c| c.is_ascii_punctuation() && *c != b'\\')
    })
}

/// A `<style>` element holding plain CSS (`.important { color: #336699; }` in a page
/// template): nothing in it loads or runs anything. Script reaches CSS only through URLs,
/// imports, IE's `expression()`/`behavior` and Mozilla's `-moz-binding`, or a type other
/// than CSS (`<STYLE TYPE="text/javascript">`); any of those, or an escape or comment that
/// could hide one (`expr/**/ession`), keeps the tag dangerous.
/// `body` is the text after the tag's `>`; the element's content runs to `</style>`.
fn plain_css(attrs: &str, body: &str) -> bool {
    let attrs = lower(attrs);
    if attrs.contains("type") && !attrs.contains("text/css") {
        return false;
    }
    let body = body.strip_prefix('>').unwrap_or(body);
    let lower_body = lower(crate::head(body, 4096));
    let Some(close) = lower_body.find("</style") else {
        // `<!--` and `-->` around a sheet hid it from browsers that predate `<style>`; CSS
        // reads both as nothing (CDO/CDC tokens), and a comment too (out, it can no longer
        // split a keyword: `expr/**/ession`); an unclosed one ends the sheet.
        let lower_body = without_css_comments(&lower_body.replace("<!--", "").replace("-->", ""));
        // Unclosed: a bare `<style>` named in a line of prose (`HTML <style> and boolean
        // attributes serializer fixes`, a usage line's `--conflict=<style>] [<tree-ish>]`)
        // makes the rest of the page CSS, which runs nothing unless the value itself brings
        // a loader or an escape. Another tag after it is CSS text to a browser, and is
        // judged on its own besides. Longer than 4 KB: not vouched for.
        // `type="text/css"` (checked above) only restates the default.
        let plain_attrs = attrs.trim().is_empty()
            || attrs
                .trim()
                .trim_start_matches("type=")
                .trim_matches(['"', '\''])
                == "text/css";
        return plain_attrs
            && body.len() <= 4096
            && !lower_body.contains('\\')
            && !css_loads_in_prose(&lower_body);
    };
    // `<!--` and `-->` around a sheet hid it from browsers that predate `<style>`; CSS
    // reads both as nothing (CDO/CDC tokens), and so does the element's end tag. An SVG
    // file's sheet sits in a CDATA section (`<style type="text/css"><![CDATA[ #logo {…}
    // ]]></style>`), which XML reads as text and HTML's CSS parser as a skipped rule.
    let css = lower_body[..close]
        .replace("<!--", "")
        .replace("-->", "")
        .replacen("<![cdata[", "", 1)
        .replacen("]]>", "", 1);
    let css = css.as_str();
    // Brackets inside a declaration block confuse parsers into ending it early
    // (`#x{font-family:foo[bar;color:green;}`, html5sec #113); selectors may hold them. An
    // escaped one is part of a name (`.dark\:bg-\[\#020420\]` inside an `@media` block).
    // A grouping rule's block (`@media … { table[class=body] td {…} }`, every responsive
    // e-mail template) holds rules, whose selectors may hold them too: only the innermost
    // open block says where a bracket stands. At most 32 levels are followed.
    let cb = css.as_bytes();
    let mut declarations = [false; 32];
    let mut depth = 0usize;
    let mut prelude = 0usize;
    let mut escaped = false;
    let confused = cb.iter().enumerate().any(|(i, &c)| {
        if std::mem::take(&mut escaped) {
            return false;
        }
        match c {
            b'\\' => escaped = true,
            b'{' => {
                // Only a prelude with an at-keyword is read past its comments.
                let grouping = css[prelude..i].contains('@') && {
                    let head = without_css_comments(&css[prelude..i]);
                    [
                        "@media",
                        "@supports",
                        "@container",
                        "@layer",
                        "@document",
                        "@scope",
                    ]
                    .iter()
                    .any(|r| head.trim_start().starts_with(r))
                };
                if let Some(slot) = declarations.get_mut(depth) {
                    *slot = !grouping;
                }
                depth += 1;
                prelude = i + 1;
            }
            b'}' => {
                depth = depth.saturating_sub(1);
                prelude = i + 1;
            }
            b';' => prelude = i + 1,
            b'[' | b']' => {
                return depth > 0 && declarations.get(depth - 1).copied().unwrap_or(true);
            }
            _ => {}
        }
        false
    });
    !confused && !css.contains('<') && punctuation_escapes_only(css) && !sheet_loads(css)
}

/// `css` as a CSS parser reads it: comments out, and an unclosed one with all after it.
fn without_css_comments(css: &str) -> String {
    let mut plain = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(open) = rest.find("/*") {
        plain.push_str(&rest[..open]);
        rest = rest[open + 2..]
            .find("*/")
            .map_or("", |close| &rest[open + 2 + close + 2..]);
    }
    plain.push_str(rest);
    plain
}

/// [`css_loads`] for a closed style sheet, read as a CSS parser reads it. Comments are
/// dropped (`padding: 20px; /*controls the height*/` in every e-mail template), so
/// `expre/**/ssion(` still spells its keyword. An image or a font by `url()` over
/// http(s) or a relative path (`background: url(https://cdn.example/hero.jpg)`) loads no
/// script, unless it is an SVG document; with an attribute selector (`input[value^=a]{background:url(//x/a)}`) it
/// leaks a page's values, so there every `url(` still counts.
fn sheet_loads(css: &str) -> bool {
    let plain = without_css_comments(css);
    let mut depth = 0usize;
    let selects_attributes = plain.bytes().any(|c| {
        match c {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            b'[' => return depth == 0,
            _ => {}
        }
        false
    });
    let foreign_url = plain.match_indices("url(").any(|(at, _)| {
        let target = plain[at + 4..].trim_start_matches(['"', '\'', ' ']);
        let end = target.find([')', '"', '\'']).unwrap_or(target.len());
        let target = &target[..end];
        let plain_target = target.starts_with("https://")
            || target.starts_with("http://")
            || (!target.contains(':') && !target.is_empty());
        // An SVG document (a font or an image by `url("font.svg#x")`, html5sec #100) may
        // carry script of its own.
        selects_attributes || !plain_target || target.contains(".svg")
    });
    foreign_url || css_loads(&plain.replace("url(", ""))
}

/// What lets CSS fetch or run anything: a URL (`url(`, `image-set(`, `@import`), IE's
/// `expression()` and `behavior`, Mozilla's `-moz-binding`, a script, or a comment that
/// could split one of them (`expr/**/ession`). `css` is lower-cased.
fn css_loads(css: &str) -> bool {
    [
        "url(",
        "image-set",
        "@import",
        "expression",
        "behavior",
        "binding",
        "script",
        "/*",
    ]
    .iter()
    .any(|k| css.contains(k))
}

/// [`css_loads`] for the prose an unclosed `<style>` turns into CSS: there a script comes
/// only as a URL's scheme (`javascript:`, `vbscript:`); the word itself is the changelog's
/// (`fixes: configure scripts, base handling`).
fn css_loads_in_prose(css: &str) -> bool {
    let scheme = css
        .match_indices("script")
        .any(|(at, _)| css[at + 6..].trim_start().starts_with(':'));
    scheme || css_loads(&css.replace("script", "scrip"))
}

/// `Vec<Style>`, `Option<Style>`: a bare `<style>` right after a name is a type argument.
/// HTML opens a style element there all the same, one that never closes and turns the rest
/// of the page into CSS; CSS alone runs no script, so the element is inert when what
/// follows it in the value (its first 4 KB) loads nothing ([`css_loads`]). A CSS escape
/// could spell a keyword (`\75 rl(`): a backslash before a hex digit is not vouched for;
/// any other escaped character stands for itself (`"\n"` in the code around it).
fn type_argument_style(s: &str, open: usize, attrs: &str, end: usize) -> bool {
    if !attrs.is_empty() || s.as_bytes().get(end) != Some(&b'>') {
        return false;
    }
    let named = s[..open]
        .bytes()
        .next_back()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_');
    if !named {
        return false;
    }
    let css = lower(crate::head(&s[end + 1..], 4096));
    let b = css.as_bytes();
    let hex_escape = b
        .windows(2)
        .any(|w| w[0] == b'\\' && (w[1].is_ascii_hexdigit() || w[1] == b'\n'));
    !hex_escape && !css_loads(&css.replace('\\', ""))
}

/// A stylesheet `<link>` to another origin inside a document of several lines (a page
/// template in documentation: `<link href="https://static.example.com/pretty.css"
/// rel="stylesheet">`). The cheat-sheet payload is the tag alone as the value
/// (`<LINK REL="stylesheet" HREF="http://ha.ckers.org/xss.css">`); in modern browsers a
/// style sheet runs no script either way, so only the bare-payload shape is kept.
fn document_stylesheet(s: &str, attrs: &str) -> bool {
    let lower = lower(attrs);
    (s.trim().contains('\n') || in_document(s))
        && lower.contains("stylesheet")
        && (lower.contains(".css") || lower.contains("/css"))
        && !lower.contains("script")
        && !lower.contains(".js")
        && !loads_active(&lower)
}

/// Lowercased attributes that load or run something: script URLs, data URLs, CSS imports
/// and HTML imports (`rel="import"`), IE's `expression()` and Mozilla's `-moz-binding`. The
/// words alone are class names (Tabler's `icon-tabler-file-import`), not loads.
fn loads_active(lower_attrs: &str) -> bool {
    [
        "javascript:",
        "vbscript:",
        "data:",
        "@import",
        "rel=import",
        "rel=\"import",
        "rel='import",
        "expression(",
        "-moz-binding",
    ]
    .iter()
    .any(|k| lower_attrs.contains(k))
}

/// A tag named in a Markdown code span in prose (`` inside a `<script>` block ``,
/// `` `<template shadowrootmode="open">` ``): the tag, from `<` at `lt` to `>` at `gt`, sits
/// between backticks in a value with words around it. Prose about HTML shows tags so; the
/// tag's attributes are still read (a handler or a script URL counts wherever it is).
fn code_span_mention(s: &str, lt: usize, gt: usize) -> bool {
    let b = s.as_bytes();
    // The end tag of an element shown empty in the same span (`` `<script>...</script>` ``,
    // `` `<style></style>` ``): nothing inside runs.
    let name = s[lt + 1..gt].strip_prefix('/');
    // Boolean attributes may stand in the start tag (`` `<script async>...</script>` ``).
    let emptied = name.is_some_and(|n| {
        let before = &s[..lt];
        let before = before
            .strip_suffix("...")
            .or_else(|| before.strip_suffix('…'))
            .unwrap_or(before);
        let Some(tick) = before.rfind('`') else {
            return false;
        };
        let Some(tag) = before[tick + 1..]
            .strip_prefix('<')
            .and_then(|t| t.strip_suffix('>'))
        else {
            return false;
        };
        let mut words = tag.split(' ');
        n.bytes().all(|c| c.is_ascii_alphanumeric())
            && words.next().is_some_and(|w| w.eq_ignore_ascii_case(n))
            && words.all(|w| !w.is_empty() && w.bytes().all(|c| c.is_ascii_alphabetic()))
    });
    let opened = lt > 0 && (b[lt - 1] == b'`' || emptied);
    // The span closes before the next space: `` `<script>` ``, `` `<script>`s ``,
    // `` `<object>.field` ``.
    let closed = b
        .get(gt + 1..)
        .and_then(|t| t.iter().find(|c| c.is_ascii_whitespace() || **c == b'`'))
        == Some(&b'`');
    opened && closed && prose_words(s) >= 3
}

/// A bare tag inside a code span on one line, with more of the span around it: a
/// placeholder in a name or a signature (`` `summernote-<style>.html` ``,
/// `` chalk.`<style>[.<style>...](string)` ``), or a whole element shown in a reST literal
/// (``` ``<script>var x = {{ json_encode(obj) }};</script>`` ```). A span opens and closes
/// with runs of as many backticks. Outside the span the element is never closed, nothing in
/// the value calls a script sink (`` `x <script>`alert(1)`</script>` `` is a payload), and
/// a sentence stands around it. Cold: only reached for a tag judged dangerous.
#[cold]
fn code_span_placeholder(s: &str, name: &str, lt: usize, gt: usize) -> bool {
    let (line_start, _) = crate::line_around(s, lt);
    let (_, line_end) = crate::line_around(s, gt);
    let (before, after) = (&s[line_start..lt], &s[gt..line_end]);
    if before.contains("```") {
        return false;
    }
    let opened: Vec<(usize, usize)> = crate::runs_of(before, b'`').collect();
    let Some(&(open_at, open_len)) = opened.last().filter(|_| opened.len() % 2 == 1) else {
        return false;
    };
    let Some((close_at, _)) = crate::runs_of(after, b'`').find(|&(_, n)| n == open_len) else {
        return false;
    };
    let (from, to) = (line_start + open_at, gt + close_at + open_len);
    let end_tag = format!("</{name}");
    !lower(&s[..from]).contains(&end_tag)
        && !lower(&s[to..]).contains(&end_tag)
        && !runs_script(s)
        && prose_words(s) >= 3
}

/// A bare tag as a command-line option's value in a usage text (`--table-style=<style>
/// Class value(s) assigned to all tables`, `--attribution=<format>`): right after
/// `--name=` or `--name `, then white space or the line's end. Release notes quote the
/// option (`"--diff-merges=<style>" option`): a quote may open the word and close it after
/// the tag, as may punctuation. The element is never closed in the value and nothing calls
/// a script sink. Cold, like [`code_span_placeholder`].
#[cold]
fn option_placeholder(s: &str, name: &str, lt: usize, gt: usize) -> bool {
    let before = &s[crate::line_around(s, lt).0..lt];
    let option = before
        .strip_suffix('=')
        .or_else(|| before.strip_suffix(' '))
        .and_then(|b| {
            let word = b.rsplit(char::is_whitespace).next().unwrap_or(b);
            word.trim_start_matches(['"', '\'', '`', '('])
                .strip_prefix("--")
        })
        .is_some_and(|o| {
            o.len() >= 2
                && o.starts_with(|c: char| c.is_ascii_alphabetic())
                && o.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
        });
    let ends = s.get(gt + 1..).is_none_or(|t| {
        let t = t.trim_start_matches(['"', '\'', '`', ')', ',', '.', ';', ':']);
        t.is_empty() || t.starts_with(char::is_whitespace)
    });
    option && ends && !lower(s).contains(&format!("</{name}")) && !runs_script(s)
}

/// A tag named inside a POD formatting code, Perl's documentation markup (`` C<script>s ``,
/// `` L<Pod::XML> ``, `` C<< <style> >> ``, `` I<SCRIPT> ``): one of POD's capitals right
/// before the `<` (or before `<< ` around the tag), after a non-word character. The tag has
/// no attribute (`C<script src=//x>` is markup), and a `<script>` or `<style>` so named is
/// followed by words and never closed in the value (`C<script>alert(1)</script>` is one).
fn pod_code_mention(s: &str, lt: usize, gt: usize) -> bool {
    let b = s.as_bytes();
    // The code's `<` at `p`: its capital before it, and no word character before that.
    let code_at = |p: usize| {
        p >= 1 && b"BCEFILSXZ".contains(&b[p - 1]) && (p == 1 || !b[p - 2].is_ascii_alphanumeric())
    };
    let spaced = s[..lt].trim_end_matches(' ');
    let double = spaced.len() < lt && spaced.ends_with("<<") && {
        let first = spaced.trim_end_matches('<').len();
        code_at(first)
    };
    if !(code_at(lt) || double) || s[lt..gt].contains('=') {
        return false;
    }
    let name = s[lt + 1..gt].trim_start_matches('/');
    let name = &name[..name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len())];
    // What follows a named `<script>` or `<style>` is the code's end (`>>`) or words
    // (`C<script>s.`), not script (`C<script>alert(1)`).
    let runs_content = (name.eq_ignore_ascii_case("script") || name.eq_ignore_ascii_case("style"))
        && b.get(lt + 1) != Some(&b'/');
    let after = s.get(gt + 1..).unwrap_or("");
    // `See B<script>.`, `B<script kiddies>. If you`, `C<\p{I<script>}>`: punctuation,
    // then a space, the end or the enclosing code's `>`.
    let past = after.trim_start_matches(['.', ',', ';', ':', '!', '?', ')', '}']);
    let punctuated = past.len() < after.len()
        && past
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || c == '>');
    !runs_content
        || ((after.trim_start().is_empty()
            || after.trim_start().starts_with('>')
            || punctuated
            || prose_follows(after.trim_start()))
            && !lower(s).contains(&format!("</{}", name.to_ascii_lowercase())))
}

/// A tag that ends a code span: the target of a reStructuredText link or role, which reST
/// writes in angle brackets at the end of a span (`` :term:`meta path finders <meta path
/// finder>` ``), or a placeholder in a command shown (`` `npm run <script>` ``,
/// `` `npm:<script>` ``). The `<` lies inside a span the same line (or the one before)
/// opened, the `>` ends the span, the tag has no attribute value or slash of markup, and
/// words stand around it (`` `<script>` `` alone is a probe); a `<script>` or `<style>` so
/// named is never closed in the value.
fn rst_link_target(s: &str, lt: usize, gt: usize) -> bool {
    let b = s.as_bytes();
    if lt == 0 || b.get(gt + 1) != Some(&b'`') {
        return false;
    }
    // A role's text may wrap onto the next line before its target.
    let line_start = s[..lt]
        .rmatch_indices('\n')
        .nth(1)
        .map_or(0, |(p, _)| p + 1);
    // A run of backticks is one delimiter (reST's inline literals are ``double``). Inside
    // a literal a single backtick is text: a role shown as code (``` ``:py:mod:`functions
    // <math>``` ```, Sphinx's docs) has its target inside the literal.
    let (mut literal, mut single) = (false, false);
    for (_, n) in crate::runs_of(&s[line_start..lt], b'`') {
        if literal {
            literal = n < 2;
        } else if single {
            single = false;
        } else if n >= 2 {
            literal = true;
        } else {
            single = true;
        }
    }
    let in_span = literal || single;
    let target = &s[lt + 1..gt];
    let name = target
        .split(' ')
        .next()
        .unwrap_or(target)
        .to_ascii_lowercase();
    in_span
        && !target.contains(['=', '"', '\'', '/', '`'])
        && !lower(s).contains(&format!("</{name}"))
        && prose_words(s) >= 3
}

/// Are all the tags in `s` named in Markdown code spans or POD codes in prose
/// ([`code_span_mention`], [`pod_code_mention`])? Then libinjection's tokenizer, which
/// knows neither, is not asked.
fn only_named_tags(s: &str) -> bool {
    let b = s.as_bytes();
    let mut any = false;
    for (lt, _) in s.match_indices('<') {
        if !b
            .get(lt + 1)
            .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'/')
        {
            continue;
        }
        let Some(gt) = s[lt..].find('>').map(|e| lt + e) else {
            return false;
        };
        if !code_span_mention(s, lt, gt)
            && !pod_code_mention(s, lt, gt)
            && !rst_link_target(s, lt, gt)
        {
            return false;
        }
        any = true;
    }
    any
}

/// React-style handlers written in a sentence (`` write `onClick={() => setOpen(true)}`
/// instead ``) and no tag: libinjection reads `onClick=` as an attribute. Injected into a
/// tag's unquoted attribute, the value ends at the first space, and `{()` or
/// `{handleClick}` runs nothing: every handler's value must be a brace with a space
/// before it closes, or a brace around a bare name. `onfocus={alert(1)}` is script.
fn inert_jsx_handlers(s: &str) -> bool {
    if prose_words(s) < 3 {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    let mut any = false;
    for value in handler_values(&lower) {
        let Some(body) = value.trim_start().strip_prefix('{') else {
            return false;
        };
        let Some(close) = body.find('}') else {
            return false;
        };
        let spaced = body[..close].contains(char::is_whitespace);
        let name = !body[..close].is_empty()
            && body[..close]
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'.'));
        if !(spaced || name) {
            return false;
        }
        any = true;
    }
    any
}

/// No tag but doctype declarations (`Unexpected token '<', "<!DOCTYPE "... is not valid
/// JSON`, the error every front-end developer pastes): a declaration runs nothing, and
/// without a tag there is no attribute. libinjection reads the quotes around it as an
/// attribute context; a handler (`on…=`) or a script URL in the text still goes to it.
fn only_doctypes(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut any = false;
    for (lt, _) in lower.match_indices('<') {
        match b.get(lt + 1) {
            Some(c) if c.is_ascii_alphabetic() || matches!(c, b'/' | b'?') => return false,
            Some(b'!') if lower[lt + 2..].starts_with("doctype") => any = true,
            Some(b'!') => return false,
            _ => {}
        }
    }
    any && !event_attribute(&lower) && !lower.contains("script:")
}

/// What a payload calls from a handler: sinks, the browser's own functions and the names
/// that reach them (lower-cased, as [`inert_handler`] reads). A page's own function is
/// none of these.
const PAGE_CALL_SINKS: &[&str] = &[
    "alert",
    "prompt",
    "confirm",
    "print",
    "eval",
    "settimeout",
    "setinterval",
    "setimmediate",
    "function",
    "fetch",
    "import",
    "open",
    "atob",
    "btoa",
    "execscript",
    "msgbox",
    "write",
    "writeln",
    "unescape",
    "escape",
    "decodeuri",
    "decodeuricomponent",
    "require",
    "top",
    "parent",
    "self",
    "location",
    "constructor",
    "focus",
    "blur",
    "click",
    "submit",
    "postmessage",
    "showmodaldialog",
    "navigate",
    "xmlhttprequest",
    "websocket",
    "worker",
    "string",
    "document",
    "window",
    "globalthis",
    "frames",
    "opener",
    "reflect",
    "object",
    "array",
    "json",
    "define",
    "getscript",
    "jquery",
    "call",
    "apply",
    "bind",
    "valueof",
    "tostring",
    "stop",
    "close",
    "find",
    "scroll",
    "scrollto",
    "scrollby",
    "resizeto",
    "moveto",
    "sendbeacon",
    "queuemicrotask",
    "requestanimationframe",
];

/// A handler (lower-cased, from its value's opening quote) that only cancels the event or
/// restyles, hides or re-points its own element: a CMS image's fallback
/// (`"this.onerror=null;this.src='/img/default.png'"`, `"this.style.display='none'"`) or a
/// link's `"return false;"`. Each statement is one of those forms; a literal holds no quote,
/// escape, entity, bracket or scheme but http(s), so it cannot spell a call or a script
/// URL. Anything else (`location=name`, `alert(1)`) runs.
///
/// On a click or another event the reader fires (`name`), a call to the page's own function
/// with literal arguments counts too: the Rust reference's `onclick="show_railroad()"`, a
/// documentation theme's `onclick="toggleFullScreen()"`, a CMS button's `onclick="save()"`.
/// A payload has no function of its own to call and none of the page's to rely on: it calls
/// a sink or the browser's own (`alert(1)`, `print()`, `eval(…)`, `fetch(…)`), which
/// [`PAGE_CALL_SINKS`] names, or a method on an object (`window.print()`), and fires on load
/// or error, not on a click it must wait for.
fn inert_handler(name: &str, value: &str) -> bool {
    let (code, quote) = match value.chars().next() {
        Some(q @ ('"' | '\'')) => {
            let body = &value[1..];
            match body.find(q) {
                Some(end) => (&body[..end], Some(q)),
                None => return false,
            }
        }
        _ => (
            &value[..value
                .find(|c: char| c.is_ascii_whitespace() || c == '>')
                .unwrap_or(value.len())],
            None,
        ),
    };
    // JSX and Svelte write a handler in braces (`onClick={handleClick}`, `ondragstart={(ev)
    // => drag(ev)}`). HTML reads an unquoted value up to a space or `>`: `{(ev)` leaves a
    // block open, a syntax error that runs nothing, and `{handleClick}` names a function
    // without calling it. Without quotes, slashes or escapes the braces count true.
    if let Some(inner) = code.strip_prefix('{').filter(|_| quote.is_none()) {
        let plain = !code.contains(['\'', '"', '`', '/', '\\']);
        // The text is entity-decoded (`{alert(1)&#32;}` reaches us as `{alert(1) }`, one
        // token to the browser): a cut part that calls or assigns counts as code.
        let acts = code.contains('=')
            || code.match_indices('(').any(|(at, _)| {
                code[..at].trim_end().ends_with(|c: char| {
                    c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | ')' | ']')
                })
            });
        let unclosed = !acts && code.matches('{').count() != code.matches('}').count();
        let named = inner.strip_suffix('}').is_some_and(|n| {
            !n.is_empty()
                && n.bytes()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'.'))
        });
        if plain && (unclosed || named) {
            return true;
        }
    }
    let literal = |v: &str| -> bool {
        let v = v.trim();
        if matches!(v, "null" | "true" | "false" | "''" | "\"\"") || v.parse::<f64>().is_ok() {
            return true;
        }
        let Some(q) = v.chars().next().filter(|c| matches!(c, '\'' | '"')) else {
            return false;
        };
        let Some(inner) = v[1..].strip_suffix(q) else {
            return false;
        };
        let scheme = inner.find(':').is_none_or(|at| {
            matches!(&inner[..at], "http" | "https") && inner[at..].starts_with("://")
        });
        Some(q) != quote
            && scheme
            && !inner.contains(['"', '\'', '\\', '&', '(', ')', '<', '>', '`'])
    };
    let member = |target: &str| -> bool {
        let t = target.strip_prefix("this.").map(|t| {
            t.strip_prefix("parentnode.")
                .or_else(|| t.strip_prefix("parentelement."))
                .unwrap_or(t)
        });
        t.is_some_and(|t| {
            matches!(
                t,
                "src" | "srcset" | "alt" | "title" | "classname" | "hidden" | "onerror"
            ) || t
                .strip_prefix("style.")
                .is_some_and(|p| !p.is_empty() && p.bytes().all(|c| c.is_ascii_lowercase()))
        })
    };
    let interaction = matches!(
        name,
        "onclick"
            | "ondblclick"
            | "onchange"
            | "oninput"
            | "onsubmit"
            | "onkeyup"
            | "onkeydown"
            | "onkeypress"
    );
    let page_call = |stmt: &str| -> bool {
        let stmt = stmt.strip_prefix("return ").unwrap_or(stmt).trim();
        let Some((function, args)) = stmt.split_once('(') else {
            return false;
        };
        let Some(args) = args.strip_suffix(')') else {
            return false;
        };
        let own = function.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && function
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || c == b'_')
            && !PAGE_CALL_SINKS.contains(&function);
        own && (args.trim().is_empty()
            || args
                .split(',')
                .all(|a| matches!(a.trim(), "this" | "event") || literal(a)))
    };
    !code.trim().is_empty()
        && code
            .split(';')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .all(|stmt| {
                (interaction && page_call(stmt))
                    || matches!(
                        stmt,
                        "return false"
                            | "return true"
                            | "return"
                            | "void(0)"
                            | "void 0"
                            | "event.preventdefault()"
                            | "event.stoppropagation()"
                            | "this.remove()"
                            | "this.blur()"
                            | "this.select()"
                    )
                    || stmt.split_once('=').is_some_and(|(target, v)| {
                        !v.starts_with('=') && member(target.trim()) && literal(v)
                    })
            })
}

/// `text` with each handler attribute that [`inert_handler`] accepts renamed (`onerror=` to
/// `xxerror=`, same length), or `None` when it has none.
fn inert_handlers_renamed(text: &str) -> Option<String> {
    if !text.contains('=') {
        return None;
    }
    let lower = lower(text);
    let mut out: Option<Vec<u8>> = None;
    for (at, value) in handler_sites(&lower) {
        let name_end = lower[at..]
            .find(|c: char| !c.is_ascii_lowercase())
            .map_or(lower.len(), |n| at + n);
        if inert_handler(&lower[at..name_end], value.trim_start()) {
            out.get_or_insert_with(|| text.as_bytes().to_vec())[at..at + 2].copy_from_slice(b"xx");
        }
    }
    // Only ASCII was replaced: still UTF-8.
    out.and_then(|o| String::from_utf8(o).ok())
}

/// Words of three or more letters outside angle brackets and backticks: the text around a
/// tag.
pub(crate) fn prose_words(s: &str) -> usize {
    let (mut tag, mut code) = (false, false);
    let mut n = 0;
    let mut letters = 0;
    for c in s.chars() {
        match c {
            '<' => tag = true,
            '`' => code = !code,
            _ => {}
        }
        if c.is_alphabetic() && !tag && !code {
            letters += 1;
            continue;
        }
        if letters >= 3 {
            n += 1;
        }
        letters = 0;
        if c == '>' {
            tag = false;
        }
    }
    n + usize::from(letters >= 3)
}

fn scan_attrs(attrs: &str) -> Option<(f32, &'static str)> {
    let lower = lower(attrs);
    let b = lower.as_bytes();
    let mut k = 0;
    while k < b.len() {
        // Attribute names start after whitespace, '/', or a quote (`<img/src=x"onerror=...`).
        if matches!(
            b[k],
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'"' | b'\''
        ) {
            let mut n = k + 1;
            while n < b.len() && (b[n].is_ascii_alphanumeric() || b[n] == b':' || b[n] == b'-') {
                n += 1;
            }
            let name = &lower[k + 1..n];
            let mut m = n;
            // A `+` around a handler's `=` is a space form-encoded twice (XSStrike's
            // `<a%0donmouseover+=+confirm()>` as the application receives it): no attribute
            // of a page is named so, and the intent is the handler's.
            let handler_name = name.len() > 2 && name.starts_with("on");
            while m < b.len() && (b[m].is_ascii_whitespace() || (handler_name && b[m] == b'+')) {
                m += 1;
            }
            if b.get(m) == Some(&b'=') {
                // An empty handler (`` like `<div onclick="">` `` in a sentence) runs nothing;
                // the attributes after it are still read.
                let after_eq = lower[m + 1..].trim_start();
                let empty = after_eq.starts_with("\"\"") || after_eq.starts_with("''");
                if name.len() > 2
                    && name.starts_with("on")
                    && !empty
                    && !inert_handler(name, after_eq)
                {
                    return Some((0.95, "event handler attribute"));
                }
                let value = lower[m + 1..].trim_start().trim_start_matches(['"', '\'']);
                // Any attribute can carry a script URL (SVG `<animate from=…>`, `folder=`),
                // and CSS can run code (`expression(`, `behavior:`, `-moz-binding`).
                let value_end = value.find(['"', '\'', '>']).map_or(value.len(), |e| e);
                let css = &value[..value_end];
                let quote = lower[m + 1..]
                    .trim_start()
                    .chars()
                    .next()
                    .filter(|c| matches!(c, '"' | '\''));
                // The URL up to its own closing quote (`javascript:show('x')`).
                let url = quote
                    .and_then(|q| value.find(q))
                    .map_or(css, |end| &value[..end]);
                if (is_script_url(value)
                    && !does_nothing(css)
                    && !clicked_page_call(name, url, quote))
                    || css.contains("expression(")
                    || css.contains("behavior:")
                    || css.contains("-moz-binding")
                {
                    return Some((0.95, "script URL or active CSS in attribute"));
                }
            }
            k = n.max(k + 1);
        } else {
            k += 1;
        }
    }
    None
}

/// A value that closes a JS string and calls something: `";alert(1)//`, `'-alert(1)-'`.
/// libinjection calls every `style` attribute and every `<?…?>` dangerous; rich text and XML
/// documents carry both. Its finding stands unless it is an XML prolog or namespaced document,
/// or a style attribute with nothing executable in it (no `expression`, `behavior`, `binding`,
/// script URL, escapes or comments that hide one).
fn libinjection_plausible(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let t = lower.trim_start();
    let namespaced_root = t.strip_prefix('<').is_some_and(|r| {
        let name: &str = r.split([' ', '>', '/']).next().unwrap_or("");
        name.contains(':') && lower.contains("xmlns")
    });
    // A whole document under its own default namespace, without a prolog (a Maven POM, a
    // sitemap, a WSDL): `<project xmlns="http://maven.apache.org/POM/4.0.0">…</project>`.
    // libinjection takes any `xmlns` for a namespace switch; the W3C's namespaces (XHTML,
    // SVG, MathML, XSL) are what switch a browser into running script, and stay.
    let default_namespace_root = t.strip_prefix('<').is_some_and(|r| {
        let name = r
            .split([' ', '>', '/', '\n', '\t', '\r'])
            .next()
            .unwrap_or("");
        let attrs = &r[name.len()..r.find('>').unwrap_or(r.len())];
        !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            && (attrs.contains("xmlns=\"http") || attrs.contains("xmlns='http"))
            && !attrs.contains("w3.org")
            && t.trim_end()
                .strip_suffix('>')
                .and_then(|rest| rest.strip_suffix(name))
                .is_some_and(|rest| rest.ends_with("</"))
    });
    if t.starts_with("<?xml ")
        || t.starts_with("<?xml\t")
        || namespaced_root
        || default_namespace_root
    {
        return false;
    }
    // Without a tag, only an attribute can be injected (`x onmouseover=alert(1)`), and its
    // value has to do something: call, assign, throw, quote a template or name a scheme.
    // `filter = null`, `var onclick = handler;` (lines of code) run nothing. A quote lets
    // the value break out of the attribute it lands in, but what it adds still needs a
    // handler, a call, a scheme or a URL (`' formaction=//evil.example`): an OData filter
    // (`filter=status eq 'active' and …`) adds nothing.
    let acts = lower.contains(['(', '`', ':', '\\', '&'])
        || lower.contains("throw")
        || lower.contains("//");
    let inert_attribute = !lower.contains('<')
        && !acts
        && if lower.contains(['"', '\'']) {
            !event_attribute(&lower)
        } else {
            lower.matches('=').count() <= 1
        };
    if inert_attribute {
        return false;
    }
    if lower.contains("style") && !event_attribute(&lower) && !names_script(&lower) {
        // In CSS's own forms, blanks removed (`expression (`, `behavior : url(…)`,
        // `-moz-binding:`): the English words (`Python and bindings`, a regular
        // expression, the behaviour of …) are prose around markup. CSS, and an attribute
        // an escape or entity could hide a script URL in, stands inside tags (or before the
        // first, out of an attribute it breaks); the text between them (a path
        // `C:\Users\…`, a `/* TODO */` shown, `&#39;`) styles nothing, unless a `<style>`
        // element makes it a sheet.
        let css: String = if lower.contains("<style") {
            lower.chars().filter(|c| !c.is_whitespace()).collect()
        } else {
            inside_tags(&lower)
                .flat_map(str::chars)
                .filter(|c| !c.is_whitespace())
                .collect()
        };
        return [
            "expression(",
            "behavior:",
            "behaviour:",
            "binding:",
            "vbscript",
            "\\",
            "&#",
            "/*",
            "@import",
        ]
        .iter()
        .any(|k| css.contains(k));
    }
    true
}

/// What in `text` can hold attributes: what comes before the first tag (a value that
/// breaks out of an attribute, `x" style=…`) and the inside of each tag, `<` to its `>`
/// (or the end), quoted `>` included.
fn inside_tags(text: &str) -> impl Iterator<Item = &str> {
    let first = text.find('<').unwrap_or(text.len());
    let mut from = first;
    std::iter::once(&text[..first]).chain(std::iter::from_fn(move || {
        let open = from + text[from..].find('<')?;
        let end = tag_end(text, open + 1);
        from = (end + 1).min(text.len());
        Some(&text[open..end])
    }))
}

/// A script tag or a script scheme in lower-cased `text`: `<script`, `</script`,
/// `javascript:`, `vbscript&colon;`, `livescript\u003a`. A word that only holds the letters
/// (`description`, `TypeScript`, `transcript`) names none.
fn names_script(lower: &str) -> bool {
    lower.match_indices("script").any(|(at, _)| {
        let before = lower[..at].trim_end();
        let after = lower[at + 6..].trim_start();
        before.ends_with('<') || before.ends_with("</") || after.starts_with([':', '&', '\\', '%'])
    })
}

/// `javascript:void(0)` (the placeholder link) and nothing after it but prose: it
/// evaluates to nothing (`javascript:void(0) links are bad for accessibility`).
fn void_link(text: &str) -> bool {
    let lower = text.trim().to_ascii_lowercase();
    let Some(code) = lower.strip_prefix("javascript:") else {
        return false;
    };
    let Some(rest) = ["void(0);", "void(0)", "void 0;", "void 0"]
        .iter()
        .find_map(|v| code.strip_prefix(v))
    else {
        return false;
    };
    rest.is_empty()
        || (rest.starts_with(' ')
            && !rest.contains(['(', ')', '`', '=', ';', '<', '>', '"', '\'', '&', '%', '\\']))
}

/// `text` without its XML declarations, doctypes and DTD declarations (`<?xml
/// version="1.0"?>`, `<!DOCTYPE html>`, `<!ENTITY nbsp "&#160;">`), when it has any. libinjection calls both dangerous wherever they
/// stand (`The XML looks like <?xml …?><order>…`); a browser runs neither, so the rest of
/// the markup has to stand on its own.
fn declarations_removed(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    const DTD: [&str; 5] = [
        "<!doctype",
        "<!entity",
        "<!element",
        "<!attlist",
        "<!notation",
    ];
    if !lower.contains("<?xml") && !DTD.iter().any(|d| lower.contains(d)) {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    let mut at = 0;
    while let Some(pos) = lower[at..].find('<').map(|p| p + at) {
        let rest = &lower[pos..];
        // `<?xml ` is the declaration; `<?xml-stylesheet` loads a style sheet.
        let declaration = rest
            .as_bytes()
            .get(5)
            .is_some_and(|b| b.is_ascii_whitespace());
        let (open, close) = if rest.starts_with("<?xml") && declaration {
            ("<?xml", "?>")
        } else if let Some(d) = DTD.iter().find(|d| rest.starts_with(*d)) {
            // A DTD's declarations (`<!ENTITY nbsp "&#160;">` in a note about one) define
            // names for a parser; none is markup a browser renders.
            (*d, ">")
        } else {
            at = pos + 1;
            continue;
        };
        // Declarations hold no markup: one that does is not one.
        let Some(end) = rest[open.len()..]
            .find(close)
            .map(|e| e + open.len() + close.len())
        else {
            break;
        };
        if rest[open.len()..end - close.len()].contains(['<', '>']) {
            at = pos + 1;
            continue;
        }
        out.push_str(&text[from..pos]);
        from = pos + end;
        at = from;
    }
    out.push_str(&text[from..]);
    Some(out)
}

/// An `on…=` event handler attribute (`onload=`, `onmouseover =`).
fn event_attribute(lower: &str) -> bool {
    handler_values(lower).next().is_some()
}

/// What follows the `=` of each `on…=` handler in lower-cased `lower`: `on`, at a word's
/// start, three or more letters, optional spaces, then `=`.
fn handler_values(lower: &str) -> impl Iterator<Item = &str> {
    handler_sites(lower).map(|(_, value)| value)
}

/// [`handler_values`] with where each handler's name starts.
fn handler_sites(lower: &str) -> impl Iterator<Item = (usize, &str)> {
    let b = lower.as_bytes();
    lower.match_indices("on").filter_map(move |(at, _)| {
        let boundary = at == 0 || !b[at - 1].is_ascii_alphanumeric();
        let letters = b[at + 2..]
            .iter()
            .take_while(|c| c.is_ascii_lowercase())
            .count();
        let value = lower[at + 2 + letters..].trim_start().strip_prefix('=')?;
        (boundary && letters >= 3).then_some((at, value))
    })
}

/// `data:…;base64,PHNjcmlwdD4…`: decodes the payload (whitespace and entity-decoded line
/// breaks between the parts allowed) and looks for an executable context in it.
fn data_url_payload(text: &str) -> Option<(f32, &'static str)> {
    use base64::Engine;
    let lower = text.to_ascii_lowercase();
    let at = lower.find("data:")?;
    let b64 = lower[at..].find("base64")? + at + "base64".len();
    let rest = &text[b64..];
    let comma = rest.find(',').filter(|&c| c <= 12)?;
    let payload: String = rest[comma + 1..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .filter(|c| *c != '=')
        .collect();
    if payload.len() < 8 {
        return None;
    }
    let bytes = base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(payload.as_bytes())
        .ok()?;
    let decoded = String::from_utf8_lossy(&bytes);
    let d = decoded.to_ascii_lowercase();
    // An SVG image is an `<svg>` document: judge what it holds, not its root element.
    let svg = lower[at..b64].contains("svg");
    let executable = d.contains("<script")
        || d.contains("javascript:")
        || if svg {
            event_attribute(&d) || d.contains("<foreignobject")
        } else {
            d.contains('<') && scan_html(&decoded, false).is_some()
        };
    executable.then_some((0.9, "script inside a base64 data: URL"))
}

/// `alert(…)`, `prompt(…)`, `confirm(…)`, `document.cookie`: what XSS probes run.
fn js_sink_call(s: &str) -> bool {
    JS_SINKS.is_match(s)
}

/// [`js_sink_call`]'s names, case-insensitive, as one automaton built once.
static JS_SINKS: std::sync::LazyLock<aho_corasick::AhoCorasick> = std::sync::LazyLock::new(|| {
    aho_corasick::AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build([
            "alert(",
            "prompt(",
            "confirm(",
            "document.cookie",
            "fromcharcode(",
        ])
        // A constant list of plain strings: building cannot fail.
        .unwrap_or_else(|_| unreachable!())
});

/// The whole value one call of a script sink: `alert(1)`, `prompt(document.domain)`,
/// `setInterval(code, 1)`, `new Function()`, and the spellings that hide the call from a
/// filter looking for `alert(`: `alert.call(null, 1)`, `confirm.apply(null, [1])`,
/// `(alert)(1)`, `alert?.(1)`, `` prompt`1` ``. Reflected unquoted into a script it runs,
/// and it is the first probe XSS scanners send. JavaScript's own spelling only
/// (`Confirm (yes)` in a form is a word), and the call closes exactly at the value's end
/// (`alert(1) fires twice` is a sentence about one). A statement may end before it
/// (`1;alert(1)`, `;alert(123);//`).
fn whole_sink_call(text: &str) -> bool {
    const NAMES: [&str; 7] = [
        "alert",
        "prompt",
        "confirm",
        "eval",
        "setTimeout",
        "setInterval",
        "Function",
    ];
    let t = text.trim();
    // `1;alert(1)`, `;alert(123);//`: the value ends the host script's statement (after its
    // own operand, a word or a number) and calls the sink as the next one, commenting out
    // what followed.
    let t = match t.find(';') {
        Some(at)
            if at <= 20
                && t[..at]
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_') =>
        {
            t[at + 1..].trim_start()
        }
        _ => t,
    };
    let t = t.strip_suffix("//").map_or(t, str::trim_end);
    let t = t.strip_suffix(';').unwrap_or(t).trim_end();
    let t = t.strip_prefix("new ").map_or(t, str::trim_start);
    let Some((name, rest)) = NAMES.iter().find_map(|n| {
        // `(alert)(1)`: the name in parentheses, then the call.
        let rest = match t.strip_prefix('(') {
            Some(inner) => inner.strip_prefix(n)?.strip_prefix(')')?,
            None => t.strip_prefix(n)?,
        };
        Some((*n, rest))
    }) else {
        return false;
    };
    // A tagged template is a call too: the template runs to the value's end.
    if let Some(tpl) = rest.strip_prefix('`') {
        return tpl
            .strip_suffix('`')
            .is_some_and(|body| !body.contains('`'));
    }
    let rest = [".call", ".apply", "?."]
        .iter()
        .find_map(|m| rest.strip_prefix(m))
        .filter(|_| name != "Function")
        .unwrap_or(rest);
    // The first `(` closes at the last byte.
    rest.starts_with('(') && crate::matching(rest, ')').is_some_and(|close| close == rest.len() - 1)
}

/// A sink call (or `document.cookie`) after which, past the call's own parentheses, the
/// next angle bracket is a `>`: `"alert(1)">`, `prompt(1);>`, `document.cookie=true;>`,
/// `alert('xss');[a]/script>`. The value closes the attribute or tag it was placed in. A
/// call in escaped code that a closing tag follows (`alert('hi'));</code>`), or named in a
/// paragraph (`the alert() dialog</p>`), closes nothing.
fn sink_closes_tag(text: &str) -> bool {
    JS_SINKS.find_iter(text).any(|m| {
        let mut rest = &text[m.end()..];
        if text[m.start()..m.end()].ends_with('(') {
            // Past the call's closing parenthesis.
            let open = m.end() - 1;
            let Some(close) = crate::matching(&text[open..], ')') else {
                return false;
            };
            rest = &text[open + close + 1..];
        }
        // An arrow function's `=>` (`c => c.trim()` in a snippet) closes nothing.
        let b = rest.as_bytes();
        (0..b.len())
            .find(|&i| b[i] == b'<' || (b[i] == b'>' && (i == 0 || b[i - 1] != b'=')))
            .is_some_and(|i| b[i] == b'>')
    })
}

fn js_breakout(s: &str) -> bool {
    let t = s.trim_start();
    // The quote opens the value, or ends a short first token (`x";setTimeout(…)//`): a
    // parameter's own value, then the break. A quote after spaces is prose quoting.
    let quote = t
        .bytes()
        .take(40)
        .take_while(|b| !b.is_ascii_whitespace())
        .position(|b| matches!(b, b'"' | b'\''));
    // Or the value closes a block first (`}alert(1);{//`): no string to leave.
    // The call follows the brace directly (`} document.title = …` is a snippet's line).
    let block = quote.is_none()
        && t.starts_with('}')
        && !t[1..]
            .trim_start_matches([';', ')'])
            .starts_with(char::is_whitespace);
    let Some(rest) = quote.map(|at| &t[at + 1..]).or(block.then_some(t)) else {
        return false;
    };
    let rest = rest.trim_start_matches([')', ']', '}', ' ']);
    let separated = rest.strip_prefix([';', '-', '+', '*', '/', '|', '&', ',']);
    let Some(rest) = separated.or(block.then_some(rest)) else {
        return false;
    };
    let rest = rest.trim_start();
    let ident: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_' || *c == '$')
        .collect();
    const SINKS: &[&str] = &[
        "alert",
        "prompt",
        "confirm",
        "eval",
        "document.",
        "window.",
        "location",
        "fetch",
        "settimeout",
        "setinterval",
        "function",
        "constructor",
    ];
    let ident = ident.to_ascii_lowercase();
    let called = !ident.is_empty()
        && SINKS.iter().any(|f| ident.starts_with(f))
        && rest[ident.len()..]
            .trim_start()
            .starts_with(['(', '=', '`', '[']);
    called || dialog_passed_around(crate::head(rest, 80))
}

/// A dialog function reached without being called by name, as filter-evasion payloads do
/// after a breakout: wrapped (`(confirm)()`, `` (prompt)`` ``), passed as a callback
/// (`[8].find(confirm)`), or assigned and called (`a=prompt,a()`). The name stands whole
/// and is followed by `)`, `,`, `(` or a backtick.
fn dialog_passed_around(rest: &str) -> bool {
    let lower = rest.to_ascii_lowercase();
    let b = lower.as_bytes();
    ["alert", "prompt", "confirm"].iter().any(|f| {
        lower.match_indices(f).any(|(at, _)| {
            let whole_start = at == 0 || !(b[at - 1].is_ascii_alphanumeric() || b[at - 1] == b'_');
            let next = lower[at + f.len()..].trim_start();
            whole_start && next.starts_with([')', ',', '(', '`'])
        })
    })
}

/// A `javascript:` URL kept in a string literal and handed to `eval(` (`c="javascript:";
/// eval(a+b+c+d)`): the URL split up so that no filter sees it whole.
fn eval_script_url(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("eval(") && (lower.contains("\"javascript:") || lower.contains("'javascript:"))
}

/// A script element whose angle brackets a filter stripped (`scriptalert(1)/script`,
/// `scriptdocument.cookie=true;/script`): the probe that finds out whether one survives.
/// Needs the closing `/script` at the end and a script sink right after the opening word.
fn stripped_script(text: &str) -> bool {
    let t = text.trim_end().as_bytes();
    if t.len() < 16 || !t[t.len() - 7..].eq_ignore_ascii_case(b"/script") {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    let body = &lower[..lower.trim_end().len() - 7];
    body.match_indices("script").any(|(at, _)| {
        let after = &body[at + 6..];
        [
            "alert(",
            "prompt(",
            "confirm(",
            "document.",
            "window.",
            "eval(",
        ]
        .iter()
        .any(|sink| after.starts_with(sink))
    })
}

/// JSFuck: code written with `[]()!+` alone (`(![]+[])[+!+[]]`). Nothing but obfuscated
/// script is made of those six characters with `![]` or `+[]` in it.
fn jsfuck(text: &str) -> bool {
    let t = text.trim();
    t.len() >= 4
        && (t.contains("![]") || t.contains("+[]"))
        && t.bytes()
            .filter(|b| !matches!(b, b'[' | b']' | b'(' | b')' | b'!' | b'+' | b' '))
            .count()
            * 10
            <= t.len()
}

/// The obfuscated forms: JSFuck, UTF-7, fullwidth markup, [`obfuscated_js`].
#[cold]
fn obfuscated(text: &str, c: ByteClasses) -> Option<(f32, &'static str)> {
    if c.any(bc::LBRACKET) && jsfuck(text) {
        return Some((0.85, "JSFuck"));
    }
    if c.any(bc::PLUS) && c.any(bc::DASH) && utf7_markup(text) {
        return Some((0.85, "UTF-7 markup"));
    }
    if c.any(bc::NONASCII) {
        if let Some(folded) = fold_fullwidth(text) {
            let r = Xss::check(&folded, ByteClasses::of(&folded), false, Cut::default());
            if r.is_some() {
                return r;
            }
        }
    }
    obfuscated_js(text, c)
}

/// Script obfuscations no ordinary text or code takes: a tagged template calling through
/// `.call`/`.apply` (``[].sort.call`${alert}1` ``), a template interpolating a sink by name
/// (`${alert}`), a member expression hidden by comments (`document/**/./**/cookie`), and
/// a global's sink looked up by string (`window["alert"]`, `(document)["cookie"]`).
fn obfuscated_js(text: &str, classes: ByteClasses) -> Option<(f32, &'static str)> {
    if text.len() > 4096 {
        return None;
    }
    let comments = classes.any(bc::STAR) && text.contains("/*");
    let template = classes.any(bc::BACKTICK);
    let lookup = classes.any(bc::LBRACKET) && classes.any(bc::SQUOTE | bc::DQUOTE | bc::BACKTICK);
    if !(comments || template || lookup) {
        return None;
    }
    // Comments and whitespace out, lower-cased: `self /*x*/ [ "alert" ]` → `self["alert"]`.
    let mut squeezed = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("/*") {
        squeezed.push_str(&rest[..at]);
        match rest[at + 2..].find("*/") {
            Some(end) => rest = &rest[at + 2 + end + 2..],
            None => {
                rest = "";
            }
        }
    }
    squeezed.push_str(rest);
    squeezed.make_ascii_lowercase();
    // White space may stand between a tag and its template (``[].sort.call `${alert}1` ``),
    // not inside the member: in `at once. Call `revalidateTag`` a sentence ends before it.
    let spaced = template.then(|| squeezed.clone());
    squeezed.retain(|c| !c.is_whitespace());
    if let Some(spaced) = spaced {
        // The backtick must open the template: in ``:meth:`Map.bind` `` (Sphinx, every
        // Python docstring) it closes a span that an even count of backticks before it opened.
        let tagged = [".call", ".apply", ".bind"].iter().any(|t| {
            spaced.match_indices(t).any(|(at, _)| {
                let after = &spaced[at + t.len()..];
                let gap = after.len() - after.trim_start().len();
                let tick = at + t.len() + gap;
                spaced.as_bytes().get(tick) == Some(&b'`')
                    && spaced.as_bytes()[..tick]
                        .iter()
                        .filter(|&&c| c == b'`')
                        .count()
                        .is_multiple_of(2)
            })
        });
        let sink = ["${alert}", "${eval}", "${prompt}", "${confirm}", "${atob}"]
            .iter()
            .any(|t| squeezed.contains(t));
        if tagged || sink {
            return Some((0.85, "tagged template calling a function"));
        }
    }
    if comments && !squeezed.contains("/*") {
        let member = [
            "document.cookie",
            "document.domain",
            "window.location",
            "document.write",
        ]
        .iter()
        .any(|m| squeezed.contains(m) && !text.to_ascii_lowercase().contains(m));
        if member {
            return Some((0.85, "member expression split by comments"));
        }
    }
    if lookup && GLOBAL_LOOKUP.is_match(&squeezed) {
        return Some((0.85, "script sink looked up by name"));
    }
    None
}

/// A global object indexed by a sink's name as a string literal.
static GLOBAL_LOOKUP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r#"(?:\bwindow|\bself|\btop|\bthis|\bparent|\bframes|\bglobalthis|\bdocument|\(document\)|\(window\))\[["'`](?:alert|prompt|confirm|eval|document|cookie|location|constructor|atob|fetch|settimeout|setinterval|\$)["'`]\]"#,
    )
    // A constant pattern: compiling it cannot fail.
    .unwrap_or_else(|_| unreachable!())
});

/// CSS that runs script: `-moz-binding:url(…)` (Firefox XBL) or `url(javascript:…)`.
fn css_script(lower: &str) -> bool {
    lower.contains("-moz-binding")
        || lower.match_indices("url(").any(|(at, _)| {
            let inner = lower[at + 4..].trim_start_matches([' ', '"', '\'']);
            inner.starts_with("javascript") || inner.starts_with("vbscript")
        })
}

/// UTF-7 markup (`+ADw-script+AD4-`): old IE sniffed UTF-7 and ran it as HTML.
fn utf7_markup(text: &str) -> bool {
    text.contains("+ADw-")
        && (text.contains("+AD4-") || text.to_ascii_lowercase().contains("script"))
}

/// Fullwidth forms (U+FF01–U+FF5E) folded to ASCII: `＜script＞` is what a best-fit
/// conversion on the server turns into `<script>`. `None` when there are none.
fn fold_fullwidth(text: &str) -> Option<String> {
    // U+FF01–U+FF5E encode as EF BC 81 – EF BD 9E.
    let b = text.as_bytes();
    memchr::memchr(0xef, b)?;
    let mut folded = false;
    let out: String = text
        .chars()
        .map(|c| match c {
            '\u{ff01}'..='\u{ff5e}' => {
                folded = true;
                char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
            }
            '\u{3000}' => {
                folded = true;
                ' '
            }
            c => c,
        })
        .collect();
    folded.then_some(out)
}

impl Xss {
    /// `classes` are the text's byte classes (`ByteClasses::of`): each "does it contain"
    /// below is a bit test, not a pass over the text.
    fn check(
        text: &str,
        classes: ByteClasses,
        xml_document: bool,
        cut: Cut,
    ) -> Option<(f32, &'static str)> {
        let mut inert = Vec::new();
        let mut comments = Vec::new();
        // Tags need a '<'.
        if classes.any(bc::LT) {
            if crate::has(text, "<?") {
                let lower = text.to_ascii_lowercase();
                if lower.contains("<?xml-stylesheet") && lower.contains("javascript:") {
                    return Some((0.9, "stylesheet processing instruction with a script URL"));
                }
            }
            if let Some(r) =
                scan_html_noting_inert(text, xml_document, cut, &mut inert, &mut comments)
            {
                return Some(r);
            }
        }
        if is_script_url(text) && text.contains(['(', '`', '%', '&', '/']) && !void_link(text) {
            return Some((0.9, "script URL"));
        }
        let url_call = || {
            text.as_bytes()
                .windows(4)
                .any(|w| w.eq_ignore_ascii_case(b"url("))
        };
        if classes.any(bc::LPAREN) && url_call() {
            let lower = lower(text);
            if css_script(&lower) {
                return Some((0.85, "CSS that runs script"));
            }
        }

        if classes.any(bc::SQUOTE | bc::DQUOTE) && js_breakout(text) {
            return Some((0.85, "breaks out of a JS string"));
        }
        if classes.any(bc::COLON) && classes.any(bc::LPAREN) && eval_script_url(text) {
            return Some((0.85, "script URL assembled for eval"));
        }
        // A data: URL whose base64 content is markup with a script in it.
        if crate::has(text, "base64") {
            if let Some(r) = data_url_payload(text) {
                return Some(r);
            }
        }
        // Netscape's JS entities (`&{document.cookie=true};`) and script sinks that close the
        // attribute or tag they were placed in (`"alert(1)">`, `prompt(1);>`).
        if classes.any(bc::AMP) && text.contains("&{") && text.contains('}') {
            return Some((0.8, "JavaScript entity"));
        }
        if classes.any(bc::GT | bc::EQ) && js_sink_call(text) {
            if classes.any(bc::GT) && sink_closes_tag(text) {
                return Some((0.8, "script call closing its tag"));
            }
            // An event handler attribute that runs a script sink, injected into a tag the
            // page already has (`onmouseover=alert(1);`, `«img onerror=alert(1)»`).
            if classes.any(bc::EQ) && event_attribute(&text.to_ascii_lowercase()) {
                return Some((0.85, "event handler running a script"));
            }
        }
        // A handler that calls a dialog as a tagged template (`"onauxclick=alert`1`+a`): no
        // parenthesis for a filter to find.
        if classes.any(bc::EQ) && classes.any(bc::BACKTICK) {
            let tagged = handler_values(&lower(text)).any(|v| {
                let v = v.trim_start_matches([' ', '"', '\'']);
                ["alert`", "prompt`", "confirm`"]
                    .iter()
                    .any(|s| v.starts_with(s))
            });
            if tagged {
                return Some((0.85, "event handler running a script"));
            }
        }
        // Second opinion: libinjection's HTML5 tokenizer (see sqli.rs). Without a `<` (a tag,
        // a comment, a doctype) or an `=` (an attribute value) it has nothing to flag: 81,555
        // distinct corpus values and 420,000 random strings without either gave no finding.
        if !classes.any(bc::LT | bc::EQ) {
            return None;
        }
        if classes.any(bc::LT) && only_named_tags(text) {
            return None;
        }
        if !classes.any(bc::LT) && inert_jsx_handlers(text) {
            return None;
        }
        if classes.any(bc::LT) && only_doctypes(text) {
            return None;
        }
        // Comments are shown to libinjection blanked (it takes `<!--[if mso]>` for an IE
        // conditional), as the scan above read them: same length, so positions hold.
        let blanked;
        let text = if comments.is_empty() {
            text
        } else {
            let mut b = text.as_bytes().to_vec();
            for &(from, to) in &comments {
                b[from..to].fill(b' ');
            }
            blanked = String::from_utf8(b).unwrap_or_else(|_| text.to_string());
            &blanked
        };
        // libinjection calls every `<object` and `<link` dangerous; the uses judged inert
        // above are shown to it renamed, so that it judges the rest of the markup.
        let renamed;
        // A drawing's inner namespaces are noted before the tags after them are.
        inert.sort_unstable();
        inert.dedup();
        let text = if inert.is_empty() {
            text
        } else {
            let mut r = String::with_capacity(text.len() + 2 * inert.len());
            let mut from = 0;
            for &at in &inert {
                r.push_str(&text[from..at]);
                r.push_str("x-");
                from = at;
            }
            r.push_str(&text[from..]);
            renamed = r;
            &renamed
        };
        // libinjection calls every `data:` URL dangerous; a raster image inlined by a rich-text
        // editor (`<img src="data:image/png;base64,…">`) runs nothing. An SVG image runs
        // nothing either: script in its base64 was looked for above (`data_url_payload`), and
        // a browser runs none in an `<img>`; as a frame's or object's document it stays.
        let imaged;
        let text = if text.contains("data:image/") || text.contains("DATA:IMAGE/") {
            imaged = raster_data_urls_renamed(text);
            &imaged
        } else {
            text
        };
        // `href="javascript:void(0)"` runs nothing (see `does_nothing`): shown as `#`.
        let voided;
        let text = match void_urls_blanked(text) {
            Some(t) => {
                voided = t;
                &voided
            }
            None => text,
        };
        // `<%` opens no tag in HTML (the tokenizer emits it as text); libinjection reads it
        // as a comment running to `%>` and calls one holding a backtick IE's attribute
        // quote: a Mako tag in reST's literal (``` ``<%page>`` ```). Server-side template
        // tags are the SSTI detector's. Shown to it as text.
        let unasp;
        let text = if text.contains("<%") {
            unasp = text.replace("<%", " %");
            &unasp
        } else {
            text
        };
        // A handler that only hides or re-points its element (see `inert_handler`): renamed.
        let handled;
        let text = match inert_handlers_renamed(text) {
            Some(t) => {
                handled = t;
                &handled
            }
            None => text,
        };
        let flagged = |t: &str| libinjectionrs::detect_xss(t.as_bytes()).is_injection();
        (flagged(text)
            && libinjection_plausible(text)
            && relative_urls_marked(text).is_none_or(|t| flagged(&t))
            // ``In React you write `onClick={fn}` instead of `onclick="fn()"`.``: markup in
            // Markdown code spans inside a sentence is shown, as in a fence, unless it calls
            // a script sink (`eval(`, `alert(`, `document.cookie`). Our own rules judged the
            // spans' markup above; libinjection's second opinion is for the rest.
            && (runs_script(text) || code_spans_blanked(text).is_none_or(|rest| flagged(&rest)))
            // Twice: a doctype's internal subset (`<!DOCTYPE foo [ <!ENTITY bar "baz"> ]>`)
            // holds declarations, and is one once they are out.
            && declarations_removed(text)
                .map(|rest| declarations_removed(&rest).unwrap_or(rest))
                .is_none_or(|rest| flagged(&rest)))
        .then_some((crate::sqli::LIBINJECTION_CONFIDENCE, "libinjection html5"))
    }
}

/// A script sink or a call that runs code, anywhere in `text`: [`js_sink_call`]'s names,
/// `eval(`, `atob(`, timers, `javascript:`.
fn runs_script(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    js_sink_call(text)
        || [
            "eval(",
            "atob(",
            "settimeout(",
            "setinterval(",
            "javascript:",
            "import(",
        ]
        .iter()
        .any(|k| lower.contains(k))
}

/// `text` with its Markdown inline code spans' content blanked, when it has spans and a
/// sentence around them (three words of prose); `None` otherwise. Cold: only reached when
/// libinjection flagged the value.
#[cold]
fn code_spans_blanked(text: &str) -> Option<String> {
    if !text.contains('`') || prose_words(text) < 3 {
        return None;
    }
    let mut b = text.as_bytes().to_vec();
    let mut changed = false;
    let mut start = 0;
    for line in text.split_inclusive('\n') {
        let ticks: Vec<usize> = crate::single_backticks(line).collect();
        for pair in ticks.chunks_exact(2) {
            b[start + pair[0] + 1..start + pair[1]].fill(b' ');
            changed = true;
        }
        // reST's inline literals: ``` ``<script>…</script>`` ```.
        let doubled: Vec<usize> = crate::runs_of(line, b'`')
            .filter(|&(_, n)| n == 2)
            .map(|(i, _)| i)
            .collect();
        for pair in doubled.chunks_exact(2) {
            b[start + pair[0] + 2..start + pair[1]].fill(b' ');
            changed = true;
        }
        start += line.len();
    }
    changed.then(|| String::from_utf8_lossy(&b).into_owned())
}

/// Whether lower-cased code calls a script sink (`alert(`, `document.cookie`, `eval(`,
/// `atob(`) or holds a script URL: what makes shown code (a fence, a diff) or a page's own
/// scripts a payload.
fn holds_script_sink(lower: &str) -> bool {
    js_sink_call(lower)
        || ["eval(", "atob(", "javascript:", "vbscript:"]
            .iter()
            .any(|k| crate::has(lower, k))
}

/// A window of a whole HTML page uploaded as a file (a page for an HTML-to-PDF service, a
/// template, a saved page: [`Value::html_page`], set on files only) that calls no script
/// sink. The page's scripts are its own, as a site's pages all have them: what it holds is
/// kept as a record, not blocked (CRS does not read uploaded files at all). A page calling a
/// sink is a payload's page; a bare `<script>` file or a fragment is no page.
pub(crate) fn quiet_uploaded_page(value: &Value) -> bool {
    value.html_page && !holds_script_sink(&lower(value.text()))
}

/// Whether the value may hold a unified diff's hunk (`@@ -1,4 +1,5 @@` on a line).
fn maybe_diff(text: &str, c: ByteClasses) -> bool {
    c.any(bc::NEWLINE) && c.any(bc::DASH) && c.any(bc::PLUS) && crate::has(text, "@@ -")
}

/// [`fenced_markup_blanked`] when the value has a fence, a reST literal block's `::` or a
/// diff's hunk (kept out of line: most values have none).
#[inline(never)]
fn shown_code_blanked(text: &str, c: ByteClasses) -> Option<String> {
    let fence = c.any(bc::BACKTICK) && crate::has(text, "```");
    let rst = c.any(bc::COLON) && c.any(bc::LT) && crate::has(text, "::");
    if fence || rst || maybe_diff(text, c) {
        fenced_markup_blanked(text)
    } else {
        None
    }
}

/// Markdown (an issue, a README section, a comment) that shows markup in closed code fences
/// and has sentences outside them (`` Load it from a CDN:\n```html\n<script
/// src="https://cdn.example/marked.min.js"></script>\n``` ``): a Markdown renderer escapes
/// what a fence holds, and Docutils a reStructuredText literal block (the indented lines
/// after `::`; [`crate::rst_literal_blocks`]). Returns the value with those blocks blanked
/// (same length, so the rest is judged where it stands), or `None`. A Markdown heading
/// over the code stands for the sentences (`### Quickstart`, a README section). A block that
/// holds a script sink or a script URL (`alert(`, `document.cookie`, `eval(`, `atob(`,
/// `javascript:`) is a payload whether shown or not, and stays; so does everything outside
/// the blocks.
fn fenced_markup_blanked(text: &str) -> Option<String> {
    let lower = lower(text);
    let shown: Vec<(usize, usize)> = crate::code_blocks(&lower)
        .into_iter()
        .filter(|&(a, b)| !holds_script_sink(&lower[a..b]))
        .collect();
    if shown.is_empty() {
        return None;
    }
    let mut b = text.as_bytes().to_vec();
    for &(from, to) in &shown {
        b[from..to].fill(b' ');
    }
    // Fences run from line start to line end: no character is cut.
    let blanked = String::from_utf8(b).ok()?;
    // A Markdown heading over the code (`### Quickstart`, a README section) stands for the
    // sentences.
    let heading = blanked.lines().any(|l| {
        let t = l.trim_start();
        let hashes = t.bytes().take_while(|&c| c == b'#').count();
        (1..=6).contains(&hashes)
            && t[hashes..].starts_with(' ')
            && t[hashes..].trim_start().starts_with(char::is_alphabetic)
    });
    // A fence that names its language (```` ```jsx filename="app/page.js" ````) is Markdown's
    // own mark for code: a snippet field or a docs page sends one alone, and a renderer
    // highlights it, escaped. JSX's `onClick={() => go()}` and `<Script src=…>` live there.
    // So is a diff's header (a review tool sends a patch alone).
    let labelled = shown.iter().all(|&(from, _)| {
        let block = &lower[from..];
        fence_names_language(block) || block.lines().next().is_some_and(crate::opens_diff)
    });
    (prose_words(&blanked) >= 3 || heading || labelled).then_some(blanked)
}

/// Whether `block` opens with a Markdown fence whose info string starts with a language
/// name (```` ```tsx ````, ```` ``` html ````); a reST block or a bare fence does not.
fn fence_names_language(block: &str) -> bool {
    block
        .trim_start()
        .strip_prefix("```")
        .map(|rest| rest.trim_start_matches(' '))
        .and_then(|rest| rest.bytes().next())
        .is_some_and(|b| b.is_ascii_alphabetic())
}

impl Detector for Xss {
    fn name(&self) -> &'static str {
        "xss"
    }

    fn inspect(&self, value: &Value, out: &mut Vec<Signal>) {
        let escaped = escaped_markup_in_document(value);
        let text = escaped.as_ref().map_or(value.text(), |(t, _)| t.as_str());
        let c = escaped.as_ref().map_or(value.classes, |(_, c)| *c);
        let fenced;
        let (text, c) = if c.any(bc::BACKTICK | bc::COLON) || maybe_diff(text, c) {
            fenced = shown_code_blanked(text, c);
            match &fenced {
                Some(t) => (t.as_str(), ByteClasses::of(t)),
                None => (text, c),
            }
        } else {
            (text, c)
        };
        // Obfuscated script (JSFuck, tagged templates, lookups by name, comments) needs `[`,
        // a backtick or `*`; UTF-7 a `+` and a `-`; fullwidth brackets are non-ASCII.
        let found = if c.any(bc::LBRACKET | bc::BACKTICK | bc::STAR | bc::NONASCII | bc::PLUS) {
            obfuscated(text, c)
        } else {
            None
        };
        let found = found.or_else(|| {
            (c.any(bc::SLASH) && c.any(bc::LPAREN | bc::DOT) && stripped_script(text))
                .then_some((0.8, "script element with its brackets stripped"))
        });
        let found = found.or_else(|| {
            if !c.any(bc::LPAREN | bc::BACKTICK) {
                return None;
            }
            // In a URL's path, its last segment (`/confirm.call(null,1)`), which is also a
            // script URL when it names one (`/javascript:setInterval('ale'+'rt(1)')`): no
            // page's path segment starts with a scheme.
            let last = match value.place.kind {
                PlaceKind::Path => text.rsplit('/').next().unwrap_or(text),
                _ => text,
            };
            if value.place.kind == PlaceKind::Path
                && c.any(bc::COLON)
                && is_script_url(last)
                && !void_link(last)
            {
                return Some((0.9, "script URL"));
            }
            whole_sink_call(last).then_some((0.75, "the value is a script sink call"))
        });
        // A block closed and a sink called (`}alert(1);{//`): the JS breakout without a quote.
        let found = found.or_else(|| {
            (c.any(bc::LPAREN) && text.trim_start().starts_with('}') && js_breakout(text))
                .then_some((0.85, "breaks out of a JS block"))
        });
        // Tags, script URLs and JS breakouts need one of these bytes.
        let found = found.or_else(|| {
            if !c.any(bc::LT | bc::GT | bc::AMP | bc::COLON | bc::SQUOTE | bc::DQUOTE | bc::EQ) {
                return None;
            }
            let xml_document =
                value.place.kind == PlaceKind::Body && text.trim_start().starts_with("<?xml");
            Xss::check(text, c, xml_document, value.cut)
        });
        // A filter that deletes tags joins what they split (`autof<x>ocus o<x>nfocus=alert<x>(1)`,
        // `<scr<x>ipt>`): judged once more as that filter leaves it.
        let found = found.or_else(|| {
            let stripped = c.any(bc::LT).then(|| glued_tags_stripped(text)).flatten()?;
            let classes = ByteClasses::of(&stripped);
            Xss::check(&stripped, classes, false, Cut::default())
                .map(|(conf, _)| (conf, "markup hidden by tags a filter deletes"))
        });
        if let Some((confidence, why)) = found {
            out.push(signal(
                "xss",
                Category::Xss,
                confidence,
                value,
                value.text(),
                why,
            ));
        }
    }
}

/// `text` without the short tags glued between two letters (`autof<x>ocus`, `java<br>script`),
/// or between a letter and the `<` or `>` of a tag they split (`<</div>script</div>>`), when
/// there is one: what a sanitizer that deletes unknown tags returns. A CDATA section around
/// a lone `<` or `>` (`<![CDATA[<]]>SCRIPT<![CDATA[>]]>`) is that character to an XML
/// parser. `None` otherwise.
fn glued_tags_stripped(text: &str) -> Option<String> {
    if crate::has(text, "<![CDATA[") || crate::has(text, "<![cdata[") {
        let mut unwrapped = text.to_string();
        for (cdata, c) in [
            ("<![CDATA[<]]>", "<"),
            ("<![CDATA[>]]>", ">"),
            ("<![cdata[<]]>", "<"),
            ("<![cdata[>]]>", ">"),
        ] {
            unwrapped = unwrapped.replace(cdata, c);
        }
        if unwrapped != text {
            return Some(glued_tags_stripped(&unwrapped).unwrap_or(unwrapped));
        }
    }
    let b = text.as_bytes();
    let glued = |at: usize| -> Option<usize> {
        let left = at.checked_sub(1).map(|i| b[i]);
        if !left.is_some_and(|c| c.is_ascii_alphabetic() || c == b'<') {
            return None;
        }
        let name = b[at + 1..]
            .iter()
            .take(12)
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'/')
            .count();
        let close = at + 1 + name;
        let right = b.get(close + 1).copied();
        let letters = left.is_some_and(|c| c.is_ascii_alphabetic());
        (name > 0
            && b.get(close) == Some(&b'>')
            && right.is_some_and(|c| c.is_ascii_alphabetic() || (letters && c == b'>')))
        .then_some(close + 1)
    };
    let mut out = String::new();
    let mut last = 0;
    for at in memchr::memchr_iter(b'<', b) {
        if at < last {
            continue;
        }
        if let Some(end) = glued(at) {
            out.push_str(&text[last..at]);
            last = end;
        }
    }
    if last == 0 {
        return None;
    }
    out.push_str(&text[last..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(s: &str) -> bool {
        crate::hits(&Xss, s)
    }

    #[test]
    fn executable_contexts_are_caught() {
        for s in [
            "<script>alert(1)</script>",
            "<ScRiPt src=//evil.example/x.js>",
            "<img src=x onerror=alert(1)>",
            "<svg/onload=alert(1)>",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
            "<body onload=alert(1)>",
            "%3Cscript%3Ealert(1)%3C/script%3E",
            "<iframe src=data:text/html,x>",
            "\";alert(1)//",
            "'-alert(document.cookie)-'",
            "javascript:alert(document.domain)",
            "<img/src=\"x\"/onerror=alert(1)>",
            "<details open ontoggle=alert(1)>",
            // Regressions from the libinjection corpus.
            "<animate attributeName=\"xlink:href\" begin=\"0\" from=\"javascript:alert(1)\" to=\"&\" />",
            "test 36 <a style=\"behavior:url(#default#AnchorClick);\" folder=\"javascript:alert(1)\">XXX</a>",
            "<x style=\"behavior:url(test.sct)\">",
            "<div style=\"width: expression(alert(1))\">",
            "test 17 <?xml-stylesheet href=\"javascript:alert(1)\"?><root/>",
            // Filters defeated (HttpParamsDataset): brackets stripped, a URL split for eval.
            "scriptalert(crosssitescripting)/script",
            "-1scriptdocument.cookie=true;/script",
            "a=\"get\";b=\"url\";c=\"javascript:\";d=\"alert('xss');\";eval(a+b+c+d);",
        ] {
            assert!(hit(s), "missed: {s}");
        }
    }

    /// Regression (set 86: SVG uploads past 8 KB): a window of a long value that cuts a
    /// drawing shows an unclosed `<svg>` or a `</svg>` without its opening; the windows on
    /// either side judge the rest. What a window shows of a payload still counts.
    #[test]
    fn a_drawing_cut_by_a_window_is_judged_up_to_the_cut() {
        let judged = |text: &str, before: bool, after: bool| {
            let mut v = crate::value(text);
            v.cut = Cut { before, after };
            let mut out = Vec::new();
            Xss.inspect(&v, &mut out);
            !out.is_empty()
        };
        let head = r#"<p>Status: <svg viewBox="0 0 24 24"><path d="M1 1z"/><path d="M2 2"#;
        let tail = r#"2 2z"/><path d="M3 3z"/></svg> Ready</p>"#;
        // Whole values: a drawing cut off, or its closing tag alone, is a payload's fragment.
        assert!(judged(head, false, false));
        assert!(judged(tail, false, false));
        assert!(!judged(head, false, true));
        assert!(!judged(tail, true, false));
        // A window that ends inside a tag's name or right after its `<` (aiohttp's
        // old-logo.svg, session 39): the next window reads the tag whole.
        let drawing =
            r#"<svg viewBox="0 0 24 24"><filter id="f"><feMerge><feMergeNode in="a"/></feMerge>"#;
        assert!(!judged(&format!("{drawing}<feO"), false, true));
        assert!(!judged(&format!("{drawing}<"), false, true));
        assert!(judged(&format!("{drawing}<feO"), false, false));
        assert!(judged(&format!("{drawing}<ifr"), false, false));
        for payload in [
            r#"<svg><script>alert(1)</script><path d="M1"#,
            r#"<svg onload=alert(1)><path d="M1"#,
            r#"<svg><path d="M1"/><foreignObject><iframe src=javascript:alert(1)>"#,
        ] {
            assert!(judged(payload, false, true), "{payload}");
        }
        assert!(judged(
            r#"1z"/></svg><img src=x onerror=alert(1)>"#,
            true,
            false
        ));
        // A formula cut the same way (docutils' MathML past 8 KB, session 33).
        let head = r#"<p>so</p><math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi><mo>="#;
        let tail = r#"</mo><mn>2</mn></math> holds."#;
        assert!(judged(head, false, false));
        assert!(judged(tail, false, false));
        assert!(!judged(head, false, true));
        assert!(!judged(tail, true, false));
        assert!(judged(
            r#"<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>"#,
            false,
            true
        ));
        assert!(judged(
            r#"</mo></math><img src=x onerror=alert(1)>"#,
            true,
            false
        ));
    }

    /// Regression: XML API bodies were read as IE-era `<xml>` data islands; in a parameter the
    /// same tag still counts.
    #[test]
    fn xml_documents_as_bodies_are_not_html() {
        let doc = "<?xml version=\"1.0\"?><xml><element name=\"a\">value</element></xml>";
        let body = Value::new(
            palisade_types::Place::new(PlaceKind::Body, ""),
            doc.into(),
            3,
        );
        let mut out = Vec::new();
        Xss.inspect(&body, &mut out);
        assert!(out.is_empty(), "{out:?}");
        assert!(hit("<xml id=\"xss\" src=\"test.htc\"></xml>"));
    }

    #[test]
    fn html_and_comparisons_in_prose_stay_clean() {
        for s in [
            "a < b and c > d",
            "I <3 this",
            "<b>bold</b> and <i>italic</i>",
            "use <div class=\"x\"> for layout",
            "Vec<String>",
            "the onerror handler is documented",
            "javascript is fun",
            "He said \"hi\"; then left",
            "<p>Paragraph with an <a href=\"https://example.com\">link</a></p>",
            "cp ./build/script",
            "run the script (see docs/script)",
            "path/to/my.script",
            "eval(input) is dangerous; never pass a javascript: URL",
        ] {
            assert!(!hit(s), "false positive: {s}");
        }
    }

    /// The style-sheet check reads at most 4 KB of the element; the cut must land on a
    /// character boundary, and a sheet it cannot read to its end is not vouched for.
    #[test]
    fn long_style_elements_are_cut_on_a_character_boundary() {
        let long = format!("<style>p {{ content: \"{}é\" }}</style>", "a".repeat(4081));
        assert!(hit(&long), "an unread style sheet is not vouched for");
        assert!(!hit("<style>p { content: \"é\" }</style>\n<p>Entrée</p>"));
    }
}
