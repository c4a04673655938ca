//! `Doc`s → `Site`: the one place where a build's content is decided.
//!
//! Steps, in order:
//! 1. URLs for every page (sensitive ones too, so links to them are caught);
//!    two pages with one URL is an error naming both files;
//! 2. the **sensitive filter**: in a public build, sensitive pages and their
//!    assets are left out here, and private blocks are blanked when bodies are
//!    preprocessed below; nothing after this function can see them;
//! 3. public builds: the sensitive-title check on public sources;
//! 4. Markdown → HTML in parallel, resolving internal links;
//! 5. guides ordered by weight then title, brands and their entries by title,
//!    previous/next within a brand, stale flags;
//! 6. public builds: the leak audit's needles, for the writer.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::hash::{Hash, Hasher};
use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::audit::{Audit, PublicSource, TitleCheck, Withheld};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::doc::Doc;
use crate::frontmatter::{EntryMeta, Extra, Meta, Revision, key_line};
use crate::links::{PageLinks, Target, Targets};
use crate::markdown::{self, TocEntry};
use crate::private;
use crate::slug::slugify;
use crate::source::Asset;
use crate::url::SiteUrl;

#[derive(Debug, Clone)]
pub struct Site {
    pub private: bool,
    pub today: Date,
    pub home: Home,
    /// Guide pages in table-of-contents order.
    pub guides: Vec<Page>,
    /// Lock entries, brand after brand, each brand's by title.
    pub entries: Vec<Page>,
    pub brands: Vec<Brand>,
    pub assets: Vec<OutAsset>,
    /// How many sensitive pages this build left out.
    pub withheld: usize,
    /// Needles for the output audit; `None` in private builds.
    pub audit: Option<Audit>,
}

#[derive(Debug, Clone)]
pub struct Home {
    pub title: String,
    pub description: Option<String>,
    pub html: Arc<str>,
    pub toc: Vec<TocEntry>,
    pub extra: Extra,
}

/// A page of the site: what its source says (shared, see `PageCore`) and,
/// for an entry, its place among the site's entries.
#[derive(Debug, Clone)]
pub struct Page {
    core: Arc<PageCore>,
    /// For entries: brand, neighbours, staleness.
    pub entry: Option<Entry>,
}

impl std::ops::Deref for Page {
    type Target = PageCore;
    fn deref(&self) -> &PageCore {
        &self.core
    }
}

/// Everything about a page that follows from its own source and its URL.
#[derive(Debug)]
pub struct PageCore {
    pub rel: String,
    /// Output folder under the output dir: `locks/a/b/`.
    pub path: String,
    /// URL path with the base path: `/locks/a/b/`.
    pub url: String,
    pub title: String,
    pub description: Option<String>,
    pub sensitive: bool,
    pub has_private: bool,
    pub html: Arc<str>,
    pub toc: Vec<TocEntry>,
    /// Newest first.
    pub revisions: Vec<Revision>,
    pub weight: i64,
    pub extra: Extra,
    /// For entries: the lock's facts.
    pub facts: Option<Facts>,
}

impl PageCore {
    /// The newest revision date, for the sitemap.
    pub fn last_revised(&self) -> Option<Date> {
        self.revisions.first().map(|r| r.date)
    }
}

/// A lock entry's facts, from its front matter.
#[derive(Debug)]
pub struct Facts {
    pub brand: String,
    pub brand_slug: String,
    pub model: String,
    pub lock_type: Option<String>,
    pub location: Option<String>,
    pub installed: Option<Date>,
    pub last_verified: Option<Date>,
    /// File lines of the keys `lockgen check` reports on (1 when absent).
    pub lines: FactLines,
    pub estimated_time: Option<String>,
    pub tools: Vec<String>,
    pub warnings: Vec<String>,
}

/// File lines of an entry's front matter keys, for `lockgen check`'s reports.
#[derive(Debug, Clone, Copy)]
pub struct FactLines {
    pub last_verified: usize,
    pub lock_type: usize,
    pub revisions: usize,
}

/// An entry's place in the site.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    /// Index into `Site::brands`.
    pub brand: usize,
    pub stale: bool,
    /// Indexes into `Site::entries`, within the same brand.
    pub prev: Option<usize>,
    pub next: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Brand {
    pub name: String,
    pub slug: String,
    pub path: String,
    pub url: String,
    /// Indexes into `Site::entries`.
    pub entries: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutAsset {
    pub src: PathBuf,
    /// Output path: `locks/a/b/photo.jpg`.
    pub out: String,
}

const RESERVED: &str = "brands/";

/// How to assemble: which build, measured against which date, with or without the output audit.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub private: bool,
    pub today: Date,
    /// Prepare the leak audit's needles (public builds that write output).
    pub audit: bool,
    /// The built-in theme's literal words (`render::theme_words`, lowercased):
    /// a sensitive page whose whole title is one of them is not given away by
    /// the theme printing that word, so that title is no needle.
    pub theme_words: &'a [String],
}

/// A page's Markdown output, title-check findings and page data.
#[derive(Debug)]
struct Processed {
    core: Option<Arc<PageCore>>,
    home: Option<Home>,
    problems: Vec<Diagnostic>,
    /// The body as a public build sees it (private blocks blanked).
    public_body: String,
}

/// Results kept between assemblies (`lockgen serve`): a page's URL is
/// recomputed only when its text changed, and its Markdown, title check and
/// page data only when its text, the site's link targets or the set of
/// sensitive titles changed. Every assembly still runs every step, the
/// filter included; the cache only skips recomputing identical results.
#[derive(Debug, Default)]
pub struct Cache {
    paths: HashMap<String, (u64, String)>,
    pages: HashMap<String, (u64, Arc<Processed>)>,
    titles: Option<(u64, Arc<TitleCheck>)>,
    targets: Option<(u64, Arc<Targets>)>,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    value.hash(&mut h);
    h.finish()
}

/// Assembles the site of one build from `docs` (in content path order).
/// `cache` may carry results of a previous assembly.
pub fn assemble(
    config: &Config,
    docs: &[&Doc],
    assets: &[Asset],
    opts: Options<'_>,
    mut cache: Option<&mut Cache>,
) -> Result<Site, Vec<Diagnostic>> {
    let private = opts.private;
    let mut diags = Vec::new();
    let base = config.base_path();

    // 1. URLs for every page.
    let mut paths: HashMap<&str, String> =
        HashMap::with_capacity_and_hasher(docs.len(), Default::default());
    let mut by_path: HashMap<&str, &Doc> =
        HashMap::with_capacity_and_hasher(docs.len(), Default::default());
    let old_paths = cache.as_deref_mut().map(|c| std::mem::take(&mut c.paths));
    let mut new_paths = HashMap::with_capacity_and_hasher(docs.len(), Default::default());
    for &doc in docs {
        let known = old_paths
            .as_ref()
            .and_then(|p| p.get(&doc.rel))
            .filter(|(fp, _)| *fp == doc.fingerprint);
        let path = match known {
            Some((_, p)) => p.clone(),
            None => match page_path(doc, &mut diags) {
                Some(p) => p,
                None => continue,
            },
        };
        if path.starts_with(RESERVED) {
            diags.push(
                Diagnostic::error(
                    doc.display_path(),
                    1,
                    1,
                    format!("URL /{path} is reserved for brand indexes"),
                )
                .with_hint("move the file or set another slug"),
            );
        }
        new_paths.insert(doc.rel.clone(), (doc.fingerprint, path.clone()));
        paths.insert(&doc.rel, path);
    }
    for &doc in docs {
        let Some(path) = paths.get(doc.rel.as_str()) else {
            continue;
        };
        if let Some(other) = by_path.insert(path, doc) {
            let (first, second) = if other.rel < doc.rel {
                (other, doc)
            } else {
                (doc, other)
            };
            diags.push(
                Diagnostic::error(
                    second.display_path(),
                    key_line(&second.yaml, "slug"),
                    1,
                    format!("URL /{path} is also the URL of {}", first.display_path()),
                )
                .with_hint("rename one of the files or give one a different slug"),
            );
        }
    }
    if let Some(c) = cache.as_deref_mut() {
        c.paths = new_paths;
    }

    // 2. The sensitive filter: everything below sees `kept` only.
    let (kept, left_out): (Vec<&Doc>, Vec<&Doc>) = docs
        .iter()
        .copied()
        .partition(|d| private || !d.sensitive());
    let withheld: Vec<Withheld> = left_out
        .iter()
        .filter_map(|d| {
            let path = paths.get(d.rel.as_str())?;
            Some(Withheld {
                rel: d.rel.clone(),
                title: d.title().unwrap_or_default().to_string(),
                url: format!("{base}{path}"),
                path: path.clone(),
            })
        })
        .collect();
    let kept_bundles: HashSet<&str> = kept
        .iter()
        .filter(|d| d.is_bundle())
        .map(|d| d.rel.as_str())
        .collect();

    // Link targets, rebuilt only when some page's URL or visibility or an asset changed.
    let published = |d: &Doc| private || !d.sensitive();
    let targets_key = hash_of((
        &config.base_url,
        docs.iter()
            .map(|d| (&d.rel, paths.get(d.rel.as_str()), published(d)))
            .collect::<Vec<_>>(),
        assets
            .iter()
            .map(|a| (&a.bundle, &a.name))
            .collect::<Vec<_>>(),
    ));
    let cached_targets = cache
        .as_deref()
        .and_then(|c| c.targets.clone())
        .filter(|(k, _)| *k == targets_key);
    let targets = match cached_targets {
        Some((_, t)) => t,
        None => {
            let mut t = Targets::default();
            for &d in docs {
                if let Some(path) = paths.get(d.rel.as_str()) {
                    t.pages.insert(
                        d.rel.clone(),
                        Target {
                            url: format!("{base}{path}"),
                            published: published(d),
                        },
                    );
                }
            }
            for a in assets
                .iter()
                .filter(|a| kept_bundles.contains(a.bundle.as_str()))
            {
                if let Some(page) = paths.get(a.bundle.as_str()) {
                    let dir = &a.bundle[..a.bundle.len() - "index.md".len()];
                    t.assets.insert(
                        format!("{dir}{}", a.name),
                        format!("{base}{page}{}", a.name),
                    );
                }
            }
            t.withheld_dirs = left_out
                .iter()
                .filter(|d| d.is_bundle())
                .map(|d| d.rel[..d.rel.len() - "index.md".len()].to_string())
                .collect();
            t.withheld_urls = withheld
                .iter()
                .map(|w| (w.path.trim_matches('/').to_lowercase(), w.rel.clone()))
                .collect();
            t.site = SiteUrl::new(&config.base_url);
            Arc::new(t)
        }
    };
    let out_assets: Vec<OutAsset> = assets
        .iter()
        .filter(|a| kept_bundles.contains(a.bundle.as_str()))
        .filter_map(|a| {
            Some(OutAsset {
                src: a.src.clone(),
                out: format!("{}{}", paths.get(a.bundle.as_str())?, a.name),
            })
        })
        .collect();

    // 3. The sensitive-title check, compiled once per set of titles.
    let mut public_titles: HashSet<&str> = kept.iter().filter_map(|d| d.title()).collect();
    if !private {
        public_titles.extend(
            withheld
                .iter()
                .filter(|w| is_theme_word(&w.title, opts.theme_words))
                .map(|w| w.title.as_str()),
        );
    }
    let mut secret: Vec<(&str, &str)> = if private {
        vec![]
    } else {
        withheld
            .iter()
            .filter(|w| !public_titles.contains(w.title.as_str()))
            .map(|w| (w.title.as_str(), w.rel.as_str()))
            .collect()
    };
    secret.sort_unstable();
    let titles_key = hash_of(&secret);
    let cached_titles = cache
        .as_deref()
        .and_then(|c| c.titles.clone())
        .filter(|(k, _)| *k == titles_key);
    let titles = match cached_titles {
        Some((_, t)) => t,
        None => match TitleCheck::new(if private { &[] } else { &withheld }, &public_titles) {
            Ok(t) => Arc::new(t),
            Err(e) => {
                diags.push(Diagnostic::error(
                    "content",
                    0,
                    0,
                    format!("cannot prepare the sensitive-title check: {e}"),
                ));
                return Err(diags);
            }
        },
    };

    // 4. Markdown, the title check and page data per page, reusing unchanged results.
    let context_key = hash_of((
        targets_key,
        titles_key,
        private,
        config.unsafe_html,
        &config.title,
    ));
    let previous = cache.as_deref().map(|c| &c.pages);
    let processed: Vec<(u64, Arc<Processed>)> = kept
        .par_iter()
        .map(|doc| {
            let key = hash_of((context_key, doc.fingerprint));
            if let Some((k, p)) = previous.and_then(|c| c.get(&doc.rel))
                && *k == key
            {
                return (key, Arc::clone(p));
            }
            let path = paths.get(doc.rel.as_str()).map_or("", String::as_str);
            (
                key,
                Arc::new(process(config, &targets, &titles, doc, path, private)),
            )
        })
        .collect();
    for (_, p) in &processed {
        diags.extend(p.problems.iter().cloned());
    }

    // 6. The output audit's needles.
    let audit = if private || !opts.audit {
        None
    } else {
        let private_lines: Vec<(String, String)> = kept
            .iter()
            .flat_map(|d| {
                d.blocks
                    .iter()
                    .flat_map(|b| b.lines.iter().map(|l| (d.rel.clone(), l.clone())))
            })
            .collect();
        let mut public_texts: Vec<&str> = kept.iter().map(|d| d.yaml.as_str()).collect();
        public_texts.extend(processed.iter().map(|(_, p)| p.public_body.as_str()));
        let site_url = SiteUrl::new(&config.base_url);
        match Audit::new(
            &withheld,
            &public_titles,
            &private_lines,
            &public_texts,
            site_url,
        ) {
            Ok(a) => Some(a),
            Err(e) => {
                diags.push(Diagnostic::error(
                    "content",
                    0,
                    0,
                    format!("cannot prepare the leak audit: {e}"),
                ));
                None
            }
        }
    };

    // 5. Pages, brands, order.
    let mut home = Home {
        title: config.title.clone(),
        description: None,
        html: Arc::from(""),
        toc: vec![],
        extra: Extra::new(),
    };
    let mut guides = Vec::new();
    let mut entry_cores: Vec<Arc<PageCore>> = Vec::new();
    for (_, p) in &processed {
        if let Some(h) = &p.home {
            home = h.clone();
        }
        match &p.core {
            Some(core) if core.facts.is_some() => entry_cores.push(Arc::clone(core)),
            Some(core) => guides.push(Page {
                core: Arc::clone(core),
                entry: None,
            }),
            None => {}
        }
    }
    if let Some(c) = cache {
        c.pages = kept.iter().map(|d| d.rel.clone()).zip(processed).collect();
        c.titles = Some((titles_key, titles));
        c.targets = Some((targets_key, targets));
    }
    guides.sort_by(|a, b| (a.weight, &a.title, &a.rel).cmp(&(b.weight, &b.title, &b.rel)));
    let brand_slug = |c: &PageCore| {
        c.facts
            .as_ref()
            .map_or(String::new(), |f| f.brand_slug.clone())
    };
    entry_cores.sort_by(|a, b| {
        let (fa, fb) = (a.facts.as_ref(), b.facts.as_ref());
        (fa.map(|f| &f.brand_slug), &a.title, &a.rel).cmp(&(
            fb.map(|f| &f.brand_slug),
            &b.title,
            &b.rel,
        ))
    });

    let today = opts.today;
    let cutoff = jiff::Span::new()
        .try_days(i64::from(config.stale_after_days))
        .and_then(|days| today.checked_sub(days))
        .unwrap_or(Date::MIN);
    let mut brands: Vec<Brand> = Vec::new();
    let mut entries: Vec<Page> = Vec::with_capacity(entry_cores.len());
    for (i, core) in entry_cores.into_iter().enumerate() {
        let slug = brand_slug(&core);
        if brands.last().is_none_or(|b| b.slug != slug) {
            let path = format!("{RESERVED}{slug}/");
            let name = core
                .facts
                .as_ref()
                .map_or(String::new(), |f| f.brand.clone());
            brands.push(Brand {
                name,
                url: format!("{base}{path}"),
                path,
                slug,
                entries: vec![],
            });
        }
        let brand_ix = brands.len() - 1;
        let brand = &mut brands[brand_ix];
        let prev = brand.entries.last().copied();
        brand.entries.push(i);
        let last_verified = core.facts.as_ref().and_then(|f| f.last_verified);
        let entry = Entry {
            brand: brand_ix,
            stale: last_verified.is_none_or(|d| d < cutoff),
            prev,
            next: None,
        };
        if let Some(e) = prev
            .and_then(|p| entries.get_mut(p))
            .and_then(|p| p.entry.as_mut())
        {
            e.next = Some(i);
        }
        entries.push(Page {
            core,
            entry: Some(entry),
        });
    }

    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok(Site {
        private,
        today,
        home,
        guides,
        entries,
        brands,
        assets: out_assets,
        withheld: withheld.len(),
        audit,
    })
}

/// One page: Markdown with private blocks kept or blanked by the build's mode,
/// the sensitive-title check, and the page data.
fn process(
    config: &Config,
    targets: &Targets,
    titles: &TitleCheck,
    doc: &Doc,
    path: &str,
    private: bool,
) -> Processed {
    let display = doc.display_path();
    let pre = match private::preprocess(&display, &doc.body, doc.body_line, private) {
        Ok(p) => p,
        Err(d) => {
            return Processed {
                core: None,
                home: None,
                problems: d,
                public_body: String::new(),
            };
        }
    };
    let links = PageLinks {
        targets,
        rel: &doc.rel,
        dir: path.trim_matches('/'),
    };
    let r = markdown::render(&display, &pre, config.unsafe_html, &links);
    let mut problems = r.problems;
    if !private {
        // A public build's preprocessed body has private blocks blanked: it is the public source.
        let src = PublicSource {
            display_path: display.clone(),
            yaml: &doc.yaml,
            body: &pre.body,
            body_line: doc.body_line,
        };
        problems.extend(titles.check(&src));
    }
    let html: Arc<str> = Arc::from(r.html);
    let core = |title: &str,
                description: &Option<String>,
                revisions: &[Revision],
                weight: i64,
                extra: &Extra,
                facts: Option<Facts>| {
        Arc::new(PageCore {
            rel: doc.rel.clone(),
            path: path.to_string(),
            url: format!("{}{path}", config.base_path()),
            title: title.to_string(),
            description: description.clone(),
            sensitive: doc.sensitive(),
            has_private: !doc.blocks.is_empty(),
            html: Arc::clone(&html),
            toc: r.toc.clone(),
            revisions: newest_first(revisions),
            weight,
            extra: extra.clone(),
            facts,
        })
    };
    let (core, home) = match &doc.meta {
        Meta::Home(h) => (
            None,
            Some(Home {
                title: h.title.clone().unwrap_or_else(|| config.title.clone()),
                description: h.description.clone(),
                html: Arc::clone(&html),
                toc: r.toc.clone(),
                extra: h.extra.clone(),
            }),
        ),
        Meta::Guide(g) => (
            Some(core(
                &g.title,
                &g.description,
                &g.revisions,
                g.weight,
                &g.extra,
                None,
            )),
            None,
        ),
        Meta::Entry(e) => {
            let brand_slug = slugify(&e.brand);
            if brand_slug.is_empty() {
                problems.push(Diagnostic::error(
                    &display,
                    key_line(&doc.yaml, "brand"),
                    1,
                    format!("brand '{}' has no letters or digits for its URL", e.brand),
                ));
            }
            let lines = FactLines {
                last_verified: key_line(&doc.yaml, "last_verified"),
                lock_type: key_line(&doc.yaml, "lock_type"),
                revisions: key_line(&doc.yaml, "revisions"),
            };
            let facts = facts(e, brand_slug, lines);
            (
                Some(core(
                    &e.title,
                    &e.description,
                    &e.revisions,
                    0,
                    &e.extra,
                    Some(facts),
                )),
                None,
            )
        }
    };
    Processed {
        core,
        home,
        problems,
        public_body: pre.body,
    }
}

fn facts(e: &EntryMeta, brand_slug: String, lines: FactLines) -> Facts {
    Facts {
        brand: e.brand.trim().to_string(),
        brand_slug,
        model: e.model.clone(),
        lock_type: e.lock_type.clone(),
        location: e.location.clone(),
        installed: e.installed,
        last_verified: e.last_verified,
        lines,
        estimated_time: e.estimated_time.clone(),
        tools: e.tools.clone(),
        warnings: e.warnings.clone(),
    }
}

/// Whether `title`, whitespace collapsed and lowercased, is one of the
/// built-in theme's words (sorted).
pub fn is_theme_word(title: &str, words: &[String]) -> bool {
    let title = title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    words.binary_search(&title).is_ok()
}

fn newest_first(revisions: &[Revision]) -> Vec<Revision> {
    let mut v = revisions.to_vec();
    v.sort_by_key(|r| std::cmp::Reverse(r.date));
    v
}

/// The output folder of a page: its content path, slugified, without `.md`
/// (and without `index` for a bundle), with `slug` replacing the last part.
fn page_path(doc: &Doc, diags: &mut Vec<Diagnostic>) -> Option<String> {
    if matches!(doc.meta, Meta::Home(_)) {
        return Some(String::new());
    }
    let stem = doc.rel.strip_suffix(".md").unwrap_or(&doc.rel);
    let stem = stem.strip_suffix("/index").unwrap_or(stem);
    let mut parts: Vec<String> = stem.split('/').map(slugify).collect();
    let slug = match &doc.meta {
        Meta::Guide(g) => g.slug.as_deref(),
        Meta::Entry(e) => e.slug.as_deref(),
        Meta::Home(_) => None,
    };
    if let (Some(slug), Some(last)) = (slug, parts.last_mut()) {
        *last = slugify(slug);
        if last.is_empty() {
            diags.push(Diagnostic::error(
                doc.display_path(),
                key_line(&doc.yaml, "slug"),
                1,
                format!("slug '{slug}' has no letters or digits"),
            ));
            return None;
        }
    }
    if parts.iter().any(String::is_empty) {
        diags.push(
            Diagnostic::error(
                doc.display_path(),
                1,
                1,
                "the file or folder name has no letters or digits for the URL",
            )
            .with_hint("rename it, or set a slug"),
        );
        return None;
    }
    Some(format!("{}/", parts.join("/")))
}
