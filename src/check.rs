//! `lockgen check`'s reports beyond errors: entries that need attention.
//!
//! Five kinds, all warnings (errors with `check --strict`):
//! - stale: `last_verified` missing or older than `stale_after_days`;
//! - unrevised: no `revisions`, so the footer cannot say when the procedure changed;
//! - near-miss lock type: a `lock_type` written almost like one in
//!   `risky_lock_types` (`smartlock`, `Smart lock` for `smart-lock`), which
//!   is then taken as that type;
//! - risky without warnings: a `lock_type` listed in `risky_lock_types`
//!   (a safe, a biometric or a smart lock by default) with no `warnings`;
//! - brand spellings: brands that differ only in case, spacing, punctuation
//!   or a suffix such as "Locks" or "Inc" (see `brand_spellings`);
//! - audiences (`check --private`, `audiences`): sensitive content only
//!   audiences with `all = true` read, and audiences that read none.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::diag::Diagnostic;
use crate::pipeline::Loaded;
use crate::site::{Facts, Page};

mod audiences;

/// What `lockgen check` reports about a site that has no errors.
#[derive(Debug, Default)]
pub struct Report {
    /// Every finding, one warning each, in no particular order.
    pub warnings: Vec<Diagnostic>,
    pub stale: usize,
    pub unrevised: usize,
    pub risky: usize,
    /// Lock types written almost like a risky type.
    pub near_misses: usize,
    /// Brand spellings that should be one brand, one per pair reported.
    pub brand_spellings: usize,
    /// Audience findings (`check --private`).
    pub audiences: usize,
}

pub fn report(loaded: &Loaded) -> Report {
    let mut report = Report::default();
    for page in &loaded.site.entries {
        let Some(facts) = page.facts.as_ref() else {
            continue;
        };
        let path = crate::source::display_path(&page.rel);
        if page.entry.is_some_and(|e| e.stale) {
            report.stale += 1;
            report.warnings.push(stale(&path, facts, loaded));
        }
        if page.revisions.is_empty() {
            report.unrevised += 1;
            report.warnings.push(unrevised(&path, facts));
        }
        let risky = facts
            .lock_type
            .as_deref()
            .and_then(|t| risky_type(t, &loaded.config.risky_lock_types));
        if let Some(Risky::NearMiss { written, meant }) = risky {
            report.near_misses += 1;
            report
                .warnings
                .push(near_miss(&path, facts.lines.lock_type, written, meant));
        }
        if let Some(d) = risky.and_then(|r| risky_without_warnings(&path, facts, r)) {
            report.risky += 1;
            report.warnings.push(d);
        }
    }
    let brands = brand_spellings(loaded);
    report.brand_spellings = brands.len();
    report.warnings.extend(brands);
    let audiences = audiences::report(&loaded.site, &loaded.config.audiences);
    report.audiences = audiences.len();
    report.warnings.extend(audiences);
    report
}

/// When the entry was last verified and how overdue it is.
fn stale(path: &str, facts: &Facts, loaded: &Loaded) -> Diagnostic {
    let limit = i64::from(loaded.config.stale_after_days);
    match facts.last_verified {
        Some(d) => {
            let overdue =
                crate::status::overdue_days(loaded.site.today, d, loaded.config.stale_after_days);
            Diagnostic::warning(
                path,
                facts.lines.last_verified,
                1,
                format!(
                    "stale: last verified {d}, {} days ago ({overdue} days overdue)",
                    overdue + limit
                ),
            )
            .with_hint("check the procedure on the real lock and update last_verified")
        }
        None => Diagnostic::warning(path, 1, 1, "stale: no last_verified date").with_hint(
            "add last_verified: YYYY-MM-DD once the procedure has been checked on the lock",
        ),
    }
}

fn unrevised(path: &str, facts: &Facts) -> Diagnostic {
    Diagnostic::warning(
        path,
        facts.lines.revisions,
        1,
        "no revisions: the footer cannot say when or why this procedure changed",
    )
    .with_hint("add revisions:\n    - date: YYYY-MM-DD\n      note: what was written or changed")
}

/// An entry's `lock_type` that is a risky type, as written or nearly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Risky<'a> {
    Exact(&'a str),
    NearMiss { written: &'a str, meant: &'a str },
}

/// Which of the (lowercase) `risky` types `lock_type` is, if any: the same
/// text, or a near miss: equal once case, spaces, `_` and `-` are folded
/// away, or (both folded to 4 letters or more) one typo apart.
fn risky_type<'a>(lock_type: &'a str, risky: &'a [String]) -> Option<Risky<'a>> {
    if let Some(t) = risky.iter().find(|t| *t == lock_type) {
        return Some(Risky::Exact(t));
    }
    let written = fold_type(lock_type);
    let folded: Vec<String> = risky.iter().map(|t| fold_type(t)).collect();
    let meant = risky
        .iter()
        .zip(&folded)
        .find(|(_, f)| **f == written)
        .or_else(|| {
            risky.iter().zip(&folded).find(|(_, f)| {
                f.chars().count() >= 4
                    && written.chars().count() >= 4
                    && strsim::damerau_levenshtein(f, &written) == 1
            })
        })?;
    Some(Risky::NearMiss {
        written: lock_type,
        meant: meant.0,
    })
}

/// A lock type without case, spaces, `_` and `-`.
fn fold_type(t: &str) -> String {
    t.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-'))
        .flat_map(char::to_lowercase)
        .collect()
}

fn near_miss(path: &str, line: usize, written: &str, meant: &str) -> Diagnostic {
    Diagnostic::warning(
        path,
        line,
        1,
        format!(
            "lock_type '{written}' is close to the risky type '{meant}': did you mean '{meant}'?"
        ),
    )
    .with_hint(format!(
        "write lock_type: {meant}; until then, check treats this entry as a {meant}"
    ))
}

fn risky_without_warnings(path: &str, facts: &Facts, risky: Risky) -> Option<Diagnostic> {
    if facts.warnings.iter().any(|w| !w.trim().is_empty()) {
        return None;
    }
    let lock_type = match risky {
        Risky::Exact(t) => format!("'{t}'"),
        Risky::NearMiss { written, meant } => format!("'{written}' (taken as '{meant}')"),
    };
    Some(
        Diagnostic::warning(
            path,
            facts.lines.lock_type,
            1,
            format!(
                "lock_type {lock_type} has no warnings: a reset that goes wrong on it can lock people out or wipe its codes"
            ),
        )
        .with_hint(
            "add warnings: [\"…\"] (the lockout after wrong codes, what the reset erases), \
             or change risky_lock_types in site.toml",
        ),
    )
}

/// Suffixes a brand may carry or drop: "Nordvik Locks" is Nordvik.
const BRAND_SUFFIXES: &[&str] = &["locks", "lock", "inc", "ltd", "llc", "gmbh", "co", "corp"];

/// The two keys under which brand spellings are one brand: all its letters
/// and digits, lowercase (`ACME`, `Acme`, `Nord-Vik`, `NordVik`); and those
/// without trailing suffix words (`Nordvik Locks`, `Nordvik`, `Acme Inc.`).
fn brand_keys(brand: &str) -> [String; 2] {
    let words: Vec<String> = brand
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut base = words.as_slice();
    while let [rest @ .., last] = base
        && !rest.is_empty()
        && BRAND_SUFFIXES.contains(&last.as_str())
    {
        base = rest;
    }
    [words.concat(), base.concat()]
}

/// One spelling of a brand and its entries, sorted by file.
struct Spelling<'a> {
    brand: &'a str,
    entries: Vec<&'a Page>,
}

/// One warning per brand spelling that is another, more used, spelling of
/// the same brand: at the first entry with it, naming the first entry
/// with the other.
fn brand_spellings(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut by_spelling: BTreeMap<&str, Vec<&Page>> = BTreeMap::new();
    for page in &loaded.site.entries {
        if let Some(facts) = &page.facts {
            by_spelling.entry(&facts.brand).or_default().push(page);
        }
    }
    let spellings: Vec<Spelling> = by_spelling
        .into_iter()
        .map(|(brand, mut entries)| {
            entries.sort_by(|a, b| a.rel.cmp(&b.rel));
            Spelling { brand, entries }
        })
        .collect();
    // Union-find over spellings that share a key.
    let mut parent: Vec<usize> = (0..spellings.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut first_with: HashMap<String, usize> = HashMap::new();
    for (i, s) in spellings.iter().enumerate() {
        for key in brand_keys(s.brand) {
            if key.is_empty() {
                continue;
            }
            let j = *first_with.entry(key).or_insert(i);
            let (a, b) = (root(&mut parent, i), root(&mut parent, j));
            parent[a.max(b)] = a.min(b);
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..spellings.len() {
        groups.entry(root(&mut parent, i)).or_default().push(i);
    }
    let mut warnings = Vec::new();
    for members in groups.values().filter(|m| m.len() > 1) {
        // The most used spelling is the one to keep (on a tie, the first file's).
        let Some(&keep) = members.iter().max_by(|a, b| {
            let (a, b) = (&spellings[**a], &spellings[**b]);
            (a.entries.len(), std::cmp::Reverse(&b.entries[0].rel))
                .cmp(&(b.entries.len(), std::cmp::Reverse(&a.entries[0].rel)))
        }) else {
            continue;
        };
        for &other in members.iter().filter(|m| **m != keep) {
            warnings.push(brand_spelling(loaded, &spellings[other], &spellings[keep]));
        }
    }
    warnings
}

fn brand_spelling(loaded: &Loaded, other: &Spelling, keep: &Spelling) -> Diagnostic {
    let (page, kept) = (other.entries[0], keep.entries[0]);
    let path = crate::source::display_path(&page.rel);
    let index = |p: &Page| p.entry.map(|e| e.brand);
    let where_ = if index(page) == index(kept) {
        let shown = index(page)
            .and_then(|i| loaded.site.brands.get(i))
            .map_or(keep.brand, |b| b.name.as_str());
        format!("one brand index holds both, shown as '{shown}'")
    } else {
        "these entries are in two brand indexes".to_string()
    };
    Diagnostic::warning(
        &path,
        brand_line(&loaded.config.root, &page.rel),
        1,
        format!(
            "brand '{}' is also spelled '{}' ({}): {where_}",
            other.brand,
            keep.brand,
            crate::source::display_path(&kept.rel),
        ),
    )
    .with_hint(format!(
        "write the brand one way in every entry: brand: {} is the most used",
        keep.brand
    ))
}

/// The file line of an entry's `brand:` key, read again from the file (the
/// site keeps the lines of the keys its other reports need); 1 if unreadable.
fn brand_line(root: &Path, rel: &str) -> usize {
    let path = root.join("content").join(rel);
    std::fs::read_to_string(path)
        .ok()
        .and_then(|text| {
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_string();
            crate::frontmatter::split("", &text)
                .ok()
                .map(|split| crate::frontmatter::key_line(split.yaml, "brand"))
        })
        .unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_misses_of_a_risky_type_fold_case_spaces_dashes_and_one_typo() {
        let risky: Vec<String> = ["safe", "biometric", "smart-lock"].map(String::from).into();
        for written in [
            "smartlock",
            "Smart lock",
            "smart_lock",
            "Smart-Lock ",
            "smrt-lock",
            "smart-lokc",
        ] {
            assert_eq!(
                risky_type(written, &risky),
                Some(Risky::NearMiss {
                    written,
                    meant: "smart-lock"
                }),
                "{written}"
            );
        }
        assert_eq!(
            risky_type("smart-lock", &risky),
            Some(Risky::Exact("smart-lock"))
        );
        assert_eq!(
            risky_type("Safe", &risky),
            Some(Risky::NearMiss {
                written: "Safe",
                meant: "safe"
            })
        );
        for other in ["keypad", "cabinet", "Smart Safe", "smart-door", "bio", ""] {
            assert_eq!(risky_type(other, &risky), None, "{other}");
        }
    }

    #[test]
    fn brand_spellings_share_a_key() {
        let alike = |a: &str, b: &str| {
            let (ka, kb) = (brand_keys(a), brand_keys(b));
            ka[0] == kb[0] || ka[1] == kb[1]
        };
        for (a, b) in [
            ("ACME", "Acme"),
            ("Nordvik", "Nordvik Locks"),
            ("Nordvik Lock Co.", "nordvik"),
            ("NordvikLocks", "Nordvik Locks"),
            ("Acme Inc.", "ACME"),
            ("Tarn-well GmbH", "Tarnwell"),
            ("Vault Co Ltd", "Vault"),
        ] {
            assert!(alike(a, b), "{a} / {b}");
        }
        for (a, b) in [
            ("Acme", "Acme Security"),
            ("Nordvik", "Nordvig"),
            ("Lock Co", "Co"),
        ] {
            assert!(!alike(a, b), "{a} / {b}");
        }
        // A brand that is only suffix words keeps its last one.
        assert_eq!(
            brand_keys("Lock Co"),
            ["lockco".to_string(), "lock".to_string()]
        );
    }
}
