//! The outputs of issue #12 that gather the whole site: the print page
//! (`print/index.html`), the revisions feed (`feed.xml`) and the PDF's text
//! (`handbook.pdf`, with `--pdf`). A public build holds none of the withheld
//! material in any of them, and a private one holds it; and the PDF's text is
//! audited on its own, so what only the printed page spells (CSS generated
//! text, which neither the HTML nor the stylesheet's bytes show) fails the build.

use super::{WITHHELD, base};
use crate::pdf::{build_pdf, pdf_text, tools_or_skip};

/// Revisions on the sensitive entries, so the feed has something to leave out.
fn with_revisions() -> crate::Site {
    let site = base();
    for rel in [
        "content/locks/acme/msafe.md",
        "content/locks/acme/vaultx/index.md",
    ] {
        let text = site.read(rel);
        site.write(
            rel,
            &text.replacen(
                "sensitive: true\n",
                "sensitive: true\nrevisions:\n  - date: 2026-10-01\n    note: SENS-REV-4242 code rotated\n",
                1,
            ),
        );
    }
    site
}

#[test]
fn print_page_and_feed_hold_no_withheld_material_in_public_and_all_of_it_in_private() {
    let site = with_revisions();
    site.build().assert_ok();
    for file in ["public/print/index.html", "public/feed.xml"] {
        let text = site.read(file).to_ascii_lowercase();
        for needle in WITHHELD.iter().chain(&["SENS-REV-4242"]) {
            assert!(
                !text.contains(&needle.to_ascii_lowercase()),
                "{file} holds {needle:?}"
            );
        }
    }
    site.build_private().assert_ok();
    let print = site.read("private/print/index.html");
    for marker in [
        "SENSBODY-7722",
        "SENSBODY-9911",
        "PRIVLINE-4455",
        "Server room master",
    ] {
        assert!(
            print.contains(marker),
            "the private print page lacks {marker}"
        );
    }
    let feed = site.read("private/feed.xml");
    assert_eq!(feed.matches("SENS-REV-4242").count(), 4, "{feed}"); // title and summary, twice
}

#[test]
fn pdf_text_holds_no_withheld_material_in_public_and_all_of_it_in_private() {
    let test = "pdf_text_holds_no_withheld_material_in_public_and_all_of_it_in_private";
    if !tools_or_skip(test) {
        return;
    }
    let site = with_revisions();
    build_pdf(&site, &[], &[]).assert_ok();
    let text = pdf_text(&site.path("public/handbook.pdf")).to_ascii_lowercase();
    assert!(text.contains("acme d100 deadbolt"), "{text}");
    for needle in WITHHELD {
        assert!(
            !text.contains(&needle.to_ascii_lowercase()),
            "the PDF holds {needle:?}"
        );
    }
    build_pdf(&site, &["--private"], &[]).assert_ok();
    let text = pdf_text(&site.path("private/handbook.pdf"));
    for marker in [
        "SENSBODY-7722",
        "SENSBODY-9911",
        "PRIVLINE-4455",
        "Server room master",
    ] {
        assert!(text.contains(marker), "the private PDF lacks {marker}");
    }
}

#[test]
fn a_title_only_the_printed_pdf_spells_fails_the_build_at_the_pdf() {
    let test = "a_title_only_the_printed_pdf_spells_fails_the_build_at_the_pdf";
    if !tools_or_skip(test) {
        return;
    }
    let site = base();
    site.build().assert_ok();
    let before = site.snapshot("public");
    // CSS escapes: the stylesheet's bytes do not hold the title; the printed page does.
    site.write(
        "static/style.css",
        ".print-title::after { content: \"Server room m\\61 ster\"; }\n",
    );
    let run = build_pdf(&site, &[], &[]);
    run.assert_code(1);
    assert_eq!(
        run.errors(),
        [
            "public/handbook.pdf:1:1: leak: the output contains the title of sensitive page content/locks/acme/vaultx/index.md ('Server room master')"
        ],
        "{}",
        run.stderr
    );
    assert_eq!(
        site.snapshot("public"),
        before,
        "a leaking PDF replaced the output"
    );
}
