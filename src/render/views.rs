//! What templates see: the view structs (`Serialize`), and the `Renderer`
//! methods that build them from the `Site`, each page's bounded share.

use std::ops::Range;

use serde::Serialize;

use super::*;

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) description: &'a str,
    pub(super) language: &'a str,
    pub(super) base_url: &'a str,
    pub(super) base_path: &'a str,
    pub(super) private: bool,
    /// The audience of an audience's build (`--audience`), else none.
    pub(super) audience: Option<&'a str>,
    pub(super) today: String,
    pub(super) guide_count: usize,
    pub(super) entry_count: usize,
    pub(super) brand_count: usize,
    pub(super) stale_count: usize,
    /// Top-level locations and lock types.
    pub(super) location_count: usize,
    pub(super) type_count: usize,
    /// Whether this build has `/status/`.
    pub(super) status_page: bool,
}

#[derive(Serialize)]
pub(super) struct Link<'a> {
    pub(super) title: &'a str,
    pub(super) url: &'a str,
}

/// A previous or next entry: its label tells it apart from same-model siblings.
#[derive(Serialize)]
pub(super) struct Neighbour<'a> {
    pub(super) title: &'a str,
    pub(super) url: &'a str,
    pub(super) label: &'a str,
}

#[derive(Serialize)]
pub(super) struct GuideLink<'a> {
    pub(super) title: &'a str,
    pub(super) url: &'a str,
    pub(super) sensitive: bool,
}

#[derive(Serialize)]
pub(super) struct BrandSummary<'a> {
    pub(super) name: &'a str,
    pub(super) slug: &'a str,
    pub(super) url: &'a str,
    pub(super) count: usize,
}

#[derive(Serialize)]
pub(super) struct EntryRow<'a> {
    pub(super) title: &'a str,
    pub(super) url: &'a str,
    pub(super) model: &'a str,
    pub(super) label: &'a str,
    pub(super) lock_type: Option<&'a str>,
    /// The lock type in words.
    pub(super) lock_type_label: Option<&'a str>,
    pub(super) location: Option<&'a str>,
    /// `location` as shown: its parts joined by ` › ` (`nav::location_text`).
    pub(super) location_text: Option<String>,
    pub(super) last_verified: Option<String>,
    pub(super) stale: bool,
    pub(super) sensitive: bool,
    /// Set in lists of several brands' entries (location, type, status pages).
    pub(super) brand: Option<&'a str>,
}

/// A brand with some of its entries: a group of the home page or of a
/// `/contents/` page, or one page of the brand's index.
#[derive(Serialize)]
pub(super) struct BrandView<'a> {
    pub(super) name: &'a str,
    pub(super) slug: &'a str,
    pub(super) url: &'a str,
    /// All of the brand's entries, listed or not.
    pub(super) count: usize,
    pub(super) entries: Vec<EntryRow<'a>>,
    /// The place (from 1) of the first listed entry among the brand's.
    pub(super) first: usize,
}

/// The sidebar of one page: a window of the guide pages and, on an entry, of its brand.
#[derive(Serialize)]
pub(super) struct NavView<'a> {
    pub(super) guides: Vec<NavLink<'a>>,
    /// Where all guide pages are listed, when the window leaves some out.
    pub(super) more_guides: Option<MoreLink<'a>>,
    pub(super) brand: Option<NavBrand<'a>>,
}

#[derive(Serialize)]
pub(super) struct NavLink<'a> {
    pub(super) title: &'a str,
    pub(super) url: &'a str,
    pub(super) sensitive: bool,
    pub(super) current: bool,
}

#[derive(Serialize)]
pub(super) struct MoreLink<'a> {
    pub(super) count: usize,
    pub(super) url: &'a str,
}

#[derive(Serialize)]
pub(super) struct NavBrand<'a> {
    pub(super) name: &'a str,
    pub(super) slug: &'a str,
    pub(super) url: &'a str,
    pub(super) count: usize,
    pub(super) entries: Vec<NavLink<'a>>,
    /// The page of the brand's index that lists the current entry.
    pub(super) index_url: String,
}

#[derive(Serialize)]
pub(super) struct PagerView {
    /// From 1.
    pub(super) current: usize,
    pub(super) total: usize,
    pub(super) prev_url: Option<String>,
    pub(super) next_url: Option<String>,
    pub(super) pages: Vec<PagerLink>,
}

#[derive(Serialize)]
pub(super) struct PagerLink {
    pub(super) number: usize,
    pub(super) url: String,
}

/// The home page's lists, bounded by `LIST_PAGE`.
#[derive(Serialize)]
pub(super) struct HomeView<'a> {
    pub(super) guides: Vec<GuideLink<'a>>,
    /// Guide pages not listed here (0: none); `/contents/` lists them.
    pub(super) more_guides: usize,
    /// Whether `toc` holds every entry (a site of at most `LIST_PAGE` entries).
    pub(super) lists_entries: bool,
    /// Brands not listed here (0: none); `/brands/` lists them.
    pub(super) more_brands: usize,
}

/// One page of `/contents/`.
#[derive(Serialize)]
pub(super) struct ContentsView<'a> {
    pub(super) guides: Vec<GuideLink<'a>>,
    /// The place (from 1) of the first listed guide page.
    pub(super) guide_start: usize,
    pub(super) brands: Vec<ContentsBrand<'a>>,
}

/// A brand's entries on a `/contents/` page.
#[derive(Serialize)]
pub(super) struct ContentsBrand<'a> {
    #[serde(flatten)]
    pub(super) brand: BrandView<'a>,
    /// The pages of the brand's index that list these entries (one or two),
    /// when it has several: so every page of every index is two clicks from `/contents/`.
    pub(super) index_pages: Vec<PagerLink>,
}

#[derive(Serialize)]
pub(super) struct RevisionView<'a> {
    pub(super) date: String,
    pub(super) note: &'a str,
    pub(super) author: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct EntryView<'a> {
    pub(super) brand: &'a str,
    pub(super) brand_url: &'a str,
    pub(super) model: &'a str,
    pub(super) label: &'a str,
    pub(super) lock_type: Option<&'a str>,
    /// The lock type in words, and its page.
    pub(super) lock_type_label: Option<&'a str>,
    pub(super) type_url: Option<&'a str>,
    pub(super) location: Option<&'a str>,
    pub(super) location_parts: Vec<&'a str>,
    /// Each part of the location with the page of its node, outermost first.
    pub(super) location_links: Vec<Link<'a>>,
    pub(super) installed: Option<String>,
    pub(super) last_verified: Option<String>,
    pub(super) estimated_time: Option<&'a str>,
    pub(super) tools: &'a [String],
    pub(super) warnings: &'a [String],
    pub(super) serial: Option<&'a str>,
    pub(super) firmware: Option<&'a str>,
    pub(super) manual: Option<&'a str>,
    pub(super) contacts: Vec<super::contacts::ContactView<'a>>,
    pub(super) stale: bool,
    pub(super) prev: Option<Neighbour<'a>>,
    pub(super) next: Option<Neighbour<'a>>,
}

#[derive(Serialize)]
pub(super) struct PageView<'a> {
    pub(super) kind: &'static str,
    pub(super) title: &'a str,
    pub(super) description: Option<&'a str>,
    pub(super) url: String,
    pub(super) permalink: String,
    pub(super) content: &'a str,
    pub(super) toc: &'a [TocEntry],
    pub(super) revisions: Vec<RevisionView<'a>>,
    pub(super) last_revised: Option<String>,
    pub(super) sensitive: bool,
    pub(super) has_private: bool,
    pub(super) breadcrumbs: Vec<Link<'a>>,
    pub(super) extra: &'a Extra,
    pub(super) entry: Option<EntryView<'a>>,
}

pub(super) fn date(d: Option<jiff::civil::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

pub(super) fn guide_link(p: &Page) -> GuideLink<'_> {
    GuideLink {
        title: &p.title,
        url: &p.url,
        sensitive: p.sensitive,
    }
}

pub(super) fn brand_summary(b: &Brand) -> BrandSummary<'_> {
    BrandSummary {
        name: &b.name,
        slug: &b.slug,
        url: &b.url,
        count: b.entries.len(),
    }
}

impl<'a> Renderer<'a> {
    /// Entry `i`'s label among its brand's ("" for an index out of range).
    fn label(&self, i: usize) -> &str {
        self.labels.get(self.site, i).unwrap_or("")
    }

    pub(super) fn entry_row(&self, i: usize) -> EntryRow<'_> {
        let p = &self.site.entries[i];
        let f = p.facts.as_ref();
        EntryRow {
            title: &p.title,
            url: &p.url,
            model: f.map_or("", |f| f.model.as_str()),
            label: self.label(i),
            lock_type: f.and_then(|f| f.lock_type.as_deref()),
            lock_type_label: self.lock_type_of(i).map(|t| t.name.as_str()),
            location: f.and_then(|f| f.location.as_deref()),
            location_text: f
                .and_then(|f| f.location.as_deref())
                .map(crate::nav::location_text),
            last_verified: date(f.and_then(|f| f.last_verified)),
            stale: p.entry.is_some_and(|e| e.stale),
            sensitive: p.sensitive,
            brand: None,
        }
    }

    /// The lock type group of entry `i`.
    pub(super) fn lock_type_of(&self, i: usize) -> Option<&'a crate::site::LockType> {
        let site: &'a Site = self.site;
        let t = site.types.of_entry.get(i).copied().flatten()?;
        site.types.types.get(t)
    }

    /// Links to the location nodes of entry `i`, outermost first, named as
    /// `parts` (the entry's own location parts) write them when they match;
    /// the url is empty for a place with no page of its own.
    pub(super) fn location_links(&self, i: usize, parts: &[&'a str]) -> Vec<Link<'a>> {
        let site: &'a Site = self.site;
        let nodes = &site.locations.nodes;
        let mut chain = Vec::new();
        let mut up = site.locations.of_entry.get(i).copied().flatten();
        while let Some(n) = up {
            chain.push(&nodes[n]);
            up = nodes[n].parent;
        }
        chain.reverse();
        let own = chain.len() == parts.len();
        chain
            .iter()
            .enumerate()
            .map(|(k, n)| Link {
                title: if own { parts[k] } else { &n.name },
                // A place that is only this entry has no page: named, not linked.
                url: if n.page { &n.url } else { "" },
            })
            .collect()
    }

    /// Brand `b` with its entries at places `rows` (from 0) among its own.
    pub(super) fn brand_view(&self, b: &'a Brand, rows: Range<usize>) -> BrandView<'_> {
        BrandView {
            name: &b.name,
            slug: &b.slug,
            url: &b.url,
            count: b.entries.len(),
            first: rows.start + 1,
            entries: b.entries[rows].iter().map(|&i| self.entry_row(i)).collect(),
        }
    }

    /// Page `n` of `/contents/`: its guide pages, then its entries grouped by brand.
    pub(super) fn contents_view(&self, n: usize) -> ContentsView<'_> {
        let site = self.site;
        let g = site.guides.len();
        let rows = nav::page_rows(n, g + site.entries.len(), LIST_PAGE);
        let guides = rows.start.min(g)..rows.end.min(g);
        let entries = rows.start.max(g) - g..rows.end.max(g) - g;
        // Entries are stored brand after brand: each brand's share of `entries` is one run.
        let mut brands: Vec<ContentsBrand> = Vec::new();
        let mut i = entries.start;
        while i < entries.end {
            let Some(e) = site.entries[i].entry else {
                i += 1;
                continue;
            };
            let b = &site.brands[e.brand];
            let first = b.entries.binary_search(&i).unwrap_or(0);
            let places = first..(first + entries.end - i).min(b.entries.len());
            debug_assert_eq!(b.entries[places.clone()].first(), Some(&i));
            i += places.len().max(1);
            let index_pages = if brand_pages(b) > 1 {
                let url = |n| format!("{}{}", self.config.base_path(), nav::page_path(&b.path, n));
                let last = places.end.saturating_sub(1);
                (nav::page_of(first, LIST_PAGE)..=nav::page_of(last, LIST_PAGE))
                    .map(|n| PagerLink {
                        number: n + 1,
                        url: url(n),
                    })
                    .collect()
            } else {
                vec![]
            };
            brands.push(ContentsBrand {
                brand: self.brand_view(b, places),
                index_pages,
            });
        }
        ContentsView {
            guide_start: guides.start + 1,
            guides: site.guides[guides].iter().map(guide_link).collect(),
            brands,
        }
    }

    /// The sidebar: a window of the guide pages around guide `guide` (the first
    /// ones elsewhere) and, on entry `entry`, a window of its brand's entries.
    pub(super) fn nav_view(&self, guide: Option<usize>, entry: Option<usize>) -> NavView<'_> {
        let site = self.site;
        let window = nav::window(site.guides.len(), guide, WINDOW);
        let more_guides = (window.len() < site.guides.len()).then(|| MoreLink {
            count: site.guides.len(),
            url: &self.contents_url,
        });
        let guides = window
            .map(|i| {
                let p = &site.guides[i];
                NavLink {
                    title: &p.title,
                    url: &p.url,
                    sensitive: p.sensitive,
                    current: guide == Some(i),
                }
            })
            .collect();
        let brand = entry.and_then(|i| {
            let b = &site.brands[site.entries[i].entry?.brand];
            let place = b.entries.binary_search(&i).ok()?;
            let entries = b.entries[nav::window(b.entries.len(), Some(place), WINDOW)]
                .iter()
                .map(|&j| NavLink {
                    title: self.label(j),
                    url: &site.entries[j].url,
                    sensitive: site.entries[j].sensitive,
                    current: j == i,
                })
                .collect();
            Some(NavBrand {
                name: &b.name,
                slug: &b.slug,
                url: &b.url,
                count: b.entries.len(),
                entries,
                index_url: format!(
                    "{}{}",
                    self.config.base_path(),
                    nav::page_path(&b.path, nav::page_of(place, LIST_PAGE))
                ),
            })
        });
        NavView {
            guides,
            more_guides,
            brand,
        }
    }

    /// Page `n` (from 0) of `total` of the list whose first page is the folder `first`.
    pub(super) fn pager(&self, first: &str, n: usize, total: usize) -> PagerView {
        let url = |i: usize| format!("{}{}", self.config.base_path(), nav::page_path(first, i));
        PagerView {
            current: n + 1,
            total,
            prev_url: n.checked_sub(1).map(url),
            next_url: (n + 1 < total).then(|| url(n + 1)),
            pages: (0..total)
                .map(|i| PagerLink {
                    number: i + 1,
                    url: url(i),
                })
                .collect(),
        }
    }

    pub(super) fn simple_page(
        &self,
        kind: &'static str,
        title: &'a str,
        url: &str,
    ) -> PageView<'a> {
        static EMPTY: std::sync::OnceLock<Extra> = std::sync::OnceLock::new();
        PageView {
            kind,
            title,
            description: None,
            url: url.to_string(),
            permalink: format!(
                "{}{}",
                self.config.base_url,
                url.trim_start_matches(self.config.base_path())
            ),
            content: "",
            toc: &[],
            revisions: vec![],
            last_revised: None,
            sensitive: false,
            has_private: false,
            breadcrumbs: vec![],
            extra: EMPTY.get_or_init(Extra::new),
            entry: None,
        }
    }

    /// A guide page, or entry `index` of `site.entries`.
    pub(super) fn page_view<'s>(&'s self, p: &'s Page, index: Option<usize>) -> PageView<'s> {
        let site = self.site;
        let neighbour = |i: Option<usize>| {
            i.and_then(|i| Some((site.entries.get(i)?, self.labels.get(site, i)?)))
                .map(|(q, label)| Neighbour {
                    title: &q.title,
                    url: &q.url,
                    label,
                })
        };
        let label = index.and_then(|i| self.labels.get(site, i)).unwrap_or("");
        let entry = p.entry.as_ref().zip(p.facts.as_ref()).map(|(e, f)| {
            let brand = &site.brands[e.brand];
            let location_parts: Vec<&str> = f
                .location
                .as_deref()
                .map_or(vec![], |l| nav::location_parts(l).collect());
            let lock_type = index.and_then(|i| self.lock_type_of(i));
            EntryView {
                brand: &brand.name,
                brand_url: &brand.url,
                model: &f.model,
                label,
                lock_type: f.lock_type.as_deref(),
                lock_type_label: lock_type.map(|t| t.name.as_str()),
                type_url: lock_type.map(|t| t.url.as_str()),
                location: f.location.as_deref(),
                location_links: index.map_or(vec![], |i| self.location_links(i, &location_parts)),
                location_parts,
                installed: date(f.installed),
                last_verified: date(f.last_verified),
                estimated_time: f.estimated_time.as_deref(),
                tools: &f.tools,
                warnings: &f.warnings,
                serial: f.serial.as_deref(),
                firmware: f.firmware.as_deref(),
                manual: f.manual.as_deref(),
                contacts: super::contacts::views(&f.contacts),
                stale: e.stale,
                prev: neighbour(e.prev),
                next: neighbour(e.next),
            }
        });
        let mut breadcrumbs = vec![Link {
            title: "Home",
            url: self.config.base_path(),
        }];
        if let Some(e) = &p.entry {
            let brand = &site.brands[e.brand];
            breadcrumbs.push(Link {
                title: "Brands",
                url: &self.brands_url,
            });
            breadcrumbs.push(Link {
                title: &brand.name,
                url: &brand.url,
            });
        }
        PageView {
            kind: if p.entry.is_some() { "entry" } else { "guide" },
            title: &p.title,
            description: p.description.as_deref(),
            url: p.url.clone(),
            permalink: format!("{}{}", self.config.base_url, p.path),
            content: &p.html,
            toc: &p.toc,
            revisions: p
                .revisions
                .iter()
                .map(|r| RevisionView {
                    date: r.date.to_string(),
                    note: &r.note,
                    author: r.author.as_deref(),
                })
                .collect(),
            last_revised: date(p.last_revised()),
            sensitive: p.sensitive,
            has_private: p.has_private,
            breadcrumbs,
            extra: &p.extra,
            entry,
        }
    }
}
