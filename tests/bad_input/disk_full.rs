//! A full disk, simulated with a file size limit (RLIMIT_FSIZE, see
//! `Site::build_with_file_limit`): the write that would make a file larger
//! than the limit fails with EFBIG ("File too large"), as a write fails with
//! ENOSPC on a full disk. lockgen must exit 1 naming the file it could not
//! write, keep the previous output byte for byte, and leave no staging or
//! half-written output folder behind.

use crate::{Site, assert_readable_io_error, site};

/// Larger than any file the base fixture builds (its largest, the theme's
/// stylesheet, is about 15 KiB), smaller than the page of [`add_big_page`].
const LIMIT: u64 = 32 * 1024;

/// A guide page whose HTML is well over [`LIMIT`]; returns its output path.
fn add_big_page(site: &Site) -> &'static str {
    let body: String = (0..2000)
        .map(|i| format!("Step {i}: hold the reset button and wait for the beep.\n\n"))
        .collect();
    site.write(
        "content/guide/big.md",
        format!("---\ntitle: A long procedure\n---\n{body}"),
    );
    "public/guide/big/index.html"
}

/// Every error is the limit, on a file in the output folder.
#[track_caller]
fn only_too_large_errors(run: &crate::Run) {
    let errors = run.errors();
    assert!(!errors.is_empty(), "no errors\n--- stderr:\n{}", run.stderr);
    for e in errors {
        assert!(
            e.contains("/site/public/") && e.contains("File too large"),
            "unexpected error {e:?}\n--- stderr:\n{}",
            run.stderr
        );
    }
}

#[test]
fn disk_full_during_a_rebuild_keeps_the_previous_output() {
    let site = site("base");
    site.good_build();
    let big = add_big_page(&site);
    site.write(
        "content/guide/intro.md",
        "---\ntitle: Introduction, revised\n---\nA new first paragraph.\n",
    );
    let before = site.mark();
    let run = site.build_with_file_limit(LIMIT, &[]);
    run.assert_code(1);
    assert_readable_io_error(&run, big);
    only_too_large_errors(&run);
    site.assert_unchanged(&before);
}

#[test]
fn disk_full_during_a_private_rebuild_keeps_the_previous_output() {
    let site = site("base");
    site.build_private().assert_ok();
    let big = add_big_page(&site);
    let before = site.mark();
    let private_before = site.snapshot("private");
    assert!(!private_before.is_empty());
    let run = site.build_with_file_limit(LIMIT, &["--private"]);
    run.assert_code(1);
    assert_readable_io_error(&run, &big.replace("public/", "private/"));
    assert!(
        site.snapshot("private") == private_before,
        "private/ changed"
    );
    // The private output sits beside public/: nothing else may appear either.
    site.assert_unchanged(&before);
}

#[test]
fn disk_full_on_the_first_build_leaves_no_output() {
    let site = site("base");
    let big = add_big_page(&site);
    let before = site.mark();
    let run = site.build_with_file_limit(LIMIT, &[]);
    run.assert_code(1);
    assert_readable_io_error(&run, big);
    only_too_large_errors(&run);
    assert!(!site.exists("public"), "a half-written public/ was left");
    site.assert_unchanged(&before);
}

/// A limit of 0 fails the very first file (the staging folder's marker).
#[test]
fn disk_full_before_the_first_file_leaves_nothing() {
    let site = site("base");
    let before = site.mark();
    let run = site.build_with_file_limit(0, &[]);
    run.assert_code(1);
    assert_readable_io_error(&run, "site/public/");
    run.assert_mentions("File too large");
    site.assert_unchanged(&before);

    // Output folders the build had to create go too.
    let run = site.build_with_file_limit(0, &["--output", "out/new/public"]);
    run.assert_code(1);
    assert_readable_io_error(&run, "site/out/new/public/");
    assert!(!site.exists("out"), "the build left out/ behind");
    site.assert_unchanged(&before);
}

#[test]
fn disk_full_before_the_first_file_of_a_rebuild_keeps_the_output() {
    let site = site("base");
    site.good_build();
    site.write(
        "content/guide/intro.md",
        "---\ntitle: Introduction, revised\n---\nA new first paragraph.\n",
    );
    let before = site.mark();
    let run = site.build_with_file_limit(0, &[]);
    run.assert_code(1);
    assert_readable_io_error(&run, "site/public/");
    site.assert_unchanged(&before);
}
