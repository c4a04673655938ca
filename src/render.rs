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
use std::path::PathBuf;
use std::sync::OnceLock;

use tera::{Context, Tera};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::frontmatter::Extra;
use crate::markdown::TocEntry;
use crate::nav::{self, LIST_PAGE, WINDOW};
use crate::search;
use crate::site::{Brand, Page, Site};
use crate::theme::Theme;

mod contacts;
mod errors;
mod feed;
mod indexes;
mod print;
mod sitemap;
mod views;

use errors::sources_tera;
pub(crate) use errors::template_diagnostic;
pub use feed::{FEED_ENTRIES, FEED_PATH};
pub use indexes::{
    index_jobs, location_pages, locations_pages, status_pages, type_pages, types_pages,
};
pub use print::{
    PART_BUDGET, PRINT_PATH, Plan as PrintPlan, PrintSource, part_path, print_jobs, print_order,
};
pub use sitemap::{sitemap_jobs, sitemap_parts};
use views::*;

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
    /// One page of `/locations/`, the top-level locations.
    Locations(usize),
    /// One page of a location: (node in `site.locations.nodes`, page).
    Location(usize, usize),
    /// One page of `/types/`.
    Types(usize),
    /// One page of a lock type's index: (type in `site.types.types`, page).
    Type(usize, usize),
    /// One page of the verification dashboard `/status/` (builds that have it).
    Status(usize),
    NotFound,
    /// `sitemap.xml` (0) and, when the site has more than `nav::SITEMAP_URLS`
    /// URLs, its parts `sitemap-<n>.xml` (n ≥ 1), `sitemap.xml` then being their index.
    Sitemap(usize),
    Robots,
    /// One file of the search index, `search/…` (see `search::build` for the order).
    Search(usize),
    /// `/print/` (0): the whole handbook on one page, or, for a handbook in
    /// parts, its title page and the contents of the parts; `/print/N/` (N ≥ 1): part N.
    Print(usize),
    /// `/feed.xml`: the newest revisions, Atom.
    Feed,
}

/// Every output page of `site`, in a fixed order (the print page's parts depend on `print_order`).
pub fn jobs(site: &Site, print_order: crate::config::PrintOrder) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::NotFound, Job::Robots, Job::Feed];
    jobs.extend(print_jobs(site, print_order));
    jobs.extend(sitemap_jobs(site));
    jobs.extend(search_jobs(site));
    jobs.extend((0..brands_pages(site)).map(Job::Brands));
    jobs.extend((0..contents_pages(site)).map(Job::Contents));
    jobs.extend((0..site.guides.len()).map(Job::Guide));
    jobs.extend((0..site.entries.len()).map(Job::Entry));
    for (i, b) in site.brands.iter().enumerate() {
        jobs.extend((0..brand_pages(b)).map(|p| Job::Brand(i, p)));
    }
    jobs.extend(index_jobs(site));
    jobs
}

/// The files of the search index.
pub fn search_jobs(site: &Site) -> impl Iterator<Item = Job> {
    (0..search::parts(site)).map(Job::Search)
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
    /// Each entry's label among its brand's, by index in `site.entries`.
    labels: Labels,
    theme: &'a Theme,
    /// The verification tally, counted once for all pages of `/status/`.
    tally: OnceLock<crate::status::Tally>,
    /// The templates as written, loaded only to report a rendering error at
    /// the line the author wrote (the renderer uses the minified texts).
    sources: OnceLock<Option<Tera>>,
    /// The search index's files, made by the first `Job::Search` rendered.
    search: OnceLock<Vec<Output>>,
    /// How long making them took, for `--verbose`.
    search_time: OnceLock<std::time::Duration>,
    /// What the print page and its parts hold, made by the first `Job::Print` rendered.
    print_plan: OnceLock<PrintPlan>,
}

/// Each entry's label among the entries of its brand, by index in `site.entries`.
/// Each entry's label among its brand's (`nav::labels`), worked out for a
/// brand when one of its entries is first asked for: the preview's edit
/// renders one brand's pages, and labelling every brand was a tenth of it.
#[derive(Debug)]
struct Labels(Vec<OnceLock<Vec<String>>>);

impl Labels {
    fn new(site: &Site) -> Labels {
        Labels(site.brands.iter().map(|_| OnceLock::new()).collect())
    }

    /// The label of entry `i` of `site.entries`.
    fn get<'s>(&'s self, site: &Site, i: usize) -> Option<&'s str> {
        let b = site.entries.get(i)?.entry.as_ref()?.brand;
        let brand = site.brands.get(b)?;
        let at = brand.entries.binary_search(&i).ok()?;
        let labels = self.0.get(b)?.get_or_init(|| brand_labels(site, brand));
        labels.get(at).map(String::as_str)
    }
}

/// The labels of a brand's entries, in its order.
fn brand_labels(site: &Site, brand: &crate::site::Brand) -> Vec<String> {
    let facts: Vec<nav::LabelFacts> = brand
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
    nav::labels(&facts)
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
                audience: site.audience.as_deref(),
                today: site.today.to_string(),
                guide_count: site.guides.len(),
                entry_count: site.entries.len(),
                brand_count: site.brands.len(),
                stale_count: site
                    .entries
                    .iter()
                    .filter(|p| p.entry.as_ref().is_some_and(|e| e.stale))
                    .count(),
                location_count: site.locations.roots.len(),
                type_count: site.types.types.len(),
                status_page: site.status_page,
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
            labels: Labels::new(site),
            theme,
            tally: OnceLock::new(),
            sources: OnceLock::new(),
            search: OnceLock::new(),
            search_time: OnceLock::new(),
            print_plan: OnceLock::new(),
        })
    }

    /// What the print page and its parts hold (made once).
    fn print_plan(&self) -> &PrintPlan {
        self.print_plan
            .get_or_init(|| PrintPlan::new(self.site, self.config.print_order))
    }

    /// Makes the search index: `produce` calls it beside the other jobs
    /// (`rayon::join`) when it has search jobs, so its parallel parts use
    /// every core instead of one thread making it while the others wait on it.
    pub fn prepare_search(&self) {
        self.search_files();
    }

    fn search_files(&self) -> &[Output] {
        self.search.get_or_init(|| {
            let t = std::time::Instant::now();
            let files = search::build(self.site);
            let _ = self.search_time.set(t.elapsed());
            files
        })
    }

    /// How long the search index took to make, once a `Job::Search` made it.
    pub fn search_time(&self) -> Option<std::time::Duration> {
        self.search_time.get().copied()
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
            Job::Locations(_)
            | Job::Location(..)
            | Job::Types(_)
            | Job::Type(..)
            | Job::Status(_) => self.render_index(job, &mut ctx),
            Job::NotFound => {
                let url = format!("{}404.html", self.config.base_path());
                ctx.insert("page", &self.simple_page("404", "Page not found", &url));
                ctx.insert("nav", &self.nav_view(None, None));
                ("404.html", "404.html".to_string())
            }
            Job::Print(n) => {
                let path = part_path(n);
                let url = format!("{}{path}", self.config.base_path());
                let title = match n {
                    0 => "Printable handbook".to_string(),
                    n => format!("Printable handbook, part {n}"),
                };
                ctx.insert("page", &self.simple_page("print", &title, &url));
                ctx.insert("print", &self.print_view(n));
                ("print.html", format!("{path}index.html"))
            }
            Job::Feed => return Ok(self.feed()),
            Job::Sitemap(part) => return Ok(self.sitemap(part, nav::SITEMAP_URLS)),
            Job::Search(n) => {
                return self.search_files().get(n).cloned().ok_or_else(|| {
                    Diagnostic::error("", 0, 0, format!("no search index file {n}"))
                        .with_hint("this is a bug in lockgen; please report it")
                });
            }
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

    fn tally(&self) -> &crate::status::Tally {
        self.tally
            .get_or_init(|| crate::status::tally(self.site, self.config.stale_after_days))
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

pub fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
