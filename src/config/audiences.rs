//! `[audiences.NAME]` tables of `site.toml`: who may read which sensitive
//! pages. An audience reads every guide page and public entry, and the
//! sensitive pages and private blocks of the pages it is given: all of them
//! (`all = true`), those of entries whose `location` lies under one of its
//! `locations`, and those of pages that name it in their `audiences`.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::diag::{Diagnostic, LineIndex};
use crate::location;

use super::FILE;

/// One `[audiences.NAME]` table as written.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(super) struct RawAudience {
    all: bool,
    locations: Vec<String>,
    description: String,
}

/// The keys of an `[audiences.NAME]` table, for "did you mean".
pub(super) const AUDIENCE_KEYS: &[&str] = &["all", "locations", "description"];

pub(super) type RawAudiences = BTreeMap<String, toml::Spanned<RawAudience>>;

/// A validated audience.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Audience {
    /// Lowercase letters, digits and single `-`: it names the build and the
    /// passphrase's environment variable.
    pub name: String,
    /// Reads every sensitive page and private block.
    pub all: bool,
    /// The `locations` as written.
    pub locations: Vec<String>,
    /// Each of `locations` as `location::parts`.
    pub location_parts: Vec<Vec<String>>,
    pub description: String,
}

impl Audience {
    /// Whether the audience reads the sensitive content (the page, if it is
    /// sensitive, and its private blocks) of a page that names `named` in
    /// its `audiences` and, for an entry, stands at `location`.
    pub fn reads(&self, named: &[String], location: Option<&str>) -> bool {
        self.all || named.contains(&self.name) || location.is_some_and(|l| self.reads_location(l))
    }

    /// Whether an entry at `location` lies under one of the audience's locations.
    pub fn reads_location(&self, location: &str) -> bool {
        let parts = location::parts(location);
        self.location_parts
            .iter()
            .any(|under| location::is_under(&parts, under))
    }
}

/// The audiences, sorted by name, or an error for each bad one.
pub(super) fn resolve(raw: RawAudiences, text: &str, diags: &mut Vec<Diagnostic>) -> Vec<Audience> {
    let lines = LineIndex::new(text);
    let mut audiences = Vec::with_capacity(raw.len());
    for (name, table) in raw {
        let (line, col) = lines.position(text, table.span().start);
        let RawAudience {
            all,
            locations,
            description,
        } = table.into_inner();
        let at = |message: String| Diagnostic::error(FILE, line, col, message);
        if !is_name(&name) {
            diags.push(at(format!("audience name '{name}' is not lowercase letters, digits and single '-'"))
                .with_hint("an audience's name is used in --audience and in LOCKGEN_PASSPHRASE_<NAME>: write it like building-b"));
            continue;
        }
        if all && !locations.is_empty() {
            diags.push(
                at(format!("audience '{name}' has all = true and locations"))
                    .with_hint("all = true reads every page: remove locations, or all"),
            );
            continue;
        }
        let location_parts: Vec<Vec<String>> =
            locations.iter().map(|l| location::parts(l)).collect();
        if let Some(empty) = locations
            .iter()
            .zip(&location_parts)
            .find(|(_, p)| p.is_empty())
        {
            diags.push(
                at(format!(
                    "audience '{name}': location '{}' names no place",
                    empty.0
                ))
                .with_hint(
                    "write a location path such as \"Building B\" or \"Building B / Floor 2\"",
                ),
            );
            continue;
        }
        audiences.push(Audience {
            name,
            all,
            locations,
            location_parts,
            description,
        });
    }
    audiences
}

/// `building-b`, `night-staff`, `a1`: ASCII lowercase letters and digits,
/// words joined by single `-`, at most 64 characters.
fn is_name(name: &str) -> bool {
    name.len() <= 64
        && !name.is_empty()
        && name.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_lowercase_words_joined_by_dashes() {
        for good in ["managers", "building-b", "a1", "night-staff-2"] {
            assert!(is_name(good), "{good}");
        }
        for bad in [
            "",
            "Building-B",
            "building_b",
            "-x",
            "x-",
            "a--b",
            "bé",
            "a b",
        ] {
            assert!(!is_name(bad), "{bad}");
        }
    }

    #[test]
    fn an_audience_reads_the_locations_under_its_own() {
        let a = Audience {
            name: "b".into(),
            all: false,
            locations: vec!["Building B".into()],
            location_parts: vec![location::parts("Building B")],
            description: String::new(),
        };
        assert!(a.reads_location("Building B"));
        assert!(a.reads_location("building b / Floor 2 / Bin store"));
        assert!(a.reads_location("  Building   B/Floor 2"));
        assert!(!a.reads_location("Building BX"));
        assert!(!a.reads_location("Annex / Building B"));
        assert!(!a.reads_location(""));
    }
}
