//! Output folders lockgen must refuse: the site root, content/, the site's
//! other input folders, folders and files it did not make, unwritable places.
//! A refusal is exit 1 naming the folder, with everything left as it was.

use std::fs;
use std::os::unix::fs::PermissionsExt;

use crate::{Site, site, snapshot, tree};

/// Every file (with its bytes) and folder of the temporary folder holding the site.
fn everything(site: &Site) -> (Vec<String>, std::collections::BTreeMap<String, Vec<u8>>) {
    (tree(site.tmp()), snapshot(site.tmp()))
}

/// `lockgen build <args>` must exit 1 mentioning `named`, changing nothing at all.
#[track_caller]
fn refused(site: &Site, args: &[&str], named: &str) -> crate::Run {
    let before = everything(site);
    let run = site.run("build", args);
    run.assert_code(1).assert_mentions(named);
    assert!(
        everything(site) == before,
        "`lockgen {}` was refused but changed files",
        run.args
    );
    run
}

#[test]
fn output_equal_to_the_root_is_refused() {
    let site = site("base");
    site.good_build();
    refused(&site, &["--output", "."], "");
    let abs = site.root.to_str().unwrap().to_string();
    refused(&site, &["--output", &abs], "");
    refused(&site, &["--output", "../site"], "");
}

#[test]
fn output_holding_the_root_is_refused() {
    let site = site("base");
    refused(&site, &["--output", ".."], "");
}

#[test]
fn output_equal_to_content_is_refused() {
    let site = site("base");
    site.good_build();
    refused(&site, &["--output", "content"], "content");
}

#[test]
fn output_dir_content_in_site_toml_is_refused() {
    let site = site("base");
    site.write(
        "site.toml",
        "title = \"Bad Input Handbook\"\nbase_url = \"https://handbook.example.org\"\nminify = false\noutput_dir = \"content\"\n",
    );
    refused(&site, &[], "content");
}

#[test]
fn output_folder_lockgen_did_not_make_is_refused() {
    let site = site("base");
    site.write("docs/index.html", "hand-written\n");
    refused(&site, &["--output", "docs"], "docs");
    assert_eq!(site.read("docs/index.html"), "hand-written\n");
}

#[test]
fn output_that_is_a_file_is_refused() {
    let site = site("base");
    site.write("notes.txt", "keep me\n");
    refused(&site, &["--output", "notes.txt"], "notes.txt");
    assert_eq!(site.read("notes.txt"), "keep me\n");
}

#[test]
fn output_under_a_file_is_a_clean_error() {
    let site = site("base");
    site.write("notes.txt", "keep me\n");
    refused(&site, &["--output", "notes.txt/public"], "notes.txt");
}

/// A new folder inside content/ would be read back as content by the next build.
#[test]
fn output_inside_content_is_refused() {
    let site = site("base");
    refused(&site, &["--output", "content/built"], "content/built");
}

/// A new static/ or templates/ would be read back as input by the next build
/// (its pages copied over fresh ones, or used as templates).
#[test]
fn output_equal_to_a_missing_input_folder_is_refused() {
    let site = site("base");
    refused(&site, &["--output", "static"], "static");
    refused(&site, &["--output", "templates"], "templates");
    refused(&site, &["--output", "themes/default/static"], "themes");
}

#[test]
fn private_build_into_the_public_output_is_refused() {
    let site = site("base");
    site.good_build();
    refused(&site, &["--private", "--output", "public"], "");
    refused(&site, &["--private", "--output", "public/private"], "");
}

fn chmod(path: &std::path::Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// Whether the current user can create a file in `dir` (chmod 555 does not
/// stop root, who runs lockgen as `nobody` instead: see `Site::permission_user`).
fn writable(dir: &std::path::Path) -> bool {
    let probe = dir.join("probe");
    let wrote = fs::write(&probe, "x").is_ok();
    let _ = fs::remove_file(&probe);
    wrote
}

#[test]
fn read_only_parent_folder_is_a_clean_error() {
    let site = site("base");
    let parent = site.path("ro");
    fs::create_dir_all(&parent).unwrap();
    chmod(&parent, 0o555);
    let Some(user) = site.permission_user("read-only output parent", || writable(&parent)) else {
        return chmod(&parent, 0o755);
    };
    let before = everything(&site);
    let run = site.run_as(user, "build", &["--output", "ro/public"]);
    chmod(&parent, 0o755);
    run.assert_code(1)
        .assert_mentions("site/ro/public")
        .assert_mentions("Permission denied");
    assert!(everything(&site) == before, "a refused build changed files");
}

#[test]
fn read_only_existing_output_is_a_clean_error_keeping_it() {
    let site = site("base");
    site.good_build();
    let before = site.mark();
    chmod(&site.path("public"), 0o555);
    chmod(&site.root, 0o555);
    let Some(user) = site.permission_user("read-only site root", || writable(&site.root)) else {
        chmod(&site.path("public"), 0o755);
        return chmod(&site.root, 0o755);
    };
    let run = site.run_as(user, "build", &[]);
    chmod(&site.root, 0o755);
    chmod(&site.path("public"), 0o755);
    run.assert_code(1)
        .assert_mentions("site/public")
        .assert_mentions("Permission denied");
    site.assert_unchanged(&before);
}
