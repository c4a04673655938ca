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
