//! Class 1: almost-right private-block markers. Each once published the
//! block it was meant to hide, as ordinary text. Now every line outside code
//! that looks like a marker but is not exactly one is an error at that line,
//! and so is a `:::` that closes nothing.

use super::{PAGE, assert_clean_public, assert_fails_at, assert_private_shows, with_page};

const NOT_A_MARKER: &str = "looks like a private block marker but is not exactly one";
const ORPHAN: &str = "closes no private block";
const IN_LIST: &str = "marker inside a list item";

/// `PAGE:line:col`.
fn at(line: usize, col: usize) -> String {
    format!("{PAGE}:{line}:{col}")
}

/// (variant, body from file line 4, expected errors as (line, col, message fragment)).
type Variant = (
    &'static str,
    &'static str,
    &'static [(usize, usize, &'static str)],
);

/// The secret of every variant is `SECRET-M1` on file line 7.
const VARIANTS: &[Variant] = &[
    (
        "no space",
        "Public text.\n\n:::private\nSECRET-M1 code\n:::\n",
        &[(6, 1, NOT_A_MARKER), (8, 1, ORPHAN)],
    ),
    (
        "capital P",
        "Public text.\n\n::: Private\nSECRET-M1 code\n:::\n",
        &[(6, 1, NOT_A_MARKER), (8, 1, ORPHAN)],
    ),
    (
        "upper case",
        "Public text.\n\n::: PRIVATE\nSECRET-M1 code\n:::\n",
        &[(6, 1, NOT_A_MARKER), (8, 1, ORPHAN)],
    ),
    (
        "two spaces",
        "Public text.\n\n:::  private\nSECRET-M1 code\n:::\n",
        &[(6, 1, NOT_A_MARKER), (8, 1, ORPHAN)],
    ),
    (
        "tab",
        "Public text.\n\n:::\tprivate\nSECRET-M1 code\n:::\n",
        &[(6, 1, NOT_A_MARKER), (8, 1, ORPHAN)],
    ),
    (
        "no-break space",
        "Public text.\n\n:::\u{a0}private\nSECRET-M1 code\n:::\n",
        &[(6, 1, NOT_A_MARKER), (8, 1, ORPHAN)],
    ),
    (
        "zero-width space",
        "Public text.\n\n::: \u{200b}private\nSECRET-M1 code\n:::\n",
        &[(6, 1, NOT_A_MARKER), (8, 1, ORPHAN)],
    ),
    (
        "four colons, both lines",
        "Public text.\n\n:::: private\nSECRET-M1 code\n::::\n",
        &[(6, 1, NOT_A_MARKER), (8, 1, NOT_A_MARKER)],
    ),
    (
        "full-width colons",
        "Public text.\n\n\u{ff1a}\u{ff1a}\u{ff1a} private\nSECRET-M1 code\n\u{ff1a}\u{ff1a}\u{ff1a}\n",
        &[(6, 1, NOT_A_MARKER), (8, 1, NOT_A_MARKER)],
    ),
    (
        "escaped",
        "Public text.\n\n\\::: private\nSECRET-M1 code\n:::\n",
        &[(6, 1, NOT_A_MARKER), (8, 1, ORPHAN)],
    ),
    (
        "words after the name",
        "Public text.\n\n::: private notes\nSECRET-M1 code\n:::\n",
        &[(6, 1, NOT_A_MARKER), (8, 1, ORPHAN)],
    ),
    (
        "unknown block name",
        "Public text.\n\n::: secret\nSECRET-M1 code\n:::\n",
        &[(6, 1, NOT_A_MARKER), (8, 1, ORPHAN)],
    ),
    (
        "indented near miss",
        "Public text.\n\n  ::: Private\n  SECRET-M1 code\n  :::\n",
        &[(6, 3, NOT_A_MARKER), (8, 3, ORPHAN)],
    ),
    (
        "after a dash bullet",
        "Public text.\n\n- ::: private\n  SECRET-M1 code\n  :::\n",
        &[(6, 1, IN_LIST), (8, 3, ORPHAN)],
    ),
    (
        "after star bullets, both lines",
        "Public text.\n\n* ::: private\n  SECRET-M1 code\n* :::\n",
        &[(6, 1, IN_LIST), (8, 1, IN_LIST)],
    ),
    (
        "after an ordered bullet",
        "Public text.\n\n1) ::: private\n   SECRET-M1 code\n   :::\n",
        &[(6, 1, IN_LIST), (8, 4, ORPHAN)],
    ),
    (
        "after a nested bullet",
        "Public text.\n- item\n  + ::: private\nSECRET-M1 code\n    :::\n",
        &[(6, 3, IN_LIST), (8, 5, ORPHAN)],
    ),
    (
        "after a task checkbox, both lines",
        "Public text.\n\n- [ ] ::: private\n  SECRET-M1 code\n- [ ] :::\n",
        &[(6, 1, IN_LIST), (8, 1, IN_LIST)],
    ),
    (
        "after a checked task box",
        "Public text.\n\n* [x] ::: private\n  SECRET-M1 code\n  :::\n",
        &[(6, 1, IN_LIST), (8, 3, ORPHAN)],
    ),
    (
        "after a task checkbox in a quote, both lines",
        "Public text.\n\n> - [ ] ::: private\n>   SECRET-M1 code\n> - [ ] :::\n",
        &[
            (6, 1, "marker inside a blockquote"),
            (8, 1, "marker inside a blockquote"),
        ],
    ),
    (
        "in headings, both lines",
        "Public text.\n\n## ::: private\nSECRET-M1 code\n## :::\n",
        &[
            (6, 1, "marker inside a heading"),
            (8, 1, "marker inside a heading"),
        ],
    ),
    (
        "after a quote mark",
        "Public text.\n\n> ::: private\n> SECRET-M1 code\n> :::\n",
        &[
            (6, 1, "marker inside a blockquote"),
            (8, 1, "marker inside a blockquote"),
        ],
    ),
    (
        "after a footnote label",
        "Public text.[^n]\n\n[^n]: ::: private\n    SECRET-M1 code\n    :::\n",
        &[(6, 1, "marker inside a footnote"), (8, 5, ORPHAN)],
    ),
    (
        "orphan closing line",
        "Public text.\n\nIntro line.\nSECRET-M1 code\n:::\n",
        &[(8, 1, ORPHAN)],
    ),
    (
        "right opening, closed with four colons",
        "Public text.\n\n::: private\nSECRET-M1 code\n::::\n",
        &[(6, 1, "not closed"), (8, 1, NOT_A_MARKER)],
    ),
    (
        "right opening, closed with spaced colons",
        "Public text.\n\n::: private\nSECRET-M1 code\n: : :\n",
        &[(6, 1, "not closed"), (8, 1, NOT_A_MARKER)],
    ),
    (
        "right opening, closed with a word",
        "Public text.\n\n::: private\nSECRET-M1 code\n::: end\n",
        &[(6, 1, "not closed"), (8, 1, NOT_A_MARKER)],
    ),
    (
        "right opening, never closed",
        "Public text.\n\n::: private\nSECRET-M1 code\nMore text.\n",
        &[(6, 1, "not closed")],
    ),
    (
        "opened twice",
        "Public text.\n\n::: private\nSECRET-M1 code\n::: private\nSECRET-M1 more\n:::\n",
        &[(8, 1, "inside a private block")],
    ),
];

#[test]
fn almost_right_markers_fail_the_build_at_their_lines() {
    for (case, body, errors) in VARIANTS {
        let site = with_page(body);
        let expected: Vec<(String, &str)> =
            errors.iter().map(|(l, c, m)| (at(*l, *c), *m)).collect();
        let expected: Vec<(&str, &str)> = expected.iter().map(|(l, m)| (l.as_str(), *m)).collect();
        assert_fails_at(case, &site, &site.build(), &expected);
        // Fail closed in every build: the private build refuses them too.
        assert_fails_at(case, &site, &site.build_private(), &expected);
    }
}

#[test]
fn every_near_miss_of_a_page_is_reported_at_once() {
    let body = "Intro.\n\n:::private\nSECRET-M1 a\n\n::: PRIVATE\nSECRET-M1 b\n\n- ::: private\n";
    let site = with_page(body);
    assert_fails_at(
        "three near misses",
        &site,
        &site.build(),
        &[
            (&at(6, 1), NOT_A_MARKER),
            (&at(9, 1), NOT_A_MARKER),
            (&at(12, 1), IN_LIST),
        ],
    );
}

/// The right markers, wherever the design allows them, keep their blocks out
/// of the public build and show them, marked, in the private one.
#[test]
fn exact_markers_hide_their_blocks_and_the_private_build_shows_them() {
    for (case, body) in [
        ("top level", "Text.\n\n::: private\nSECRET-OK1 code\n:::\n"),
        (
            "indented",
            "Text.\n\n   ::: private\n   SECRET-OK1 code\n   :::\n",
        ),
        (
            "trailing spaces",
            "Text.\n\n::: private   \nSECRET-OK1 code\n:::  \n",
        ),
        (
            "in a list item",
            "- Step one.\n\n  ::: private\n  SECRET-OK1 code\n  :::\n- Step two.\n",
        ),
        (
            "in an ordered item",
            "1. Step one.\n\n   ::: private\n   SECRET-OK1 code\n   :::\n2. Step two.\n",
        ),
        (
            "indented, continuing a paragraph",
            "Text.\n    ::: private\n    SECRET-OK1 code\n    :::\n",
        ),
        (
            "indented, continuing an HTML block",
            "<div>\n    ::: private\n    SECRET-OK1 code\n    :::\n</div>\n\nAfter.\n",
        ),
        (
            "tight, after a paragraph",
            "Text.\n::: private\nSECRET-OK1 code\n:::\nMore text.\n",
        ),
    ] {
        let site = with_page(body);
        assert_clean_public(case, &site, &["SECRET-OK1"]);
        let public = site.main_of("public/guide/attack/index.html");
        assert!(!public.contains("private-block"), "{case}: {public}");
        assert_private_shows(case, &site, "guide/attack/index.html", &["SECRET-OK1 code"]);
    }
}

/// A page's text stays a page's text: near-miss checking does not touch
/// lines that merely mention colons or the word.
#[test]
fn lines_that_only_mention_markers_are_text() {
    let body =
        "Write `::: private` to open a block.\n\nTime: 10:30. Ratio 2:1.\n\n```\n:::private\n```\n";
    let site = with_page(body);
    site.build().assert_ok();
    let main = site.main_of("public/guide/attack/index.html");
    assert!(main.contains("<code>::: private</code>"), "{main}");
    assert!(main.contains(":::private\n</code></pre>"), "{main}");
}
