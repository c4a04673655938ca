//! Withdrawing newly sensitive pages from a public preview whose rebuild failed.
//!
//! A failed rebuild keeps the last good site on screen. When the same edit
//! marked a page sensitive (and hiding a page typically leaves links to it,
//! which are errors), that site still shows the page, in the table of
//! contents, its brand's pages, the sitemap and its neighbours' prev/next.
//! So, in order:
//! 1. `Sensitive::find`: the files that are sensitive in the current sources
//!    (parsed ones by their flag; unparsed ones, conservatively, by a
//!    `sensitive:` line whose value is not `false`), and the pages of the last
//!    good site among them;
//! 2. `view`: a file inside such a page's output folder (its page, its
//!    bundle's assets) is dropped. Every generated HTML or XML page (home and
//!    table of contents, brand indexes, sitemap, 404: anything that is not a
//!    content page or a copied file) is replaced by a placeholder that names
//!    nothing, since lists show counts no audit can find. Content pages and
//!    copied files are scanned by an `Audit` of the pages' old titles, new
//!    titles and URLs: a hit HTML or XML file becomes the placeholder (a
//!    neighbour's prev/next, a sidebar), any other hit is dropped.
//!
//! The last good files themselves stay untouched: the next rebuild starts
//! from them again, and a page marked public again comes back.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashSet as HashSet;

use super::session::Files;
use crate::audit::{Audit, Withheld};
use crate::doc::Doc;
use crate::frontmatter;
use crate::site::Site;
use crate::url::SiteUrl;

/// What is sensitive in the current sources, as the preview must treat it.
#[derive(Debug, Default)]
pub struct Sensitive {
    /// Display paths (`content/…`) of the files that are, or may be, sensitive.
    pub files: BTreeSet<String>,
    /// Pages of the last good site that are (or may be) sensitive now.
    pub withdrawn: Vec<Withheld>,
    /// Titles of current public pages and theme words: no needles (as in `site::assemble`).
    pub public_titles: Vec<String>,
    /// Output files of the last good site's content pages (`locks/a/b/index.html`).
    pub content_pages: HashSet<String>,
    /// Text the public preview's overlay must not show: those files' titles,
    /// front matter values and old URLs, and every private-block line.
    pub secrets: Vec<String>,
}

impl Sensitive {
    /// `docs`: the parsed sources; `unparsed`: front matter text of files that
    /// failed to parse; `good`: the last good site; `theme_words`: as `site::Options` takes them.
    pub fn find(
        docs: &BTreeMap<String, Doc>,
        unparsed: &BTreeMap<String, String>,
        good: Option<&Site>,
        theme_words: &[String],
    ) -> Sensitive {
        let mut new_titles: BTreeMap<&str, String> = BTreeMap::new();
        let mut secrets: Vec<String> = Vec::new();
        let mut public_values: HashSet<String> = HashSet::default();
        let mut public_titles: Vec<String> = Vec::new();
        for d in docs.values() {
            for b in &d.blocks {
                secrets.extend(b.lines.iter().filter(|l| long_enough(l)).cloned());
            }
            if d.sensitive() {
                let title = d.title().unwrap_or_default().to_string();
                new_titles.insert(&d.rel, title.clone());
                secrets.push(title);
            } else {
                public_values.extend(front_values(&d.yaml));
                public_titles.extend(d.title().map(str::to_string));
            }
        }
        for (rel, front) in unparsed {
            if may_be_sensitive(front) {
                new_titles.insert(rel, raw_title(front).unwrap_or_default());
            }
        }
        let mut values: Vec<String> = Vec::new();
        for rel in new_titles.keys() {
            let front = docs.get(*rel).map(|d| d.yaml.as_str());
            values.extend(front_values(
                front
                    .or(unparsed.get(*rel).map(String::as_str))
                    .unwrap_or(""),
            ));
        }
        secrets.extend(values.into_iter().filter(|v| !public_values.contains(v)));

        let mut withdrawn = Vec::new();
        let mut content_pages = HashSet::default();
        let pages = good.map_or(&[][..], |s| &s.guides[..]).iter();
        for p in pages.chain(good.map_or(&[][..], |s| &s.entries[..])) {
            content_pages.insert(format!("{}index.html", p.path));
            let Some(new) = new_titles.get(p.rel.as_str()) else {
                continue;
            };
            // Its title as served, and as it is now if the same edit changed it.
            let mut titles = vec![&p.title, new];
            titles.dedup();
            for title in titles.into_iter().filter(|t| !t.is_empty()) {
                withdrawn.push(Withheld {
                    rel: p.rel.clone(),
                    title: title.clone(),
                    url: p.url.clone(),
                    path: p.path.clone(),
                });
            }
            secrets.extend([p.title.clone(), p.url.clone()]);
        }
        secrets.retain(|s| long_enough(s));
        secrets.sort();
        secrets.dedup();
        public_titles.extend(
            withdrawn
                .iter()
                .filter(|w| crate::site::is_theme_word(&w.title, theme_words))
                .map(|w| w.title.clone()),
        );
        Sensitive {
            files: new_titles
                .keys()
                .map(|rel| crate::source::display_path(rel))
                .collect(),
            withdrawn,
            public_titles,
            content_pages,
            secrets,
        }
    }
}

/// The last good files as a public preview may serve them while it has
/// errors, or `None` when nothing needs withdrawing. `copied`: which of
/// `good` are copied files (theme, `static/`, assets); `base_url`: the
/// preview's, which links are resolved against.
pub fn view(
    good: &Files,
    s: &Sensitive,
    copied: &std::collections::HashSet<String>,
    base_url: &str,
) -> Option<Files> {
    if s.withdrawn.is_empty() {
        return None;
    }
    let public: HashSet<&str> = s.public_titles.iter().map(String::as_str).collect();
    // Fail closed: without an audit, no page is shown as it was.
    let audit = Audit::new(&s.withdrawn, &public, &[], &[], SiteUrl::new(base_url)).ok();
    let kept: Vec<(Arc<str>, Arc<[u8]>)> = good
        .par_iter()
        .filter_map(|(rel, bytes)| {
            let own = s
                .withdrawn
                .iter()
                .any(|w| !w.path.is_empty() && rel.starts_with(&w.path));
            if own {
                return None;
            }
            let generated = !s.content_pages.contains(&**rel) && !copied.contains(&**rel);
            let stand_in = placeholder(rel);
            let hit = (generated && stand_in.is_some())
                || audit
                    .as_ref()
                    .is_none_or(|a| !a.scan(rel, bytes).is_empty());
            if !hit {
                return Some((rel.clone(), Arc::clone(bytes)));
            }
            stand_in.map(|b| (rel.clone(), Arc::from(b.as_bytes())))
        })
        .collect();
    Some(kept.into_iter().collect())
}

const NOTE: &str = "This page is withheld from the preview: a page it showed has been marked \
                    sensitive, and the site has errors. It comes back when they are fixed.";

/// What replaces a withheld file: a page naming nothing, for HTML and XML; nothing otherwise.
fn placeholder(rel: &str) -> Option<String> {
    let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => Some(format!(
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"robots\" content=\"noindex\">\n<title>Withheld</title>\n</head>\n\
             <body>\n<main>\n<h1>Withheld until the errors are fixed</h1>\n<p>{NOTE}</p>\n\
             </main>\n</body>\n</html>\n"
        )),
        "xml" => Some(format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- {NOTE} -->\n<withheld/>\n"
        )),
        _ => None,
    }
}

/// Whether a front matter that failed to parse may mark its page sensitive:
/// a `sensitive:` line (at any depth, quoted or not, or with the key misspelt:
/// `sensitve: true` is an error, but its author meant to hide the page) whose
/// value is not `false`. When unsure, it does.
pub fn may_be_sensitive(front: &str) -> bool {
    front.lines().any(|line| {
        let Some((key, value)) = key_value(list_item(line.trim())) else {
            return false;
        };
        means_sensitive(key) && !unquote(value).eq_ignore_ascii_case("false")
    })
}

/// `sensitive` as written, or a key within two typos of it.
fn means_sensitive(key: &str) -> bool {
    let key: String = unquote(key)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect();
    strsim::damerau_levenshtein(&key, "sensitive") <= 2
}

/// The front matter of `text` as written: the YAML block when it is
/// delimited, else (unclosed, missing) the whole text.
pub fn front_matter(text: &str) -> &str {
    match frontmatter::split("", text) {
        Ok(split) => split.yaml,
        Err(_) => text,
    }
}

/// The value of a top-level `title:` line, as written.
fn raw_title(front: &str) -> Option<String> {
    front.lines().find_map(|line| {
        let (key, value) = key_value(line)?;
        (key == "title").then(|| unquote(value).to_string())
    })
}

/// Every scalar a front matter spells out, as written (unquoted), but the
/// `sensitive` flag, booleans, numbers, dates and block scalar indicators:
/// a value may be quoted by a diagnostic. Read line by line, without a YAML
/// parser, so a front matter that does not parse still has its values found.
pub fn front_values(front: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in front.lines() {
        let t = list_item(line.trim());
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let value = match key_value(t) {
            Some((key, _)) if key.eq_ignore_ascii_case("sensitive") => continue,
            Some((_, value)) => value,
            None => t,
        };
        let value = strip_comment(value).trim();
        let parts: Vec<&str> = if value.starts_with(['[', '{']) {
            value
                .trim_matches(['[', ']', '{', '}'])
                .split(',')
                .map(|p| key_value(p.trim()).map_or(p, |(_, v)| v))
                .collect()
        } else {
            vec![value]
        };
        for p in parts {
            let v = unquote(p.trim());
            if !is_plain_scalar(v) {
                out.push(v.to_string());
            }
        }
    }
    out
}

/// `- - x` → `x`.
fn list_item(mut t: &str) -> &str {
    while let Some(rest) = t.strip_prefix("- ").or_else(|| (t == "-").then_some("")) {
        t = rest.trim_start();
    }
    t
}

/// `key: value` (or `key:`) → (key unquoted, value); `None` for a line without a key.
fn key_value(t: &str) -> Option<(&str, &str)> {
    let at = t
        .find(": ")
        .or_else(|| t.ends_with(':').then(|| t.len() - 1))?;
    let key = unquote(t[..at].trim());
    let simple = (!key.is_empty() && !key.contains([' ', '\t'])) || t.starts_with(['"', '\'']);
    simple.then(|| (key, t[at + 1..].trim()))
}

fn strip_comment(v: &str) -> &str {
    if v.starts_with(['"', '\'']) {
        return v;
    }
    v.find(" #").map_or(v, |i| &v[..i])
}

fn unquote(v: &str) -> &str {
    let v = strip_comment(v).trim();
    for q in ['"', '\''] {
        if v.len() >= 2 && v.starts_with(q) && v.ends_with(q) {
            return &v[1..v.len() - 1];
        }
    }
    v
}

/// Booleans, nulls, numbers, dates and block scalar indicators: not text a page shows as words.
fn is_plain_scalar(v: &str) -> bool {
    let lower = v.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "" | "~"
            | "null"
            | "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "|"
            | ">"
            | "|-"
            | ">-"
            | "|+"
            | ">+"
    ) || v.parse::<f64>().is_ok()
        || v.parse::<jiff::civil::Date>().is_ok()
}

/// Secrets shorter than two visible characters would only redact noise.
fn long_enough(s: &str) -> bool {
    s.chars().filter(|c| !c.is_whitespace()).count() >= 2
}

#[cfg(test)]
mod tests;
