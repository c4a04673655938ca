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

/// Appends the URLs in a tag's inside (`a href="x" title=y`) to `out`.
pub fn urls_in_tag(tag: &str, out: &mut Vec<String>) {
    for (name, value) in attributes(tag) {
        let value = unescape(value);
        match name.as_str() {
            n if URL_ATTRS.contains(&n) => out.push(value.into_owned()),
            "srcset" | "imagesrcset" => out.extend(
                value
                    .split(',')
                    .filter_map(|c| c.split_whitespace().next())
                    .map(str::to_string),
            ),
            "content" => {
                let lower = value.to_ascii_lowercase();
                if let Some(i) = lower.find("url=") {
                    out.push(value[i + 4..].trim_matches(['\'', '"', ' ']).to_string());
                }
            }
            "style" => css_urls(&value, out),
            _ => {}
        }
    }
}

/// `url(…)` values in CSS.
fn css_urls(css: &str, out: &mut Vec<String>) {
    let lower = css.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("url(") {
        let start = from + i + 4;
        let end = css[start..].find(')').map_or(css.len(), |e| start + e);
        out.push(css[start..end].trim().trim_matches(['\'', '"']).to_string());
        from = end;
    }
}

/// (lower-cased name, raw value) of each attribute of a tag's inside.
fn attributes(tag: &str) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    // Skip the tag name.
    let mut rest = tag.trim_start_matches('/');
    rest = &rest[rest
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(rest.len())..];
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return out;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_end].to_ascii_lowercase();
        rest = rest[name_end..].trim_start();
        let Some(after_eq) = rest.strip_prefix('=') else {
            out.push((name, ""));
            continue;
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
        out.push((name, value));
        rest = after;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(tag: &str) -> Vec<String> {
        let mut out = Vec::new();
        urls_in_tag(tag, &mut out);
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
        assert!(urls("br/").is_empty());
        assert_eq!(urls(r#"a href="/unclosed"#), ["/unclosed"]);
    }
}
