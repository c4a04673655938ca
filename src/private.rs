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
    let mut fence: Option<(char, usize)> = None;
    let mut open: Option<PrivateBlock> = None;
    for (i, line) in body.lines().enumerate() {
        let file_line = first_line + i;
        let trimmed = line.trim();
        if let Some((ch, len)) = fence {
            if is_fence_close(trimmed, ch, len) {
                fence = None;
            }
        } else if let Some(f) = fence_open(trimmed) {
            fence = Some(f);
        } else if trimmed == OPEN {
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
                out.push_marker(indent, PRIVATE_DIV_OPEN, file_line, true);
            } else {
                out.push_line("", file_line);
            }
            continue;
        } else if trimmed == CLOSE
            && let Some(block) = open.take()
        {
            out.blocks.push(block);
            if keep {
                let indent = &line[..line.len() - line.trim_start().len()];
                out.push_marker(indent, PRIVATE_DIV_CLOSE, file_line, false);
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

    /// Writes a marker `<div>` line; a blank line after an opening one (before a
    /// closing one) lets the Markdown between them be parsed as Markdown.
    fn push_marker(&mut self, indent: &str, html: &str, file_line: usize, opening: bool) {
        if !opening {
            self.push_line("", file_line);
        }
        let start = self.body.len();
        self.push_line(&format!("{indent}{html}"), file_line);
        self.markers.push(start..self.body.len());
        if opening {
            self.push_line("", file_line);
        }
    }
}

fn fence_open(trimmed: &str) -> Option<(char, usize)> {
    let ch = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|c| *c == ch).count();
    (len >= 3 && !(ch == '`' && trimmed[len..].contains('`'))).then_some((ch, len))
}

fn is_fence_close(trimmed: &str, ch: char, len: usize) -> bool {
    let n = trimmed.chars().take_while(|c| *c == ch).count();
    n >= len && trimmed[n * ch.len_utf8()..].trim().is_empty()
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
        assert!(p.body.contains("secret code 1234\n\n</div>\n"));
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
    fn stray_close_marker_is_text() {
        let p = preprocess("x", "a\n:::\n", 1, false).unwrap();
        assert_eq!(p.body, "a\n:::\n");
    }
}
