//! The error path: key checks by line scan, revision keys read leniently,
//! and required text that is present but empty.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::errors::{file_position, missing_key, unknown_key};
use super::{
    A_REVISION, Kind, Meta, REVISION_KEYS, REVISION_REQUIRED, key_line, required, top_level_keys,
};
use crate::diag::Diagnostic;

/// Every unknown key, and every missing required key.
pub(super) fn check_keys(path: &str, kind: Kind, yaml: &str) -> Vec<Diagnostic> {
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
pub(super) struct RevisionsAt {
    #[serde(default)]
    pub revisions: Option<Vec<Spanned<MappingKeys>>>,
}

/// The keys of a mapping with their positions; the values are skipped.
pub(super) struct MappingKeys(Vec<Spanned<String>>);

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
pub(super) fn check_revision_keys(
    path: &str,
    revisions: &[Spanned<MappingKeys>],
) -> Vec<Diagnostic> {
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

pub(super) fn check_required_text(path: &str, yaml: &str, meta: &Meta) -> Result<(), Diagnostic> {
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
