//! Unit tests of the private-block scanner.
use super::*;

const BODY: &str = "a\n::: private\nsecret code 1234\n:::\nb\n";

#[test]
fn public_blanks_block_and_keeps_lines() {
    let p = preprocess("x", BODY, 10, false).unwrap();
    assert_eq!(p.body, "a\n\n\n\nb\n");
    assert_eq!(p.line_of, [10, 11, 12, 13, 14]);
    assert_eq!(
        p.blocks,
        [PrivateBlock {
            line: 11,
            lines: vec!["secret code 1234".into()]
        }]
    );
    assert!(p.markers.is_empty());
}

#[test]
fn private_wraps_block_in_marked_div() {
    let p = preprocess("x", BODY, 1, true).unwrap();
    assert!(
        p.body
            .contains("<div class=\"private-block\" id=\"private-1\">")
    );
    assert!(p.body.contains("secret code 1234\n\n</div>\n\n"));
    assert_eq!(p.markers.len(), 2);
    for m in &p.markers {
        assert!(p.body[m.clone()].contains("div"));
    }
    assert_eq!(p.line_of.len(), p.body.lines().count());
    assert_eq!(*p.line_of.last().unwrap(), 5);
}

#[test]
fn markers_inside_fenced_code_are_text() {
    let body = "```\n::: private\n:::\n```\n";
    let p = preprocess("x", body, 1, false).unwrap();
    assert_eq!(p.body, body);
    assert!(p.blocks.is_empty());
    let body = "~~~~\n::: private\n~~~\n:::\n~~~~\n";
    assert_eq!(preprocess("x", body, 1, false).unwrap().body, body);
}

#[test]
fn fence_inside_block_does_not_close_it() {
    let body = "::: private\n```\n:::\n```\nx\n:::\n";
    let p = preprocess("x", body, 1, false).unwrap();
    assert_eq!(p.body, "\n\n\n\n\n\n");
    assert_eq!(p.blocks[0].lines, ["```", ":::", "```", "x"]);
}

#[test]
fn unclosed_block_is_an_error_at_its_opening_line() {
    let d = preprocess("x", "a\n\n::: private\nb\n", 5, false).unwrap_err();
    assert_eq!(d[0].line, 7);
    assert!(d[0].message.contains("not closed"));
}

#[test]
fn nested_block_is_an_error() {
    let d = preprocess("x", "::: private\n::: private\n:::\n:::\n", 1, false).unwrap_err();
    assert_eq!(d[0].line, 2);
}

#[test]
fn indented_markers_in_lists_work() {
    let p = preprocess("x", "- a\n  ::: private\n  hidden\n  :::\n- b\n", 1, true).unwrap();
    assert!(
        p.body
            .contains("  <div class=\"private-block\" id=\"private-1\">")
    );
    assert_eq!(p.blocks[0].lines, ["hidden"]);
}

#[test]
fn code_as_commonmark_sees_it_decides_what_is_a_marker() {
    // An indented code block, a fence ended by its list item, a fence inside <pre>:
    // none of them hides the marker after it.
    for body in [
        "    ```\n\n::: private\nsecret\n:::\n",
        "- item\n  ```\n  code\n\nafter\n\n::: private\nsecret\n:::\n",
        "<pre>\n```\n</pre>\n\n::: private\nsecret\n:::\n",
    ] {
        let p = preprocess("x", body, 1, false).unwrap();
        assert!(!p.body.contains("secret"), "{body:?} -> {:?}", p.body);
        assert_eq!(p.blocks.len(), 1);
    }
}

#[test]
fn the_first_line_of_an_indented_code_block_is_code() {
    // pulldown-cmark starts an indented code block after its indentation,
    // mid-line: the line it starts on is code all the same.
    for body in [
        "a\n\n    ::: private\n    code\n    :::\n",
        "- item\n\n      ::: private\n      code\n      :::\n",
        "a\n\n\t::: private\n\tcode\n\t:::\n",
    ] {
        let p = preprocess("x", body, 1, false).unwrap();
        assert_eq!(p.body, body);
        assert!(p.blocks.is_empty(), "{body:?}");
    }
    // So a `:::` there does not end the block it is in (and publish the rest).
    let body =
        "::: private\nIntro\n\n    :::\n    SECRET\n\nx\n\n    ::: private\n    more\n\n:::\n";
    let p = preprocess("x", body, 1, false).unwrap();
    assert!(!p.body.contains("SECRET"), "{:?}", p.body);
    assert_eq!(p.blocks.len(), 1);
    // Lines right after code are not code.
    for body in [
        "    code\n::: private\nsecret\n:::\n",
        "```\ncode\n```\n::: private\nsecret\n:::\n",
        "- ```\n  code\n  ```\n::: private\nsecret\n:::\n",
    ] {
        let p = preprocess("x", body, 1, false).unwrap();
        assert!(!p.body.contains("secret"), "{body:?} -> {:?}", p.body);
    }
}

#[test]
fn marker_in_blockquote_is_an_error() {
    let d = preprocess("x", "a\n\n> ::: private\n> s\n> :::\n", 1, false).unwrap_err();
    assert_eq!(d[0].line, 3);
    assert!(d[0].message.contains("blockquote"));
}

#[test]
fn marker_divs_are_html_however_far_their_markers_are_indented() {
    // Markers continuing an HTML block, a paragraph, a list item's
    // paragraph: not code, so their `<div>` lines must not be either.
    for body in [
        "<div>\n    ::: private\n    hidden\n    :::\n</div>\n",
        "Text\n    ::: private\n    hidden\n    :::\n",
        "- item\n      ::: private\n      hidden\n      :::\n",
        "Text\n\t\t::: private\nhidden\n\t\t:::\n",
    ] {
        let p = preprocess("x", body, 1, true).unwrap();
        assert_eq!(p.markers.len(), 2);
        let code = code_ranges(&p.body);
        for m in &p.markers {
            assert!(p.body[m.clone()].contains("div"), "{body:?}: {:?}", p.body);
            assert!(
                !code.iter().any(|r| m.start < r.end && r.start < m.end),
                "{body:?}: a marker line is code in {:?}",
                p.body
            );
        }
        assert_eq!(p.line_of.len(), p.body.lines().count());
    }
    // In a list item, the lines stay inside the item.
    let p = preprocess(
        "x",
        "- item\n      ::: private\n      hidden\n      :::\n",
        1,
        true,
    )
    .unwrap();
    assert!(
        p.body
            .contains("\n  <div class=\"private-block\" id=\"private-1\">"),
        "{:?}",
        p.body
    );
}

#[test]
fn markdown_right_after_a_private_block_stays_markdown() {
    let p = preprocess("x", "::: private\nhidden\n:::\n**bold**\n", 1, true).unwrap();
    assert!(p.body.contains("</div>\n\n**bold**"), "{:?}", p.body);
}

#[test]
fn orphan_close_marker_is_an_error() {
    let d = preprocess("x", "a\n\n:::\n", 1, false).unwrap_err();
    assert_eq!((d[0].line, d[0].col), (3, 1));
    assert!(d[0].message.contains("closes no private block"));
}

#[test]
fn near_miss_markers_are_errors_in_any_container() {
    for body in [
        ":::private\nsecret\n:::\n",
        "::: Private\nsecret\n:::\n",
        "::: PRIVATE\nsecret\n:::\n",
        ":::  private\nsecret\n:::\n",
        ":::\tprivate\nsecret\n:::\n",
        ":::: private\nsecret\n::::\n",
        "::: secret\nsecret\n:::\n",
        ":: private\nsecret\n",
        "：：： private\nsecret\n",
        "\\::: private\nsecret\n",
        "- ::: private\n  secret\n  :::\n",
        "1. ::: private\n   secret\n   :::\n",
        "> ::: private\n> secret\n> :::\n",
        "x[^1]\n\n[^1]: ::: private\n",
        "- [ ] ::: private\n  secret\n- [x] :::\n",
        "- [X] ::: private\n",
        "> - [ ] ::: private\n> secret\n> - [x] :::\n",
        "1. > * [ ] ::: private\n",
        "## ::: private\nsecret\n## :::\n",
        "::: private\nsecret\n::: end\n",
    ] {
        let d = preprocess("x", body, 1, false).unwrap_err();
        let first = 1 + body.lines().position(|l| l.contains([':', '：'])).unwrap();
        let last = body.lines().count();
        assert!(
            d.iter()
                .any(|d| d.line == first
                    || (d.line == last && d.message.contains("not exactly one"))),
            "{body:?}: {d:?}"
        );
    }
}

#[test]
fn every_marker_problem_of_a_body_is_reported() {
    let d = preprocess("x", ":::private\na\n\n::: Private\nb\n", 1, false).unwrap_err();
    assert_eq!(d.len(), 2);
    assert_eq!((d[0].line, d[1].line), (1, 4));
}

#[test]
fn markers_in_footnotes_and_after_metadata_like_lines_are_markers() {
    // Indented footnote paragraphs and a `---` … `...` pair are text to the
    // renderer, so the scanner must see the markers there too.
    for body in [
        "x[^1]\n\n[^1]: first\n\n    ::: private\n    secret line\n    :::\n",
        "a\n\n---\ntitle: x\n...\n\n::: private\nsecret line\n:::\n",
    ] {
        let p = preprocess("x", body, 1, false).unwrap();
        assert!(!p.body.contains("secret"), "{body:?} -> {:?}", p.body);
        assert_eq!(p.blocks.len(), 1, "{body:?}");
    }
}

#[test]
fn each_block_of_a_page_gets_its_own_numbered_id() {
    let body = "::: private\none\n:::\n\ntext\n\n::: private\ntwo\n:::\n";
    let p = preprocess("x", body, 1, true).unwrap();
    assert!(p.body.contains("id=\"private-1\""), "{:?}", p.body);
    assert!(p.body.contains("id=\"private-2\""), "{:?}", p.body);
    let blank = preprocess("x", body, 1, false).unwrap();
    assert!(!blank.body.contains("private-"), "{:?}", blank.body);
}
