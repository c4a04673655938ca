//! Integration tests: the real `lockgen` binary on small fixture sites.
//!
//! Each case has its own site under `tests/cases/<case>/` (a `site.toml` and
//! only the content that case needs). A test copies its fixture into a
//! temporary folder, runs the binary there with a fixed `SOURCE_DATE_EPOCH`,
//! and asserts exit codes, the `path:line:col` of diagnostics, and what is (or
//! is not) in specific output files — pages are compared by their `<main>`
//! part, not the theme's frame.
//!
//! The tests are grouped by topic in `tests/cli/*.rs`; this file holds the
//! shared helpers.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../common/mod.rs"]
mod common;
pub use common::copy_dir;

mod audiences;
mod bundled_guide;
mod commands;
mod content_errors;
mod encrypt;
mod entry_facts;
mod import;
mod indexes;
mod init_new;
pub mod leaks;
mod links;
mod nav;
mod output_dir;
mod pages;
mod pdf;
mod print;
mod print_parts;
mod search;
mod sensitive;
mod site_layout;
mod status;

/// 2026-11-18 11:06:40 UTC: the build date of every run, so stale flags do not depend on today.
pub const BUILD_EPOCH: &str = "1795000000";

/// A fixture site copied into a temporary folder (`<tmp>/site`).
pub struct Site {
    tmp: tempfile::TempDir,
    pub root: PathBuf,
}

/// Copies `tests/cases/<case>` into a fresh temporary folder.
pub fn site(case: &str) -> Site {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/cases")
        .join(case);
    assert!(
        src.join("site.toml").is_file(),
        "fixture {} has no site.toml",
        src.display()
    );
    let tmp = tempfile::tempdir().expect("temporary folder");
    let root = tmp.path().join("site");
    copy_dir(&src, &root);
    Site { tmp, root }
}

/// A site written by the test itself: `site_toml` and `files` (path, text) in
/// a fresh temporary folder (for sites too large to commit as fixtures).
pub fn generated(site_toml: &str, files: impl IntoIterator<Item = (String, String)>) -> Site {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let root = tmp.path().join("site");
    let site = Site { tmp, root };
    site.write("site.toml", site_toml);
    for (rel, text) in files {
        site.write(&rel, &text);
    }
    site
}

/// Runs `lockgen` with `args` in `cwd`, with the fixed build date.
pub fn lockgen_in(cwd: &Path, args: &[&str]) -> Run {
    lockgen_with_epoch(cwd, args, BUILD_EPOCH)
}

pub fn lockgen_with_epoch(cwd: &Path, args: &[&str], epoch: &str) -> Run {
    lockgen_with_env(cwd, args, &[("SOURCE_DATE_EPOCH", epoch)])
}

/// Runs `lockgen` with `args` in `cwd`, with the fixed build date and then `env` set.
pub fn lockgen_with_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_lockgen"))
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        .envs(env.iter().copied())
        .output()
        .expect("run lockgen");
    Run {
        args: args.join(" "),
        code: out.status.code().expect("lockgen was killed by a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

impl Site {
    /// The temporary folder holding the site (the working directory of every run).
    pub fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// `lockgen <command> --root <root> <args…>`, run from the folder above the root.
    pub fn run(&self, command: &str, args: &[&str]) -> Run {
        let root = self.root.to_str().expect("UTF-8 temp path");
        let mut all = vec![command, "--root", root];
        all.extend_from_slice(args);
        lockgen_in(self.tmp(), &all)
    }

    pub fn build(&self) -> Run {
        self.run("build", &[])
    }

    pub fn build_private(&self) -> Run {
        self.run("build", &["--private"])
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    pub fn exists(&self, rel: &str) -> bool {
        self.path(rel).exists()
    }

    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// The `<main …>…</main>` part of an output page.
    pub fn main_of(&self, rel: &str) -> String {
        main_of(&self.read(rel)).to_string()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("create parent");
        fs::write(&path, text).unwrap_or_else(|e| panic!("write {rel}: {e}"));
    }

    /// Every file under `rel` (an output folder) with its bytes.
    pub fn snapshot(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.path(rel))
    }
}

/// What one run of the binary did.
pub struct Run {
    pub args: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "`lockgen {}` exited {} (expected {code})\n--- stderr:\n{}",
            self.args, self.code, self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        self.assert_code(0)
    }

    /// Diagnostic lines (`path:line:col: message`), hint lines left out.
    pub fn diagnostics(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| location_of(l).is_some())
            .collect()
    }

    /// Diagnostics that are not warnings.
    pub fn errors(&self) -> Vec<&str> {
        self.diagnostics()
            .into_iter()
            .filter(|l| !message_of(l).starts_with("warning:"))
            .collect()
    }

    /// Asserts the errors are exactly at `expected` locations, in this order,
    /// each message containing all of its fragments.
    #[track_caller]
    pub fn assert_errors(&self, expected: &[(&str, &[&str])]) -> &Self {
        let errors = self.errors();
        let locations: Vec<&str> = errors.iter().filter_map(|l| location_of(l)).collect();
        let wanted: Vec<&str> = expected.iter().map(|(loc, _)| *loc).collect();
        assert_eq!(
            locations, wanted,
            "`lockgen {}`: wrong error locations\n--- stderr:\n{}",
            self.args, self.stderr
        );
        for (line, (loc, fragments)) in errors.iter().zip(expected) {
            for f in *fragments {
                assert!(
                    line.contains(f),
                    "`lockgen {}`: error at {loc} does not contain {f:?}:\n{line}\n--- stderr:\n{}",
                    self.args,
                    self.stderr
                );
            }
        }
        self
    }
}

/// `content/a.md:3:7` of `content/a.md:3:7: message`, when the line is a diagnostic.
pub fn location_of(line: &str) -> Option<&str> {
    let (loc, _) = line.split_once(": ")?;
    let mut parts = loc.rsplitn(3, ':');
    let col = parts.next()?;
    let row = parts.next()?;
    let path = parts.next()?;
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    (!path.is_empty() && !path.starts_with(' ') && digits(row) && digits(col)).then_some(loc)
}

fn message_of(line: &str) -> &str {
    line.split_once(": ").map_or("", |(_, m)| m)
}

/// The `<main …>…</main>` part of a page.
#[track_caller]
pub fn main_of(html: &str) -> &str {
    let start = html
        .find("<main")
        .unwrap_or_else(|| panic!("no <main> in page:\n{html}"));
    let end = html[start..]
        .find("</main>")
        .unwrap_or_else(|| panic!("no </main> in page:\n{html}"));
    &html[start..start + end + "</main>".len()]
}

/// Asserts `needles` occur in `hay` in this order.
#[track_caller]
pub fn assert_in_order(hay: &str, needles: &[&str]) {
    let mut from = 0;
    for n in needles {
        match hay[from..].find(n) {
            Some(i) => from += i + n.len(),
            None => panic!("{n:?} not found (in this order: {needles:?}) in:\n{hay}"),
        }
    }
}

/// Whether a page has `<meta name="robots" content="noindex…">`, quoted or minified.
pub fn has_noindex(html: &str) -> bool {
    html.match_indices("<meta")
        .filter_map(|(i, _)| html[i..].find('>').map(|end| &html[i..i + end]))
        .map(|tag| tag.replace(['"', '\''], ""))
        .any(|tag| tag.contains("name=robots") && tag.contains("content=noindex"))
}

/// Every file under `dir`, by `/`-separated relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).unwrap_or_else(|e| panic!("read {}: {e}", dir.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                walk(base, &path, out);
            } else {
                let rel = path.strip_prefix(base).expect("under base");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, fs::read(&path).expect("read output file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Names of the entries of a folder, sorted.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// Output files (under `dir`) whose bytes contain `needle`, ignoring ASCII case.
pub fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    let needle = needle.to_ascii_lowercase();
    snapshot(dir)
        .into_iter()
        .filter(|(rel, bytes)| {
            rel.to_ascii_lowercase().contains(&needle)
                || String::from_utf8_lossy(bytes)
                    .to_ascii_lowercase()
                    .contains(&needle)
        })
        .map(|(rel, _)| rel)
        .collect()
}

#[test]
fn location_of_reads_diagnostic_lines_only() {
    assert_eq!(
        location_of("content/a.md:3:7: unknown key"),
        Some("content/a.md:3:7")
    );
    assert_eq!(location_of("  hint: add 'title: …'"), None);
    assert_eq!(location_of("1 error; nothing was written"), None);
    assert_eq!(location_of("error: refusing to replace x"), None);
}

#[test]
fn has_noindex_reads_quoted_and_minified_meta() {
    assert!(has_noindex(
        r#"<meta name="robots" content="noindex, nofollow">"#
    ));
    assert!(has_noindex(
        r#"<meta content="noindex, nofollow" name=robots>"#
    ));
    assert!(!has_noindex(r#"<meta name="viewport" content="noindex">"#));
}
