//! Bad command lines are usage errors (exit 2); a bad site.toml or a missing
//! site is a site error (exit 1) naming the file.

use crate::{lockgen_in, site};

#[test]
fn no_command_is_a_usage_error() {
    let site = site("base");
    lockgen_in(site.tmp(), &[]).assert_code(2);
}

#[test]
fn unknown_command_is_a_usage_error() {
    let site = site("base");
    lockgen_in(site.tmp(), &["publish"]).assert_code(2);
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let site = site("base");
    site.run("build", &["--bogus"])
        .assert_code(2)
        .assert_mentions("--bogus");
}

#[test]
fn quiet_and_verbose_together_are_a_usage_error() {
    let site = site("base");
    site.run("build", &["--quiet", "--verbose"]).assert_code(2);
}

#[test]
fn stray_argument_is_a_usage_error() {
    let site = site("base");
    site.run("build", &["extra"]).assert_code(2);
    site.run("check", &["--strict", "extra"]).assert_code(2);
}

#[test]
fn flag_without_its_value_is_a_usage_error() {
    let site = site("base");
    site.run("build", &["--output"]).assert_code(2);
    lockgen_in(site.tmp(), &["build", "--root"]).assert_code(2);
}

#[test]
fn bad_port_is_a_usage_error() {
    let site = site("base");
    site.run("serve", &["--port", "seventy"]).assert_code(2);
    site.run("serve", &["--port", "70000"]).assert_code(2);
    site.run("serve", &["--bind", "not-an-address"])
        .assert_code(2);
}

#[test]
fn missing_root_is_an_error_naming_site_toml() {
    let site = site("base");
    lockgen_in(site.tmp(), &["build", "--root", "no-such-folder"])
        .assert_code(1)
        .assert_mentions("site.toml");
}

#[test]
fn root_that_is_a_file_is_an_error() {
    let site = site("base");
    lockgen_in(site.tmp(), &["build", "--root", "site/site.toml"])
        .assert_code(1)
        .assert_mentions("site.toml");
}

#[test]
fn invalid_site_toml_is_an_error_at_its_line() {
    let run = site("base").assert_breaks(|s| {
        s.write(
            "site.toml",
            "title = \"Bad Input Handbook\"\nbase_url = \"https://handbook.example.org\"\nminify = [\n",
        )
    });
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
    assert!(
        run.errors()[0].starts_with("site.toml:3:"),
        "{}",
        run.stderr
    );
}

#[test]
fn site_toml_that_is_not_utf8_is_an_error_naming_it() {
    let run = site("base").assert_breaks(|s| {
        s.write(
            "site.toml",
            b"title = \"Caf\xe9\"\nbase_url = \"https://handbook.example.org\"\n",
        )
    });
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
    assert!(run.errors()[0].starts_with("site.toml: "), "{}", run.stderr);
}

#[test]
fn site_toml_that_is_a_folder_is_an_error_naming_it() {
    let site = site("base");
    std::fs::remove_file(site.path("site.toml")).unwrap();
    std::fs::create_dir(site.path("site.toml")).unwrap();
    site.build().assert_code(1).assert_mentions("site.toml");
}

#[test]
fn content_that_is_a_file_is_an_error_naming_it() {
    let site = site("base");
    std::fs::remove_dir_all(site.path("content")).unwrap();
    site.write("content", "not a folder\n");
    site.build().assert_code(1).assert_mentions("content");
}

#[test]
fn script_base_url_is_refused() {
    let site = site("base");
    site.run("build", &["--base-url", "javascript:alert(1)//"])
        .assert_ok_or_clean_error();
    assert!(!site.exists("public"), "a javascript: base URL was used");
}

/// `lockgen check 2>&1 | head -1`: when whoever reads stderr has gone, the
/// exit status still says what happened (not 101, Rust's panic status).
#[test]
fn closed_stderr_does_not_change_the_exit_status() {
    use std::process::{Command, Stdio};
    let site = site("base");
    let status = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lockgen"))
            .args(args)
            .arg("--root")
            .arg(&site.root)
            .env("SOURCE_DATE_EPOCH", crate::BUILD_EPOCH)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run lockgen");
        drop(child.stderr.take());
        child.wait().expect("wait for lockgen").code()
    };
    assert_eq!(status(&["build"]), Some(0), "good build");
    assert_eq!(status(&["check"]), Some(0), "good check");
    site.add("content/guide/bad.md", "no-front-matter.md");
    assert_eq!(status(&["build"]), Some(1), "failed build");
    assert_eq!(status(&["check"]), Some(1), "failed check");
}

/// reproducible-builds.org: "If the value is malformed, the build process
/// SHOULD exit with a non-zero error code." Today's date instead would make
/// stale flags (and the footer) depend on when the build ran.
#[test]
fn malformed_source_date_epoch_is_an_error() {
    let site = site("base");
    for value in ["abc", "1.5", "2026-11-18"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_lockgen"))
            .args(["build", "--root"])
            .arg(&site.root)
            .env("SOURCE_DATE_EPOCH", value)
            .output()
            .expect("run lockgen");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "SOURCE_DATE_EPOCH={value:?}: exit {:?}\n--- stderr:\n{stderr}",
            out.status.code()
        );
        assert!(stderr.contains("SOURCE_DATE_EPOCH"), "{stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    assert!(!site.exists("public"));
}
