//! The repository's own guide (`content/`, the public general guide): it passes
//! `check --strict`, public and private, and its sensitive examples never reach
//! the public build (issue 15).

use std::fs;
use std::path::Path;

use crate::{copy_dir, files_containing, lockgen_in};

/// A temporary copy of the repository's site.toml and content/.
fn bundled_guide() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().expect("temporary folder");
    fs::copy(repo.join("site.toml"), tmp.path().join("site.toml")).expect("copy site.toml");
    copy_dir(&repo.join("content"), &tmp.path().join("content"));
    tmp
}

/// No stale example, no entry without revisions, no risky type without
/// warnings, no near-miss type or brand spelling: `--strict` passes, with and
/// without the sensitive entries (on the tests' fixed build date).
#[test]
fn bundled_guide_passes_check_strict_public_and_private() {
    let site = bundled_guide();
    for args in [
        &["check", "--strict"][..],
        &["check", "--strict", "--private"],
    ] {
        let run = lockgen_in(site.path(), args);
        run.assert_ok();
        let report = format!("{}{}", run.stdout, run.stderr);
        assert!(
            report.contains(": no errors, 0 stale, 0 without revisions, 0 risky without warnings, 0 near-miss lock types, 0 brand spellings to merge"),
            "{args:?}:\n{report}"
        );
        assert!(!report.contains("warning:"), "{args:?}:\n{report}");
    }
}

/// What only the sensitive examples and the private blocks say (the place of a
/// key, a vault item, a reset card's hook) is in the private build and nowhere
/// in the public one, whatever the file.
#[test]
fn bundled_guide_publishes_none_of_its_sensitive_examples() {
    let site = bundled_guide();
    lockgen_in(site.path(), &["build"]).assert_ok();
    lockgen_in(site.path(), &["build", "--private"]).assert_ok();
    for needle in [
        "server-room-b2-master",
        "Server room B2",
        "finance-safe-114",
        "Finance A ›",
        "facilities strongbox",
        "hook R-4",
        "Kestrelby bridge, comms cupboard",
    ] {
        let public = files_containing(&site.path().join("public"), needle);
        assert!(
            public.is_empty(),
            "{needle:?} is in the public build: {public:?}"
        );
        let private = files_containing(&site.path().join("private"), needle);
        assert!(
            !private.is_empty(),
            "{needle:?} is not in the private build either"
        );
    }
}

/// The recommended practice: codes live in the vault, and an entry names the
/// vault item. The codes the examples once printed are gone from every file.
#[test]
fn bundled_guide_examples_hold_no_codes() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for code in ["739105", "284716", "7391 0426", "4482-19"] {
        let found = files_containing(&repo.join("content"), code);
        assert!(found.is_empty(), "the code {code} is in {found:?}");
    }
}
