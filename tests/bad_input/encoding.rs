//! Bytes that are not clean UTF-8 text: invalid UTF-8, UTF-16, NUL bytes,
//! old Mac line ends (read as line ends).

use crate::site;

const GUIDE: &str = "content/guide/bad.md";

#[test]
fn invalid_utf8_in_the_body_is_an_error_at_its_line() {
    let run = site("base").assert_breaks(|s| {
        s.write(
            GUIDE,
            b"---\ntitle: Latin-1\n---\nFirst line.\nCaf\xe9 au lait.\n",
        )
    });
    run.assert_errors(&[("content/guide/bad.md:5:1", &["UTF-8"])]);
}

#[test]
fn invalid_utf8_in_the_front_matter_is_an_error_at_its_line() {
    let run = site("base").assert_breaks(|s| s.write(GUIDE, b"---\ntitle: Caf\xe9\n---\nBody.\n"));
    run.assert_errors(&[("content/guide/bad.md:2:1", &["UTF-8"])]);
}

#[test]
fn utf16_file_is_an_error() {
    let mut bytes = vec![0xff, 0xfe];
    for unit in "---\ntitle: Wide\n---\nBody.\n".encode_utf16() {
        bytes.extend_from_slice(&unit.to_le_bytes());
    }
    let run = site("base").assert_breaks(|s| s.write(GUIDE, &bytes));
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
    assert!(
        run.errors()[0].starts_with("content/guide/bad.md:1:"),
        "{}",
        run.stderr
    );
}

/// A NUL in Markdown text is legal input (CommonMark replaces it with
/// U+FFFD); it must build, and no raw NUL may reach the output.
#[test]
fn nul_in_the_body_builds_without_raw_nul_in_the_output() {
    let site = site("base");
    site.write(
        GUIDE,
        b"---\ntitle: Nul body\n---\nBefore\0after.\n\n`co\0de`\n\n```\nfenced\0code\n```\n\n[li\0nk](https://example.org/a\0b)\n",
    );
    for run in [site.build(), site.build_private()] {
        run.assert_ok();
    }
    for out in ["public", "private"] {
        for (file, bytes) in site.snapshot(out) {
            assert!(!bytes.contains(&0), "{out}/{file} contains a NUL byte");
        }
    }
    let page = site.read("public/guide/bad/index.html");
    assert!(page.contains("Before\u{fffd}after."), "{page}");
}

#[test]
fn nul_in_the_front_matter_is_an_error_at_its_position() {
    let run = site("base").assert_breaks(|s| s.write(GUIDE, b"---\ntitle: a\0b\n---\nBody.\n"));
    run.assert_errors(&[("content/guide/bad.md:2:9", &["'title'"])]);
}

#[test]
fn nul_in_a_sensitive_title_does_not_defeat_the_sensitive_filter() {
    // The title is not valid YAML text, so the page is an error: nothing is published.
    let site = site("base");
    site.assert_breaks(|s| {
        s.write(
            "content/locks/acme/vault.md",
            b"---\ntitle: Vault\0 code\nbrand: Acme\nmodel: V1\nsensitive: true\n---\nThe vault code is 8841.\n",
        )
    });
    assert!(crate::files_containing(&site.path("public"), "8841").is_empty());
}

#[test]
fn old_mac_line_ends_are_line_ends() {
    // CR-only line ends end lines, for the front matter, the private-block
    // scanner and Markdown alike: one reading of the file for every stage.
    let s = site("base");
    s.write(
        GUIDE,
        b"---\rtitle: Classic\r---\rBody.\r\r::: private\rClassic secret line\r:::\r",
    );
    s.build().assert_ok();
    let page = s.read("public/guide/bad/index.html");
    assert!(page.contains("Body."), "{page}");
    assert!(!page.contains("Classic secret"), "{page}");
    s.build_private().assert_ok();
    assert!(
        s.read("private/guide/bad/index.html")
            .contains("Classic secret line")
    );
}
