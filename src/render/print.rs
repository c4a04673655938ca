//! `/print/`: the whole handbook for the binder by the door and for
//! `build --pdf`, built from the assembled `Site` like every page (so a
//! public build's has no sensitive page and no private block):
//! 1. `Plan::new` puts every printed page in print order: the guide pages in
//!    table-of-contents order, then the entries grouped by brand (the
//!    `Site`'s order) or, with `print_order = "location"`, by location (one
//!    sort, n log n); it weighs each page (its body's size and a fixed
//!    allowance for its facts and headings) and cuts the list into parts of
//!    at most `PART_BUDGET` estimated bytes, in one pass;
//! 2. a handbook that fits one part is one page, `/print/`; a larger one is
//!    `/print/` (the title page and the contents of the parts, one line a
//!    part) and `/print/1/`, `/print/2/`, … each its own render job, so the
//!    parts render and are audited in parallel and none grows with the site;
//! 3. each page's body is rewritten (`rewrite`): ids prefixed with the
//!    page's anchor, links to printed pages made `#…` (same part) or
//!    `/print/N/#…` (another part) through one map of URLs built once.

mod rewrite;

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use super::views::PageView;
use super::{Job, Renderer};
use crate::config::PrintOrder;
use crate::site::{Page, Site};
use rewrite::{Links, Spot, rewrite};

/// The folder of the print page.
pub const PRINT_PATH: &str = "print/";

/// The most estimated HTML a part holds (bytes): with the page around it,
/// a part stays well under the 300 KB an output page may take. A handbook
/// that fits is one page.
pub const PART_BUDGET: usize = 200_000;

/// What a printed page adds to its body (estimated bytes): headings, facts
/// table, revision list, its line in the contents.
const PAGE_OVERHEAD: usize = 1_500;

/// A printed page: a guide page or an entry, by index in `site.guides` or `site.entries`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Guide(usize),
    Entry(usize),
}

/// What is printed where, for the whole handbook; made once per build.
pub struct Plan {
    /// Every printed page in print order: guide pages, then entries.
    items: Vec<Item>,
    /// Each item's group (brand or location), numbered through the whole
    /// handbook from 1, and its name; `None` for guide pages.
    groups: Vec<Option<(usize, String)>>,
    /// The items of each part; one range is the one-page print page.
    parts: Vec<Range<usize>>,
    /// URL path of every printed page → its part and anchor.
    spots: HashMap<String, Spot>,
}

impl Plan {
    pub fn new(site: &Site, order: PrintOrder) -> Plan {
        let items = items(site, order);
        let mut groups: Vec<Option<(usize, String)>> = Vec::with_capacity(items.len());
        let mut number = 0;
        for &item in &items {
            let Item::Entry(i) = item else {
                groups.push(None);
                continue;
            };
            let name = group_name(site, order, &site.entries[i]);
            if groups.last().and_then(Option::as_ref).map(|g| &g.1) != Some(&name) {
                number += 1;
            }
            groups.push(Some((number, name)));
        }
        let parts = parts(site, &items);
        let numbered = parts.len() > 1;
        let mut spots = HashMap::with_capacity(items.len());
        for (n, range) in parts.iter().enumerate() {
            for &it in &items[range.clone()] {
                let p = page(site, it);
                let part = if numbered { n + 1 } else { 0 };
                let anchor = anchor(&p.path);
                spots.insert(p.url.clone(), Spot { part, anchor });
            }
        }
        Plan {
            items,
            groups,
            parts,
            spots,
        }
    }

    /// Whether the handbook is in parts (`/print/N/`) rather than one page.
    pub fn is_split(&self) -> bool {
        self.parts.len() > 1
    }

    /// What `build --pdf` prints, in order: the print page (`part` 0: the
    /// whole handbook, or the index of the parts), then each part.
    pub fn sources(&self, site: &Site) -> Vec<PrintSource> {
        let title =
            |it: Option<&Item>| it.map_or(String::new(), |&it| page(site, it).title.clone());
        let entries = |r: &Range<usize>| {
            self.items[r.clone()]
                .iter()
                .filter(|it| matches!(it, Item::Entry(_)))
                .count()
        };
        let mut out = vec![PrintSource {
            part: 0,
            entries: if self.is_split() {
                0
            } else {
                site.entries.len()
            },
            first: String::new(),
            last: String::new(),
        }];
        if self.is_split() {
            out.extend(self.parts.iter().enumerate().map(|(n, r)| PrintSource {
                part: n + 1,
                entries: entries(r),
                first: title(self.items[r.clone()].first()),
                last: title(self.items[r.clone()].last()),
            }));
        }
        out
    }
}

/// One page `build --pdf` prints (see `Plan::sources`).
pub struct PrintSource {
    /// 0 for `/print/`, else the part's number.
    pub part: usize,
    pub entries: usize,
    /// The titles of its first and last page (empty for `/print/`).
    pub first: String,
    pub last: String,
}

/// The render jobs of the print page: `Print(0)`, and `Print(1..=N)` for
/// the parts. Without the rest of the plan (a sixth of a preview edit's
/// rebuild at 10k entries).
pub fn print_jobs(site: &Site, order: PrintOrder) -> impl Iterator<Item = Job> + use<> {
    let n = parts(site, &items(site, order)).len();
    let last = if n > 1 { n } else { 0 };
    (0..=last).map(Job::Print)
}

/// Every printed page, in print order.
fn items(site: &Site, order: PrintOrder) -> Vec<Item> {
    let mut items: Vec<Item> = (0..site.guides.len()).map(Item::Guide).collect();
    items.extend(print_order(site, order).into_iter().map(Item::Entry));
    items
}

/// `items` (in print order) cut into parts of at most `PART_BUDGET`.
fn parts(site: &Site, items: &[Item]) -> Vec<Range<usize>> {
    let weights: Vec<usize> = items.iter().map(|&it| weight(page(site, it))).collect();
    split(&weights, PART_BUDGET)
}

/// The output folder of print job `n`: `print/`, or `print/N/` for part N.
pub fn part_path(n: usize) -> String {
    match n {
        0 => PRINT_PATH.to_string(),
        n => format!("{PRINT_PATH}{n}/"),
    }
}

/// The page of an item.
fn page(site: &Site, item: Item) -> &Page {
    match item {
        Item::Guide(i) => &site.guides[i],
        Item::Entry(i) => &site.entries[i],
    }
}

/// A printed page's estimated HTML (`estimate`), once per page core.
fn weight(p: &Page) -> usize {
    *p.print_weight.get_or_init(|| estimate(p))
}

/// A printed page's estimated HTML: its body (a quarter more for the
/// prefixed ids and rewritten links), title, warnings, revisions, and
/// `PAGE_OVERHEAD`.
fn estimate(p: &Page) -> usize {
    let revisions: usize = p
        .revisions
        .iter()
        .map(|r| r.note.len() + r.author.as_ref().map_or(0, String::len) + 80)
        .sum();
    let facts: usize = p.facts.as_ref().map_or(0, |f| {
        f.warnings
            .iter()
            .chain(&f.tools)
            .map(|w| w.len() + 20)
            .sum::<usize>()
            + f.location.as_ref().map_or(0, String::len)
    });
    p.html.len() + p.html.len() / 4 + 4 * p.title.len() + revisions + facts + PAGE_OVERHEAD
}

/// `weights` cut into consecutive ranges of at most `budget` (a single
/// heavier item is a range of its own); all in one range when they fit.
fn split(weights: &[usize], budget: usize) -> Vec<Range<usize>> {
    let mut parts = Vec::new();
    let (mut start, mut sum) = (0, 0);
    for (i, &w) in weights.iter().enumerate() {
        if i > start && sum + w > budget {
            parts.push(start..i);
            (start, sum) = (i, 0);
        }
        sum += w;
    }
    parts.push(start..weights.len());
    parts
}

/// What `print.html` gets as `print`.
#[derive(Serialize)]
pub(super) struct PrintView<'a> {
    /// "brand" or "location": what `groups` are.
    pub(super) order: &'static str,
    /// "whole" (the one page), "index" (title page and the parts'
    /// contents) or "part" (one part of a handbook in parts).
    pub(super) kind: &'static str,
    /// How many parts the handbook has (0 when it is one page).
    pub(super) part_count: usize,
    /// The part this page is (on a part).
    pub(super) part: Option<PartView>,
    /// Every part (on the index).
    pub(super) parts: Vec<PartView>,
    /// Whether the guide section / the entries start on this page (their headings).
    pub(super) guide_start: bool,
    pub(super) entries_start: bool,
    pub(super) guides: Vec<PrintPage<'a>>,
    pub(super) groups: Vec<PrintGroup<'a>>,
}

/// One part of a handbook in parts.
#[derive(Serialize)]
pub(super) struct PartView {
    pub(super) number: usize,
    /// Its URL path (with the base path): `/print/3/`.
    pub(super) url: String,
    /// The titles of its first and last page.
    pub(super) first: String,
    pub(super) last: String,
    pub(super) guide_count: usize,
    pub(super) entry_count: usize,
    /// The previous and next parts' URL paths.
    pub(super) prev: Option<String>,
    pub(super) next: Option<String>,
}

/// A brand's entries, or a location's (on one page: a group split between
/// parts is `continued` on the later ones).
#[derive(Serialize)]
pub(super) struct PrintGroup<'a> {
    /// The brand's name, or the location as `A › B` ("No location" for entries without).
    pub(super) name: String,
    /// `_group-N` (N counting groups through the handbook), `_group-N.P` where it continues in part P.
    pub(super) anchor: String,
    pub(super) continued: bool,
    pub(super) entries: Vec<PrintPage<'a>>,
}

/// One page on the print page.
#[derive(Serialize)]
pub(super) struct PrintPage<'a> {
    /// The id of its section: its output folder with `/` as `.` (`locks.acme.d100`).
    pub(super) anchor: String,
    /// The body, rewritten for the print page (see `rewrite`).
    pub(super) body: String,
    pub(super) page: PageView<'a>,
}

/// A page's anchor on the print page: its output folder with `/` as `.`.
/// Slugs hold only letters, digits and `-`, so anchors are unique, contain
/// no `:` (the heading separator) and never start with `_` (the print page's own ids).
pub fn anchor(path: &str) -> String {
    path.trim_end_matches('/').replace('/', ".")
}

impl<'a> Renderer<'a> {
    /// What print job `n` shows (see `PrintView::kind`).
    pub(super) fn print_view(&self, n: usize) -> PrintView<'_> {
        let plan = self.print_plan();
        let (kind, range) = match (plan.is_split(), n) {
            (false, _) => ("whole", plan.parts.first().cloned().unwrap_or(0..0)),
            (true, 0) => ("index", 0..0),
            (true, n) => ("part", plan.parts.get(n - 1).cloned().unwrap_or(0..0)),
        };
        let links = Links {
            spots: &plan.spots,
            part: if plan.is_split() { n } else { 0 },
            base_path: self.config.base_path(),
            base_url: &self.config.base_url,
        };
        let print_page = |p: &'a Page, index: Option<usize>, shift: u8| PrintPage {
            anchor: anchor(&p.path),
            body: rewrite(&p.html, &anchor(&p.path), &p.url, shift, &links),
            page: self.page_view(p, index),
        };
        let mut guides = Vec::new();
        let mut groups: Vec<PrintGroup> = Vec::new();
        for k in range.clone() {
            let i = match plan.items[k] {
                Item::Guide(i) => {
                    guides.push(print_page(&self.site.guides[i], None, 1));
                    continue;
                }
                Item::Entry(i) => i,
            };
            let Some((number, name)) = plan.groups[k].clone() else {
                continue;
            };
            if groups.is_empty() || plan.groups[k - 1] != plan.groups[k] {
                let continued = k == range.start && k > 0 && plan.groups[k - 1] == plan.groups[k];
                groups.push(PrintGroup {
                    anchor: match continued {
                        false => format!("_group-{number}"),
                        true => format!("_group-{number}.{n}"),
                    },
                    name,
                    continued,
                    entries: Vec::new(),
                });
            }
            if let Some(g) = groups.last_mut() {
                g.entries
                    .push(print_page(&self.site.entries[i], Some(i), 2));
            }
        }
        let first_entry = self.site.guides.len();
        let parts = match kind {
            "index" => (1..=plan.parts.len()).map(|p| self.part_view(p)).collect(),
            _ => Vec::new(),
        };
        PrintView {
            order: match self.config.print_order {
                PrintOrder::Brand => "brand",
                PrintOrder::Location => "location",
            },
            kind,
            part_count: if plan.is_split() { plan.parts.len() } else { 0 },
            part: (kind == "part").then(|| self.part_view(n)),
            parts,
            guide_start: !self.site.guides.is_empty() && range.contains(&0),
            entries_start: !self.site.entries.is_empty() && range.contains(&first_entry),
            guides,
            groups,
        }
    }

    /// Part `n` (from 1) of a handbook in parts.
    fn part_view(&self, n: usize) -> PartView {
        let plan = self.print_plan();
        let range = plan.parts.get(n - 1).cloned().unwrap_or(0..0);
        let items = &plan.items[range];
        let title = |it: Option<&Item>| it.map(|&it| page(self.site, it).title.clone());
        let guides = items
            .iter()
            .filter(|it| matches!(it, Item::Guide(_)))
            .count();
        let url = |n: usize| format!("{}{}", self.config.base_path(), part_path(n));
        PartView {
            number: n,
            url: url(n),
            first: title(items.first()).unwrap_or_default(),
            last: title(items.last()).unwrap_or_default(),
            guide_count: guides,
            entry_count: items.len() - guides,
            prev: (n > 1).then(|| url(n - 1)),
            next: (n < plan.parts.len()).then(|| url(n + 1)),
        }
    }
}

/// The group an entry is printed in: its brand, or its location.
fn group_name(site: &Site, order: PrintOrder, p: &Page) -> String {
    match order {
        PrintOrder::Brand => p
            .entry
            .map(|e| site.brands[e.brand].name.clone())
            .unwrap_or_default(),
        PrintOrder::Location => p
            .facts
            .as_ref()
            .and_then(|f| f.location.as_deref())
            .map(crate::nav::location_text)
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| "No location".to_string()),
    }
}

/// The entries (indexes into `site.entries`) in print order: the site's
/// (by brand), or by location (general to specific, case-folded), entries
/// without one last, then in the site's order. One sort: n log n.
pub fn print_order(site: &Site, order: PrintOrder) -> Vec<usize> {
    let mut v: Vec<usize> = (0..site.entries.len()).collect();
    if order == PrintOrder::Location {
        let keys: Vec<Option<Vec<String>>> = site
            .entries
            .iter()
            .map(|p| {
                let parts: Vec<String> = p
                    .facts
                    .as_ref()
                    .and_then(|f| f.location.as_deref())
                    .map(|l| {
                        l.split('/')
                            .map(|s| s.trim().to_lowercase())
                            .filter(|s| !s.is_empty())
                            .collect()
                    })
                    .unwrap_or_default();
                (!parts.is_empty()).then_some(parts)
            })
            .collect();
        // `None` sorts first; entries without a location go last.
        v.sort_by(|&a, &b| (keys[a].is_none(), &keys[a], a).cmp(&(keys[b].is_none(), &keys[b], b)));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_folders_with_dots() {
        assert_eq!(anchor("locks/acme/d100/"), "locks.acme.d100");
    }

    #[test]
    fn parts_are_consecutive_within_the_budget_and_one_part_when_it_fits() {
        assert_eq!(split(&[10, 20, 30], 100), vec![0..3]);
        assert_eq!(split(&[], 100), vec![0..0]);
        assert_eq!(
            split(&[60, 30, 20, 90, 150, 5], 100),
            vec![0..2, 2..3, 3..4, 4..5, 5..6]
        );
        let weights = vec![4_000; 10_000];
        let parts = split(&weights, PART_BUDGET);
        assert_eq!(parts.len(), 200);
        assert!(parts.windows(2).all(|w| w[0].end == w[1].start));
        assert!(parts.iter().all(|r| r.len() == 50));
    }

    #[test]
    fn part_paths() {
        assert_eq!(part_path(0), "print/");
        assert_eq!(part_path(12), "print/12/");
    }
}
