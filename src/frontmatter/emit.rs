//! Writing front matter: the one place lockgen emits YAML (`init`, `new`
//! and `import` write pages through it).
//!
//! Every text is written as a double-quoted scalar, so nothing a person or
//! a spreadsheet types is ever read back as something else: `Door: east`,
//! `0042`, `yes`, `-5`, `#x`, `~`, leading spaces and line breaks all come
//! back as the same text through `frontmatter::parse`. Dates and booleans,
//! which lockgen has already checked, are written plain.

use std::fmt::Write;

use jiff::civil::Date;

use super::{Contact, EntryMeta, Revision};

/// `s` as a double-quoted YAML scalar.
pub fn scalar(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            // Other control characters, the byte order mark and the
            // line/paragraph separators YAML would fold or refuse.
            c if c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A whole page: `yaml` (as `entry` writes it) between `---` lines, then `body`.
pub fn page(yaml: &str, body: &str) -> String {
    let body = body.trim_start_matches('\n');
    if body.is_empty() {
        format!("---\n{yaml}---\n")
    } else {
        format!("---\n{yaml}---\n\n{body}")
    }
}

/// An entry's front matter with every key present, in the order of the
/// README's table; absent values are left empty (`lock_type:`), which reads
/// back as absent.
pub fn entry(e: &EntryMeta) -> String {
    let mut w = String::new();
    text(&mut w, "title", Some(&e.title));
    text(&mut w, "brand", Some(&e.brand));
    text(&mut w, "model", Some(&e.model));
    text(&mut w, "lock_type", e.lock_type.as_deref());
    text(&mut w, "location", e.location.as_deref());
    text(&mut w, "serial", e.serial.as_deref());
    text(&mut w, "firmware", e.firmware.as_deref());
    date(&mut w, "installed", e.installed);
    date(&mut w, "last_verified", e.last_verified);
    text(&mut w, "estimated_time", e.estimated_time.as_deref());
    list(&mut w, "tools", &e.tools);
    list(&mut w, "warnings", &e.warnings);
    contacts(&mut w, &e.contacts);
    text(&mut w, "manual", e.manual.as_deref());
    let _ = writeln!(w, "sensitive: {}", e.sensitive);
    list(&mut w, "audiences", &e.audiences);
    text(&mut w, "slug", e.slug.as_deref());
    text(&mut w, "description", e.description.as_deref());
    revisions(&mut w, &e.revisions);
    if e.extra.is_empty() {
        w.push_str("extra: {}\n");
    } else {
        // JSON is YAML: a flow mapping of double-quoted keys and texts.
        let json = serde_json::Value::Object(e.extra.clone());
        let _ = writeln!(w, "extra: {json}");
    }
    w
}

fn text(w: &mut String, key: &str, value: Option<&str>) {
    match value {
        Some(v) => {
            let _ = writeln!(w, "{key}: {}", scalar(v));
        }
        None => {
            let _ = writeln!(w, "{key}:");
        }
    }
}

fn date(w: &mut String, key: &str, value: Option<Date>) {
    match value {
        Some(d) => {
            let _ = writeln!(w, "{key}: {d}");
        }
        None => {
            let _ = writeln!(w, "{key}:");
        }
    }
}

fn list(w: &mut String, key: &str, items: &[String]) {
    if items.is_empty() {
        let _ = writeln!(w, "{key}: []");
        return;
    }
    let _ = writeln!(w, "{key}:");
    for item in items {
        let _ = writeln!(w, "  - {}", scalar(item));
    }
}

fn contacts(w: &mut String, contacts: &[Contact]) {
    if contacts.is_empty() {
        w.push_str("contacts: []\n");
        return;
    }
    w.push_str("contacts:\n");
    for c in contacts {
        let _ = writeln!(w, "  - name: {}", scalar(&c.name));
        for (key, value) in [
            ("role", &c.role),
            ("phone", &c.phone),
            ("email", &c.email),
            ("url", &c.url),
        ] {
            if let Some(v) = value {
                let _ = writeln!(w, "    {key}: {}", scalar(v));
            }
        }
    }
}

fn revisions(w: &mut String, revisions: &[Revision]) {
    if revisions.is_empty() {
        w.push_str("revisions: []\n");
        return;
    }
    w.push_str("revisions:\n");
    for r in revisions {
        let _ = writeln!(w, "  - date: {}", r.date);
        let _ = writeln!(w, "    note: {}", scalar(&r.note));
        if let Some(a) = &r.author {
            let _ = writeln!(w, "    author: {}", scalar(a));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Kind, Meta, parse};
    use super::*;
    use proptest::prelude::*;

    const AWKWARD: &[&str] = &[
        "Door: east",
        "0042",
        "yes",
        "no",
        "true",
        "~",
        "null",
        "-5",
        "- item",
        "#x",
        "a #b",
        "  padded  ",
        "'single'",
        "\"double\"",
        "back\\slash",
        "two\nlines",
        "tab\there",
        "Schloß Zürich — 東京",
        "{a: b}",
        "[1, 2]",
        "&anchor",
        "*alias",
        "!tag",
        "%directive",
        "@at",
        "`tick`",
        "| block",
        "> folded",
        "1e3",
        "0x1F",
        ".inf",
        "2026-01-02",
        "---",
        "...",
        "",
        "\u{7}bell",
        "\r\n",
    ];

    fn entry_of(yaml: &str) -> EntryMeta {
        match parse("x.md", Kind::Entry, yaml) {
            Ok(Meta::Entry(e)) => e,
            other => panic!("{yaml}\n{other:?}"),
        }
    }

    #[test]
    fn every_awkward_scalar_reads_back_identically() {
        for s in AWKWARD {
            let mut e = EntryMeta::new(&format!("T{s}"), "Acme", &format!("M{s}"));
            e.location = Some(s.to_string());
            e.tools = vec![s.to_string()];
            e.contacts = vec![Contact {
                name: format!("N{s}"),
                role: Some(s.to_string()),
                phone: Some(s.to_string()),
                email: None,
                url: None,
            }];
            assert_eq!(entry_of(&entry(&e)), e, "{s:?}");
        }
    }

    #[test]
    fn a_full_entry_reads_back_identically() {
        let mut e = EntryMeta::new("Front door: keypad", "Acme", "D-100");
        e.lock_type = Some("keypad".into());
        e.installed = Some(jiff::civil::date(2024, 2, 29));
        e.last_verified = Some(jiff::civil::date(2026, 1, 2));
        e.warnings = vec!["Wipes all codes".into()];
        e.sensitive = true;
        e.slug = Some("front".into());
        e.audiences = vec!["building-b".into(), "night-staff".into()];
        e.revisions = vec![Revision {
            date: jiff::civil::date(2026, 1, 2),
            note: "Imported: row 3".into(),
            author: Some("Jo".into()),
        }];
        e.manual = Some("https://example.org/m.pdf".into());
        e.extra
            .insert("code".into(), serde_json::Value::String("0042".into()));
        assert_eq!(entry_of(&entry(&e)), e);
    }

    #[test]
    fn absent_values_read_back_as_absent() {
        let e = EntryMeta::new("T", "B", "M");
        let yaml = entry(&e);
        assert!(yaml.contains("lock_type:\n") && yaml.contains("installed:\n"));
        assert_eq!(entry_of(&yaml), e);
    }

    proptest! {
        #[test]
        fn any_text_reads_back_identically(s in "\\PC*", t in any::<String>()) {
            let mut e = EntryMeta::new("T", "B", "M");
            e.location = Some(s.clone());
            e.description = Some(t.clone());
            prop_assert_eq!(entry_of(&entry(&e)), e);
        }
    }
}
