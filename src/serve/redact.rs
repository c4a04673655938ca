//! The public preview's overlay: a redacting view of the diagnostics.
//!
//! The overlay is in every page of the preview (the 404 page too), so it must
//! not show what the public build leaves out. The terminal and a `--private`
//! preview get the full messages. Rules, failing closed:
//! - a diagnostic on a file that is (or may be) sensitive keeps its
//!   `path:line:col` and says only `error in a sensitive page; see the terminal`;
//! - in any other diagnostic, every sensitive title, front matter value, old
//!   URL and private-block line (`Sensitive::secrets`, compared as a reader
//!   sees them, `reader::fold`) becomes `[sensitive]`, except inside the
//!   `content/…` paths it names;
//! - a message that names a sensitive file or a private-block line also has
//!   every quoted part replaced, whatever it quotes;
//! - when the secrets cannot be compiled, every message is the generic one.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::withhold::Sensitive;
use crate::diag::Diagnostic;
use crate::reader;

pub const REDACTED: &str = "[sensitive]";
pub const GENERIC: &str = "error in a sensitive page; see the terminal";

/// Secrets shorter than this are only redacted where they stand as a word.
const SUBSTRING_MIN: usize = 4;

/// The secrets in the reader's form, compiled.
struct Matcher {
    ac: AhoCorasick,
    folded: Vec<String>,
}

impl Matcher {
    fn new(secrets: &[String]) -> Result<Option<Matcher>, aho_corasick::BuildError> {
        let folded: Vec<String> = secrets
            .iter()
            .map(|s| reader::fold(s))
            .filter(|f| !f.is_empty())
            .collect();
        if folded.is_empty() {
            return Ok(None);
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&folded)?;
        Ok(Some(Matcher { ac, folded }))
    }

    /// Byte spans of `text` whose reader's form is a secret.
    fn spans(&self, text: &str) -> Vec<(usize, usize)> {
        let (folded, offsets) = reader::fold_with_offsets(text);
        let mut spans = Vec::new();
        for m in self.ac.find_overlapping_iter(&folded) {
            let short = self.folded[m.pattern().as_usize()].chars().count() < SUBSTRING_MIN;
            if short && !reader::stands_alone(&folded, m.start(), m.end()) {
                continue;
            }
            let (Some(&a), Some(&last)) = (offsets.get(m.start()), offsets.get(m.end() - 1)) else {
                continue;
            };
            let b = last
                + text
                    .get(last..)
                    .and_then(|t| t.chars().next())
                    .map_or(0, char::len_utf8);
            spans.push((a, b));
        }
        spans
    }
}

/// The diagnostics as a public preview's overlay shows them.
pub fn overlay(errors: &[Diagnostic], s: &Sensitive) -> Vec<Diagnostic> {
    let matcher = Matcher::new(&s.secrets);
    errors
        .iter()
        .map(|d| match &matcher {
            Ok(m) if !s.files.contains(&d.path) => Diagnostic {
                path: if d.path.starts_with("content/") {
                    d.path.clone()
                } else {
                    redact(&d.path, m.as_ref(), s)
                },
                message: redact(&d.message, m.as_ref(), s),
                hint: d.hint.as_deref().map(|h| redact(h, m.as_ref(), s)),
                ..d.clone()
            },
            _ => Diagnostic {
                message: GENERIC.to_string(),
                hint: None,
                ..d.clone()
            },
        })
        .collect()
}

/// `text` with secrets (and, where it names a sensitive file, quotes) replaced.
fn redact(text: &str, matcher: Option<&Matcher>, s: &Sensitive) -> String {
    let protected = content_paths(text);
    let free = |a: usize, b: usize| protected.iter().all(|&(p, q)| b <= p || q <= a);
    let mut spans: Vec<(usize, usize)> = matcher
        .map(|m| m.spans(text))
        .unwrap_or_default()
        .into_iter()
        .filter(|&(a, b)| free(a, b))
        .collect();
    let touchy =
        text.contains("private-block") || s.files.iter().any(|f| text.contains(f.as_str()));
    if touchy {
        spans.extend(quoted(text).into_iter().filter(|&(a, b)| free(a, b)));
    }
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (a, b) in spans {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (a, b) in merged {
        out.push_str(text.get(at..a).unwrap_or_default());
        out.push_str(REDACTED);
        at = b;
    }
    out.push_str(text.get(at..).unwrap_or_default());
    out
}

/// Byte spans of the `content/…` paths a message names, up to a space, quote or separator.
fn content_paths(text: &str) -> Vec<(usize, usize)> {
    let end = |c: char| c.is_whitespace() || matches!(c, ';' | ',' | ')' | '(' | '\'' | '"');
    text.match_indices("content/")
        .map(|(a, _)| {
            let b = text[a..].find(end).map_or(text.len(), |i| a + i);
            (a, b)
        })
        .collect()
}

/// Byte spans of quoted parts, quotes included: a quote not preceded by a
/// letter or digit up to the next one not followed by one (`'Bob's room'` is one part).
fn quoted(text: &str) -> Vec<(usize, usize)> {
    let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut spans = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let close = match c {
            '\'' => '\'',
            '"' => '"',
            '‘' => '’',
            '“' => '”',
            _ => {
                i += 1;
                continue;
            }
        };
        if word(i.checked_sub(1).map(|p| chars[p].1)) {
            i += 1;
            continue;
        }
        let end = (i + 1..chars.len())
            .find(|&j| chars[j].1 == close && !word(chars.get(j + 1).map(|x| x.1)));
        match end {
            Some(j) => {
                spans.push((start, chars[j].0 + close.len_utf8()));
                i = j + 1;
            }
            None => i += 1,
        }
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sensitive(files: &[&str], secrets: &[&str]) -> Sensitive {
        Sensitive {
            files: files.iter().map(|f| f.to_string()).collect(),
            secrets: secrets.iter().map(|f| f.to_string()).collect(),
            ..Sensitive::default()
        }
    }

    fn shown(d: Diagnostic, s: &Sensitive) -> String {
        overlay(&[d], s)[0].to_string()
    }

    #[test]
    fn a_sensitive_files_diagnostics_keep_only_their_place() {
        let s = sensitive(&["content/locks/x.md"], &["Server room master"]);
        let d = Diagnostic::error(
            "content/locks/x.md",
            4,
            12,
            "'installed': 'Server room master' is not a date written YYYY-MM-DD",
        )
        .with_hint("write it as 2024-01-31");
        assert_eq!(
            shown(d, &s),
            "content/locks/x.md:4:12: error in a sensitive page; see the terminal"
        );
    }

    #[test]
    fn other_diagnostics_lose_titles_values_and_quotes_about_sensitive_files() {
        let s = sensitive(&["content/locks/x.md"], &["Server room master", "B2"]);
        let d = Diagnostic::error(
            "content/guide/a.md",
            7,
            3,
            "public page mentions the title of sensitive page content/locks/x.md ('SERVER ROOM MASTER')",
        );
        assert_eq!(
            shown(d, &s),
            "content/guide/a.md:7:3: public page mentions the title of sensitive page content/locks/x.md ([sensitive])"
        );
        // Short secrets only as words; paths named in messages stay.
        let d = Diagnostic::error(
            "content/guide/a.md",
            1,
            1,
            "B2 or b2b, see content/locks/b2.md (the server room master)",
        );
        assert_eq!(
            shown(d, &s),
            "content/guide/a.md:1:1: [sensitive] or b2b, see content/locks/b2.md (the [sensitive])"
        );
    }

    #[test]
    fn secrets_match_as_a_reader_sees_them() {
        let s = sensitive(&[], &["Bob's  Vault"]);
        let d = Diagnostic::error("site.toml", 2, 1, "the text BOB\u{2019}S\nvault is here");
        assert_eq!(shown(d, &s), "site.toml:2:1: the text [sensitive] is here");
    }

    #[test]
    fn quotes_with_apostrophes_and_leaks_of_private_lines() {
        let s = sensitive(&["content/locks/x.md"], &[]);
        let d = Diagnostic::error(
            "content/guide/a.md",
            1,
            1,
            "links to content/locks/x.md ('Bob's room') and \"more\"",
        );
        assert_eq!(
            shown(d, &s),
            "content/guide/a.md:1:1: links to content/locks/x.md ([sensitive]) and [sensitive]"
        );
        let d = Diagnostic::error(
            "preview/index.html",
            1,
            1,
            "leak: the output contains the private-block line of content/guide/a.md ('code 1234')",
        );
        assert_eq!(
            shown(d, &s),
            "preview/index.html:1:1: leak: the output contains the private-block line of content/guide/a.md ([sensitive])"
        );
    }

    #[test]
    fn public_diagnostics_are_untouched() {
        let s = sensitive(&[], &[]);
        let d = Diagnostic::error(
            "content/a.md",
            3,
            1,
            "unknown key 'sensitve' (did you mean 'sensitive'?)",
        );
        assert_eq!(overlay(std::slice::from_ref(&d), &s), vec![d]);
    }
}
