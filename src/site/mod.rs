//! `Doc`s → `Site`: the one place where a build's content is decided.
//!
//! `assemble` is a composition of steps, each a function from plain values
//! to plain values, in its own module:
//! 1. `urls`: a page path for every doc (sensitive ones too, so links to them
//!    are caught); reserved prefixes and two docs with one URL are errors;
//! 2. `filter`: the **sensitive filter**. In a public build, sensitive pages
//!    and their bundles' assets are left out here, leaving only a summary of
//!    them (`Withheld`) for the link check and the leak audit; every later
//!    step sees the filter's result (`Visible`) and nothing else. Who the
//!    build is for (`readers`: public, everyone, or one audience) is the
//!    filter's one rule, and decides which private blocks step 4 shows;
//! 3. `targets`: what internal links can point at;
//! 4. `needles`: the sensitive-title check (public builds), then `page`, per
//!    kept page in parallel: private blocks kept or blanked, Markdown → HTML
//!    with links resolved, the title check, the page's data;
//! 5. `order`: guides by weight then title, brands and their entries by
//!    title, previous/next within a brand, stale flags; then `places`: the
//!    location tree and the lock type groups of the (kept) entries;
//! 6. `needles` again: the leak audit's needles, for the writer (none in a
//!    private build, which leaves nothing out).
//!
//! `lockgen serve` keeps a `Memo` between assemblies: it wraps steps 1, 3, 4,
//! 5 and 6 from outside, reusing a result whose inputs hash the same.

use std::path::PathBuf;
use std::sync::Arc;

use jiff::civil::Date;

use crate::audit::Audit;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::doc::Doc;
use crate::frontmatter::{Contact, Extra, Revision};
use crate::markdown::TocEntry;
use crate::source::Asset;
use filter::Visible;

mod filter;
mod memo;
mod needles;
mod order;
mod page;
mod places;
mod readers;
mod targets;
#[cfg(test)]
pub(crate) mod tests;
mod urls;

pub use memo::Memo;
pub use needles::is_theme_word;
pub use order::DUE_WITHIN_DAYS;
pub use places::{LOCATIONS, Location, Locations, LockType, TYPES, Types, natural_cmp};
pub use readers::{Readers, unknown_audiences};
pub use urls::STATUS;

#[derive(Debug, Clone)]
pub struct Site {
    pub private: bool,
    /// The audience an audience's build (`--audience`) is for.
    pub audience: Option<String>,
    pub today: Date,
    pub home: Home,
    /// Guide pages in table-of-contents order.
    pub guides: Vec<Page>,
    /// Lock entries, brand after brand, each brand's by title.
    pub entries: Vec<Page>,
    pub brands: Vec<Brand>,
    /// The location tree of `entries`.
    pub locations: Arc<Locations>,
    /// The lock types of `entries`.
    pub types: Arc<Types>,
    /// Whether the build has the verification dashboard `/status/`: a
    /// private build always, a public one with `status_page = true`.
    pub status_page: bool,
    pub assets: Vec<OutAsset>,
    /// How many sensitive pages this build left out.
    pub withheld: usize,
    /// The output audit: what no published file may contain. A private
    /// build leaves nothing out, so its audit looks for nothing.
    pub audit: Arc<Audit>,
}

impl Site {
    /// Whether this build's files are audited: a public build's always (a
    /// file it cannot read is then reported, even with nothing left out),
    /// an audience's when it leaves something out; a private build's audit
    /// looks for nothing.
    pub fn audits(&self) -> bool {
        !self.private || !self.audit.is_empty()
    }
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
    /// The audiences the page names in its front matter.
    pub audiences: Vec<String>,
    pub html: Arc<str>,
    pub toc: Vec<TocEntry>,
    /// Newest first.
    pub revisions: Vec<Revision>,
    pub weight: i64,
    pub extra: Extra,
    /// For entries: the lock's facts.
    pub facts: Option<Facts>,
    /// What the print page estimates of this page (`render::print`), worked
    /// out once: the preview keeps an unchanged page's core between edits.
    pub print_weight: std::sync::OnceLock<usize>,
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
    pub contacts: Vec<Contact>,
    pub serial: Option<String>,
    pub firmware: Option<String>,
    /// The manual's URL: a bundle file's, or the link as written.
    pub manual: Option<String>,
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
    /// Stale or never verified (`verified` is `Stale` or `Never`).
    pub stale: bool,
    pub verified: Verification,
    /// Indexes into `Site::entries`, within the same brand.
    pub prev: Option<usize>,
    pub next: Option<usize>,
}

/// Where an entry's last verification stands against `stale_after_days`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verification {
    /// Verified within `stale_after_days`, and not due within `DUE_WITHIN_DAYS`.
    Current,
    /// Not stale yet, but stale within `DUE_WITHIN_DAYS`.
    Due,
    /// Last verified more than `stale_after_days` ago.
    Stale,
    /// No `last_verified`.
    Never,
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

/// How to assemble: which build, measured against which date.
#[derive(Debug, Clone, Copy)]
pub struct Options<'a> {
    pub private: bool,
    /// Narrows a private build to what this audience reads.
    pub audience: Option<&'a crate::config::Audience>,
    pub today: Date,
    /// The built-in theme's literal words (`render::theme_words`, lowercased):
    /// a sensitive page whose whole title is one of them is not given away by
    /// the theme printing that word, so that title is no needle.
    pub theme_words: &'a [String],
}

/// Assembles the site of one build from `docs` (in content path order).
pub fn assemble(
    config: &Config,
    docs: &[&Doc],
    assets: &[Asset],
    opts: Options<'_>,
) -> Result<Site, Vec<Diagnostic>> {
    assemble_with(config, docs, assets, opts, &mut Memo::default())
}

/// `assemble`, reusing the results in `memo` of an earlier assembly where
/// their inputs are the same, and keeping this one's there for the next.
pub fn assemble_with(
    config: &Config,
    docs: &[&Doc],
    assets: &[Asset],
    opts: Options<'_>,
    memo: &mut Memo,
) -> Result<Site, Vec<Diagnostic>> {
    let paths = memo.paths.map(
        docs,
        |d| urls::path_key(d),
        |d| Arc::new(urls::page_path(d)),
    );
    let (urls, mut diags) = urls::check(docs, paths.iter().map(|p| (**p).clone()));
    diags.extend(unknown_audiences(config, docs));
    let readers = Readers::of(opts.private, opts.audience);
    let visible = filter::split(urls, assets, readers, config.base_path());
    // Everything after the filter is built from `visible` alone: what it
    // left out is out of reach but for its summary.
    from_visible(config, &visible, opts, memo, diags)
}

/// Steps 3 to 6, after the sensitive filter; `diags` holds the problems so far.
fn from_visible(
    config: &Config,
    visible: &Visible,
    opts: Options<'_>,
    memo: &mut Memo,
    mut diags: Vec<Diagnostic>,
) -> Result<Site, Vec<Diagnostic>> {
    let targets_key = targets::key(config, visible);
    let targets = memo
        .targets
        .get_or(targets_key, || targets::targets(config, visible));
    // The public titles are read only where a memoized step is made again.
    let public_key = needles::public_titles_key(visible, opts.theme_words);
    let public = std::cell::OnceCell::new();
    let public_titles = || public.get_or_init(|| needles::public_titles(visible, opts.theme_words));
    let titles_key = needles::titles_key(visible, public_key);
    let titles = memo.titles.try_get_or(titles_key, || {
        needles::title_check(visible, public_titles())
    });
    let titles = match titles {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let cx = page::Context {
        config,
        targets: &targets,
        titles: &titles,
        readers: visible.readers(),
    };
    let cx_key = page::context_key(config, targets_key, titles_key, visible.readers().key());
    let pages = memo.pages.map(
        visible.kept(),
        |p| page::key(cx_key, p),
        |p| Arc::new(page::process(&cx, p)),
    );
    diags.extend(pages.iter().flat_map(|p| p.problems.iter().cloned()));
    // `memo.pages.map` keeps the order of `visible.kept()`.
    let bodies = pages
        .iter()
        .zip(visible.kept())
        .map(|(p, a)| p.public_body(a.doc));
    let audit = memo
        .audit
        .try_get_or(needles::audit_key(config, visible, public_key), || {
            needles::audit(config, visible, public_titles(), bodies)
        });

    let home = page::home(config, pages.iter().map(AsRef::as_ref));
    let cutoff = order::stale_cutoff(opts.today, config.stale_after_days);
    let cores: Vec<Arc<PageCore>> = pages.iter().filter_map(|p| p.core()).collect();
    let sequence = memo
        .sequence
        .get_or(order::sequence_key(&cores), || order::sequence(&cores));
    let order::Ordered {
        guides,
        entries,
        brands,
    } = order::arrange(&cores, &sequence, config.base_path(), cutoff);

    let audit = match audit {
        Ok(a) if !diags.iter().any(Diagnostic::is_error) => a,
        Ok(_) => return Err(diags),
        Err(d) => {
            diags.push(d);
            return Err(diags);
        }
    };
    let base = config.base_path();
    let locations = memo
        .locations
        .get_or(places::locations_key(&entries, base), || {
            places::locations(&entries, base)
        });
    let types = memo.types.get_or(places::types_key(&entries, base), || {
        places::types(&entries, base)
    });
    Ok(Site {
        private: visible.private(),
        audience: visible.readers().audience().map(str::to_string),
        today: opts.today,
        home,
        guides,
        entries,
        brands,
        locations,
        types,
        status_page: visible.private() || config.status_page,
        assets: visible.assets().iter().map(|a| a.out.clone()).collect(),
        withheld: visible.withheld().len(),
        audit,
    })
}
