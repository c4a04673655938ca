//! Site layout: which files are pages, static files, the base URL.

use crate::site;

#[test]
fn dot_underscore_and_editor_leftover_files_are_not_pages() {
    // Each ignored file has no front matter: parsing any of them would fail the build.
    let site = site("ignored-files");
    for f in [
        "guide/_draft.md",
        "guide/.hidden.md",
        "guide/intro.md~",
        "guide/#intro.md#",
        "guide/.intro.md.swp",
        "_partials/note.md",
        ".hidden-dir/README.md",
    ] {
        assert!(site.exists(&format!("content/{f}")), "fixture lost {f}");
    }
    site.build().assert_ok();
    let pages: Vec<String> = site
        .snapshot("public")
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert_eq!(
        pages,
        [
            "404.html",
            "brands/index.html",
            "contents/index.html",
            "guide/intro/index.html",
            "index.html",
            "locations/index.html",
            "print/index.html",
            "types/index.html",
        ]
    );
}

#[test]
fn static_files_are_copied_and_override_the_theme() {
    let site = site("static-files");
    site.build().assert_ok();
    for file in ["css/extra.css", "style.css"] {
        assert_eq!(
            site.read(&format!("public/{file}")),
            site.read(&format!("static/{file}")),
            "{file}"
        );
    }
    assert!(site.exists("static/notes.txt~"), "fixture lost notes.txt~");
    assert!(!site.exists("public/notes.txt~"), "editor leftover copied");
}

/// SPEC: `static/` is "copied to the output as is"; the dot-name rule is
/// about pages. `.well-known/` is where security.txt and similar files live.
#[test]
fn static_dot_folders_are_copied_as_is() {
    let site = site("static-files");
    site.build().assert_ok();
    assert_eq!(
        site.read("public/.well-known/security.txt"),
        "Contact: mailto:security@handbook.example.org\n"
    );
}

#[test]
fn base_url_flag_prefixes_every_internal_url() {
    let site = site("links");
    site.run("build", &["--base-url", "https://example.net/handbook"])
        .assert_ok();
    let intro = site.main_of("public/guide/intro/index.html");
    assert!(
        intro.contains(r#"href="/handbook/locks/acme/d100/#reset-steps""#),
        "{intro}"
    );
    let k9 = site.main_of("public/locks/acme/k9/index.html");
    assert!(
        k9.contains(r#"src="/handbook/locks/acme/k9/photo.svg""#),
        "{k9}"
    );
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.net/handbook/guide/intro/</loc>"),
        "{sitemap}"
    );
    assert!(!sitemap.contains("handbook.example.org"), "{sitemap}");
}

#[test]
fn relative_urls_make_every_link_a_file_path_from_the_page() {
    let site = site("links");
    let config = site.read("site.toml");
    site.write("site.toml", &format!("{config}relative_urls = true\n"));
    site.build().assert_ok();
    let intro = site.main_of("public/guide/intro/index.html");
    assert!(
        intro.contains(r##"href="../../locks/acme/d100/index.html#reset-steps""##),
        "{intro}"
    );
    let k9 = site.main_of("public/locks/acme/k9/index.html");
    assert!(
        k9.contains(r#"src="../../../locks/acme/k9/photo.svg""#),
        "{k9}"
    );
    // Every relative href/src of every page names a file that exists.
    for (rel, bytes) in site.snapshot("public") {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8(bytes).unwrap();
        let dir = site.path("public").join(&rel);
        let dir = dir.parent().unwrap();
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let value = &part[..part.find('"').unwrap()];
                if value.starts_with("http") || value.starts_with('#') || value.starts_with("data:")
                {
                    continue;
                }
                assert!(!value.starts_with('/'), "{rel}: absolute link {value}");
                let path = value.split(['#', '?']).next().unwrap();
                assert!(dir.join(path).is_file(), "{rel}: {value} is not a file");
            }
        }
    }
}
