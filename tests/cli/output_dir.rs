//! The output folder: atomic replacement, determinism, and what lockgen may replace.

use std::fs;

use crate::{listing, lockgen_in, site, snapshot};

#[test]
fn failed_build_leaves_previous_output_byte_for_byte() {
    let site = site("failed-build-keeps-output");
    site.build().assert_ok();
    let before = site.snapshot("public");
    assert!(before.contains_key("notes.txt") && before.contains_key("guide/intro/index.html"));
    let root_before = listing(&site.root);

    site.write(
        "content/guide/intro.md",
        "---\ntitle: Introduction\nwieght: 1\n---\nChanged.\n",
    );
    site.write("static/notes.txt", "Changed notes.\n");
    site.build()
        .assert_code(1)
        .assert_errors(&[("content/guide/intro.md:3:1", &["'wieght'"])]);

    assert!(site.snapshot("public") == before, "public/ changed");
    assert_eq!(listing(&site.root), root_before, "leftovers in the root");
}

#[test]
fn two_builds_write_identical_bytes() {
    let site = site("deterministic");
    // Enough entries of one model for every paged list and for labels by
    // location and by title (rooms repeat), whose counts live in hash maps.
    for i in 0..210 {
        site.write(
            &format!("content/locks/acme/n{i:03}.md"),
            &format!(
                "---\ntitle: Acme N{i:03}\nbrand: Acme\nmodel: NV\nlocation: Room {}\n---\nx\n",
                i % 150
            ),
        );
    }
    for (out, flag) in [("public", None), ("private", Some("--private"))] {
        let args: Vec<&str> = flag.into_iter().collect();
        site.run("build", &args).assert_ok();
        let first = site.snapshot(out);
        assert!(first.len() > 20, "{out}: {:?}", first.keys());
        for page in [
            "contents/index.html",
            "contents/page/2/index.html",
            "brands/acme/page/2/index.html",
            "sitemap.xml",
        ] {
            assert!(first.contains_key(page), "{out}: no {page}");
        }
        fs::rename(site.path(out), site.tmp().join("first")).unwrap();
        site.run("build", &args).assert_ok();
        let second = site.snapshot(out);
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            second.keys().collect::<Vec<_>>()
        );
        for (path, bytes) in &first {
            assert!(
                second[path] == *bytes,
                "{out}/{path} differs between builds"
            );
        }
        fs::remove_dir_all(site.tmp().join("first")).unwrap();
    }
}

#[test]
fn refuses_to_replace_a_folder_lockgen_did_not_make() {
    let site = site("output-dir-safety");
    site.write("public/index.html", "hand-written page\n");
    let run = site.build();
    run.assert_code(1);
    assert!(run.stderr.contains(".lockgen-output"), "{}", run.stderr);
    assert_eq!(listing(&site.path("public")), ["index.html"]);
    assert_eq!(site.read("public/index.html"), "hand-written page\n");
}

#[test]
fn replaces_its_own_output_and_drops_removed_pages() {
    let site = site("output-dir-safety");
    site.write("content/guide/extra.md", "---\ntitle: Extra\n---\nx\n");
    site.build().assert_ok();
    assert!(site.exists("public/.lockgen-output"));
    assert!(site.exists("public/guide/extra/index.html"));

    fs::remove_file(site.path("content/guide/extra.md")).unwrap();
    site.build().assert_ok();
    assert!(site.exists("public/guide/intro/index.html"));
    assert!(!site.exists("public/guide/extra"));
}

#[test]
fn an_empty_existing_output_folder_is_used() {
    let site = site("output-dir-safety");
    fs::create_dir(site.path("public")).unwrap();
    site.build().assert_ok();
    assert!(site.exists("public/guide/intro/index.html"));
}

#[test]
fn relative_output_is_relative_to_the_root() {
    let site = site("output-dir-safety");
    // Run from the folder above the site, with a relative --root too.
    lockgen_in(
        site.tmp(),
        &["build", "--root", "site", "--output", "built"],
    )
    .assert_ok();
    assert!(site.exists("built/guide/intro/index.html"));
    assert!(!site.tmp().join("built").exists());
    assert!(!site.exists("public"));
}

#[test]
fn refuses_to_write_output_into_the_site_root() {
    let site = site("output-dir-safety");
    let before = snapshot(&site.root);
    site.run("build", &["--output", "."]).assert_code(1);
    assert!(snapshot(&site.root) == before, "the site root changed");
}
