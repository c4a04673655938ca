//! Bad input catalogue: the real `lockgen` binary on broken, hostile or
//! unusual sites.
//!
//! Every test copies a fixture from `tests/bad_cases/` (usually `base`, a
//! small valid site) into a temporary folder, often builds it once so that an
//! output exists, then breaks one thing and runs the binary again, with a
//! fixed `SOURCE_DATE_EPOCH` and a timeout. Whatever the input, lockgen must
//! exit 0, 1 (the site has errors) or 2 (bad usage); never panic, never die
//! of a signal (stack overflow), never hang. A failed build names the file
//! (`path:line:col` where there is a line) and leaves the previous output
//! byte for byte as it was.
//!
//! Broken files that are plain text live in `tests/bad_cases/files/`; those
//! whose bytes matter (NUL, invalid UTF-8, tabs, huge or deeply nested input)
//! are generated here. Topics are in `tests/bad_input/*.rs`; this file holds
//! the shared helpers.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

#[path = "../common/mod.rs"]
mod common;
pub use common::copy_dir;

mod disk_full;
mod encoding;
mod escaping;
mod filesystem;
mod front_matter;
mod output_dir;
mod private_blocks;
mod size;
mod templates;
mod urls;
mod usage;

/// 2026-11-18 11:06:40 UTC: the build date of every run.
pub const BUILD_EPOCH: &str = "1795000000";

/// No run may take longer than this (the slowest case, a 20 MB entry, takes a few seconds).
pub const TIMEOUT: Duration = Duration::from_secs(180);

/// A fixture site copied into a temporary folder (`<tmp>/site`).
pub struct Site {
    tmp: tempfile::TempDir,
    pub root: PathBuf,
}

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bad_cases")
}

/// Copies `tests/bad_cases/<case>` into a fresh temporary folder.
pub fn site(case: &str) -> Site {
    let src = cases_dir().join(case);
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

/// The bytes of `tests/bad_cases/files/<name>`.
pub fn bad_file(name: &str) -> Vec<u8> {
    let path = cases_dir().join("files").join(name);
    fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// Runs `lockgen` with `args` in `cwd`, with the fixed build date and [`TIMEOUT`].
pub fn lockgen_in(cwd: &Path, args: &[&str]) -> Run {
    lockgen_timeout(cwd, args, TIMEOUT)
}

/// Runs `lockgen`, killing it after `timeout`; records its peak memory where the OS tells.
pub fn lockgen_timeout(cwd: &Path, args: &[&str], timeout: Duration) -> Run {
    lockgen_with(cwd, args, timeout, |_| {})
}

/// The high-water mark of a process's resident memory (Linux `VmHWM`), in KiB.
fn peak_rss_kb(pid: u32) -> Option<u64> {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

impl Site {
    /// The temporary folder holding the site (the working directory of every run).
    pub fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// `lockgen <command> --root <root> <args…>`, run from the folder above the root.
    pub fn run(&self, command: &str, args: &[&str]) -> Run {
        self.run_timeout(command, args, TIMEOUT)
    }

    pub fn run_timeout(&self, command: &str, args: &[&str], timeout: Duration) -> Run {
        let root = self.root.to_str().expect("UTF-8 temp path");
        let mut all = vec![command, "--root", root];
        all.extend_from_slice(args);
        lockgen_timeout(self.tmp(), &all, timeout)
    }

    pub fn build(&self) -> Run {
        self.run("build", &[])
    }

    pub fn build_private(&self) -> Run {
        self.run("build", &["--private"])
    }

    pub fn check(&self) -> Run {
        self.run("check", &[])
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

    pub fn write(&self, rel: &str, bytes: impl AsRef<[u8]>) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().expect("parent")).expect("create parent");
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {rel}: {e}"));
    }

    /// Copies `tests/bad_cases/files/<name>` to `rel` in the site.
    pub fn add(&self, rel: &str, name: &str) {
        self.write(rel, bad_file(name));
    }

    /// Replaces `minify = …` in site.toml.
    pub fn set_minify(&self, on: bool) {
        let toml = self.read("site.toml");
        let kept: Vec<&str> = toml.lines().filter(|l| !l.starts_with("minify")).collect();
        self.write("site.toml", format!("{}\nminify = {on}\n", kept.join("\n")));
    }

    /// Every file under `rel` (an output folder) with its bytes.
    pub fn snapshot(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        snapshot(&self.path(rel))
    }

    /// Builds the unbroken site (public), so that an output exists.
    #[track_caller]
    pub fn good_build(&self) {
        self.build().assert_ok();
        assert!(self.exists("public/index.html"));
    }

    /// `public/` and every path around it now, to compare after a failed build.
    pub fn mark(&self) -> Output {
        Output {
            files: self.snapshot("public"),
            tmp_listing: tree(self.tmp()),
        }
    }

    /// Asserts `public/` is byte for byte `before`, and that nothing was left
    /// beside it (no staging folders, no other new files above the root).
    #[track_caller]
    pub fn assert_unchanged(&self, before: &Output) {
        let now = self.snapshot("public");
        let changed: Vec<&String> = before
            .files
            .keys()
            .chain(now.keys())
            .filter(|k| before.files.get(*k) != now.get(*k))
            .collect();
        assert!(
            changed.is_empty(),
            "a failed build changed public/: {changed:?}"
        );
        let outside = |listing: &[String]| -> Vec<String> {
            listing
                .iter()
                .filter(|p| !p.starts_with("/site/public/"))
                .cloned()
                .collect()
        };
        let (was, is) = (outside(&before.tmp_listing), outside(&tree(self.tmp())));
        assert!(
            was == is,
            "paths appeared or vanished outside public/:\nbefore: {was:?}\nnow: {is:?}"
        );
    }

    /// The usual bad-input check: a good build, then `breakage`, then a build
    /// that must fail (exit 1) naming the file, leaving the output unchanged;
    /// `check` must fail the same way.
    #[track_caller]
    pub fn assert_breaks(&self, breakage: impl FnOnce(&Site)) -> Run {
        self.good_build();
        breakage(self);
        let before = self.mark();
        let run = self.build();
        run.assert_code(1);
        self.assert_unchanged(&before);
        let check = self.check();
        check.assert_code(1);
        assert_eq!(
            check.errors(),
            run.errors(),
            "`lockgen check` and `lockgen build` disagree\n--- check:\n{}\n--- build:\n{}",
            check.stderr,
            run.stderr
        );
        run
    }
}

/// A build's output, kept to compare after a failed build.
pub struct Output {
    pub files: BTreeMap<String, Vec<u8>>,
    /// Every path under the temporary folder (the site and its siblings).
    tmp_listing: Vec<String>,
}

/// What one run of the binary did.
pub struct Run {
    pub args: String,
    pub status: ExitStatus,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
    pub timed_out: bool,
    /// Peak resident memory in KiB, when it could be read.
    pub peak_kb: Option<u64>,
}

impl Run {
    /// The exit code; `None` when a signal ended the process.
    pub fn code(&self) -> Option<i32> {
        self.status.code()
    }

    /// The signal that ended the process, if one did.
    pub fn signal(&self) -> Option<i32> {
        use std::os::unix::process::ExitStatusExt;
        self.status.signal()
    }

    /// Neither hung, nor killed by a signal, nor panicked.
    #[track_caller]
    pub fn assert_clean(&self) -> &Self {
        assert!(
            !self.timed_out,
            "`lockgen {}` did not finish within {:?}\n--- stderr:\n{}",
            self.args, TIMEOUT, self.stderr
        );
        assert!(
            self.signal().is_none(),
            "`lockgen {}` was killed by signal {:?} after {:?}\n--- stderr:\n{}",
            self.args,
            self.signal(),
            self.elapsed,
            self.stderr
        );
        for bad in ["panicked", "stack overflow", "RUST_BACKTRACE"] {
            assert!(
                !self.stderr.contains(bad),
                "`lockgen {}`: stderr contains {bad:?}\n--- stderr:\n{}",
                self.args,
                self.stderr
            );
        }
        self
    }

    #[track_caller]
    pub fn assert_code(&self, code: i32) -> &Self {
        self.assert_clean();
        assert_eq!(
            self.code(),
            Some(code),
            "`lockgen {}` exited {:?} (expected {code})\n--- stderr:\n{}",
            self.args,
            self.code(),
            self.stderr
        );
        self
    }

    #[track_caller]
    pub fn assert_ok(&self) -> &Self {
        self.assert_code(0)
    }

    /// Exit 0, or exit 1 with at least one diagnostic: a clean outcome either way.
    #[track_caller]
    pub fn assert_ok_or_clean_error(&self) -> &Self {
        self.assert_clean();
        match self.code() {
            Some(0) => {}
            Some(1) => assert!(
                !self.errors().is_empty() || self.stderr.starts_with("error: "),
                "`lockgen {}` exited 1 without saying why\n--- stderr:\n{}",
                self.args,
                self.stderr
            ),
            other => panic!(
                "`lockgen {}` exited {other:?}\n--- stderr:\n{}",
                self.args, self.stderr
            ),
        }
        self
    }

    /// Diagnostic lines (`path:line:col: message`), hint lines left out.
    pub fn diagnostics(&self) -> Vec<&str> {
        self.stderr
            .lines()
            .filter(|l| location_of(l).is_some() || l.starts_with("error: "))
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

    /// Asserts there is exactly one error, in `path` on `line` (any column),
    /// its message containing every fragment.
    #[track_caller]
    pub fn assert_error_on_line(&self, path: &str, line: usize, fragments: &[&str]) -> &Self {
        let errors = self.errors();
        assert_eq!(
            errors.len(),
            1,
            "`lockgen {}`: expected one error\n--- stderr:\n{}",
            self.args,
            self.stderr
        );
        let (p, l, _) = split_location(location_of(errors[0]).expect("location"));
        assert_eq!(
            (p, l),
            (path, line),
            "`lockgen {}`: error in the wrong place\n--- stderr:\n{}",
            self.args,
            self.stderr
        );
        for f in fragments {
            assert!(
                errors[0].contains(f),
                "`lockgen {}`: error does not contain {f:?}\n--- stderr:\n{}",
                self.args,
                self.stderr
            );
        }
        self
    }

    /// Asserts stderr mentions `text` (a file name, usually).
    #[track_caller]
    pub fn assert_mentions(&self, text: &str) -> &Self {
        assert!(
            self.stderr.contains(text),
            "`lockgen {}`: stderr does not mention {text:?}\n--- stderr:\n{}",
            self.args,
            self.stderr
        );
        self
    }
}

/// `content/a.md:3:7` of `content/a.md:3:7: message`, when the line is a
/// diagnostic; `site.toml` of `site.toml: message` (about a whole file, no line).
pub fn location_of(line: &str) -> Option<&str> {
    let (loc, _) = line.split_once(": ")?;
    if loc.is_empty() || loc.starts_with(' ') {
        return None;
    }
    let mut parts = loc.rsplitn(3, ':');
    let digits =
        |s: Option<&str>| s.is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
    let (col, row, path) = (parts.next(), parts.next(), parts.next());
    if digits(col) && digits(row) && path.is_some_and(|p| !p.is_empty()) {
        return Some(loc);
    }
    let whole_file = !loc.contains([' ', ':']) && loc.contains(['/', '.']);
    whole_file.then_some(loc)
}

/// (`path`, line, column) of a location `path:line:col`, or (`path`, 0, 0) of `path`.
pub fn split_location(loc: &str) -> (&str, usize, usize) {
    let mut parts = loc.rsplitn(3, ':');
    let (col, line, path) = (parts.next(), parts.next(), parts.next());
    match (
        path,
        line.and_then(|l| l.parse().ok()),
        col.and_then(|c| c.parse().ok()),
    ) {
        (Some(path), Some(line), Some(col)) => (path, line, col),
        _ => (loc, 0, 0),
    }
}

fn message_of(line: &str) -> &str {
    line.split_once(": ").map_or("", |(_, m)| m)
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
    if dir.is_dir() {
        walk(dir, dir, &mut out);
    }
    out
}

/// Every path (files, folders, symlinks, not followed) under `dir`, sorted, `/`-separated and relative.
pub fn tree(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let rel = path.strip_prefix(base).expect("under base");
            out.push(format!("/{}", rel.to_string_lossy().replace('\\', "/")));
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                walk(base, &path, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// Output files (under `dir`) whose name or bytes contain `needle`, ignoring ASCII case.
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

/// Whether the current user can read a file the tests made unreadable
/// (root can: permission tests then run lockgen as another user, see `run_as`).
pub fn permissions_are_bypassed(probe: &Path) -> bool {
    fs::File::open(probe).is_ok()
}

#[test]
fn location_helpers_read_diagnostic_lines_only() {
    assert_eq!(
        location_of("content/a.md:3:7: unknown key"),
        Some("content/a.md:3:7")
    );
    assert_eq!(location_of("  hint: add 'title: …'"), None);
    assert_eq!(location_of("error: refusing to replace x"), None);
    assert_eq!(split_location("content/a.md:3:7"), ("content/a.md", 3, 7));
    assert_eq!(
        location_of("templates/page.html: not UTF-8"),
        Some("templates/page.html")
    );
    assert_eq!(
        split_location("templates/page.html"),
        ("templates/page.html", 0, 0)
    );
    assert_eq!(
        location_of("error: cannot write /x/a.html: File too large"),
        None
    );
}

#[test]
fn the_base_fixture_builds_cleanly() {
    let site = site("base");
    site.build().assert_ok();
    site.build_private().assert_ok();
    site.check().assert_ok();
    assert!(site.exists("public/locks/acme/k5/photo.svg"));
}

// Running lockgen under other conditions: as another user (permission
// tests), with a file size limit (disk-full tests).

/// Runs lockgen with a timeout, recording exit, output and peak memory;
/// `setup` is applied to the command before it starts (user, limits).
pub fn lockgen_with(
    cwd: &Path,
    args: &[&str],
    timeout: Duration,
    setup: impl FnOnce(&mut Command),
) -> Run {
    let started = Instant::now();
    let mut command = Command::new(env!("CARGO_BIN_EXE_lockgen"));
    command
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    setup(&mut command);
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("run lockgen {}: {e}", args.join(" ")));
    let pipe = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = r.read_to_end(&mut buf);
            buf
        })
    };
    let stdout = pipe(Box::new(child.stdout.take().expect("stdout")));
    let stderr = pipe(Box::new(child.stderr.take().expect("stderr")));
    let mut peak_kb = None;
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait for lockgen") {
            break status;
        }
        if let Some(kb) = peak_rss_kb(child.id()) {
            peak_kb = Some(peak_kb.map_or(kb, |p: u64| p.max(kb)));
        }
        if started.elapsed() > timeout {
            timed_out = true;
            let _ = child.kill();
            break child.wait().expect("wait for killed lockgen");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = started.elapsed();
    let text = |h: std::thread::JoinHandle<Vec<u8>>| {
        String::from_utf8_lossy(&h.join().expect("pipe reader")).into_owned()
    };
    Run {
        args: args.join(" "),
        status,
        stdout: text(stdout),
        stderr: text(stderr),
        elapsed,
        timed_out,
        peak_kb,
    }
}

/// The user permission tests run lockgen as when the tests run as root, whom
/// file permissions do not stop: uid and gid 65534 (`nobody`), with no
/// supplementary groups (`Command::uid` drops them when root starts it).
pub const NOBODY: u32 = 65534;

/// Who runs lockgen in a test of file permissions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum User {
    /// The current user, who is not root.
    Current,
    /// [`NOBODY`], standing in for root.
    Nobody,
}

impl Site {
    /// The user to run lockgen as so that a `chmod` made by the test holds,
    /// or `None` after a note naming `test` when there is none.
    ///
    /// As root, this hands every path under the temporary folder (which is
    /// 0700) to [`NOBODY`]: call it once the test's files exist, just before
    /// the run. As another user, `bypassed` probes whether the chmod holds for
    /// it (it does not with CAP_DAC_OVERRIDE).
    pub fn permission_user(&self, test: &str, bypassed: impl FnOnce() -> bool) -> Option<User> {
        let user = if unsafe { libc::geteuid() } == 0 {
            self.hand_to_nobody().map(|()| User::Nobody)
        } else if bypassed() {
            Err("this user is not stopped by file permissions".to_string())
        } else {
            Ok(User::Current)
        };
        user.map_err(|why| eprintln!("note: {why}; skipping the {test} test"))
            .ok()
    }

    /// Makes the temporary folder [`NOBODY`]'s, after checking it can reach
    /// it and the lockgen binary (a parent folder closed to others, or uid
    /// 65534 unmapped in a user namespace, make that impossible).
    fn hand_to_nobody(&self) -> Result<(), String> {
        let bin = Path::new(env!("CARGO_BIN_EXE_lockgen"));
        for path in self.tmp().ancestors().skip(1).chain(bin.ancestors()) {
            if !open_to_nobody(path) {
                return Err(format!(
                    "{} is closed to uid {NOBODY}, whom lockgen would run as instead of root",
                    path.display()
                ));
            }
        }
        chown_tree(self.tmp()).map_err(|e| {
            format!(
                "cannot give {} to uid {NOBODY}, whom lockgen would run as instead of root: {e}",
                self.tmp().display()
            )
        })
    }

    /// `lockgen <command> --root <root> <args…>` as `user`.
    pub fn run_as(&self, user: User, command: &str, args: &[&str]) -> Run {
        let root = self.root.to_str().expect("UTF-8 temp path");
        let mut all = vec![command, "--root", root];
        all.extend_from_slice(args);
        lockgen_with(self.tmp(), &all, TIMEOUT, |c| {
            use std::os::unix::process::CommandExt;
            if user == User::Nobody {
                c.uid(NOBODY).gid(NOBODY);
            }
        })
    }

    /// `lockgen build --root <root> <args…>` in which no file may grow past
    /// `max_bytes` (RLIMIT_FSIZE): the write that would cross it fails with
    /// EFBIG ("File too large"), as one fails with ENOSPC on a full disk. The
    /// kernel also sends SIGXFSZ, which is ignored (an ignored signal stays
    /// ignored across exec) so that lockgen sees the error.
    pub fn build_with_file_limit(&self, max_bytes: u64, args: &[&str]) -> Run {
        let root = self.root.to_str().expect("UTF-8 temp path");
        let mut all = vec!["build", "--root", root];
        all.extend_from_slice(args);
        lockgen_with(self.tmp(), &all, TIMEOUT, |c| {
            use std::os::unix::process::CommandExt;
            let limit = libc::rlimit {
                rlim_cur: max_bytes as libc::rlim_t,
                rlim_max: max_bytes as libc::rlim_t,
            };
            // SAFETY: only async-signal-safe calls between fork and exec.
            unsafe {
                c.pre_exec(move || {
                    if libc::signal(libc::SIGXFSZ, libc::SIG_IGN) == libc::SIG_ERR
                        || libc::setrlimit(libc::RLIMIT_FSIZE, &limit) != 0
                    {
                        return Err(std::io::Error::last_os_error());
                    }
                    Ok(())
                });
            }
        })
    }
}

/// Whether [`NOBODY`] may pass through (folder) or run (file) `path`.
fn open_to_nobody(path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = fs::metadata(path) else {
        return false;
    };
    let bit = if meta.uid() == NOBODY {
        0o100
    } else if meta.gid() == NOBODY {
        0o010
    } else {
        0o001
    };
    meta.mode() & bit != 0
}

/// Gives `dir` and everything under it (symlinks not followed) to [`NOBODY`].
fn chown_tree(dir: &Path) -> std::io::Result<()> {
    std::os::unix::fs::lchown(dir, Some(NOBODY), Some(NOBODY))?;
    if fs::symlink_metadata(dir)?.is_dir() {
        for entry in fs::read_dir(dir)? {
            chown_tree(&entry?.path())?;
        }
    }
    Ok(())
}

/// Stderr lines that name `path` in a way a person can act on: the path
/// itself with the system's reason, not a Rust debug dump (`Os { code: … }`)
/// nor a staging folder that no longer exists.
#[track_caller]
pub fn assert_readable_io_error(run: &Run, path: &str) {
    run.assert_mentions(path);
    for bad in ["Os {", "kind:", "lockgen-new", "lockgen-old"] {
        assert!(
            !run.stderr.contains(bad),
            "`lockgen {}`: stderr contains {bad:?}\n--- stderr:\n{}",
            run.args,
            run.stderr
        );
    }
}
