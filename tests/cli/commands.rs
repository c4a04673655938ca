//! `lockgen check`, usage errors and output verbosity.

use crate::{lockgen_in, site, snapshot};

#[test]
fn check_on_a_good_site_exits_0_and_writes_nothing() {
    let site = site("check-good");
    let before = snapshot(site.tmp());
    for args in [&[][..], &["--private"], &["--strict"]] {
        let run = site.run("check", args);
        run.assert_ok();
        assert_eq!(run.diagnostics(), Vec::<&str>::new(), "{}", run.stderr);
    }
    assert!(snapshot(site.tmp()) == before, "check wrote files");
}

#[test]
fn check_reports_stale_entries_as_warnings() {
    let site = site("check-stale");
    let run = site.run("check", &[]);
    run.assert_ok();
    assert_eq!(run.errors(), Vec::<&str>::new());
    let diags = run.diagnostics();
    assert_eq!(diags.len(), 1, "{}", run.stderr);
    assert!(
        diags[0].starts_with("content/locks/acme/old.md:")
            && diags[0].contains("warning:")
            && diags[0].contains("stale"),
        "{}",
        diags[0]
    );
    assert!(!site.exists("public"));
}

#[test]
fn check_says_how_overdue_a_stale_entry_is() {
    // Built on 2026-11-18; last verified 2024-01-01; stale after 365 days.
    let run = site("check-stale").run("check", &[]);
    assert!(
        run.stderr.contains(
            "content/locks/acme/old.md:5:1: warning: stale: last verified 2024-01-01, 1052 days ago (687 days overdue)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("1 stale,"), "{}", run.stderr);
}

#[test]
fn check_strict_fails_on_stale_entries() {
    let site = site("check-stale");
    let run = site.run("check", &["--strict"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("content/locks/acme/old.md:"),
        "{}",
        run.stderr
    );
}

/// Every finding of `check-report`, in the order lockgen prints them.
const REPORT: &[(&str, &str)] = &[
    ("content/locks/acme/empty-revisions.md:6:1", "no revisions"),
    (
        "content/locks/acme/never-verified.md:1:1",
        "stale: no last_verified date",
    ),
    ("content/locks/acme/no-revisions.md:1:1", "no revisions"),
    (
        "content/locks/vaultco/fingerprint.md:6:1",
        "lock_type 'biometric' has no warnings",
    ),
    (
        "content/locks/vaultco/safe-bare.md:6:1",
        "lock_type 'safe' has no warnings",
    ),
];

#[test]
fn check_reports_unverified_unrevised_and_risky_entries() {
    let site = site("check-report");
    let run = site.run("check", &[]);
    run.assert_ok();
    let diags = run.diagnostics();
    assert_eq!(diags.len(), REPORT.len(), "{}", run.stderr);
    for (line, (location, message)) in diags.iter().zip(REPORT) {
        assert!(
            line.starts_with(&format!("{location}: warning: {message}")),
            "expected {location}: warning: {message}…, got {line}"
        );
    }
    assert!(
        run.stderr
            .contains("no errors, 1 stale, 2 without revisions, 2 risky without warnings"),
        "{}",
        run.stderr
    );
    assert!(!site.exists("public"));
}

#[test]
fn check_strict_fails_on_any_report() {
    let site = site("check-report");
    site.run("check", &["--strict"]).assert_code(1);
    // Once every finding is dealt with, --strict passes.
    for rel in ["empty-revisions", "no-revisions", "never-verified"] {
        site.write(
            &format!("content/locks/acme/{rel}.md"),
            &format!(
                "---\ntitle: Acme {rel}\nbrand: Acme\nmodel: {rel}\nlast_verified: 2026-06-01\n\
                 revisions:\n  - date: 2026-06-01\n    note: Written.\n---\nProcedure.\n"
            ),
        );
    }
    site.write(
        "site.toml",
        &site
            .read("site.toml")
            .replace("minify", "risky_lock_types = []\nminify"),
    );
    let run = site.run("check", &["--strict"]);
    run.assert_ok();
    assert_eq!(run.diagnostics(), Vec::<&str>::new(), "{}", run.stderr);
}

#[test]
fn risky_lock_types_in_site_toml_replace_the_default_list() {
    let site = site("check-report");
    site.write(
        "site.toml",
        &site
            .read("site.toml")
            .replace("minify", "risky_lock_types = [\"Keypad\"]\nminify"),
    );
    let run = site.run("check", &[]);
    run.assert_ok();
    let risky: Vec<&str> = run
        .diagnostics()
        .into_iter()
        .filter(|l| l.contains("has no warnings"))
        .collect();
    assert_eq!(risky.len(), 1, "{}", run.stderr);
    assert!(
        risky[0].starts_with("content/locks/acme/keypad.md:5:1: warning: lock_type 'keypad'"),
        "{}",
        risky[0]
    );
}

#[test]
fn a_build_does_not_print_check_reports() {
    let run = site("check-report").run("build", &[]);
    run.assert_ok();
    assert_eq!(run.diagnostics(), Vec::<&str>::new(), "{}", run.stderr);
}

#[test]
fn check_on_a_broken_site_exits_1() {
    let site = site("check-broken");
    let before = snapshot(site.tmp());
    site.run("check", &[])
        .assert_code(1)
        .assert_errors(&[("content/guide/intro.md:4:9", &["d200.md"])]);
    assert!(snapshot(site.tmp()) == before, "check wrote files");
}

#[test]
fn bad_usage_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    for args in [
        &["build", "--no-such-flag"][..],
        &["frobnicate"],
        &[],
        &["build", "--quiet", "--verbose"],
        &["check", "--output", "out"],
    ] {
        let run = lockgen_in(tmp.path(), args);
        run.assert_code(2);
        assert!(!run.stderr.is_empty(), "{args:?}: no message");
    }
    assert_eq!(crate::listing(tmp.path()), Vec::<String>::new());
}

#[test]
fn quiet_build_prints_nothing_on_success() {
    let site = site("check-good");
    let run = site.run("build", &["--quiet"]);
    run.assert_ok();
    assert_eq!(run.stderr, "");
    assert_eq!(run.stdout, "");
}

/// SPEC: "Every command takes `--quiet` (errors only)"; stale entries are warnings.
#[test]
fn check_quiet_prints_errors_only() {
    let site = site("check-stale");
    let run = site.run("check", &["--quiet"]);
    run.assert_ok();
    assert_eq!(run.stderr, "");
}
