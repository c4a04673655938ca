//! Private blocks: the lines between a line `::: private` and a line `:::`.
//!
//! Runs on the Markdown body before Markdown parsing. A public build blanks
//! the block's lines (so later line numbers stay right); a private build turns
//! the markers into a marked `<div>` around the block. Markers inside fenced
//! code are text. The result carries a map from its lines to file lines.

use std::ops::Range;

use crate::diag::Diagnostic;

pub const OPEN: &str = "::: private";
pub const CLOSE: &str = ":::";

const PRIVATE_DIV_OPEN: &str =
    r#"<div class="private-block"><p class="private-label">Private — not in the public build</p>"#;
const PRIVATE_DIV_CLOSE: &str = "</div>";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateBlock {
    /// File line of the opening `::: private`.
    pub line: usize,
    /// The block's lines, trimmed, without the markers.
    pub lines: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preprocessed {
    /// The body to hand to the Markdown stage.
    pub body: String,
    /// File line of each line of `body`.
    pub line_of: Vec<usize>,
    /// Byte ranges in `body` of the HTML lines this stage wrote (kept even when raw HTML is escaped).
    pub markers: Vec<Range<usize>>,
    /// Every private block found, whichever the build.
    pub blocks: Vec<PrivateBlock>,
}

/// Finds private blocks in `body` (whose first line is file line `first_line`).
/// With `keep` they are wrapped in a marked `<div>`, else blanked. Every line
/// outside code that looks like a marker but is not exactly one is an error,
/// and so is a `:::` that closes nothing: all of them are reported.
pub fn preprocess(
    path: &str,
    body: &str,
    first_line: usize,
    keep: bool,
) -> Result<Preprocessed, Vec<Diagnostic>> {
    let mut out = Preprocessed {
        body: String::with_capacity(body.len() + 128),
        line_of: Vec::new(),
        markers: Vec::new(),
        blocks: Vec::new(),
    };
    let kinds: Vec<Line> = body.lines().map(classify).collect();
    let in_code = if kinds.iter().all(|k| *k == Line::Text) {
        Vec::new()
    } else {
        code_block_lines(body)
    };
    let mut errors = Vec::new();
    let mut open: Option<PrivateBlock> = None;
    for (i, (line, kind)) in body.lines().zip(kinds).enumerate() {
        let file_line = first_line + i;
        let col = line.len() - line.trim_start().len() + 1;
        let kind = if in_code.get(i).copied().unwrap_or(false) {
            Line::Text
        } else {
            kind
        };
        match kind {
            Line::Wrong { message, hint } => {
                errors.push(Diagnostic::error(path, file_line, col, message).with_hint(hint));
                out.push_line("", file_line);
            }
            Line::Open => {
                if let Some(block) = &open {
                    errors.push(
                        Diagnostic::error(
                            path,
                            file_line,
                            col,
                            "private block inside a private block",
                        )
                        .with_hint(format!(
                            "close the block opened on line {} with a line ::: first",
                            block.line
                        )),
                    );
                }
                open = Some(PrivateBlock {
                    line: file_line,
                    lines: Vec::new(),
                });
                out.push_boundary(line, PRIVATE_DIV_OPEN, file_line, keep);
            }
            Line::Close => match open.take() {
                Some(block) => {
                    out.blocks.push(block);
                    out.push_boundary(line, PRIVATE_DIV_CLOSE, file_line, keep);
                }
                None => {
                    errors.push(
                        Diagnostic::error(path, file_line, col, "':::' closes no private block")
                            .with_hint("remove the line, or open the block above it with a line ::: private"),
                    );
                    out.push_line("", file_line);
                }
            },
            Line::Text => {
                if let Some(block) = &mut open {
                    let trimmed = line.trim();
                    if !trimmed.is_empty() {
                        block.lines.push(trimmed.to_string());
                    }
                    out.push_line(if keep { line } else { "" }, file_line);
                } else {
                    out.push_line(line, file_line);
                }
            }
        }
    }
    if let Some(block) = open {
        errors.push(
            Diagnostic::error(path, block.line, 1, "private block is not closed").with_hint(
                "end the block with a line ::: (fenced code inside it must be closed too)",
            ),
        );
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

impl Preprocessed {
    fn push_line(&mut self, line: &str, file_line: usize) {
        self.body.push_str(line);
        self.body.push('\n');
        self.line_of.push(file_line);
    }

    /// A marker line: the private build's `<div>` line (at the marker's
    /// indent), or a blank line in a public build.
    fn push_boundary(&mut self, line: &str, html: &str, file_line: usize, keep: bool) {
        if keep {
            let indent = &line[..line.len() - line.trim_start().len()];
            self.push_marker(indent, html, file_line);
        } else {
            self.push_line("", file_line);
        }
    }

    /// Writes a marker `<div>` line between blank lines, so that it is an HTML
    /// block of its own and the Markdown around it stays Markdown.
    fn push_marker(&mut self, indent: &str, html: &str, file_line: usize) {
        self.push_line("", file_line);
        let start = self.body.len();
        self.push_line(&format!("{indent}{html}"), file_line);
        self.markers.push(start..self.body.len());
        self.push_line("", file_line);
    }
}

/// What a line is to the scanner, before it is known whether it is code.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Line {
    Open,
    Close,
    Text,
    /// Looks like a marker but is not exactly one: fail closed.
    Wrong {
        message: String,
        hint: String,
    },
}

const EXACT: &str = "write exactly '::: private' to open a block and ':::' to close it (three colons, one space, lowercase), each on a line of its own";

/// Classifies one line: an exact marker, text, or a near miss.
fn classify(line: &str) -> Line {
    if line.is_ascii() && !line.contains(':') {
        return Line::Text;
    }
    let trimmed = line.trim();
    if trimmed == OPEN {
        return Line::Open;
    }
    if trimmed == CLOSE {
        return Line::Close;
    }
    let (inner, container) = strip_containers(trimmed);
    let squeezed: String = crate::reader::fold(inner)
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if matches!(c, '\u{2236}' | '\u{A789}' | '\u{02F8}' | '\u{05C3}') {
                ':'
            } else {
                c
            }
        })
        .collect();
    let squeezed = squeezed.trim_start_matches('\\');
    let name = squeezed.trim_start_matches(':');
    let colons = squeezed.len() - name.len();
    let looks = colons >= 3 || (colons >= 1 && name.starts_with("private"));
    if !looks {
        return Line::Text;
    }
    match container {
        Some(c) => Line::Wrong {
            message: format!("private block marker inside {c}"),
            hint: format!(
                "put the ::: private and ::: lines on lines of their own, outside {c}; in a list item, indent them to the item's text"
            ),
        },
        None => Line::Wrong {
            message: format!("'{trimmed}' is not a private block marker"),
            hint: EXACT.to_string(),
        },
    }
}

/// `text` without the blockquote, list-item (task checkbox included),
/// heading and footnote markers before it, and the first kind found.
fn strip_containers(text: &str) -> (&str, Option<&'static str>) {
    let mut s = text;
    let mut found = None;
    loop {
        let before = s;
        if let Some(rest) = s.strip_prefix('>') {
            s = rest.trim_start();
            found = found.or(Some("a blockquote"));
        }
        for bullet in ['-', '*', '+'] {
            if let Some(rest) = s
                .strip_prefix(bullet)
                .filter(|r| r.starts_with(char::is_whitespace))
            {
                s = rest.trim_start();
                found = found.or(Some("a list item"));
            }
        }
        let digits = s.chars().take_while(char::is_ascii_digit).count();
        if (1..=9).contains(&digits)
            && s[digits..].starts_with(['.', ')'])
            && s[digits + 1..].starts_with(char::is_whitespace)
        {
            s = s[digits + 1..].trim_start();
            found = found.or(Some("a list item"));
        }
        // A task list's checkbox is part of the item's marker.
        if found == Some("a list item")
            && let Some(rest) = ["[ ]", "[x]", "[X]"].iter().find_map(|b| s.strip_prefix(b))
            && rest.starts_with(char::is_whitespace)
        {
            s = rest.trim_start();
        }
        // An ATX heading holds one line of text: a marker there marks nothing.
        let hashes = s.chars().take_while(|&c| c == '#').count();
        if (1..=6).contains(&hashes) && s[hashes..].starts_with(char::is_whitespace) {
            s = s[hashes..].trim_start();
            found = found.or(Some("a heading"));
        }
        if s.starts_with("[^")
            && let Some(end) = s.find("]:")
        {
            s = s[end + 2..].trim_start();
            found = found.or(Some("a footnote"));
        }
        if s == before {
            return (s, found);
        }
    }
}

/// For each line of `body`, whether Markdown, parsed exactly as the renderer
/// parses it, puts it in a code block (fenced or indented): markers there are text.
fn code_block_lines(body: &str) -> Vec<bool> {
    let mut ranges = Vec::new();
    let parser = pulldown_cmark::Parser::new_ext(body, crate::markdown::options());
    for (event, range) in parser.into_offset_iter() {
        if let pulldown_cmark::Event::Start(pulldown_cmark::Tag::CodeBlock(_)) = event {
            ranges.push(range);
        }
    }
    // Code blocks come in document order and do not overlap: one sweep. A
    // line is code if any of it is: an indented code block (and a fence in
    // a list item or quote) starts after the line's indentation or marker.
    let mut out = Vec::new();
    let (mut offset, mut next) = (0, 0);
    for line in body.split_inclusive('\n') {
        while ranges.get(next).is_some_and(|r| r.end <= offset) {
            next += 1;
        }
        let end = offset + line.trim_end_matches('\n').len();
        out.push(
            ranges
                .get(next)
                .is_some_and(|r| r.start < end.max(offset + 1)),
        );
        offset += line.len();
    }
    out
}

#[cfg(test)]
mod tests {
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
        assert!(p.body.contains("<div class=\"private-block\">"));
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
        assert!(p.body.contains("  <div class=\"private-block\">"));
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
            "## ::: private\nsecret\n## :::\n",
            "::: private\nsecret\n::: end\n",
        ] {
            let d = preprocess("x", body, 1, false).unwrap_err();
            let first = 1 + body.lines().position(|l| l.contains([':', '：'])).unwrap();
            let last = body.lines().count();
            assert!(
                d.iter()
                    .any(|d| d.line == first
                        || (d.line == last && d.message.contains("not a private"))),
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
}
