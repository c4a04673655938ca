//! Front matter: split the YAML block off a page and deserialize it into the
//! typed metadata of a lock entry, a guide page or the home page.
//!
//! YAML stays inside this module (serde-saphyr). Its line numbers are relative
//! to the YAML block; they are shifted by the opening `---` so diagnostics
//! point at file lines.
//!
//! Parsing a page's front matter, in order:
//! 1. a NUL byte is refused at its position;
//! 2. every unknown and missing top-level key (a line scan);
//! 3. if 2 found none, the typed parse: the only parse of a good page;
//! 4. only if 2 or 3 found a problem, every other problem (`fields`): each
//!    top-level key's lines parsed on their own, every revision's keys, every
//!    duplicate key and empty required text, each at its own line; when a
//!    tab used as indentation breaks the YAML, the tabs alone.
//!
//! Submodules: `values` (booleans and dates read strictly), `errors` (the
//! YAML library's errors in lockgen's words, at file lines), `fields` (4).

pub mod emit;
mod errors;
mod fields;
mod values;

use jiff::civil::Date;
use serde::Deserialize;

use crate::diag::Diagnostic;
use errors::{TypedError, from_yaml};
use fields::{check_keys, check_required_text};
pub use values::parse_date;

pub type Extra = serde_json::Map<String, serde_json::Value>;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    #[serde(deserialize_with = "values::date")]
    pub date: Date,
    pub note: String,
    #[serde(default)]
    pub author: Option<String>,
}

const REVISION_KEYS: &[&str] = &["date", "note", "author"];

/// Someone to call about a lock: installer, manufacturer support, locksmith.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    pub role: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub url: Option<String>,
}

const CONTACT_KEYS: &[&str] = &["name", "role", "phone", "email", "url"];
const A_CONTACT: &str = "a contact";
const REVISION_REQUIRED: &[&str] = &["date", "note"];
const A_REVISION: &str = "a revision";

/// Front matter of a page under `content/locks/`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryMeta {
    pub title: String,
    pub brand: String,
    pub model: String,
    pub lock_type: Option<String>,
    pub location: Option<String>,
    #[serde(default, deserialize_with = "values::optional_date")]
    pub installed: Option<Date>,
    #[serde(default, deserialize_with = "values::optional_date")]
    pub last_verified: Option<Date>,
    pub estimated_time: Option<String>,
    #[serde(default)]
    pub tools: Vec<String>,
    #[serde(default)]
    pub warnings: Vec<String>,
    #[serde(default)]
    pub revisions: Vec<Revision>,
    #[serde(default, deserialize_with = "values::boolean")]
    pub sensitive: bool,
    pub slug: Option<String>,
    pub description: Option<String>,
    /// The `[audiences.NAME]` of site.toml that may read this page's sensitive content.
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
    pub serial: Option<String>,
    pub firmware: Option<String>,
    /// A link, or a file of the entry's bundle.
    pub manual: Option<String>,
    #[serde(default)]
    pub extra: Extra,
}

impl EntryMeta {
    /// An entry with its three required keys and nothing else.
    pub fn new(title: &str, brand: &str, model: &str) -> EntryMeta {
        EntryMeta {
            title: title.to_string(),
            brand: brand.to_string(),
            model: model.to_string(),
            lock_type: None,
            location: None,
            installed: None,
            last_verified: None,
            estimated_time: None,
            tools: vec![],
            warnings: vec![],
            revisions: vec![],
            sensitive: false,
            slug: None,
            description: None,
            audiences: vec![],
            contacts: vec![],
            serial: None,
            firmware: None,
            manual: None,
            extra: Extra::new(),
        }
    }
}

const ENTRY_KEYS: &[&str] = &[
    "title",
    "brand",
    "model",
    "lock_type",
    "location",
    "installed",
    "last_verified",
    "estimated_time",
    "tools",
    "warnings",
    "revisions",
    "sensitive",
    "slug",
    "description",
    "audiences",
    "contacts",
    "serial",
    "firmware",
    "manual",
    "extra",
];

/// Front matter of a guide page (any page outside `content/locks/`).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GuideMeta {
    pub title: String,
    #[serde(default)]
    pub weight: i64,
    pub description: Option<String>,
    #[serde(default, deserialize_with = "values::boolean")]
    pub sensitive: bool,
    #[serde(default)]
    pub revisions: Vec<Revision>,
    pub slug: Option<String>,
    /// As an entry's `audiences`.
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub extra: Extra,
}

const GUIDE_KEYS: &[&str] = &[
    "title",
    "weight",
    "description",
    "sensitive",
    "revisions",
    "slug",
    "audiences",
    "extra",
];

/// Front matter of `content/_index.md`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HomeMeta {
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub extra: Extra,
}

const HOME_KEYS: &[&str] = &["title", "description", "extra"];

// Most pages of a handbook are entries: boxing the big variant would add an
// allocation per page to save the space of the few guide pages.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Meta {
    Home(HomeMeta),
    Guide(GuideMeta),
    Entry(EntryMeta),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Home,
    Guide,
    Entry,
}

impl Kind {
    /// What a content path is: `_index.md` the home page, `locks/…` an entry, anything else a guide page.
    pub fn of(rel: &str) -> Kind {
        if rel == "_index.md" {
            Kind::Home
        } else if rel.starts_with("locks/") {
            Kind::Entry
        } else {
            Kind::Guide
        }
    }

    fn keys(self) -> &'static [&'static str] {
        match self {
            Kind::Home => HOME_KEYS,
            Kind::Guide => GUIDE_KEYS,
            Kind::Entry => ENTRY_KEYS,
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Home => "the home page",
            Kind::Guide => "a guide page",
            Kind::Entry => "a lock entry",
        }
    }
}

/// A page split into its YAML front matter and Markdown body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub body: &'a str,
    /// File line (1-based) of the body's first line.
    pub body_line: usize,
}

/// File line of the YAML block's first line: the one after the opening `---`.
const YAML_FIRST_LINE: usize = 2;

/// YAML text and the file line of its first line: the whole front matter, or
/// the lines of one top-level key (see `fields`).
#[derive(Debug, Clone, Copy)]
struct Block<'a> {
    text: &'a str,
    first_line: usize,
}

impl<'a> Block<'a> {
    fn whole(yaml: &'a str) -> Self {
        Block {
            text: yaml,
            first_line: YAML_FIRST_LINE,
        }
    }

    /// File line of the block's line `index` (0-based).
    fn file_line(self, index: usize) -> usize {
        self.first_line + index
    }
}

/// Splits `text` at its front matter delimiters: a first line `---` and the next line `---`.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let hint = "start the file with a line ---, the YAML keys, then a line ---";
    let first_end = text.find('\n').unwrap_or(text.len());
    if text[..first_end].trim_end() != "---" {
        return Err(Diagnostic::error(path, 1, 1, "missing front matter").with_hint(hint));
    }
    let mut pos = (first_end + 1).min(text.len());
    let mut line = YAML_FIRST_LINE;
    while pos < text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        if text[pos..end].trim_end() == "---" {
            let body_start = (end + 1).min(text.len());
            let body = &text[body_start..];
            if let Some(second) = second_block(body) {
                return Err(Diagnostic::error(
                    path,
                    line + 1 + second,
                    1,
                    "a second front matter block: only the first one is read",
                )
                .with_hint(
                    "merge its keys into the first block (between the first two --- lines); \
                     to start the body with a horizontal rule, write *** instead",
                ));
            }
            return Ok(Split {
                yaml: &text[first_end + 1..pos],
                body,
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(Diagnostic::error(path, 1, 1, "front matter is not closed")
        .with_hint("end the front matter with a line --- after the last key"))
}

/// The body line (0-based) of a `---` that opens a second front matter
/// block: the body's first line that is not blank. Its keys (a
/// `sensitive: true`, say) would otherwise be Markdown text, silently.
fn second_block(body: &str) -> Option<usize> {
    body.lines()
        .enumerate()
        .find(|(_, l)| !l.trim().is_empty())
        .filter(|(_, l)| l.trim_end() == "---")
        .map(|(i, _)| i)
}

/// Deserializes the front matter of a page of `kind`; `path` is only used in diagnostics.
/// Every problem is reported at once (see the module doc for how).
pub fn parse(path: &str, kind: Kind, yaml: &str) -> Result<Meta, Vec<Diagnostic>> {
    if let Some(at) = yaml.find('\0') {
        let (line, col) = crate::diag::LineIndex::new(yaml).position(yaml, at);
        let key = top_level_keys(Block::whole(yaml))
            .and_then(|keys| {
                keys.into_iter()
                    .rev()
                    .find(|(_, l)| *l < line + YAML_FIRST_LINE)
            })
            .map_or(String::new(), |(k, _)| format!("'{k}': "));
        return Err(vec![
            Diagnostic::error(
                path,
                line + YAML_FIRST_LINE - 1,
                col,
                format!("{key}NUL character in the front matter"),
            )
            .with_hint("remove the invisible NUL byte (an editor or copy-paste left it)"),
        ]);
    }
    let yaml = if yaml.trim().is_empty() { "{}" } else { yaml };
    let keys = top_level_keys(Block::whole(yaml));
    let key_errors = check_keys(path, kind, keys.as_deref());
    let typed_error = if key_errors.is_empty() {
        match typed(path, kind, Block::whole(yaml)) {
            Ok(meta) => {
                let empty = check_required_text(path, yaml, &meta);
                return if empty.is_empty() {
                    Ok(meta)
                } else {
                    Err(empty)
                };
            }
            Err(e) => Some(e),
        }
    } else {
        None
    };
    Err(fields::problems(
        path,
        kind,
        yaml,
        keys,
        key_errors,
        typed_error,
    ))
}

/// The typed parse of `block` as the front matter of a page of `kind`.
fn typed(path: &str, kind: Kind, block: Block) -> Result<Meta, TypedError> {
    match kind {
        Kind::Home => from_yaml(path, kind, block).map(Meta::Home),
        Kind::Guide => from_yaml(path, kind, block).map(Meta::Guide),
        Kind::Entry => from_yaml(path, kind, block).map(Meta::Entry),
    }
}

fn required(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Home => &[],
        Kind::Guide => &["title"],
        Kind::Entry => &["title", "brand", "model"],
    }
}

/// The top-level keys of a block mapping with their file lines; `None` for
/// other shapes (a flow mapping `{…}`), which the YAML parser then judges.
fn top_level_keys(block: Block) -> Option<Vec<(String, usize)>> {
    let mut keys = Vec::new();
    for (i, line) in block.text.lines().enumerate() {
        let first = line.chars().next();
        match first {
            None | Some(' ' | '\t' | '#' | '-') => continue,
            Some('{' | '[' | '&' | '*' | '!' | '?' | '%') => return None,
            _ => {}
        }
        let Some((key, _)) = line.split_once(':') else {
            continue;
        };
        let key = key.trim().trim_matches(|c| c == '"' || c == '\'');
        keys.push((key.to_string(), block.file_line(i)));
    }
    Some(keys)
}

fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
    }
}

/// File line of a top-level `key:` in the YAML block, or 1 when absent.
pub fn key_line(yaml: &str, key: &str) -> usize {
    yaml.lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|r| r.trim_start().starts_with(':'))
        })
        .map_or(1, |i| i + YAML_FIRST_LINE)
}

#[cfg(test)]
mod tests;
