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
/// With `keep` they are wrapped in a marked `<div>`, else blanked.
pub fn preprocess(
    path: &str,
    body: &str,
    first_line: usize,
    keep: bool,
) -> Result<Preprocessed, Diagnostic> {
    let mut out = Preprocessed {
        body: String::with_capacity(body.len() + 128),
        line_of: Vec::new(),
        markers: Vec::new(),
        blocks: Vec::new(),
    };
    let in_code = code_block_lines(body);
    let mut open: Option<PrivateBlock> = None;
    for (i, line) in body.lines().enumerate() {
        let file_line = first_line + i;
        let trimmed = line.trim();
        let code = in_code.get(i).copied().unwrap_or(false);
        if !code && trimmed != OPEN && quoted_marker(trimmed) {
            return Err(Diagnostic::error(
                path,
                file_line,
                1,
                "private block marker inside a blockquote",
            )
            .with_hint("put the ::: private and ::: lines outside the blockquote, around it"));
        }
        if !code && trimmed == OPEN {
            if let Some(block) = &open {
                return Err(Diagnostic::error(
                    path,
                    file_line,
                    1,
                    "private block inside a private block",
                )
                .with_hint(format!(
                    "close the block opened on line {} with a line ::: first",
                    block.line
                )));
            }
            open = Some(PrivateBlock {
                line: file_line,
                lines: Vec::new(),
            });
            if keep {
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push_marker(indent, PRIVATE_DIV_OPEN, file_line);
            } else {
                out.push_line("", file_line);
            }
            continue;
        } else if !code
            && trimmed == CLOSE
            && let Some(block) = open.take()
        {
            out.blocks.push(block);
            if keep {
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push_marker(indent, PRIVATE_DIV_CLOSE, file_line);
            } else {
                out.push_line("", file_line);
            }
            continue;
        }
        if let Some(block) = &mut open {
            if !trimmed.is_empty() {
                block.lines.push(trimmed.to_string());
            }
            out.push_line(if keep { line } else { "" }, file_line);
        } else {
            out.push_line(line, file_line);
        }
    }
    if let Some(block) = open {
        return Err(
            Diagnostic::error(path, block.line, 1, "private block is not closed").with_hint(
                "end the block with a line ::: (fenced code inside it must be closed too)",
            ),
        );
    }
    Ok(out)
}

impl Preprocessed {
    fn push_line(&mut self, line: &str, file_line: usize) {
        self.body.push_str(line);
        self.body.push('\n');
        self.line_of.push(file_line);
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

/// For each line of `body`, whether CommonMark puts it in a code block
/// (fenced or indented): markers there are text. Bodies without `:::` skip the parse.
fn code_block_lines(body: &str) -> Vec<bool> {
    if !body.contains(":::") {
        return Vec::new();
    }
    let mut ranges = Vec::new();
    let parser = pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all());
    for (event, range) in parser.into_offset_iter() {
        if let pulldown_cmark::Event::Start(pulldown_cmark::Tag::CodeBlock(_)) = event {
            ranges.push(range);
        }
    }
    let mut out = Vec::new();
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        out.push(ranges.iter().any(|r| r.start <= offset && offset < r.end));
        offset += line.len();
    }
    out
}

/// A marker written inside a blockquote (`> ::: private`), which CommonMark would quote.
fn quoted_marker(trimmed: &str) -> bool {
    let unquoted = trimmed.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
    trimmed.starts_with('>') && (unquoted == OPEN || unquoted == CLOSE)
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
        assert_eq!(d.line, 7);
        assert!(d.message.contains("not closed"));
    }

    #[test]
    fn nested_block_is_an_error() {
        let d = preprocess("x", "::: private\n::: private\n:::\n:::\n", 1, false).unwrap_err();
        assert_eq!(d.line, 2);
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
    fn marker_in_blockquote_is_an_error() {
        let d = preprocess("x", "a\n\n> ::: private\n> s\n> :::\n", 1, false).unwrap_err();
        assert_eq!(d.line, 3);
    }

    #[test]
    fn markdown_right_after_a_private_block_stays_markdown() {
        let p = preprocess("x", "::: private\nhidden\n:::\n**bold**\n", 1, true).unwrap();
        assert!(p.body.contains("</div>\n\n**bold**"), "{:?}", p.body);
    }

    #[test]
    fn stray_close_marker_is_text() {
        let p = preprocess("x", "a\n:::\n", 1, false).unwrap();
        assert_eq!(p.body, "a\n:::\n");
    }
}
