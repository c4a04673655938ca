//! The URLs a tag makes a browser follow or load, read from its attributes
//! however they are quoted.

use crate::reader::unescape;

/// Attributes whose value is one URL.
const URL_ATTRS: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "cite",
    "background",
    "longdesc",
    "manifest",
    "ping",
    "xlink:href",
];

/// Calls `found` with each URL in a tag's inside (`a href="x" title=y`).
pub fn urls_in_tag(tag: &str, found: &mut impl FnMut(&str)) {
    for (name, value) in Attributes::of(tag) {
        let is = |n: &str| name.eq_ignore_ascii_case(n);
        if URL_ATTRS.iter().any(|n| is(n)) {
            found(&unescape(value));
        } else if is("srcset") || is("imagesrcset") {
            let value = unescape(value);
            for candidate in value.split(',') {
                if let Some(url) = candidate.split_whitespace().next() {
                    found(url);
                }
            }
        } else if is("content") {
            let value = unescape(value);
            let lower = value.to_ascii_lowercase();
            if let Some(i) = lower.find("url=") {
                found(value[i + 4..].trim_matches(['\'', '"', ' ']));
            }
        } else if is("style") {
            css_urls(&unescape(value), found);
        }
    }
}

/// The `href` of a `<base>` tag's inside: the URL relative links of the
/// file are resolved against, instead of the file's own.
pub fn base_href(tag: &str) -> Option<String> {
    let name = tag.split(|c: char| c.is_whitespace() || c == '/').next()?;
    if !name.eq_ignore_ascii_case("base") {
        return None;
    }
    Attributes::of(tag)
        .find(|(n, _)| n.eq_ignore_ascii_case("href"))
        .map(|(_, v)| unescape(v).into_owned())
}

/// `href` as a browser reads it under `<base href=base>`, when it is
/// relative (no scheme, not site-absolute): the base's folder, then `href`.
pub fn under_base(base: &str, href: &str) -> Option<String> {
    let trimmed = href.trim_start();
    let scheme = trimmed
        .find(':')
        .is_some_and(|i| !trimmed[..i].contains(['/', '\\', '?', '#']));
    if scheme || trimmed.starts_with(['/', '\\', '#', '?']) || trimmed.is_empty() {
        return None;
    }
    let base = base.trim();
    let base = &base[..base.find(['#', '?']).unwrap_or(base.len())];
    let folder = base.rfind(['/', '\\']).map_or("", |i| &base[..=i]);
    Some(format!("{folder}{trimmed}"))
}

/// `url(…)` values in CSS.
fn css_urls(css: &str, found: &mut impl FnMut(&str)) {
    let lower = css.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("url(") {
        let start = from + i + 4;
        let end = css[start..].find(')').map_or(css.len(), |e| start + e);
        found(&css_unescape(
            css[start..end].trim().trim_matches(['\'', '"']),
        ));
        from = end;
    }
}

/// CSS escapes decoded, as a browser reads them: `\78` (and `\000078 `) is
/// `x`, `\.` is `.`.
fn css_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let mut hex = String::new();
        while hex.len() < 6 && chars.peek().is_some_and(char::is_ascii_hexdigit) {
            hex.extend(chars.next());
        }
        if hex.is_empty() {
            out.extend(chars.next());
        } else {
            if chars.peek().is_some_and(|c| c.is_ascii_whitespace()) {
                chars.next();
            }
            let code = u32::from_str_radix(&hex, 16).unwrap_or(0xFFFD);
            out.push(char::from_u32(code).unwrap_or('\u{FFFD}'));
        }
    }
    out
}

/// The (name, raw value) attributes of a tag's inside, however quoted.
struct Attributes<'a> {
    rest: &'a str,
}

impl<'a> Attributes<'a> {
    fn of(tag: &'a str) -> Attributes<'a> {
        let rest = tag.trim_start_matches('/');
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(rest.len());
        Attributes {
            rest: &rest[name_end..],
        }
    }
}

impl<'a> Iterator for Attributes<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        let rest = self
            .rest
            .trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return None;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = &rest[..name_end];
        let after_name = rest[name_end..].trim_start();
        let Some(after_eq) = after_name.strip_prefix('=') else {
            self.rest = after_name;
            return Some((name, ""));
        };
        let after_eq = after_eq.trim_start();
        let (value, after) = match after_eq.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let body = &after_eq[1..];
                match body.find(q) {
                    Some(e) => (&body[..e], &body[e + 1..]),
                    None => (body, ""),
                }
            }
            _ => {
                let e = after_eq.find(char::is_whitespace).unwrap_or(after_eq.len());
                (&after_eq[..e], &after_eq[e..])
            }
        };
        self.rest = after;
        Some((name, value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(tag: &str) -> Vec<String> {
        let mut out = Vec::new();
        urls_in_tag(tag, &mut |u| out.push(u.to_string()));
        out
    }

    #[test]
    fn every_quoting_and_url_attribute_is_read() {
        assert_eq!(urls(r#"a href="/x/" title="t""#), ["/x/"]);
        assert_eq!(urls("a HREF='/y/'"), ["/y/"]);
        assert_eq!(urls("a href=/z/ class=c"), ["/z/"]);
        assert_eq!(urls("a href = \"/w/\""), ["/w/"]);
        assert_eq!(urls(r#"a href="/a?b=1&amp;c=2""#), ["/a?b=1&c=2"]);
        assert_eq!(
            urls(r#"img srcset="a.jpg 1x, b.jpg 2x" src=c.jpg"#),
            ["a.jpg", "b.jpg", "c.jpg"]
        );
        assert_eq!(urls(r#"form action="../v/""#), ["../v/"]);
        assert_eq!(
            urls(r#"meta http-equiv="refresh" content="0; URL='/v/'""#),
            ["/v/"]
        );
        assert_eq!(
            urls(r#"div style="background:url('../v/p.jpg')""#),
            ["../v/p.jpg"]
        );
        assert_eq!(urls(r##"svg:use xlink:href="#i""##), ["#i"]);
        assert_eq!(
            urls(r#"span style="background:url(../vault\78/p.svg)""#),
            ["../vaultx/p.svg"]
        );
        assert_eq!(
            urls(r#"span style="background:url('/v\000061 ult')""#),
            ["/vault"]
        );
        assert!(urls("br/").is_empty());
        assert_eq!(urls(r#"a href="/unclosed"#), ["/unclosed"]);
    }

    #[test]
    fn base_tags_move_relative_links() {
        assert_eq!(
            base_href(r#"base href="/locks/acme/""#).as_deref(),
            Some("/locks/acme/")
        );
        assert_eq!(
            base_href("BASE HREF=/x/y target=_top").as_deref(),
            Some("/x/y")
        );
        assert_eq!(base_href(r#"a href="/x/""#), None);
        assert_eq!(base_href(r#"basefont href="/x/""#), None);
        assert_eq!(
            under_base("/locks/acme/", "vaultx").as_deref(),
            Some("/locks/acme/vaultx")
        );
        assert_eq!(
            under_base("/locks/acme/d", "../v/").as_deref(),
            Some("/locks/acme/../v/")
        );
        assert_eq!(
            under_base("https://h.org/locks/", "vaultx").as_deref(),
            Some("https://h.org/locks/vaultx")
        );
        assert_eq!(
            under_base("locks/", "vaultx").as_deref(),
            Some("locks/vaultx")
        );
        for absolute in ["/x/", "https://h.org/x", "mailto:a@b", "#top", ""] {
            assert_eq!(under_base("/locks/", absolute), None, "{absolute}");
        }
    }
}
