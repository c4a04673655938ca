//! The verification tally behind `/status/` and `lockgen check`'s summary:
//! how many entries are current, due within `site::DUE_WITHIN_DAYS`, stale or
//! never verified — overall, per brand, per location (a node counts the
//! entries below it too) and per lock type — and the stale entries, most
//! overdue first. Built from the assembled `Site` (the sensitive filter
//! applied), in one pass over its entries.

use serde::Serialize;

use crate::site::{Site, Verification};

/// Entries in each state of verification.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub current: usize,
    pub due: usize,
    pub stale: usize,
    pub never: usize,
}

impl Counts {
    fn add(&mut self, v: Verification) {
        match v {
            Verification::Current => self.current += 1,
            Verification::Due => self.due += 1,
            Verification::Stale => self.stale += 1,
            Verification::Never => self.never += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.current + self.due + self.stale + self.never
    }

    /// `3 current, 1 due within 30 days, 2 stale, 0 never verified`.
    pub fn text(&self) -> String {
        format!(
            "{} current, {} due within {} days, {} stale, {} never verified",
            self.current,
            self.due,
            crate::site::DUE_WITHIN_DAYS,
            self.stale,
            self.never
        )
    }
}

/// An entry that needs re-verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overdue {
    /// Index into `Site::entries`.
    pub entry: usize,
    /// Days past `stale_after_days`; `None` when never verified.
    pub days: Option<i64>,
}

#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub overall: Counts,
    /// By index in `Site::brands`.
    pub brands: Vec<Counts>,
    /// By index in `Site::locations.nodes`.
    pub locations: Vec<Counts>,
    /// By index in `Site::types.types`.
    pub types: Vec<Counts>,
    /// Stale and never-verified entries: never verified first, then by days
    /// overdue, most first, then in the site's order.
    pub overdue: Vec<Overdue>,
}

/// The tally of `site`'s entries, stale after `stale_after_days`.
pub fn tally(site: &Site, stale_after_days: u32) -> Tally {
    let mut t = Tally {
        brands: vec![Counts::default(); site.brands.len()],
        locations: vec![Counts::default(); site.locations.nodes.len()],
        types: vec![Counts::default(); site.types.types.len()],
        ..Tally::default()
    };
    for (i, page) in site.entries.iter().enumerate() {
        let Some(e) = page.entry else { continue };
        let v = e.verified;
        t.overall.add(v);
        if let Some(c) = t.brands.get_mut(e.brand) {
            c.add(v);
        }
        let mut node = site.locations.of_entry.get(i).copied().flatten();
        while let Some(n) = node {
            t.locations[n].add(v);
            node = site.locations.nodes[n].parent;
        }
        if let Some(ty) = site.types.of_entry.get(i).copied().flatten() {
            t.types[ty].add(v);
        }
        let last = page.facts.as_ref().and_then(|f| f.last_verified);
        match (v, last) {
            (Verification::Never, _) => t.overdue.push(Overdue {
                entry: i,
                days: None,
            }),
            (Verification::Stale, Some(d)) => t.overdue.push(Overdue {
                entry: i,
                days: Some(overdue_days(site.today, d, stale_after_days)),
            }),
            _ => {}
        }
    }
    t.overdue
        .sort_by_key(|o| (o.days.map_or(i64::MIN, |d| -d), o.entry));
    t
}

/// The lines `lockgen check` prints: the overall counts, then per brand, per
/// top-level location and per lock type, as `/status/` shows them.
pub fn summary(site: &Site, tally: &Tally, stale_after_days: u32) -> Vec<String> {
    let mut lines = vec![format!(
        "verification on {} (stale after {stale_after_days} days): {}",
        site.today,
        tally.overall.text()
    )];
    for (b, c) in site.brands.iter().zip(&tally.brands) {
        lines.push(format!("  brand {}: {}", b.name, c.text()));
    }
    for &r in &site.locations.roots {
        let name = &site.locations.nodes[r].name;
        lines.push(format!("  location {name}: {}", tally.locations[r].text()));
    }
    for (t, c) in site.types.types.iter().zip(&tally.types) {
        lines.push(format!("  type {}: {}", t.name, c.text()));
    }
    lines
}

/// Days between `today` and `verified` beyond `limit`, as `lockgen check` says them.
pub fn overdue_days(today: jiff::civil::Date, verified: jiff::civil::Date, limit: u32) -> i64 {
    // Civil days are 24 hours each; unlike `today - d`, this cannot panic.
    today.duration_since(verified).as_hours() / 24 - i64::from(limit)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::tests::{config, doc};
    use crate::site::{Options, assemble};

    #[test]
    fn counts_go_to_brand_location_ancestors_and_type_and_overdue_is_sorted() {
        let e = |i: usize, brand: &str, loc: &str, ty: &str, verified: &str| {
            let mut yaml = format!(
                "title: E{i}\nbrand: {brand}\nmodel: M{i}\nlocation: '{loc}'\nlock_type: {ty}"
            );
            if !verified.is_empty() {
                yaml.push_str(&format!("\nlast_verified: {verified}"));
            }
            doc(&format!("locks/x/e{i}.md"), &yaml)
        };
        // Today 2026-11-01, stale after 365 days: cutoff 2025-11-01, due before 2025-12-01.
        let docs = [
            e(0, "Acme", "B / F1", "keypad", "2026-10-01"),
            e(1, "Acme", "B / F2", "keypad", "2025-11-15"),
            e(2, "Acme", "B", "safe", "2025-10-01"),
            e(3, "Bolt", "A", "safe", ""),
            e(4, "Bolt", "A", "safe", "2024-10-31"),
        ];
        let refs: Vec<&crate::doc::Doc> = docs.iter().collect();
        let opts = Options {
            private: false,
            audience: None,
            today: jiff::civil::date(2026, 11, 1),
            theme_words: &[],
        };
        let site = assemble(&config("https://x.org/"), &refs, &[], opts).unwrap();
        let t = tally(&site, 365);
        let c = |current, due, stale, never| Counts {
            current,
            due,
            stale,
            never,
        };
        assert_eq!(t.overall, c(1, 1, 2, 1));
        assert_eq!(t.brands, [c(1, 1, 1, 0), c(0, 0, 1, 1)]);
        let root = |name: &str| {
            let n = site
                .locations
                .roots
                .iter()
                .find(|&&n| site.locations.nodes[n].name == name);
            t.locations[*n.unwrap()]
        };
        assert_eq!(root("B"), c(1, 1, 1, 0), "B counts its floors");
        assert_eq!(root("A"), c(0, 0, 1, 1));
        assert_eq!(t.types, [c(1, 1, 0, 0), c(0, 0, 2, 1)]);
        let overdue: Vec<(&str, Option<i64>)> = t
            .overdue
            .iter()
            .map(|o| (site.entries[o.entry].title.as_str(), o.days))
            .collect();
        assert_eq!(overdue, [("E3", None), ("E4", Some(366)), ("E2", Some(31))]);
        assert_eq!(
            t.overall.text(),
            "1 current, 1 due within 30 days, 2 stale, 1 never verified"
        );
    }
}
