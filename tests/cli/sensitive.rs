//! Sensitive pages and private blocks: left out of public builds everywhere,
//! included and marked in private builds; the leak audit.

use crate::{files_containing, has_noindex, site, snapshot};

// ---- public build of `sensitive-exclusion` ---------------------------------
// Sensitive: guide/incident-playbook.md, locks/acme/b200.md, and
// locks/hiddenco/h1/ (a bundle, the only entry of brand "Hiddenco Vaults").
// guide/intro.md has a private block.

#[test]
fn sensitive_pages_and_bundle_assets_are_not_written() {
    let site = site("sensitive-exclusion");
    site.build().assert_ok();
    assert!(site.exists("public/locks/acme/a100/index.html"));
    for gone in [
        "public/locks/acme/b200",
        "public/guide/incident-playbook",
        "public/locks/hiddenco",
    ] {
        assert!(!site.exists(gone), "{gone} exists");
    }
    site.build_private().assert_ok();
    assert!(site.exists("private/locks/hiddenco/h1/strongroom.svg"));
}

#[test]
fn table_of_contents_leaves_out_sensitive_pages() {
    let site = site("sensitive-exclusion");
    site.build().assert_ok();
    let index = site.main_of("public/index.html");
    for kept in ["Introduction", "Acme A100 deadbolt", "Acme C300 keypad"] {
        assert!(index.contains(kept), "{kept}: {index}");
    }
    for gone in ["Incident Playbook", "B200", "Hiddenco"] {
        assert!(!index.contains(gone), "{gone}: {index}");
    }
}

#[test]
fn brand_index_and_counts_leave_out_sensitive_entries() {
    let site = site("sensitive-exclusion");
    site.build().assert_ok();
    let acme = site.main_of("public/brands/acme/index.html");
    assert!(acme.contains("Acme A100 deadbolt") && acme.contains("Acme C300 keypad"));
    assert!(!acme.contains("B200"), "{acme}");
    assert!(acme.contains("2 entries"), "{acme}");

    let brands = site.main_of("public/brands/index.html");
    assert!(brands.contains("2 entries"), "{brands}");
    assert!(!brands.contains("3 entries"), "{brands}");

    site.build_private().assert_ok();
    let brands = site.main_of("private/brands/index.html");
    assert!(
        brands.contains("3 entries"),
        "private build counts all: {brands}"
    );
}

#[test]
fn brand_with_only_sensitive_entries_does_not_appear() {
    let site = site("sensitive-exclusion");
    site.build().assert_ok();
    assert!(!site.exists("public/brands/hiddenco-vaults"));
    assert_eq!(
        files_containing(&site.path("public"), "hiddenco"),
        Vec::<String>::new()
    );

    site.build_private().assert_ok();
    assert!(site.exists("private/brands/hiddenco-vaults/index.html"));
    assert!(
        site.main_of("private/brands/index.html")
            .contains("Hiddenco Vaults")
    );
}

#[test]
fn prev_next_links_skip_sensitive_entries() {
    let site = site("sensitive-exclusion");
    site.build().assert_ok();
    let a100 = site.main_of("public/locks/acme/a100/index.html");
    assert!(
        a100.contains(r#"<a rel="next" href="/locks/acme/c300/">"#),
        "{a100}"
    );
    let c300 = site.main_of("public/locks/acme/c300/index.html");
    assert!(
        c300.contains(r#"<a rel="prev" href="/locks/acme/a100/">"#),
        "{c300}"
    );

    site.build_private().assert_ok();
    let a100 = site.main_of("private/locks/acme/a100/index.html");
    assert!(
        a100.contains(r#"<a rel="next" href="/locks/acme/b200/">"#),
        "{a100}"
    );
}

#[test]
fn sitemap_leaves_out_sensitive_pages() {
    let site = site("sensitive-exclusion");
    site.build().assert_ok();
    let sitemap = site.read("public/sitemap.xml");
    assert!(sitemap.contains("<loc>https://handbook.example.org/locks/acme/a100/</loc>"));
    assert!(sitemap.contains("<loc>https://handbook.example.org/guide/intro/</loc>"));
    for gone in ["b200", "hiddenco", "incident-playbook"] {
        assert!(!sitemap.contains(gone), "{gone}: {sitemap}");
    }
}

#[test]
fn private_block_is_left_out_publicly_and_marked_privately() {
    let site = site("sensitive-exclusion");
    site.build().assert_ok();
    let intro = site.main_of("public/guide/intro/index.html");
    assert!(intro.contains("Public intro text.") && intro.contains("More public text."));
    assert!(!intro.contains("4482-1907"), "{intro}");
    assert!(!intro.contains("private-block"), "{intro}");

    site.build_private().assert_ok();
    let intro = site.main_of("private/guide/intro/index.html");
    let block = intro
        .find(r#"class="private-block""#)
        .map(|i| &intro[i..])
        .unwrap_or_else(|| panic!("no private-block element: {intro}"));
    let block = &block[..block.find("</div>").expect("block end")];
    assert!(
        block.contains("The master override code is 4482-1907."),
        "{block}"
    );
}

#[test]
fn no_public_output_file_mentions_withheld_material() {
    let site = site("sensitive-exclusion");
    site.build().assert_ok();
    site.build_private().assert_ok();
    let (public, private) = (site.path("public"), site.path("private"));
    for needle in [
        "Acme B200 server room",
        "/locks/acme/b200/",
        "Incident Playbook",
        "incident-playbook",
        "Hiddenco",
        "strongroom",
        "4482-1907",
    ] {
        assert_eq!(
            files_containing(&public, needle),
            Vec::<String>::new(),
            "{needle}"
        );
        assert_ne!(
            files_containing(&private, needle),
            Vec::<String>::new(),
            "{needle} is not even in the private build"
        );
    }
}

// ---- private builds --------------------------------------------------------

#[test]
fn private_build_writes_every_page_to_private_output_dir() {
    let site = site("private-build");
    site.build_private().assert_ok();
    assert!(!site.exists("public"), "a private build wrote public/");
    let pages: Vec<String> = snapshot(&site.path("private"))
        .into_keys()
        .filter(|p| p.ends_with(".html"))
        .collect();
    assert_eq!(
        pages,
        [
            "404.html",
            "brands/acme/index.html",
            "brands/index.html",
            "contents/index.html",
            "guide/intro/index.html",
            "guide/staff-only/index.html",
            "index.html",
            "locations/index.html",
            "locks/acme/front/index.html",
            "locks/acme/vault/index.html",
            "print/index.html",
            "status/index.html",
            "types/index.html",
        ]
    );
}

#[test]
fn private_build_pages_are_noindex_and_robots_disallows_all() {
    let site = site("private-build");
    site.build_private().assert_ok();
    for (path, bytes) in snapshot(&site.path("private")) {
        if path.ends_with(".html") {
            let html = String::from_utf8(bytes).unwrap();
            assert!(has_noindex(&html), "{path} has no robots noindex meta");
        }
    }
    let robots = site.read("private/robots.txt");
    let lines: Vec<&str> = robots.lines().map(str::trim).collect();
    assert!(lines.contains(&"User-agent: *"), "{robots}");
    assert!(lines.contains(&"Disallow: /"), "{robots}");
    assert!(!lines.iter().any(|l| l.starts_with("Allow")), "{robots}");

    site.build().assert_ok();
    let public_home = site.read("public/index.html");
    assert!(!has_noindex(&public_home), "public pages must be indexable");
}

#[test]
fn private_build_marks_sensitive_pages_visibly() {
    let site = site("private-build");
    site.build_private().assert_ok();
    for page in [
        "private/locks/acme/vault/index.html",
        "private/guide/staff-only/index.html",
    ] {
        let main = site.main_of(page);
        assert!(main.contains(">Sensitive</span>"), "{page}: {main}");
    }
    let front = site.main_of("private/locks/acme/front/index.html");
    assert!(!front.contains(">Sensitive</span>"), "{front}");
}

#[test]
fn private_build_refuses_the_public_output_dir() {
    let site = site("private-build");
    let run = site.run("build", &["--private", "--output", "public"]);
    // A site error (1) or bad usage (2): either way, nothing is written.
    assert!(
        run.code == 1 || run.code == 2,
        "exit {}: {}",
        run.code,
        run.stderr
    );
    assert!(!site.exists("public"), "{}", run.stderr);
}

/// SPEC: a private build never writes to the public output. A
/// `private_output_dir` inside `output_dir` would be published with it.
#[test]
fn private_output_dir_inside_public_output_dir_is_refused() {
    let site = site("private-dir-inside-public");
    let _ = site.build();
    let run = site.build_private();
    run.assert_code(1);
    if site.exists("public") {
        assert_eq!(
            files_containing(&site.path("public"), "vault"),
            Vec::<String>::new(),
            "sensitive pages written inside public/"
        );
    }
}

// ---- leak audit -----------------------------------------------------------

#[test]
fn template_printing_a_sensitive_title_fails_public_build() {
    let site = site("leak-template");
    site.build().assert_code(1).assert_errors(&[(
        "public/index.html:1:1",
        &["leak", "content/locks/acme/vault.md"],
    )]);
    assert!(!site.exists("public"));
    // The audit guards public builds only.
    site.build_private().assert_ok();
}

/// Found by cargo-fuzz: a sensitive page titled like a word of the built-in
/// theme ("Home" is on every page's breadcrumb) failed every public build.
#[test]
fn sensitive_title_that_is_a_word_of_the_built_in_theme_is_no_leak() {
    let site = site("leak-template");
    std::fs::remove_dir_all(site.path("templates")).unwrap();
    for title in ["Home", "brands", "Last verified"] {
        site.write(
            "content/locks/acme/vault.md",
            &format!(
                "---\ntitle: {title}\nbrand: Acme\nmodel: V1\nsensitive: true\n---\nSENS-vault-code\n"
            ),
        );
        site.build().assert_ok();
        assert!(!site.exists("public/locks/acme/vault"));
        let public = site.snapshot("public");
        assert!(
            public
                .values()
                .all(|b| !String::from_utf8_lossy(b).contains("SENS-vault-code")),
            "{title}: the sensitive body was published"
        );
    }
    // A site template that types the title in is still caught.
    site.write(
        "templates/entry.html",
        "{% extends \"base.html\" %}{% block main %}Ask about the Home.{% endblock main %}",
    );
    site.write(
        "content/locks/acme/vault.md",
        "---\ntitle: Ask about the Home\nbrand: Acme\nmodel: V1\nsensitive: true\n---\nx\n",
    );
    let run = site.build();
    run.assert_code(1);
    assert!(run.stderr.contains("leak"), "{}", run.stderr);
}

/// Only whole words of the built-in theme are exempt: "Safe" is in its code
/// (`| safe`) and comments, not in what it prints.
#[test]
fn sensitive_title_inside_theme_code_is_still_checked() {
    let site = site("leak-template");
    std::fs::remove_dir_all(site.path("templates")).unwrap();
    site.write(
        "content/locks/acme/vault.md",
        "---\ntitle: Safe\nbrand: Acme\nmodel: V1\nsensitive: true\n---\nx\n",
    );
    site.write(
        "content/locks/acme/front.md",
        "---\ntitle: Acme front door\nbrand: Acme\nmodel: F1\n---\nThe safe is behind it.\n",
    );
    site.build()
        .assert_code(1)
        .assert_errors(&[("content/locks/acme/front.md:6:5", &["sensitive page"])]);
}

/// site.toml's strings are the user's own text: a sensitive title there is a leak.
#[test]
fn sensitive_title_in_the_site_description_fails_public_build() {
    let site = site("leak-template");
    std::fs::remove_dir_all(site.path("templates")).unwrap();
    site.write(
        "site.toml",
        &format!(
            "{}description = \"Ask about the Vault Room Master\"\n",
            site.read("site.toml")
        ),
    );
    let run = site.build();
    run.assert_code(1);
    assert!(
        run.stderr.contains("leak") && run.stderr.contains("Vault Room Master"),
        "{}",
        run.stderr
    );
    site.build_private().assert_ok();
}

#[test]
fn leak_keeps_the_previous_output() {
    let site = site("leak-template");
    std::fs::rename(site.path("templates"), site.path("templates-off")).unwrap();
    site.build().assert_ok();
    let before = site.snapshot("public");
    std::fs::rename(site.path("templates-off"), site.path("templates")).unwrap();
    let root_before = crate::listing(&site.root);

    let run = site.build();
    run.assert_code(1);
    assert!(run.stderr.contains("leak"), "{}", run.stderr);
    assert!(site.snapshot("public") == before, "public/ changed");
    assert_eq!(crate::listing(&site.root), root_before, "leftovers in root");
}

#[test]
fn static_file_with_withheld_material_fails_public_build() {
    let site = site("leak-static");
    let run = site.build();
    run.assert_code(1);
    let leaks = run.errors();
    assert_eq!(leaks.len(), 3, "{}", run.stderr);
    assert!(
        leaks.iter().all(|l| l.starts_with("public/notes.txt:")),
        "{leaks:?}"
    );
    for found in ["Vault Room Master", "/locks/acme/vault/", "7731-0042"] {
        assert!(
            leaks
                .iter()
                .any(|l| l.contains("leak") && l.contains(found)),
            "{found}: {leaks:?}"
        );
    }
    assert!(!site.exists("public"));
}
