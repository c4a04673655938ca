//! `Site` + `Theme` → `Output`s: Tera templates over view structs.
//!
//! The templates come loaded from the theme stage (`theme::load`); rendering
//! does no I/O. What every page shares
//! (site settings, guide list, brand list) sits in Tera's global context, set
//! once; a page's own context is small. `jobs` lists what to render; each job
//! renders independently, so the writer can run them in parallel and stream.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use rayon::prelude::*;

use serde::Serialize;
use tera::{Context, Tera};

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::frontmatter::Extra;
use crate::markdown::TocEntry;
use crate::site::{Page, Site};
use crate::theme::Theme;

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

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Job {
    Home,
    Guide(usize),
    Entry(usize),
    Brands,
    Brand(usize),
    NotFound,
    Sitemap,
    Robots,
}

/// Every output page of `site`, in a fixed order.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![
        Job::Home,
        Job::Brands,
        Job::NotFound,
        Job::Sitemap,
        Job::Robots,
    ];
    jobs.extend((0..site.guides.len()).map(Job::Guide));
    jobs.extend((0..site.entries.len()).map(Job::Entry));
    jobs.extend((0..site.brands.len()).map(Job::Brand));
    jobs
}

pub struct Renderer<'a> {
    tera: Tera,
    site: &'a Site,
    config: &'a Config,
    brands_url: String,
    /// Template name → the file it came from, for diagnostics.
    paths: HashMap<String, String>,
    theme: &'a Theme,
    /// The templates as written, loaded only to report a rendering error at
    /// the line the author wrote (the renderer uses the minified texts).
    sources: OnceLock<Option<Tera>>,
    /// Each brand's entry list rendered by `entry_list.html`, in `site.brands` order.
    brand_lists: Vec<Arc<str>>,
}

/// Brand entry lists rendered by earlier renderers, by brand slug and a hash
/// of the list's rows (`lockgen serve` re-renders only lists that changed).
#[derive(Debug, Default)]
pub struct ListCache {
    lists: HashMap<String, (u64, Arc<str>)>,
}

#[derive(Serialize)]
struct TocBrand<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    count: usize,
    entries_html: tera::Value,
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
    entry_count: usize,
    brand_count: usize,
    stale_count: usize,
}

#[derive(Serialize)]
struct Link<'a> {
    title: &'a str,
    url: &'a str,
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

#[derive(Serialize, Hash)]
struct EntryRow<'a> {
    title: &'a str,
    url: &'a str,
    model: &'a str,
    lock_type: Option<&'a str>,
    location: Option<&'a str>,
    last_verified: Option<String>,
    stale: bool,
    sensitive: bool,
}

#[derive(Serialize, Hash)]
struct BrandView<'a> {
    name: &'a str,
    slug: &'a str,
    url: &'a str,
    entries: Vec<EntryRow<'a>>,
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
    lock_type: Option<&'a str>,
    location: Option<&'a str>,
    location_parts: Vec<&'a str>,
    installed: Option<String>,
    last_verified: Option<String>,
    estimated_time: Option<&'a str>,
    tools: &'a [String],
    warnings: &'a [String],
    stale: bool,
    prev: Option<Link<'a>>,
    next: Option<Link<'a>>,
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

fn entry_row(p: &Page) -> EntryRow<'_> {
    let f = p.facts.as_ref();
    EntryRow {
        title: &p.title,
        url: &p.url,
        model: f.map_or("", |f| f.model.as_str()),
        lock_type: f.and_then(|f| f.lock_type.as_deref()),
        location: f.and_then(|f| f.location.as_deref()),
        last_verified: date(f.and_then(|f| f.last_verified)),
        stale: p.entry.is_some_and(|e| e.stale),
        sensitive: p.sensitive,
    }
}

impl<'a> Renderer<'a> {
    /// Builds Tera from the loaded theme, sets the global context and renders
    /// each brand's entry list once (reusing `cache` entries whose rows are unchanged).
    pub fn new(
        config: &'a Config,
        site: &'a Site,
        theme: &'a Theme,
        cache: Option<&mut ListCache>,
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
                entry_count: site.entries.len(),
                brand_count: site.brands.len(),
                stale_count: site
                    .entries
                    .iter()
                    .filter(|p| p.entry.as_ref().is_some_and(|e| e.stale))
                    .count(),
            },
        );
        let guides: Vec<GuideLink> = site
            .guides
            .iter()
            .map(|p| GuideLink {
                title: &p.title,
                url: &p.url,
                sensitive: p.sensitive,
            })
            .collect();
        globals.insert("guides", &guides);
        let brands: Vec<BrandSummary> = site
            .brands
            .iter()
            .map(|b| BrandSummary {
                name: &b.name,
                slug: &b.slug,
                url: &b.url,
                count: b.entries.len(),
            })
            .collect();
        globals.insert("brands", &brands);
        let mut renderer = Renderer {
            tera,
            site,
            config,
            brands_url: format!("{}brands/", config.base_path()),
            paths,
            theme,
            sources: OnceLock::new(),
            brand_lists: Vec::new(),
        };
        renderer.brand_lists = renderer.render_brand_lists(cache)?;
        Ok(renderer)
    }

    fn render_brand_lists(
        &self,
        cache: Option<&mut ListCache>,
    ) -> Result<Vec<Arc<str>>, Vec<Diagnostic>> {
        let views: Vec<(u64, BrandView)> = self
            .site
            .brands
            .iter()
            .map(|b| {
                let view = self.brand_view(b);
                let mut h = rustc_hash::FxHasher::default();
                view.hash(&mut h);
                (h.finish(), view)
            })
            .collect();
        let previous = cache.as_deref().map(|c| &c.lists);
        let lists: Vec<Result<Arc<str>, Diagnostic>> = views
            .par_iter()
            .map(|(key, view)| {
                if let Some((k, html)) = previous.and_then(|p| p.get(view.slug))
                    && k == key
                {
                    return Ok(Arc::clone(html));
                }
                let mut ctx = Context::new();
                ctx.insert("b", view);
                let context = || format!("cannot render the entry list of {}", view.name);
                self.render_template("entry_list.html", &ctx, context)
                    .map(Arc::from)
            })
            .collect();
        let mut out = Vec::with_capacity(lists.len());
        let mut errors = Vec::new();
        for l in lists {
            match l {
                Ok(html) => out.push(html),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        if let Some(cache) = cache {
            cache.lists = views
                .iter()
                .zip(&out)
                .map(|((k, v), html)| (v.slug.to_string(), (*k, Arc::clone(html))))
                .collect();
        }
        Ok(out)
    }

    /// Renders one job; a template error names the template.
    pub fn render(&self, job: Job) -> Result<Output, Diagnostic> {
        let site = self.site;
        let (template, rel_path, ctx) = match job {
            Job::Home => {
                let mut ctx = Context::new();
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
                let toc: Vec<TocBrand> = site
                    .brands
                    .iter()
                    .zip(&self.brand_lists)
                    .map(|(b, html)| TocBrand {
                        name: &b.name,
                        slug: &b.slug,
                        url: &b.url,
                        count: b.entries.len(),
                        entries_html: tera::Value::safe_string(html),
                    })
                    .collect();
                ctx.insert("toc", &toc);
                ("index.html", "index.html".to_string(), ctx)
            }
            Job::Guide(i) => {
                let p = &site.guides[i];
                let mut ctx = Context::new();
                ctx.insert("page", &self.page_view(p));
                ("page.html", format!("{}index.html", p.path), ctx)
            }
            Job::Entry(i) => {
                let p = &site.entries[i];
                let mut ctx = Context::new();
                ctx.insert("page", &self.page_view(p));
                if let Some(e) = &p.entry {
                    ctx.insert("brand", &self.brand_view(&site.brands[e.brand]));
                }
                ("entry.html", format!("{}index.html", p.path), ctx)
            }
            Job::Brands => {
                let mut ctx = Context::new();
                ctx.insert(
                    "page",
                    &self.simple_page("brands", "All brands", &self.brands_url),
                );
                ("brands.html", "brands/index.html".to_string(), ctx)
            }
            Job::Brand(i) => {
                let b = &site.brands[i];
                let mut ctx = Context::new();
                ctx.insert("page", &self.simple_page("brand", &b.name, &b.url));
                ctx.insert("brand", &self.brand_view(b));
                ("brand.html", format!("{}index.html", b.path), ctx)
            }
            Job::NotFound => {
                let mut ctx = Context::new();
                ctx.insert(
                    "page",
                    &self.simple_page(
                        "404",
                        "Page not found",
                        &format!("{}404.html", self.config.base_path()),
                    ),
                );
                ("404.html", "404.html".to_string(), ctx)
            }
            Job::Sitemap => {
                return Ok(Output {
                    rel_path: "sitemap.xml".into(),
                    bytes: self.sitemap().into_bytes(),
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

    fn brand_view(&self, b: &'a crate::site::Brand) -> BrandView<'a> {
        BrandView {
            name: &b.name,
            slug: &b.slug,
            url: &b.url,
            entries: b
                .entries
                .iter()
                .map(|&i| entry_row(&self.site.entries[i]))
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

    fn page_view<'s>(&'s self, p: &'s Page) -> PageView<'s> {
        let site = self.site;
        let link = |i: Option<usize>| {
            i.and_then(|i| site.entries.get(i)).map(|q| Link {
                title: &q.title,
                url: &q.url,
            })
        };
        let entry = p.entry.as_ref().zip(p.facts.as_ref()).map(|(e, f)| {
            let brand = &site.brands[e.brand];
            EntryView {
                brand: &brand.name,
                brand_url: &brand.url,
                model: &f.model,
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
                prev: link(e.prev),
                next: link(e.next),
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

    fn sitemap(&self) -> String {
        let base = &self.config.base_url;
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        let mut url = |path: &str, lastmod: Option<jiff::civil::Date>| {
            xml.push_str(&format!(
                "  <url><loc>{}</loc>",
                xml_escape(&format!("{base}{path}"))
            ));
            if let Some(d) = lastmod {
                xml.push_str(&format!("<lastmod>{d}</lastmod>"));
            }
            xml.push_str("</url>\n");
        };
        url("", None);
        for p in self.site.guides.iter().chain(&self.site.entries) {
            url(&p.path, p.last_revised());
        }
        url("brands/", None);
        for b in &self.site.brands {
            url(&b.path, None);
        }
        xml.push_str("</urlset>\n");
        xml
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
