//! `lockgen build --pdf`: `handbook.pdf`, the print page printed by headless
//! Chromium, made in the staging folder after every page was written and
//! audited, and before the swap, so a failed PDF keeps the previous output:
//! 1. `find_chrome`: `LOCKGEN_CHROME`, else `chromium`, `chromium-browser`,
//!    `google-chrome`, `google-chrome-stable` on `PATH` (checked before the
//!    build starts, so a missing browser costs nothing);
//! 2. `pdf_source`: the staged (audited) print page with the links Chromium
//!    must load (stylesheet, images) made relative to it, written beside it;
//! 3. `print`: Chromium with a temporary profile, no background network,
//!    no header or footer of its own (which would print where it was printed
//!    from), an outline from the headings, and a timeout;
//! 4. `audit_text`: in a public build, the PDF's text (extracted here, with
//!    lopdf) is audited like every file; a PDF whose text cannot be read fails
//!    the build rather than be published unaudited.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};

use crate::audit::{Audit, Leak};
use crate::diag::Diagnostic;

mod merge;
pub use merge::{LINK_PREFIX, Printed, merge};

/// The PDF's name in the output folder.
pub const PDF_PATH: &str = "handbook.pdf";

/// The browsers looked for on `PATH`, in order.
const BROWSERS: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// The time Chromium gets to print one print source (the one page, the
/// index, or a part), unless `LOCKGEN_PDF_TIMEOUT` (seconds) says
/// otherwise: 300 s, and two seconds more per entry it holds (a part of
/// about 40 entries took well under a minute on a loaded 2-core machine).
fn default_timeout(entries: usize) -> Duration {
    Duration::from_secs(300 + 2 * u64::try_from(entries).unwrap_or(u64::MAX / 4))
}

/// The browser to print with: `LOCKGEN_CHROME`, else the first of `BROWSERS` on `PATH`.
pub fn find_chrome() -> Result<PathBuf, Diagnostic> {
    let hint = "install Chromium (Debian or Ubuntu: sudo apt-get install chromium), \
                or set LOCKGEN_CHROME to the path of Chromium or Chrome";
    if let Some(path) = std::env::var_os("LOCKGEN_CHROME").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if path.is_file() {
            Ok(path)
        } else {
            Err(Diagnostic::error(
                "",
                0,
                0,
                format!(
                    "--pdf: LOCKGEN_CHROME is {}, which is not a file",
                    path.display()
                ),
            )
            .with_hint(hint))
        };
    }
    let dirs = std::env::var_os("PATH").unwrap_or_default();
    BROWSERS
        .iter()
        .find_map(|name| {
            std::env::split_paths(&dirs)
                .map(|d| d.join(name))
                .find(|p| p.is_file())
        })
        .ok_or_else(|| {
            Diagnostic::error(
                "",
                0,
                0,
                format!(
                    "--pdf needs headless Chromium to print the handbook, and none was found on PATH ({})",
                    BROWSERS.join(", ")
                ),
            )
            .with_hint(hint)
        })
}

/// How long Chromium may take to print a source of `entries` entries: `LOCKGEN_PDF_TIMEOUT` seconds, else `default_timeout`.
fn timeout(entries: usize) -> Duration {
    std::env::var("LOCKGEN_PDF_TIMEOUT")
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|&s| s > 0)
        .map_or_else(|| default_timeout(entries), Duration::from_secs)
}

/// A print page (the one page, the index or a part) as Chromium opens it
/// from a folder one level below the output's root: site-absolute `src`
/// and stylesheet links (`/base/style.css`) made relative (`../style.css`),
/// so it loads the staged files and nothing else; links to a part
/// (`/base/print/3/#id`, `/base/print/3/`) made `merge::LINK_PREFIX` links
/// (to `id`, `_part-3`) that the merge turns into links within the PDF;
/// other links left as written (in-page `#…`, or site-absolute, pointing at
/// the site). With `numbered_later`, the page's own "Page N of M" is left out
/// (the merge numbers the pages).
pub fn pdf_source(html: &str, base_path: &str, numbered_later: bool) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['h', 's', '<']) {
        let (before, tail) = rest.split_at(i);
        out.push_str(before);
        if numbered_later && tail.starts_with("</head>") {
            out.push_str("<style>@page { @bottom-center { content: none; } }</style>");
        }
        let attr = ["src=\"", "href=\""]
            .into_iter()
            .find(|a| tail.starts_with(a) && tail[a.len()..].starts_with(base_path));
        let Some(attr) = attr.filter(|a| !tail[a.len()..].starts_with("//")) else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
            continue;
        };
        let start = attr.len() + base_path.len();
        let end = tail[start..].find('"').map_or(tail.len(), |e| start + e);
        let value = &tail[start..end];
        out.push_str(attr);
        if attr == "src=\"" || value.ends_with(".css") {
            out.push_str("../");
            out.push_str(value);
        } else if let Some(target) = part_link(value) {
            out.push_str(merge::LINK_PREFIX);
            out.push_str(&target);
        } else {
            out.push_str(&tail[attr.len()..end]);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

/// The target of a link to a print part (`print/3/#id` → `id`, `print/3/` →
/// `_part-3`), given the link without the base path.
fn part_link(value: &str) -> Option<String> {
    let rest = value.strip_prefix(crate::render::PRINT_PATH)?;
    let (number, after) = rest.split_once('/')?;
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match after {
        "" => Some(format!("_part-{number}")),
        a => a.strip_prefix('#').map(str::to_string),
    }
}

/// How many print sources Chromium prints at a time: `LOCKGEN_PDF_JOBS`,
/// else the number of cores, at most 4 (each Chromium is several processes).
pub fn workers() -> usize {
    std::env::var("LOCKGEN_PDF_JOBS")
        .ok()
        .and_then(|s| s.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get().min(4)))
}

/// What a print job prints: the source file, the PDF to write, and the
/// entries it holds (for its timeout).
pub struct Job {
    /// What it is, for messages: "the print page", "part 3".
    pub what: String,
    pub source: PathBuf,
    pub pdf: PathBuf,
    pub entries: usize,
}

/// Prints every job with `chrome`, `workers` at a time, in a temporary
/// profile each, telling `progress` as each is done; the first failure
/// stops the rest (those running finish or time out) and is the error.
pub fn print_all(
    chrome: &Path,
    jobs: &[Job],
    workers: usize,
    progress: Option<&(dyn Fn(usize, std::time::Duration) + Sync)>,
) -> Result<()> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let failed = std::sync::Mutex::new(None::<anyhow::Error>);
    let stop = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, jobs.len().max(1)) {
            scope.spawn(|| {
                use std::sync::atomic::Ordering::SeqCst;
                while !stop.load(SeqCst) {
                    let i = next.fetch_add(1, SeqCst);
                    let Some(job) = jobs.get(i) else { break };
                    let t = Instant::now();
                    match print(chrome, job) {
                        Ok(()) => {
                            if let Some(say) = progress {
                                say(i, t.elapsed());
                            }
                        }
                        Err(e) => {
                            stop.store(true, SeqCst);
                            let mut f = failed.lock().unwrap_or_else(|e| e.into_inner());
                            f.get_or_insert(e);
                        }
                    }
                }
            });
        }
    });
    match failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Prints `job.source` to `job.pdf` with `chrome`, in a temporary profile,
/// within the timeout for its entries.
pub fn print(chrome: &Path, job: &Job) -> Result<()> {
    let (html, pdf, entries) = (&job.source, &job.pdf, job.entries);
    let profile = tempfile::Builder::new()
        .prefix("lockgen-chromium-")
        .tempdir()
        .context("cannot create a temporary folder for Chromium's profile")?;
    let log_path = profile.path().join("stderr.log");
    let log = std::fs::File::create(&log_path)
        .with_context(|| format!("cannot create {}", log_path.display()))?;
    let url = file_url(html)?;
    let mut cmd = Command::new(chrome);
    cmd.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
        "--generate-pdf-document-outline",
    ])
    .arg(format!("--user-data-dir={}", profile.path().display()))
    .arg(format!("--print-to-pdf={}", pdf.display()))
    .arg(url)
    .stdin(Stdio::null())
    .stdout(Stdio::null())
    .stderr(log);
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut cmd, 0);
    let mut child = cmd
        .spawn()
        .with_context(|| format!("cannot run {}", chrome.display()))?;
    let limit = timeout(entries);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().context("cannot wait for Chromium")? {
            break status;
        }
        if started.elapsed() > limit {
            kill(&mut child);
            bail!(
                "Chromium did not finish printing {} within {} s ({}; set LOCKGEN_PDF_TIMEOUT to allow more for each part)",
                PDF_PATH,
                limit.as_secs(),
                job.what
            );
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let printed = std::fs::read(pdf).ok().filter(|b| b.starts_with(b"%PDF"));
    if !status.success() || printed.is_none() {
        let log = std::fs::read_to_string(&log_path).unwrap_or_default();
        let tail: Vec<&str> = log.lines().rev().take(5).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        bail!(
            "Chromium ({}) failed to print {PDF_PATH} ({}, {status}); its last messages:\n{}",
            chrome.display(),
            job.what,
            tail.join("\n")
        );
    }
    Ok(())
}

/// Ends Chromium and the processes it started (its process group, on Unix).
fn kill(child: &mut std::process::Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// A `file://` URL for an absolute path, percent-encoding what a URL may not hold.
fn file_url(path: &Path) -> Result<String> {
    let abs = std::path::absolute(path)
        .with_context(|| format!("cannot make {} absolute", path.display()))?;
    let s = abs
        .to_str()
        .with_context(|| format!("{} is not valid UTF-8", abs.display()))?;
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    Ok(format!(
        "file://{}",
        percent_encoding::utf8_percent_encode(s, KEEP)
    ))
}

/// The text of every page of a PDF, in order, and how many pages it has.
/// The pages are read in chunks of 64 on all cores (a merged 10k handbook
/// has some 20,000), joined in page order.
pub fn text(bytes: &[u8]) -> Result<(String, usize)> {
    use rayon::prelude::*;
    let doc = lopdf::Document::load_mem(bytes).context("cannot parse the PDF")?;
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let chunks: Vec<String> = pages
        .par_chunks(64)
        .map(|c| doc.extract_text(c))
        .collect::<Result<_, _>>()
        .context("cannot extract the PDF's text")?;
    Ok((chunks.concat(), pages.len()))
}

/// The leaks in the text of `bytes`, a PDF to be published as `rel`; a PDF
/// whose text cannot be read is an error (fail closed).
pub fn audit_text(audit: &Audit, rel: &str, bytes: &[u8]) -> Result<Vec<Leak>> {
    let (text, pages) = text(bytes)?;
    if pages == 0 {
        bail!("the PDF has no pages");
    }
    Ok(Audit::scan(audit, rel, text.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_loads_the_stylesheet_and_images_relative_and_keeps_links() {
        let html = "<link rel=\"stylesheet\" href=\"/hb/style.css\"><a href=\"/hb/brands/\">b</a>\
                    <img src=\"/hb/locks/a/p.jpg\"><a href=\"#x\">x</a><a href=\"https://o.org/\">o</a>";
        let out = pdf_source(html, "/hb/", false);
        assert_eq!(
            out,
            "<link rel=\"stylesheet\" href=\"../style.css\"><a href=\"/hb/brands/\">b</a>\
             <img src=\"../locks/a/p.jpg\"><a href=\"#x\">x</a><a href=\"https://o.org/\">o</a>"
        );
    }

    #[test]
    fn links_to_parts_become_merge_links_and_page_numbers_can_be_left_to_the_merge() {
        let html = "<head><style>x</style></head><a href=\"/hb/print/3/#locks.a.b:reset\">r</a>\
                    <a href=\"/hb/print/12/\">p</a><a href=\"/hb/print/\">i</a><a href=\"/hb/print/x/\">n</a>";
        let out = pdf_source(html, "/hb/", true);
        assert_eq!(
            out,
            format!(
                "<head><style>x</style><style>@page {{ @bottom-center {{ content: none; }} }}</style></head>\
                 <a href=\"{LINK_PREFIX}locks.a.b:reset\">r</a><a href=\"{LINK_PREFIX}_part-12\">p</a>\
                 <a href=\"/hb/print/\">i</a><a href=\"/hb/print/x/\">n</a>"
            )
        );
    }

    #[test]
    fn file_urls_are_percent_encoded() {
        let url = file_url(Path::new("/tmp/a b/print/x.html")).unwrap();
        assert_eq!(url, "file:///tmp/a%20b/print/x.html");
    }

    #[test]
    fn a_file_that_is_not_a_pdf_is_an_error_not_an_empty_text() {
        assert!(text(b"not a pdf").is_err());
    }
}
