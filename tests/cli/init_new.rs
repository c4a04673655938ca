//! `lockgen init` and `lockgen new` (issue #14): a site that builds right
//! away, and entries that build, never written over an existing file.

use std::fs;

use crate::{files_containing, generated, lockgen_in, snapshot};

#[test]
fn init_makes_a_site_that_builds_and_checks_and_keeps_its_sensitive_example_out() {
    let tmp = tempfile::tempdir().unwrap();
    let init = lockgen_in(tmp.path(), &["init", "mysite"]);
    init.assert_ok();
    let root = tmp.path().join("mysite");
    let gitignore = fs::read_to_string(root.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == "/public/"), "{gitignore}");
    assert!(gitignore.lines().any(|l| l == "/private/"), "{gitignore}");
    let toml = fs::read_to_string(root.join("site.toml")).unwrap();
    for key in [
        "stale_after_days = 365",
        "private_output_dir = \"private\"",
        "unsafe_html = false",
    ] {
        assert!(toml.contains(key), "{key} not in site.toml:\n{toml}");
    }
    let site = root.to_str().unwrap();
    lockgen_in(tmp.path(), &["build", "--root", site]).assert_ok();
    let check = lockgen_in(tmp.path(), &["check", "--root", site]);
    check.assert_ok();
    assert!(check.diagnostics().is_empty(), "{}", check.stderr);
    let public = root.join("public");
    assert!(public.join("locks/example/front-door/index.html").is_file());
    for secret in [
        "Server room safe",
        "server-room-safe",
        "manager code",
        "master code",
    ] {
        assert_eq!(
            files_containing(&public, secret),
            Vec::<String>::new(),
            "{secret}"
        );
    }
    lockgen_in(tmp.path(), &["build", "--root", site, "--private"]).assert_ok();
    let private =
        fs::read_to_string(root.join("private/locks/example/server-room-safe/index.html")).unwrap();
    assert!(private.contains("Server room safe"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_never_overwrites() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let run = lockgen_in(tmp.path(), &["init"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("not empty") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(tmp.path()).len(), 1, "init wrote files");
    lockgen_in(tmp.path(), &["init", "--force"]).assert_ok();
    fs::write(tmp.path().join("site.toml"), "edited").unwrap();
    let before = snapshot(tmp.path());
    let again = lockgen_in(tmp.path(), &["init", "--force"]);
    again.assert_code(1);
    assert!(
        again.stderr.contains("already there: site.toml"),
        "{}",
        again.stderr
    );
    assert!(
        snapshot(tmp.path()) == before,
        "a refused init changed files"
    );
}

#[test]
fn a_command_without_site_toml_suggests_init() {
    let tmp = tempfile::tempdir().unwrap();
    for cmd in ["build", "check"] {
        let run = lockgen_in(tmp.path(), &[cmd]);
        run.assert_code(1);
        assert!(run.stderr.contains("lockgen init"), "{cmd}: {}", run.stderr);
    }
}

const SITE: &str = "title = \"H\"\nbase_url = \"https://h.example.org/\"\n";

#[test]
fn new_writes_every_key_prints_the_path_and_the_entry_builds() {
    let site = generated(
        SITE,
        [("content/_index.md".to_string(), "---\n---\n".to_string())],
    );
    let run = site.run(
        "new",
        &[
            "Acme D-100",
            "--location",
            "Building B / Floor 2: bins",
            "--type",
            "keypad",
        ],
    );
    run.assert_ok();
    let printed = run.stdout.trim();
    assert!(
        printed.ends_with("content/locks/acme/d-100.md"),
        "{printed}"
    );
    let text = site.read("content/locks/acme/d-100.md");
    for key in [
        "title: \"Acme D-100\"",
        "brand: \"Acme\"",
        "model: \"D-100\"",
        "location: \"Building B / Floor 2: bins\"",
        "lock_type: \"keypad\"",
        "contacts: []",
        "serial:",
        "manual:",
        "sensitive: false",
        "  - date: 2026-11-18",
    ] {
        assert!(text.contains(key), "{key} missing:\n{text}");
    }
    let bundle = site.run(
        "new",
        &[
            "Acme Locks K9",
            "--brand",
            "Acme Locks",
            "--bundle",
            "--sensitive",
        ],
    );
    bundle.assert_ok();
    assert!(site.exists("content/locks/acme-locks/k9/index.md"));
    site.build().assert_ok();
    assert!(
        site.main_of("public/locks/acme/d-100/index.html")
            .contains("Floor 2: bins")
    );
    assert!(!site.exists("public/locks/acme-locks/k9/index.html"));
    assert_eq!(
        files_containing(&site.path("public"), "K9"),
        Vec::<String>::new()
    );
}

#[test]
fn new_never_overwrites_either_form_of_an_entry() {
    let site = generated(SITE, []);
    site.run("new", &["Acme D-100", "--bundle"]).assert_ok();
    let before = site.read("content/locks/acme/d-100/index.md");
    let run = site.run("new", &["Acme D-100"]);
    run.assert_code(1);
    assert!(run.stderr.contains("already exists"), "{}", run.stderr);
    assert!(!site.exists("content/locks/acme/d-100.md"));
    assert_eq!(site.read("content/locks/acme/d-100/index.md"), before);
    site.run("new", &["Acme"]).assert_code(2);
}
