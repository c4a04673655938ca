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

/// The opening `<div>` of the page's `n`th private block (from 1): its id
/// `private-N` is what the entry template's "private details" link jumps to.
fn private_div_open(n: usize) -> String {
    format!(
        r#"<div class="private-block" id="private-{n}"><p class="private-label">Private — not in the public build</p>"#
    )
}
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
                let div = private_div_open(out.blocks.len() + 1);
                out.push_boundary(line, &div, file_line, keep);
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
        out.unindent_code_markers();
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

    /// A marker `<div>` line follows a blank line at its marker's indent. A
    /// marker indented 4 or more columns past its container's text is no
    /// code when it continues a paragraph or an HTML block, but the `<div>`
    /// after the blank line is: the block would be shown as code text, its
    /// `</div>` too, and the rest of the page inside it. Markdown, parsed as
    /// the renderer parses it, says which: those lines lose 4 columns of
    /// indent until they are HTML (still inside their container).
    fn unindent_code_markers(&mut self) {
        for _ in 0..8 {
            let indented = |m: &Range<usize>| indent_columns(&self.body[m.clone()]) >= 4;
            if !self.markers.iter().any(indented) {
                return;
            }
            let code = code_ranges(&self.body);
            let in_code =
                |m: &Range<usize>| code.iter().any(|r| m.start < r.end && r.start < m.end);
            if !self.markers.iter().any(in_code) {
                return;
            }
            let mut body = String::with_capacity(self.body.len());
            let mut markers = Vec::with_capacity(self.markers.len());
            let mut copied = 0;
            for m in &self.markers {
                body.push_str(&self.body[copied..m.start]);
                let line = &self.body[m.clone()];
                let start = body.len();
                if in_code(m) {
                    let text = line.trim_start_matches([' ', '\t']);
                    let columns = indent_columns(line);
                    body.push_str(&" ".repeat(columns.saturating_sub(4)));
                    body.push_str(text);
                } else {
                    body.push_str(line);
                }
                markers.push(start..body.len());
                copied = m.end;
            }
            body.push_str(&self.body[copied..]);
            self.body = body;
            self.markers = markers;
        }
    }
}

/// The columns of a line's indent (a tab goes to the next multiple of 4).
fn indent_columns(line: &str) -> usize {
    line.chars()
        .take_while(|c| matches!(c, ' ' | '\t'))
        .fold(0, |col, c| {
            if c == '\t' {
                col + 4 - col % 4
            } else {
                col + 1
            }
        })
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
    let (inner, mut container) = strip_containers(trimmed);
    if inner.starts_with('|') {
        container = container.or(Some("a table row"));
    }
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
    // Escapes, emphasis and table pipes before the colons hide nothing.
    let squeezed = squeezed.trim_start_matches(['\\', '*', '_', '~', '|']);
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
            // The line is not quoted: it may hold what its author meant to hide.
            message: "this line looks like a private block marker but is not exactly one"
                .to_string(),
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
        // A task list's checkbox is part of the item's marker (in a quote too).
        if found.is_some()
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

/// Byte ranges of `body`'s code blocks, as the renderer parses it.
fn code_ranges(body: &str) -> Vec<Range<usize>> {
    let parser = pulldown_cmark::Parser::new_ext(body, crate::markdown::options());
    parser
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::CodeBlock(_)) => Some(range),
            _ => None,
        })
        .collect()
}

/// For each line of `body`, whether Markdown, parsed exactly as the renderer
/// parses it, puts it in a code block (fenced or indented): markers there are text.
fn code_block_lines(body: &str) -> Vec<bool> {
    let ranges = code_ranges(body);
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
mod tests;
