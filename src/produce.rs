//! The one pass that turns an assembled site into published files, for
//! `build` and `check` alike: render each page → finish it (relative links,
//! minify) → audit exactly those bytes → hand them to a sink; then every
//! copied file (theme and `static/` files, bundle assets): the page-collision
//! check → audit → sink. `build`'s sink is the staging folder; `check`'s
//! discards, so a site whose build would fail its audit fails `check` too;
//! `serve`'s keeps the files in memory (`Memory`), and an incremental preview
//! rebuild renders only the pages it chose (`Plan::Update`).

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::audit::{Audit, Leak};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::output::{self, Staging};
use crate::pipeline::{display_rel, leak_diagnostic, overwrite_diagnostic};
use crate::render::{self, Copy, CopySource, Job, Output, Renderer};
use crate::site::Site;
use crate::theme::Theme;

/// Where finished files go.
pub trait Sink: Sync {
    fn write(&self, out: Output) -> anyhow::Result<()>;
    /// `read`: the bytes the audit read, when it read the file (a public pass).
    fn copy(&self, c: &Copy, read: Option<Vec<u8>>) -> anyhow::Result<()>;
}

impl Sink for Staging {
    fn write(&self, out: Output) -> anyhow::Result<()> {
        Staging::write(self, &out)
    }
    /// Copies from the source, keeping its mode (an executable script in static/).
    fn copy(&self, c: &Copy, _: Option<Vec<u8>>) -> anyhow::Result<()> {
        Staging::copy(self, c)
    }
}

/// Keeps nothing (`check`).
pub struct Discard;

impl Sink for Discard {
    fn write(&self, _: Output) -> anyhow::Result<()> {
        Ok(())
    }
    fn copy(&self, _: &Copy, _: Option<Vec<u8>>) -> anyhow::Result<()> {
        Ok(())
    }
}

/// Files in memory, by path under the output folder.
pub type Files = rustc_hash::FxHashMap<Arc<str>, Arc<[u8]>>;

/// Keeps every file in memory (`serve`): a copied file's bytes are the ones
/// the audit read, so what is served is exactly what was audited.
#[derive(Default)]
pub struct Memory {
    files: Mutex<Files>,
    copied: Mutex<HashSet<String>>,
}

impl Memory {
    /// The files, and which of them were copied rather than rendered.
    pub fn into_parts(self) -> (Files, HashSet<String>) {
        let files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        let copied = self.copied.into_inner().unwrap_or_else(|e| e.into_inner());
        (files, copied)
    }

    fn insert(&self, rel: String, bytes: Arc<[u8]>) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.insert(Arc::from(rel), bytes);
    }
}

impl Sink for Memory {
    fn write(&self, out: Output) -> anyhow::Result<()> {
        self.insert(out.rel_path, Arc::from(out.bytes));
        Ok(())
    }
    fn copy(&self, c: &Copy, read: Option<Vec<u8>>) -> anyhow::Result<()> {
        let bytes: Arc<[u8]> = match (read, &c.source) {
            (Some(b), _) => Arc::from(b),
            (None, CopySource::Embedded(b)) => Arc::from(*b),
            (None, CopySource::Disk(p)) => {
                use anyhow::Context as _;
                let b = std::fs::read(p).with_context(|| format!("cannot read {}", p.display()))?;
                Arc::from(b)
            }
        };
        self.insert(c.rel_path.clone(), bytes);
        let mut copied = self.copied.lock().unwrap_or_else(|e| e.into_inner());
        copied.insert(c.rel_path.clone());
        Ok(())
    }
}

/// What one pass renders.
pub enum Plan<'a> {
    /// Every page and every copied file (`build`, `check`, a full preview rebuild).
    Everything,
    /// Only `jobs`, over files a previous pass published (an incremental
    /// preview rebuild, whose set of pages is unchanged, so no copied file
    /// can newly collide with one). `recheck` are the files published before
    /// that stay: the audit reads again those the pass does not replace,
    /// when what it looks for may have changed.
    Update {
        jobs: Vec<Job>,
        recheck: Vec<(&'a str, &'a [u8])>,
    },
}

/// What one pass did.
pub struct Produced {
    pub pages: usize,
    pub files: usize,
    pub problems: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
}

/// A rendered page made ready to publish: links relative to the page (when
/// `relative_urls`) and minified by minify-html (when `minify_pages`; the
/// built-in theme is minified once when it loads, see `theme`).
pub fn finish(config: &Config, out: Output) -> Output {
    let out = if config.relative_urls {
        let html = String::from_utf8_lossy(&out.bytes);
        let bytes = output::relativize(&out.rel_path, &html, config.base_path()).into_bytes();
        Output { bytes, ..out }
    } else {
        out
    };
    if config.minify_pages {
        Output {
            bytes: output::minify(&out.rel_path, out.bytes),
            ..out
        }
    } else {
        out
    }
}

/// Every file a build copies as it is: the theme's and `static/` files, then
/// the bundle assets the sensitive filter kept.
pub fn copies(theme: &Theme, site: &Site) -> Vec<Copy> {
    let mut copies = theme.files.clone();
    copies.extend(site.assets.iter().map(|a| Copy {
        rel_path: a.out.clone(),
        source: CopySource::Disk(a.src.clone()),
    }));
    copies
}

/// Renders, finishes, audits and sinks the files of `site` that `plan`
/// names; `out_name` names the output folder in messages.
pub fn produce(
    config: &Config,
    site: &Site,
    renderer: &Renderer,
    theme: &Theme,
    sink: &dyn Sink,
    out_name: &str,
    plan: Plan,
) -> Produced {
    let problems = Mutex::new(Vec::new());
    let report = |d: Diagnostic| problems.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    // The leak scan's CPU time summed over threads, for `--verbose`.
    let scan_nanos = AtomicU64::new(0);
    let audit = |rel: &str, bytes: &[u8]| {
        let t = Instant::now();
        let leaks: Vec<Leak> = Audit::scan(&site.audit, rel, bytes);
        let nanos = u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX);
        scan_nanos.fetch_add(nanos, Ordering::Relaxed);
        for l in leaks {
            report(leak_diagnostic(out_name, l));
        }
    };
    let mut timings = Vec::new();

    let t = Instant::now();
    let (jobs, recheck) = match plan {
        Plan::Everything => (render::jobs(site, config.print_order), None),
        Plan::Update { jobs, recheck } => (jobs, Some(recheck)),
    };
    let pages = jobs.len();
    let written = Mutex::new(Vec::with_capacity(pages));
    let one = |job: Job| {
        let out = match renderer.render(job) {
            Ok(o) => finish(config, o),
            Err(d) => return report(d),
        };
        // The audit reads exactly the bytes that are written.
        audit(&out.rel_path, &out.bytes);
        let rel = out.rel_path.clone();
        if let Err(e) = sink.write(out) {
            report(Diagnostic::error("", 0, 0, format!("{e:#}")));
        }
        written.lock().unwrap_or_else(|e| e.into_inner()).push(rel);
    };
    // The search index is made once for all its files: beside the pages, so
    // no thread waits for it; its files after.
    let (search, other): (Vec<Job>, Vec<Job>) =
        jobs.into_iter().partition(|j| matches!(j, Job::Search(_)));
    rayon::join(
        || {
            if !search.is_empty() {
                renderer.prepare_search();
            }
        },
        || other.into_par_iter().for_each(one),
    );
    search.into_par_iter().for_each(one);
    timings.push(("render+write", t.elapsed()));
    if let Some(d) = renderer.search_time() {
        // Part of render+write: the first search job makes the whole index.
        timings.push(("(search index)", d));
    }

    let t = Instant::now();
    let rendered: HashSet<String> = written
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .collect();
    if let Some(recheck) = recheck {
        recheck
            .into_par_iter()
            .filter(|(rel, _)| !rendered.contains(*rel))
            .for_each(|(rel, bytes)| audit(rel, bytes));
        timings.push(("recheck", t.elapsed()));
        return Produced {
            pages,
            files: pages,
            problems: problems.into_inner().unwrap_or_else(|e| e.into_inner()),
            timings,
        };
    }
    let copies = copies(theme, site);
    let files = pages + copies.len();
    let publish = Publish {
        config,
        audits: site.audits(),
        sink,
        out_name,
        audit: &audit,
        report: &report,
    };
    copies.par_iter().for_each(|c| publish.copy(c, &rendered));
    timings.push(("copy", t.elapsed()));
    if site.audits() {
        let nanos = scan_nanos.load(Ordering::Relaxed);
        timings.push(("leak scan cpu", Duration::from_nanos(nanos)));
    }
    Produced {
        pages,
        files,
        problems: problems.into_inner().unwrap_or_else(|e| e.into_inner()),
        timings,
    }
}

/// What publishing one copied file needs from its pass.
struct Publish<'a> {
    config: &'a Config,
    /// Whether files are audited: in a public build, and in an audience's
    /// that leaves something out.
    audits: bool,
    sink: &'a dyn Sink,
    out_name: &'a str,
    audit: &'a (dyn Fn(&str, &[u8]) + Sync),
    report: &'a (dyn Fn(Diagnostic) + Sync),
}

impl Publish<'_> {
    /// One copied file: the collision check against the pages `rendered`,
    /// the audit, the sink.
    fn copy(&self, c: &Copy, rendered: &HashSet<String>) {
        let report = self.report;
        if let Some(d) = overwrite_diagnostic(&self.config.root, self.out_name, c, rendered) {
            return report(d);
        }
        // A public build audits every file, whatever its name (a byte search
        // costs little), and so reports one it cannot read even in `check`; a
        // private build's audit looks for nothing, and the sink reads the file.
        let read = if !self.audits {
            None
        } else {
            match &c.source {
                CopySource::Disk(p) => match std::fs::read(p) {
                    Ok(b) => {
                        (self.audit)(&c.rel_path, &b);
                        Some(b)
                    }
                    Err(e) => {
                        let from = display_rel(&self.config.root, p);
                        return report(Diagnostic::error(from, 0, 0, format!("cannot read: {e}")));
                    }
                },
                CopySource::Embedded(b) => {
                    (self.audit)(&c.rel_path, b);
                    None
                }
            }
        };
        if let Err(e) = self.sink.copy(c, read) {
            report(Diagnostic::error("", 0, 0, format!("{e:#}")));
        }
    }
}
