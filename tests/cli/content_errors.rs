//! Bad front matter and bad site.toml: the right file, line and column, all at once.

use crate::site;

#[test]
fn each_missing_required_key_is_an_error_naming_the_key() {
    let site = site("missing-required-keys");
    site.build().assert_code(1).assert_errors(&[
        ("content/guide/no-front-matter.md:1:1", &["front matter"]),
        ("content/guide/no-title.md:1:1", &["'title'"]),
        (
            "content/guide/unclosed.md:1:1",
            &["front matter", "not closed"],
        ),
        ("content/locks/acme/no-brand.md:1:1", &["'brand'"]),
        ("content/locks/acme/no-model.md:1:1", &["'model'"]),
        ("content/locks/acme/no-title.md:1:1", &["'title'"]),
    ]);
    assert!(!site.exists("public"));
}

#[test]
fn wrong_value_types_are_errors_at_their_line() {
    let site = site("wrong-types");
    site.build().assert_code(1).assert_errors(&[
        // weight: heavy
        ("content/guide/weight-word.md:3:9", &[]),
        // sensitive: yes
        ("content/locks/acme/bare-yes.md:5:12", &[]),
        // last_verified: 2025-02-30
        ("content/locks/acme/impossible-date.md:6:16", &[]),
        // installed: last week
        ("content/locks/acme/installed-words.md:3:12", &[]),
        // sensitive: "yes"
        ("content/locks/acme/quoted-bool.md:6:12", &[]),
        // sensitive: "true"
        (
            "content/locks/acme/quoted-true.md:5:12",
            &["'sensitive': expected a boolean (true or false), found the text \"true\""],
        ),
        // tools: hammer
        ("content/locks/acme/tools-string.md:3:8", &[]),
    ]);
    assert!(!site.exists("public"));
}

#[test]
fn misspelt_sensitive_key_is_rejected_and_nothing_is_published() {
    let site = site("typo-sensitive-key");
    site.build().assert_code(1).assert_errors(&[(
        "content/locks/acme/vault.md:5:1",
        &["'sensitve'", "did you mean 'sensitive'"],
    )]);
    assert!(!site.exists("public"), "a failed build created public/");
    site.build_private().assert_code(1);
    assert!(!site.exists("private"), "a failed build created private/");
}

#[test]
fn unknown_site_toml_key_suggests_the_known_one() {
    let site = site("site-toml-unknown-key");
    site.build()
        .assert_code(1)
        .assert_errors(&[("site.toml:3:1", &["'minfy'", "did you mean 'minify'"])]);
    assert!(!site.exists("public"));
}

#[test]
fn missing_title_and_base_url_in_site_toml_are_both_reported() {
    let site = site("site-toml-missing-keys");
    site.build().assert_code(1).assert_errors(&[
        ("site.toml:1:1", &["'base_url'"]),
        ("site.toml:1:1", &["'title'"]),
    ]);
    assert!(!site.exists("public"));
}

#[test]
fn stale_after_days_beyond_a_century_is_an_error_not_a_panic() {
    // 8,000,000 days was past the date library's limit: `build` and `check` panicked.
    let site = site("stale");
    let toml = site.read("site.toml");
    site.write(
        "site.toml",
        &toml.replace("stale_after_days = 30", "stale_after_days = 8000000"),
    );
    for command in ["build", "check"] {
        site.run(command, &[]).assert_code(1).assert_errors(&[(
            "site.toml:4:20",
            &["stale_after_days = 8000000", "1 to 36500"],
        )]);
    }
    assert!(!site.exists("public"));
}

#[test]
fn all_errors_of_a_build_are_reported_sorted_by_file_and_line() {
    // alpha.md's link errors are found after beta.md's and gamma.md's front
    // matter errors (a later stage), yet are printed first.
    let site = site("all-errors-at-once");
    site.build().assert_code(1).assert_errors(&[
        ("content/guide/alpha.md:6:3", &["missing-one.md"]),
        ("content/guide/alpha.md:8:9", &["missing-two.md"]),
        (
            "content/guide/beta.md:3:1",
            &["'wieght'", "did you mean 'weight'"],
        ),
        ("content/locks/acme/gamma.md:5:12", &[]),
    ]);
    assert!(!site.exists("public"));
}

#[test]
fn crlf_and_bom_files_build_like_lf_files() {
    let site = site("crlf-bom");
    let raw = std::fs::read(site.path("content/guide/windows.md")).unwrap();
    assert!(
        raw.starts_with(b"\xef\xbb\xbf---\r\n"),
        "fixture lost its BOM or CRLF (check tests/.gitattributes)"
    );
    site.build().assert_ok();

    let main = site.main_of("public/guide/windows/index.html");
    assert!(main.contains("<h1>Windows guide</h1>"), "{main}");
    assert!(main.contains(r#"<h2 id="saved-on-windows">"#), "{main}");
    assert!(main.contains(r#"href="/locks/acme/d100/""#), "{main}");
    assert!(!main.contains("CRLF private block text"), "{main}");
    assert!(
        !main.contains('\r') && !main.contains('\u{feff}'),
        "{main:?}"
    );

    let entry = site.main_of("public/locks/acme/d100/index.html");
    assert!(entry.contains("<h1>Acme D100 deadbolt</h1>"), "{entry}");
    assert!(entry.contains("<li>screwdriver</li>"), "{entry}");

    site.build_private().assert_ok();
    let main = site.main_of("private/guide/windows/index.html");
    let block = &main[main.find("private-block").expect("private block")..];
    assert!(block.contains("The CRLF private block text is secret."));
}

#[test]
fn crlf_file_diagnostics_have_the_right_line() {
    let site = site("crlf-broken");
    site.build().assert_code(1).assert_errors(&[
        ("content/guide/windows.md:8:5", &["nope.md"]),
        ("content/locks/acme/d100.md:5:1", &["'sensitve'"]),
    ]);
}

/// A missing key used to hide the syntax error, and a bad date the next one:
/// every problem of a page is reported in one run, each at its own line.
#[test]
fn every_problem_of_one_page_is_reported_at_its_line() {
    let site = site("all-problems-one-page");
    let expected: &[(&str, &[&str])] = &[
        (
            "content/locks/acme/d200.md:1:1",
            &["missing required key 'model'"],
        ),
        ("content/locks/acme/d200.md:2:8", &["'title'"]),
        (
            "content/locks/acme/d200.md:4:12",
            &["'installed'", "'2024-13-01' is not a valid date"],
        ),
        (
            "content/locks/acme/d200.md:5:16",
            &["'last_verified'", "'yesterday' is not a date"],
        ),
        (
            "content/locks/acme/d200.md:6:12",
            &["'sensitive'", "found the text \"true\""],
        ),
        (
            "content/locks/acme/d200.md:8:1",
            &["duplicate key 'lock_type'"],
        ),
        (
            "content/locks/acme/d200.md:9:1",
            &["unknown key 'locaton'", "did you mean 'location'"],
        ),
        (
            "content/locks/acme/d200.md:13:1",
            &["private block is not closed"],
        ),
    ];
    for command in ["build", "check"] {
        site.run(command, &[])
            .assert_code(1)
            .assert_errors(expected);
    }
    assert!(!site.exists("public"));
}

/// SPEC: "All errors of a build are reported, not only the first" — two
/// typos in one front matter are two errors.
#[test]
fn every_unknown_key_of_one_front_matter_is_reported() {
    let site = site("all-errors-one-file");
    site.build().assert_code(1).assert_errors(&[
        ("content/locks/acme/d100.md:5:1", &["'sensitve'"]),
        ("content/locks/acme/d100.md:6:1", &["'instaled'"]),
    ]);
}
