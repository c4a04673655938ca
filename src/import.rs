//! `lockgen import FILE.csv`: one entry per spreadsheet row.
//!
//! In order:
//! 1. read the file: a byte order mark dropped; text that is not UTF-8 read
//!    as Windows-1252 (what Excel's plain "CSV" writes), with a warning;
//! 2. the separator: a tab for `.tsv`, else whichever of `,` `;` tab the
//!    header line holds most of (European Excel writes `;`);
//! 3. the header row: each column's field (`columns`); a column lockgen
//!    does not know is a warning, one that is nearly a known header
//!    (`Sensitve`) an error, since dropping it could publish a sensitive lock;
//! 4. each row (`convert`): blank rows skipped, a row equal to an earlier
//!    one skipped with a warning naming both;
//! 5. each entry's file, `content/locks/<brand>/<model>.md`; rows of one
//!    brand and model get their location in the name, and two rows still
//!    left with one file are an error naming both;
//! 6. a file that is there is skipped unless `force`; with `write`, the
//!    others are written (a dry run writes nothing).

mod columns;
mod convert;
pub mod dates;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diag::Diagnostic;
use crate::frontmatter::emit;
use crate::slug::slugify;
pub use columns::{Field, field_names, parse_map};
use convert::{At, Row, Settings};
use dates::Format;

pub struct Options {
    pub file: PathBuf,
    /// The site folder.
    pub root: PathBuf,
    pub write: bool,
    pub force: bool,
    pub maps: Vec<(String, Field)>,
    pub date_format: Option<Format>,
    pub today: Date,
}

/// One entry the import makes (or would make).
#[derive(Debug)]
pub struct Planned {
    pub row: usize,
    /// Path under the site folder: `content/locks/a/b.md`.
    pub rel: String,
    pub text: String,
    /// Skipped: the file is there and `force` was not given.
    pub exists: bool,
}

#[derive(Debug, Default)]
pub struct Report {
    pub planned: Vec<Planned>,
    pub problems: Vec<Diagnostic>,
    /// Rows skipped: duplicates and rows whose file is there.
    pub skipped: usize,
    /// Rows not imported because of an error.
    pub failed: usize,
    pub blank: usize,
}

impl Report {
    pub fn errors(&self) -> usize {
        self.problems.iter().filter(|d| d.is_error()).count()
    }
}

/// Imports `opts.file`; `Err` when the file as a whole cannot be imported.
pub fn run(opts: &Options) -> Result<Report, Vec<Diagnostic>> {
    let shown = opts.file.display().to_string();
    let whole = |m: String| vec![Diagnostic::error(&shown, 0, 0, m)];
    let bytes = std::fs::read(&opts.file).map_err(|e| whole(format!("cannot read: {e}")))?;
    let mut report = Report::default();
    let text = decode(&shown, bytes, &mut report.problems);
    let tsv = opts
        .file
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("tsv"));
    let sep = if tsv { b'\t' } else { separator(&text) };
    let records = read_records(&shown, &text, sep)?;
    let Some((header_line, header)) = records.iter().find(|(_, r)| !blank(r)) else {
        return Err(whole("no header row: the file is empty".into()));
    };
    let fields = header_fields(
        &shown,
        *header_line,
        header,
        &opts.maps,
        &mut report.problems,
    )?;
    let name = opts
        .file
        .file_name()
        .map_or(shown.clone(), |n| n.to_string_lossy().into_owned());
    let settings = Settings {
        date_format: opts.date_format.as_ref(),
        today: opts.today,
        has_revisions: fields.contains(&Field::Revisions),
        source_name: &name,
    };
    let mut rows = Vec::new();
    let mut seen: HashMap<Vec<String>, usize> = HashMap::new();
    let header_index = records.iter().position(|(_, r)| !blank(r)).unwrap_or(0);
    for (i, (line, record)) in records.iter().enumerate().skip(header_index + 1) {
        let at = At {
            file: &shown,
            line: *line,
            row: i + 1,
        };
        if blank(record) {
            report.blank += 1;
            continue;
        }
        let key: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
        if let Some(first) = seen.get(&key) {
            report.skipped += 1;
            report.problems.push(Diagnostic::warning(
                &shown,
                at.line,
                1,
                format!("row {} repeats row {first}: skipped", at.row),
            ));
            continue;
        }
        seen.insert(key, at.row);
        let extra = record
            .iter()
            .skip(header.len())
            .any(|c| !c.trim().is_empty());
        if extra {
            report.problems.push(
                Diagnostic::warning(
                    &shown,
                    at.line,
                    header.len() + 1,
                    format!(
                        "row {} has {} cells, the header {}: the cells past the last column are not imported",
                        at.row,
                        record.len(),
                        header.len()
                    ),
                )
                .with_hint("a cell holding the separator must be in double quotes"),
            );
        }
        let cells: Vec<(usize, &str, Field, &str)> = fields
            .iter()
            .enumerate()
            .filter_map(|(c, f)| {
                let cell = record.get(c).map_or("", String::as_str);
                Some((c + 1, header.get(c)?.as_str(), *f, cell))
            })
            .collect();
        match convert::row(at, &cells, &settings, &mut report.problems) {
            Some(r) => rows.push((at, r)),
            None => report.failed += 1,
        }
    }
    report.planned = plan_files(&opts.root, rows, opts.force, &mut report.problems);
    report.skipped += report.planned.iter().filter(|p| p.exists).count();
    if opts.write && report.errors() == 0 {
        write_all(&opts.root, &report.planned, opts.force)?;
    }
    Ok(report)
}

fn decode(shown: &str, bytes: Vec<u8>, problems: &mut Vec<Diagnostic>) -> String {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            problems.push(
                Diagnostic::warning(shown, 0, 0, "not UTF-8: read as Windows-1252").with_hint(
                    "if letters look wrong, save the sheet as \"CSV UTF-8\" and import again",
                ),
            );
            e.into_bytes().iter().map(|&b| windows_1252(b)).collect()
        }
    };
    text.strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text)
}

/// A byte of Windows-1252 text as a char (its 0x80–0x9F differ from Latin-1).
fn windows_1252(b: u8) -> char {
    const HIGH: &str = "€\u{81}‚ƒ„…†‡ˆ‰Š‹Œ\u{8d}Ž\u{8f}\u{90}‘’“”•–—˜™š›œ\u{9d}žŸ";
    match b {
        0x80..=0x9f => HIGH
            .chars()
            .nth(usize::from(b - 0x80))
            .unwrap_or('\u{fffd}'),
        _ => char::from(b),
    }
}

/// The separator the header line (outside quotes) holds most of; `,` on a tie.
fn separator(text: &str) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3)
        .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)))
        .unwrap_or(0);
    [b',', b';', b'\t'][best]
}

/// Every record with the file line it starts on.
fn read_records(
    shown: &str,
    text: &str,
    sep: u8,
) -> Result<Vec<(usize, Vec<String>)>, Vec<Diagnostic>> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sep)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            vec![Diagnostic::error(
                shown,
                line,
                1,
                format!("not readable as CSV: {e}"),
            )]
        })?;
        // The record's position can be the end of the line before it (its
        // line break, and empty lines, not yet read): start after them.
        let line = record.position().map_or(0, |p| {
            let bytes = text.as_bytes();
            let mut at = (p.byte() as usize).min(bytes.len());
            while bytes.get(at).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
                at += 1;
            }
            memchr::memchr_iter(b'\n', &bytes[..at]).count() + 1
        });
        out.push((line, record.iter().map(str::to_string).collect()));
    }
    Ok(out)
}

fn blank(record: &[String]) -> bool {
    record.iter().all(|c| c.trim().is_empty())
}

/// Each column's field. Unknown columns are warnings (their cells dropped),
/// near-misses and two columns for one field errors; a sheet without brand
/// or model columns cannot be imported.
fn header_fields(
    shown: &str,
    line: usize,
    header: &[String],
    maps: &[(String, Field)],
    problems: &mut Vec<Diagnostic>,
) -> Result<Vec<Field>, Vec<Diagnostic>> {
    let mut fields = Vec::new();
    let mut errors = Vec::new();
    let hint = |h: &str| {
        format!(
            "--map '{h}=FIELD' imports it (fields: {}), --map '{h}=ignore' drops it quietly",
            field_names().join(", ")
        )
    };
    for (i, h) in header.iter().enumerate() {
        let col = i + 1;
        let field = match columns::field_of(h, maps) {
            Ok(f) => f,
            Err(Some(near)) => {
                errors.push(
                    Diagnostic::error(
                        shown,
                        line,
                        col,
                        format!("unknown column '{h}' (did you mean '{near}'?)"),
                    )
                    .with_hint(hint(h)),
                );
                Field::Ignore
            }
            Err(None) if h.trim().is_empty() => Field::Ignore,
            Err(None) => {
                problems.push(
                    Diagnostic::warning(
                        shown,
                        line,
                        col,
                        format!("unknown column '{h}': not imported"),
                    )
                    .with_hint(hint(h)),
                );
                Field::Ignore
            }
        };
        if field != Field::Ignore && fields.contains(&field) {
            errors.push(
                Diagnostic::error(
                    shown,
                    line,
                    col,
                    format!("column '{h}' fills the same field as an earlier column"),
                )
                .with_hint(hint(h)),
            );
        }
        fields.push(field);
    }
    for (field, name) in [(Field::Brand, "brand"), (Field::Model, "model")] {
        if !fields.contains(&field) {
            errors.push(
                Diagnostic::error(shown, line, 1, format!("no {name} column")).with_hint(format!(
                    "name a column '{name}', or --map 'Your Header={name}'"
                )),
            );
        }
    }
    if errors.is_empty() {
        Ok(fields)
    } else {
        errors.append(problems);
        Err(errors)
    }
}

/// Each row's file: from its `file` cell, else brand and model, with the
/// location added for rows that share a brand and model.
fn plan_files(
    root: &Path,
    rows: Vec<(At, Row)>,
    force: bool,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Planned> {
    let base = |r: &Row| {
        format!(
            "locks/{}/{}",
            slugify(&r.meta.brand),
            slugify(&r.meta.model)
        )
    };
    let mut shared: HashMap<String, usize> = HashMap::new();
    for (_, r) in rows.iter().filter(|(_, r)| r.file.is_none()) {
        *shared.entry(base(r)).or_default() += 1;
    }
    let mut taken: HashMap<String, usize> = HashMap::new();
    let mut planned = Vec::new();
    for (at, mut r) in rows {
        let rel = match &r.file {
            Some(f) => format!("content/{f}"),
            None if shared.get(&base(&r)).copied().unwrap_or(0) > 1 => {
                let place = r.meta.location.as_deref().map(slugify).unwrap_or_default();
                if r.made_title
                    && let Some(last) = r
                        .meta
                        .location
                        .as_deref()
                        .and_then(|l| l.rsplit('/').next())
                {
                    r.meta.title = format!("{} ({})", r.meta.title, last.trim());
                }
                if place.is_empty() {
                    format!("content/{}.md", base(&r))
                } else {
                    format!("content/{}-{place}.md", base(&r))
                }
            }
            None => format!("content/{}.md", base(&r)),
        };
        let key = rel.to_lowercase();
        if let Some(first) = taken.get(&key) {
            problems.push(
                Diagnostic::error(
                    at.file,
                    at.line,
                    1,
                    format!(
                        "row {} makes {rel}, as row {first} does: not imported",
                        at.row
                    ),
                )
                .with_hint(
                    "give the rows different locations, or a 'file' column naming each row's file",
                ),
            );
            continue;
        }
        taken.insert(key, at.row);
        let exists = other_form(&rel).iter().any(|p| root.join(p).exists());
        if exists && !force {
            problems.push(
                Diagnostic::warning(
                    at.file,
                    at.line,
                    1,
                    format!("row {}: {rel} is there already: skipped", at.row),
                )
                .with_hint("lockgen import never overwrites a file unless --force"),
            );
        }
        let text = emit::page(&emit::entry(&r.meta), &r.body);
        planned.push(Planned {
            row: at.row,
            rel,
            text,
            exists: exists && !force,
        });
    }
    planned
}

/// The entry's file and, for the URL it would take, the other form (bundle or not).
fn other_form(rel: &str) -> [String; 2] {
    match rel.strip_suffix("/index.md") {
        Some(stem) => [rel.to_string(), format!("{stem}.md")],
        None => [
            rel.to_string(),
            format!("{}/index.md", rel.trim_end_matches(".md")),
        ],
    }
}

fn write_all(root: &Path, planned: &[Planned], force: bool) -> Result<(), Vec<Diagnostic>> {
    for p in planned.iter().filter(|p| !p.exists) {
        let path = root.join(&p.rel);
        let bundle = other_form(&p.rel)[1].clone();
        // With --force, a bundle that is there is replaced in its own form.
        let path = if force
            && !path.exists()
            && root.join(&bundle).exists()
            && !p.rel.ends_with("/index.md")
        {
            root.join(bundle)
        } else {
            path
        };
        let result = if force {
            path.parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&path, &p.text))
        } else {
            crate::init::create_new(&path, &p.text)
        };
        result.map_err(|e| {
            vec![Diagnostic::error(
                &p.rel,
                0,
                0,
                format!("cannot write: {e}"),
            )]
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_the_header_lines_most_common_one() {
        assert_eq!(separator("a;b;c\n1,2;3"), b';');
        assert_eq!(separator("\"a;b\",c\n"), b',');
        assert_eq!(separator("a\tb\n"), b'\t');
        assert_eq!(separator("a\n"), b',');
    }

    #[test]
    fn windows_1252_bytes_are_read_as_their_letters() {
        assert_eq!(windows_1252(0x80), '€');
        assert_eq!(windows_1252(0xe9), 'é');
        assert_eq!(windows_1252(0x9f), 'Ÿ');
    }
}
