//! The leak audit: what a public build left out, as needles, and two checks
//! that use them.
//!
//! Needles are the URLs and titles of sensitive pages (except a title a public
//! page also has) and each private-block line of 12 or more visible
//! characters (except lines also found in public pages' sources). Needles and
//! texts are compared in the reader's form (`reader`): what a reader would
//! see, not bytes.
//! - `TitleCheck`, before rendering: a public page whose source contains a
//!   sensitive title is an error naming both files.
//! - `Audit::scan`, on the exact bytes of every file to be published (after
//!   relativizing and minifying, whatever its name): any needle in its name or
//!   its reader's form, and any link in it that resolves to a sensitive page
//!   (`url`), fails the build.

use std::borrow::Cow;

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

use crate::reader::{self, fold, stands_alone};
use crate::url::SiteUrl;

mod escapes;
mod folders;
mod links;
mod titles;

pub use titles::{TitleCheck, secret_titles};
#[cfg(test)]
mod tests;

/// A page left out of a public build, as the audit needs it.
#[derive(Debug, Clone)]
pub struct Withheld {
    pub rel: String,
    pub title: String,
    /// URL path of the page had it been published (`/locks/a/b/`).
    pub url: String,
    /// Its output folder (`locks/a/b/`).
    pub path: String,
}

/// A public page's source as the sensitive-title check reads it: front matter
/// and body with private blocks blanked.
pub struct PublicSource<'a> {
    pub display_path: String,
    pub yaml: &'a str,
    pub body: &'a str,
    pub body_line: usize,
}

/// Where a needle must stand to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bound {
    /// Anywhere (private-block lines).
    Any,
    /// As a word (a title "Lab" is not in "label").
    Word,
    /// As a whole URL path: `locks/a/vault` is not in `locks/a/vault-2` or
    /// `mylocks/a/vault`.
    Path,
}

#[derive(Debug, Clone)]
struct Needle {
    /// In the reader's form.
    text: String,
    /// As the author wrote it, for the message.
    shown: String,
    what: String,
    bound: Bound,
}

/// The compiled needles of one public build.
#[derive(Debug, Clone)]
pub struct Audit {
    /// Output folders of withheld pages: no output file may lie in one.
    paths: folders::Folders,
    needles: Vec<Needle>,
    matcher: Option<AhoCorasick>,
    /// Site paths of withheld pages (`locks/a/b`) → what they are, for links.
    pages: HashMap<String, String>,
    /// The last segments of those paths, lower-cased: a link that has none
    /// of them as a word (`may_reach`), and no percent-encoding, backslash or
    /// line break to hide one, cannot reach one.
    segments: HashSet<String>,
    site: SiteUrl,
}

/// A needle found in an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leak {
    pub file: String,
    pub found: String,
    pub what: String,
}

pub const MIN_LINE_CHARS: usize = 12;

/// The most needles searched with a DFA (see `matcher`).
const DFA_NEEDLES: usize = 8192;

/// The audit fails closed: a needle set the matcher cannot take is an error, never "no needles".
pub type BuildError = aho_corasick::BuildError;

fn matcher(patterns: &[String]) -> Result<Option<AhoCorasick>, BuildError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    // Standard semantics, searched with overlapping iteration: every
    // occurrence of every needle is seen, so a match rejected as part of a
    // longer word cannot hide another needle at the same place. Needles and
    // texts are both folded, so the search is case-sensitive.
    // A DFA is the fastest search, but its memory grows with the needles
    // times the alphabet: 22 MB for the 10k corpus's 2,030 needles, 215 MB
    // for 100k's 19,974, a fifth of the build's. Past `DFA_NEEDLES` a
    // contiguous NFA takes a tenth of that, for a slower search.
    let kind = if patterns.len() <= DFA_NEEDLES {
        AhoCorasickKind::DFA
    } else {
        AhoCorasickKind::ContiguousNFA
    };
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(patterns)
        .map(Some)
}

/// Whether `hay[start..end]` stands where `bound` asks.
fn bound_ok(bound: Bound, hay: &str, start: usize, end: usize) -> bool {
    match bound {
        Bound::Any => true,
        Bound::Word => stands_alone(hay, start, end),
        Bound::Path => {
            let in_name = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_');
            !hay[end..].chars().next().is_some_and(in_name)
                && !hay[..start].chars().next_back().is_some_and(in_name)
        }
    }
}

/// Markdown list and quote markers in front of a line's text.
fn strip_line_markers(line: &str) -> &str {
    let mut s = line.trim();
    loop {
        let before = s;
        for p in ["- ", "* ", "+ ", "> "] {
            s = s.strip_prefix(p).unwrap_or(s).trim_start();
        }
        let digits = s.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && (s[digits..].starts_with(". ") || s[digits..].starts_with(") ")) {
            s = s[digits + 2..].trim_start();
        }
        if s == before {
            return s;
        }
    }
}

/// A private line as needles in the reader's form: as written and, when it
/// has inline Markdown, as the text it renders to, when long enough.
fn line_needles(line: &str) -> Vec<String> {
    let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count() >= MIN_LINE_CHARS;
    let line = strip_line_markers(line);
    let written = fold(line);
    let plain = fold(&markdown_plain(line));
    let mut out = Vec::new();
    if visible(&written) {
        out.push(written.clone());
    }
    if plain != written && visible(&plain) {
        out.push(plain);
    }
    out
}

/// Inline Markdown reduced to its text: `**a**` → `a`, `[t](u)` → `t`.
fn markdown_plain(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' | '~' | '[' | '_' | '\\' => {}
            '!' if chars.peek() == Some(&'[') => {}
            ']' if chars.peek() == Some(&'(') => {
                for c in chars.by_ref() {
                    if c == ')' {
                        break;
                    }
                }
            }
            ']' => {}
            c => out.push(c),
        }
    }
    out
}

impl Audit {
    /// Compiles the needles. `private_lines` are (source file, line) of every
    /// private block; `public_texts` the public pages' sources; `site` is
    /// what links are resolved against.
    pub fn new(
        withheld: &[Withheld],
        public_titles: &HashSet<&str>,
        private_lines: &[(String, String)],
        public_texts: &[&str],
        site: SiteUrl,
    ) -> Result<Audit, BuildError> {
        let mut needles = Vec::new();
        let mut pages = HashMap::default();
        for w in withheld {
            let what = format!("URL of sensitive page content/{}", w.rel);
            let path = w.path.trim_matches('/').to_lowercase();
            // Relative spellings (`RewriteRule ^x$ locks/a/b`, `url: locks/a/b`)
            // lack the leading slash; a one-segment path keeps it, or the
            // needle would be a plain word.
            let text = if path.contains('/') {
                path.clone()
            } else {
                format!("/{path}")
            };
            needles.push(Needle {
                text,
                shown: w.url.clone(),
                what: what.clone(),
                bound: Bound::Path,
            });
            pages.insert(path, format!("link to sensitive page content/{}", w.rel));
        }
        for w in secret_titles(withheld, public_titles) {
            needles.push(Needle {
                text: fold(&w.title),
                shown: w.title.clone(),
                what: format!("title of sensitive page content/{}", w.rel),
                bound: Bound::Word,
            });
        }
        // (needle, private line it comes from, source file)
        let candidates: Vec<(String, usize, &str)> = private_lines
            .iter()
            .enumerate()
            .flat_map(|(line_no, (rel, line))| {
                line_needles(line)
                    .into_iter()
                    .map(move |n| (n, line_no, rel.as_str()))
            })
            .collect();
        // A line found in public sources, as written or as text, is public:
        // all of its needles go (its text form would match the public copy).
        let public_lines: HashSet<usize> = public_occurrences(&candidates, public_texts)?
            .into_iter()
            .map(|i| candidates[i].1)
            .collect();
        for (text, line_no, rel) in &candidates {
            if !public_lines.contains(line_no) {
                needles.push(Needle {
                    text: text.clone(),
                    shown: strip_line_markers(&private_lines[*line_no].1).to_string(),
                    what: format!("private-block line of content/{rel}"),
                    bound: Bound::Any,
                });
            }
        }
        let patterns: Vec<String> = needles.iter().map(|n| n.text.clone()).collect();
        let segments: HashSet<String> = pages
            .keys()
            .map(|p| p.rsplit('/').next().unwrap_or(p).to_ascii_lowercase())
            .collect();
        let paths = folders::Folders::new(withheld.iter().map(|w| {
            (
                w.path.clone(),
                format!("output folder of sensitive page content/{}", w.rel),
            )
        }));
        Ok(Audit {
            matcher: matcher(&patterns)?,
            needles,
            pages,
            segments,
            site,
            paths,
        })
    }

    /// Whether the audit looks for nothing (a private build's, or a public
    /// build's that left nothing out): then `scan` reads no file.
    pub fn is_empty(&self) -> bool {
        self.paths.is_empty() && self.needles.is_empty() && self.segments.is_empty()
    }

    /// Needles found in a file's name or in its reader's form, and links in it
    /// that reach a withheld page.
    pub fn scan(&self, file: &str, bytes: &[u8]) -> Vec<Leak> {
        if self.is_empty() {
            return Vec::new();
        }
        let mut leaks: Vec<Leak> = self
            .paths
            .holding(file)
            .map(|(p, what)| Leak {
                file: file.to_string(),
                found: p.to_string(),
                what: what.to_string(),
            })
            .collect();
        let mut hrefs = Vec::new();
        let may_reach = |href: &str| may_reach(&self.segments, href);
        let mut bases = Vec::new();
        let views: Vec<String> = readings(bytes)
            .iter()
            .map(|text| {
                reader::markup_view(text, |tag| {
                    // A tag without `=` has no attribute value, so no URL
                    // (most tags: `/p`, `li`, `strong`).
                    if memchr::memchr(b'=', tag.as_bytes()).is_none() {
                        return;
                    }
                    links::urls_in_tag(tag, &mut |href| {
                        if may_reach(href) {
                            hrefs.push(href.to_string());
                        }
                    });
                    bases.extend(links::base_href(tag));
                })
            })
            .collect();
        // A `<base href>` moves every relative link of the file: read them
        // both ways (which base a browser takes is not this check's guess).
        // The prefilter above stays sound: a base that lies in a withheld
        // page names it, and is itself a link that reaches it.
        let moved: Vec<String> = bases
            .iter()
            .flat_map(|b| hrefs.iter().filter_map(|h| links::under_base(b, h)))
            .collect();
        hrefs.extend(moved);
        let name = format!("/{file}");
        let spaced: String = name
            .chars()
            .map(|c| if matches!(c, '-' | '_' | '.') { ' ' } else { c })
            .collect();
        if let Some(ac) = &self.matcher {
            for hay in [fold(&name), fold(&spaced)].iter().chain(&views) {
                for m in ac.find_overlapping_iter(hay) {
                    let n = &self.needles[m.pattern().as_usize()];
                    if bound_ok(n.bound, hay, m.start(), m.end()) {
                        leaks.push(Leak {
                            file: file.to_string(),
                            found: n.shown.clone(),
                            what: n.what.clone(),
                        });
                    }
                }
            }
        }
        {
            let dir = file.rfind('/').map_or("", |i| &file[..i]);
            for href in hrefs {
                if let Some(what) = self.reached(dir, &href) {
                    leaks.push(Leak {
                        file: file.to_string(),
                        found: href,
                        what: what.to_string(),
                    });
                }
            }
        }
        leaks.sort_by(|a, b| (&a.found, &a.what).cmp(&(&b.found, &b.what)));
        leaks.dedup();
        leaks
    }

    /// The withheld page a link from a file in `dir` reaches, if any.
    fn reached(&self, dir: &str, href: &str) -> Option<&str> {
        self.site
            .reached(dir, href, |p| self.pages.get(p).map(String::as_str))
    }
}

/// Whether `href` may reach a page whose last path segment is in
/// `segments`: it holds one as a word, ASCII case aside (a word: a run of
/// ASCII letters, digits and `-`, which is what a slug is made of), or it has
/// a percent-encoding, backslash, tab, line break or non-ASCII character
/// that could hide one. The exact resolution (`reached`) runs only on these.
fn may_reach(segments: &HashSet<String>, href: &str) -> bool {
    if segments.is_empty() {
        return false;
    }
    if !href.is_ascii() || href.contains(['%', '\\', '\t', '\n', '\r']) {
        return true;
    }
    let in_word = |c: char| c == '-' || c.is_ascii_alphanumeric();
    href.split(|c: char| !in_word(c)).any(|w| {
        if w.bytes().any(|b| b.is_ascii_uppercase()) {
            segments.contains(&w.to_ascii_lowercase())
        } else {
            segments.contains(w)
        }
    })
}

/// The texts a file may be read as: its UTF-8 (or, if it is not UTF-8, what
/// text there is, NULs dropped as UTF-16 text needs); and when it holds NULs,
/// also with each NUL a line break, as binary formats use them to separate
/// strings (a PNG's `Comment\0Server room master` is two words, not one);
/// and when it has backslashes, also with its JavaScript/JSON string escapes
/// decoded (`escapes`), as the search index and scripts hold text.
fn readings(bytes: &[u8]) -> Vec<Cow<'_, str>> {
    let first = match std::str::from_utf8(bytes) {
        Ok(t) => Cow::Borrowed(t),
        Err(_) => {
            let no_nul: Vec<u8> = bytes.iter().copied().filter(|&b| b != 0).collect();
            Cow::Owned(String::from_utf8_lossy(&no_nul).into_owned())
        }
    };
    let unescaped = escapes::js_unescaped(&first).map(Cow::Owned);
    let mut out = vec![first];
    if bytes.contains(&0) {
        out.push(Cow::Owned(
            String::from_utf8_lossy(bytes).replace('\0', "\n"),
        ));
    }
    out.extend(unescaped);
    out
}

/// Indexes of `candidates` found in any public text, in the reader's form.
fn public_occurrences(
    candidates: &[(String, usize, &str)],
    public_texts: &[&str],
) -> Result<HashSet<usize>, BuildError> {
    if candidates.is_empty() {
        return Ok(HashSet::default());
    }
    let patterns = candidates.iter().map(|(t, _, _)| t.as_str());
    let ac = AhoCorasickBuilder::new().build(patterns)?;
    Ok(public_texts
        .iter()
        .flat_map(|t| {
            ac.find_overlapping_iter(&fold(t))
                .map(|m| m.pattern().as_usize())
                .collect::<Vec<_>>()
        })
        .collect())
}
