//! Classes 3 and 4: a sensitive page's title in a public page, as a reader
//! sees it. The checks once compared bytes, so typographic punctuation, a
//! line wrap, a double space or Tera's `&#39;` hid a title from them.

use super::{PAGE, assert_clean_public, assert_fails_at, assert_private_shows, base, with_page};

const VAULT: &str = "sensitive page content/locks/acme/vaultx/index.md";
const SAFE: &str = "sensitive page content/locks/acme/msafe.md";

/// (mention on file line 6, column where the title starts there, whose title).
const TYPOGRAPHIC: &[(&str, usize, &str)] = &[
    ("See the “Server room master” entry.", 10, VAULT),
    ("See ‘Server room master’ first.", 6, VAULT),
    ("See «Server room master» first.", 6, VAULT),
    ("See ‹Server room master› first.", 6, VAULT),
    ("See „Server room master“ first.", 6, VAULT),
    ("See \"Server room master\" first.", 6, VAULT),
    ("The Server room master—reset it first.", 5, VAULT),
    ("The Server room master – reset it.", 5, VAULT),
    ("The Server room master… and more.", 5, VAULT),
    ("The Server room master’s code.", 5, VAULT),
    ("The Server\u{a0}room\u{a0}master.", 5, VAULT),
    ("The Server\u{2009}room\u{202f}master.", 5, VAULT),
    ("The SERVER ROOM MASTER.", 5, VAULT),
    ("The \u{ff33}erver room master.", 5, VAULT),
    ("(Server room master)", 2, VAULT),
    ("[Server room master](intro.md)", 2, VAULT),
    ("![Server room master](https://example.com/a.png)", 3, VAULT),
    ("## Server room master", 4, VAULT),
    ("- Server room master", 3, VAULT),
    ("Open the Manager’s safe first.", 6, SAFE),
    ("Open the Manager´s safe first.", 6, SAFE),
    ("Open the Manager\u{2bc}s safe first.", 6, SAFE),
    ("Open “the Manager’s safe”.", 7, SAFE),
];

#[test]
fn sensitive_titles_next_to_typographic_punctuation_are_errors_at_their_line() {
    for (mention, col, whose) in TYPOGRAPHIC {
        let site = with_page(&format!("Intro.\n\n{mention}\n"));
        let at = format!("{PAGE}:6:{col}");
        assert_fails_at(mention, &site, &site.build(), &[(&at, whose)]);
    }
}

/// The same mentions are fine where the design allows them: in a private
/// block, which the private build shows.
#[test]
fn typographic_mentions_inside_private_blocks_stay_private() {
    let mentions: Vec<&str> = TYPOGRAPHIC.iter().map(|(m, _, _)| *m).collect();
    let body = format!("Intro.\n\n::: private\n{}\n:::\n", mentions.join("\n\n"));
    let site = with_page(&body);
    assert_clean_public(
        "all mentions, private",
        &site,
        &["Manager’s", "Server room"],
    );
    assert_private_shows(
        "all mentions, private",
        &site,
        "guide/attack/index.html",
        &[
            "“Server room master”",
            "«Server room master»",
            "Manager’s safe",
        ],
    );
}

#[test]
fn sensitive_titles_in_the_front_matter_are_errors_at_their_line() {
    for (case, fm, at) in [
        (
            "description",
            "description: Next to the “Server room master”.\n",
            "3:27",
        ),
        (
            "wrapped description",
            "description: >\n  Next to the Server\n  room master.\n",
            "4:15",
        ),
    ] {
        let site = base();
        site.write(PAGE, &format!("---\ntitle: Attack page\n{fm}---\nBody.\n"));
        let at = format!("{PAGE}:{at}");
        assert_fails_at(case, &site, &site.build(), &[(&at, "sensitive page")]);
    }
}

/// Class 4: what the bytes say is not what a reader reads.
#[test]
fn wrapped_and_spaced_titles_are_errors_at_the_line_where_they_start() {
    for (case, body, at, whose) in [
        (
            "wrapped",
            "Intro.\n\nThe Server room\nmaster is here.\n",
            "6:5",
            VAULT,
        ),
        (
            "wrapped twice",
            "Intro.\n\nThe Server\nroom\nmaster is here.\n",
            "6:5",
            VAULT,
        ),
        (
            "wrapped, indented",
            "Intro.\n\nThe Server\n   room master.\n",
            "6:5",
            VAULT,
        ),
        (
            "hard line break",
            "Intro.\n\nThe Server room  \nmaster.\n",
            "6:5",
            VAULT,
        ),
        (
            "double space",
            "Intro.\n\nThe Server  room master.\n",
            "6:5",
            VAULT,
        ),
        ("tab", "Intro.\n\nThe Server\troom master.\n", "6:5", VAULT),
        (
            "apostrophe typed",
            "Intro.\n\nOpen the Manager's safe.\n",
            "6:6",
            SAFE,
        ),
        (
            "apostrophe, wrapped",
            "Intro.\n\nOpen the\nManager's safe.\n",
            "6:6",
            SAFE,
        ),
    ] {
        let site = with_page(body);
        let at = format!("{PAGE}:{at}");
        assert_fails_at(case, &site, &site.build(), &[(&at, whose)]);
    }
}

/// Spelt in Markdown or HTML so that only the rendered page reads as the
/// title: the audit of the written bytes finds it in the output file (and
/// in the search index, which holds the text the page shows).
#[test]
fn titles_that_only_the_rendered_page_spells_are_leaks_in_the_output() {
    let leak = "public/guide/attack/index.html:1:1";
    // The search index holds the page's text (not its attributes): there too.
    let index = "public/search/d-0.js:1:1";
    for (case, body, unsafe_html) in [
        ("entity apostrophe", "Open the Manager&#39;s safe.", false),
        (
            "named entity apostrophe",
            "Open the Manager&rsquo;s safe.",
            false,
        ),
        ("entity space", "The Server room&nbsp;master.", false),
        ("soft hyphen", "The Server room mas&shy;ter.", false),
        ("emphasis inside", "The Server **room** master.", false),
        ("emphasis in a word", "The Server room mas*ter*.", false),
        (
            "inline HTML in a word",
            "The Server room mas<b>ter</b>.",
            true,
        ),
        (
            "entity in an attribute",
            "<abbr title=\"Server room&#x20;master\">SRM</abbr>",
            true,
        ),
        (
            "entity apostrophe in an attribute",
            "<span title=\"the Manager&#39;s safe\">x</span>",
            true,
        ),
    ] {
        let site = with_page(&format!("Intro.\n\n{body}\n"));
        if unsafe_html {
            super::allow_html(&site);
        }
        let run = site.build();
        // The print page and the search index hold the attack page too, and
        // the audit finds it there as well.
        let what = "leak: the output contains the title";
        let mut expected = vec![(leak, what), ("public/print/index.html:1:1", what)];
        if !case.contains("attribute") {
            expected.push((index, what));
        }
        assert_fails_at(case, &site, &run, &expected);
    }
}

/// site.toml's strings are printed by Tera (`'` as `&#39;`) on every page.
#[test]
fn sensitive_title_in_site_toml_is_a_leak_in_every_page_that_prints_it() {
    for description in ["Ask for the Manager's safe", "Ask for the Manager’s safe"] {
        let site = base();
        let toml = site.read("site.toml");
        site.write(
            "site.toml",
            &format!("{toml}description = \"{description}\"\n"),
        );
        let run = site.build();
        run.assert_code(1);
        let errors = run.errors();
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("public/index.html:1:1: leak")),
            "{description}: {}",
            run.stderr
        );
        for e in &errors {
            assert!(
                e.starts_with("public/") && e.contains("leak") && e.contains(SAFE),
                "{description}: {e}"
            );
        }
        assert!(!site.exists("public"), "{description}");
        site.build_private().assert_ok();
    }
}
