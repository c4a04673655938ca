//! Class 2: the private-block scanner and the Markdown renderer must agree
//! on what is code. Where they disagreed (a footnote's indented paragraphs, a
//! `---` … `...` pair read as metadata, line ends other than LF), a real
//! block was taken for code by one and rendered as text by the other.

use super::{PAGE, assert_clean_public, assert_private_shows, base, page, with_page};
use crate::Site;

const OUT: &str = "guide/attack/index.html";

/// The public build leaves `secrets` out; the private build shows them in blocks.
#[track_caller]
fn stays_private(case: &str, site: &Site, secrets: &[&str]) {
    assert_clean_public(case, site, secrets);
    assert_private_shows(case, site, OUT, secrets);
}

#[test]
fn blocks_in_footnotes_and_after_dash_dot_pairs_stay_private() {
    for (case, body) in [
        (
            "second paragraph of a footnote",
            "Text.[^n]\n\n[^n]: First paragraph of the note.\n\n    ::: private\n    SECRET-S1 in the note\n    :::\n\nAfter.\n",
        ),
        (
            "third paragraph of a footnote, after code",
            "Text.[^n]\n\n[^n]: First.\n\n    ```\n    code\n    ```\n\n    ::: private\n    SECRET-S1 in the note\n    :::\n",
        ),
        (
            "footnote defined before its use",
            "[^n]: First.\n\n    ::: private\n    SECRET-S1 in the note\n    :::\n\nText.[^n]\n",
        ),
        (
            "after a --- ... pair",
            "Text.\n\n---\ntitle: not front matter\n...\n\n::: private\nSECRET-S1 after the pair\n:::\n",
        ),
        (
            "between a --- ... pair",
            "Text.\n\n---\n::: private\nSECRET-S1 inside the pair\n:::\n...\n",
        ),
        (
            "after a setext heading underline",
            "Heading\n---\nkey: value\n...\n::: private\nSECRET-S1 after the heading\n:::\n",
        ),
        (
            "inside an HTML block",
            "<div>\n::: private\nSECRET-S1 in the div\n:::\n</div>\n",
        ),
        (
            "inside a <pre> HTML block",
            "<pre>\n::: private\nSECRET-S1 in the pre\n:::\n</pre>\n",
        ),
        (
            "holding a fence with a closing marker inside",
            "::: private\n```\n:::\nSECRET-S1 in the code\n```\n:::\n",
        ),
        (
            "holding indented code with marker lines",
            "::: private\nIntro.\n\n    :::\n    SECRET-S1 in the code\n\nMiddle.\n\n    ::: private\n    more code\n\n:::\n",
        ),
        (
            "holding a tilde fence with an info string",
            "::: private\n~~~~ text {.x}\n::: private\nSECRET-S1 in the code\n~~~\n~~~~\n:::\n",
        ),
    ] {
        stays_private(case, &with_page(body), &["SECRET-S1"]);
    }
}

/// Every line end a browser's text editor can leave: CRLF, lone CR (old Mac),
/// and a mix, in the front matter and the body alike.
#[test]
fn blocks_stay_private_whatever_the_line_ends() {
    let text = page("Text.\n\n::: private\nSECRET-S2 line one\nSECRET-S2 line two\n:::\nAfter.\n");
    for (case, bytes) in [
        ("CRLF", text.replace('\n', "\r\n")),
        ("lone CR", text.replace('\n', "\r")),
        (
            "mixed",
            text.lines()
                .enumerate()
                .map(|(i, l)| format!("{l}{}", ["\n", "\r\n", "\r"][i % 3]))
                .collect(),
        ),
    ] {
        let site = base();
        std::fs::write(site.path(PAGE), &bytes).expect("write page");
        stays_private(case, &site, &["SECRET-S2 line one", "SECRET-S2 line two"]);
        let main = site.main_of(&format!("public/{OUT}"));
        assert!(main.contains("After."), "{case}: {main}");
    }
}

/// A lone CR inside a marker line must not hide the marker: the line ends there.
#[test]
fn a_lone_cr_after_a_marker_ends_its_line() {
    let site = base();
    let text = page("Text.\n\n::: private\rSECRET-S3 after a CR\r:::\nAfter.\n");
    std::fs::write(site.path(PAGE), text).expect("write page");
    stays_private("CR after the markers", &site, &["SECRET-S3"]);
}

/// Markers inside code are text, as the renderer itself parses code: shown
/// as code in both builds, never an error.
#[test]
fn markers_inside_code_are_code_text() {
    for (case, body) in [
        (
            "backtick fence with info string",
            "```rust\n::: private\nCODE-S4 text\n:::\n```\n",
        ),
        ("tilde fence", "~~~\n::: private\nCODE-S4 text\n:::\n~~~\n"),
        (
            "indented code block",
            "Text.\n\n    ::: private\n    CODE-S4 text\n    :::\n",
        ),
        (
            "indented code in a list item",
            "- Item:\n\n      ::: private\n      CODE-S4 text\n      :::\n",
        ),
        (
            "unclosed fence at the end",
            "Text.\n\n````\n::: private\nCODE-S4 text\n:::\n",
        ),
        (
            "fence in a list item",
            "- Item:\n\n  ```\n  ::: private\n  CODE-S4 text\n  :::\n  ```\n",
        ),
        (
            "fence in a blockquote",
            "> ```\n> ::: private\n> CODE-S4 text\n> :::\n> ```\n",
        ),
    ] {
        let site = with_page(body);
        site.build().assert_ok();
        site.build_private().assert_ok();
        for out in ["public", "private"] {
            let main = site.main_of(&format!("{out}/{OUT}"));
            let pre = main
                .find("<pre tabindex=\"0\">")
                .unwrap_or_else(|| panic!("{case}: {main}"));
            assert!(
                main[pre..].contains("CODE-S4 text"),
                "{case}, {out}: {main}"
            );
            assert!(!main.contains("private-block"), "{case}, {out}: {main}");
        }
    }
}
