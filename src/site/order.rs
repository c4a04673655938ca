//! Step 5: the site's order. Guide pages by weight, then title (then content
//! path, so that equal titles keep one order); entries brand after brand (by
//! brand slug), each brand's by title (then path); one brand index per brand
//! slug, named as its first entry writes the brand; previous and next within
//! a brand; an entry is stale when it was last verified before the cutoff,
//! or never (`Verification` says which, and whether it falls due within
//! `DUE_WITHIN_DAYS`).

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

/// Orders `cores` (guide pages and entries, in any order); `base` is the
/// base path brand URLs start with.
pub fn arrange(
    cores: impl IntoIterator<Item = Arc<PageCore>>,
    base: &str,
    cutoff: Date,
) -> Ordered {
    let (entries, guides): (Vec<_>, Vec<_>) = cores.into_iter().partition(|c| c.facts.is_some());
    let (entries, brands) = by_brand(entries, base, cutoff);
    Ordered {
        guides: guide_order(guides),
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

fn guide_order(mut guides: Vec<Arc<PageCore>>) -> Vec<Page> {
    guides.sort_by(|a, b| (a.weight, &a.title, &a.rel).cmp(&(b.weight, &b.title, &b.rel)));
    guides
        .into_iter()
        .map(|core| Page { core, entry: None })
        .collect()
}

fn brand_slug(c: &PageCore) -> &str {
    c.facts.as_ref().map_or("", |f| f.brand_slug.as_str())
}

/// Entries in order, each with its place, and the brands they make.
fn by_brand(cores: Vec<Arc<PageCore>>, base: &str, cutoff: Date) -> (Vec<Page>, Vec<Brand>) {
    let cores = sorted_by_brand(cores);
    let due = due_until(cutoff);
    let mut brands: Vec<Brand> = Vec::new();
    let mut entries: Vec<Page> = Vec::with_capacity(cores.len());
    for (i, core) in cores.into_iter().enumerate() {
        let slug = brand_slug(&core);
        if brands.last().is_none_or(|b| b.slug != slug) {
            brands.push(brand(&core, base));
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
            core,
            entry: Some(entry),
        });
    }
    (entries, brands)
}

/// `cores` by brand slug, then title, then content path. The keys are
/// gathered first: comparing through each `Arc` was half of an edit's
/// `arrange` in the preview at 10k entries.
fn sorted_by_brand(cores: Vec<Arc<PageCore>>) -> Vec<Arc<PageCore>> {
    let mut keys: Vec<(&str, &str, &str, usize)> = cores
        .iter()
        .enumerate()
        .map(|(i, c)| (brand_slug(c), c.title.as_str(), c.rel.as_str(), i))
        .collect();
    // Content paths are unique, so an unstable sort gives the one order.
    keys.sort_unstable();
    let order: Vec<usize> = keys.into_iter().map(|k| k.3).collect();
    let mut slots: Vec<Option<Arc<PageCore>>> = cores.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
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

    fn rels(pages: &[Page]) -> Vec<&str> {
        pages.iter().map(|p| p.rel.as_str()).collect()
    }

    #[test]
    fn guides_go_by_weight_then_title_then_path() {
        let o = arrange(
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
        let o = arrange(
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
        let o = arrange(
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
        let o = arrange(
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
