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
use std::path::PathBuf;

use jiff::civil::Date;
use rayon::prelude::*;

use crate::audit::{self, Audit, PublicSource, Withheld};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::doc::Doc;
use crate::frontmatter::{Extra, Meta, Revision, key_line};
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
    pub html: String,
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
    pub html: String,
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

/// Assembles the site of one build: public when `private` is false.
pub fn assemble(
    config: &Config,
    docs: Vec<Doc>,
    assets: Vec<Asset>,
    private: bool,
    today: Date,
) -> Result<Site, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let base = config.base_path();

    // 1. URLs for every page.
    let mut paths: HashMap<String, String> = HashMap::new();
    let mut by_path: BTreeMap<String, &Doc> = BTreeMap::new();
    for doc in &docs {
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
                    1,
                    1,
                    format!("URL /{path} is also the URL of {}", other.display_path()),
                )
                .with_hint("rename one of the files or give one a different slug"),
            );
        }
        paths.insert(doc.rel.clone(), path);
    }

    // 2. The sensitive filter: everything below sees `kept` only.
    let (kept, left_out): (Vec<Doc>, Vec<Doc>) =
        docs.into_iter().partition(|d| private || !d.sensitive());
    let withheld: Vec<Withheld> = left_out
        .iter()
        .filter_map(|d| {
            let path = paths.get(&d.rel)?;
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
    let assets: Vec<Asset> = assets
        .into_iter()
        .filter(|a| kept_bundles.contains(a.bundle.as_str()))
        .collect();

    let kept_rels: HashSet<&str> = kept.iter().map(|d| d.rel.as_str()).collect();
    let mut targets = Targets::default();
    for (rel, path) in &paths {
        let published = kept_rels.contains(rel.as_str());
        targets.pages.insert(
            rel.clone(),
            Target {
                url: format!("{base}{path}"),
                published,
            },
        );
    }
    let mut out_assets = Vec::new();
    for a in &assets {
        let Some(page) = paths.get(&a.bundle) else {
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

    // 4. Markdown, with private blocks kept or blanked by the build's mode.
    let rendered: Vec<(markdown::Rendered, String)> = kept
        .par_iter()
        .map(|doc| {
            let path = doc.display_path();
            let pre = match private::preprocess(&path, &doc.body, doc.body_line, private) {
                Ok(p) => p,
                Err(d) => {
                    let r = markdown::Rendered {
                        html: String::new(),
                        toc: vec![],
                        problems: vec![d],
                    };
                    return (r, String::new());
                }
            };
            let links = PageLinks {
                targets: &targets,
                rel: &doc.rel,
            };
            let r = markdown::render(&path, &pre, config.unsafe_html, &links);
            // A public build's preprocessed body has private blocks blanked: it is the public source.
            (r, pre.body)
        })
        .collect();
    for (r, _) in &rendered {
        diags.extend(r.problems.iter().cloned());
    }

    // 3 and 6. The public build's checks on what it left out.
    let audit = if private {
        None
    } else {
        let public_titles: HashSet<&str> = kept.iter().filter_map(|d| d.title()).collect();
        let sources: Vec<PublicSource> = kept
            .iter()
            .zip(&rendered)
            .map(|(d, (_, body))| PublicSource {
                display_path: d.display_path(),
                yaml: &d.yaml,
                body,
                body_line: d.body_line,
            })
            .collect();
        let private_lines: Vec<(String, String)> = kept
            .iter()
            .flat_map(|d| {
                d.blocks
                    .iter()
                    .flat_map(|b| b.lines.iter().map(|l| (d.rel.clone(), l.clone())))
            })
            .collect();
        let mut public_texts: Vec<&str> = kept.iter().map(|d| d.yaml.as_str()).collect();
        public_texts.extend(rendered.iter().map(|(_, body)| body.as_str()));
        let built = audit::check_sources(&withheld, &public_titles, &sources).and_then(|d| {
            Ok((
                d,
                Audit::new(&withheld, &public_titles, &private_lines, &public_texts)?,
            ))
        });
        match built {
            Ok((found, a)) => {
                diags.extend(found);
                Some(a)
            }
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
        html: String::new(),
        toc: vec![],
        extra: Extra::new(),
    };
    let mut guides = Vec::new();
    let mut entry_pages: Vec<(Page, String, &crate::frontmatter::EntryMeta)> = Vec::new();
    for (doc, (r, _)) in kept.iter().zip(rendered) {
        let Some(path) = paths.get(&doc.rel) else {
            continue;
        };
        let markdown::Rendered { html, toc, .. } = r;
        let page = |html: String,
                    toc: Vec<TocEntry>,
                    title: &str,
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
            html,
            toc,
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
                    html,
                    toc,
                    extra: h.extra.clone(),
                };
            }
            Meta::Guide(g) => guides.push(page(
                html,
                toc,
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
                    page(
                        html,
                        toc,
                        &e.title,
                        &e.description,
                        &e.revisions,
                        0,
                        &e.extra,
                    ),
                    slug,
                    e,
                ));
            }
        }
    }
    guides.sort_by(|a, b| (a.weight, &a.title, &a.rel).cmp(&(b.weight, &b.title, &b.rel)));
    entry_pages.sort_by(|a, b| (&a.1, &a.0.title, &a.0.rel).cmp(&(&b.1, &b.0.title, &b.0.rel)));

    let cutoff = today
        .checked_sub(jiff::Span::new().days(i64::from(config.stale_after_days)))
        .unwrap_or(Date::MIN);
    let mut brands: Vec<Brand> = Vec::new();
    let mut entries = Vec::with_capacity(entry_pages.len());
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
            .and_then(|p: &mut Page| p.entry.as_mut())
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
