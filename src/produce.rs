//! The one pass that turns an assembled site into published files, for
//! `build` and `check` alike: render each page → finish it (relative links,
//! minify) → audit exactly those bytes → hand them to a sink; then every
//! copied file (theme and `static/` files, bundle assets): the page-collision
//! check → audit → sink. `build`'s sink is the staging folder; `check`'s
//! discards, so a site whose build would fail its audit fails `check` too.

use std::collections::HashSet;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::audit::{Audit, Leak};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::output::{self, Staging};
use crate::pipeline::{display_rel, leak_diagnostic, overwrite_diagnostic};
use crate::render::{self, Copy, CopySource, Output, Renderer};
use crate::site::Site;
use crate::theme::Theme;

/// Where finished files go.
pub trait Sink: Sync {
    fn write(&self, out: &Output) -> anyhow::Result<()>;
    fn copy(&self, c: &Copy) -> anyhow::Result<()>;
}

impl Sink for Staging {
    fn write(&self, out: &Output) -> anyhow::Result<()> {
        Staging::write(self, out)
    }
    fn copy(&self, c: &Copy) -> anyhow::Result<()> {
        Staging::copy(self, c)
    }
}

/// Keeps nothing (`check`).
pub struct Discard;

impl Sink for Discard {
    fn write(&self, _: &Output) -> anyhow::Result<()> {
        Ok(())
    }
    fn copy(&self, _: &Copy) -> anyhow::Result<()> {
        Ok(())
    }
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

/// Renders, finishes, audits and sinks every file of `site`; `out_name`
/// names the output folder in messages.
pub fn produce(
    config: &Config,
    site: &Site,
    renderer: &Renderer,
    theme: &Theme,
    sink: &dyn Sink,
    out_name: &str,
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
    let jobs = render::jobs(site);
    let pages = jobs.len();
    let written = Mutex::new(Vec::with_capacity(pages));
    jobs.into_par_iter().for_each(|job| {
        let out = match renderer.render(job) {
            Ok(o) => finish(config, o),
            Err(d) => return report(d),
        };
        // The audit reads exactly the bytes that are written.
        audit(&out.rel_path, &out.bytes);
        if let Err(e) = sink.write(&out) {
            report(Diagnostic::error("", 0, 0, format!("{e:#}")));
        }
        written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(out.rel_path);
    });
    timings.push(("render+write", t.elapsed()));

    let t = Instant::now();
    let copies = copies(theme, site);
    let files = pages + copies.len();
    let rendered: HashSet<String> = written
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .collect();
    copies.par_iter().for_each(|c| {
        if let Some(d) = overwrite_diagnostic(&config.root, out_name, c, &rendered) {
            return report(d);
        }
        // A public build audits every file, whatever its name (a byte search
        // costs little), and so reports one it cannot read even in `check`; a
        // private build's audit looks for nothing, and the sink reads the file.
        if !site.private {
            match &c.source {
                CopySource::Disk(p) => match std::fs::read(p) {
                    Ok(b) => audit(&c.rel_path, &b),
                    Err(e) => {
                        let from = display_rel(&config.root, p);
                        return report(Diagnostic::error(from, 0, 0, format!("cannot read: {e}")));
                    }
                },
                CopySource::Embedded(b) => audit(&c.rel_path, b),
            }
        }
        if let Err(e) = sink.copy(c) {
            report(Diagnostic::error("", 0, 0, format!("{e:#}")));
        }
    });
    timings.push(("copy", t.elapsed()));
    if !site.private {
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
