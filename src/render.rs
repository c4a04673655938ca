//! `Site` → `Output`s: Tera templates over view structs.
//!
//! The built-in theme `default` is embedded; a site's `themes/<theme>/templates/`
//! and then its `templates/` override it file by file. What every page shares
//! (site settings, guide list, brand list) sits in Tera's global context, set
//! once; a page's own context is small. `jobs` lists what to render; each job
//! renders independently, so the writer can run them in parallel and stream.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use include_dir::{Dir, include_dir};
use serde::Serialize;
use tera::{Context, Tera};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::frontmatter::Extra;
use crate::markdown::TocEntry;
use crate::site::{Page, Site};
use crate::source::{is_editor_leftover, is_ignored_name};

/// The built-in theme's templates and static files (its screenshot stays out of the binary).
static DEFAULT_TEMPLATES: Dir<'static> =
    include_dir!("$CARGO_MANIFEST_DIR/themes/default/templates");
static DEFAULT_STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default/static");

/// The templates every theme provides (a theme may leave any of them to the default).
pub const TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "page.html",
    "entry.html",
    "brands.html",
    "brand.html",
    "404.html",
    "entry_list.html",
    "page_toc.html",
    "revision_list.html",
];

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
    /// Loads the theme and the site's overrides and sets the global context.
    /// Loads the templates, sets the global context and renders each brand's
    /// entry list once (reusing `cache` entries whose rows are unchanged).
    pub fn new(
        config: &'a Config,
        site: &'a Site,
        cache: Option<&mut ListCache>,
    ) -> Result<Renderer<'a>, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        let mut diags = Vec::new();
        let mut templates: Vec<(String, String, String)> = Vec::new(); // (name, display path, text)
        for name in TEMPLATES {
            if let Some(f) = DEFAULT_TEMPLATES.get_file(name) {
                let text = f.contents_utf8().unwrap_or_default().to_string();
                templates.push((
                    name.to_string(),
                    format!("(built-in theme)/templates/{name}"),
                    text,
                ));
            }
        }
        let theme_dir = config.root.join("themes").join(&config.theme);
        if config.theme != "default" && !theme_dir.is_dir() {
            diags.push(Diagnostic::error(
                "site.toml",
                1,
                1,
                format!(
                    "theme '{}' not found: no folder themes/{}",
                    config.theme, config.theme
                ),
            ));
        }
        for dir in overrides(config, "templates") {
            for (name, path) in walk_files(&dir, is_ignored_name) {
                let display = rel_display(&config.root, &path);
                match std::fs::read_to_string(&path) {
                    Ok(text) => {
                        templates.retain(|(n, _, _)| *n != name);
                        templates.push((name, display, text));
                    }
                    Err(e) => diags.push(Diagnostic::error(
                        display,
                        0,
                        0,
                        format!("cannot read template: {e}"),
                    )),
                }
            }
        }
        let paths: HashMap<String, String> = templates
            .iter()
            .map(|(n, d, _)| (n.clone(), d.clone()))
            .collect();
        // One by one first, so a syntax error names its own file; then together, which
        // checks the includes and extends between them.
        for (name, _, text) in &templates {
            if let Err(e) = Tera::new().add_raw_template(name, text)
                && matches!(e.kind(), tera::ErrorKind::SyntaxError(_))
            {
                diags.push(template_diagnostic(&e, &paths, name, "template error"));
            }
        }
        if diags.is_empty()
            && let Err(e) =
                tera.add_raw_templates(templates.iter().map(|(n, _, t)| (n.as_str(), t.as_str())))
        {
            diags.push(template_diagnostic(&e, &paths, "", "template error"));
        }
        if !diags.is_empty() {
            return Err(diags);
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
                self.tera
                    .render("entry_list.html", &ctx)
                    .map(Arc::from)
                    .map_err(|e| {
                        let context = format!("cannot render the entry list of {}", view.name);
                        template_diagnostic(&e, &self.paths, "entry_list.html", &context)
                    })
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
        let html = self.tera.render(template, &ctx).map_err(|e| {
            template_diagnostic(
                &e,
                &self.paths,
                template,
                &format!("cannot render {rel_path}"),
            )
        })?;
        Ok(Output {
            rel_path,
            bytes: html.into_bytes(),
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

/// The literal words of lockgen's built-in templates that are in effect (not
/// replaced by the site's theme or `templates/`): each text between tags and
/// each quoted attribute value, without Tera code, whitespace collapsed,
/// lowercased. A sensitive page whose whole title is one of them ("Home",
/// "Brands") is not given away when the theme prints that word, so the leak
/// audit does not take that title as a needle (`site::Options::theme_words`).
/// The site's own templates get no such exemption: a title typed into one is
/// a leak.
pub fn theme_words(config: &Config) -> Vec<String> {
    let overridden = |name: &str| {
        overrides(config, "templates")
            .iter()
            .any(|dir| dir.join(name).exists())
    };
    let mut words: Vec<String> = TEMPLATES
        .iter()
        .filter(|name| !overridden(name))
        .filter_map(|name| DEFAULT_TEMPLATES.get_file(name)?.contents_utf8())
        .flat_map(literal_texts)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Texts between tags and quoted attribute values of a template, Tera code removed.
fn literal_texts(template: &str) -> Vec<String> {
    let mut plain = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{']) {
        plain.push_str(&rest[..i]);
        let close = match rest[i..].get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{#") => "#}",
            _ => {
                plain.push('{');
                rest = &rest[i + 1..];
                continue;
            }
        };
        plain.push('<');
        rest = rest[i + 2..]
            .find(close)
            .map_or("", |j| &rest[i + 2 + j + close.len()..]);
    }
    plain.push_str(rest);
    plain
        .split(['<', '>', '"'])
        .map(|t| {
            t.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// The folders whose files replace the built-in theme's `sub` folder, later
/// ones winning: `themes/<theme>/<sub>/`, then the site's `<sub>/`.
fn overrides(config: &Config, sub: &str) -> [PathBuf; 2] {
    [
        config.root.join("themes").join(&config.theme).join(sub),
        config.root.join(sub),
    ]
}

/// Static files of the theme and the site: embedded default theme, then
/// `themes/<theme>/static/`, then `static/`, later ones replacing earlier ones.
pub fn static_files(config: &Config) -> Vec<Copy> {
    let mut files: std::collections::BTreeMap<String, CopySource> =
        std::collections::BTreeMap::new();
    embedded_files(&DEFAULT_STATIC, &mut files);
    for dir in overrides(config, "static") {
        for (rel, path) in walk_files(&dir, is_editor_leftover) {
            files.insert(rel, CopySource::Disk(path));
        }
    }
    files
        .into_iter()
        .map(|(rel_path, source)| Copy { rel_path, source })
        .collect()
}

fn embedded_files(dir: &Dir<'static>, out: &mut std::collections::BTreeMap<String, CopySource>) {
    for f in dir.files() {
        out.insert(
            f.path().to_string_lossy().replace('\\', "/"),
            CopySource::Embedded(f.contents()),
        );
    }
    for d in dir.dirs() {
        embedded_files(d, out);
    }
}

/// Sorted files under `dir`, but names `skip` rejects, as (`/`-separated relative path, full path).
fn walk_files(dir: &Path, skip: fn(&str) -> bool) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return vec![];
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            (rel, e.into_path())
        })
        .collect()
}

fn rel_display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A Tera error as a diagnostic at the template file and line it names
/// (the innermost error with a source position), else at `fallback`'s file.
fn template_diagnostic(
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_texts_are_text_nodes_and_attribute_values_without_tera_code() {
        let t = "<nav aria-label=\"Main  menu\"><a href=\"{{ base }}\">Home</a>{# Safe #}\n\
                 <p>{{ page.title | safe }} Last\n verified {% if x %}{{ y }}{% endif %}</p>";
        let texts = literal_texts(t);
        for want in ["main menu", "home", "last verified"] {
            assert!(texts.iter().any(|w| w == want), "{want} not in {texts:?}");
        }
        assert!(!texts.iter().any(|w| w.contains("safe")), "{texts:?}");
        assert!(!texts.iter().any(|w| w.contains("page.title")), "{texts:?}");
    }

    #[test]
    fn theme_words_leave_out_templates_the_site_overrides() {
        let tmp = tempfile::tempdir().unwrap();
        let config =
            Config::parse(tmp.path(), "title = \"T\"\nbase_url = \"https://x.org\"\n").unwrap();
        assert!(
            theme_words(&config)
                .binary_search(&"brands".to_string())
                .is_ok()
        );
        // Overriding every built-in template leaves no built-in words.
        std::fs::create_dir(tmp.path().join("templates")).unwrap();
        for name in TEMPLATES {
            std::fs::write(tmp.path().join("templates").join(name), "x").unwrap();
        }
        assert_eq!(theme_words(&config), Vec::<String>::new());
    }
}
