//! The finding pages and the dashboard: `/locations/` (the top-level
//! locations) and one page per location node (its sub-locations, then its
//! own entries), `/types/` and one page per lock type, and `/status/`. Every
//! list is split into pages of `LIST_PAGE` rows, so no page grows with the
//! site; everything comes from the assembled `Site`, after the sensitive
//! filter.

use serde::Serialize;
use tera::Context;

use super::views::{EntryRow, Link};
use super::{Job, LIST_PAGE, Renderer};
use crate::nav;
use crate::site::{Location, LockType, STATUS, Site};
use crate::status::{Counts, Tally};

/// Pages of `/locations/`.
pub fn locations_pages(site: &Site) -> usize {
    nav::page_count(site.locations.roots.len(), LIST_PAGE)
}

/// Pages of one location: its sub-locations, then its own entries; none
/// for a place that is only its one entry (`Location::page`).
pub fn location_pages(node: &Location) -> usize {
    if !node.page {
        return 0;
    }
    nav::page_count(node.children.len() + node.entries.len(), LIST_PAGE)
}

pub fn types_pages(site: &Site) -> usize {
    nav::page_count(site.types.types.len(), LIST_PAGE)
}

pub fn type_pages(t: &LockType) -> usize {
    nav::page_count(t.entries.len(), LIST_PAGE)
}

/// Pages of `/status/` (its list of stale entries), or 0 when the build has no dashboard.
pub fn status_pages(site: &Site) -> usize {
    if !site.status_page {
        return 0;
    }
    let overdue = site
        .entries
        .iter()
        .filter(|p| p.entry.is_some_and(|e| e.stale))
        .count();
    nav::page_count(overdue, LIST_PAGE)
}

/// The jobs of the pages this module renders, in a fixed order.
pub fn index_jobs(site: &Site) -> Vec<Job> {
    let mut jobs: Vec<Job> = (0..locations_pages(site)).map(Job::Locations).collect();
    for (i, n) in site.locations.nodes.iter().enumerate() {
        jobs.extend((0..location_pages(n)).map(|p| Job::Location(i, p)));
    }
    jobs.extend((0..types_pages(site)).map(Job::Types));
    for (i, t) in site.types.types.iter().enumerate() {
        jobs.extend((0..type_pages(t)).map(|p| Job::Type(i, p)));
    }
    jobs.extend((0..status_pages(site)).map(Job::Status));
    jobs
}

/// The output folders of every page `index_jobs` lists, in its order, for the sitemap.
pub fn index_paths(site: &Site) -> impl Iterator<Item = String> + '_ {
    let lists = |first: &str, pages: usize| {
        let first = first.to_string();
        (0..pages).map(move |n| nav::page_path(&first, n))
    };
    lists(crate::site::LOCATIONS, locations_pages(site))
        .chain(
            site.locations
                .nodes
                .iter()
                .flat_map(move |n| lists(&n.path, location_pages(n))),
        )
        .chain(lists(crate::site::TYPES, types_pages(site)))
        .chain(
            site.types
                .types
                .iter()
                .flat_map(move |t| lists(&t.path, type_pages(t))),
        )
        .chain(lists(STATUS, status_pages(site)))
}

#[derive(Serialize)]
struct PlaceSummary<'a> {
    name: &'a str,
    url: &'a str,
    /// Entries here and below.
    count: usize,
    /// Sub-locations.
    places: usize,
}

/// One page of a location node.
#[derive(Serialize)]
struct LocationView<'a> {
    name: &'a str,
    url: &'a str,
    count: usize,
    /// The locations above it, outermost first.
    trail: Vec<Link<'a>>,
    /// This page's share of the sub-locations, then of the node's own entries.
    places: Vec<PlaceSummary<'a>>,
    entries: Vec<EntryRow<'a>>,
    /// All sub-locations and all own entries, listed here or not.
    place_count: usize,
    entry_count: usize,
}

#[derive(Serialize)]
struct TypeSummary<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct TypeView<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
    /// The place (from 1) of the first listed entry.
    first: usize,
    entries: Vec<EntryRow<'a>>,
}

/// A bar of the dashboard's chart, placed in the SVG's units (`CHART`).
#[derive(Serialize)]
struct Bar {
    key: &'static str,
    label: &'static str,
    count: usize,
    /// Share of all entries, of 100.
    share: f64,
    /// Top of the bar, its length, and where its count is written.
    y: usize,
    len: f64,
    count_x: f64,
}

/// The chart's geometry: labels left of `BAR_X`, bars up to `BAR_MAX` long, `ROW` apart.
const BAR_X: f64 = 120.0;
const BAR_MAX: f64 = 150.0;
const ROW: usize = 30;

/// A row of a per-brand, per-location or per-type table.
#[derive(Serialize)]
struct GroupRow<'a> {
    name: &'a str,
    url: &'a str,
    counts: Counts,
    total: usize,
    /// The stacked bar of the row: one segment a state, left to right.
    segments: Vec<Segment>,
}

#[derive(Serialize)]
struct Segment {
    key: &'static str,
    x: f64,
    width: f64,
}

#[derive(Serialize)]
struct OverdueRow<'a> {
    #[serde(flatten)]
    entry: EntryRow<'a>,
    /// Days past `stale_after_days`; none when never verified.
    days: Option<i64>,
}

#[derive(Serialize)]
struct StatusView<'a> {
    counts: Counts,
    total: usize,
    stale_after_days: u32,
    due_within_days: u32,
    bars: Vec<Bar>,
    brands: Vec<GroupRow<'a>>,
    locations: Vec<GroupRow<'a>>,
    types: Vec<GroupRow<'a>>,
    /// Groups left out of the tables above (each lists at most `LIST_PAGE`).
    more_brands: usize,
    more_locations: usize,
    more_types: usize,
    /// This page's share of the stale and never-verified entries, most overdue first.
    overdue: Vec<OverdueRow<'a>>,
    overdue_count: usize,
    /// The place (from 1) of the first listed one.
    first: usize,
}

const STATES: [(&str, &str); 4] = [
    ("current", "Current"),
    ("due", "Due soon"),
    ("stale", "Stale"),
    ("never", "Never verified"),
];

fn state_counts(c: &Counts) -> [usize; 4] {
    [c.current, c.due, c.stale, c.never]
}

/// `part` of `whole` out of 100, rounded to a tenth.
fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        return 0.0;
    }
    (part as f64 * 1000.0 / whole as f64).round() / 10.0
}

fn segments(c: &Counts) -> Vec<Segment> {
    let total = c.total();
    let mut x = 0.0;
    STATES
        .iter()
        .zip(state_counts(c))
        .filter(|(_, n)| *n > 0)
        .map(|((key, _), n)| {
            let width = share(n, total);
            let s = Segment { key, x, width };
            x += width;
            s
        })
        .collect()
}

fn group_row<'a>(name: &'a str, url: &'a str, counts: Counts) -> GroupRow<'a> {
    GroupRow {
        name,
        url,
        counts,
        total: counts.total(),
        segments: segments(&counts),
    }
}

impl<'a> Renderer<'a> {
    /// Fills `ctx` for one of this module's jobs; the template and output file.
    pub(super) fn render_index(&self, job: Job, ctx: &mut Context) -> (&'static str, String) {
        let site = self.site;
        let base = self.config.base_path();
        let (kind, title, first, total, template, n): (_, &str, &str, _, _, _) = match job {
            Job::Locations(n) => {
                let rows = nav::page_rows(n, site.locations.roots.len(), LIST_PAGE);
                let places: Vec<PlaceSummary> = site.locations.roots[rows]
                    .iter()
                    .map(|&r| self.place_summary(&site.locations.nodes[r]))
                    .collect();
                ctx.insert("locations", &places);
                ctx.insert("unplaced", &site.locations.unplaced);
                let total = locations_pages(site);
                let first = crate::site::LOCATIONS;
                ("locations", "Locations", first, total, "locations.html", n)
            }
            Job::Location(i, n) => {
                let node = &site.locations.nodes[i];
                ctx.insert("location", &self.location_view(node, n));
                let total = location_pages(node);
                (
                    "location",
                    &node.name,
                    &node.path,
                    total,
                    "location.html",
                    n,
                )
            }
            Job::Types(n) => {
                let rows = nav::page_rows(n, site.types.types.len(), LIST_PAGE);
                let types: Vec<TypeSummary> = site.types.types[rows]
                    .iter()
                    .map(|t| TypeSummary {
                        name: &t.name,
                        slug: &t.slug,
                        url: &t.url,
                        count: t.entries.len(),
                    })
                    .collect();
                ctx.insert("types", &types);
                ctx.insert("untyped", &site.types.untyped);
                let total = types_pages(site);
                (
                    "types",
                    "Lock types",
                    crate::site::TYPES,
                    total,
                    "types.html",
                    n,
                )
            }
            Job::Type(i, n) => {
                let t = &site.types.types[i];
                let rows = nav::page_rows(n, t.entries.len(), LIST_PAGE);
                ctx.insert(
                    "lock_type",
                    &TypeView {
                        name: &t.name,
                        slug: &t.slug,
                        url: &t.url,
                        count: t.entries.len(),
                        first: rows.start + 1,
                        entries: t.entries[rows]
                            .iter()
                            .map(|&e| self.listed_row(e))
                            .collect(),
                    },
                );
                ("type", &t.name, &t.path, type_pages(t), "type.html", n)
            }
            Job::Status(n) => {
                ctx.insert("status", &self.status_view(n));
                // From the tally counted once, not `status_pages`' pass over
                // every entry for each of the dashboard's pages.
                let total = nav::page_count(self.tally().overdue.len(), LIST_PAGE);
                (
                    "status",
                    "Verification status",
                    STATUS,
                    total,
                    "status.html",
                    n,
                )
            }
            _ => unreachable!("render_index is called for index jobs only"),
        };
        let path = nav::page_path(first, n);
        let url = format!("{base}{path}");
        ctx.insert("page", &self.simple_page(kind, title, &url));
        ctx.insert("pager", &self.pager(first, n, total));
        ctx.insert("nav", &self.nav_view(None, None));
        (template, format!("{path}index.html"))
    }

    fn place_summary(&self, node: &'a Location) -> PlaceSummary<'a> {
        PlaceSummary {
            name: &node.name,
            url: &node.url,
            count: node.total,
            places: node.children.len(),
        }
    }

    /// An entry's row in a list of several brands' entries: with its brand.
    fn listed_row(&self, i: usize) -> EntryRow<'_> {
        let mut row = self.entry_row(i);
        row.brand = self
            .site
            .entries
            .get(i)
            .and_then(|p| p.entry)
            .and_then(|e| self.site.brands.get(e.brand))
            .map(|b| b.name.as_str());
        row
    }

    fn location_view(&self, node: &'a Location, n: usize) -> LocationView<'_> {
        let nodes = &self.site.locations.nodes;
        let mut trail = Vec::new();
        let mut up = node.parent;
        while let Some(p) = up {
            trail.push(Link {
                title: &nodes[p].name,
                url: &nodes[p].url,
            });
            up = nodes[p].parent;
        }
        trail.reverse();
        let c = node.children.len();
        let rows = nav::page_rows(n, c + node.entries.len(), LIST_PAGE);
        let places = rows.start.min(c)..rows.end.min(c);
        let entries = rows.start.max(c) - c..rows.end.max(c) - c;
        LocationView {
            name: &node.name,
            url: &node.url,
            count: node.total,
            trail,
            places: node.children[places]
                .iter()
                .map(|&k| self.place_summary(&nodes[k]))
                .collect(),
            entries: node.entries[entries]
                .iter()
                .map(|&i| self.listed_row(i))
                .collect(),
            place_count: c,
            entry_count: node.entries.len(),
        }
    }

    fn status_view(&self, n: usize) -> StatusView<'_> {
        let site = self.site;
        let t: &Tally = self.tally();
        let total = t.overall.total();
        let bars = STATES
            .iter()
            .zip(state_counts(&t.overall))
            .enumerate()
            .map(|(row, (&(key, label), count))| {
                let len = share(count, total) * BAR_MAX / 100.0;
                Bar {
                    key,
                    label,
                    count,
                    share: share(count, total),
                    y: row * ROW,
                    len,
                    count_x: BAR_X + len + 6.0,
                }
            })
            .collect();
        let brands = site.brands.iter().zip(&t.brands).take(LIST_PAGE);
        let roots = site.locations.roots.iter().take(LIST_PAGE);
        let types = site.types.types.iter().zip(&t.types).take(LIST_PAGE);
        let rows = nav::page_rows(n, t.overdue.len(), LIST_PAGE);
        StatusView {
            counts: t.overall,
            total,
            stale_after_days: self.config.stale_after_days,
            due_within_days: crate::site::DUE_WITHIN_DAYS,
            bars,
            brands: brands
                .map(|(b, c)| group_row(&b.name, &b.url, *c))
                .collect(),
            locations: roots
                .map(|&r| {
                    let node = &site.locations.nodes[r];
                    group_row(&node.name, &node.url, t.locations[r])
                })
                .collect(),
            types: types
                .map(|(ty, c)| group_row(&ty.name, &ty.url, *c))
                .collect(),
            more_brands: site.brands.len().saturating_sub(LIST_PAGE),
            more_locations: site.locations.roots.len().saturating_sub(LIST_PAGE),
            more_types: site.types.types.len().saturating_sub(LIST_PAGE),
            first: rows.start + 1,
            overdue: t.overdue[rows]
                .iter()
                .map(|o| OverdueRow {
                    entry: self.listed_row(o.entry),
                    days: o.days,
                })
                .collect(),
            overdue_count: t.overdue.len(),
        }
    }
}
