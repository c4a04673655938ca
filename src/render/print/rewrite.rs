//! A printed page's body, rewritten for the print page or part it is on, in
//! one pass over its HTML (`rewrite`): its ids get the page's anchor as a
//! prefix, so they stay unique on the page and across parts; links to pages
//! that are printed (and to their headings) become `#…` links when the target
//! is on the same page, `/print/N/#…` when it is in another part; relative
//! links and images are made site-absolute; headings move down a level or
//! two so the handbook's outline (the PDF's bookmarks) nests under its sections.

use std::collections::HashMap;

/// Where a printed page is: its part (0 on the one-page print page) and its anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    pub part: usize,
    pub anchor: String,
}

/// What links are resolved against.
pub struct Links<'m> {
    /// URL path (with the base path) of every printed page → where it is printed.
    pub spots: &'m HashMap<String, Spot>,
    /// The part being rendered (0: the one-page print page).
    pub part: usize,
    pub base_path: &'m str,
    pub base_url: &'m str,
}

impl Links<'_> {
    /// The link for `url` (site-absolute, perhaps with a fragment), if its
    /// page is printed: `#anchor…` on the same page, `/print/N/#anchor…` in another part.
    fn in_page(&self, url: &str) -> Option<String> {
        let (path, frag) = url.split_once('#').unwrap_or((url, ""));
        let path = path.strip_suffix("index.html").unwrap_or(path);
        let mut key = path.to_string();
        if !key.ends_with('/') {
            key.push('/');
        }
        let spot = self.spots.get(key.as_str())?;
        let target = match frag {
            "" => spot.anchor.clone(),
            f => format!("{}:{f}", spot.anchor),
        };
        Some(match spot.part == self.part {
            true => format!("#{target}"),
            false => format!(
                "{}{}{}/#{target}",
                self.base_path,
                super::PRINT_PATH,
                spot.part
            ),
        })
    }

    /// A link or image address from page `page_url` as it reads on the print page.
    fn resolve(&self, value: &str, page_url: &str, own: &str, is_href: bool) -> String {
        if let Some(frag) = value.strip_prefix('#') {
            return match frag {
                "" => format!("#{own}"),
                f => format!("#{own}:{f}"),
            };
        }
        let on_site = value
            .strip_prefix(self.base_url)
            .map(|rest| format!("{}{rest}", self.base_path));
        let absolute = match on_site {
            Some(v) => v,
            None if is_relative(value) => join(page_url, value),
            None => value.to_string(),
        };
        if is_href
            && absolute.starts_with(self.base_path)
            && let Some(link) = self.in_page(&absolute)
        {
            return link;
        }
        if value.starts_with(self.base_url) {
            // Off the print page: keep the link as written.
            return value.to_string();
        }
        absolute
    }
}

/// A relative reference: no scheme, not `/…`, `//…`, `#…` or `?…`.
fn is_relative(v: &str) -> bool {
    if v.is_empty() || v.starts_with(['/', '#', '?']) {
        return false;
    }
    let scheme_end = v.find(':');
    let path_end = v.find(['/', '?', '#']).unwrap_or(v.len());
    !matches!(scheme_end, Some(c) if c < path_end)
}

/// `rel` resolved against the folder URL `base` (ends in `/`), dot segments removed.
fn join(base: &str, rel: &str) -> String {
    let split = rel.find(['?', '#']).unwrap_or(rel.len());
    let (path, suffix) = rel.split_at(split);
    let mut parts: Vec<&str> = base.trim_end_matches('/').split('/').collect();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    for (i, seg) in segments.into_iter().enumerate() {
        match seg {
            "." => {}
            ".." => {
                if parts.len() > 1 {
                    parts.pop();
                }
            }
            s => parts.push(s),
        }
        if i == last && matches!(seg, "." | "..") {
            parts.push("");
        }
    }
    format!("{}{suffix}", parts.join("/"))
}

/// A page's body as it reads on the print page, in one pass over its tags:
/// every `id` gets the prefix `{own}:`, every `href` and `src` is resolved
/// (`Links::resolve`), headings move down `shift` levels (at most to h6).
/// Text, comments and other attributes are copied as they are.
pub fn rewrite(html: &str, own: &str, page_url: &str, shift: u8, links: &Links) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").map_or(rest.len(), |e| e + 7);
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        // The audit's reading of where a tag ends (a quoted `>` does not end it).
        let end = crate::reader::tag_end(rest).map_or(rest.len(), |e| e + 1);
        out.push_str(&rewrite_tag(&rest[..end], own, page_url, shift, links));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// One tag (`<…>`), rewritten: see `rewrite`.
fn rewrite_tag(tag: &str, own: &str, page_url: &str, shift: u8, links: &Links) -> String {
    let bytes = tag.as_bytes();
    let closing = bytes.get(1) == Some(&b'/');
    let name_start = if closing { 2 } else { 1 };
    let name_end = tag[name_start..]
        .find(|c: char| !c.is_ascii_alphanumeric())
        .map_or(tag.len(), |e| name_start + e);
    let name = &tag[name_start..name_end];
    let mut out = String::with_capacity(tag.len() + 32);
    out.push_str(&tag[..name_start]);
    out.push_str(&shift_heading(name, shift));
    let mut rest = &tag[name_end..];
    while !rest.is_empty() {
        // Copy up to the next attribute name.
        let Some(start) = rest.find(|c: char| !c.is_ascii_whitespace()) else {
            out.push_str(rest);
            break;
        };
        out.push_str(&rest[..start]);
        rest = &rest[start..];
        let name_len = rest
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len())
            .max(1);
        let attr = rest[..name_len].to_ascii_lowercase();
        out.push_str(&rest[..name_len]);
        rest = &rest[name_len..];
        let Some(after_eq) = rest.strip_prefix('=') else {
            continue;
        };
        out.push('=');
        rest = after_eq;
        let (quote, value_len, skip) = match rest.as_bytes().first() {
            Some(&q @ (b'"' | b'\'')) => {
                let len = rest[1..].find(q as char).unwrap_or(rest.len() - 1);
                (Some(q as char), len, 1)
            }
            _ => (
                None,
                rest.find(|c: char| c.is_ascii_whitespace() || c == '>')
                    .unwrap_or(rest.len()),
                0,
            ),
        };
        let value = &rest[skip..skip + value_len];
        let new = match attr.as_str() {
            "id" => format!("{own}:{value}"),
            // Resolving prepends or replaces a path of slug characters: the
            // value's own escapes stay as written.
            "href" | "src" => links.resolve(value, page_url, own, attr == "href"),
            _ => value.to_string(),
        };
        let q = quote.map_or(String::from("\""), String::from);
        out.push_str(&q);
        out.push_str(&new);
        out.push_str(&q);
        let consumed = (skip + value_len + usize::from(quote.is_some())).min(rest.len());
        rest = &rest[consumed..];
    }
    out
}

/// `h2` … `h6` moved down `shift` levels, at most to `h6`; other names as they are.
fn shift_heading(name: &str, shift: u8) -> String {
    let level = match name.as_bytes() {
        [b'h' | b'H', d @ b'1'..=b'6'] => d - b'0',
        _ => return name.to_string(),
    };
    format!("h{}", (level + shift).min(6))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links_for(spots: &HashMap<String, Spot>) -> Links<'_> {
        Links {
            spots,
            part: 0,
            base_path: "/",
            base_url: "https://x.org/",
        }
    }

    #[test]
    fn ids_get_the_page_prefix_and_links_to_printed_pages_become_in_page() {
        let spots = spots(&[
            ("/locks/acme/d100/", 0, "locks.acme.d100"),
            ("/guide/x/", 0, "guide.x"),
        ]);
        let links = links_for(&spots);
        let html = "<h2 id=\"reset\">Reset <a class=\"anchor\" href=\"#reset\">#</a></h2>\n\
                    <p>See <a href=\"/locks/acme/d100/\">D100</a>, \
                    <a href=\"/guide/x/#step-2\">step 2</a>, \
                    <a href=\"https://x.org/guide/x/index.html\">x</a>, \
                    <a href=\"/brands/acme/\">Acme</a>, \
                    <a href=\"https://other.org/a?b=1&amp;c=2\">o</a> \
                    and <img src=\"photo.jpg\" alt=\"a > b\"></p>";
        let out = rewrite(html, "guide.y", "/guide/y/", 1, &links);
        assert!(out.contains("<h3 id=\"guide.y:reset\">"), "{out}");
        assert!(out.contains("</h3>"), "{out}");
        assert!(out.contains("href=\"#guide.y:reset\""), "{out}");
        assert!(out.contains("href=\"#locks.acme.d100\""), "{out}");
        assert!(out.contains("href=\"#guide.x:step-2\""), "{out}");
        assert!(out.contains("href=\"#guide.x\">x<"), "{out}");
        assert!(out.contains("href=\"/brands/acme/\""), "{out}");
        assert!(
            out.contains("href=\"https://other.org/a?b=1&amp;c=2\""),
            "{out}"
        );
        assert!(out.contains("src=\"/guide/y/photo.jpg\""), "{out}");
        assert!(out.contains("alt=\"a > b\""), "{out}");
    }

    /// (URL, part, anchor) as the plan's spots.
    fn spots(list: &[(&str, usize, &str)]) -> HashMap<String, Spot> {
        list.iter()
            .map(|&(url, part, anchor)| {
                let spot = Spot {
                    part,
                    anchor: anchor.to_string(),
                };
                (url.to_string(), spot)
            })
            .collect()
    }

    #[test]
    fn links_to_pages_in_another_part_go_to_that_part() {
        let spots = spots(&[
            ("/hb/locks/a/b/", 3, "locks.a.b"),
            ("/hb/locks/a/c/", 2, "locks.a.c"),
        ]);
        let links = Links {
            spots: &spots,
            part: 2,
            base_path: "/hb/",
            base_url: "https://x.org/hb/",
        };
        let html = "<a href=\"/hb/locks/a/b/#reset\">b</a><a href=\"../c/\">c</a>";
        let out = rewrite(html, "locks.a.c", "/hb/locks/a/c/", 2, &links);
        assert_eq!(
            out,
            "<a href=\"/hb/print/3/#locks.a.b:reset\">b</a><a href=\"#locks.a.c\">c</a>"
        );
    }

    #[test]
    fn text_and_comments_are_copied_and_headings_stop_at_h6() {
        let spots = HashMap::new();
        let links = links_for(&spots);
        let html = "a &lt; b <!-- <a href=\"#x\"> --><h5>T</h5><br/>";
        let out = rewrite(html, "p", "/p/", 2, &links);
        assert_eq!(out, "a &lt; b <!-- <a href=\"#x\"> --><h6>T</h6><br/>");
    }

    #[test]
    fn relative_addresses_resolve_against_the_page() {
        assert_eq!(join("/locks/a/b/", "photo.jpg"), "/locks/a/b/photo.jpg");
        assert_eq!(join("/locks/a/b/", "../c/#x"), "/locks/a/c/#x");
        assert_eq!(join("/locks/a/b/", ".."), "/locks/a/");
        assert!(is_relative("photo.jpg") && is_relative("a/b:c"));
        assert!(!is_relative("mailto:x@y") && !is_relative("/a") && !is_relative("#a"));
    }
}
