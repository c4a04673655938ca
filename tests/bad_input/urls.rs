//! URLs from hostile slugs and file names: nothing is written outside the
//! output folder, reserved URLs are refused, and two outputs at one path are
//! an error naming both sources.

use crate::{Site, site, tree};

/// Every path above and beside the output folders (`public/`, `private/`)
/// stays as it was during `run`.
#[track_caller]
fn nothing_written_outside_outputs(site: &Site, run: impl FnOnce() -> crate::Run) -> crate::Run {
    let outside = |site: &Site| -> Vec<String> {
        tree(site.tmp())
            .into_iter()
            .filter(|p| !p.starts_with("/site/public") && !p.starts_with("/site/private"))
            .collect()
    };
    let before = outside(site);
    let result = run();
    let after = outside(site);
    assert!(
        before == after,
        "`lockgen {}` wrote outside public/:\nbefore: {before:?}\nafter: {after:?}",
        result.args
    );
    result
}

/// One error (at a `path:line:col`) whose line names every one of `texts`.
#[track_caller]
fn one_error_naming(run: &crate::Run, texts: &[&str]) {
    let errors = run.errors();
    assert_eq!(
        errors.len(),
        1,
        "expected one error\n--- stderr:\n{}",
        run.stderr
    );
    for t in texts {
        assert!(
            errors[0].contains(t),
            "the error does not name {t}\n--- stderr:\n{}",
            run.stderr
        );
    }
}

#[test]
fn slug_with_slashes_stays_one_folder() {
    let site = site("base");
    site.write(
        "content/guide/bad.md",
        "---\ntitle: Slashed\nslug: a/b/c\n---\nBody.\n",
    );
    nothing_written_outside_outputs(&site, || site.build()).assert_ok();
    assert!(site.exists("public/guide/a-b-c/index.html"));
    assert!(!site.exists("public/guide/a"));
}

#[test]
fn slug_with_dot_dot_never_leaves_the_output_folder() {
    let site = site("base");
    site.write(
        "content/guide/bad.md",
        "---\ntitle: Climber\nslug: ../../../../escaped\n---\nBody.\n",
    );
    let run = nothing_written_outside_outputs(&site, || site.build());
    run.assert_ok_or_clean_error();
    if run.code() == Some(0) {
        assert!(site.exists("public/guide/escaped/index.html"));
    }
    let run = nothing_written_outside_outputs(&site, || site.build_private());
    run.assert_ok_or_clean_error();
    assert!(!site.tmp().join("escaped").exists() && !site.exists("escaped"));
}

#[test]
fn slug_of_only_dots_is_an_error() {
    let run = site("base").assert_breaks(|s| {
        s.write(
            "content/guide/bad.md",
            "---\ntitle: Dots\nslug: ..\n---\nBody.\n",
        )
    });
    run.assert_errors(&[("content/guide/bad.md:3:1", &["slug"])]);
}

#[test]
fn absolute_slug_stays_inside_the_output_folder() {
    let site = site("base");
    site.write(
        "content/guide/bad.md",
        "---\ntitle: Rooted\nslug: /etc/passwd\n---\nBody.\n",
    );
    nothing_written_outside_outputs(&site, || site.build()).assert_ok_or_clean_error();
}

#[test]
fn slug_brands_at_the_top_is_reserved() {
    let run = site("base").assert_breaks(|s| {
        s.write(
            "content/about.md",
            "---\ntitle: About\nslug: brands\n---\nBody.\n",
        )
    });
    run.assert_errors(&[("content/about.md:1:1", &["reserved"])]);
}

#[test]
fn page_named_brands_is_reserved() {
    let run = site("base")
        .assert_breaks(|s| s.write("content/brands.md", "---\ntitle: Brands page\n---\nBody.\n"));
    run.assert_errors(&[("content/brands.md:1:1", &["reserved"])]);
}

#[test]
fn page_inside_a_brands_folder_is_reserved() {
    let run = site("base").assert_breaks(|s| {
        s.write(
            "content/brands/acme.md",
            "---\ntitle: Shadow brand page\n---\nBody.\n",
        )
    });
    run.assert_errors(&[("content/brands/acme.md:1:1", &["reserved"])]);
}

#[test]
fn page_named_contents_is_reserved() {
    let run = site("base").assert_breaks(|s| {
        s.write(
            "content/contents.md",
            "---\ntitle: Our contents\n---\nBody.\n",
        )
    });
    run.assert_errors(&[(
        "content/contents.md:1:1",
        &["URL /contents/ is reserved for the table of contents"],
    )]);
}

#[test]
fn a_page_that_slugs_into_contents_is_reserved() {
    let run = site("base").assert_breaks(|s| {
        s.write(
            "content/Contents/page.md",
            "---\ntitle: Page two\nslug: 2\n---\nBody.\n",
        );
        s.write(
            "content/about.md",
            "---\ntitle: About\nslug: contents\n---\nBody.\n",
        );
    });
    run.assert_errors(&[
        (
            "content/Contents/page.md:1:1",
            &["/contents/2/", "reserved"],
        ),
        ("content/about.md:1:1", &["/contents/", "reserved"]),
    ]);
}

#[test]
fn page_and_bundle_with_one_url_are_an_error_naming_both() {
    let run = site("base").assert_breaks(|s| {
        s.write(
            "content/guide/intro/index.md",
            "---\ntitle: Intro bundle\n---\nBody.\n",
        )
    });
    one_error_naming(
        &run,
        &[
            "content/guide/intro.md",
            "content/guide/intro/index.md",
            "/guide/intro/",
        ],
    );
}

#[test]
fn slug_taking_another_pages_url_is_an_error_naming_both() {
    let run = site("base").assert_breaks(|s| {
        s.write(
            "content/locks/acme/copy.md",
            "---\ntitle: Copy\nbrand: Acme\nmodel: C\nslug: d100\n---\nBody.\n",
        )
    });
    one_error_naming(
        &run,
        &[
            "content/locks/acme/copy.md",
            "content/locks/acme/d100.md",
            "/locks/acme/d100/",
        ],
    );
}

#[test]
fn names_differing_in_case_only_are_an_error_naming_both() {
    let run = site("base").assert_breaks(|s| {
        s.write(
            "content/guide/Intro.md",
            "---\ntitle: Shouting\n---\nBody.\n",
        )
    });
    one_error_naming(&run, &["content/guide/Intro.md", "content/guide/intro.md"]);
}

/// A bundle's file named `index.html` would be copied over the bundle's own page.
#[test]
fn bundle_asset_named_index_html_is_an_error_not_a_replaced_page() {
    let site = site("base");
    site.good_build();
    site.write(
        "content/locks/acme/k5/index.html",
        "<p>ASSETREPLACESPAGE</p>\n",
    );
    let before = site.mark();
    let run = site.build();
    assert!(
        run.code() == Some(1)
            || !site
                .read("public/locks/acme/k5/index.html")
                .contains("ASSETREPLACESPAGE"),
        "the asset silently replaced the K5 page\n--- stderr:\n{}",
        run.stderr
    );
    run.assert_code(1)
        .assert_mentions("content/locks/acme/k5/index.html");
    site.assert_unchanged(&before);
}

/// A bundle asset and a page that write the same output file.
#[test]
fn bundle_asset_and_page_with_one_output_path_are_an_error() {
    let site = site("base");
    site.good_build();
    site.write("content/locks/acme/k5/manual/index.html", "<p>ASSET</p>\n");
    site.write(
        "content/locks/acme/k5/manual.md",
        "---\ntitle: K5 manual\nbrand: Acme\nmodel: K5M\n---\nPAGE\n",
    );
    let before = site.mark();
    let run = site.build();
    run.assert_code(1)
        .assert_mentions("content/locks/acme/k5/manual");
    site.assert_unchanged(&before);
}

/// A file in `static/` at a page's output path silently replaces the page.
#[test]
fn static_file_at_a_page_path_is_an_error_not_a_replaced_page() {
    let site = site("base");
    site.good_build();
    site.write(
        "static/guide/intro/index.html",
        "<p>STATICREPLACESPAGE</p>\n",
    );
    let before = site.mark();
    let run = site.build();
    assert!(
        run.code() == Some(1)
            || !site
                .read("public/guide/intro/index.html")
                .contains("STATICREPLACESPAGE"),
        "static/guide/intro/index.html silently replaced the Introduction page\n--- stderr:\n{}",
        run.stderr
    );
    run.assert_code(1)
        .assert_mentions("static/guide/intro/index.html");
    site.assert_unchanged(&before);
}
