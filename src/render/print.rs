//! `/print/`: the whole handbook on one page, for the binder by the door and
//! for `build --pdf`. It is built from the assembled `Site` like every page
//! (so a public build's has no sensitive page and no private block) and, as
//! the one page meant to hold everything, it grows linearly with the site:
//! - the guide pages in table-of-contents order, then the entries grouped by
//!   brand (the `Site`'s order) or, with `print_order = "location"`, by
//!   location (one sort, n log n);
//! - each page's body is rewritten in one pass over its HTML (`rewrite`):
//!   its ids get the page's anchor as a prefix, so they stay unique on the
//!   one page; links to pages that are on it (and to their headings) become
//!   in-page `#…` links through one hash map of URLs; relative links and
//!   images are made site-absolute; headings move down a level or two so
//!   the handbook's outline (the PDF's bookmarks) nests under its sections.

use std::collections::HashMap;

use serde::Serialize;

use super::Renderer;
use super::views::PageView;
use crate::config::PrintOrder;
use crate::site::Page;

/// The folder of the print page.
pub const PRINT_PATH: &str = "print/";

/// What `print.html` gets as `print`.
#[derive(Serialize)]
pub(super) struct PrintView<'a> {
    /// "brand" or "location": what `groups` are.
    pub(super) order: &'static str,
    pub(super) guides: Vec<PrintPage<'a>>,
    pub(super) groups: Vec<PrintGroup<'a>>,
}

/// A brand's entries, or a location's.
#[derive(Serialize)]
pub(super) struct PrintGroup<'a> {
    /// The brand's name, or the location as `A › B` ("No location" for entries without).
    pub(super) name: String,
    pub(super) anchor: String,
    pub(super) entries: Vec<PrintPage<'a>>,
}

/// One page on the print page.
#[derive(Serialize)]
pub(super) struct PrintPage<'a> {
    /// The id of its section: its output folder with `/` as `.` (`locks.acme.d100`).
    pub(super) anchor: String,
    /// The body, rewritten for the print page (see `rewrite`).
    pub(super) body: String,
    pub(super) page: PageView<'a>,
}

/// A page's anchor on the print page: its output folder with `/` as `.`.
/// Slugs hold only letters, digits and `-`, so anchors are unique, contain
/// no `:` (the heading separator) and never start with `_` (the print page's own ids).
pub fn anchor(path: &str) -> String {
    path.trim_end_matches('/').replace('/', ".")
}

impl<'a> Renderer<'a> {
    pub(super) fn print_view(&self) -> PrintView<'_> {
        let site = self.site;
        let base = self.config.base_path();
        // Every page on the print page, by URL, for in-page links: one map, built once.
        let anchors: HashMap<&str, String> = site
            .guides
            .iter()
            .chain(&site.entries)
            .map(|p| (p.url.as_str(), anchor(&p.path)))
            .collect();
        let links = Links {
            anchors: &anchors,
            base_path: base,
            base_url: &self.config.base_url,
        };
        let print_page = |p: &'a Page, index: Option<usize>, shift: u8| PrintPage {
            anchor: anchor(&p.path),
            body: rewrite(&p.html, &anchor(&p.path), &p.url, shift, &links),
            page: self.page_view(p, index),
        };
        let guides = site.guides.iter().map(|p| print_page(p, None, 1)).collect();
        let order = print_order(site, self.config.print_order);
        let mut groups: Vec<PrintGroup> = Vec::new();
        for i in order {
            let p = &site.entries[i];
            let name = self.group_name(p);
            if groups.last().is_none_or(|g| g.name != name) {
                groups.push(PrintGroup {
                    anchor: format!("_group-{}", groups.len() + 1),
                    name,
                    entries: Vec::new(),
                });
            }
            if let Some(g) = groups.last_mut() {
                g.entries.push(print_page(p, Some(i), 2));
            }
        }
        PrintView {
            order: match self.config.print_order {
                PrintOrder::Brand => "brand",
                PrintOrder::Location => "location",
            },
            guides,
            groups,
        }
    }

    /// The group an entry is printed in: its brand, or its location.
    fn group_name(&self, p: &Page) -> String {
        let f = p.facts.as_ref();
        match self.config.print_order {
            PrintOrder::Brand => p
                .entry
                .map(|e| self.site.brands[e.brand].name.clone())
                .unwrap_or_default(),
            PrintOrder::Location => f
                .and_then(|f| f.location.as_deref())
                .map(crate::nav::location_text)
                .filter(|l| !l.is_empty())
                .unwrap_or_else(|| "No location".to_string()),
        }
    }
}

/// The entries (indexes into `site.entries`) in print order: the site's
/// (by brand), or by location (general to specific, case-folded), entries
/// without one last, then in the site's order. One sort: n log n.
pub fn print_order(site: &crate::site::Site, order: PrintOrder) -> Vec<usize> {
    let mut v: Vec<usize> = (0..site.entries.len()).collect();
    if order == PrintOrder::Location {
        let keys: Vec<Option<Vec<String>>> = site
            .entries
            .iter()
            .map(|p| {
                let parts: Vec<String> = p
                    .facts
                    .as_ref()
                    .and_then(|f| f.location.as_deref())
                    .map(|l| {
                        l.split('/')
                            .map(|s| s.trim().to_lowercase())
                            .filter(|s| !s.is_empty())
                            .collect()
                    })
                    .unwrap_or_default();
                (!parts.is_empty()).then_some(parts)
            })
            .collect();
        // `None` sorts first; entries without a location go last.
        v.sort_by(|&a, &b| (keys[a].is_none(), &keys[a], a).cmp(&(keys[b].is_none(), &keys[b], b)));
    }
    v
}

/// What links are resolved against.
struct Links<'m> {
    /// URL path (with the base path) of every page on the print page → its anchor.
    anchors: &'m HashMap<&'m str, String>,
    base_path: &'m str,
    base_url: &'m str,
}

impl Links<'_> {
    /// The in-page link for `url` (site-absolute, perhaps with a fragment), if its page is printed.
    fn in_page(&self, url: &str) -> Option<String> {
        let (path, frag) = url.split_once('#').unwrap_or((url, ""));
        let path = path.strip_suffix("index.html").unwrap_or(path);
        let mut key = path.to_string();
        if !key.ends_with('/') {
            key.push('/');
        }
        let target = self.anchors.get(key.as_str())?;
        Some(match frag {
            "" => format!("#{target}"),
            f => format!("#{target}:{f}"),
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
fn rewrite(html: &str, own: &str, page_url: &str, shift: u8, links: &Links) -> String {
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
        let end = tag_end(rest);
        out.push_str(&rewrite_tag(&rest[..end], own, page_url, shift, links));
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The length of the tag at the start of `s` (which starts with `<`), up to and
/// with its `>`; a `>` inside a quoted attribute value does not end it.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<u8> = None;
    for (i, &b) in s.as_bytes().iter().enumerate().skip(1) {
        match (quote, b) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(b),
            (None, b'>') => return i + 1,
            (None, b'<') if i > 1 => return i,
            _ => {}
        }
    }
    s.len()
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

    fn links_for<'m>(anchors: &'m HashMap<&'m str, String>) -> Links<'m> {
        Links {
            anchors,
            base_path: "/",
            base_url: "https://x.org/",
        }
    }

    #[test]
    fn ids_get_the_page_prefix_and_links_to_printed_pages_become_in_page() {
        let anchors: HashMap<&str, String> = [
            ("/locks/acme/d100/", anchor("locks/acme/d100/")),
            ("/guide/x/", anchor("guide/x/")),
        ]
        .into_iter()
        .collect();
        let links = links_for(&anchors);
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

    #[test]
    fn text_and_comments_are_copied_and_headings_stop_at_h6() {
        let anchors = HashMap::new();
        let links = links_for(&anchors);
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

    #[test]
    fn anchors_are_folders_with_dots() {
        assert_eq!(anchor("locks/acme/d100/"), "locks.acme.d100");
    }
}
