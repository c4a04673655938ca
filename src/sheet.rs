//! An entry's fields as spreadsheet cells, both ways: what `export` writes
//! and `import` reads back, so an export imports as the same entries.
//!
//! - Lists (tools, warnings, contacts, revisions) are one item a line. On
//!   import, a cell without line breaks is also split on `;`; an export of a
//!   single item holding a `;` ends it with a line break to say it is one.
//! - A contact is `name | role | phone | email | url`; on import, a contact
//!   without `|` is split on `,` and its parts recognised (an `@` is an
//!   email, `http(s)://` a url, mostly digits a phone, then name and role).
//! - A revision is `YYYY-MM-DD | note | author`.
//! - Formula guard: a cell a spreadsheet would run as a formula (it starts,
//!   after any `'`, with `=`, `+`, `-`, `@`, a tab or a carriage return) is
//!   written with a `'` in front, and import takes that one `'` off again:
//!   `-5` is written `'-5`, `=SUM(A1)` as `'=SUM(A1)`, and both read back
//!   as they were.

use crate::frontmatter::{Contact, Revision};

/// Export's columns, in order; import knows each by this name.
pub const COLUMNS: &[&str] = &[
    "file",
    "title",
    "brand",
    "model",
    "lock_type",
    "location",
    "serial",
    "firmware",
    "installed",
    "last_verified",
    "estimated_time",
    "tools",
    "warnings",
    "contacts",
    "manual",
    "sensitive",
    "audiences",
    "slug",
    "description",
    "revisions",
    "extra",
    "body",
];

fn formula_start(s: &str) -> bool {
    s.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A cell as written to a CSV file: formula-like text guarded with a `'`.
pub fn guard(s: &str) -> String {
    if formula_start(s) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A cell as read from a CSV file: the export's guard taken off.
pub fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if formula_start(s) => rest,
        _ => s,
    }
}

/// One item a line; a single item holding `;` gets a final line break.
pub fn list_cell(items: &[String]) -> String {
    let mut s = items.join("\n");
    if items.len() == 1 && s.contains(';') {
        s.push('\n');
    }
    s
}

/// The items of a list cell: its lines, or without line breaks its `;` parts.
pub fn list_items(cell: &str) -> Vec<String> {
    let parts: Vec<&str> = if cell.contains('\n') {
        cell.lines().collect()
    } else {
        cell.split(';').collect()
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn contacts_cell(contacts: &[Contact]) -> String {
    let lines: Vec<String> = contacts
        .iter()
        .map(|c| {
            let o = |v: &Option<String>| v.clone().unwrap_or_default();
            format!(
                "{} | {} | {} | {} | {}",
                c.name,
                o(&c.role),
                o(&c.phone),
                o(&c.email),
                o(&c.url)
            )
        })
        .collect();
    list_cell(&lines)
}

/// The contacts of a cell; `Err` names an item that has nothing to call it by.
pub fn contacts(cell: &str) -> Result<Vec<Contact>, String> {
    list_items(cell).iter().map(|item| contact(item)).collect()
}

fn contact(item: &str) -> Result<Contact, String> {
    let some = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
    let parts: Vec<&str> = item.split('|').map(str::trim).collect();
    if parts.len() == 5 {
        return Ok(Contact {
            name: parts[0].to_string(),
            role: some(parts[1]),
            phone: some(parts[2]),
            email: some(parts[3]),
            url: some(parts[4]),
        })
        .and_then(|c| named(c, item));
    }
    let parts: Vec<&str> = if parts.len() > 1 {
        parts
    } else {
        item.split(',').map(str::trim).collect()
    };
    let mut c = Contact {
        name: String::new(),
        role: None,
        phone: None,
        email: None,
        url: None,
    };
    let mut words = Vec::new();
    for p in parts.into_iter().filter(|p| !p.is_empty()) {
        let digits = p.chars().filter(char::is_ascii_digit).count();
        let phone_like = p
            .chars()
            .all(|ch| ch.is_ascii_digit() || " +-().".contains(ch));
        if crate::url::is_web(p) && c.url.is_none() {
            c.url = some(p);
        } else if p.contains('@') && !p.contains(' ') && c.email.is_none() {
            c.email = some(p);
        } else if phone_like && digits >= 5 && c.phone.is_none() {
            c.phone = some(p);
        } else {
            words.push(p);
        }
    }
    let mut words = words.into_iter();
    c.name = words.next().unwrap_or_default().to_string();
    let rest: Vec<&str> = words.collect();
    c.role = some(&rest.join(", "));
    named(c, item)
}

/// A contact must have a name: its role, email, phone or url stands in for one.
fn named(mut c: Contact, item: &str) -> Result<Contact, String> {
    if c.name.is_empty() {
        c.name = c
            .role
            .take()
            .or_else(|| c.email.clone())
            .or_else(|| c.phone.clone())
            .or_else(|| c.url.clone())
            .ok_or_else(|| format!("contact '{item}' has no name, phone, email or url"))?;
    }
    Ok(c)
}

pub fn revisions_cell(revisions: &[Revision]) -> String {
    let lines: Vec<String> = revisions
        .iter()
        .map(|r| match &r.author {
            Some(a) => format!("{} | {} | {a}", r.date, r.note),
            None => format!("{} | {}", r.date, r.note),
        })
        .collect();
    list_cell(&lines)
}

/// The revisions of a cell, each `YYYY-MM-DD | note | author?`.
pub fn revisions(cell: &str) -> Result<Vec<Revision>, String> {
    list_items(cell)
        .iter()
        .map(|item| {
            let mut parts = item.splitn(3, '|').map(str::trim);
            let date = parts.next().unwrap_or_default();
            let date = crate::frontmatter::parse_date(date)
                .map_err(|e| format!("revision '{item}': {e}"))?;
            let note = parts.next().unwrap_or_default().to_string();
            if note.is_empty() {
                return Err(format!(
                    "revision '{item}' has no note (write DATE | note | author)"
                ));
            }
            let author = parts.next().map(str::to_string).filter(|a| !a.is_empty());
            Ok(Revision { date, note, author })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_formula_guard_reverses_exactly() {
        for s in [
            "-5", "=SUM(A1)", "+1", "@x", "\tx", "'=x", "''=x", "'abc", "0042", "",
        ] {
            let g = guard(s);
            assert!(!g.starts_with(['=', '+', '-', '@', '\t', '\r']), "{g:?}");
            assert_eq!(unguard(&g), s, "{s:?}");
        }
        assert_eq!(guard("-5"), "'-5");
        assert_eq!(unguard("=typed by hand"), "=typed by hand");
    }

    #[test]
    fn lists_split_on_lines_or_semicolons_and_round_trip() {
        assert_eq!(list_items("a; b ;;c"), ["a", "b", "c"]);
        assert_eq!(list_items("a; b\nc"), ["a; b", "c"]);
        for items in [vec!["one; two".to_string()], vec!["a".into(), "b;c".into()]] {
            assert_eq!(list_items(&list_cell(&items)), items);
        }
    }

    #[test]
    fn contacts_are_recognised_and_round_trip() {
        let c = contacts("Jo Smith, installer, +44 20 7946 0000, jo@x.org").unwrap();
        assert_eq!(c[0].name, "Jo Smith");
        assert_eq!(c[0].role.as_deref(), Some("installer"));
        assert_eq!(c[0].phone.as_deref(), Some("+44 20 7946 0000"));
        assert_eq!(c[0].email.as_deref(), Some("jo@x.org"));
        let c = contacts("0800 123 456\nhttps://help.example.org").unwrap();
        assert_eq!(c[0].name, "0800 123 456");
        assert_eq!(c[1].url.as_deref(), Some("https://help.example.org"));
        let all = contacts("A | r | 1 | a@b | https://x\nB |  |  |  | ").unwrap();
        assert_eq!(contacts(&contacts_cell(&all)).unwrap(), all);
    }

    #[test]
    fn revisions_round_trip_and_bad_ones_are_errors() {
        let r = revisions("2026-01-02 | Imported | Jo\n2025-01-01 | First").unwrap();
        assert_eq!(r[0].author.as_deref(), Some("Jo"));
        assert_eq!(revisions(&revisions_cell(&r)).unwrap(), r);
        assert!(revisions("2026-13-01 | x").is_err());
        assert!(revisions("2026-01-01").is_err());
    }
}
