//! Links between content files, links to sensitive pages, URL collisions and
//! private blocks.

use crate::site;

#[test]
fn links_between_content_files_become_pretty_urls() {
    let site = site("links");
    site.build().assert_ok();

    let intro = site.main_of("public/guide/intro/index.html");
    assert!(
        intro.contains(r#"<a href="/locks/acme/d100/">D100 entry</a>"#),
        "{intro}"
    );
    assert!(
        intro.contains(r#"<a href="/locks/acme/k9/">keypad bundle</a>"#),
        "{intro}"
    );
    assert!(!intro.contains(".md"), "{intro}");

    let d100 = site.main_of("public/locks/acme/d100/index.html");
    assert!(
        d100.contains(r#"<a href="/guide/intro/">introduction</a>"#),
        "{d100}"
    );
}

#[test]
fn link_fragment_is_kept_on_the_page_url() {
    let site = site("links");
    site.build().assert_ok();
    let intro = site.main_of("public/guide/intro/index.html");
    assert!(
        intro.contains(r#"<a href="/locks/acme/d100/#reset-steps">its reset steps</a>"#),
        "{intro}"
    );
    let d100 = site.main_of("public/locks/acme/d100/index.html");
    assert!(d100.contains(r#"id="reset-steps""#), "{d100}");
}

#[test]
fn bundle_image_resolves_and_is_copied_beside_its_page() {
    let site = site("links");
    site.build().assert_ok();
    let k9 = site.main_of("public/locks/acme/k9/index.html");
    assert!(k9.contains(r#"src="/locks/acme/k9/photo.svg""#), "{k9}");
    assert!(
        k9.contains(r#"<a href="/locks/acme/d100/">D100</a>"#),
        "{k9}"
    );
    assert_eq!(
        std::fs::read(site.path("public/locks/acme/k9/photo.svg")).unwrap(),
        std::fs::read(site.path("content/locks/acme/k9/photo.svg")).unwrap()
    );
}

#[test]
fn link_to_missing_page_is_an_error_at_the_link() {
    let site = site("broken-link");
    site.build()
        .assert_code(1)
        .assert_errors(&[("content/guide/intro.md:6:5", &["nope.md"])]);
    assert!(!site.exists("public"));
}

#[test]
fn public_page_linking_to_sensitive_page_fails_public_build_only() {
    let site = site("link-to-sensitive");
    site.build().assert_code(1).assert_errors(&[(
        "content/guide/intro.md:6:16",
        &["content/locks/acme/vault.md"],
    )]);
    assert!(!site.exists("public"));

    site.build_private().assert_ok();
    let intro = site.main_of("private/guide/intro/index.html");
    assert!(
        intro.contains(r#"<a href="/locks/acme/vault/">that entry</a>"#),
        "{intro}"
    );
}

/// SPEC: a sensitive page leaves no trace in a public build. A public page
/// showing an asset of a sensitive bundle names that bundle's folder.
#[test]
fn public_page_using_sensitive_bundle_asset_fails_public_build() {
    let site = site("link-to-sensitive-asset");
    site.build().assert_code(1).assert_errors(&[(
        "content/locks/acme/front.md:8:1",
        &["content/locks/acme/vault/"],
    )]);
    assert!(!site.exists("public"));

    site.build_private().assert_ok();
    let front = site.main_of("private/locks/acme/front/index.html");
    assert!(
        front.contains(r#"src="/locks/acme/vault/keypad.svg""#),
        "{front}"
    );
}

#[test]
fn public_page_mentioning_sensitive_title_fails_public_build_only() {
    // The same title inside the page's private block (line 9) is not an error.
    let site = site("sensitive-title-mention");
    site.build().assert_code(1).assert_errors(&[(
        "content/guide/intro.md:6:5",
        &["content/locks/acme/vault.md", "Basement Vault Keypad"],
    )]);
    assert!(!site.exists("public"));
    site.build_private().assert_ok();
}

#[test]
fn sensitive_title_shared_with_a_public_page_may_be_mentioned() {
    let site = site("sensitive-title-shared");
    site.build().assert_ok();
    let intro = site.main_of("public/guide/intro/index.html");
    assert!(
        intro.contains("Every site has a Front Door Keypad"),
        "{intro}"
    );
    assert!(site.exists("public/locks/zenith/front-door/index.html"));
    assert!(!site.exists("public/locks/acme"));
    assert!(!site.exists("public/brands/acme"));
}

#[track_caller]
fn assert_one_collision(run: &crate::Run, files: [&str; 2], url: &str) {
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    let e = errors[0];
    assert!(files.iter().any(|f| e.starts_with(&format!("{f}:"))), "{e}");
    assert!(files.iter().all(|f| e.contains(f)), "both files: {e}");
    assert!(e.contains(url), "{e}");
}

#[test]
fn file_and_bundle_with_one_url_are_an_error_naming_both() {
    let site = site("duplicate-url-bundle");
    let run = site.build();
    run.assert_code(1);
    assert_one_collision(
        &run,
        ["content/locks/a/b.md", "content/locks/a/b/index.md"],
        "/locks/a/b/",
    );
    assert!(!site.exists("public"));
}

#[test]
fn slug_collision_is_an_error_naming_both_files() {
    let site = site("duplicate-url-slug");
    let run = site.build();
    run.assert_code(1);
    assert_one_collision(
        &run,
        [
            "content/locks/acme/d100.md",
            "content/locks/acme/old-d100.md",
        ],
        "/locks/acme/d100/",
    );
    assert!(!site.exists("public"));
}

#[test]
fn unclosed_private_block_is_an_error_at_its_opening_line() {
    let site = site("private-block-unclosed");
    for run in [site.build(), site.build_private()] {
        run.assert_code(1)
            .assert_errors(&[("content/guide/intro.md:6:1", &["not closed"])]);
    }
    assert!(!site.exists("public") && !site.exists("private"));
}

#[test]
fn private_block_markers_in_fenced_code_are_text() {
    let site = site("private-block-in-code");
    site.build().assert_ok();
    site.build_private().assert_ok();
    for out in ["public", "private"] {
        let main = site.main_of(&format!("{out}/guide/writing/index.html"));
        assert!(
            main.contains(
                "<code class=\"language-markdown\">::: private\nThe door code goes here.\n:::\n</code>"
            ),
            "{out}: {main}"
        );
        assert!(!main.contains("private-block"), "{out}: {main}");
        assert!(
            main.contains("The example above is shown as code."),
            "{out}: {main}"
        );
    }
}
