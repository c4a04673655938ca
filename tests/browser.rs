//! Browser tests: build the bundled guide with the real binary and load it in
//! headless Chromium (Debian's `/usr/bin/chromium`, driven by `playwright-core`
//! from `tests/browser/`; the checks themselves are in `tests/browser/check.mjs`).
//!
//! Needs `apt-get install chromium` and `(cd tests/browser && npm ci)`. Without
//! them each test prints `SKIPPED: …` and passes, unless `LOCKGEN_REQUIRE_BROWSER=1`
//! (set by `.ci/run`), when it fails. Screenshots go to
//! `target/browser-screenshots/`. `LOCKGEN_CHROMIUM` points at another Chromium.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};
use std::{env, fs, io, thread};

mod common;
use common::copy_dir;

const LOCKGEN: &str = env!("CARGO_BIN_EXE_lockgen");
const REPO: &str = env!("CARGO_MANIFEST_DIR");
/// Longest a check.mjs run may take before the test kills it and fails.
const NODE_TIMEOUT: Duration = Duration::from_secs(120);

/// One browser test at a time: two Chromiums on a 2-core CI box make the
/// live-reload timing flaky and are not faster.
static BROWSER: Mutex<()> = Mutex::new(());

fn chromium() -> PathBuf {
    env::var_os("LOCKGEN_CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

fn browser_dir() -> PathBuf {
    Path::new(REPO).join("tests/browser")
}

/// The screenshot folder, `target/browser-screenshots/` (follows `CARGO_TARGET_DIR`).
fn screenshots() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("browser-screenshots")
}

/// Takes the browser lock if Chromium, node and playwright-core are there.
/// Otherwise prints why and returns `None` (the test passes), or panics when
/// `LOCKGEN_REQUIRE_BROWSER=1`.
fn browser(test: &str) -> Option<MutexGuard<'static, ()>> {
    let mut missing = Vec::new();
    let chromium = chromium();
    if !chromium.is_file() {
        missing.push(format!(
            "{} (apt-get install -y chromium)",
            chromium.display()
        ));
    }
    if !browser_dir()
        .join("node_modules/playwright-core/package.json")
        .is_file()
    {
        missing.push("tests/browser/node_modules (cd tests/browser && npm ci)".to_string());
    } else if !browser_dir()
        .join("node_modules/axe-core/axe.min.js")
        .is_file()
    {
        missing.push(
            "axe-core in tests/browser/node_modules (cd tests/browser && npm ci)".to_string(),
        );
    }
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node on PATH".to_string());
    }
    if missing.is_empty() {
        return Some(BROWSER.lock().unwrap_or_else(|e| e.into_inner()));
    }
    let why = format!("missing {}", missing.join(", "));
    if env::var("LOCKGEN_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("{test}: LOCKGEN_REQUIRE_BROWSER=1 but {why}");
    }
    // Straight to stderr: libtest captures eprintln! of passing tests.
    let _ = writeln!(
        io::stderr(),
        "SKIPPED: {test}: {why}; set LOCKGEN_REQUIRE_BROWSER=1 to make this a failure"
    );
    None
}

/// A temporary copy of the repository's site: site.toml and content/.
fn copy_site() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    fs::copy(
        Path::new(REPO).join("site.toml"),
        tmp.path().join("site.toml"),
    )
    .expect("copy site.toml");
    copy_dir(
        &Path::new(REPO).join("content"),
        &tmp.path().join("content"),
    );
    tmp
}

/// The bundled guide keeps no stale example (`check --strict` passes on it), so
/// the tests that look at the stale notice make the TD-300 stale in their copy.
const STALE_ENTRY: &str = "content/locks/tarnwell/td-300.md";

fn make_stale(site: &Path) {
    let path = site.join(STALE_ENTRY);
    let text = fs::read_to_string(&path).unwrap();
    let stale: Vec<String> = text
        .lines()
        .map(|l| {
            if l.starts_with("last_verified:") {
                "last_verified: 2024-08-14".to_string()
            } else {
                l.to_string()
            }
        })
        .collect();
    assert_ne!(
        stale.join("\n"),
        text.trim_end(),
        "no last_verified in {STALE_ENTRY}"
    );
    fs::write(&path, stale.join("\n") + "\n").unwrap();
}

/// `language` from site.toml (a top-level `language = "…"` line), or lockgen's default `en`.
fn site_language(site: &Path) -> String {
    let toml = fs::read_to_string(site.join("site.toml")).unwrap();
    toml.lines()
        .filter_map(|l| l.trim().strip_prefix("language"))
        .filter_map(|rest| rest.trim_start().strip_prefix('='))
        .map(|v| v.trim().trim_matches('"').to_string())
        .next()
        .unwrap_or_else(|| "en".to_string())
}

/// Sets `language` in the copy's site.toml (first, so it stays a top-level key).
fn set_language(site: &Path, lang: &str) {
    let path = site.join("site.toml");
    let toml = fs::read_to_string(&path).unwrap();
    let rest: Vec<&str> = toml
        .lines()
        .filter(|l| !l.trim().starts_with("language"))
        .collect();
    fs::write(
        &path,
        format!("language = \"{lang}\"\n{}\n", rest.join("\n")),
    )
    .unwrap();
}

fn build(root: &Path, extra: &[&str]) {
    let out = Command::new(LOCKGEN)
        .arg("build")
        .arg("--root")
        .arg(root)
        .args(extra)
        .output()
        .expect("run lockgen build");
    assert!(
        out.status.success(),
        "lockgen build {extra:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

struct NodeRun {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    secs: f64,
}

impl NodeRun {
    fn output(&self) -> String {
        format!(
            "exit {:?} after {:.1} s\n--- stdout\n{}--- stderr\n{}",
            self.code, self.secs, self.stdout, self.stderr
        )
    }

    fn assert_passed(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(0),
            "browser checks failed:\n{}",
            self.output()
        );
        self
    }
}

/// Runs `node tests/browser/check.mjs ARGS`, killing it after [`NODE_TIMEOUT`].
fn check_mjs<S: AsRef<OsStr>>(args: &[S]) -> NodeRun {
    let start = Instant::now();
    // Its own process group, so a timeout can take Chromium down with it.
    let mut child = Command::new("node")
        .process_group(0)
        .arg("check.mjs")
        .args(args)
        .current_dir(browser_dir())
        .env("LOCKGEN_CHROMIUM", chromium())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run node");
    let stdout = read_all(child.stdout.take().unwrap());
    let stderr = read_all(child.stderr.take().unwrap());
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait for node") {
            break status.code();
        }
        if start.elapsed() > NODE_TIMEOUT {
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(format!("-{}", child.id()))
                .status();
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(50));
    };
    let run = NodeRun {
        code,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
        secs: start.elapsed().as_secs_f64(),
    };
    // Shown by `cargo test -- --nocapture`, and with a failure.
    print!("{}", run.output());
    run
}

fn read_all(mut r: impl Read + Send + 'static) -> thread::JoinHandle<String> {
    thread::spawn(move || {
        let mut s = String::new();
        let _ = r.read_to_string(&mut s);
        s
    })
}

/// The public build of the bundled guide: home, a guide page, entries (one a
/// bundle with a photo, one made stale by the test), a brand index, /brands/ and the 404 page, at
/// 375x800 and 1280x900, light and dark: no horizontal overflow, no console
/// errors or failed or off-site requests, every internal link a built file (and
/// its #fragment an id there), one h1, html[lang], landmarks, the skip link first
/// and working, visible focus, AA contrast, 44 px tap targets at 375 px, alt text,
/// numbered steps after the warnings; print hides navigation and starts the entry
/// on a new page with its warnings emphasised and link URLs shown.
#[test]
fn public_guide_in_chromium() {
    let Some(_lock) = browser("public_guide_in_chromium") else {
        return;
    };
    let site = copy_site();
    make_stale(site.path());
    build(site.path(), &["--quiet"]);
    let shots = screenshots();
    let lang = site_language(site.path());
    let run = check_mjs(&[
        OsStr::new("site"),
        OsStr::new("--dir"),
        site.path().join("public").as_os_str(),
        OsStr::new("--shots"),
        shots.as_os_str(),
        OsStr::new("--lang"),
        OsStr::new(&lang),
    ]);
    run.assert_passed();
    assert!(
        run.stdout
            .contains("checked 13 pages x 2 widths x 2 colour schemes"),
        "{}",
        run.output()
    );
    for name in [
        "home",
        "guide",
        "entry",
        "bundle",
        "brand",
        "brands",
        "contents",
        "locations",
        "location",
        "types",
        "type",
        "404",
    ] {
        for width in [375, 1280] {
            let png = shots.join(format!("{name}-{width}.png"));
            assert!(png.is_file(), "no screenshot {}", png.display());
        }
    }
    assert!(shots.join("entry-375-print.png").is_file());
}

/// The private build: the same checks, plus the private banner on every page,
/// the Sensitive badge on a sensitive entry, and html[lang] from site.toml.
#[test]
fn private_build_in_chromium() {
    let Some(_lock) = browser("private_build_in_chromium") else {
        return;
    };
    let site = copy_site();
    // Also shows that html[lang] comes from site.toml.
    set_language(site.path(), "en-GB");
    build(site.path(), &["--quiet", "--private"]);
    let shots = screenshots();
    let run = check_mjs(&[
        OsStr::new("site"),
        OsStr::new("--private"),
        OsStr::new("--dir"),
        site.path().join("private").as_os_str(),
        OsStr::new("--shots"),
        shots.as_os_str(),
        OsStr::new("--lang"),
        OsStr::new("en-GB"),
    ]);
    run.assert_passed();
    assert!(run.stdout.contains("checked 4 pages"), "{}", run.output());
}

/// A person at a door, on a phone (375 px): from `/locations/` they tap down
/// the tree, building, floor, room (a room with one lock is a link straight
/// to it), to the entry, whose location links lead back up the same path.
#[test]
fn drill_from_locations_to_an_entry_at_phone_width() {
    let Some(_lock) = browser("drill_from_locations_to_an_entry_at_phone_width") else {
        return;
    };
    let site = copy_site();
    build(site.path(), &["--quiet"]);
    let shots = screenshots();
    let run = check_mjs(&[
        OsStr::new("drill"),
        OsStr::new("--dir"),
        site.path().join("public").as_os_str(),
        OsStr::new("--start"),
        OsStr::new("/locations/"),
        OsStr::new("--via"),
        OsStr::new("Main building,Ground floor,Front entrance"),
        OsStr::new("--h1"),
        OsStr::new("Tarnwell TD-210 electronic deadbolt"),
        OsStr::new("--shots"),
        shots.as_os_str(),
    ]);
    run.assert_passed();
    assert!(
        run.stdout.contains(
            "drilled /locations/ -> /locations/main-building/ -> /locations/main-building/ground-floor/ \
             -> /locks/tarnwell/td-210/"
        ),
        "{}",
        run.output()
    );
}

/// The bundled guide at a door (issue 15), public and private builds, at 375
/// px unless said: the home page's "Start here" link is on the first screen and
/// one tap opens the decision tree, the first guide page; no page of the sitemap
/// scrolls sideways; each checklist prints on one A4 and one US Letter page
/// (public build); on entries the stale notice and the warnings start on the
/// first screen and end above the facts table; code blocks are focusable; no
/// serious or critical axe-core finding on home, two guide pages and two entries
/// at 375 and 1280 px, light and dark; in the private build the entry with a
/// private block links it near the top and the link lands on it.
#[test]
fn guide_at_the_door_in_chromium() {
    let Some(_lock) = browser("guide_at_the_door_in_chromium") else {
        return;
    };
    let site = copy_site();
    make_stale(site.path());
    build(site.path(), &["--quiet"]);
    build(site.path(), &["--quiet", "--private"]);
    let shots = screenshots();
    for (out, private) in [("public", false), ("private", true)] {
        let dir = site.path().join(out);
        let mut args = vec![
            OsStr::new("guide"),
            OsStr::new("--dir"),
            dir.as_os_str(),
            OsStr::new("--shots"),
            shots.as_os_str(),
        ];
        if private {
            args.push(OsStr::new("--private"));
        }
        let run = check_mjs(&args);
        run.assert_passed();
        let checklists = if private { 0 } else { 2 };
        assert!(
            run.stdout.contains(&format!(
                "{checklists} checklists printed, 3 entries, axe on 5 pages x 2 widths x 2 schemes: 0 serious or critical"
            )),
            "{}",
            run.output()
        );
    }
    assert!(shots.join("locked-out-375.png").is_file());
    assert!(shots.join("private-jump-375.png").is_file());
}

/// The guide checks are not vacuous: code blocks without their tabindex, and
/// an entry whose warnings come after its facts table, fail them (axe-core
/// among them).
#[test]
fn guide_checks_catch_unfocusable_code_and_late_warnings() {
    let Some(_lock) = browser("guide_checks_catch_unfocusable_code_and_late_warnings") else {
        return;
    };
    let site = copy_site();
    build(site.path(), &["--quiet"]);
    let public = site.path().join("public");
    let guide = public.join("guide/building-your-handbook/index.html");
    let html = fs::read_to_string(&guide).unwrap();
    assert!(html.contains("<pre tabindex=\"0\">"));
    fs::write(&guide, html.replace("<pre tabindex=\"0\">", "<pre>")).unwrap();
    let entry = public.join("locks/tarnwell/td-210/index.html");
    let html = fs::read_to_string(&entry).unwrap();
    let (start, end) = (
        html.find("<aside class=\"warnings\"").expect("warnings"),
        html.find("</aside>").expect("</aside>") + "</aside>".len(),
    );
    let warnings = &html[start..end];
    let moved =
        html.replacen(warnings, "", 1)
            .replacen("</table>", &format!("</table>{warnings}"), 1);
    fs::write(&entry, moved).unwrap();
    let run = check_mjs(&[OsStr::new("guide"), OsStr::new("--dir"), public.as_os_str()]);
    assert_eq!(run.code, Some(1), "{}", run.output());
    for expected in [
        "code blocks without tabindex 0",
        "serious scrollable-region-focusable",
        "/locks/tarnwell/td-210/ @375: the warnings ends at",
    ] {
        assert!(
            run.stdout.contains(expected),
            "no failure containing {expected:?}:\n{}",
            run.output()
        );
    }
}

/// The checks are not vacuous: a page broken in each way they look for fails them.
#[test]
fn browser_checks_catch_a_broken_page() {
    let Some(_lock) = browser("browser_checks_catch_a_broken_page") else {
        return;
    };
    let site = copy_site();
    build(site.path(), &["--quiet"]);
    let page = site.path().join("public/locks/tarnwell/td-210/index.html");
    let html = fs::read_to_string(&page).unwrap();
    let body = html.find("<body").expect("<body");
    let body_end = body + html[body..].find('>').unwrap() + 1;
    let main_end = html.find("</main>").expect("</main>");
    let broken = format!(
        "{}<a href=\"/\">before the skip link</a>{}<h1>A second h1</h1>\
         <div style=\"width:2000px\">too wide</div><a href=\"/locks/nowhere/\">gone</a>\
         <img src=\"/missing.png\"><script>console.error(\"boom\")</script>{}",
        &html[..body_end],
        &html[body_end..main_end],
        &html[main_end..]
    );
    fs::write(&page, broken).unwrap();
    let run = check_mjs(&[
        OsStr::new("site"),
        OsStr::new("--dir"),
        site.path().join("public").as_os_str(),
        OsStr::new("--pages"),
        OsStr::new("entry"),
    ]);
    assert_eq!(run.code, Some(1), "{}", run.output());
    for expected in [
        "2 h1 elements",
        "horizontal overflow",
        "internal link /locks/nowhere/ is HTTP 404",
        "console error: boom",
        "not the skip link",
        "image /missing.png has no alt text",
        "HTTP 404 (expected 200) for http://127.0.0.1:",
    ] {
        assert!(
            run.stdout.contains(expected),
            "no failure containing {expected:?}:\n{}",
            run.output()
        );
    }
}

/// The header's search box on the bundled guide, over HTTP: `/` focuses it, a
/// model number finds its entry first (typed with or without its dash), a typo,
/// a prefix and a word with a diacritic find theirs, the brand filter narrows,
/// ArrowDown and Enter open a result whose page marks the words; the public
/// build's search never finds the sensitive entry's master code or a
/// private-block line, the private build's finds both.
#[test]
fn search_in_chromium() {
    let Some(_lock) = browser("search_in_chromium") else {
        return;
    };
    let site = copy_site();
    build(site.path(), &["--quiet"]);
    build(site.path(), &["--quiet", "--private"]);
    for (out, private) in [("public", false), ("private", true)] {
        let dir = site.path().join(out);
        let mut args = vec![OsStr::new("search"), OsStr::new("--dir"), dir.as_os_str()];
        if private {
            args.push(OsStr::new("--private"));
        }
        let run = check_mjs(&args);
        run.assert_passed();
        let done = format!(
            "search http{}: checked",
            if private { " private" } else { "" }
        );
        assert!(run.stdout.contains(&done), "{}", run.output());
    }
}

/// The same checks with the built site opened from `file://` (a copy on a
/// laptop or USB stick), where browsers refuse `fetch`: the index loads as
/// scripts. Such a copy is built with `relative_urls = true`.
#[test]
fn search_from_a_file_url() {
    let Some(_lock) = browser("search_from_a_file_url") else {
        return;
    };
    let site = copy_site();
    let toml = site.path().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(&toml, format!("{text}relative_urls = true\n")).unwrap();
    build(site.path(), &["--quiet"]);
    let dir = site.path().join("public");
    let run = check_mjs(&[
        OsStr::new("search"),
        OsStr::new("--dir"),
        dir.as_os_str(),
        OsStr::new("--file-url"),
    ]);
    run.assert_passed();
    assert!(
        run.stdout.contains("search file://: checked"),
        "{}",
        run.output()
    );
}

/// `build --private --encrypt` of the guide with two audiences, opened from
/// `file://`: see `checkCrypt` in check.mjs (wrong passphrase, the
/// audience's contents only, links without asking again, a photo, search,
/// reload, Lock, changed files). Prints the unlock and page-open times.
#[test]
fn encrypted_build_in_chromium_from_a_file_url() {
    let Some(_lock) = browser("encrypted_build_in_chromium_from_a_file_url") else {
        return;
    };
    let site = copy_site();
    let toml = site.path().join("site.toml");
    let text = fs::read_to_string(&toml).unwrap();
    fs::write(
        &toml,
        format!(
            "{text}\n[audiences.basement]\nlocations = [\"Main building/Basement\"]\n\
             [audiences.first-floor]\nlocations = [\"Main building/First floor\"]\n"
        ),
    )
    .unwrap();
    let basement = "the basement crew passphrase";
    let out = Command::new(LOCKGEN)
        .args(["build", "--quiet", "--private", "--encrypt", "--root"])
        .arg(site.path())
        .env("LOCKGEN_PASSPHRASE_BASEMENT", basement)
        .env(
            "LOCKGEN_PASSPHRASE_FIRST_FLOOR",
            "first floor has its own one",
        )
        .output()
        .expect("run lockgen build --encrypt");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dir = site.path().join("private-encrypted");
    let run = check_mjs(&[
        OsStr::new("crypt"),
        OsStr::new("--dir"),
        dir.as_os_str(),
        OsStr::new("--pass"),
        OsStr::new(basement),
        OsStr::new("--file-url"),
    ]);
    run.assert_passed();
    assert!(
        run.stdout.contains("crypt file://: checked"),
        "{}",
        run.output()
    );
}

/// `lockgen serve`, killed when dropped (also when the test fails).
struct Server {
    child: Child,
    url: String,
    log: Receiver<String>,
}

impl Server {
    fn start(root: &Path) -> Server {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("free port")
            .port();
        let mut child = Command::new(LOCKGEN)
            .arg("serve")
            .arg("--root")
            .arg(root)
            .arg("--port")
            .arg(port.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run lockgen serve");
        let (tx, log) = mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            url: String::new(),
            log,
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut seen = Vec::new();
        while server.url.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            match server.log.recv_timeout(left) {
                Ok(line) => {
                    if let Some(at) = line.find("serving http://") {
                        let url = line[at + "serving ".len()..].split_whitespace().next();
                        server.url = url.unwrap_or_default().to_string();
                    }
                    seen.push(line);
                }
                Err(_) => panic!(
                    "lockgen serve printed no `serving http://…` line within 60 s:\n{}",
                    seen.join("\n")
                ),
            }
        }
        assert!(server.url.ends_with('/'), "odd URL {:?}", server.url);
        server
    }

    fn log(&self) -> String {
        self.log.try_iter().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `lockgen serve` (live preview): an open entry page shows an edit of its
/// Markdown file within 10 s without anyone reloading it.
#[test]
fn serve_reloads_an_open_page_when_its_markdown_changes() {
    let Some(_lock) = browser("serve_reloads_an_open_page_when_its_markdown_changes") else {
        return;
    };
    let site = copy_site();
    let server = Server::start(site.path());
    let md = site.path().join("content/locks/tarnwell/td-210.md");
    let old = "wait 30 seconds for the lock to lose power completely";
    let new = "wait 45 seconds (edited by the browser test) for the lock to lose power";
    assert!(fs::read_to_string(&md).unwrap().contains(old));
    let shots = screenshots();
    let run = check_mjs(&[
        OsStr::new("live"),
        OsStr::new("--url"),
        OsStr::new(&format!("{}locks/tarnwell/td-210/", server.url)),
        OsStr::new("--file"),
        md.as_os_str(),
        OsStr::new("--old"),
        OsStr::new(old),
        OsStr::new("--new"),
        OsStr::new(new),
        OsStr::new("--shots"),
        shots.as_os_str(),
    ]);
    assert_eq!(
        run.code,
        Some(0),
        "live reload failed:\n{}\n--- lockgen serve\n{}",
        run.output(),
        server.log()
    );
    assert!(fs::read_to_string(&md).unwrap().contains(new));
    drop(server);
}
