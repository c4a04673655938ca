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
//! 3. if 2 found none, the typed parse, which reports the first wrong value;
//! 4. only if 2 or 3 found a problem: a lenient pass that reads where each
//!    revision and its keys are. If the YAML parser fails there because of a
//!    tab used as indentation, that tab is the one error reported; otherwise
//!    every unknown and missing key, at the top level and in each revision,
//!    or else the typed parse's error.

use jiff::civil::Date;
use serde::Deserialize;
use serde_saphyr::{ExternalMessageSource, Location, Spanned};

use crate::config::unknown_field;
use crate::diag::{Diagnostic, did_you_mean};

pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Dates exactly as `YYYY-MM-DD` (the YAML and date libraries accept more).
mod ymd {
    use jiff::civil::Date;
    use serde::{Deserialize, Deserializer, de::Error};

    pub fn parse(s: &str) -> Result<Date, String> {
        let b = s.as_bytes();
        let shaped = b.len() == 10
            && b.iter().enumerate().all(|(i, c)| {
                if i == 4 || i == 7 {
                    *c == b'-'
                } else {
                    c.is_ascii_digit()
                }
            });
        if !shaped {
            return Err(format!("'{s}' is not a date written YYYY-MM-DD"));
        }
        s.parse::<Date>()
            .map_err(|e| format!("'{s}' is not a valid date: {e}"))
    }

    pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
        let s = String::deserialize(d)?;
        parse(&s).map_err(D::Error::custom)
    }

    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        match Option::<String>::deserialize(d)? {
            Some(s) => parse(&s).map(Some).map_err(D::Error::custom),
            None => Ok(None),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    #[serde(deserialize_with = "ymd::date")]
    pub date: Date,
    pub note: String,
    #[serde(default)]
    pub author: Option<String>,
}

const REVISION_KEYS: &[&str] = &["date", "note", "author"];
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
    #[serde(default, deserialize_with = "ymd::optional")]
    pub installed: Option<Date>,
    #[serde(default, deserialize_with = "ymd::optional")]
    pub last_verified: Option<Date>,
    pub estimated_time: Option<String>,
    #[serde(default)]
    pub tools: Vec<String>,
    #[serde(default)]
    pub warnings: Vec<String>,
    #[serde(default)]
    pub revisions: Vec<Revision>,
    #[serde(default)]
    pub sensitive: bool,
    pub slug: Option<String>,
    pub description: Option<String>,
    #[serde(default)]
    pub extra: Extra,
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
    #[serde(default)]
    pub sensitive: bool,
    #[serde(default)]
    pub revisions: Vec<Revision>,
    pub slug: Option<String>,
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
            return Ok(Split {
                yaml: &text[first_end + 1..pos],
                body: &text[body_start..],
                body_line: line + 1,
            });
        }
        pos = end + 1;
        line += 1;
    }
    Err(Diagnostic::error(path, 1, 1, "front matter is not closed")
        .with_hint("end the front matter with a line --- after the last key"))
}

/// Deserializes the front matter of a page of `kind`; `path` is only used in diagnostics.
/// Every unknown and missing key is reported at once; then the first wrong value.
pub fn parse(path: &str, kind: Kind, yaml: &str) -> Result<Meta, Vec<Diagnostic>> {
    if let Some(at) = yaml.find('\0') {
        let (line, col) = crate::diag::LineIndex::new(yaml).position(yaml, at);
        let key = top_level_keys(yaml)
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
    let key_errors = check_keys(path, kind, yaml);
    let typed_error = if key_errors.is_empty() {
        let typed = match kind {
            Kind::Home => from_yaml(path, kind, yaml).map(Meta::Home),
            Kind::Guide => from_yaml(path, kind, yaml).map(Meta::Guide),
            Kind::Entry => from_yaml(path, kind, yaml).map(Meta::Entry),
        };
        match typed {
            Ok(meta) => {
                check_required_text(path, yaml, &meta).map_err(|d| vec![d])?;
                return Ok(meta);
            }
            Err(d) => Some(d),
        }
    } else {
        None
    };
    // Something is wrong: look closer (a second parse, on the error path
    // only), so a tab is reported where it is and every revision problem at once.
    let revisions = match serde_saphyr::from_str_with_options::<RevisionsAt>(yaml, yaml_options()) {
        Ok(at) => at.revisions.unwrap_or_default(),
        Err(e) => match tab_indentation(path, yaml, &e) {
            Some(tab) => return Err(vec![tab]),
            None => vec![],
        },
    };
    let mut errors = key_errors;
    if kind.keys().contains(&"revisions") {
        errors.extend(check_revision_keys(path, &revisions));
    }
    // The typed parse stops at its first error: keep it unless it is one of
    // the revision problems just reported in full.
    if let Some(e) = typed_error
        && (errors.is_empty() || !e.revision_key)
    {
        errors.push(e.diag);
    }
    Err(errors)
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
fn top_level_keys(yaml: &str) -> Option<Vec<(String, usize)>> {
    let mut keys = Vec::new();
    for (i, line) in yaml.lines().enumerate() {
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
        keys.push((key.to_string(), i + YAML_FIRST_LINE));
    }
    Some(keys)
}

/// Every unknown key, and every missing required key.
fn check_keys(path: &str, kind: Kind, yaml: &str) -> Vec<Diagnostic> {
    let Some(keys) = top_level_keys(yaml) else {
        return vec![];
    };
    let known = kind.keys();
    let mut diags: Vec<Diagnostic> = keys
        .iter()
        .filter(|(k, _)| !known.contains(&k.as_str()))
        .map(|(k, line)| unknown_key(path, kind.noun(), known, k, (*line, 1)))
        .collect();
    for key in required(kind) {
        if !keys.iter().any(|(k, _)| k == key) {
            diags.push(missing_key(path, kind.noun(), key, (1, 1)));
        }
    }
    diags
}

/// Where the revisions and their keys are, read leniently: everything else
/// is skipped, and any error is left to the typed parse.
#[derive(Deserialize)]
struct RevisionsAt {
    #[serde(default)]
    revisions: Option<Vec<Spanned<MappingKeys>>>,
}

/// The keys of a mapping with their positions; the values are skipped.
struct MappingKeys(Vec<Spanned<String>>);

impl<'de> Deserialize<'de> for MappingKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> serde::de::Visitor<'de> for Keys {
            type Value = MappingKeys;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    map.next_value::<serde::de::IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(MappingKeys(keys))
            }
        }
        d.deserialize_map(Keys)
    }
}

/// Every unknown key in a revision, at the key, and every missing one, at the revision.
fn check_revision_keys(path: &str, revisions: &[Spanned<MappingKeys>]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for revision in revisions {
        let keys = &revision.value.0;
        for key in keys {
            if !REVISION_KEYS.contains(&key.value.as_str()) {
                let at = file_position(Some(key.referenced));
                diags.push(unknown_key(path, A_REVISION, REVISION_KEYS, &key.value, at));
            }
        }
        for key in REVISION_REQUIRED {
            if !keys.iter().any(|k| k.value == *key) {
                let at = file_position(Some(revision.referenced));
                diags.push(missing_key(path, A_REVISION, key, at));
            }
        }
    }
    diags
}

/// `unknown key 'x' in <owner>`, with the closest known key if one is close.
fn unknown_key(
    path: &str,
    owner: &str,
    known: &[&str],
    key: &str,
    (line, col): (usize, usize),
) -> Diagnostic {
    let mut text = format!("unknown key '{key}' in {owner}");
    if let Some(k) = did_you_mean(key, known) {
        text.push_str(&format!(" (did you mean '{k}'?)"));
    }
    Diagnostic::error(path, line, col, text).with_hint(format!("known keys: {}", known.join(", ")))
}

fn missing_key(path: &str, owner: &str, key: &str, (line, col): (usize, usize)) -> Diagnostic {
    let hint = if owner == A_REVISION {
        format!(
            "add '{key}: …' to this revision (a revision has a date, a note and optionally an author)"
        )
    } else {
        format!("add '{key}: …' to the front matter")
    };
    Diagnostic::error(
        path,
        line,
        col,
        format!("missing required key '{key}' in {owner}"),
    )
    .with_hint(hint)
}

fn yaml_options() -> serde_saphyr::Options {
    serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
    }
}

/// File line and column of a position in the YAML block; line 1 when unknown.
fn file_position(at: Option<Location>) -> (usize, usize) {
    let (line, col) = at.map_or((0, 0), |l| (l.line() as usize, l.column() as usize));
    if line == 0 {
        (1, col)
    } else {
        (line + YAML_FIRST_LINE - 1, col)
    }
}

/// A tab used as indentation, when that is why the YAML parser failed.
///
/// serde-saphyr reports such a tab at the start of the value before it (often
/// the line before), so find the tab itself: the first line at or after the
/// error whose indentation holds a tab, when the parser's message speaks of a
/// tab, or the error's own line when it is indented with a tab. Tabs the
/// parser accepts (after `key:`, inside a block scalar's indented text) never
/// get here.
fn tab_indentation(path: &str, yaml: &str, e: &serde_saphyr::Error) -> Option<Diagnostic> {
    let serde_saphyr::Error::ExternalMessage { source, msg, .. } = e.without_snippet() else {
        return None;
    };
    if !matches!(**source, ExternalMessageSource::Parser(_)) {
        return None;
    }
    let error_line = e.location().map_or(1, |l| (l.line() as usize).max(1));
    let tab_at = |text: &str| {
        let indent = &text[..text.len() - text.trim_start_matches([' ', '\t']).len()];
        let rest = &text[indent.len()..];
        let content = !rest.is_empty() && !rest.starts_with('#');
        indent.find('\t').filter(|_| content)
    };
    let about_tabs = msg
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.eq_ignore_ascii_case("tab") || w.eq_ignore_ascii_case("tabs"));
    let (index, col) = yaml
        .lines()
        .enumerate()
        .skip(error_line - 1)
        .take(if about_tabs { usize::MAX } else { 1 })
        .find_map(|(i, text)| tab_at(text).map(|col| (i, col + 1)))?;
    Some(
        Diagnostic::error(
            path,
            index + YAML_FIRST_LINE,
            col,
            "tab used for indentation; YAML indents with spaces",
        )
        .with_hint("replace the tabs at the start of this line with spaces"),
    )
}

/// The typed parse's first error.
struct TypedError {
    diag: Diagnostic,
    /// A missing or unknown key in a revision (the lenient pass reports
    /// those in full, at their places).
    revision_key: bool,
}

fn from_yaml<T: for<'de> Deserialize<'de>>(
    path: &str,
    kind: Kind,
    yaml: &str,
) -> Result<T, TypedError> {
    serde_saphyr::from_str_with_options(yaml, yaml_options()).map_err(|e| {
        let error = |diag, revision_key| TypedError { diag, revision_key };
        if let Some(tab) = tab_indentation(path, yaml, &e) {
            return error(tab, false);
        }
        let (line, col) = file_position(e.location());
        if let serde_saphyr::Error::SerdeMissingField { field, .. } = e.without_snippet()
            && REVISION_REQUIRED.contains(field)
        {
            return error(missing_key(path, A_REVISION, field, (line, col)), true);
        }
        if let serde_saphyr::Error::SerdeUnknownField {
            field, expected, ..
        } = e.without_snippet()
            && expected == REVISION_KEYS
        {
            let d = unknown_key(path, A_REVISION, REVISION_KEYS, field, (line, col));
            return error(d, true);
        }
        let key = top_level_keys(yaml)
            .and_then(|keys| keys.into_iter().rev().find(|(_, l)| *l <= line))
            .map(|(k, _)| k);
        let d = yaml_diagnostic(path, kind, line, col, &e.to_string(), key.as_deref());
        error(d, false)
    })
}

fn yaml_diagnostic(
    path: &str,
    kind: Kind,
    line: usize,
    col: usize,
    raw: &str,
    key: Option<&str>,
) -> Diagnostic {
    let message = strip_location(raw);
    if let Some(unknown) = unknown_field(message) {
        return unknown_key(path, kind.noun(), kind.keys(), unknown, (line, col));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return missing_key(path, kind.noun(), key, (1, 1));
    }
    // Say what the YAML library means, not how to configure it.
    let message = if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let dup = rest.split(',').next().unwrap_or(rest).trim();
        return Diagnostic::error(path, line, col, format!("duplicate key '{dup}'"))
            .with_hint("each key may appear once; remove one of them");
    } else if message.starts_with("cannot deserialize null into string") {
        "empty value where text is expected"
    } else {
        message
    };
    let hint = if message.contains("date") || message.contains("year") || message.contains("day") {
        Some("dates are written YYYY-MM-DD, e.g. 2025-03-14")
    } else if message.contains("boolean") {
        Some("write true or false, without quotes")
    } else {
        None
    };
    let message = match key {
        Some(k) => format!("'{k}': {message}"),
        None => message.to_string(),
    };
    let d = Diagnostic::error(path, line, col, message);
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

/// serde-saphyr appends " at line N, column M" to messages; we print the position ourselves.
fn strip_location(message: &str) -> &str {
    let message = message.trim();
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(", column ") => &message[..i],
        _ => message,
    }
}

fn check_required_text(path: &str, yaml: &str, meta: &Meta) -> Result<(), Diagnostic> {
    let required: Vec<(&str, &str)> = match meta {
        Meta::Home(_) => vec![],
        Meta::Guide(g) => vec![("title", &g.title)],
        Meta::Entry(e) => vec![
            ("title", &e.title),
            ("brand", &e.brand),
            ("model", &e.model),
        ],
    };
    for (key, value) in required {
        if value.trim().is_empty() {
            return Err(Diagnostic::error(
                path,
                key_line(yaml, key),
                1,
                format!("'{key}' is empty"),
            ));
        }
    }
    Ok(())
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
