//! What pages show: order, previous/next, stale flags, revisions, raw HTML.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use crate::{assert_in_order, copy_dir, lockgen_in, lockgen_with_epoch, site, snapshot};

#[test]
fn guide_pages_are_ordered_by_weight_then_title() {
    let site = site("ordering");
    site.build().assert_ok();
    let index = site.main_of("public/index.html");
    assert_in_order(
        &index,
        &[
            ">Zulu setup<",
            ">Alpha advanced<",
            ">Bravo basics<",
            ">Mike misc<",
        ],
    );
}

#[test]
fn entries_are_sorted_by_title_within_their_brand() {
    let site = site("ordering");
    site.build().assert_ok();
    let acme = site.main_of("public/brands/acme/index.html");
    assert_in_order(&acme, &[">Acme Alpha<", ">Acme Bravo<", ">Acme Charlie<"]);
    let index = site.main_of("public/index.html");
    assert_in_order(
        &index,
        &[
            ">Acme Alpha<",
            ">Acme Bravo<",
            ">Acme Charlie<",
            ">Beta One<",
            ">Beta Two<",
        ],
    );
}

#[test]
fn previous_and_next_stay_within_a_brand() {
    let site = site("ordering");
    site.build().assert_ok();
    // Acme Alpha is locks/acme/2.md, Bravo 3.md, Charlie 1.md.
    let alpha = site.main_of("public/locks/acme/2/index.html");
    assert!(!alpha.contains(r#"rel="prev""#), "{alpha}");
    assert!(
        alpha.contains(r#"<a rel="next" href="/locks/acme/3/">"#),
        "{alpha}"
    );
    let charlie = site.main_of("public/locks/acme/1/index.html");
    assert!(
        charlie.contains(r#"<a rel="prev" href="/locks/acme/3/">"#),
        "{charlie}"
    );
    assert!(
        !charlie.contains(r#"rel="next""#),
        "last Acme entry: {charlie}"
    );
    let beta_one = site.main_of("public/locks/beta/1/index.html");
    assert!(
        !beta_one.contains(r#"rel="prev""#),
        "first Beta entry: {beta_one}"
    );
    assert!(
        beta_one.contains(r#"<a rel="next" href="/locks/beta/2/">"#),
        "{beta_one}"
    );
}

const STALE: &str = "Needs re-verification";

#[test]
fn stale_flag_follows_stale_after_days_and_build_date() {
    // stale_after_days = 30; the build date is 2026-11-18.
    let site = site("stale");
    site.build().assert_ok();
    let fresh = site.main_of("public/locks/acme/fresh/index.html");
    assert!(!fresh.contains(STALE), "verified 30 days ago: {fresh}");
    let overdue = site.main_of("public/locks/acme/overdue/index.html");
    assert!(overdue.contains(STALE), "verified 31 days ago: {overdue}");

    // Three days earlier (2026-11-15), the overdue entry is fresh too.
    lockgen_with_epoch(site.tmp(), &["build", "--root", "site"], "1794740000").assert_ok();
    let overdue = site.main_of("public/locks/acme/overdue/index.html");
    assert!(!overdue.contains(STALE), "{overdue}");
}

#[test]
fn entry_without_last_verified_is_stale() {
    let site = site("stale");
    site.build().assert_ok();
    let never = site.main_of("public/locks/acme/never/index.html");
    assert!(never.contains(STALE), "{never}");
}

#[test]
fn revisions_are_shown_newest_first() {
    let site = site("revisions");
    site.build().assert_ok();
    let main = site.main_of("public/locks/acme/d100/index.html");
    assert_in_order(
        &main,
        &[
            r#"datetime="2025-06-01""#,
            "Third revision",
            "Dana",
            r#"datetime="2024-03-01""#,
            "Second revision",
            r#"datetime="2023-01-15""#,
            "First revision",
        ],
    );
}

#[test]
fn raw_html_in_markdown_is_escaped_by_default() {
    let site = site("raw-html-escaped");
    site.build().assert_ok();
    let page = site.read("public/guide/html/index.html");
    let main = crate::main_of(&page);
    assert!(main.contains("&lt;script&gt;"), "{main}");
    assert!(main.contains("&lt;b&gt;bold&lt;/b&gt;"), "{main}");
    // The one script is the theme's search box.
    assert!(!main.contains("<script"), "{main}");
    assert_eq!(page.matches("<script").count(), 1, "{page}");
    assert!(page.contains("search.js\" defer></script>"), "{page}");
    assert!(!main.contains("<b>"), "{main}");
}

#[test]
fn raw_html_in_markdown_passes_through_with_unsafe_html() {
    let site = site("raw-html-unsafe");
    site.build().assert_ok();
    let main = site.main_of("public/guide/html/index.html");
    assert!(main.contains(r#"<script>alert("raw")</script>"#), "{main}");
    assert!(main.contains("Inline <b>bold</b> text."), "{main}");
    assert!(!main.contains("&lt;script"), "{main}");
}

/// The built-in templates are minified once when they load (`minify`, the
/// default): every page of the bundled guide, public and private, must read
/// exactly as the templates as written render it (both compared after one
/// minify-html pass), and the output must be smaller.
#[test]
fn minified_builtin_templates_render_what_they_render_as_written() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let mut trees = Vec::new();
    for minify in [true, false] {
        let root = tmp.path().join(format!("minify-{minify}"));
        copy_dir(&repo.join("content"), &root.join("content"));
        let toml = fs::read_to_string(repo.join("site.toml")).unwrap();
        let toml: String = toml
            .lines()
            .filter(|l| !l.starts_with("minify"))
            .map(|l| format!("{l}\n"))
            .collect();
        fs::write(root.join("site.toml"), format!("{toml}minify = {minify}\n")).unwrap();
        for args in [&["build"][..], &["build", "--private"]] {
            lockgen_in(&root, args).assert_ok();
        }
        let mut pages = BTreeMap::new();
        for dir in ["public", "private"] {
            for (rel, bytes) in snapshot(&root.join(dir)) {
                if rel.ends_with(".html") {
                    pages.insert(format!("{dir}/{rel}"), bytes);
                }
            }
        }
        trees.push(pages);
    }
    let size = |t: &BTreeMap<String, Vec<u8>>| t.values().map(Vec::len).sum::<usize>();
    assert!(
        size(&trees[0]) < size(&trees[1]),
        "minified output is not smaller"
    );
    assert_eq!(
        trees[0].keys().collect::<Vec<_>>(),
        trees[1].keys().collect::<Vec<_>>()
    );
    for ((rel, a), b) in trees[0].iter().zip(trees[1].values()) {
        let (a, b) = (
            lockgen::output::minify(rel, a.clone()),
            lockgen::output::minify(rel, b.clone()),
        );
        assert!(a == b, "{rel} renders differently with minified templates");
    }
}
