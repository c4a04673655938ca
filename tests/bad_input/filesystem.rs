//! The file system misbehaving: symlink loops, symlinks out of the site,
//! unreadable files, special files, odd names.

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::Path;
use std::time::Duration;

use crate::{assert_readable_io_error, files_containing, permissions_are_bypassed, site, snapshot};

const OUTSIDE_MARKER: &str = "OUTSIDEMARKER7731";

/// A folder beside the site (not under its root) holding a page, an asset
/// and a static file that carry a marker.
fn outside(site: &crate::Site) -> std::path::PathBuf {
    let dir = site.tmp().join("outside");
    fs::create_dir_all(&dir).unwrap();
    fs::write(
        dir.join("page.md"),
        format!("---\ntitle: Outside page\n---\n{OUTSIDE_MARKER} from outside the root.\n"),
    )
    .unwrap();
    fs::write(
        dir.join("photo.svg"),
        format!("<svg><title>{OUTSIDE_MARKER}</title></svg>\n"),
    )
    .unwrap();
    fs::write(dir.join("notes.txt"), format!("{OUTSIDE_MARKER}\n")).unwrap();
    dir
}

/// Exit 0, or 1 naming `link`; never a hang, a signal or a panic.
#[track_caller]
fn clean_with_link(run: &crate::Run, link: &str) {
    run.assert_ok_or_clean_error();
    if run.code() == Some(1) {
        run.assert_mentions(link);
    }
}

#[track_caller]
fn no_marker_in_outputs(site: &crate::Site) {
    for out in ["public", "private"] {
        let hits = files_containing(&site.path(out), OUTSIDE_MARKER);
        assert!(
            hits.is_empty(),
            "content from outside the root reached {out}/: {hits:?}"
        );
    }
}

#[test]
fn symlink_loop_in_content_does_not_hang() {
    let site = site("base");
    symlink(".", site.path("content/guide/self")).unwrap();
    symlink("loop-b", site.path("content/guide/loop-a")).unwrap();
    symlink("loop-a", site.path("content/guide/loop-b")).unwrap();
    symlink("../..", site.path("content/locks/acme/up")).unwrap();
    for run in [
        site.run_timeout("build", &[], Duration::from_secs(60)),
        site.run_timeout("build", &["--private"], Duration::from_secs(60)),
        site.run_timeout("check", &[], Duration::from_secs(60)),
    ] {
        run.assert_ok_or_clean_error();
    }
}

#[test]
fn symlinked_page_outside_the_root_is_not_read() {
    let site = site("base");
    let dir = outside(&site);
    symlink(dir.join("page.md"), site.path("content/guide/outside.md")).unwrap();
    clean_with_link(&site.build(), "content/guide/outside.md");
    clean_with_link(&site.build_private(), "content/guide/outside.md");
    no_marker_in_outputs(&site);
}

#[test]
fn symlinked_folder_outside_the_root_is_not_read() {
    let site = site("base");
    let dir = outside(&site);
    symlink(&dir, site.path("content/guide/elsewhere")).unwrap();
    clean_with_link(&site.build(), "content/guide/elsewhere");
    clean_with_link(&site.build_private(), "content/guide/elsewhere");
    no_marker_in_outputs(&site);
}

#[test]
fn symlinked_bundle_asset_outside_the_root_is_not_copied() {
    let site = site("base");
    let dir = outside(&site);
    fs::remove_file(site.path("content/locks/acme/k5/photo.svg")).unwrap();
    symlink(
        dir.join("photo.svg"),
        site.path("content/locks/acme/k5/photo.svg"),
    )
    .unwrap();
    clean_with_link(&site.build(), "content/locks/acme/k5/");
    clean_with_link(&site.build_private(), "content/locks/acme/k5/");
    no_marker_in_outputs(&site);
}

#[test]
fn symlinked_static_file_outside_the_root_is_not_copied() {
    let site = site("base");
    let dir = outside(&site);
    fs::create_dir_all(site.path("static")).unwrap();
    symlink(dir.join("notes.txt"), site.path("static/notes.txt")).unwrap();
    clean_with_link(&site.build(), "static/notes.txt");
    no_marker_in_outputs(&site);
}

#[test]
fn symlink_to_an_endless_device_is_not_read() {
    let site = site("base");
    symlink("/dev/zero", site.path("content/guide/zero.md")).unwrap();
    symlink("/dev/urandom", site.path("content/locks/acme/k5/noise.svg")).unwrap();
    let run = site.run_timeout("build", &[], Duration::from_secs(60));
    run.assert_ok_or_clean_error();
}

#[test]
fn named_pipe_in_content_does_not_hang() {
    let site = site("base");
    let made = std::process::Command::new("mkfifo")
        .arg(site.path("content/guide/pipe.md"))
        .arg(site.path("content/locks/acme/k5/pipe.svg"))
        .status();
    if !made.is_ok_and(|s| s.success()) {
        eprintln!("note: mkfifo is not available; skipping the named pipe test");
        return;
    }
    let run = site.run_timeout("build", &[], Duration::from_secs(60));
    run.assert_ok_or_clean_error();
}

fn chmod(path: &Path, mode: u32) {
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

// Root reads anything: as root, these tests run lockgen as `nobody`
// (see `Site::permission_user`).

#[test]
fn unreadable_page_is_an_error_naming_it() {
    let site = site("base");
    site.good_build();
    let page = site.path("content/guide/locked.md");
    fs::write(&page, "---\ntitle: Locked\n---\nBody.\n").unwrap();
    chmod(&page, 0o000);
    let Some(user) = site.permission_user("unreadable page", || permissions_are_bypassed(&page))
    else {
        return chmod(&page, 0o644);
    };
    let before = site.mark();
    let run = site.run_as(user, "build", &[]);
    let check = site.run_as(user, "check", &[]);
    chmod(&page, 0o644);
    run.assert_code(1)
        .assert_mentions("content/guide/locked.md")
        .assert_mentions("Permission denied");
    check
        .assert_code(1)
        .assert_mentions("content/guide/locked.md");
    site.assert_unchanged(&before);
}

#[test]
fn unreadable_folder_is_an_error_naming_it() {
    let site = site("base");
    site.good_build();
    let dir = site.path("content/guide/locked");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("page.md"), "---\ntitle: Locked\n---\nBody.\n").unwrap();
    let before = site.mark();
    chmod(&dir, 0o000);
    let Some(user) = site.permission_user("unreadable folder", || fs::read_dir(&dir).is_ok())
    else {
        return chmod(&dir, 0o755);
    };
    let run = site.run_as(user, "build", &[]);
    let check = site.run_as(user, "check", &[]);
    chmod(&dir, 0o755);
    run.assert_code(1)
        .assert_mentions("content/guide/locked")
        .assert_mentions("Permission denied");
    check.assert_code(1).assert_mentions("content/guide/locked");
    site.assert_unchanged(&before);
}

#[test]
fn unreadable_bundle_asset_is_an_error_naming_it() {
    let site = site("base");
    site.good_build();
    let asset = site.path("content/locks/acme/k5/photo.svg");
    chmod(&asset, 0o000);
    let Some(user) = site.permission_user("unreadable asset", || permissions_are_bypassed(&asset))
    else {
        return chmod(&asset, 0o644);
    };
    let before = site.mark();
    let run = site.run_as(user, "build", &[]);
    chmod(&asset, 0o644);
    run.assert_code(1);
    assert_readable_io_error(&run, "content/locks/acme/k5/photo.svg");
    run.assert_mentions("Permission denied");
    site.assert_unchanged(&before);
}

#[test]
fn folder_named_like_a_markdown_file_is_not_a_page() {
    let site = site("base");
    fs::create_dir_all(site.path("content/guide/folder.md")).unwrap();
    site.build().assert_ok();
    assert!(!site.exists("public/guide/folder"));
}

#[test]
fn file_name_that_is_not_utf8_builds_or_fails_cleanly() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let site = site("base");
    let name = OsStr::from_bytes(b"caf\xe9.md");
    fs::write(
        site.path("content/guide").join(name),
        "---\ntitle: Latin-1 name\n---\nBody.\n",
    )
    .unwrap();
    let run = site.build();
    run.assert_ok_or_clean_error();
    if run.code() == Some(0) {
        // The page is somewhere under guide/, with a UTF-8 name.
        let files = snapshot(&site.path("public"));
        assert!(
            files.iter().any(|(f, b)| f.starts_with("guide/")
                && String::from_utf8_lossy(b).contains("<h1>Latin-1 name</h1>")),
            "{:?}",
            files.keys()
        );
    } else {
        run.assert_mentions("content/guide/caf");
    }
}
