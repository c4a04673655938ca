//! The pipeline, start to end, as `lockgen build` and `lockgen check` run it:
//! config → sources → docs → site → `produce` (render, finish, audit, sink),
//! and the diagnostics both (and `serve`) give for what `produce` finds.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::civil::Date;

use crate::audit::{Audit, Leak};
use crate::config::{self, Config};
use crate::diag::Diagnostic;
use crate::output::{self, Staging};
use crate::produce::{Discard, Plan, produce};
use crate::render::{self, CopySource, Renderer};
use crate::site::{self, Site};
use crate::theme::{self, Theme};
use crate::{doc, pdf, source};
use anyhow::Context as _;

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub root: PathBuf,
    pub output: Option<PathBuf>,
    pub private: bool,
    /// `--audience`: a private build of what this audience of site.toml reads.
    pub audience: Option<String>,
    pub base_url: Option<String>,
    /// `build --pdf`: also print `/print/` to `handbook.pdf` with headless Chromium.
    pub pdf: bool,
    /// Told when a long step (the PDF) starts and ends; `None`: quiet.
    pub progress: Option<fn(&str)>,
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
    pub theme: Theme,
    pub site: Site,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Config, sources, docs and site assembly: everything up to rendering.
pub fn load(opts: &Options) -> Result<Loaded, Failure> {
    load_with_docs(opts).map(|(loaded, _)| loaded)
}

/// `load`, and the parsed docs the site was assembled from (every doc,
/// sensitive ones too: what a caller may show is what `Loaded::site` kept).
pub fn load_with_docs(opts: &Options) -> Result<(Loaded, Vec<doc::Doc>), Failure> {
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
    // The docs own their text: the files' copy would only double the memory
    // of the largest stage (250 MB of text at 100k entries).
    let source::Sources { files, assets } = sources;
    drop(files);
    timings.push(("parse", t.elapsed()));

    let t = Instant::now();
    let theme = theme::load(&config)?;
    timings.push(("theme", t.elapsed()));

    let t = Instant::now();
    let audience = match &opts.audience {
        Some(name) => Some(config.audience(name).map_err(|d| vec![d])?),
        None => None,
    };
    let site_opts = site::Options {
        private: opts.private,
        audience,
        today: build_date().map_err(|d| vec![d])?,
        theme_words: &theme.words,
    };
    let doc_refs: Vec<&doc::Doc> = docs.iter().collect();
    let site = match site::assemble(&config, &doc_refs, &assets, site_opts) {
        Ok(site) if diags.iter().all(|d| !d.is_error()) => site,
        Ok(_) => return Err(diags.into()),
        Err(more) => {
            diags.extend(more);
            return Err(diags.into());
        }
    };
    timings.push(("assemble", t.elapsed()));
    let loaded = Loaded {
        config,
        theme,
        site,
        timings,
    };
    Ok((loaded, docs))
}

/// Does everything `build` does but write: every page is rendered, finished
/// and (in a public check) audited like the files a build would publish.
pub fn check(opts: &Options) -> Result<Loaded, Failure> {
    let mut loaded = load(opts)?;
    let renderer = Renderer::new(&loaded.config, &loaded.site, &loaded.theme)?;
    let dest = destination(opts, &loaded.config);
    let out_name = display_rel(&loaded.config.root, &dest);
    let produced = produce(
        &loaded.config,
        &loaded.site,
        &renderer,
        &loaded.theme,
        &Discard,
        &out_name,
        Plan::Everything,
    );
    drop(renderer);
    if !produced.problems.is_empty() {
        return Err(produced.problems.into());
    }
    loaded.timings.extend(produced.timings);
    Ok(loaded)
}

/// The output folder: `--output`, else `output_dir`, `private_output_dir`,
/// or for an audience's build that folder's name with `-<audience>` added
/// (`private-building-b`), so one audience's copy is never taken for another's.
fn destination(opts: &Options, config: &Config) -> PathBuf {
    match (&opts.output, opts.private, &opts.audience) {
        (Some(o), _, _) => opts.root.join(o),
        (None, false, _) => config.output_dir.clone(),
        (None, true, None) => config.private_output_dir.clone(),
        (None, true, Some(a)) => {
            let mut name = config
                .private_output_dir
                .file_name()
                .unwrap_or_default()
                .to_os_string();
            name.push(format!("-{a}"));
            config.private_output_dir.with_file_name(name)
        }
    }
}

/// Builds the site into its output folder, atomically.
pub fn build(opts: &Options) -> Result<Summary, Failure> {
    let Loaded {
        config,
        theme,
        site,
        mut timings,
    } = load(opts)?;
    let dest = destination(opts, &config);
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
    // Before any work: a --pdf build without a browser fails at once.
    let chrome = match opts.pdf {
        true => Some(pdf::find_chrome().map_err(|d| vec![d])?),
        false => None,
    };

    let renderer = Renderer::new(&config, &site, &theme)?;
    let staging = Staging::new(&dest).map_err(Failure::Io)?;
    let out_name = display_rel(&config.root, &dest);
    let produced = produce(
        &config,
        &site,
        &renderer,
        &theme,
        &staging,
        &out_name,
        Plan::Everything,
    );
    timings.extend(produced.timings);
    if !produced.problems.is_empty() {
        return Err(Failure::Site(produced.problems));
    }
    let (pages, mut files) = (produced.pages, produced.files);
    if let Some(chrome) = chrome {
        let t = Instant::now();
        make_pdf(&config, &site, &staging, &chrome, &out_name, opts.progress)?;
        timings.push(("pdf", t.elapsed()));
        files += 1;
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

/// `handbook.pdf` in the staging folder, from the staged (and audited) print
/// page and its parts: each printed by Chromium (several at a time) from a
/// source in a work folder of the staging folder (removed again), the PDFs
/// merged into one when there are parts; in a public build the sources and
/// the PDF's text are audited too. Any failure fails the build, so the
/// previous output stays.
fn make_pdf(
    config: &Config,
    site: &Site,
    staging: &Staging,
    chrome: &Path,
    out_name: &str,
    progress: Option<fn(&str)>,
) -> Result<(), Failure> {
    let pdf_path = staging.dir.join(pdf::PDF_PATH);
    if pdf_path.exists() {
        return Err(vec![
            Diagnostic::error(
                "",
                0,
                0,
                format!(
                    "a copied file (theme or static/) is {out_name}/{}, which --pdf writes",
                    pdf::PDF_PATH
                ),
            )
            .with_hint("rename or remove that file, or build without --pdf"),
        ]
        .into());
    }
    let work = staging.dir.join(".lockgen-pdf");
    let made = print_sources(config, site, staging, &work, chrome, out_name, progress);
    let _ = std::fs::remove_dir_all(&work);
    let bytes = made?;
    std::fs::write(&pdf_path, &bytes)
        .with_context(|| format!("cannot write {}", pdf_path.display()))
        .map_err(Failure::Io)?;
    if site.audits() {
        if let Some(say) = progress {
            say("reading the PDF's text to audit it…");
        }
        // Fail closed: a PDF whose text cannot be read is not published.
        let leaks = pdf::audit_text(&site.audit, pdf::PDF_PATH, &bytes).map_err(|e| {
            vec![
                Diagnostic::error(
                    format!("{out_name}/{}", pdf::PDF_PATH),
                    0,
                    0,
                    format!("cannot read the PDF's text to audit it: {e:#}"),
                )
                .with_hint("the PDF was not published and the previous output was kept"),
            ]
        })?;
        if !leaks.is_empty() {
            return Err(leaks
                .into_iter()
                .map(|l| leak_diagnostic(out_name, l))
                .collect::<Vec<_>>()
                .into());
        }
    }
    if let Some(say) = progress {
        say(&format!(
            "printed {out_name}/{} ({:.1} MB)",
            pdf::PDF_PATH,
            bytes.len() as f64 / 1e6
        ));
    }
    Ok(())
}

/// The handbook's PDF, printed from sources written in `work`: the staged
/// print page and parts with their links made for printing (`pdf_source`),
/// audited in a public build; one PDF, or the merge of the parts'.
fn print_sources(
    config: &Config,
    site: &Site,
    staging: &Staging,
    work: &Path,
    chrome: &Path,
    out_name: &str,
    progress: Option<fn(&str)>,
) -> Result<Vec<u8>, Failure> {
    let sources = render::PrintPlan::new(site, config.print_order).sources(site);
    let split = sources.len() > 1;
    std::fs::create_dir_all(work)
        .with_context(|| format!("cannot create {}", work.display()))
        .map_err(Failure::Io)?;
    let mut jobs = Vec::with_capacity(sources.len());
    for s in &sources {
        let page = staging
            .dir
            .join(render::part_path(s.part))
            .join("index.html");
        let html = std::fs::read_to_string(&page)
            .with_context(|| format!("cannot read the staged print page {}", page.display()))
            .map_err(Failure::Io)?;
        let source = pdf::pdf_source(&html, config.base_path(), split);
        let name = format!("print-{}.html", s.part);
        let rel = format!(".lockgen-pdf/{name}");
        let leaks = match site.audits() {
            true => Audit::scan(&site.audit, &rel, source.as_bytes()),
            false => Vec::new(),
        };
        if !leaks.is_empty() {
            let d: Vec<Diagnostic> = leaks
                .into_iter()
                .map(|l| leak_diagnostic(out_name, l))
                .collect();
            return Err(d.into());
        }
        let path = work.join(name);
        std::fs::write(&path, source)
            .with_context(|| format!("cannot write {}", path.display()))
            .map_err(Failure::Io)?;
        jobs.push(pdf::Job {
            what: match s.part {
                0 if split => "the contents of the parts".to_string(),
                0 => "the print page".to_string(),
                p => format!("part {p}"),
            },
            pdf: path.with_extension("pdf"),
            source: path,
            entries: s.entries,
        });
    }
    let workers = pdf::workers();
    if let Some(say) = progress {
        say(&format!(
            "printing {out_name}/{} with {} ({} {}{}; this can take a while)…",
            pdf::PDF_PATH,
            chrome.display(),
            site.entries.len(),
            if site.entries.len() == 1 {
                "entry"
            } else {
                "entries"
            },
            match split {
                true => format!(", {} parts, {workers} at a time", sources.len() - 1),
                false => String::new(),
            }
        ));
    }
    let done = std::sync::atomic::AtomicUsize::new(0);
    let tell = |i: usize, took: std::time::Duration| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        if let (Some(say), true) = (progress, split) {
            say(&format!(
                "printed {} ({n} of {}, {:.1} s)",
                jobs[i].what,
                sources.len(),
                took.as_secs_f64()
            ));
        }
    };
    pdf::print_all(chrome, &jobs, workers, Some(&tell)).map_err(Failure::Io)?;
    let read = |p: &Path| {
        std::fs::read(p)
            .with_context(|| format!("cannot read {}", p.display()))
            .map_err(Failure::Io)
    };
    if !split {
        return read(&jobs[0].pdf);
    }
    let mut printed = Vec::with_capacity(jobs.len());
    for (s, j) in sources.iter().zip(&jobs) {
        printed.push(pdf::Printed {
            pdf: read(&j.pdf)?,
            title: (s.part > 0).then(|| format!("Part {}: {} … {}", s.part, s.first, s.last)),
            id: (s.part > 0).then(|| format!("_part-{}", s.part)),
        });
        let _ = std::fs::remove_file(&j.pdf);
    }
    if let Some(say) = progress {
        say(&format!("merging {} PDFs…", printed.len()));
    }
    pdf::merge(printed, &config.title).map_err(Failure::Io)
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
pub fn overlaps(a: &Path, b: &Path) -> bool {
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
