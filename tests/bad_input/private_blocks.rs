//! Private blocks next to Markdown that only looks like a code fence, and
//! Markdown right after a block's closing line.
//!
//! lockgen finds private blocks line by line before Markdown parsing and
//! treats lines inside fenced code as text. Wherever its idea of "inside a
//! fence" differs from CommonMark's, a real private block is taken for code
//! text and published. Whatever the cause, a public build must either fail
//! naming the file or leave the block out.

use crate::{Site, files_containing, main_of, site};

const PAGE: &str = "content/guide/bad.md";

/// The public build of a `base` site with `file` added fails naming the
/// page, or succeeds without `secret`; the private build shows `secret`.
#[track_caller]
fn block_stays_private(file: &str, secret: &str) -> Site {
    let site = site("base");
    site.add(PAGE, file);
    let run = site.build();
    run.assert_ok_or_clean_error();
    if run.code() == Some(1) {
        run.assert_mentions(PAGE);
    }
    let hits = files_containing(&site.path("public"), secret);
    assert!(
        hits.is_empty(),
        "a private block of {file} was published in {hits:?}:\n{}",
        main_of(&site.read("public/guide/bad/index.html"))
    );
    site
}

#[test]
fn private_block_after_an_indented_code_block_holding_a_fence_line() {
    // "    ```" is an indented code block, not a fence: the block after it is real.
    block_stays_private("private-after-indented-fence.md", "SECRETLINE4401");
}

#[test]
fn private_block_after_a_fence_closed_by_the_end_of_its_list_item() {
    // CommonMark closes the list item's fence when the item ends.
    block_stays_private("private-after-list-fence.md", "SECRETLINE4402");
}

#[test]
fn private_block_after_a_fence_line_inside_an_html_block() {
    // "```" inside <pre>…</pre> (an HTML block, escaped as text) opens no fence.
    block_stays_private("private-after-html-pre.md", "SECRETLINE4403");
}

/// `> ::: private` is not a marker line, so lockgen sees no block: it must
/// not quietly publish what was meant to be private (an error is fine).
#[test]
fn private_marker_inside_a_blockquote_is_not_published_quietly() {
    block_stays_private("private-in-blockquote.md", "SECRETLINE4404");
}

/// Private builds: the line right after a closing `:::` is Markdown, as in
/// the public build (not swallowed into the block's HTML as literal text).
#[test]
fn markdown_right_after_a_private_block_renders_in_private_builds() {
    let site = site("base");
    site.add(PAGE, "private-then-markdown.md");
    site.build().assert_ok();
    site.build_private().assert_ok();
    for out in ["public", "private"] {
        let main = main_of(&site.read(&format!("{out}/guide/bad/index.html"))).to_string();
        for rendered in [
            "<strong>Bold text</strong>",
            "<em>Item text</em>",
            r#"href="/guide/intro/""#,
        ] {
            assert!(
                main.contains(rendered),
                "{out}: {rendered:?} missing:\n{main}"
            );
        }
        for raw in ["**Bold text**", "*Item text*", "](intro.md)"] {
            assert!(
                !main.contains(raw),
                "{out}: Markdown {raw:?} shown as text:\n{main}"
            );
        }
    }
    let private = main_of(&site.read("private/guide/bad/index.html")).to_string();
    assert!(private.contains("SECRETLINE4405") && private.contains("SECRETLINE4406"));
}

/// A broken link right after a private block is an error in every build.
#[test]
fn broken_link_right_after_a_private_block_fails_private_builds_too() {
    let site = site("base");
    site.add(PAGE, "private-then-broken-link.md");
    site.build()
        .assert_code(1)
        .assert_errors(&[("content/guide/bad.md:8:3", &["nope.md"])]);
    site.build_private()
        .assert_code(1)
        .assert_errors(&[("content/guide/bad.md:8:3", &["nope.md"])]);
    site.run("check", &["--private"])
        .assert_code(1)
        .assert_errors(&[("content/guide/bad.md:8:3", &["nope.md"])]);
    assert!(!site.exists("private"));
}
