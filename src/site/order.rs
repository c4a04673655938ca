//! Step 5: the site's order. Guide pages by weight, then title (then content
//! path, so that equal titles keep one order); entries brand after brand (by
//! brand slug), each brand's by title (then path); one brand index per brand
//! slug, named as its first entry writes the brand; previous and next within
//! a brand; an entry is stale when it was last verified before the cutoff,
//! or never (`Verification` says which, and whether it falls due within
//! `DUE_WITHIN_DAYS`).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use jiff::civil::Date;

use super::urls::BRANDS;
use super::{Brand, Entry, Page, PageCore, Verification};

/// An entry verified on or after the stale cutoff but fewer than this many
/// days after it becomes stale within this many days: it is due.
pub const DUE_WITHIN_DAYS: u32 = 30;

/// The kept pages in the site's order, with the brand indexes.
#[derive(Debug)]
pub struct Ordered {
    pub guides: Vec<Page>,
    pub entries: Vec<Page>,
    pub brands: Vec<Brand>,
}

/// Where each kept page goes, as indexes into the cores it was worked out
/// from: the guides in order, then the entries in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sequence {
    guides: Vec<usize>,
    entries: Vec<usize>,
}

/// The site's order of `cores` (guide pages and entries, in any order):
/// guides by weight, title, content path; entries by brand slug, title,
/// content path. Content paths are unique, so the order is total.
pub fn sequence(cores: &[Arc<PageCore>]) -> Sequence {
    let (entries, mut guides): (Vec<usize>, Vec<usize>) =
        (0..cores.len()).partition(|&i| cores[i].facts.is_some());
    guides.sort_unstable_by(|&a, &b| {
        let (a, b) = (&cores[a], &cores[b]);
        (a.weight, &a.title, &a.rel).cmp(&(b.weight, &b.title, &b.rel))
    });
    // The keys are gathered first: comparing through each `Arc` was half of
    // an edit's `arrange` in the preview at 10k entries.
    let mut keys: Vec<(&str, &str, &str, usize)> = entries
        .into_iter()
        .map(|i| {
            let c = &cores[i];
            (brand_slug(c), c.title.as_str(), c.rel.as_str(), i)
        })
        .collect();
    keys.sort_unstable();
    Sequence {
        guides,
        entries: keys.into_iter().map(|k| k.3).collect(),
    }
}

/// A hash of everything `sequence` reads of `cores`, in their order. Hashing
/// is one pass where sorting 10,000 entries compares each a dozen times, so
/// the preview keeps the sequence while this key holds.
pub fn sequence_key(cores: &[Arc<PageCore>]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for c in cores {
        (c.facts.is_some(), c.weight, brand_slug(c), &c.title, &c.rel).hash(&mut h);
    }
    h.finish()
}

/// `cores` in `seq`'s order (`sequence(cores)`), each entry with its place,
/// and the brand indexes; `base` is the base path brand URLs start with.
pub fn arrange(cores: &[Arc<PageCore>], seq: &Sequence, base: &str, cutoff: Date) -> Ordered {
    let guides = seq
        .guides
        .iter()
        .map(|&i| Page {
            core: Arc::clone(&cores[i]),
            entry: None,
        })
        .collect();
    let (entries, brands) = by_brand(seq.entries.iter().map(|&i| &cores[i]), base, cutoff);
    Ordered {
        guides,
        entries,
        brands,
    }
}

/// The day from which a verification is current, not due: `DUE_WITHIN_DAYS`
/// after the stale `cutoff` (none past the last date).
fn due_until(cutoff: Date) -> Option<Date> {
    jiff::Span::new()
        .try_days(i64::from(DUE_WITHIN_DAYS))
        .and_then(|days| cutoff.checked_add(days))
        .ok()
}

/// Where a last verification `d` stands against the stale `cutoff`; `due`
/// is `due_until(cutoff)`, worked out once for all entries.
fn verification_by(d: Option<Date>, cutoff: Date, due: Option<Date>) -> Verification {
    match d {
        None => Verification::Never,
        Some(d) if d < cutoff => Verification::Stale,
        // Past the last date there is no later day to be current by.
        Some(d) if due.is_none_or(|due| d < due) => Verification::Due,
        Some(_) => Verification::Current,
    }
}

/// The day before which a last verification is stale: `days` before `today`.
pub fn stale_cutoff(today: Date, days: u32) -> Date {
    jiff::Span::new()
        .try_days(i64::from(days))
        .and_then(|days| today.checked_sub(days))
        .unwrap_or(Date::MIN)
}

fn brand_slug(c: &PageCore) -> &str {
    c.facts.as_ref().map_or("", |f| f.brand_slug.as_str())
}

/// Entries (in order), each with its place, and the brands they make.
fn by_brand<'a>(
    cores: impl ExactSizeIterator<Item = &'a Arc<PageCore>>,
    base: &str,
    cutoff: Date,
) -> (Vec<Page>, Vec<Brand>) {
    let due = due_until(cutoff);
    let mut brands: Vec<Brand> = Vec::new();
    let mut entries: Vec<Page> = Vec::with_capacity(cores.len());
    for (i, core) in cores.enumerate() {
        let slug = brand_slug(core);
        if brands.last().is_none_or(|b| b.slug != slug) {
            brands.push(brand(core, base));
        }
        let brand_ix = brands.len() - 1;
        let brand = &mut brands[brand_ix];
        let prev = brand.entries.last().copied();
        brand.entries.push(i);
        if let Some(e) = prev
            .and_then(|p| entries.get_mut(p))
            .and_then(|p| p.entry.as_mut())
        {
            e.next = Some(i);
        }
        let last_verified = core.facts.as_ref().and_then(|f| f.last_verified);
        let verified = verification_by(last_verified, cutoff, due);
        let entry = Entry {
            brand: brand_ix,
            stale: matches!(verified, Verification::Stale | Verification::Never),
            verified,
            prev,
            next: None,
        };
        entries.push(Page {
            core: Arc::clone(core),
            entry: Some(entry),
        });
    }
    (entries, brands)
}

/// The brand index that `first`, the first entry of its brand, opens.
fn brand(first: &PageCore, base: &str) -> Brand {
    let slug = brand_slug(first).to_string();
    let path = format!("{BRANDS}{slug}/");
    Brand {
        name: first
            .facts
            .as_ref()
            .map_or(String::new(), |f| f.brand.clone()),
        url: format!("{base}{path}"),
        path,
        slug,
        entries: vec![],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontmatter::Extra;
    use crate::site::{FactLines, Facts};
    use jiff::civil::date;

    fn core(rel: &str, title: &str, weight: i64, facts: Option<Facts>) -> Arc<PageCore> {
        Arc::new(PageCore {
            rel: rel.into(),
            path: String::new(),
            url: String::new(),
            title: title.into(),
            description: None,
            sensitive: false,
            has_private: false,
            audiences: vec![],
            html: Arc::from(""),
            toc: vec![],
            revisions: vec![],
            weight,
            extra: Extra::new(),
            facts,
            print_weight: std::sync::OnceLock::new(),
        })
    }

    /// `arrange` in the order `sequence` gives.
    fn ordered(
        cores: impl IntoIterator<Item = Arc<PageCore>>,
        base: &str,
        cutoff: Date,
    ) -> Ordered {
        let cores: Vec<Arc<PageCore>> = cores.into_iter().collect();
        arrange(&cores, &sequence(&cores), base, cutoff)
    }

    fn guide(rel: &str, title: &str, weight: i64) -> Arc<PageCore> {
        core(rel, title, weight, None)
    }

    fn entry(rel: &str, title: &str, brand: &str, verified: Option<Date>) -> Arc<PageCore> {
        let facts = Facts {
            brand: brand.into(),
            brand_slug: crate::slug::slugify(brand),
            model: "M".into(),
            lock_type: None,
            location: None,
            installed: None,
            last_verified: verified,
            lines: FactLines {
                last_verified: 1,
                lock_type: 1,
                revisions: 1,
            },
            estimated_time: None,
            tools: vec![],
            warnings: vec![],
            contacts: vec![],
            serial: None,
            firmware: None,
            manual: None,
        };
        core(rel, title, 0, Some(facts))
    }

    #[test]
    fn the_sequence_key_follows_what_orders_the_pages_and_nothing_else() {
        let site = |title: &str, brand: &str, weight: i64, verified: Option<Date>| {
            vec![
                entry("l/a/1.md", title, brand, verified),
                entry("l/a/2.md", "Two", "A", None),
                guide("g/x.md", "X", weight),
            ]
        };
        let key = sequence_key(&site("One", "A", 1, None));
        assert_eq!(
            sequence_key(&site("One", "A", 1, Some(date(2026, 1, 1)))),
            key,
            "staleness is worked out again by `arrange`, not kept"
        );
        for other in [
            site("Zero", "A", 1, None),
            site("One", "B", 1, None),
            site("One", "A", 2, None),
        ] {
            assert_ne!(sequence_key(&other), key);
        }
        let mut swapped = site("One", "A", 1, None);
        swapped.swap(0, 1);
        assert_ne!(
            sequence_key(&swapped),
            key,
            "indexes follow the given order"
        );
        let cores = site("Zero", "A", 1, None);
        let o = arrange(&cores, &sequence(&cores), "/", date(2026, 1, 1));
        assert_eq!(rels(&o.entries), ["l/a/2.md", "l/a/1.md"]);
    }

    fn rels(pages: &[Page]) -> Vec<&str> {
        pages.iter().map(|p| p.rel.as_str()).collect()
    }

    #[test]
    fn guides_go_by_weight_then_title_then_path() {
        let o = ordered(
            [
                guide("g/c.md", "Same", 1),
                guide("g/a.md", "Zed", 0),
                guide("g/b.md", "Same", 1),
                guide("g/d.md", "Alpha", 1),
            ],
            "/",
            Date::MIN,
        );
        assert_eq!(rels(&o.guides), ["g/a.md", "g/d.md", "g/b.md", "g/c.md"]);
        assert!(o.guides.iter().all(|g| g.entry.is_none()));
        assert!(o.entries.is_empty() && o.brands.is_empty());
    }

    #[test]
    fn entries_go_brand_after_brand_each_by_title() {
        let o = ordered(
            [
                entry("l/z/b.md", "B", "Zeta", None),
                entry("l/a/y.md", "Y", "Acme Locks", None),
                entry("l/z/a.md", "A", "zeta", None),
                entry("l/a/x.md", "X", "acme locks", None),
                guide("g/a.md", "G", 0),
            ],
            "/hb/",
            Date::MIN,
        );
        assert_eq!(
            rels(&o.entries),
            ["l/a/x.md", "l/a/y.md", "l/z/a.md", "l/z/b.md"]
        );
        assert_eq!(rels(&o.guides), ["g/a.md"]);
        let brands: Vec<(&str, &str, &str, &[usize])> = o
            .brands
            .iter()
            .map(|b| {
                (
                    b.name.as_str(),
                    b.path.as_str(),
                    b.url.as_str(),
                    &b.entries[..],
                )
            })
            .collect();
        assert_eq!(
            brands,
            [
                (
                    "acme locks",
                    "brands/acme-locks/",
                    "/hb/brands/acme-locks/",
                    &[0, 1][..]
                ),
                ("zeta", "brands/zeta/", "/hb/brands/zeta/", &[2, 3][..]),
            ],
            "named as the brand's first entry writes it"
        );
    }

    #[test]
    fn neighbours_stay_within_a_brand() {
        let o = ordered(
            [
                entry("l/a/1.md", "1", "A", None),
                entry("l/a/2.md", "2", "A", None),
                entry("l/a/3.md", "3", "A", None),
                entry("l/b/1.md", "1", "B", None),
            ],
            "/",
            Date::MIN,
        );
        let places: Vec<(usize, Option<usize>, Option<usize>)> = o
            .entries
            .iter()
            .map(|p| p.entry.unwrap())
            .map(|e| (e.brand, e.prev, e.next))
            .collect();
        assert_eq!(
            places,
            [
                (0, None, Some(1)),
                (0, Some(0), Some(2)),
                (0, Some(1), None),
                (1, None, None)
            ]
        );
    }

    #[test]
    fn an_entry_verified_before_the_cutoff_or_never_is_stale() {
        let cutoff = date(2026, 1, 10);
        let o = ordered(
            [
                entry("l/a/1.md", "1", "A", Some(date(2026, 1, 9))),
                entry("l/a/2.md", "2", "A", Some(cutoff)),
                entry("l/a/3.md", "3", "A", None),
            ],
            "/",
            cutoff,
        );
        let stale: Vec<bool> = o.entries.iter().map(|p| p.entry.unwrap().stale).collect();
        assert_eq!(stale, [true, false, true]);
    }

    #[test]
    fn verification_is_never_stale_due_within_30_days_or_current() {
        let cutoff = date(2026, 1, 10);
        let v = |d| verification_by(d, cutoff, due_until(cutoff));
        assert_eq!(v(None), Verification::Never);
        assert_eq!(v(Some(date(2026, 1, 9))), Verification::Stale);
        assert_eq!(v(Some(cutoff)), Verification::Due);
        assert_eq!(v(Some(date(2026, 2, 8))), Verification::Due);
        assert_eq!(v(Some(date(2026, 2, 9))), Verification::Current);
        assert_eq!(
            verification_by(Some(Date::MAX), Date::MAX, due_until(Date::MAX)),
            Verification::Due
        );
    }

    #[test]
    fn the_cutoff_is_days_before_today_and_never_panics() {
        assert_eq!(stale_cutoff(date(2026, 3, 1), 1), date(2026, 2, 28));
        assert_eq!(stale_cutoff(date(2026, 3, 1), 365), date(2025, 3, 1));
        assert_eq!(stale_cutoff(date(-9999, 1, 5), 36500), Date::MIN);
    }
}
