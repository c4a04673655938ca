//! The build pipeline, start to end, shared by `build` and `check`:
//! config → sources → docs → site → render → (audit, minify, write).

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jiff::civil::Date;
use rayon::prelude::*;

use crate::audit::{Audit, Leak};
use crate::config::{self, Config};
use crate::diag::Diagnostic;
use crate::output::{self, Staging};
use crate::render::{self, CopySource, Output, Renderer};
use crate::site::{self, Site};
use crate::{doc, source};

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub private: bool,
    pub base_url: Option<String>,
}

/// Why a run failed: problems in the site, or the machine refused (I/O).
#[derive(Debug)]
pub enum Failure {
    Site(Vec<Diagnostic>),
    Io(anyhow::Error),
}

impl From<Vec<Diagnostic>> for Failure {
    fn from(d: Vec<Diagnostic>) -> Self {
        Failure::Site(d)
    }
}

#[derive(Debug, Clone)]
pub struct Summary {
    pub pages: usize,
    pub entries: usize,
    pub brands: usize,
    pub withheld: usize,
    pub stale: usize,
    pub files: usize,
    pub output: PathBuf,
    /// The previous output, moved aside: the caller deletes it when convenient.
    pub previous: Option<PathBuf>,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
}

/// The date builds measure staleness against: `SOURCE_DATE_EPOCH` when set, else today (UTC).
/// A set but malformed `SOURCE_DATE_EPOCH` is an error, as reproducible-builds.org asks.
pub fn build_date() -> Result<Date, Diagnostic> {
    let stamp = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| jiff::Timestamp::from_second(secs).ok())
            .ok_or_else(|| {
                Diagnostic::error(
                    "SOURCE_DATE_EPOCH",
                    0,
                    0,
                    format!("'{s}' is not a number of seconds since 1970"),
                )
                .with_hint("unset it, or set it to an integer such as 1795000000")
            })?,
        Err(_) => jiff::Timestamp::now(),
    };
    Ok(stamp.to_zoned_datetime(jiff::tz::TimeZone::UTC).date())
}

/// A loaded and assembled site, ready to render.
pub struct Loaded {
    pub config: Config,
    pub site: Site,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Config, sources, docs and site assembly: everything up to rendering.
/// `audit`: prepare the leak audit's needles (only a build that writes output uses them).
pub fn load(opts: &Options, audit: bool) -> Result<Loaded, Failure> {
    let mut timings = Vec::new();
    let t = Instant::now();
    let mut config = Config::load(&opts.root)?;
    if let Some(url) = &opts.base_url {
        config.base_url = config::normalize_base_url(url)
            .map_err(|m| vec![Diagnostic::error("", 0, 0, format!("--base-url: {m}"))])?;
    }
    let content = opts.root.join("content");
    if !content.is_dir() {
        return Err(vec![
            Diagnostic::error("content/", 0, 0, "missing, or not a folder")
                .with_hint("put the handbook's Markdown files in content/ next to site.toml"),
        ]
        .into());
    }
    let sources = source::load(&content)?;
    timings.push(("read", t.elapsed()));

    let t = Instant::now();
    let (docs, mut diags) = doc::parse_all(&sources.files);
    timings.push(("parse", t.elapsed()));

    let t = Instant::now();
    // Only a public build exempts theme words from its sensitive titles.
    let theme_words = if opts.private {
        Vec::new()
    } else {
        render::theme_words(&config)
    };
    let site_opts = site::Options {
        private: opts.private,
        today: build_date().map_err(|d| vec![d])?,
        audit,
        theme_words: &theme_words,
    };
    let doc_refs: Vec<&doc::Doc> = docs.iter().collect();
    let site = match site::assemble(&config, &doc_refs, &sources.assets, site_opts, None) {
        Ok(site) if diags.iter().all(|d| !d.is_error()) => site,
        Ok(_) => return Err(diags.into()),
        Err(more) => {
            diags.extend(more);
            return Err(diags.into());
        }
    };
    timings.push(("assemble", t.elapsed()));
    Ok(Loaded {
        config,
        site,
        timings,
    })
}

/// Renders every page in memory and reports template errors, writing nothing.
pub fn check(opts: &Options) -> Result<Loaded, Failure> {
    let mut loaded = load(opts, false)?;
    let t = Instant::now();
    let renderer = Renderer::new(&loaded.config, &loaded.site, None)?;
    let errors: Vec<Diagnostic> = render::jobs(&loaded.site)
        .into_par_iter()
        .filter_map(|job| renderer.render(job).err())
        .collect();
    if !errors.is_empty() {
        return Err(errors.into());
    }
    loaded.timings.push(("render", t.elapsed()));
    Ok(loaded)
}

/// Builds the site into its output folder, atomically.
pub fn build(opts: &Options) -> Result<Summary, Failure> {
    let Loaded {
        config,
        site,
        mut timings,
    } = load(opts, true)?;
    let dest = match (&opts.output, opts.private) {
        (Some(o), _) => opts.root.join(o),
        (None, false) => config.output_dir.clone(),
        (None, true) => config.private_output_dir.clone(),
    };
    if opts.private && overlaps(&dest, &config.output_dir) {
        return Err(vec![Diagnostic::error(
            "--output",
            0,
            0,
            "a private build must not write to the public output_dir or inside it",
        )]
        .into());
    }
    output::check_destination(&config.root, &dest).map_err(Failure::Io)?;

    let t = Instant::now();
    let renderer = Renderer::new(&config, &site, None)?;
    let staging = Staging::new(&dest).map_err(Failure::Io)?;
    let out_name = display_rel(&config.root, &dest);
    let problems = Mutex::new(Vec::new());
    let report = |d: Diagnostic| problems.lock().unwrap_or_else(|e| e.into_inner()).push(d);
    let leak = |l: Leak| leak_diagnostic(&out_name, l);

    // The leak scan's CPU time summed over threads, for `--verbose`.
    let scan_nanos = AtomicU64::new(0);
    let scan = |audit: &Audit, rel: &str, bytes: &[u8]| {
        let t = Instant::now();
        let leaks = audit.scan(rel, bytes);
        let nanos = u64::try_from(t.elapsed().as_nanos()).unwrap_or(u64::MAX);
        scan_nanos.fetch_add(nanos, Ordering::Relaxed);
        leaks
    };

    let jobs = render::jobs(&site);
    let pages = jobs.len();
    let written = Mutex::new(Vec::with_capacity(pages));
    jobs.into_par_iter().for_each(|job| {
        let out = match renderer.render(job) {
            Ok(o) => o,
            Err(d) => return report(d),
        };
        let out = if config.relative_urls {
            let html = String::from_utf8_lossy(&out.bytes);
            let bytes = output::relativize(&out.rel_path, &html, config.base_path()).into_bytes();
            Output { bytes, ..out }
        } else {
            out
        };
        let out = if config.minify {
            Output {
                bytes: output::minify(&out.rel_path, out.bytes),
                ..out
            }
        } else {
            out
        };
        // The audit reads exactly the bytes that are written.
        if let Some(audit) = &site.audit {
            for l in scan(audit, &out.rel_path, &out.bytes) {
                report(leak(l));
            }
        }
        if let Err(e) = staging.write(&out) {
            report(Diagnostic::error("", 0, 0, format!("{e:#}")));
        }
        written
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(out.rel_path);
    });
    timings.push(("render+write", t.elapsed()));

    let t = Instant::now();
    let mut copies = render::static_files(&config);
    copies.extend(site.assets.iter().map(|a| render::Copy {
        rel_path: a.out.clone(),
        source: CopySource::Disk(a.src.clone()),
    }));
    let files = pages + copies.len();
    let rendered: std::collections::HashSet<String> = written
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .collect();
    copies.par_iter().for_each(|c| {
        if let Some(d) = overwrite_diagnostic(&config.root, &out_name, c, &rendered) {
            return report(d);
        }
        if let Some(audit) = &site.audit {
            // Every file, whatever its name: a byte search costs little.
            let bytes = match &c.source {
                CopySource::Disk(p) => match std::fs::read(p) {
                    Ok(b) => b,
                    Err(e) => {
                        let from = display_rel(&config.root, p);
                        return report(Diagnostic::error(from, 0, 0, format!("cannot read: {e}")));
                    }
                },
                CopySource::Embedded(b) => b.to_vec(),
            };
            for l in scan(audit, &c.rel_path, &bytes) {
                report(leak(l));
            }
        }
        if let Err(e) = staging.copy(c) {
            report(Diagnostic::error("", 0, 0, format!("{e:#}")));
        }
    });
    timings.push(("copy", t.elapsed()));
    if site.audit.is_some() {
        let nanos = scan_nanos.load(Ordering::Relaxed);
        timings.push(("leak scan cpu", Duration::from_nanos(nanos)));
    }

    let problems = problems.into_inner().unwrap_or_else(|e| e.into_inner());
    if !problems.is_empty() {
        return Err(Failure::Site(problems));
    }
    let previous = staging.commit().map_err(Failure::Io)?;
    Ok(Summary {
        pages,
        entries: site.entries.len(),
        brands: site.brands.len(),
        withheld: site.withheld,
        stale: site
            .entries
            .iter()
            .filter(|p| p.entry.as_ref().is_some_and(|e| e.stale))
            .count(),
        files,
        output: dest,
        previous,
        warnings: Vec::new(),
        timings,
    })
}

/// The error for a leak the output audit found in `{out_name}/{file}`.
pub fn leak_diagnostic(out_name: &str, l: Leak) -> Diagnostic {
    Diagnostic::error(
        format!("{out_name}/{}", l.file),
        1,
        1,
        format!("leak: the output contains the {} ('{}')", l.what, l.found),
    )
    .with_hint("a template or file prints sensitive material; the previous output was kept")
}

/// The error for a copied file (theme or `static/`, bundle asset) that would
/// replace a rendered page, when `c.rel_path` is one of `rendered`.
pub fn overwrite_diagnostic(
    root: &Path,
    out_name: &str,
    c: &render::Copy,
    rendered: &std::collections::HashSet<String>,
) -> Option<Diagnostic> {
    if !rendered.contains(&c.rel_path) {
        return None;
    }
    let from = match &c.source {
        CopySource::Disk(p) => display_rel(root, p),
        CopySource::Embedded(_) => format!("(built-in theme)/static/{}", c.rel_path),
    };
    Some(
        Diagnostic::error(
            from,
            0,
            0,
            format!(
                "this file would overwrite the page {out_name}/{}",
                c.rel_path
            ),
        )
        .with_hint("rename or move the file; to change a page, override its template"),
    )
}

/// Whether one folder is the other or inside it (compared after resolving what exists of them).
fn overlaps(a: &Path, b: &Path) -> bool {
    let (a, b) = (absolute(a), absolute(b));
    a.starts_with(&b) || b.starts_with(&a)
}

/// `path` made absolute, with its longest existing ancestor resolved (symlinks, `..`).
fn absolute(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    out.extend(rest.iter().rev());
    out
}

pub fn display_rel(root: &Path, path: &Path) -> String {
    let (r, p) = (absolute(root), absolute(path));
    p.strip_prefix(&r).map_or_else(
        |_| path.display().to_string(),
        |rel| rel.to_string_lossy().replace('\\', "/"),
    )
}
