//! Markdown body → HTML, heading table of contents and link problems.
//!
//! Steps, in order, each a small function over pulldown-cmark's events:
//! 1. parse with tables, footnotes, strikethrough and task lists;
//! 2. `escape_raw_html`: raw HTML becomes text unless `unsafe_html` (the
//!    private-block markers written by `private.rs` always pass);
//! 3. `resolve_link`: link and image destinations go through the page's
//!    `Links` resolver; a failure becomes a diagnostic at the link's line;
//! 4. `heading`: h1–h6 get a stable unique id, h2–h4 a self-link anchor, and
//!    h2/h3 feed the table of contents;
//! 5. `focusable_code`: a code block's `<pre>` gets `tabindex="0"`, so a
//!    block that scrolls sideways can be scrolled from the keyboard;
//! 6. `pulldown_cmark::html::push_html`.

use std::collections::HashSet;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use serde::Serialize;

use crate::diag::{Diagnostic, LineIndex};
use crate::private::Preprocessed;

/// Rewrites link destinations: `Ok(Some(url))` replaces, `Ok(None)` keeps, `Err(message)` reports.
pub trait Links {
    fn resolve(&self, dest: &str) -> Result<Option<String>, String>;
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    pub level: u8,
    pub id: String,
    pub title: String,
    pub children: Vec<TocEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocEntry>,
    pub problems: Vec<Diagnostic>,
}

/// The Markdown dialect lockgen renders: CommonMark with tables, footnotes,
/// strikethrough, task lists and heading attributes. Everything that asks
/// "is this line code?" (the private-block scanner) parses with these same
/// options, so the two can never disagree.
pub fn options() -> Options {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_FOOTNOTES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    opts.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    opts
}

/// Renders a preprocessed body; `path` names the file in diagnostics.
pub fn render(path: &str, doc: &Preprocessed, unsafe_html: bool, links: &dyn Links) -> Rendered {
    let opts = options();

    let index = LineIndex::new(&doc.body);
    let position = |offset: usize| {
        let (line, col) = index.position(&doc.body, offset);
        (doc.line_of.get(line - 1).copied().unwrap_or(line), col)
    };

    let mut problems = Vec::new();
    let mut ids = HashSet::new();
    let mut headings: Vec<(u8, String, String)> = Vec::new();
    let mut events: Vec<Event> = Vec::new();
    let mut heading_buf: Option<HeadingBuf> = None;

    for (event, range) in Parser::new_ext(&doc.body, opts).into_offset_iter() {
        let event = escape_raw_html(event, &range, &doc.markers, unsafe_html);
        let event = focusable_code(event);
        let event = match resolve_link(event, links, unsafe_html) {
            Ok(e) => e,
            Err((e, message)) => {
                let (line, col) = position(range.start);
                problems.push(Diagnostic::error(path, line, col, message));
                e
            }
        };
        match event {
            Event::Start(Tag::Heading { level, id, .. }) => {
                heading_buf = Some(HeadingBuf {
                    level,
                    id: id.map(|s| s.to_string()),
                    inner: Vec::new(),
                });
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading_buf.take() {
                    let (lvl, id, title) = heading(h, &mut ids, &mut events);
                    headings.push((lvl, id, title));
                }
            }
            other => match &mut heading_buf {
                Some(h) => h.inner.push(other),
                None => events.push(other),
            },
        }
    }

    let mut html = String::with_capacity(doc.body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered {
        html,
        toc: toc(&headings),
        problems,
    }
}

struct HeadingBuf<'a> {
    level: HeadingLevel,
    id: Option<String>,
    inner: Vec<Event<'a>>,
}

fn escape_raw_html<'a>(
    event: Event<'a>,
    range: &Range<usize>,
    markers: &[Range<usize>],
    unsafe_html: bool,
) -> Event<'a> {
    match event {
        Event::Html(s) | Event::InlineHtml(s) if !unsafe_html && !overlaps(range, markers) => {
            Event::Text(s)
        }
        Event::Html(s) if overlaps(range, markers) => Event::Html(s),
        e => e,
    }
}

/// `<pre tabindex="0">` for code blocks (pulldown-cmark writes a bare
/// `<pre>`): a block wider than the screen scrolls, and keyboard users can
/// only scroll what they can focus.
fn focusable_code(event: Event<'_>) -> Event<'_> {
    match event {
        Event::Start(Tag::CodeBlock(kind)) => {
            let lang = match &kind {
                CodeBlockKind::Fenced(info) => info.split(' ').next().unwrap_or(""),
                CodeBlockKind::Indented => "",
            };
            let class = if lang.is_empty() {
                String::new()
            } else {
                format!(" class=\"language-{}\"", attr_escape(lang))
            };
            Event::Html(CowStr::from(format!("\n<pre tabindex=\"0\"><code{class}>")))
        }
        Event::End(TagEnd::CodeBlock) => Event::Html(CowStr::from("</code></pre>\n")),
        e => e,
    }
}

fn attr_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn overlaps(range: &Range<usize>, markers: &[Range<usize>]) -> bool {
    markers
        .iter()
        .any(|m| m.start < range.end && range.start < m.end)
}

type LinkResult<'a> = Result<Event<'a>, (Event<'a>, String)>;

/// A link or image destination that runs code when followed or loaded
/// (`javascript:`, `vbscript:`, and `data:` except images in `<img>`).
fn is_script_url(dest: &str, image: bool) -> bool {
    let cleaned: String = dest
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(16)
        .collect();
    let lower = cleaned.to_ascii_lowercase();
    lower.starts_with("javascript:")
        || lower.starts_with("vbscript:")
        || (lower.starts_with("data:")
            && !(image && lower.starts_with("data:image/") && !lower.starts_with("data:image/svg")))
}

fn resolve_link<'a>(event: Event<'a>, links: &dyn Links, unsafe_html: bool) -> LinkResult<'a> {
    let event = match event {
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) if !unsafe_html && is_script_url(&dest_url, false) => {
            let message =
                format!("link to a script URL '{dest_url}' (allowed only with unsafe_html = true)");
            return Err((
                Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from("#"),
                    title,
                    id,
                }),
                message,
            ));
        }
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) if !unsafe_html && is_script_url(&dest_url, true) => {
            let message = format!(
                "image from a script URL '{dest_url}' (allowed only with unsafe_html = true)"
            );
            return Err((
                Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::from(""),
                    title,
                    id,
                }),
                message,
            ));
        }
        e => e,
    };
    let Event::Start(tag) = event else {
        return Ok(event);
    };
    let (tag, result) = match tag {
        Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        } => {
            let r = links.resolve(&dest_url);
            let dest_url = match &r {
                Ok(Some(url)) => CowStr::from(url.clone()),
                _ => dest_url,
            };
            (
                Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                },
                r,
            )
        }
        Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        } => {
            let r = links.resolve(&dest_url);
            let dest_url = match &r {
                Ok(Some(url)) => CowStr::from(url.clone()),
                _ => dest_url,
            };
            (
                Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                },
                r,
            )
        }
        other => return Ok(Event::Start(other)),
    };
    match result {
        Ok(_) => Ok(Event::Start(tag)),
        Err(message) => Err((Event::Start(tag), message)),
    }
}

/// Emits a heading with its id (and anchor for h2–h4); returns (level, id, plain title).
fn heading<'a>(
    h: HeadingBuf<'a>,
    ids: &mut HashSet<TakenId>,
    out: &mut Vec<Event<'a>>,
) -> (u8, String, String) {
    let level = h.level as u8;
    let title: String = h
        .inner
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    let base = h.id.unwrap_or_else(|| match crate::slug::slugify(&title) {
        s if s.is_empty() => "section".to_string(),
        s => s,
    });
    let id = unique_id(ids, base);
    let id_attr = pulldown_cmark_escape_attr(&id);
    out.push(Event::Html(format!("<h{level} id=\"{id_attr}\">").into()));
    out.extend(h.inner);
    if (2..=4).contains(&level) {
        out.push(Event::Html(
            format!(
                " <a class=\"anchor\" href=\"#{id_attr}\" aria-label=\"Link to this section\">#</a>"
            )
            .into(),
        ));
    }
    out.push(Event::Html(format!("</h{level}>\n").into()));
    (level, id, title.trim().to_string())
}

/// A heading id already in use on the page, with the next suffix to try
/// when another heading wants it as its base id.
///
/// Equal and hashed by `id` alone, so the set can be searched by a `&str`.
#[derive(Debug)]
struct TakenId {
    id: String,
    next_suffix: usize,
}

impl PartialEq for TakenId {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Eq for TakenId {}

impl std::hash::Hash for TakenId {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.id.hash(state);
    }
}

impl std::borrow::Borrow<str> for TakenId {
    fn borrow(&self) -> &str {
        &self.id
    }
}

/// `base` if it is free, else the first free of `base-1`, `base-2`, ….
///
/// Each taken base remembers where its search stopped: ids are never freed,
/// so the suffixes below it are still taken and the next search starts
/// there. N headings with one title cost O(N), not O(N²) (and a heading
/// literally titled "Reset 1" still pushes the second "Reset" to `reset-2`).
fn unique_id(ids: &mut HashSet<TakenId>, base: String) -> String {
    let Some(mut taken) = ids.take(base.as_str()) else {
        ids.insert(TakenId {
            id: base.clone(),
            next_suffix: 1,
        });
        return base;
    };
    let id = loop {
        let candidate = format!("{base}-{}", taken.next_suffix);
        taken.next_suffix += 1;
        if !ids.contains(candidate.as_str()) {
            break candidate;
        }
    };
    ids.insert(taken);
    ids.insert(TakenId {
        id: id.clone(),
        next_suffix: 1,
    });
    id
}

fn pulldown_cmark_escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("&quot;"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Nests h3 under the h2 before it; h2 and h3 only.
fn toc(headings: &[(u8, String, String)]) -> Vec<TocEntry> {
    let mut out: Vec<TocEntry> = Vec::new();
    for (level, id, title) in headings.iter().filter(|h| h.0 == 2 || h.0 == 3) {
        let entry = TocEntry {
            level: *level,
            id: id.clone(),
            title: title.clone(),
            children: vec![],
        };
        match (level, out.last_mut()) {
            (3, Some(parent)) => parent.children.push(entry),
            _ => out.push(entry),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::private::preprocess;

    struct NoLinks;
    impl Links for NoLinks {
        fn resolve(&self, dest: &str) -> Result<Option<String>, String> {
            match dest {
                "missing.md" => Err("link to missing page".into()),
                "other.md" => Ok(Some("/other/".into())),
                _ => Ok(None),
            }
        }
    }

    fn md(body: &str, unsafe_html: bool) -> Rendered {
        let p = preprocess("x.md", body, 5, false).unwrap();
        render("x.md", &p, unsafe_html, &NoLinks)
    }

    #[test]
    fn code_blocks_are_focusable_so_the_keyboard_can_scroll_them() {
        let r = md(
            "```sh\nlockgen build <x> & y\n```\n\n    indented\n\n```a\"b\n```\n\nText `inline`.\n",
            false,
        );
        assert!(
            r.html.contains(
                "<pre tabindex=\"0\"><code class=\"language-sh\">lockgen build &lt;x&gt; &amp; y\n</code></pre>"
            ),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<pre tabindex=\"0\"><code>indented\n</code></pre>")
        );
        assert!(
            r.html.contains("<code class=\"language-a&quot;b\">"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<pre>"), "{}", r.html);
        assert!(r.html.contains("<code>inline</code>"));
    }

    #[test]
    fn headings_get_ids_anchors_and_toc() {
        let r = md(
            "## Before you start\n### Tools\n## Reset\n## Reset\n",
            false,
        );
        assert!(r.html.contains("<h2 id=\"before-you-start\">Before you start <a class=\"anchor\" href=\"#before-you-start\""));
        assert!(r.html.contains("<h2 id=\"reset-1\">"));
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[0].children[0].id, "tools");
    }

    #[test]
    fn repeated_headings_get_numbered_ids_that_never_collide() {
        let r = md(
            "## Reset\n## Reset 1\n## Reset\n## Reset\n## Reset 1\n",
            false,
        );
        let ids: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["reset", "reset-1", "reset-2", "reset-3", "reset-1-1"]);
    }

    #[test]
    fn twenty_thousand_identical_headings_get_unique_ids_in_order() {
        let n = 20_000;
        let r = md(&"## Reset\n".repeat(n), false);
        let ids: Vec<_> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids.len(), n);
        assert_eq!(ids[0], "reset");
        for (i, id) in ids.iter().enumerate().skip(1) {
            assert_eq!(*id, format!("reset-{i}"));
        }
        let unique: HashSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), n);
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let r = md("<script>alert(1)</script>\n\nx <b>y</b>\n", false);
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("&lt;script&gt;"));
        assert!(r.html.contains("&lt;b&gt;"));
        let r = md("<b>y</b>\n", true);
        assert!(r.html.contains("<b>y</b>"));
    }

    #[test]
    fn private_markers_survive_escaping() {
        let p = preprocess("x.md", "::: private\n**hidden**\n:::\n", 1, true).unwrap();
        let r = render("x.md", &p, false, &NoLinks);
        assert!(
            r.html
                .contains("<div class=\"private-block\" id=\"private-1\">"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<strong>hidden</strong>"));
    }

    #[test]
    fn links_are_rewritten_and_broken_ones_reported_with_file_line() {
        let r = md("text\n\n[a](other.md) and [b](missing.md)\n", false);
        assert!(r.html.contains("href=\"/other/\""));
        assert_eq!(r.problems.len(), 1);
        assert_eq!((r.problems[0].line, r.problems[0].col), (7, 19));
    }

    #[test]
    fn script_urls_are_neutralised_unless_unsafe_html() {
        let r = md(
            "[a](javascript:alert(1)) [b]( JaVaScRiPt:x) ![c](data:text/html,x) [d](data:text/html,y)\n",
            false,
        );
        assert!(
            !r.html.to_ascii_lowercase().contains("javascript:"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("data:text"), "{}", r.html);
        assert_eq!(r.problems.len(), 4);
        let r = md("![ok](data:image/png;base64,AAAA)\n", false);
        assert!(r.html.contains("data:image/png"));
        let r = md("[a](javascript:alert(1))\n", true);
        assert!(r.html.contains("javascript:alert"));
    }

    #[test]
    fn extensions_are_on() {
        let r = md(
            "| a |\n|---|\n| b |\n\n~~x~~\n\n- [x] done\n\nn[^1]\n\n[^1]: f\n",
            false,
        );
        for needle in ["<table>", "<del>", "checkbox", "footnote"] {
            assert!(r.html.contains(needle), "{needle}: {}", r.html);
        }
    }
}
