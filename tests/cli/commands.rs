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

/// `check` runs the same pass as `build`, audit included: a site whose build
/// would fail its leak audit fails `check`, and a static file that would
/// overwrite a page too.
#[test]
fn check_fails_where_the_build_would_fail_its_audit() {
    for case in ["leak-template", "leak-static"] {
        let site = site(case);
        let build = site.build();
        build.assert_code(1);
        let check = site.run("check", &[]);
        check.assert_code(1);
        assert_eq!(check.errors(), build.errors(), "{case}: {}", check.stderr);
        assert!(!site.exists("public"), "{case}: check wrote public/");
        // The audit guards public builds only.
        site.run("check", &["--private"]).assert_ok();
    }
    let site = site("check-good");
    site.write("static/index.html", "<p>not the home page</p>");
    let run = site.run("check", &[]);
    run.assert_code(1);
    assert!(
        run.stderr
            .contains("static/index.html: this file would overwrite the page public/index.html"),
        "{}",
        run.stderr
    );
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
        "lock_type 'Safe' (taken as 'safe') has no warnings",
    ),
    (
        "content/locks/vaultco/safe-bare.md:6:1",
        "lock_type 'Safe' is close to the risky type 'safe': did you mean 'safe'?",
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
            .contains("no errors, 1 stale, 2 without revisions, 2 risky without warnings, 1 near-miss lock types, 0 brand spellings to merge"),
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

/// Every finding of `check-spellings`, in the order lockgen prints them.
const SPELLINGS: &[(&str, &str)] = &[
    (
        "content/locks/acme/a1.md:5:1",
        "lock_type 'smart_lock' is close to the risky type 'smart-lock': did you mean 'smart-lock'?",
    ),
    (
        "content/locks/acme/a2.md:3:1",
        "brand 'ACME' is also spelled 'Acme' (content/locks/acme/a1.md): one brand index holds both, shown as 'ACME'",
    ),
    (
        "content/locks/acme/a2.md:5:1",
        "lock_type 'Smart-Lock ' is close to the risky type 'smart-lock'",
    ),
    (
        "content/locks/acme/a3.md:5:1",
        "lock_type 'smrt-lock' is close to the risky type 'smart-lock'",
    ),
    (
        "content/locks/nordvik/n2.md:5:1",
        "lock_type 'smartlock' is close to the risky type 'smart-lock'",
    ),
    (
        "content/locks/nordvik/n3.md:3:1",
        "brand 'Nordvik Locks' is also spelled 'Nordvik' (content/locks/nordvik/n1.md): these entries are in two brand indexes",
    ),
    (
        "content/locks/nordvik/n3.md:5:1",
        "lock_type 'Smart lock' (taken as 'smart-lock') has no warnings",
    ),
    (
        "content/locks/nordvik/n3.md:5:1",
        "lock_type 'Smart lock' is close to the risky type 'smart-lock'",
    ),
];

#[test]
fn check_reports_near_miss_lock_types_and_brand_spellings() {
    let site = site("check-spellings");
    let run = site.run("check", &[]);
    run.assert_ok();
    let diags = run.diagnostics();
    assert_eq!(diags.len(), SPELLINGS.len(), "{}", run.stderr);
    for (line, (location, message)) in diags.iter().zip(SPELLINGS) {
        assert!(
            line.starts_with(&format!("{location}: warning: {message}")),
            "expected {location}: warning: {message}…, got {line}"
        );
    }
    assert!(
        run.stderr.contains(
            "no errors, 0 stale, 0 without revisions, 1 risky without warnings, \
             5 near-miss lock types, 2 brand spellings to merge"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(
            "hint: write the brand one way in every entry: brand: Nordvik is the most used"
        ),
        "{}",
        run.stderr
    );
    site.run("check", &["--strict"]).assert_code(1);
}

#[test]
fn check_strict_passes_once_lock_types_and_brands_are_spelled_alike() {
    let site = site("check-spellings");
    for rel in ["acme/a1", "acme/a2", "acme/a3", "nordvik/n2", "nordvik/n3"] {
        let path = format!("content/locks/{rel}.md");
        let text = site.read(&path);
        let fixed: String = text
            .lines()
            .map(|l| match l {
                l if l.starts_with("lock_type:") => "lock_type: smart-lock",
                "brand: ACME" => "brand: Acme",
                "brand: Nordvik Locks" => "brand: Nordvik",
                l => l,
            })
            .map(|l| format!("{l}\n"))
            .collect();
        let fixed = if fixed.contains("warnings:") {
            fixed
        } else {
            fixed.replace(
                "revisions:",
                "warnings: [A reset erases every code.]\nrevisions:",
            )
        };
        site.write(&path, &fixed);
    }
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
