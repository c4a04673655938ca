//! Class 6: files copied as they are. A stale copy of a page left in its
//! bundle (`index.md.orig`) was published with the private block the page
//! lost; a static file the audit did not read (`_redirects`, `.htaccess`,
//! `CNAME`, `.yml`, no extension, binary) published a sensitive URL.
//! Leftovers are now not copied at all; a non-Markdown bundle file that
//! starts with front matter is an error; every copied file is audited.

use super::{assert_clean_public, assert_private_shows, base, traces};
use crate::Site;

const BUNDLE: &str = "content/locks/acme/d100";

/// A stale copy of the d100 page, with a private line the page no longer has.
const STALE_COPY: &str = "---\ntitle: Acme D100 deadbolt\nbrand: Acme\nmodel: D100\n---\nOld procedure.\n\n::: private\nThe old code LEFTOVER-6 is 1234.\n:::\n";

const LEFTOVERS: &[&str] = &[
    "index.md.orig",
    "index.md.bak",
    "index.md.BAK",
    "index.md~",
    ".index.md.swp",
    "index.md.swp",
    "index.md.tmp",
    "index.md.save",
    "index.md.old",
    "index.md.rej",
    "index.md___jb_old___",
    "index (copy).md",
    "index.md (copy)",
    "index - Copy.md",
    "#index.md#",
    ".#index.md",
    "photo.svg~",
    "photo (copy).svg",
];

#[test]
fn leftovers_in_a_bundle_are_not_copied_anywhere() {
    for name in LEFTOVERS {
        let site = base();
        site.write(&format!("{BUNDLE}/{name}"), STALE_COPY);
        assert_clean_public(name, &site, &["LEFTOVER-6", "old procedure"]);
        let names: Vec<String> = crate::snapshot(&site.path("public")).into_keys().collect();
        assert!(
            !names
                .iter()
                .any(|n| n.contains("index.md") || n.contains("copy")),
            "{name}: {names:?}"
        );
        // The private build does not publish leftovers either, but shows
        // the page's own private block.
        assert_private_shows(
            name,
            &site,
            "locks/acme/d100/index.html",
            &["PRIVLINE-4455"],
        );
        assert_eq!(
            traces(&site, "private", "LEFTOVER-6"),
            Vec::<String>::new(),
            "{name}"
        );
    }
}

#[test]
fn leftovers_in_static_are_not_copied() {
    for name in [
        "notes.txt~",
        "x.yml.bak",
        "_redirects.orig",
        ".htaccess.swp",
        "CNAME.tmp",
    ] {
        let site = base();
        site.write(
            &format!("static/{name}"),
            "/old /locks/acme/vaultx/ 301\nServer room master\n",
        );
        assert_clean_public(name, &site, &[]);
    }
}

/// Bundle files that are not pages but start like one: a page copy under
/// another name, published as it is, would carry its private block.
#[test]
fn bundle_file_starting_with_front_matter_is_an_error_at_its_first_line() {
    for (name, bytes) in [
        ("notes.txt", STALE_COPY.to_string()),
        ("index.md.1", STALE_COPY.to_string()),
        ("index.md.backup", STALE_COPY.to_string()),
        ("index.md.txt", STALE_COPY.to_string()),
        ("README", STALE_COPY.to_string()),
        ("with-bom.txt", format!("\u{feff}{STALE_COPY}")),
        ("crlf.txt", STALE_COPY.replace('\n', "\r\n")),
        ("cr.txt", STALE_COPY.replace('\n', "\r")),
    ] {
        let site = base();
        std::fs::write(site.path(&format!("{BUNDLE}/{name}")), bytes).expect("write");
        let at = format!("{BUNDLE}/{name}:1:1");
        for run in [site.build(), site.build_private()] {
            super::assert_fails_at(name, &site, &run, &[(&at, "starts with front matter")]);
        }
    }
}

/// A page spelt `.MD` or `.markdown` is neither a page nor an asset to copy.
#[test]
fn page_with_another_markdown_extension_is_an_error_naming_it() {
    for name in ["notes.MD", "notes.markdown", "notes.Md"] {
        let site = base();
        site.write(&format!("{BUNDLE}/{name}"), STALE_COPY);
        let run = site.build();
        run.assert_code(1);
        assert!(
            run.stderr
                .contains(&format!("{BUNDLE}/{name}: not read as a page")),
            "{name}: {}",
            run.stderr
        );
        assert!(!site.exists("public"), "{name}");
    }
}

/// (static file, its bytes, what the audit says it found).
fn static_leaks() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    let utf16: Vec<u8> = "Ask for the Server room master."
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let mut binary = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe".to_vec();
    binary.extend_from_slice(b"tEXt\0Comment\0Server room master\0\xff\xd8");
    vec![
        (
            "_redirects",
            b"/old /locks/acme/vaultx 301\n".to_vec(),
            "URL of sensitive page",
        ),
        (
            "_redirects",
            b"/old https://handbook.example.org/locks/acme/vaultx/ 301\n".to_vec(),
            "URL of sensitive page",
        ),
        (
            ".htaccess",
            b"Redirect 301 /old /locks/acme/vaultx/\n".to_vec(),
            "URL of sensitive page",
        ),
        (
            ".htaccess",
            b"RewriteEngine On\nRewriteRule ^old$ locks/acme/vaultx/ [R=301]\n".to_vec(),
            "URL of sensitive page",
        ),
        (
            "links.yml",
            b"- url: locks/acme/msafe\n".to_vec(),
            "URL of sensitive page content/locks/acme/msafe.md",
        ),
        (
            "CNAME",
            b"handbook.example.org\n# Server room master\n".to_vec(),
            "title of sensitive page",
        ),
        (
            "x.yml",
            b"note: The override code is PRIVLINE-4455 for staff.\n".to_vec(),
            "private-block line of content/locks/acme/d100/index.md",
        ),
        (
            "NOTES",
            "See the \u{201c}Server room master\u{201d}.\n".into(),
            "title of sensitive page",
        ),
        ("blob.bin", binary, "title of sensitive page"),
        ("utf16.txt", utf16, "title of sensitive page"),
        (
            "feed.json",
            br#"{"url":"https://handbook.example.org/locks/acme/msafe/"}"#.to_vec(),
            "URL of sensitive page content/locks/acme/msafe.md",
        ),
        (
            "a.html",
            br#"<a href="locks/acme/vaultx/">x</a>"#.to_vec(),
            "link to sensitive page",
        ),
        (
            "base.html",
            br#"<base href="/locks/acme/"><a href="vaultx">x</a>"#.to_vec(),
            "link to sensitive page",
        ),
        (
            "server-room-master.txt",
            b"nothing inside\n".to_vec(),
            "title of sensitive page",
        ),
        (
            "locks/acme/vaultx/extra.txt",
            b"nothing inside\n".to_vec(),
            "output folder of sensitive page",
        ),
        (
            "locks/acme/msafe.html",
            b"nothing inside\n".to_vec(),
            "URL of sensitive page content/locks/acme/msafe.md",
        ),
    ]
}

#[test]
fn static_files_with_withheld_material_are_leaks_whatever_their_name() {
    for (name, bytes, what) in static_leaks() {
        let site = base();
        let path = site.path(&format!("static/{name}"));
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, bytes).expect("write");
        let run = site.build();
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        let errors = run.errors();
        assert!(!errors.is_empty(), "{name}: {}", run.stderr);
        for e in &errors {
            assert!(
                e.starts_with(&format!(
                    "public/{name}:1:1: leak: the output contains the "
                )),
                "{name}: {e}"
            );
        }
        assert!(
            errors.iter().any(|e| e.contains(what)),
            "{name}: no error says {what:?}\n{}",
            run.stderr
        );
        assert!(!site.exists("public"), "{name}");
        // The audit guards public builds: the private build copies the file.
        site.build_private().assert_ok();
        assert!(site.exists(&format!("private/{name}")), "{name}");
    }
}

/// Static files without withheld material are copied byte for byte.
#[test]
fn harmless_static_files_are_copied_as_they_are() {
    let site: Site = base();
    let files: [(&str, &[u8]); 4] = [
        ("_redirects", b"/old /guide/intro/ 301\n"),
        (".htaccess", b"Redirect 301 /old /guide/intro/\n"),
        ("CNAME", b"handbook.example.org\n"),
        ("blob.bin", b"\0\x01\x02\xff"),
    ];
    for (name, bytes) in files {
        std::fs::create_dir_all(site.path("static")).expect("mkdir");
        std::fs::write(site.path(&format!("static/{name}")), bytes).expect("write");
    }
    assert_clean_public("harmless static files", &site, &[]);
    for (name, bytes) in files {
        assert_eq!(
            std::fs::read(site.path(&format!("public/{name}"))).expect("copied"),
            bytes,
            "{name}"
        );
    }
}
