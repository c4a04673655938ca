//! The print page (`/print/`) and the revisions feed (`/feed.xml`) of issue
//! #12, on the `print-feed` fixture: two public entries of two brands in two
//! buildings, a public guide page linking into them, a sensitive entry and a
//! sensitive guide page, each with revisions and `SENS-…` markers, and a
//! private block (`PRIVLINE-4455`) in a public entry.

use std::collections::HashSet;

use crate::{Site, generated, site};

/// What a public build must never show of the fixture.
const SECRETS: &[&str] = &[
    "SENS-REV-GUIDE",
    "SENS-REV-VAULT",
    "SENS-BODY",
    "PRIVLINE-4455",
    "Server room master",
    "Staff codes list",
    "/locks/acme/vault/",
    "/guide/staff/",
];

fn built(private: bool) -> Site {
    let s = site("print-feed");
    if private {
        s.build_private().assert_ok();
    } else {
        s.build().assert_ok();
    }
    s
}

/// Every `attr="…"` value in `html`.
pub fn values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let pat = format!(" {attr}=\"");
    html.split(pat.as_str())
        .skip(1)
        .filter_map(|s| s.split_once('"').map(|(v, _)| v))
        .collect()
}

#[test]
fn the_print_page_holds_every_public_page_in_order_with_unique_ids_and_in_page_links() {
    let s = built(false);
    let html = s.read("public/print/index.html");
    // Title page with the build date, contents, guide, then entries by brand.
    assert!(html.contains("Built 2026-11-18"), "{html}");
    let at = |t: &str| html.find(t).unwrap_or_else(|| panic!("{t} missing"));
    assert!(at("id=\"_contents-h\"") < at("id=\"guide.intro\""));
    assert!(at("id=\"guide.intro\"") < at("id=\"locks.acme.d100\""));
    assert!(at("id=\"locks.acme.d100\"") < at("id=\"locks.zeta.z1\""));
    // Ids unique (the two "Reset" headings of z1 and d100's "Reset" too).
    let ids = values(&html, "id");
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "duplicate ids: {ids:?}");
    assert!(unique.contains("locks.zeta.z1:reset") && unique.contains("locks.zeta.z1:reset-1"));
    // Links to printed pages and their headings are in-page, and every one lands.
    let hrefs = values(&html, "href");
    assert!(hrefs.contains(&"#locks.acme.d100:reset"), "{hrefs:?}");
    assert!(hrefs.contains(&"#locks.zeta.z1"), "{hrefs:?}");
    assert!(
        hrefs.contains(&"#guide.intro:before-you-start"),
        "{hrefs:?}"
    );
    for h in hrefs.iter().filter_map(|h| h.strip_prefix('#')) {
        assert!(unique.contains(h), "#{h} points at no id");
    }
    // Each entry starts a printed page; warnings stay with the procedure.
    assert!(
        html.contains(".print-entry { break-before: page;"),
        "{html}"
    );
    assert!(html.contains(".warnings { break-inside: avoid; break-after: avoid; }"));
    assert!(html.contains("counter(page)"));
    assert!(
        !html.contains("PRIVATE"),
        "a public print page says PRIVATE"
    );
}

#[test]
fn a_public_print_page_and_feed_have_no_sensitive_page_or_private_block_and_a_private_one_has() {
    let public = built(false);
    for file in ["public/print/index.html", "public/feed.xml"] {
        let text = public.read(file);
        for secret in SECRETS {
            assert!(!text.contains(secret), "{file} holds {secret:?}");
        }
    }
    let private = built(true);
    let print = private.read("private/print/index.html");
    for marker in [
        "SENS-BODY-9911",
        "SENS-BODY-1234",
        "PRIVLINE-4455",
        "Server room master",
    ] {
        assert!(print.contains(marker), "private print page lacks {marker}");
    }
    assert!(
        print.contains("PRIVATE — do not share"),
        "no PRIVATE on every page"
    );
    assert!(!print.to_lowercase().contains("printed from"), "{print}");
    let feed = private.read("private/feed.xml");
    assert!(feed.contains("SENS-REV-VAULT") && feed.contains("SENS-REV-GUIDE"));
}

#[test]
fn print_order_location_files_entries_by_location_and_a_wrong_value_is_an_error() {
    let s = site("print-feed");
    let toml = s.read("site.toml");
    s.write("site.toml", &format!("{toml}print_order = \"location\"\n"));
    s.build().assert_ok();
    let html = s.read("public/print/index.html");
    // Building A (Zeta) before Building B (Acme).
    let z = html.find("id=\"locks.zeta.z1\"").expect("z1");
    let d = html.find("id=\"locks.acme.d100\"").expect("d100");
    assert!(z < d, "not by location");
    assert!(html.contains("Building A › Lobby"), "{html}");

    s.write("site.toml", &format!("{toml}print_order = \"locaton\"\n"));
    let run = s.build();
    run.assert_errors(&[(
        "site.toml:4:15",
        &["print_order", "did you mean 'location'"],
    )]);
    assert!(run.stderr.contains("hint:"), "{}", run.stderr);
}

#[test]
fn a_page_cannot_take_the_print_url() {
    let s = site("print-feed");
    s.write("content/print.md", "---\ntitle: Printing\n---\nx\n");
    s.build().assert_errors(&[(
        "content/print.md:1:1",
        &["reserved for the printable handbook"],
    )]);
}

#[test]
fn every_page_links_the_feed() {
    let s = built(false);
    for page in [
        "public/index.html",
        "public/locks/acme/d100/index.html",
        "public/print/index.html",
    ] {
        assert!(
            s.read(page).contains(
                "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Print Feed Handbook — revisions\" href=\"https://handbook.example.org/feed.xml\">"
            ),
            "{page}"
        );
    }
}

fn parse(xml: &str) -> feed_rs::model::Feed {
    feed_rs::parser::parse(xml.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{xml}"))
}

/// Asserts every entry has `updated`, newest first.
#[track_caller]
fn assert_newest_first(feed: &feed_rs::model::Feed) {
    let dates: Vec<_> = feed
        .entries
        .iter()
        .map(|e| e.updated.expect("updated"))
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
}

#[test]
fn the_feed_parses_newest_first_with_titles_links_and_tag_ids() {
    let s = built(false);
    let feed = parse(&s.read("public/feed.xml"));
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| {
            e.title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        titles,
        [
            "Introduction — First version of the introduction.",
            "Zeta Z1 keypad — checked on the lock",
            "Acme D100 deadbolt — verified after firmware 2.1",
            "Acme D100 deadbolt — photo added",
            "Acme D100 deadbolt — first version",
        ]
    );
    let first = &feed.entries[0];
    assert_eq!(
        first.links[0].href,
        "https://handbook.example.org/guide/intro/"
    );
    let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(
        ids[2],
        "tag:handbook.example.org,2026-01-05:/locks/acme/d100/#1"
    );
    assert_eq!(
        ids[3],
        "tag:handbook.example.org,2026-01-05:/locks/acme/d100/#2"
    );
    assert_newest_first(&feed);
    assert_eq!(feed.updated, feed.entries[0].updated);
    assert_eq!(
        feed.entries[2].authors[0].name.as_deref(),
        Some("J. Rivera")
    );
}

#[test]
fn feed_ids_are_the_same_in_two_builds_and_after_a_new_revision() {
    let s = built(false);
    let ids = |s: &Site| -> Vec<String> {
        parse(&s.read("public/feed.xml"))
            .entries
            .into_iter()
            .map(|e| e.id)
            .collect()
    };
    let before = ids(&s);
    s.build().assert_ok();
    assert_eq!(ids(&s), before);
    // A newer revision adds an entry; every other keeps its id.
    let page = s.read("content/locks/zeta/z1.md");
    s.write(
        "content/locks/zeta/z1.md",
        &page.replace(
            "revisions:\n",
            "revisions:\n  - date: 2026-11-01\n    note: new battery\n",
        ),
    );
    s.build().assert_ok();
    let after = ids(&s);
    assert_eq!(after.len(), before.len() + 1);
    assert_eq!(
        after[0],
        "tag:handbook.example.org,2026-11-01:/locks/zeta/z1/#1"
    );
    assert_eq!(&after[1..], &before[..]);
}

#[test]
fn the_feed_holds_the_newest_fifty_revisions_across_pages() {
    let files = (0..30).map(|i| {
        (
            format!("content/locks/acme/a{i:02}.md"),
            format!(
                "---\ntitle: Acme {i:02}\nbrand: Acme\nmodel: A{i:02}\nrevisions:\n  \
                 - date: 2025-{m:02}-{d:02}\n    note: late {i}\n  \
                 - date: 2024-{m:02}-{d:02}\n    note: early {i}\n---\nx\n",
                m = i % 12 + 1,
                d = i % 28 + 1
            ),
        )
    });
    let s = generated(
        "title = \"Big\"\nbase_url = \"https://x.example.org\"\n",
        files,
    );
    s.build().assert_ok();
    let feed = parse(&s.read("public/feed.xml"));
    assert_eq!(feed.entries.len(), 50);
    assert_newest_first(&feed);
    // All 30 of 2025 and the 20 newest of 2024.
    let late = feed
        .entries
        .iter()
        .filter(|e| e.title.as_ref().is_some_and(|t| t.content.contains("late")))
        .count();
    assert_eq!(late, 30);
}

#[test]
fn a_printed_private_page_does_not_say_it_was_printed_from_the_public_host() {
    let s = built(true);
    let page = s.read("private/locks/acme/d100/index.html");
    assert!(page.contains("Private build: do not share."), "{page}");
    assert!(!page.to_lowercase().contains("printed from"), "{page}");
    let public = built(false);
    let page = public.read("public/locks/acme/d100/index.html");
    assert!(page.contains("Printed from https://handbook.example.org/locks/acme/d100/"));
}
