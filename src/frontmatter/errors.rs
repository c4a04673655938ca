//! Diagnostics for front matter problems: the YAML library's errors
//! translated into lockgen's words, at file lines.

use serde::Deserialize;
use serde_saphyr::{ExternalMessageSource, Location};

use super::{
    A_CONTACT, A_REVISION, Block, CONTACT_KEYS, Kind, REVISION_KEYS, REVISION_REQUIRED,
    top_level_keys, yaml_options,
};
use crate::config::unknown_field;
use crate::diag::{Diagnostic, did_you_mean};

/// `unknown key 'x' in <owner>`, with the closest known key if one is close.
pub(super) fn unknown_key(
    path: &str,
    owner: &str,
    known: &[&str],
    key: &str,
    (line, col): (usize, usize),
) -> Diagnostic {
    let mut text = format!("unknown key '{key}' in {owner}");
    if let Some(k) = did_you_mean(key, known) {
        text.push_str(&format!(" (did you mean '{k}'?)"));
    }
    Diagnostic::error(path, line, col, text).with_hint(format!("known keys: {}", known.join(", ")))
}

pub(super) fn missing_key(
    path: &str,
    owner: &str,
    key: &str,
    (line, col): (usize, usize),
) -> Diagnostic {
    let hint = if owner == A_REVISION {
        format!(
            "add '{key}: …' to this revision (a revision has a date, a note and optionally an author)"
        )
    } else if owner == A_CONTACT {
        format!(
            "add '{key}: …' to this contact (a contact has a name, and optionally a role, phone, email and url)"
        )
    } else {
        format!("add '{key}: …' to the front matter")
    };
    Diagnostic::error(
        path,
        line,
        col,
        format!("missing required key '{key}' in {owner}"),
    )
    .with_hint(hint)
}

pub(super) fn duplicate_key(path: &str, key: &str, (line, col): (usize, usize)) -> Diagnostic {
    Diagnostic::error(path, line, col, format!("duplicate key '{key}'"))
        .with_hint("each key may appear once; remove one of them")
}

/// File line and column of a position in `block`; line 1 when unknown.
pub(super) fn file_position(block: Block, at: Option<Location>) -> (usize, usize) {
    let (line, col) = at.map_or((0, 0), |l| (l.line() as usize, l.column() as usize));
    if line == 0 {
        (1, col)
    } else {
        (block.file_line(line - 1), col)
    }
}

/// A tab used as indentation, when that is why the YAML parser failed.
///
/// serde-saphyr reports such a tab at the start of the value before it (often
/// the line before), so find the tab itself: the first line at or after the
/// error whose indentation holds a tab, when the parser's message speaks of a
/// tab, or the error's own line when it is indented with a tab. Tabs the
/// parser accepts (after `key:`, inside a block scalar's indented text) never
/// get here.
pub(super) fn tab_indentation(
    path: &str,
    block: Block,
    e: &serde_saphyr::Error,
) -> Option<Diagnostic> {
    let serde_saphyr::Error::ExternalMessage { source, msg, .. } = e.without_snippet() else {
        return None;
    };
    if !matches!(**source, ExternalMessageSource::Parser(_)) {
        return None;
    }
    let error_line = e.location().map_or(1, |l| (l.line() as usize).max(1));
    let tab_at = |text: &str| {
        let indent = &text[..text.len() - text.trim_start_matches([' ', '\t']).len()];
        let rest = &text[indent.len()..];
        let content = !rest.is_empty() && !rest.starts_with('#');
        indent.find('\t').filter(|_| content)
    };
    let about_tabs = msg
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.eq_ignore_ascii_case("tab") || w.eq_ignore_ascii_case("tabs"));
    let (index, col) = block
        .text
        .lines()
        .enumerate()
        .skip(error_line - 1)
        .take(if about_tabs { usize::MAX } else { 1 })
        .find_map(|(i, text)| tab_at(text).map(|col| (i, col + 1)))?;
    Some(
        Diagnostic::error(
            path,
            block.file_line(index),
            col,
            "tab used for indentation; YAML indents with spaces",
        )
        .with_hint("replace the tabs at the start of this line with spaces"),
    )
}

/// The typed parse's first error, and what kind of problem it is.
pub(super) struct TypedError {
    pub diag: Diagnostic,
    pub cause: Cause,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cause {
    /// A tab used as indentation.
    Tab,
    /// A missing or unknown key in a revision (the lenient pass reports
    /// those in full, at their places).
    RevisionKey,
    /// A required top-level key is missing: what a block holding only some
    /// of the keys always ends with, and the line scan reports anyway.
    MissingKey,
    /// Anything else: a wrong value or a YAML syntax error.
    Other,
}

/// Deserializes `block` as `T`, turning the first problem into a diagnostic.
pub(super) fn from_yaml<T: for<'de> Deserialize<'de>>(
    path: &str,
    kind: Kind,
    block: Block,
) -> Result<T, TypedError> {
    serde_saphyr::from_str_with_options(block.text, yaml_options()).map_err(|e| {
        let error = |diag, cause| TypedError { diag, cause };
        if let Some(tab) = tab_indentation(path, block, &e) {
            return error(tab, Cause::Tab);
        }
        let (line, col) = file_position(block, e.location());
        if let serde_saphyr::Error::SerdeMissingField { field, .. } = e.without_snippet() {
            // No page has a top-level `name`: only a contact requires one.
            return if *field == "name" {
                error(
                    missing_key(path, A_CONTACT, field, (line, col)),
                    Cause::Other,
                )
            } else if REVISION_REQUIRED.contains(field) {
                error(
                    missing_key(path, A_REVISION, field, (line, col)),
                    Cause::RevisionKey,
                )
            } else {
                error(
                    missing_key(path, kind.noun(), field, (1, 1)),
                    Cause::MissingKey,
                )
            };
        }
        if let serde_saphyr::Error::SerdeUnknownField {
            field, expected, ..
        } = e.without_snippet()
            && expected == REVISION_KEYS
        {
            let d = unknown_key(path, A_REVISION, REVISION_KEYS, field, (line, col));
            return error(d, Cause::RevisionKey);
        }
        if let serde_saphyr::Error::SerdeUnknownField {
            field, expected, ..
        } = e.without_snippet()
            && expected == CONTACT_KEYS
        {
            let d = unknown_key(path, A_CONTACT, CONTACT_KEYS, field, (line, col));
            return error(d, Cause::Other);
        }
        let key = top_level_keys(block)
            .and_then(|keys| keys.into_iter().rev().find(|(_, l)| *l <= line))
            .map(|(k, _)| k);
        let source = block
            .text
            .lines()
            .nth(line.saturating_sub(block.first_line));
        let d = yaml_diagnostic(
            path,
            kind,
            (line, col, source),
            &e.to_string(),
            key.as_deref(),
        );
        error(d, Cause::Other)
    })
}

/// The diagnostic for the YAML library's message `raw` at (`line`, `col`),
/// whose text is `source`, in the value of the top-level `key`.
fn yaml_diagnostic(
    path: &str,
    kind: Kind,
    (line, col, source): (usize, usize, Option<&str>),
    raw: &str,
    key: Option<&str>,
) -> Diagnostic {
    let message = strip_location(raw);
    if let Some(unknown) = unknown_field(message) {
        return unknown_key(path, kind.noun(), kind.keys(), unknown, (line, col));
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return missing_key(path, kind.noun(), key, (1, 1));
    }
    // Say what the YAML library means, not how to configure it.
    let message = if let Some(rest) = message.strip_prefix("duplicate mapping key: ") {
        let dup = rest.split(',').next().unwrap_or(rest).trim();
        return duplicate_key(path, dup, (line, col));
    } else if message.starts_with("cannot deserialize null into string") {
        "empty value where text is expected"
    } else if message.starts_with("invalid boolean") {
        "expected a boolean (true or false)"
    } else {
        message
    };
    // Booleans first: `sensitive: yesterday` is a wrong boolean, not a date.
    let hint = if message == "mapping values are not allowed in this context" {
        source.and_then(|text| quote_value(text, col))
    } else if message.contains("boolean") {
        Some(match key {
            Some(k) => format!("write {k}: true or {k}: false"),
            None => "write true or false, without quotes".to_string(),
        })
    } else if message.contains("date") || message.contains("year") || message.contains("day") {
        Some("dates are written YYYY-MM-DD, e.g. 2025-03-14".to_string())
    } else {
        None
    };
    let message = match key {
        Some(k) => format!("'{k}': {message}"),
        None => message.to_string(),
    };
    let d = Diagnostic::error(path, line, col, message);
    match hint {
        Some(h) => d.with_hint(h),
        None => d,
    }
}

/// For `title: Door: east`, with the second colon at `col`: "put the value in
/// quotes: title: \"Door: east\"". None when the colon at `col` is the line's
/// first (a continuation line, whose value began on a line before).
fn quote_value(text: &str, col: usize) -> Option<String> {
    let item = text.trim_start();
    let item = item.strip_prefix("- ").unwrap_or(item);
    let (key, value) = item.split_once(':')?;
    let key_colon = text.chars().count() - item.chars().count() + key.chars().count() + 1;
    if key_colon >= col {
        return None;
    }
    let value = value.trim();
    // A ` #` starts a comment, which stays outside the quotes.
    let value = value.find(" #").map_or(value, |i| value[..i].trim_end());
    // Single quotes keep `"` and `\` as they are; only `'` is doubled there.
    let quoted = if value.contains(['"', '\\']) {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    };
    Some(format!("put the value in quotes: {}: {quoted}", key.trim()))
}

/// serde-saphyr appends " at line N, column M" to messages; we print the position ourselves.
fn strip_location(message: &str) -> &str {
    let message = message.trim();
    match message.rfind(" at line ") {
        Some(i) if message[i..].contains(", column ") => &message[..i],
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Kind, parse};

    fn hint(yaml: &str) -> (usize, Option<String>) {
        let d = parse("x", Kind::Guide, yaml).unwrap_err().remove(0);
        (d.line, d.hint)
    }

    #[test]
    fn a_second_colon_gets_the_value_quoted_in_the_hint() {
        for (yaml, line, quoted) in [
            ("title: Door: east\n", 2, "title: \"Door: east\""),
            (
                "title: T\nweight: 1\ndescription: a: b # c\n",
                4,
                "description: \"a: b\"",
            ),
            (
                "title: T\nextra:\n  note: Back door: west\n",
                4,
                "note: \"Back door: west\"",
            ),
            ("title: Say \"hi\": now\n", 2, "title: 'Say \"hi\": now'"),
            ("title: C:\\x: it's\n", 2, "title: 'C:\\x: it''s'"),
        ] {
            let expected = format!("put the value in quotes: {quoted}");
            assert_eq!(hint(yaml), (line, Some(expected)), "{yaml:?}");
        }
    }

    #[test]
    fn a_colon_on_a_continuation_line_gets_no_quoting_hint() {
        assert_eq!(hint("title: a\n  b: c\n"), (3, None));
    }
}
