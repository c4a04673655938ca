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

use std::collections::{BTreeMap, HashMap, HashSet};
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

#[derive(Debug, Clone)]
pub struct Page {
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
    pub entry: Option<Entry>,
}

impl Page {
    /// The newest revision date, for the sitemap.
    pub fn last_revised(&self) -> Option<Date> {
        self.revisions.first().map(|r| r.date)
    }
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub brand: usize,
    pub model: String,
    pub lock_type: Option<String>,
    pub location: Option<String>,
    pub installed: Option<Date>,
    pub last_verified: Option<Date>,
    pub estimated_time: Option<String>,
    pub tools: Vec<String>,
    pub warnings: Vec<String>,
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
pub struct Options {
    pub private: bool,
    pub today: Date,
    /// Prepare the leak audit's needles (public builds that write output).
    pub audit: bool,
}

/// A page's Markdown output and sensitive-title findings.
#[derive(Debug)]
struct Processed {
    html: Arc<str>,
    toc: Vec<TocEntry>,
    problems: Vec<Diagnostic>,
    /// The body as a public build sees it (private blocks blanked).
    public_body: String,
}

/// Per-page results kept between assemblies (`lockgen serve`): a page is
/// reprocessed only when its source, the site's link targets or the set of
/// sensitive titles changed. Every assembly still runs every step, filter
/// included; the cache only skips recomputing identical results.
#[derive(Debug, Default)]
pub struct Cache {
    pages: HashMap<String, (u64, Arc<Processed>)>,
    titles: Option<(u64, Arc<TitleCheck>)>,
}

fn hash_of(value: impl Hash) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    value.hash(&mut h);
    h.finish()
}

/// Assembles the site of one build. `cache` may carry results of a previous assembly.
pub fn assemble(
    config: &Config,
    docs: &[&Doc],
    assets: &[Asset],
    opts: Options,
    cache: Option<&mut Cache>,
) -> Result<Site, Vec<Diagnostic>> {
    let private = opts.private;
    let mut diags = Vec::new();
    let base = config.base_path();

    // 1. URLs for every page.
    let mut paths: HashMap<&str, String> = HashMap::new();
    let mut by_path: BTreeMap<String, &Doc> = BTreeMap::new();
    for &doc in docs {
        let Some(path) = page_path(doc, &mut diags) else {
            continue;
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
        if let Some(other) = by_path.insert(path.clone(), doc) {
            diags.push(
                Diagnostic::error(
                    doc.display_path(),
                    key_line(&doc.yaml, "slug"),
                    1,
                    format!("URL /{path} is also the URL of {}", other.display_path()),
                )
                .with_hint("rename one of the files or give one a different slug"),
            );
        }
        paths.insert(&doc.rel, path);
    }

    // 2. The sensitive filter: everything below sees `kept` only.
    let (kept, left_out): (Vec<&Doc>, Vec<&Doc>) =
        docs.iter().partition(|d| private || !d.sensitive());
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
    let kept_rels: HashSet<&str> = kept.iter().map(|d| d.rel.as_str()).collect();

    let mut targets = Targets::default();
    for (rel, path) in &paths {
        let published = kept_rels.contains(rel);
        targets.pages.insert(
            rel.to_string(),
            Target {
                url: format!("{base}{path}"),
                published,
            },
        );
    }
    targets.withheld_dirs = left_out
        .iter()
        .filter(|d| d.is_bundle())
        .map(|d| d.rel[..d.rel.len() - "index.md".len()].to_string())
        .collect();
    let mut out_assets = Vec::new();
    for a in assets
        .iter()
        .filter(|a| kept_rels.contains(a.bundle.as_str()))
    {
        let Some(page) = paths.get(a.bundle.as_str()) else {
            continue;
        };
        let dir = &a.bundle[..a.bundle.len() - "index.md".len()];
        let out = format!("{page}{}", a.name);
        targets
            .assets
            .insert(format!("{dir}{}", a.name), format!("{base}{out}"));
        out_assets.push(OutAsset {
            src: a.src.clone(),
            out,
        });
    }

    // 3. The sensitive-title check, compiled once per set of titles.
    let public_titles: HashSet<&str> = kept.iter().filter_map(|d| d.title()).collect();
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
        .as_ref()
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

    // 4. Markdown and the title check per page, reusing unchanged results.
    let mut target_list: Vec<(&String, &Target)> = targets.pages.iter().collect();
    target_list.sort_unstable_by_key(|(rel, _)| *rel);
    let mut asset_list: Vec<(&String, &String)> = targets.assets.iter().collect();
    asset_list.sort_unstable();
    let context_key = hash_of((
        target_list
            .iter()
            .map(|(r, t)| (*r, &t.url, t.published))
            .collect::<Vec<_>>(),
        asset_list,
        titles_key,
        private,
        config.unsafe_html,
    ));
    let previous = cache.as_ref().map(|c| &c.pages);
    let processed: Vec<(u64, Arc<Processed>)> = kept
        .par_iter()
        .map(|doc| {
            let key = hash_of((context_key, doc.fingerprint));
            if let Some((k, p)) = previous.and_then(|c| c.get(&doc.rel))
                && *k == key
            {
                return (key, Arc::clone(p));
            }
            (
                key,
                Arc::new(process(config, &targets, &titles, doc, private)),
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
        match Audit::new(&withheld, &public_titles, &private_lines, &public_texts) {
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
    let mut entry_pages: Vec<(Page, String, &EntryMeta)> = Vec::new();
    for (doc, (_, p)) in kept.iter().zip(&processed) {
        let Some(path) = paths.get(doc.rel.as_str()) else {
            continue;
        };
        let page = |title: &str,
                    description: &Option<String>,
                    revisions: &[Revision],
                    weight: i64,
                    extra: &Extra| Page {
            rel: doc.rel.clone(),
            path: path.clone(),
            url: format!("{base}{path}"),
            title: title.to_string(),
            description: description.clone(),
            sensitive: doc.sensitive(),
            has_private: !doc.blocks.is_empty(),
            html: Arc::clone(&p.html),
            toc: p.toc.clone(),
            revisions: newest_first(revisions),
            weight,
            extra: extra.clone(),
            entry: None,
        };
        match &doc.meta {
            Meta::Home(h) => {
                home = Home {
                    title: h.title.clone().unwrap_or_else(|| config.title.clone()),
                    description: h.description.clone(),
                    html: Arc::clone(&p.html),
                    toc: p.toc.clone(),
                    extra: h.extra.clone(),
                };
            }
            Meta::Guide(g) => guides.push(page(
                &g.title,
                &g.description,
                &g.revisions,
                g.weight,
                &g.extra,
            )),
            Meta::Entry(e) => {
                let slug = slugify(&e.brand);
                if slug.is_empty() {
                    diags.push(Diagnostic::error(
                        doc.display_path(),
                        key_line(&doc.yaml, "brand"),
                        1,
                        format!("brand '{}' has no letters or digits for its URL", e.brand),
                    ));
                    continue;
                }
                entry_pages.push((
                    page(&e.title, &e.description, &e.revisions, 0, &e.extra),
                    slug,
                    e,
                ));
            }
        }
    }
    if let Some(cache) = cache {
        cache.pages = kept.iter().map(|d| d.rel.clone()).zip(processed).collect();
        cache.titles = Some((titles_key, titles));
    }
    guides.sort_by(|a, b| (a.weight, &a.title, &a.rel).cmp(&(b.weight, &b.title, &b.rel)));
    entry_pages.sort_by(|a, b| (&a.1, &a.0.title, &a.0.rel).cmp(&(&b.1, &b.0.title, &b.0.rel)));

    let today = opts.today;
    let cutoff = today
        .checked_sub(jiff::Span::new().days(i64::from(config.stale_after_days)))
        .unwrap_or(Date::MIN);
    let mut brands: Vec<Brand> = Vec::new();
    let mut entries: Vec<Page> = Vec::with_capacity(entry_pages.len());
    for (i, (mut page, slug, meta)) in entry_pages.into_iter().enumerate() {
        if brands.last().is_none_or(|b| b.slug != slug) {
            let path = format!("{RESERVED}{slug}/");
            brands.push(Brand {
                name: meta.brand.trim().to_string(),
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
        page.entry = Some(Entry {
            brand: brand_ix,
            model: meta.model.clone(),
            lock_type: meta.lock_type.clone(),
            location: meta.location.clone(),
            installed: meta.installed,
            last_verified: meta.last_verified,
            estimated_time: meta.estimated_time.clone(),
            tools: meta.tools.clone(),
            warnings: meta.warnings.clone(),
            stale: meta.last_verified.is_none_or(|d| d < cutoff),
            prev,
            next: None,
        });
        if let Some(e) = prev
            .and_then(|p| entries.get_mut(p))
            .and_then(|p| p.entry.as_mut())
        {
            e.next = Some(i);
        }
        entries.push(page);
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

/// Markdown for one page, with private blocks kept or blanked by the build's mode, and the title check.
fn process(
    config: &Config,
    targets: &Targets,
    titles: &TitleCheck,
    doc: &Doc,
    private: bool,
) -> Processed {
    let path = doc.display_path();
    let pre = match private::preprocess(&path, &doc.body, doc.body_line, private) {
        Ok(p) => p,
        Err(d) => {
            return Processed {
                html: Arc::from(""),
                toc: vec![],
                problems: vec![d],
                public_body: String::new(),
            };
        }
    };
    let links = PageLinks {
        targets,
        rel: &doc.rel,
    };
    let r = markdown::render(&path, &pre, config.unsafe_html, &links);
    let mut problems = r.problems;
    if !private {
        // A public build's preprocessed body has private blocks blanked: it is the public source.
        let src = PublicSource {
            display_path: path,
            yaml: &doc.yaml,
            body: &pre.body,
            body_line: doc.body_line,
        };
        problems.extend(titles.check(&src));
    }
    Processed {
        html: Arc::from(r.html),
        toc: r.toc,
        problems,
        public_body: pre.body,
    }
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
