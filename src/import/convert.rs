//! One spreadsheet row → one entry: each cell converted into its field,
//! every problem a diagnostic at the cell that says what was wrong and what
//! the entry gets instead. A warning leaves the row importable; an error
//! (no brand, an unreadable `sensitive`) keeps it from being written.

use jiff::civil::Date;

use super::columns::Field;
use super::dates::{self, Format};
use crate::diag::Diagnostic;
use crate::frontmatter::{EntryMeta, Extra};
use crate::sheet;

/// A cell's place, for diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct At<'a> {
    pub file: &'a str,
    /// File line where the row starts.
    pub line: usize,
    /// The row as a spreadsheet numbers it (the header is row 1).
    pub row: usize,
}

/// A row's columns: (1-based column, header, field, cell).
pub type Cells<'a> = [(usize, &'a str, Field, &'a str)];

/// What a row makes, before its file is decided.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub meta: EntryMeta,
    pub body: String,
    /// The `file` column: the content path to write, when given.
    pub file: Option<String>,
    /// The title was not given: `{brand} {model}` made it.
    pub made_title: bool,
}

pub struct Settings<'a> {
    pub date_format: Option<&'a Format>,
    pub today: Date,
    /// The sheet has a `revisions` column: an empty one means none.
    pub has_revisions: bool,
    pub source_name: &'a str,
}

/// Converts one row; `Err` when it has an error (its diagnostics in `problems` too).
pub fn row(at: At, cells: &Cells, s: &Settings, problems: &mut Vec<Diagnostic>) -> Option<Row> {
    let mut e = EntryMeta::new("", "", "");
    let (mut steps, mut notes, mut body, mut file) = (vec![], None, None, None);
    let mut failed = false;
    for &(col, header, field, raw) in cells {
        let value = clean(raw, field);
        let warn = |problems: &mut Vec<Diagnostic>, what: String, instead: &str| {
            problems.push(cell_problem(at, col, header, what, instead, false));
        };
        if value.is_empty() {
            continue;
        }
        let text = Some(value.clone());
        match field {
            Field::Title => e.title = value,
            Field::Brand => e.brand = value,
            Field::Model => e.model = value,
            Field::LockType => e.lock_type = text,
            Field::Location => e.location = text,
            Field::Serial => e.serial = text,
            Field::Firmware => e.firmware = text,
            Field::EstimatedTime => e.estimated_time = text,
            Field::Manual => e.manual = text,
            Field::Slug => e.slug = text,
            Field::Description => e.description = text,
            Field::Installed | Field::LastVerified => match dates::parse(&value, s.date_format) {
                Ok(d) if field == Field::Installed => e.installed = Some(d),
                Ok(d) => e.last_verified = Some(d),
                Err(m) => warn(problems, m, "importing it empty"),
            },
            Field::Tools => e.tools = sheet::list_items(&value),
            Field::Audiences => e.audiences = sheet::list_items(&value),
            Field::Warnings => e.warnings = sheet::list_items(&value),
            Field::Contacts => match sheet::contacts(&value) {
                Ok(c) => e.contacts = c,
                Err(m) => warn(problems, m, "importing no contacts"),
            },
            Field::Revisions => match sheet::revisions(&value) {
                Ok(r) => e.revisions = r,
                Err(m) => warn(problems, m, "importing no revisions"),
            },
            Field::Extra => match serde_json::from_str::<Extra>(&value) {
                Ok(x) => e.extra = x,
                Err(err) => warn(
                    problems,
                    format!("not a JSON object: {err}"),
                    "importing it empty",
                ),
            },
            Field::Sensitive => match boolean(&value) {
                Some(b) => e.sensitive = b,
                None => {
                    failed = true;
                    problems.push(cell_problem(
                        at,
                        col,
                        header,
                        format!("'{value}' is not yes/no, true/false or 1/0"),
                        "the row is not imported: a sensitive flag is never guessed",
                        true,
                    ));
                }
            },
            Field::Steps => steps = sheet::list_items(&value),
            Field::Notes => notes = text,
            Field::Body => body = Some(raw.replace("\r\n", "\n")),
            Field::File => match content_path(&value) {
                Some(p) => file = Some(p),
                None => warn(
                    problems,
                    format!("'{value}' is not a path locks/…/NAME.md"),
                    "making the path from brand and model",
                ),
            },
            Field::Ignore => {}
        }
    }
    for (field, name) in [(Field::Brand, "brand"), (Field::Model, "model")] {
        let empty = if field == Field::Brand {
            &e.brand
        } else {
            &e.model
        };
        if empty.is_empty() {
            failed = true;
            let col = cells.iter().find(|c| c.2 == field).map_or(1, |c| c.0);
            let header = cells.iter().find(|c| c.2 == field).map_or(name, |c| c.1);
            problems.push(cell_problem(
                at,
                col,
                header,
                format!("no {name}"),
                "the row is not imported: an entry needs a brand and a model",
                true,
            ));
        }
    }
    if failed {
        return None;
    }
    let made_title = e.title.is_empty();
    if made_title {
        e.title = format!("{} {}", e.brand, e.model);
    }
    if e.revisions.is_empty() && !s.has_revisions {
        e.revisions = vec![crate::frontmatter::Revision {
            date: s.today,
            note: format!("Imported from {}, row {}", s.source_name, at.row),
            author: None,
        }];
    }
    let body = body.unwrap_or_else(|| made_body(&steps, notes.as_deref()));
    Some(Row {
        meta: e,
        body,
        file,
        made_title,
    })
}

/// A cell's text: the export's formula guard off, line ends `\n`, and for
/// every field but the body, spaces at the ends trimmed.
fn clean(raw: &str, field: Field) -> String {
    let v = sheet::unguard(raw).replace("\r\n", "\n");
    if field == Field::Body {
        v
    } else {
        v.trim().to_string()
    }
}

fn cell_problem(
    at: At,
    col: usize,
    header: &str,
    what: String,
    instead: &str,
    error: bool,
) -> Diagnostic {
    let message = format!("row {}, column '{header}': {what}; {instead}", at.row);
    if error {
        Diagnostic::error(at.file, at.line, col, message)
    } else {
        Diagnostic::warning(at.file, at.line, col, message)
    }
}

/// `sensitive`'s cell: yes/no, true/false, y/n, 1/0 (any case).
pub fn boolean(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" => Some(true),
        "no" | "n" | "false" | "0" | "" => Some(false),
        _ => None,
    }
}

/// `locks/a/b.md` (or `content/locks/a/b.md`, or `…/index.md`), normalized; else `None`.
fn content_path(v: &str) -> Option<String> {
    let v = v.replace('\\', "/");
    let v = v.strip_prefix("content/").unwrap_or(&v);
    let path = crate::links::normalize("", v)?;
    let ok = path.starts_with("locks/")
        && path.ends_with(".md")
        && path
            .split('/')
            .all(|p| !p.is_empty() && !p.starts_with(['.', '_']));
    ok.then_some(path)
}

/// The body from the steps (a numbered list, their own numbers taken off)
/// and the notes.
fn made_body(steps: &[String], notes: Option<&str>) -> String {
    let mut body = String::new();
    if !steps.is_empty() {
        body.push_str("## Reset procedure\n\n");
        for (i, step) in steps.iter().enumerate() {
            body.push_str(&format!("{}. {}\n", i + 1, unnumbered(step)));
        }
    }
    if let Some(n) = notes {
        if !body.is_empty() {
            body.push('\n');
        }
        body.push_str("## Notes\n\n");
        body.push_str(n);
        body.push('\n');
    }
    body
}

/// `3. Press`, `3) Press`, `Step 3: Press`, `- Press`, `• Press` → `Press`.
fn unnumbered(step: &str) -> &str {
    let s = step.trim();
    let lower = s.to_lowercase();
    let s = if lower.starts_with("step ") {
        &s[5..]
    } else {
        s
    };
    let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let rest = &s[digits..];
    let rest = if digits > 0 {
        match rest.strip_prefix(['.', ')', ':']) {
            Some(r) => r,
            None => return s,
        }
    } else {
        rest.strip_prefix(['-', '*', '•']).unwrap_or(rest)
    };
    let rest = rest.trim();
    if rest.is_empty() { s } else { rest }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_lose_their_own_numbers_and_become_a_numbered_list() {
        let steps: Vec<String> = [
            "1. Open",
            "2) Hold reset",
            "Step 3: Enter code",
            "- Close",
            "10 min wait",
        ]
        .map(String::from)
        .into();
        let body = made_body(&steps, Some("Battery is 9V."));
        assert_eq!(
            body,
            "## Reset procedure\n\n1. Open\n2. Hold reset\n3. Enter code\n4. Close\n5. 10 min wait\n\n## Notes\n\nBattery is 9V.\n"
        );
    }

    #[test]
    fn sensitive_cells_and_content_paths() {
        for (v, b) in [
            ("Yes", Some(true)),
            ("0", Some(false)),
            ("TRUE", Some(true)),
            ("maybe", None),
        ] {
            assert_eq!(boolean(v), b, "{v}");
        }
        assert_eq!(
            content_path("content/locks/a/b.md").as_deref(),
            Some("locks/a/b.md")
        );
        assert_eq!(content_path("locks/../x.md"), None);
        assert_eq!(content_path("guide/x.md"), None);
    }
}
