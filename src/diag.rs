//! Diagnostics: what went wrong, where, and what to do about it.
//!
//! Every stage returns its problems as `Diagnostic` values instead of printing
//! them; the CLI collects them for the whole run, sorts them by file and line
//! and prints them together as `path:line:col: message`.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path relative to the site root, with `/` separators.
    pub path: String,
    /// 1-based line; 0 when the problem is about the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub col: usize,
    pub message: String,
    pub hint: Option<String>,
    pub severity: Severity,
}

impl Diagnostic {
    pub fn error(
        path: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            col,
            message: message.into(),
            hint: None,
            severity: Severity::Error,
        }
    }

    pub fn warning(
        path: impl Into<String>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "",
            Severity::Warning => "warning: ",
        };
        // Line 0: about a file or folder as a whole (cannot read it), or, with
        // no path, about the output (cannot write): no made-up `:1:1`.
        match (self.path.as_str(), self.line) {
            ("", 0) if self.is_error() => write!(f, "error: {}", self.message)?,
            ("", 0) => write!(f, "{kind}{}", self.message)?,
            (path, 0) => write!(f, "{path}: {kind}{}", self.message)?,
            (path, line) => write!(
                f,
                "{path}:{line}:{}: {kind}{}",
                self.col.max(1),
                self.message
            )?,
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics by file, line and column, and drops exact duplicates.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| {
        (&a.path, a.line, a.col, &a.message).cmp(&(&b.path, b.line, b.col, &b.message))
    });
    diags.dedup();
}

/// The known name closest to `unknown`, if one is close enough to be a typo.
pub fn did_you_mean<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), *k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// Maps byte offsets of a text to 1-based (line, column) pairs.
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// 1-based line and column (in characters) of byte `offset` in `text`.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let col = text
            .get(start..offset.min(text.len()))
            .map_or(1, |s| s.chars().count() + 1);
        (line, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_has_path_line_col_and_hint() {
        let d = Diagnostic::error("content/a.md", 3, 7, "unknown key 'x'").with_hint("remove it");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:7: unknown key 'x'\n  hint: remove it"
        );
    }

    #[test]
    fn display_without_a_line_has_no_made_up_position() {
        let d = Diagnostic::error("content/a.md", 0, 0, "cannot read: Permission denied");
        assert_eq!(
            d.to_string(),
            "content/a.md: cannot read: Permission denied"
        );
        let d = Diagnostic::error("", 0, 0, "cannot write /x/public/a.html: File too large");
        assert_eq!(
            d.to_string(),
            "error: cannot write /x/public/a.html: File too large"
        );
    }

    #[test]
    fn warnings_are_labelled() {
        let d = Diagnostic::warning("content/a.md", 1, 1, "stale");
        assert_eq!(d.to_string(), "content/a.md:1:1: warning: stale");
    }

    #[test]
    fn suggestion_for_typo_only() {
        assert_eq!(
            did_you_mean("sensitve", &["title", "sensitive"]),
            Some("sensitive")
        );
        assert_eq!(did_you_mean("zzz", &["title", "sensitive"]), None);
    }

    #[test]
    fn line_index_positions() {
        let text = "ab\ncdé\nf";
        let idx = LineIndex::new(text);
        assert_eq!(idx.position(text, 0), (1, 1));
        assert_eq!(idx.position(text, 3), (2, 1));
        assert_eq!(idx.position(text, 7), (2, 4));
        assert_eq!(idx.position(text, 8), (3, 1));
    }

    #[test]
    fn sort_orders_by_file_then_line() {
        let mut v = vec![
            Diagnostic::error("b.md", 1, 1, "x"),
            Diagnostic::error("a.md", 9, 1, "y"),
            Diagnostic::error("a.md", 2, 1, "z"),
            Diagnostic::error("a.md", 2, 1, "z"),
        ];
        sort(&mut v);
        let order: Vec<_> = v.iter().map(|d| (d.path.as_str(), d.line)).collect();
        assert_eq!(order, [("a.md", 2), ("a.md", 9), ("b.md", 1)]);
    }
}
