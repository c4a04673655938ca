//! Class 7: the bounded pages. Sidebars show windows of neighbours, lists are
//! split into numbered pages (`/brands/acme/page/2/`, `/contents/page/3/`),
//! counts and labels are computed per brand: all of it over the public pages
//! only, so a sensitive entry neither appears on a list page nor shifts a
//! window, a page break, a count or a label in a way that names it.

use super::{assert_clean_public, base, traces};
use crate::Site;

/// `leak-base` with 420 more Acme entries, titled so that the two sensitive
/// ones ("Server room master", "the Manager's safe") sort among them, and 30
/// guide pages around a sensitive one.
fn big() -> Site {
    let site = base();
    for i in 0..420 {
        // "Door …" sorts before "Server room master", "unit …" after "the Manager's safe".
        let title = if i < 300 {
            format!("Door {i:03}")
        } else {
            format!("unit {i:03}")
        };
        site.write(
            &format!("content/locks/acme/n{i:03}.md"),
            &format!(
                "---\ntitle: {title}\nbrand: Acme\nmodel: NV-{}\nlocation: Room {i}\n---\nx\n",
                i % 2
            ),
        );
    }
    for i in 0..30 {
        site.write(
            &format!("content/guide/g{i:02}.md"),
            &format!("---\ntitle: Guide {i:02}\nweight: {i}\n---\nx\n"),
        );
    }
    site.write(
        "content/guide/staff.md",
        "---\ntitle: Strongroom rota\nweight: 15\nsensitive: true\n---\nx\n",
    );
    site
}

#[test]
fn list_pages_windows_and_the_sitemap_leave_sensitive_pages_out() {
    let site = big();
    assert_clean_public("bounded pages", &site, &["rota"]);
    for page in [
        "public/contents/page/3/index.html",
        "public/brands/acme/page/3/index.html",
    ] {
        assert!(site.exists(page), "{page} missing");
    }
    // Counts and page breaks count the public entries only: 421 of 423.
    let brand = site.main_of("public/brands/acme/page/3/index.html");
    assert!(brand.contains("421 entries"), "{brand}");
    assert_eq!(brand.matches("class=\"title\"").count(), 21, "{brand}");
    // The public neighbours of the sensitive entries link each other.
    let last_door = site.read("public/locks/acme/n299/index.html");
    assert!(
        last_door.contains(r#"<a rel="next" href="/locks/acme/n300/">"#),
        "{}",
        crate::main_of(&last_door)
    );
}

#[test]
fn the_private_build_lists_sensitive_pages_with_their_badges() {
    let site = big();
    site.build_private().assert_ok();
    // Sorted among the others: Door 000–299, Server room master, the Manager's safe, unit 300–.
    // (The doors share two models, so each title is followed by its label.)
    let brand = site.main_of("private/brands/acme/page/2/index.html");
    crate::assert_in_order(
        &brand,
        &[
            ">Door 299 <small",
            "NV-1 · Room 299<",
            ">Server room master<",
            "badge-sensitive",
            ">the Manager&#39;s safe<",
            "badge-sensitive",
            ">unit 300 <small",
            "NV-0 · Room 300<",
        ],
    );
    assert!(brand.contains("423 entries"), "{brand}");
    let contents = site.read("private/contents/index.html");
    assert!(contents.contains(">Strongroom rota<"), "{contents}");
    // The sitemap of the private build lists them; the public one does not.
    let sitemap = site.read("private/sitemap.xml");
    assert!(sitemap.contains("/locks/acme/vaultx/"), "{sitemap}");
    assert!(traces(&site, "private", "SENSBODY").len() >= 2);
}
