//! The state of a preview: every source parsed, the last good site's files in
//! memory, and how to bring them up to date after a change.
//!
//! Every rebuild, full or incremental, goes through `site::assemble_with` (and
//! so through the sensitive filter). Incremental rebuilds re-parse only the
//! changed files, reuse unchanged pages' Markdown through `site::Memo`, and
//! re-render only the outputs a change can affect (`affected`); anything the
//! fast path does not cover (new or deleted files, templates, static files,
//! site.toml, a change to what every page shows) renders everything.
//!
//! An edit that changes no needle of the audit serves its pages first; the
//! site-wide outputs (sitemap, search index, print page, feed: every page in
//! each) follow in `catch_up`, when the writer pauses. What they hold until
//! then passed the audit with the same needles, so it is nothing newly
//! sensitive; an edit that changes a needle renders everything it affects at once.
//!
//! Rendering goes through `produce`, the pass `build` and `check` use, into
//! memory (`produce::Memory`): a public preview audits exactly the bytes it
//! will serve and refuses a copied file over a page, as `build` does. A
//! failed rebuild keeps the last good files, but a public preview serves them
//! without the pages now sensitive (`withhold`) and shows the errors redacted
//! (`redact`); the terminal gets them in full.

use std::collections::{BTreeMap, HashSet};

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::affected::{affected_jobs, globals_key, needles_key, site_wide_jobs};
use super::redact;
use super::reload::{Reload, changed_pages};
use super::withhold::{self, Sensitive};
use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::doc::{self, Doc};
use crate::pipeline::{Failure, build_date};
use crate::produce::{Memory, Plan, produce};
use crate::render::Renderer;
use crate::site::{self, Site};
use crate::source::{self, Asset, SourceFile};
use crate::theme::Theme;

pub use crate::produce::Files;

/// What the preview's diagnostics call its output, as build says `public`.
pub const OUT_NAME: &str = "preview";

/// What changed on disk since the last rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Existing Markdown files under content/ whose text changed (paths under content/).
    Pages(Vec<String>),
    /// Anything else: rebuild everything.
    Everything,
}

impl Change {
    /// This change followed by `next`.
    fn and(self, next: &Change) -> Change {
        match (self, next) {
            (Change::Pages(mut rels), Change::Pages(more)) => {
                for r in more {
                    if !rels.contains(r) {
                        rels.push(r.clone());
                    }
                }
                Change::Pages(rels)
            }
            _ => Change::Everything,
        }
    }
}

/// The result of a rebuild, for the terminal.
#[derive(Debug)]
pub struct Report {
    pub rendered: usize,
    pub millis: f64,
    pub errors: Vec<Diagnostic>,
    /// Pages of the last good site withheld because they are now sensitive.
    pub withdrawn: usize,
    /// Time per stage (ms), for `serve --verbose`.
    pub stages: Vec<(&'static str, f64)>,
    /// The pages to reload.
    pub reload: Reload,
}

pub struct Session {
    root: PathBuf,
    private: bool,
    base_url: String,
    config: Option<Config>,
    docs: BTreeMap<String, Doc>,
    parse_errors: BTreeMap<String, Vec<Diagnostic>>,
    /// The front matter, as written, of each file in `parse_errors`.
    unparsed: BTreeMap<String, String>,
    assets: Vec<Asset>,
    memo: site::Memo,
    site: Option<Site>,
    globals: u64,
    /// `affected::needles_key` of the last good site.
    needles: u64,
    /// The last good site's files.
    good: Files,
    /// The copied files among `good` (theme, `static/`, bundle assets).
    copied: HashSet<String>,
    /// While rebuilds fail in a public preview: `good` without pages now sensitive.
    view: Option<Files>,
    /// How many pages `view` withdraws.
    withdrawn: usize,
    /// `errors` as the overlay shows them.
    overlay: Vec<Diagnostic>,
    /// Problems of the last rebuild; empty when the files are current.
    pub errors: Vec<Diagnostic>,
    /// What changed since the last good site, while rebuilds fail.
    unbuilt: Option<Change>,
    /// The site-wide outputs of `good` are behind its pages (`catch_up`).
    owed: bool,
    /// What the last pass changed.
    reload: Reload,
    stages: Vec<(&'static str, f64)>,
    lap: Instant,
    /// The theme as last loaded: kept across page edits, loaded again on
    /// every other change (loading it was a tenth of an edit's rebuild at 10k entries).
    theme: Option<Arc<Theme>>,
}

impl Session {
    pub fn new(root: PathBuf, private: bool, base_url: String) -> Session {
        Session {
            root,
            private,
            base_url,
            config: None,
            docs: BTreeMap::new(),
            parse_errors: BTreeMap::new(),
            unparsed: BTreeMap::new(),
            assets: Vec::new(),
            memo: site::Memo::default(),
            site: None,
            globals: 0,
            needles: 0,
            good: Files::default(),
            copied: HashSet::new(),
            view: None,
            withdrawn: 0,
            overlay: Vec::new(),
            errors: Vec::new(),
            unbuilt: None,
            owed: false,
            reload: Reload::All,
            stages: Vec::new(),
            lap: Instant::now(),
            theme: None,
        }
    }

    /// The files to serve: the last good site's, without pages now sensitive.
    pub fn files(&self) -> &Files {
        self.view.as_ref().unwrap_or(&self.good)
    }

    /// The errors as the overlay shows them (redacted in a public preview).
    pub fn overlay(&self) -> &[Diagnostic] {
        &self.overlay
    }

    /// Whether `rel` (under content/) is a page this session knows.
    pub fn knows(&self, rel: &str) -> bool {
        self.docs.contains_key(rel) || self.parse_errors.contains_key(rel)
    }

    /// Whether `path` is a bundle asset of the current site.
    pub fn is_asset(&self, path: &std::path::Path) -> bool {
        self.assets.iter().any(|a| a.src == path)
    }

    /// Records the time since the previous lap under `stage`.
    fn lap(&mut self, stage: &'static str) {
        let now = Instant::now();
        self.stages
            .push((stage, (now - self.lap).as_secs_f64() * 1000.0));
        self.lap = now;
    }

    /// Brings the files up to date; on errors the previous files stay and `errors` says why.
    pub fn rebuild(&mut self, change: &Change) -> Report {
        let started = Instant::now();
        self.stages.clear();
        self.lap = started;
        self.reload = Reload::All;
        // What changed since the last good site: a failed rebuild stored nothing.
        let change = match self.unbuilt.take() {
            Some(before) => before.and(change),
            None => change.clone(),
        };
        let result = match &change {
            Change::Pages(rels) if self.site.is_some() && self.config.is_some() => {
                self.update_pages(rels)
            }
            _ => self.reload_all(),
        };
        if result.is_err() {
            self.unbuilt = Some(change);
        }
        self.report(started, result)
    }

    /// Whether the site-wide outputs are behind the pages.
    pub fn owes(&self) -> bool {
        self.owed && self.errors.is_empty()
    }

    /// Brings the site-wide outputs (`affected::site_wide_jobs`) up to date
    /// after a rebuild that served the edited pages first; `None` when nothing is owed.
    pub fn catch_up(&mut self) -> Option<Report> {
        if !self.owes() {
            return None;
        }
        let started = Instant::now();
        self.stages.clear();
        self.lap = started;
        self.reload = Reload::All;
        let result = self.render_site_wide();
        Some(self.report(started, result))
    }

    fn report(&mut self, started: Instant, result: Result<usize, Failure>) -> Report {
        let had_overlay = !self.overlay.is_empty();
        let (rendered, errors) = match result {
            Ok(n) => (n, Vec::new()),
            Err(Failure::Site(mut d)) => {
                diag::sort(&mut d);
                (0, d)
            }
            Err(Failure::Io(e)) => (0, vec![Diagnostic::error("", 0, 0, format!("{e:#}"))]),
        };
        self.errors = errors.clone();
        self.settle();
        let reload = if errors.is_empty() && !had_overlay {
            std::mem::take(&mut self.reload)
        } else {
            // The overlay comes or goes on every page.
            Reload::All
        };
        Report {
            rendered,
            millis: started.elapsed().as_secs_f64() * 1000.0,
            errors,
            withdrawn: self.withdrawn,
            stages: std::mem::take(&mut self.stages),
            reload,
        }
    }

    fn render_site_wide(&mut self) -> Result<usize, Failure> {
        let (Some(config), Some(site)) = (self.config.as_ref(), self.site.as_ref()) else {
            return Ok(0);
        };
        let theme = match &self.theme {
            Some(t) => Arc::clone(t),
            None => Arc::new(crate::theme::load(config).map_err(Failure::Site)?),
        };
        let renderer = Renderer::new(config, site, &theme)?;
        let memory = Memory::default();
        let plan = Plan::Update {
            jobs: site_wide_jobs(site, config.print_order),
            recheck: Vec::new(),
        };
        let produced = produce(config, site, &renderer, &theme, &memory, OUT_NAME, plan);
        drop(renderer);
        self.lap("site-wide");
        if !produced.problems.is_empty() {
            return Err(Failure::Site(produced.problems));
        }
        let (fresh, _) = memory.into_parts();
        self.reload = changed_pages(&self.good, &fresh);
        self.good.extend(fresh);
        self.owed = false;
        Ok(produced.pages)
    }

    /// What a failed rebuild leaves on screen. A public preview withdraws the
    /// pages now sensitive from the last good files (`withhold`) and redacts
    /// the overlay (`redact`); the terminal gets `errors` in full.
    fn settle(&mut self) {
        self.view = None;
        self.withdrawn = 0;
        self.overlay = self.errors.clone();
        if self.private || self.errors.is_empty() {
            return;
        }
        let theme_words = self
            .config
            .as_ref()
            .map(crate::theme::theme_words)
            .unwrap_or_default();
        let sensitive =
            Sensitive::find(&self.docs, &self.unparsed, self.site.as_ref(), &theme_words);
        self.view = withhold::view(&self.good, &sensitive, &self.copied, &self.base_url);
        self.overlay = redact::overlay(&self.errors, &sensitive);
        let pages: std::collections::BTreeSet<&str> =
            sensitive.withdrawn.iter().map(|w| w.rel.as_str()).collect();
        self.withdrawn = pages.len();
        if self.withdrawn > 0 {
            self.overlay.insert(
                0,
                Diagnostic::warning("", 0, 0, withdrawn_note(self.withdrawn)),
            );
        }
        self.lap("withhold");
    }

    fn reload_all(&mut self) -> Result<usize, Failure> {
        let content = self.root.join("content");
        // Sources first: even when site.toml is broken, what is sensitive now is known.
        let sources = match source::load(&content) {
            Ok(s) => s,
            Err(d) => {
                // Refresh the files already known, for the same reason.
                let known: Vec<String> = self
                    .docs
                    .keys()
                    .chain(self.unparsed.keys())
                    .cloned()
                    .collect();
                for rel in known {
                    if self.reread(&rel).is_err() {
                        self.forget(&rel);
                    }
                }
                return Err(Failure::Site(d));
            }
        };
        self.docs.clear();
        self.parse_errors.clear();
        self.unparsed.clear();
        for (file, parsed) in sources.files.iter().zip(parse_all(&sources.files)) {
            self.store(file, parsed);
        }
        self.assets = sources.assets;
        self.memo = site::Memo::default();
        self.lap("read+parse");
        let mut config = Config::load(&self.root)?;
        config.base_url = self.base_url.clone();
        self.config = Some(config);
        self.assemble_and_render(None)
    }

    fn update_pages(&mut self, rels: &[String]) -> Result<usize, Failure> {
        for rel in rels {
            // Gone between the event and now: a structural change.
            if self.reread(rel).is_err() {
                return self.reload_all();
            }
        }
        self.lap("read+parse");
        self.assemble_and_render(Some(rels))
    }

    /// Reads and parses one known file again; `Err` when it cannot be read.
    fn reread(&mut self, rel: &str) -> Result<(), std::io::Error> {
        let bytes = std::fs::read(self.root.join("content").join(rel))?;
        let (text, parsed) = match source::decode(bytes.clone()) {
            Ok(text) => {
                let file = SourceFile {
                    rel: rel.to_string(),
                    text,
                };
                let parsed = doc::parse(&file);
                (file.text, parsed)
            }
            Err(line) => {
                let d = Diagnostic::error(
                    source::display_path(rel),
                    line,
                    1,
                    "file is not valid UTF-8",
                );
                // Still read for a sensitive flag, which is ASCII.
                (String::from_utf8_lossy(&bytes).into_owned(), Err(vec![d]))
            }
        };
        let file = SourceFile {
            rel: rel.to_string(),
            text,
        };
        self.store(&file, parsed);
        Ok(())
    }

    fn forget(&mut self, rel: &str) {
        self.docs.remove(rel);
        self.parse_errors.remove(rel);
        self.unparsed.remove(rel);
    }

    fn store(&mut self, file: &SourceFile, parsed: Result<Doc, Vec<Diagnostic>>) {
        match parsed {
            Ok(d) => {
                self.parse_errors.remove(&file.rel);
                self.unparsed.remove(&file.rel);
                self.docs.insert(file.rel.clone(), d);
            }
            Err(e) => {
                self.docs.remove(&file.rel);
                self.parse_errors.insert(file.rel.clone(), e);
                let front = withhold::front_matter(&file.text).to_string();
                self.unparsed.insert(file.rel.clone(), front);
            }
        }
    }

    /// Assembles the site and renders everything, or only what `changed` pages can affect.
    /// A public preview audits what it would serve, as `build` does before publishing.
    fn assemble_and_render(&mut self, changed: Option<&[String]>) -> Result<usize, Failure> {
        if !self.parse_errors.is_empty() {
            return Err(Failure::Site(
                self.parse_errors.values().flatten().cloned().collect(),
            ));
        }
        let Some(config) = self.config.clone() else {
            return Err(Failure::Site(vec![]));
        };
        let theme = match (&self.theme, changed) {
            (Some(t), Some(_)) => Arc::clone(t),
            _ => {
                // A theme that fails to load leaves none kept.
                self.theme = None;
                let t = Arc::new(crate::theme::load(&config).map_err(Failure::Site)?);
                self.theme = Some(Arc::clone(&t));
                t
            }
        };
        let docs: Vec<&Doc> = self.docs.values().collect();
        // A private preview withholds nothing, so the theme words exempt nothing there.
        let opts = site::Options {
            private: self.private,
            audience: None,
            today: build_date().map_err(|d| Failure::Site(vec![d]))?,
            theme_words: &theme.words,
        };
        let site = site::assemble_with(&config, &docs, &self.assets, opts, &mut self.memo)?;
        let needles = needles_key(&docs);
        self.lap("assemble");
        let config = &config;
        let renderer = Renderer::new(config, &site, &theme)?;
        let globals = globals_key(config, &site);
        let full = changed.is_none() || globals != self.globals;
        // Nothing newly sensitive can be in site-wide outputs audited with these needles.
        let defer = !full && needles == self.needles;
        // The set of rendered paths follows from `globals`: only a full render
        // can add a collision, or needs the copied files again.
        let plan = match changed {
            Some(rels) if !full => Plan::Update {
                jobs: {
                    let mut jobs = affected_jobs(self.site.as_ref(), &site, rels);
                    if !defer {
                        jobs.extend(site_wide_jobs(&site, config.print_order));
                        jobs.sort_unstable();
                        jobs.dedup();
                    }
                    jobs
                },
                // Files kept from the last rebuild were audited against its needles.
                recheck: if needles != self.needles {
                    self.good.iter().map(|(rel, b)| (&**rel, &b[..])).collect()
                } else {
                    Vec::new()
                },
            },
            _ => Plan::Everything,
        };
        let memory = Memory::default();
        let produced = produce(config, &site, &renderer, &theme, &memory, OUT_NAME, plan);
        drop(renderer);
        self.lap("produce");
        if !produced.problems.is_empty() {
            return Err(Failure::Site(produced.problems));
        }
        let (fresh, copied) = memory.into_parts();
        if full {
            self.good = fresh;
            self.copied = copied;
        } else {
            self.reload = changed_pages(&self.good, &fresh);
            self.good.extend(fresh);
        }
        self.owed = defer;
        self.globals = globals;
        self.needles = needles;
        self.site = Some(site);
        self.lap("store");
        Ok(produced.pages)
    }
}

/// What the terminal and the overlay say about withdrawn pages, naming none.
pub fn withdrawn_note(n: usize) -> String {
    let pages = if n == 1 { "page" } else { "pages" };
    format!(
        "{n} {pages} newly marked sensitive withheld from the preview until the errors are fixed"
    )
}

fn parse_all(files: &[SourceFile]) -> Vec<Result<Doc, Vec<Diagnostic>>> {
    files.par_iter().map(doc::parse).collect()
}
