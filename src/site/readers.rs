//! Who a build is for: the one rule the sensitive filter applies, page by
//! page. A public build shows no sensitive content; a private build shows
//! all of it; an audience's build (`--private --audience NAME`) shows the
//! sensitive pages and private blocks of the pages its audience reads
//! (`Audience`), and is a public build for the rest: those pages are left
//! out, those blocks blanked, and the audit looks for them in every file.

use std::hash::{Hash, Hasher};

use crate::config::{Audience, Config};
use crate::diag::{Diagnostic, did_you_mean};
use crate::doc::Doc;
use crate::frontmatter::key_line;

#[derive(Debug, Clone, Copy)]
pub enum Readers<'a> {
    Public,
    Everyone,
    Audience(&'a Audience),
}

impl<'a> Readers<'a> {
    /// The readers of a build: `audience` narrows a private build.
    pub fn of(private: bool, audience: Option<&'a Audience>) -> Readers<'a> {
        match (private, audience) {
            (false, _) => Readers::Public,
            (true, None) => Readers::Everyone,
            (true, Some(a)) => Readers::Audience(a),
        }
    }

    /// Whether the build shows `doc`'s sensitive content: the page itself if
    /// it is sensitive, its private blocks (marked) whatever it is.
    pub fn read(&self, doc: &Doc) -> bool {
        match self {
            Readers::Public => false,
            Readers::Everyone => true,
            Readers::Audience(a) => a.reads(doc.audiences(), doc.location()),
        }
    }

    /// Whether the build publishes `doc`'s page.
    pub fn publish(&self, doc: &Doc) -> bool {
        !doc.sensitive() || self.read(doc)
    }

    /// Whether the build is private (its pages marked as such).
    pub fn private(&self) -> bool {
        !matches!(self, Readers::Public)
    }

    /// The audience's name, for an audience's build.
    pub fn audience(&self) -> Option<&'a str> {
        match self {
            Readers::Audience(a) => Some(&a.name),
            Readers::Public | Readers::Everyone => None,
        }
    }

    /// Equal keys for builds that show the same.
    pub fn key(&self) -> u64 {
        let mut h = rustc_hash::FxHasher::default();
        match self {
            Readers::Public => 0u8.hash(&mut h),
            Readers::Everyone => 1u8.hash(&mut h),
            Readers::Audience(a) => (2u8, *a).hash(&mut h),
        }
        h.finish()
    }
}

/// An error for every name in a page's `audiences` that site.toml does not
/// declare, at its line, with the nearest declared name.
pub fn unknown_audiences(config: &Config, docs: &[&Doc]) -> Vec<Diagnostic> {
    let known: Vec<&str> = config.audiences.iter().map(|a| a.name.as_str()).collect();
    let mut diags = Vec::new();
    for doc in docs {
        for name in doc.audiences() {
            if known.contains(&name.as_str()) {
                continue;
            }
            let (line, col) = name_position(&doc.yaml, name);
            let mut message = format!("unknown audience '{name}'");
            if let Some(k) = did_you_mean(name, &known) {
                message.push_str(&format!(" (did you mean '{k}'?)"));
            }
            let hint = if known.is_empty() {
                format!("declare it in site.toml as [audiences.{name}]")
            } else {
                format!("site.toml declares: {}", known.join(", "))
            };
            diags.push(Diagnostic::error(doc.display_path(), line, col, message).with_hint(hint));
        }
    }
    diags
}

/// The file line and column of `name` at or after the `audiences:` key.
fn name_position(yaml: &str, name: &str) -> (usize, usize) {
    let key = key_line(yaml, "audiences");
    // `key_line` counts the opening `---` as line 1: yaml line i is file line i + 2.
    let first = key.saturating_sub(2);
    yaml.lines()
        .enumerate()
        .skip(first)
        .find_map(|(i, l)| l.find(name).map(|c| (i + 2, c + 1)))
        .unwrap_or((key, 1))
}
