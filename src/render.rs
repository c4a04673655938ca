//! `Site` + `Theme` → `Output`s: Tera templates over view structs.
//!
//! The templates come loaded from the theme stage (`theme::load`); rendering
//! does no I/O. What every page shares
//! (site settings, guide list, brand list) sits in Tera's global context, set
//! once, for site templates; a page's own context is small and bounded: its
//! sidebar is a window of its neighbours (`nav`), and every list is split into
//! pages of at most `nav::LIST_PAGE` rows, so no page grows with the site.
//! `jobs` lists what to render; each job renders independently, so the writer
//! can run them in parallel and stream.

use std::collections::HashMap;
use std::ops::Range;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde::Serialize;
use tera::{Context, Tera};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::frontmatter::Extra;
use crate::markdown::TocEntry;
use crate::nav::{self, LIST_PAGE, WINDOW};
use crate::site::{Brand, Page, Site};
use crate::theme::Theme;

mod sitemap;
pub use sitemap::{sitemap_jobs, sitemap_parts};

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Output {
    /// Path under the output dir, `/`-separated.
    pub rel_path: String,
    pub bytes: Vec<u8>,
}

/// Where a copied file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CopySource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// A file copied into the output as is (theme static files, `static/`, bundle assets).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    pub rel_path: String,
    pub source: CopySource,
}

/// One output file to render. List pages are numbered from 0 (`/brands/` is
/// `Brands(0)`, `/brands/page/2/` is `Brands(1)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Job {
    Home,
    Guide(usize),
    Entry(usize),
    /// One page of `/brands/`.
    Brands(usize),
    /// One page of a brand's index: (brand, page).
    Brand(usize, usize),
    /// One page of the table of contents, `/contents/`.
    Contents(usize),
    NotFound,
    /// `sitemap.xml` (0) and, when the site has more than `nav::SITEMAP_URLS`
    /// URLs, its parts `sitemap-<n>.xml` (n ≥ 1), `sitemap.xml` then being their index.
    Sitemap(usize),
    Robots,
}

/// Every output page of `site`, in a fixed order.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::NotFound, Job::Robots];
    jobs.extend(sitemap_jobs(site));
    jobs.extend((0..brands_pages(site)).map(Job::Brands));
    jobs.extend((0..contents_pages(site)).map(Job::Contents));
    jobs.extend((0..site.guides.len()).map(Job::Guide));
    jobs.extend((0..site.entries.len()).map(Job::Entry));
    for (i, b) in site.brands.iter().enumerate() {
        jobs.extend((0..brand_pages(b)).map(|p| Job::Brand(i, p)));
    }
    jobs
}

/// Pages of `/contents/`: the guide pages, then every entry, `LIST_PAGE` rows a page.
pub fn contents_pages(site: &Site) -> usize {
    nav::page_count(site.guides.len() + site.entries.len(), LIST_PAGE)
}

/// Pages of `/brands/`.
pub fn brands_pages(site: &Site) -> usize {
    nav::page_count(site.brands.len(), LIST_PAGE)
}

/// Pages of one brand's index.
pub fn brand_pages(brand: &Brand) -> usize {
    nav::page_count(brand.entries.len(), LIST_PAGE)
}

/// The `/contents/` pages that list entry `i` of `site.entries`.
pub fn contents_page_of_entry(site: &Site, i: usize) -> usize {
    nav::page_of(site.guides.len() + i, LIST_PAGE)
}

pub struct Renderer<'a> {
    tera: Tera,
    site: &'a Site,
    config: &'a Config,
    brands_url: String,
    contents_url: String,
    /// Template name → the file it came from, for diagnostics.
    paths: HashMap<String, String>,
    /// Each entry's label among its brand's (`nav::labels`), by index in `site.entries`.
    labels: Vec<String>,
    theme: &'a Theme,
    /// The templates as written, loaded only to report a rendering error at
    /// the line the author wrote (the renderer uses the minified texts).
    sources: OnceLock<Option<Tera>>,
}

// ---- views: what templates see ------------------------------------------

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    language: &'a str,
    base_url: &'a str,
    base_path: &'a str,
    private: bool,
    today: String,
    guide_count: usize,
    entry_count: usize,
    brand_count: usize,
    stale_count: usize,
}

#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    url: &'a str,
}

/// A previous or next entry: its label tells it apart from same-model siblings.
#[derive(Serialize)]
struct Neighbour<'a> {
    title: &'a str,
    url: &'a str,
    label: &'a str,
}

#[derive(Serialize)]
struct GuideLink<'a> {
    title: &'a str,
    url: &'a str,
    sensitive: bool,
}

#[derive(Serialize)]
struct BrandSummary<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
}

#[derive(Serialize)]
struct EntryRow<'a> {
    title: &'a str,
    url: &'a str,
    model: &'a str,
    label: &'a str,
    lock_type: Option<&'a str>,
    location: Option<&'a str>,
    last_verified: Option<String>,
    stale: bool,
    sensitive: bool,
}

/// A brand with some of its entries: a group of the home page or of a
/// `/contents/` page, or one page of the brand's index.
#[derive(Serialize)]
struct BrandView<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    /// All of the brand's entries, listed or not.
    count: usize,
    entries: Vec<EntryRow<'a>>,
    /// The place (from 1) of the first listed entry among the brand's.
    first: usize,
}

/// The sidebar of one page: a window of the guide pages and, on an entry, of its brand.
#[derive(Serialize)]
struct NavView<'a> {
    guides: Vec<NavLink<'a>>,
    /// Where all guide pages are listed, when the window leaves some out.
    more_guides: Option<MoreLink<'a>>,
    brand: Option<NavBrand<'a>>,
}

#[derive(Serialize)]
struct NavLink<'a> {
    title: &'a str,
    url: &'a str,
    sensitive: bool,
    current: bool,
}

#[derive(Serialize)]
struct MoreLink<'a> {
    count: usize,
    url: &'a str,
}

#[derive(Serialize)]
struct NavBrand<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
    entries: Vec<NavLink<'a>>,
    /// The page of the brand's index that lists the current entry.
    index_url: String,
}

#[derive(Serialize)]
struct PagerView {
    /// From 1.
    current: usize,
    total: usize,
    prev_url: Option<String>,
    next_url: Option<String>,
    pages: Vec<PagerLink>,
}

#[derive(Serialize)]
struct PagerLink {
    number: usize,
    url: String,
}

/// The home page's lists, bounded by `LIST_PAGE`.
#[derive(Serialize)]
struct HomeView<'a> {
    guides: Vec<GuideLink<'a>>,
    /// Guide pages not listed here (0: none); `/contents/` lists them.
    more_guides: usize,
    /// Whether `toc` holds every entry (a site of at most `LIST_PAGE` entries).
    lists_entries: bool,
    /// Brands not listed here (0: none); `/brands/` lists them.
    more_brands: usize,
}

/// One page of `/contents/`.
#[derive(Serialize)]
struct ContentsView<'a> {
    guides: Vec<GuideLink<'a>>,
    /// The place (from 1) of the first listed guide page.
    guide_start: usize,
    brands: Vec<ContentsBrand<'a>>,
}

/// A brand's entries on a `/contents/` page.
#[derive(Serialize)]
struct ContentsBrand<'a> {
    #[serde(flatten)]
    brand: BrandView<'a>,
    /// The pages of the brand's index that list these entries (one or two),
    /// when it has several: so every page of every index is two clicks from `/contents/`.
    index_pages: Vec<PagerLink>,
}

#[derive(Serialize)]
struct RevisionView<'a> {
    date: String,
    note: &'a str,
    author: Option<&'a str>,
}

#[derive(Serialize)]
struct EntryView<'a> {
    brand: &'a str,
    brand_url: &'a str,
    model: &'a str,
    label: &'a str,
    lock_type: Option<&'a str>,
    location: Option<&'a str>,
    location_parts: Vec<&'a str>,
    installed: Option<String>,
    last_verified: Option<String>,
    estimated_time: Option<&'a str>,
    tools: &'a [String],
    warnings: &'a [String],
    stale: bool,
    prev: Option<Neighbour<'a>>,
    next: Option<Neighbour<'a>>,
}

#[derive(Serialize)]
struct PageView<'a> {
    kind: &'static str,
    title: &'a str,
    description: Option<&'a str>,
    url: String,
    permalink: String,
    content: &'a str,
    toc: &'a [TocEntry],
    revisions: Vec<RevisionView<'a>>,
    last_revised: Option<String>,
    sensitive: bool,
    has_private: bool,
    breadcrumbs: Vec<Link<'a>>,
    extra: &'a Extra,
    entry: Option<EntryView<'a>>,
}

fn date(d: Option<jiff::civil::Date>) -> Option<String> {
    d.map(|d| d.to_string())
}

fn guide_link(p: &Page) -> GuideLink<'_> {
    GuideLink {
        title: &p.title,
        url: &p.url,
        sensitive: p.sensitive,
    }
}

fn brand_summary(b: &Brand) -> BrandSummary<'_> {
    BrandSummary {
        name: &b.name,
        slug: &b.slug,
        url: &b.url,
        count: b.entries.len(),
    }
}

/// Each entry's label among the entries of its brand, by index in `site.entries`.
fn entry_labels(site: &Site) -> Vec<String> {
    let mut labels = vec![String::new(); site.entries.len()];
    for b in &site.brands {
        let facts: Vec<nav::LabelFacts> = b
            .entries
            .iter()
            .map(|&i| {
                let p = &site.entries[i];
                let f = p.facts.as_ref();
                nav::LabelFacts {
                    model: f.map_or("", |f| f.model.as_str()),
                    location: f.and_then(|f| f.location.as_deref()),
                    title: &p.title,
                    path: &p.path,
                }
            })
            .collect();
        for (&i, label) in b.entries.iter().zip(nav::labels(&facts)) {
            labels[i] = label;
        }
    }
    labels
}

impl<'a> Renderer<'a> {
    /// Builds Tera from the loaded theme, sets the global context and labels
    /// the entries.
    pub fn new(
        config: &'a Config,
        site: &'a Site,
        theme: &'a Theme,
    ) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let paths: HashMap<String, String> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.display.clone()))
            .collect();
        // The minified texts, or the sources if those will not load together
        // (an include or extend between them is wrong): the error then points
        // at the line as written.
        let mut tera = Tera::new();
        if tera
            .add_raw_templates(
                theme
                    .templates
                    .iter()
                    .map(|t| (t.name.as_str(), t.text.as_str())),
            )
            .is_err()
        {
            tera = sources_tera(theme)
                .map_err(|e| vec![template_diagnostic(&e, &paths, "", "template error")])?;
        }
        let globals = tera.global_context();
        globals.insert(
            "site",
            &SiteView {
                title: &config.title,
                description: &config.description,
                language: &config.language,
                base_url: &config.base_url,
                base_path: config.base_path(),
                private: site.private,
                today: site.today.to_string(),
                guide_count: site.guides.len(),
                entry_count: site.entries.len(),
                brand_count: site.brands.len(),
                stale_count: site
                    .entries
                    .iter()
                    .filter(|p| p.entry.as_ref().is_some_and(|e| e.stale))
                    .count(),
            },
        );
        // Whole lists, set once for site templates; the default theme lists windows of them.
        let guides: Vec<GuideLink> = site.guides.iter().map(guide_link).collect();
        globals.insert("guides", &guides);
        let brands: Vec<BrandSummary> = site.brands.iter().map(brand_summary).collect();
        globals.insert("brands", &brands);
        Ok(Renderer {
            tera,
            site,
            config,
            brands_url: format!("{}brands/", config.base_path()),
            contents_url: format!("{}contents/", config.base_path()),
            paths,
            labels: entry_labels(site),
            theme,
            sources: OnceLock::new(),
        })
    }

    /// Renders one job; a template error names the template.
    pub fn render(&self, job: Job) -> Result<Output, Diagnostic> {
        let site = self.site;
        let mut ctx = Context::new();
        let (template, rel_path) = match job {
            Job::Home => {
                let home = &site.home;
                ctx.insert(
                    "page",
                    &PageView {
                        kind: "home",
                        title: &home.title,
                        description: home.description.as_deref(),
                        url: self.config.base_path().to_string(),
                        permalink: self.config.base_url.clone(),
                        content: &home.html,
                        toc: &home.toc,
                        revisions: vec![],
                        last_revised: None,
                        sensitive: false,
                        has_private: false,
                        breadcrumbs: vec![],
                        extra: &home.extra,
                        entry: None,
                    },
                );
                let lists_entries = site.entries.len() <= LIST_PAGE;
                let toc: Vec<BrandView> = site
                    .brands
                    .iter()
                    .take(LIST_PAGE)
                    .map(|b| {
                        let rows = if lists_entries {
                            0..b.entries.len()
                        } else {
                            0..0
                        };
                        self.brand_view(b, rows)
                    })
                    .collect();
                let guides = &site.guides[..site.guides.len().min(LIST_PAGE)];
                ctx.insert("toc", &toc);
                ctx.insert(
                    "home",
                    &HomeView {
                        guides: guides.iter().map(guide_link).collect(),
                        more_guides: site.guides.len() - guides.len(),
                        lists_entries,
                        more_brands: site.brands.len() - toc.len(),
                    },
                );
                ctx.insert("nav", &self.nav_view(None, None));
                ("index.html", "index.html".to_string())
            }
            Job::Guide(i) => {
                let p = &site.guides[i];
                ctx.insert("page", &self.page_view(p, None));
                ctx.insert("nav", &self.nav_view(Some(i), None));
                ("page.html", format!("{}index.html", p.path))
            }
            Job::Entry(i) => {
                let p = &site.entries[i];
                ctx.insert("page", &self.page_view(p, Some(i)));
                if let Some(e) = &p.entry {
                    ctx.insert("brand", &brand_summary(&site.brands[e.brand]));
                }
                ctx.insert("nav", &self.nav_view(None, Some(i)));
                ("entry.html", format!("{}index.html", p.path))
            }
            Job::Brands(n) => {
                let rows = nav::page_rows(n, site.brands.len(), LIST_PAGE);
                let path = nav::page_path("brands/", n);
                let url = format!("{}{path}", self.config.base_path());
                ctx.insert("page", &self.simple_page("brands", "All brands", &url));
                let listed: Vec<BrandSummary> =
                    site.brands[rows].iter().map(brand_summary).collect();
                ctx.insert("page_brands", &listed);
                ctx.insert("pager", &self.pager("brands/", n, brands_pages(site)));
                ctx.insert("nav", &self.nav_view(None, None));
                ("brands.html", format!("{path}index.html"))
            }
            Job::Brand(i, n) => {
                let b = &site.brands[i];
                let path = nav::page_path(&b.path, n);
                let url = format!("{}{path}", self.config.base_path());
                ctx.insert("page", &self.simple_page("brand", &b.name, &url));
                let rows = nav::page_rows(n, b.entries.len(), LIST_PAGE);
                ctx.insert("brand", &self.brand_view(b, rows));
                ctx.insert("pager", &self.pager(&b.path, n, brand_pages(b)));
                ctx.insert("nav", &self.nav_view(None, None));
                ("brand.html", format!("{path}index.html"))
            }
            Job::Contents(n) => {
                let path = nav::page_path("contents/", n);
                let url = format!("{}{path}", self.config.base_path());
                ctx.insert("page", &self.simple_page("contents", "Contents", &url));
                ctx.insert("contents", &self.contents_view(n));
                ctx.insert("pager", &self.pager("contents/", n, contents_pages(site)));
                ctx.insert("nav", &self.nav_view(None, None));
                ("contents.html", format!("{path}index.html"))
            }
            Job::NotFound => {
                let url = format!("{}404.html", self.config.base_path());
                ctx.insert("page", &self.simple_page("404", "Page not found", &url));
                ctx.insert("nav", &self.nav_view(None, None));
                ("404.html", "404.html".to_string())
            }
            Job::Sitemap(part) => return Ok(self.sitemap(part, nav::SITEMAP_URLS)),
            Job::Robots => {
                return Ok(Output {
                    rel_path: "robots.txt".into(),
                    bytes: self.robots().into_bytes(),
                });
            }
        };
        let html = self.render_template(template, &ctx, || format!("cannot render {rel_path}"))?;
        Ok(Output {
            rel_path,
            bytes: html.into_bytes(),
        })
    }

    /// Renders `name`; on an error, renders it again from the templates as
    /// written so the diagnostic names the line the author wrote.
    fn render_template(
        &self,
        name: &str,
        ctx: &Context,
        context: impl Fn() -> String,
    ) -> Result<String, Diagnostic> {
        self.tera.render(name, ctx).map_err(|e| {
            let sources = self.sources.get_or_init(|| {
                let mut tera = sources_tera(self.theme).ok()?;
                *tera.global_context() = self.tera.clone().global_context().clone();
                Some(tera)
            });
            let e = match sources.as_ref().map(|t| t.render(name, ctx)) {
                Some(Err(written)) => written,
                _ => e,
            };
            template_diagnostic(&e, &self.paths, name, &context())
        })
    }

    fn entry_row(&self, i: usize) -> EntryRow<'_> {
        let p = &self.site.entries[i];
        let f = p.facts.as_ref();
        EntryRow {
            title: &p.title,
            url: &p.url,
            model: f.map_or("", |f| f.model.as_str()),
            label: &self.labels[i],
            lock_type: f.and_then(|f| f.lock_type.as_deref()),
            location: f.and_then(|f| f.location.as_deref()),
            last_verified: date(f.and_then(|f| f.last_verified)),
            stale: p.entry.is_some_and(|e| e.stale),
            sensitive: p.sensitive,
        }
    }

    /// Brand `b` with its entries at places `rows` (from 0) among its own.
    fn brand_view(&self, b: &'a Brand, rows: Range<usize>) -> BrandView<'_> {
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
    fn contents_view(&self, n: usize) -> ContentsView<'_> {
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
    fn nav_view(&self, guide: Option<usize>, entry: Option<usize>) -> NavView<'_> {
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
                    title: &self.labels[j],
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
    fn pager(&self, first: &str, n: usize, total: usize) -> PagerView {
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

    fn simple_page(&self, kind: &'static str, title: &'a str, url: &str) -> PageView<'a> {
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
    fn page_view<'s>(&'s self, p: &'s Page, index: Option<usize>) -> PageView<'s> {
        let site = self.site;
        let neighbour = |i: Option<usize>| {
            i.and_then(|i| Some((site.entries.get(i)?, self.labels.get(i)?)))
                .map(|(q, label)| Neighbour {
                    title: &q.title,
                    url: &q.url,
                    label,
                })
        };
        let label = index
            .and_then(|i| self.labels.get(i))
            .map_or("", String::as_str);
        let entry = p.entry.as_ref().zip(p.facts.as_ref()).map(|(e, f)| {
            let brand = &site.brands[e.brand];
            EntryView {
                brand: &brand.name,
                brand_url: &brand.url,
                model: &f.model,
                label,
                lock_type: f.lock_type.as_deref(),
                location: f.location.as_deref(),
                location_parts: f.location.as_deref().map_or(vec![], |l| {
                    l.split('/')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .collect()
                }),
                installed: date(f.installed),
                last_verified: date(f.last_verified),
                estimated_time: f.estimated_time.as_deref(),
                tools: &f.tools,
                warnings: &f.warnings,
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

    fn robots(&self) -> String {
        if self.site.private {
            "User-agent: *\nDisallow: /\n".to_string()
        } else {
            format!(
                "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
                self.config.base_url
            )
        }
    }
}

/// The theme's templates as written.
fn sources_tera(theme: &Theme) -> Result<Tera, tera::Error> {
    let mut tera = Tera::new();
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.source.as_str())),
    )?;
    Ok(tera)
}

/// A Tera error as a diagnostic at the template file and line it names
/// (the innermost error with a source position), else at `fallback`'s file.
pub(crate) fn template_diagnostic(
    e: &tera::Error,
    paths: &HashMap<String, String>,
    fallback: &str,
    context: &str,
) -> Diagnostic {
    let display = |name: &str| {
        paths
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    };
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut located = None;
    while let Some(err) = current {
        if let Some(t) = err.downcast_ref::<tera::Error>()
            && let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = t.kind()
        {
            located = Some((
                r.filename().to_string(),
                r.span().start_line,
                r.span().start_col + 1,
                r.message().to_string(),
            ));
        }
        current = err.source();
    }
    let text = error_chain(e);
    // Some reports carry their position only in their text: " --> page.html:4:12".
    let from_text = || {
        let rest = &text[text.find(" --> ")? + 5..];
        let mut parts = rest.split(|c: char| c == ':' || c.is_whitespace());
        let (file, line, col) = (
            parts.next()?,
            parts.next()?.parse().ok()?,
            parts.next()?.parse().ok()?,
        );
        let message = text[..text.find(" --> ")?]
            .trim()
            .trim_start_matches("error: ")
            .to_string();
        Some((file.to_string(), line, col, message))
    };
    let named = match e.kind() {
        tera::ErrorKind::CircularInclude { tpl, .. }
        | tera::ErrorKind::CircularExtend { tpl, .. } => Some(tpl.as_str()),
        tera::ErrorKind::MissingParent { current, .. } => Some(current.as_str()),
        _ => None,
    };
    match located.filter(|l| !l.0.is_empty()).or_else(from_text) {
        Some((file, line, col, message)) => {
            Diagnostic::error(display(&file), line, col, format!("{context}: {message}"))
        }
        None => {
            let path = match named.or((!fallback.is_empty()).then_some(fallback)) {
                Some(name) => display(name),
                None => "templates".to_string(),
            };
            Diagnostic::error(path, 0, 0, format!("{context}: {text}"))
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
