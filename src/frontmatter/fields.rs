//! The error path: once the line scan or the typed parse has found a
//! problem, find all the others, each at its own line.
//!
//! A block mapping is cut into fields, one per top-level key: the key's line
//! and the lines after it, up to the next top-level key. Each field of a
//! known key is parsed on its own, as the page's type holding that key only,
//! so a YAML syntax error or a wrong value in one field hides nothing in the
//! others, and two bad dates are two errors. A flow mapping (`{…}`) cannot be
//! cut; the typed parse's error stands for it. A tab used as indentation can
//! hide keys from the line scan, so when there is one, the tabs are the
//! errors reported. A page that parses never comes here: it is read once.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::errors::{
    Cause, TypedError, duplicate_key, file_position, missing_key, tab_indentation, unknown_key,
};
use super::{
    A_REVISION, Block, Kind, Meta, REVISION_KEYS, REVISION_REQUIRED, key_line, required, typed,
    yaml_options,
};
use crate::diag::Diagnostic;

/// Every unknown key, and every missing required key, from the line scan's `keys`.
pub(super) fn check_keys(
    path: &str,
    kind: Kind,
    keys: Option<&[(String, usize)]>,
) -> Vec<Diagnostic> {
    let Some(keys) = keys else {
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

/// Every problem of front matter that failed: `key_errors` from the line
/// scan of its top-level `keys` (`None` for a flow mapping), and the typed
/// parse's first error, if it ran.
pub(super) fn problems(
    path: &str,
    kind: Kind,
    yaml: &str,
    keys: Option<Vec<(String, usize)>>,
    key_errors: Vec<Diagnostic>,
    typed_error: Option<TypedError>,
) -> Vec<Diagnostic> {
    let whole = Block::whole(yaml);
    let mut found = Found {
        errors: key_errors,
        tabs: vec![],
    };
    let revisions = match serde_saphyr::from_str_with_options::<RevisionsAt>(yaml, yaml_options()) {
        Ok(at) => at.revisions.unwrap_or_default(),
        Err(e) => {
            found.tabs.extend(tab_indentation(path, whole, &e));
            vec![]
        }
    };
    match &keys {
        Some(keys) => {
            let mut seen = HashSet::new();
            for (key, field) in cut(whole, keys) {
                if !kind.keys().contains(&key) {
                    continue; // reported by the line scan
                }
                if !seen.insert(key) {
                    found
                        .errors
                        .push(duplicate_key(path, key, (field.first_line, 1)));
                    continue;
                }
                check_field(path, kind, key, field, &mut found);
            }
        }
        None if kind.keys().contains(&"revisions") => {
            found
                .errors
                .extend(check_revision_keys(path, whole, &revisions));
        }
        None => {}
    }
    let Found {
        mut errors,
        mut tabs,
    } = found;
    if !tabs.is_empty() {
        crate::diag::sort(&mut tabs);
        return tabs;
    }
    // The typed parse stops at its first error: it is needed only if nothing
    // else was found, or (a flow mapping) it is not one of the revision
    // problems reported in full.
    if let Some(e) = typed_error
        && (errors.is_empty() || (keys.is_none() && e.cause != Cause::RevisionKey))
    {
        errors.push(e.diag);
    }
    errors
}

struct Found {
    errors: Vec<Diagnostic>,
    /// Tabs used as indentation.
    tabs: Vec<Diagnostic>,
}

/// The field of each top-level key: its line up to the next key's line.
fn cut<'a>(
    whole: Block<'a>,
    keys: &'a [(String, usize)],
) -> impl Iterator<Item = (&'a str, Block<'a>)> {
    let mut starts = vec![0];
    starts.extend(whole.text.match_indices('\n').map(|(i, _)| i + 1));
    let offset = move |line: usize| {
        starts
            .get(line - whole.first_line)
            .copied()
            .unwrap_or(whole.text.len())
    };
    keys.iter().enumerate().map(move |(i, (key, line))| {
        let end = keys
            .get(i + 1)
            .map_or(whole.text.len(), |(_, l)| offset(*l));
        let field = Block {
            text: &whole.text[offset(*line)..end],
            first_line: *line,
        };
        (key.as_str(), field)
    })
}

/// The problems of one field: its value read as the page's type; in
/// `revisions`, every revision's keys; a required text, present but empty.
fn check_field(path: &str, kind: Kind, key: &str, field: Block, found: &mut Found) {
    let mut errors = if key == "revisions" {
        serde_saphyr::from_str_with_options::<RevisionsAt>(field.text, yaml_options())
            .map(|at| check_revision_keys(path, field, &at.revisions.unwrap_or_default()))
            .unwrap_or_default()
    } else {
        vec![]
    };
    match typed(path, kind, field) {
        // The field alone lacks the other required keys: its value is fine.
        Ok(_)
        | Err(TypedError {
            cause: Cause::MissingKey,
            ..
        }) => {}
        Err(TypedError {
            cause: Cause::RevisionKey,
            ..
        }) if !errors.is_empty() => {}
        Err(TypedError {
            diag,
            cause: Cause::Tab,
        }) => found.tabs.push(diag),
        Err(TypedError { diag, .. }) if unknown_alias(&diag) => {}
        Err(TypedError { diag, .. }) => errors.push(diag),
    }
    if errors.is_empty() && required(kind).contains(&key) {
        let text = serde_saphyr::from_str_with_options::<HashMap<String, String>>(
            field.text,
            yaml_options(),
        );
        if let Ok(text) = text
            && text.get(key).is_some_and(|v| v.trim().is_empty())
        {
            errors.push(empty_text(path, key, field.first_line));
        }
    }
    found.errors.extend(errors);
}

/// An alias whose anchor is in another field: no problem of this field.
fn unknown_alias(diag: &Diagnostic) -> bool {
    diag.message.contains("unknown anchor")
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
fn check_revision_keys(
    path: &str,
    block: Block,
    revisions: &[Spanned<MappingKeys>],
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for revision in revisions {
        let keys = &revision.value.0;
        for key in keys {
            if !REVISION_KEYS.contains(&key.value.as_str()) {
                let at = file_position(block, Some(key.referenced));
                diags.push(unknown_key(path, A_REVISION, REVISION_KEYS, &key.value, at));
            }
        }
        for key in REVISION_REQUIRED {
            if !keys.iter().any(|k| k.value == *key) {
                let at = file_position(block, Some(revision.referenced));
                diags.push(missing_key(path, A_REVISION, key, at));
            }
        }
    }
    diags
}

/// Every required text of a page that parsed, present but empty.
pub(super) fn check_required_text(path: &str, yaml: &str, meta: &Meta) -> Vec<Diagnostic> {
    let required: Vec<(&str, &str)> = match meta {
        Meta::Home(_) => vec![],
        Meta::Guide(g) => vec![("title", &g.title)],
        Meta::Entry(e) => vec![
            ("title", &e.title),
            ("brand", &e.brand),
            ("model", &e.model),
        ],
    };
    required
        .into_iter()
        .filter(|(_, value)| value.trim().is_empty())
        .map(|(key, _)| empty_text(path, key, key_line(yaml, key)))
        .collect()
}

fn empty_text(path: &str, key: &str, line: usize) -> Diagnostic {
    Diagnostic::error(path, line, 1, format!("'{key}' is empty"))
        .with_hint(format!("write the {key} after '{key}:'"))
}
