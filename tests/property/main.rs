//! Property test: random small sites, built public and private by the real
//! binary, never leak and never break a link.
//!
//! Each case generates a site (minified or not, with `relative_urls` or
//! not) of 2–12 pages (guide pages and lock entries of
//! 1–4 brands, some of them bundles with an asset), random `sensitive` flags
//! and weights, random links (public pages link to public pages only, as the
//! SPEC requires; sensitive pages and private blocks link anywhere), and
//! private blocks in random places: between paragraphs, inside list items
//! (indented markers), right before or after fenced code blocks holding
//! `:::` and `::: private` lines as text, and holding fenced code, lists,
//! headings and links themselves; marker lines sometimes carry trailing
//! spaces. Pages show photos of bundles (public pages: public bundles only).
//! Blocks are sometimes separated by a blank line and sometimes not; some
//! files have CRLF line ends.
//!
//! The leak classes of issue #10 (`attacks.rs`): titles are plain or carry
//! an apostrophe (`'` or `’`); pages mention titles in typographic forms
//! (quotes, dashes, ellipsis, `’s`, no-break space, wrapped over two lines,
//! double-spaced, upper-cased, apostrophes swapped); links come in every
//! spelling (no trailing slash, relative to the page, on the site's host,
//! `.MD`, double slashes, dot segments, percent-encoding, `https:` without
//! `//`), as Markdown and, on `unsafe_html` sites, as `<a href>`,
//! `<form action>` and `<img srcset>`; bundles and `static/` get files with
//! random names (editor leftovers holding page copies and sensitive URLs,
//! `_redirects`, `.htaccess`, `CNAME`, `.yml`, no extension, binary). Public
//! pages mention and link to public pages only. One site in about four also
//! carries one attack: a public page mentioning or linking to a sensitive
//! page (any of those forms), a page copy under another name in a bundle, or
//! a static file with a sensitive URL, title or private-block line.
//!
//! Every sensitive page and every private block carries its own marker
//! (`SECRETMARK0007`) in its title, file name, body and lines; every public
//! text block and copied file its own public marker (`PUBLICMARK0003`);
//! every leftover its own `NEVERMARK0009`. Then:
//! - with an attack, the public build (and, for a page copy, the private
//!   build) fails with errors at exactly the attack's `path:line` (the
//!   source line, or the output file for the audit's findings), and writes
//!   nothing; the other build passes the checks below;
//! - no build copies a leftover (no `NEVERMARK` anywhere);
//! - the public build succeeds, and no output file or file name contains a
//!   secret marker (ASCII case ignored, so URLs and heading ids count);
//! - the private build succeeds and contains every marker;
//! - the public build contains every public marker;
//! - a brand whose entries are all sensitive leaves no trace in the public build;
//! - every internal `href` and `src` of every page (`/…`, on the site's
//!   host or relative, read as a browser reads it), and every sitemap URL,
//!   names an output file (folder URLs → `index.html`, with or without the
//!   slash), in both builds;
//! - no Markdown link is left unrendered (`](….md)` in the output).
//!
//! The run is deterministic: ChaCha with a fixed seed, no failure
//! persistence. Environment:
//! - `LOCKGEN_PROPTEST_CASES` (default 200; about 12 s in release on two
//!   lightly loaded cores, 30 s in debug): how many sites;
//! - `LOCKGEN_PROPTEST_SEED` (a number): another fixed seed;
//! - `LOCKGEN_PROPTEST_EXCLUDE`: comma-separated generator features to leave
//!   out, to look past a known failure: `indented-fence` (an indented code
//!   block holding a "```" line), `tight-after-private` (a block right after a
//!   private block's closing line, with no blank line between).
//!
//! A failure is shrunk to a small site, whose files are printed.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use proptest::test_runner::{TestCaseError, TestError};

const BUILD_EPOCH: &str = "1795000000";
pub const BASE_URL: &str = "https://prop.example.org/";
const DEFAULT_CASES: u32 = 200;
const DEFAULT_SEED: u64 = 0x010c_6e11_5eed;

pub const BRANDS: &[&str] = &[
    "Brandalpha Locks",
    "Brandbeta Vaults",
    "Brandgamma Secure",
    "Branddelta Systems",
];

mod attacks;
mod generate;
mod links;
#[path = "../seeded/mod.rs"]
mod seeded;
mod spec;

use generate::{generate, relative};
use links::links_resolve;
use spec::{SiteSpec, site_spec};

// ---- running the binary ------------------------------------------------------

struct Run {
    args: String,
    code: Option<i32>,
    stderr: String,
}

fn lockgen(root: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_lockgen"))
        .args(args)
        .arg("--root")
        .arg(root)
        .env("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run lockgen");
    let mut pipe = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = pipe.read_to_string(&mut s);
        s
    });
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break Some(s);
        }
        if started.elapsed() > Duration::from_secs(60) {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let mut stderr = reader.join().expect("stderr reader");
    if status.is_none() {
        stderr.push_str("\n(killed after 60 s)");
    }
    Run {
        args: args.join(" "),
        code: status.and_then(|s| s.code()),
        stderr,
    }
}

// ---- the checks ----------------------------------------------------------------

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(base, &path, out);
            } else if let Ok(bytes) = fs::read(&path) {
                let rel = path.strip_prefix(base).expect("under base");
                out.insert(rel.to_string_lossy().replace('\\', "/"), bytes);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

pub fn fail(message: String) -> Result<(), TestCaseError> {
    Err(TestCaseError::fail(message))
}

/// Lowercased file names and texts of an output, to search markers in.
fn haystack(files: &BTreeMap<String, Vec<u8>>) -> Vec<(String, String)> {
    files
        .iter()
        .map(|(f, b)| {
            (
                f.to_ascii_lowercase(),
                String::from_utf8_lossy(b).to_ascii_lowercase(),
            )
        })
        .collect()
}

fn where_found(hay: &[(String, String)], needle: &str) -> Vec<String> {
    let needle = needle.to_ascii_lowercase();
    hay.iter()
        .filter(|(f, t)| f.contains(&needle) || t.contains(&needle))
        .map(|(f, _)| f.clone())
        .collect()
}

/// Attacks checked, by kind (see `attacks::Attack`). Counted in every run,
/// shrinking included: the numbers are for the log.
static ATTACKS: [AtomicUsize; 5] = [const { AtomicUsize::new(0) }; 5];

fn check_site(spec: &SiteSpec) -> Result<(), TestCaseError> {
    let g = generate(spec);
    let tmp = tempfile::tempdir().expect("temporary folder");
    let root = tmp.path().join("site");
    for (path, text) in &g.files {
        let p = root.join(path);
        fs::create_dir_all(p.parent().expect("parent")).expect("create folder");
        fs::write(&p, text).expect("write site file");
    }

    // The two builds write different folders: run them side by side.
    let (public, private) = std::thread::scope(|s| {
        let public = s.spawn(|| lockgen(&root, &["build"]));
        let private = s.spawn(|| lockgen(&root, &["build", "--private"]));
        (
            public.join().expect("public build"),
            private.join().expect("private build"),
        )
    });
    for (run, out) in [(public, "public"), (private, "private")] {
        let must_fail = match out {
            "public" => !g.expected.is_empty(),
            _ => g.private_fails,
        };
        if must_fail {
            let wanted: BTreeSet<String> = g.expected.iter().cloned().collect();
            let mut found = seeded::error_lines(&run.stderr);
            // The print page repeats every page but the home page, so the audit
            // may find a planted link there too (as it reads from /print/): an
            // extra finding, never one fewer on the page itself.
            found.remove("public/print/index.html:1");
            if out == "public"
                && let Some(a) = &spec.attack
            {
                ATTACKS[usize::from(a.kind) % 5].fetch_add(1, Ordering::Relaxed);
            }
            if run.code != Some(1) || found != wanted || root.join(out).exists() {
                return fail(format!(
                    "`lockgen {}` must fail with errors at {wanted:?} and write nothing; it exited {:?} with errors at {found:?}\n--- stderr:\n{}",
                    run.args, run.code, run.stderr
                ));
            }
            continue;
        }
        if run.code != Some(0) {
            return fail(format!(
                "`lockgen {}` exited {:?}\n--- stderr:\n{}",
                run.args, run.code, run.stderr
            ));
        }
        let files = snapshot(&root.join(out));
        let hay = haystack(&files);
        for m in &g.never {
            let hits = where_found(&hay, m);
            if !hits.is_empty() {
                return fail(format!("{out} build copied a leftover: {m} in {hits:?}"));
            }
        }
        if out == "public" {
            for m in &g.secret {
                let hits = where_found(&hay, m);
                if !hits.is_empty() {
                    return fail(format!("public build leaks {m} in {hits:?}"));
                }
            }
            for m in &g.public {
                if where_found(&hay, m).is_empty() {
                    return fail(format!("public build lacks the public marker {m}"));
                }
            }
            for (name, slug) in &g.hidden_brands {
                for needle in [name, slug] {
                    let hits = where_found(&hay, needle);
                    if !hits.is_empty() {
                        return fail(format!(
                            "brand {name} has only sensitive entries, yet {needle:?} is in {hits:?}"
                        ));
                    }
                }
            }
            for slug in &g.shown_brands {
                if !files.contains_key(&format!("brands/{slug}/index.html")) {
                    return fail(format!("public build lacks brands/{slug}/index.html"));
                }
            }
        } else {
            for m in g.secret.iter().chain(&g.public) {
                if where_found(&hay, m).is_empty() {
                    return fail(format!("private build lacks the marker {m}"));
                }
            }
            for slug in &g.all_brands {
                if !files.contains_key(&format!("brands/{slug}/index.html")) {
                    return fail(format!("private build lacks brands/{slug}/index.html"));
                }
            }
        }
        links_resolve(out, &files)?;
    }
    Ok(())
}

// ---- the test -------------------------------------------------------------------

#[test]
fn random_sites_never_leak_and_never_break_links() {
    let cases = seeded::env_number("LOCKGEN_PROPTEST_CASES").map_or(DEFAULT_CASES, |n| n as u32);
    let seed = seeded::env_number("LOCKGEN_PROPTEST_SEED").unwrap_or(DEFAULT_SEED);
    let mut runner = seeded::runner(cases, seed);
    let started = Instant::now();
    // Sites checked, and the number of the first that failed (later runs are shrinking).
    let checked = AtomicUsize::new(0);
    let first_failure = AtomicUsize::new(0);
    let result = runner.run(&site_spec(), |spec| {
        let n = checked.fetch_add(1, Ordering::Relaxed) + 1;
        let r = check_site(&spec);
        if r.is_err() {
            let _ = first_failure.compare_exchange(0, n, Ordering::Relaxed, Ordering::Relaxed);
        }
        r
    });
    let (checked, first) = (checked.into_inner(), first_failure.into_inner());
    match result {
        Ok(()) => {
            let [mention, md, html, copy, file] =
                ATTACKS.each_ref().map(|a| a.load(Ordering::Relaxed));
            eprintln!(
                "property: {cases} random sites (seed {seed}) built public and private in {:?}; attacks reported where expected: {mention} title mentions, {md} Markdown links, {html} HTML links, {copy} page copies in bundles, {file} static files",
                started.elapsed()
            )
        }
        Err(TestError::Fail(reason, spec)) => {
            let g = generate(&spec);
            panic!(
                "property failed (seed {seed}): site {first} of {cases} failed; shrunk in {} more runs; {:?} in all\n{reason}\n\n--- the smallest failing site:\n{}\n--- its spec:\n{spec:#?}",
                checked - first,
                started.elapsed(),
                g.listing()
            );
        }
        Err(e) => panic!("property test aborted: {e}"),
    }
}

#[test]
fn relative_paths_between_content_files() {
    assert_eq!(relative("guide/a.md", "guide/b.md"), "b.md");
    assert_eq!(relative("guide/a.md", "locks/x/y.md"), "../locks/x/y.md");
    assert_eq!(relative("locks/x/y/index.md", "locks/x/z.md"), "../z.md");
    assert_eq!(relative("_index.md", "guide/b.md"), "guide/b.md");
    assert_eq!(relative("guide/a.md", "_index.md"), "../_index.md");
}
