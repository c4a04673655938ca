//! `lockgen build --pdf` (issue #12): `handbook.pdf`, the print page printed
//! by headless Chromium. These tests need Chromium (Debian's `chromium`, or
//! `LOCKGEN_CHROME`) and poppler-utils (`pdftotext`, `pdfinfo`); without
//! them each prints `SKIPPED: …` and passes, unless
//! `LOCKGEN_REQUIRE_BROWSER=1` (as in CI) makes that a failure. The test of
//! the error without a browser needs neither.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::print_parts::{is_sensitive, parts_site, print_files};
use crate::{Run, Site, lockgen_with_env, site};

/// The public entries and guide pages of `print-feed`, by title.
const PUBLIC_TITLES: &[&str] = &["Introduction", "Acme D100 deadbolt", "Zeta Z1 keypad"];

/// What a public PDF of `print-feed` must never show.
const SECRETS: &[&str] = &[
    "SENS-REV",
    "SENS-BODY",
    "PRIVLINE-4455",
    "Server room master",
    "Staff codes list",
];

fn on_path(name: &str) -> Option<PathBuf> {
    let dirs = std::env::var_os("PATH")?;
    std::env::split_paths(&dirs)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Whether Chromium and poppler-utils are here; else the `SKIPPED` line
/// (or, with `LOCKGEN_REQUIRE_BROWSER=1`, a failure).
pub fn tools_or_skip(test: &str) -> bool {
    let chrome = std::env::var_os("LOCKGEN_CHROME")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| {
            [
                "chromium",
                "chromium-browser",
                "google-chrome",
                "google-chrome-stable",
            ]
            .into_iter()
            .find_map(on_path)
        });
    let why = match (chrome, on_path("pdftotext"), on_path("pdfinfo")) {
        (None, _, _) => "no Chromium (apt-get install chromium, or set LOCKGEN_CHROME)",
        (_, None, _) | (_, _, None) => "no pdftotext/pdfinfo (apt-get install poppler-utils)",
        _ => return true,
    };
    if std::env::var("LOCKGEN_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("{test}: LOCKGEN_REQUIRE_BROWSER=1 but {why}");
    }
    eprintln!("SKIPPED: {test}: {why}; set LOCKGEN_REQUIRE_BROWSER=1 to make this a failure");
    false
}

/// `lockgen build --root <site> --pdf [extra…]` with `env` set.
pub fn build_pdf(site: &Site, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let root = site.root.to_str().expect("UTF-8 temp path");
    let mut args = vec!["build", "--root", root, "--pdf"];
    args.extend_from_slice(extra);
    lockgen_with_env(site.tmp(), &args, env)
}

/// The PDF's text, by `pdftotext` (one string, pages separated by form feeds).
/// A stand-in for Chromium: an executable shell `script` in the site's temporary folder.
/// `build --pdf` with a browser that never finishes and a 1 s timeout (and
/// `env`): it fails with exit code 1 well before the browser would end.
fn build_with_a_hanging_browser(s: &Site, env: &[(&str, &str)]) -> Run {
    let fake = fake_browser(s, "slow-chrome", "#!/bin/sh\nsleep 60\n");
    let mut all = vec![
        ("LOCKGEN_CHROME", fake.to_str().expect("UTF-8")),
        ("LOCKGEN_PDF_TIMEOUT", "1"),
    ];
    all.extend_from_slice(env);
    let started = std::time::Instant::now();
    let run = build_pdf(s, &[], &all);
    run.assert_code(1);
    assert!(
        started.elapsed().as_secs() < 30,
        "the timeout did not stop the browser"
    );
    run
}

fn fake_browser(s: &Site, name: &str, script: &str) -> PathBuf {
    let fake = s.tmp().join(name);
    std::fs::write(&fake, script).expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    fake
}

pub fn pdf_text(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success(), "pdftotext {}", pdf.display());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The PDF's page count, by `pdfinfo`.
fn pages(pdf: &Path) -> usize {
    let out = Command::new("pdfinfo")
        .arg(pdf)
        .output()
        .expect("run pdfinfo");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count")
}

#[test]
fn the_public_pdf_has_a_page_per_entry_every_public_title_page_numbers_and_no_secret() {
    let test = "the_public_pdf_has_a_page_per_entry_every_public_title_page_numbers_and_no_secret";
    if !tools_or_skip(test) {
        return;
    }
    let s = site("print-feed");
    let run = build_pdf(&s, &[], &[]);
    run.assert_ok();
    assert!(
        run.stderr.contains("printing public/handbook.pdf"),
        "{}",
        run.stderr
    );
    let pdf = s.path("public/handbook.pdf");
    // Title page, contents, the guide page, and each of the two entries on its own.
    let n = pages(&pdf);
    assert!(n >= 5, "{n} pages");
    let text = pdf_text(&pdf);
    for title in PUBLIC_TITLES {
        assert!(text.contains(title), "the PDF lacks {title:?}:\n{text}");
    }
    for secret in SECRETS {
        assert!(!text.contains(secret), "the PDF holds {secret:?}");
    }
    assert!(
        text.contains(&format!("Page 1 of {n}")),
        "no page numbers:\n{text}"
    );
    assert!(
        text.contains(&format!("Page {n} of {n}")),
        "no page numbers:\n{text}"
    );
    assert!(!text.contains("PRIVATE"), "a public PDF says PRIVATE");
    // Every entry starts a page: each title opens a page's text.
    for title in ["Acme D100 deadbolt", "Zeta Z1 keypad"] {
        assert!(
            text.split('\u{c}')
                .any(|p| p.trim_start().starts_with(title)
                    || p.lines().take(3).any(|l| l.trim() == title)),
            "{title} does not start a page"
        );
    }
    // The bookmarks Chromium made from the headings.
    let bytes = std::fs::read(&pdf).expect("read the PDF");
    assert!(
        bytes.windows(9).any(|w| w == b"/Outlines"),
        "the PDF has no outline"
    );
    // Nothing of the PDF's making is left beside the print page.
    let left: Vec<_> = std::fs::read_dir(s.path("public/print"))
        .expect("print/")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left, ["index.html"]);
}

#[test]
fn the_private_pdf_says_private_on_every_page_and_not_where_it_was_printed_from() {
    let test = "the_private_pdf_says_private_on_every_page_and_not_where_it_was_printed_from";
    if !tools_or_skip(test) {
        return;
    }
    let s = site("print-feed");
    build_pdf(&s, &["--private"], &[]).assert_ok();
    let pdf = s.path("private/handbook.pdf");
    let n = pages(&pdf);
    let text = pdf_text(&pdf);
    assert_eq!(
        text.matches("PRIVATE — do not share").count(),
        n,
        "PRIVATE is not on each of {n} pages"
    );
    for marker in [
        "SENS-BODY-9911",
        "SENS-BODY-1234",
        "PRIVLINE-4455",
        "Server room master",
    ] {
        assert!(text.contains(marker), "the private PDF lacks {marker}");
    }
    let lower = text.to_lowercase();
    assert!(
        !lower.contains("printed from") && !lower.contains("file://"),
        "{text}"
    );
    assert!(!lower.contains("handbook.example.org"), "{text}");
}

#[test]
fn pdf_without_a_browser_is_a_clear_error_and_keeps_the_previous_output() {
    let s = site("print-feed");
    s.build().assert_ok();
    let before = s.snapshot("public");
    let run = build_pdf(&s, &[], &[("LOCKGEN_CHROME", "/nonexistent/chromium")]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("error: --pdf: LOCKGEN_CHROME is /nonexistent/chromium")
            && run.stderr.contains("sudo apt-get install chromium"),
        "{}",
        run.stderr
    );
    let run = build_pdf(&s, &[], &[("LOCKGEN_CHROME", ""), ("PATH", "/nonexistent")]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("--pdf needs headless Chromium") && run.stderr.contains("hint:"),
        "{}",
        run.stderr
    );
    assert_eq!(
        s.snapshot("public"),
        before,
        "a failed --pdf build changed the output"
    );
}

#[test]
fn a_browser_that_fails_fails_the_build_and_keeps_the_previous_output() {
    let s = site("print-feed");
    s.build().assert_ok();
    let before = s.snapshot("public");
    // A "browser" that exits 1 without printing.
    let fake = fake_browser(&s, "fake-chrome", "#!/bin/sh\necho broken >&2\nexit 1\n");
    let run = build_pdf(
        &s,
        &[],
        &[("LOCKGEN_CHROME", fake.to_str().expect("UTF-8"))],
    );
    run.assert_code(1);
    assert!(
        run.stderr.contains("failed to print handbook.pdf") && run.stderr.contains("broken"),
        "{}",
        run.stderr
    );
    assert_eq!(s.snapshot("public"), before);
}

#[test]
fn a_browser_that_hangs_is_stopped_at_the_timeout_and_the_previous_output_stays() {
    let s = site("print-feed");
    s.build().assert_ok();
    let before = s.snapshot("public");
    let run = build_with_a_hanging_browser(&s, &[]);
    assert!(
        run.stderr
            .contains("did not finish printing handbook.pdf within 1 s")
            && run.stderr.contains("LOCKGEN_PDF_TIMEOUT"),
        "{}",
        run.stderr
    );
    assert_eq!(s.snapshot("public"), before);
}

/// The bookmarks of a PDF: (level, title), in order.
fn outline(pdf: &Path) -> Vec<(usize, String)> {
    let doc = lopdf::Document::load(pdf).expect("the PDF loads");
    let toc = doc.get_toc().expect("the PDF has an outline");
    toc.toc.into_iter().map(|t| (t.level, t.title)).collect()
}

/// Every link of a PDF that goes to a named destination, and whether the name is one.
fn named_links(pdf: &Path) -> Vec<(String, bool)> {
    let doc = lopdf::Document::load(pdf).expect("the PDF loads");
    let cat = doc.catalog().expect("catalog");
    let dests = cat
        .get(b"Dests")
        .and_then(|d| doc.dereference(d))
        .and_then(|(_, d)| d.as_dict().cloned())
        .unwrap_or_default();
    let mut out = Vec::new();
    for page in doc.get_pages().into_values() {
        let annots = doc
            .get_dictionary(page)
            .and_then(|d| d.get(b"Annots"))
            .and_then(|a| a.as_array().cloned())
            .unwrap_or_default();
        for a in annots {
            let Ok(d) = a.as_reference().and_then(|r| doc.get_dictionary(r)) else {
                continue;
            };
            if let Ok(name) = d.get(b"Dest").and_then(lopdf::Object::as_name) {
                out.push((String::from_utf8_lossy(name).into_owned(), dests.has(name)));
            }
        }
    }
    out
}

#[test]
fn a_handbook_in_parts_prints_to_one_pdf_numbered_through_with_every_entry_bookmarked() {
    let test = "a_handbook_in_parts_prints_to_one_pdf_numbered_through_with_every_entry_bookmarked";
    if !tools_or_skip(test) {
        return;
    }
    let n = 150;
    let s = parts_site(n);
    let run = build_pdf(&s, &[], &[]);
    run.assert_ok();
    let parts = print_files(&s, "public").len() - 1;
    assert!(parts >= 3, "{parts} parts");
    for p in 1..=parts {
        assert!(
            run.stderr.contains(&format!("printed part {p} (")),
            "no progress line for part {p}:\n{}",
            run.stderr
        );
    }
    let pdf = s.path("public/handbook.pdf");
    let pages = pages(&pdf);
    let public: Vec<usize> = (0..n).filter(|&i| !is_sensitive(i)).collect();
    assert!(pages >= public.len(), "{pages} pages");
    let text = pdf_text(&pdf);
    assert!(
        !text.contains("SENS-") && !text.contains("PRIVATE"),
        "a public PDF holds a marker"
    );
    // Page numbers run through the whole PDF, once a page.
    for k in [1, pages / 2, pages] {
        assert_eq!(
            text.matches(&format!("Page {k} of {pages}\n")).count(),
            1,
            "Page {k}"
        );
    }
    assert_eq!(text.matches(&format!(" of {pages}\n")).count(), pages);
    // Every public entry's title, in the text and as a bookmark; a bookmark per part.
    let marks = outline(&pdf);
    let titles: Vec<&str> = marks.iter().map(|(_, t)| t.as_str()).collect();
    for i in &public {
        let brand = ["Acme", "Bolt", "Zeta"][i * 3 / n];
        let title = format!("{brand} M{i:03} lock");
        assert!(text.contains(&title), "the PDF lacks {title}");
        assert_eq!(
            titles.iter().filter(|t| **t == title).count(),
            1,
            "bookmark {title}"
        );
    }
    for p in 1..=parts {
        let part = format!("Part {p}: ");
        assert!(
            marks.iter().any(|(l, t)| *l == 1 && t.starts_with(&part)),
            "no bookmark for part {p}: {marks:?}"
        );
    }
    // Links between parts became links within the PDF, and every one lands.
    let links = named_links(&pdf);
    assert!(links.len() >= public.len(), "{} links", links.len());
    for (name, lands) in &links {
        assert!(lands, "a link to {name} lands nowhere");
    }
    let bytes = std::fs::read(&pdf).expect("read the PDF");
    assert!(
        !bytes.windows(8).any(|w| w == b"file:///"),
        "a link to a file"
    );
    // The work folder is gone.
    assert!(!s.exists("public/.lockgen-pdf"));
}

#[test]
fn a_private_pdf_in_parts_says_private_on_every_page_and_holds_every_sensitive_entry() {
    let test = "a_private_pdf_in_parts_says_private_on_every_page_and_holds_every_sensitive_entry";
    if !tools_or_skip(test) {
        return;
    }
    let n = 150;
    let s = parts_site(n);
    build_pdf(&s, &["--private"], &[]).assert_ok();
    let pdf = s.path("private/handbook.pdf");
    let pages = pages(&pdf);
    assert!(pages >= n, "{pages} pages");
    let text = pdf_text(&pdf);
    assert_eq!(text.matches("PRIVATE — do not share").count(), pages);
    for i in (0..n).filter(|&i| is_sensitive(i)) {
        assert!(text.contains(&format!("SENS-PART-{i}.")), "SENS-PART-{i}");
    }
    assert!(!text.to_lowercase().contains("printed from"));
}

#[test]
fn each_part_has_its_own_timeout_and_the_first_failure_stops_the_rest() {
    let s = parts_site(150);
    // Two prints time out after a second each; the other parts never start.
    let run = build_with_a_hanging_browser(&s, &[("LOCKGEN_PDF_JOBS", "2")]);
    assert!(
        run.stderr
            .contains("did not finish printing handbook.pdf within 1 s (")
            && run.stderr.contains("for each part"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("printed part"), "{}", run.stderr);
    assert!(!s.exists("public"), "a failed PDF left an output");
}
