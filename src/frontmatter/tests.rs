//! Unit tests of front matter splitting, key checks and typed parsing.

use super::*;

fn entry(yaml: &str) -> Result<Meta, Diagnostic> {
    parse("content/locks/a.md", Kind::Entry, yaml).map_err(|mut d| d.remove(0))
}

#[test]
fn split_finds_body_line() {
    let s = split("x", "---\ntitle: a\n---\nbody\n").unwrap();
    assert_eq!(s.yaml, "title: a\n");
    assert_eq!(s.body, "body\n");
    assert_eq!(s.body_line, 4);
}

#[test]
fn split_empty_body_and_empty_yaml() {
    let s = split("x", "---\n---").unwrap();
    assert_eq!((s.yaml, s.body, s.body_line), ("", "", 3));
}

#[test]
fn split_requires_front_matter() {
    assert!(
        split("x", "# title\n")
            .unwrap_err()
            .message
            .contains("missing front matter")
    );
    assert!(
        split("x", "---\ntitle: a\n")
            .unwrap_err()
            .message
            .contains("not closed")
    );
    assert!(split("x", "").is_err());
}

#[test]
fn second_front_matter_block_is_an_error_at_its_opening_line() {
    for (text, line) in [
        ("---\ntitle: a\n---\n---\nsensitive: true\n---\nbody\n", 4),
        (
            "---\ntitle: a\n---\n\n  \n---\nsensitive: true\n---\nbody\n",
            6,
        ),
        (
            "---\r\ntitle: a\r\n---\r\n\r\n--- \r\nsensitive: true\r\n",
            5,
        ),
        // Not closed: still not a body to publish.
        ("---\ntitle: a\n---\n---\nsensitive: true\n", 4),
    ] {
        let d = split("x", text).unwrap_err();
        assert_eq!((d.line, d.col), (line, 1), "{text:?}: {d}");
        assert_eq!(
            d.message, "a second front matter block: only the first one is read",
            "{text:?}"
        );
        assert!(
            d.hint
                .as_deref()
                .unwrap_or("")
                .starts_with("merge its keys"),
            "{d}"
        );
    }
    // A rule later in the body, or *** at its start, is Markdown.
    for text in [
        "---\ntitle: a\n---\ntext\n\n---\n",
        "---\ntitle: a\n---\n***\ntext\n",
        "---\ntitle: a\n---\n----\n",
    ] {
        assert!(split("x", text).is_ok(), "{text:?}");
    }
}

#[test]
fn entry_parses() {
    let m =
        entry("title: T\nbrand: B\nmodel: M\nlast_verified: 2025-01-02\ntools: [a, b]\n").unwrap();
    let Meta::Entry(e) = m else { panic!() };
    assert_eq!(e.last_verified, Some(jiff::civil::date(2025, 1, 2)));
    assert_eq!(e.tools, ["a", "b"]);
    assert!(!e.sensitive);
}

#[test]
fn typo_in_key_is_rejected_with_hint_and_file_line() {
    let d = entry("title: T\nbrand: B\nmodel: M\nsensitve: true\n").unwrap_err();
    assert_eq!(d.line, 5);
    assert!(d.message.contains("unknown key 'sensitve'"), "{d}");
    assert!(d.message.contains("did you mean 'sensitive'?"), "{d}");
}

#[test]
fn quoted_boolean_is_rejected() {
    let d = entry("title: T\nbrand: B\nmodel: M\nsensitive: \"yes\"\n").unwrap_err();
    assert_eq!((d.line, d.col), (5, 12));
    let d = entry("title: T\nbrand: B\nmodel: M\nsensitive: yes\n").unwrap_err();
    assert_eq!(d.line, 5);
}

#[test]
fn sensitive_takes_yaml_booleans_only() {
    for (value, found) in [
        ("\"true\"", "the text \"true\""),
        ("'false'", "the text \"false\""),
        // YAML 1.1 booleans are text in YAML 1.2: an error, never a silent false.
        ("yes", "the text \"yes\""),
        ("no", "the text \"no\""),
        ("on", "the text \"on\""),
        ("Off", "the text \"Off\""),
        ("1", "the number 1"),
        ("~", "an empty value"),
        ("null", "an empty value"),
        ("[true]", "a list"),
        ("{on: true}", "a mapping"),
    ] {
        let d = entry(&format!(
            "title: T\nbrand: B\nmodel: M\nsensitive: {value}\n"
        ))
        .unwrap_err();
        assert_eq!((d.line, d.col), (5, 12), "{value}: {d}");
        assert_eq!(
            d.message,
            format!("'sensitive': expected a boolean (true or false), found {found}"),
            "{value}"
        );
        assert_eq!(
            d.hint.as_deref(),
            Some("write sensitive: true or sensitive: false"),
            "{value}"
        );
    }
    let d = entry("title: T\nbrand: B\nmodel: M\nsensitive:\n").unwrap_err();
    assert!(d.message.ends_with("found an empty value"), "{d}");
    let d = parse("x", Kind::Guide, "title: T\nsensitive: \"true\"\n")
        .unwrap_err()
        .remove(0);
    assert_eq!(d.line, 3, "{d}");
    for (value, sensitive) in [
        ("true", true),
        ("True", true),
        ("TRUE", true),
        ("false", false),
        ("FALSE", false),
        ("!!bool true", true),
    ] {
        let Ok(Meta::Entry(e)) = entry(&format!(
            "title: T\nbrand: B\nmodel: M\nsensitive: {value}\n"
        )) else {
            panic!("{value} is a boolean")
        };
        assert_eq!(e.sensitive, sensitive, "{value}");
    }
}

#[test]
fn bad_date_is_rejected_at_its_line() {
    let d = entry("title: T\nbrand: B\nmodel: M\ninstalled: last week\n").unwrap_err();
    assert_eq!(d.line, 5);
    assert_eq!(
        d.hint.as_deref(),
        Some("dates are written YYYY-MM-DD, e.g. 2025-03-14")
    );
    assert!(entry("title: T\nbrand: B\nmodel: M\ninstalled: 2025-02-30\n").is_err());
}

#[test]
fn each_required_key_is_reported() {
    for (yaml, key) in [
        ("brand: B\nmodel: M\n", "title"),
        ("title: T\nmodel: M\n", "brand"),
        ("title: T\nbrand: B\n", "model"),
    ] {
        let d = entry(yaml).unwrap_err();
        assert!(
            d.message.contains(&format!("missing required key '{key}'")),
            "{d}"
        );
    }
    let d = entry("").unwrap_err();
    assert!(d.message.contains("missing required key"), "{d}");
}

#[test]
fn empty_required_value_is_rejected() {
    let d = entry("title: T\nbrand: \"\"\nmodel: M\n").unwrap_err();
    assert_eq!(d.line, 3);
}

#[test]
fn guide_keys_differ_from_entry_keys() {
    let d = parse("content/g.md", Kind::Guide, "title: T\nbrand: B\n")
        .unwrap_err()
        .remove(0);
    assert!(
        d.message.contains("unknown key 'brand' in a guide page"),
        "{d}"
    );
    assert!(parse("content/g.md", Kind::Guide, "title: T\nweight: 3\n").is_ok());
}

#[test]
fn extra_is_free_form() {
    let Meta::Entry(e) = entry("title: T\nbrand: B\nmodel: M\nextra:\n  a: [1, {b: c}]\n").unwrap()
    else {
        panic!()
    };
    assert_eq!(e.extra["a"][1]["b"], "c");
}

#[test]
fn revision_needs_date_and_note() {
    assert!(entry("title: T\nbrand: B\nmodel: M\nrevisions:\n  - note: x\n").is_err());
    assert!(
        entry("title: T\nbrand: B\nmodel: M\nrevisions:\n  - date: 2024-01-01\n    note: x\n")
            .is_ok()
    );
}

#[test]
fn every_unknown_and_missing_key_is_reported() {
    let d = parse(
        "x",
        Kind::Entry,
        "title: T\nsensitve: true\ninstaled: 2020-01-01\n",
    )
    .unwrap_err();
    let lines: Vec<_> = d
        .iter()
        .map(|d| {
            (
                d.line,
                d.message.split(' ').take(3).collect::<Vec<_>>().join(" "),
            )
        })
        .collect();
    assert_eq!(lines[0], (3, "unknown key 'sensitve'".to_string()));
    assert_eq!(lines[1], (4, "unknown key 'instaled'".to_string()));
    assert_eq!(d.len(), 4, "two unknown, brand and model missing: {d:?}");
}

/// (line, col, message) of every problem, in the order reported.
fn problems(kind: Kind, yaml: &str) -> Vec<(usize, usize, String)> {
    parse("x", kind, yaml)
        .unwrap_err()
        .into_iter()
        .map(|d| (d.line, d.col, d.message))
        .collect()
}

#[test]
fn a_missing_key_does_not_hide_a_syntax_error() {
    let found = problems(
        Kind::Entry,
        "title: T\nbrand: B\ndescription: \"never closed\n",
    );
    assert_eq!(
        found,
        [
            (1, 1, "missing required key 'model' in a lock entry".into()),
            (4, 14, "'description': unclosed quote".into()),
        ]
    );
}

#[test]
fn every_wrong_value_is_reported_at_its_line() {
    let found = problems(
        Kind::Entry,
        "title: T\nbrand: B\nmodel: M\ninstalled: 2024-13-01\nlast_verified: yesterday\nsensitive: yes\n",
    );
    let at: Vec<_> = found
        .iter()
        .map(|(l, c, m)| (*l, *c, m.split(':').next().unwrap_or("")))
        .collect();
    assert_eq!(
        at,
        [
            (5, 12, "'installed'"),
            (6, 16, "'last_verified'"),
            (7, 12, "'sensitive'")
        ],
        "{found:?}"
    );
}

#[test]
fn unknown_keys_duplicates_and_wrong_values_are_reported_together() {
    let found = problems(
        Kind::Guide,
        "title: T\nweight: heavy\ndescripton: x\ntitle: U\nsensitive: \"true\"\n",
    );
    let lines: Vec<_> = found.iter().map(|(l, _, m)| (*l, m.as_str())).collect();
    assert_eq!(
        lines,
        [
            (
                4,
                "unknown key 'descripton' in a guide page (did you mean 'description'?)"
            ),
            (3, "'weight': invalid i64"),
            (5, "duplicate key 'title'"),
            (
                6,
                "'sensitive': expected a boolean (true or false), found the text \"true\""
            ),
        ]
    );
}

#[test]
fn every_empty_required_text_is_reported() {
    for yaml in [
        "title: \"\"\nbrand: \" \"\nmodel: M\n",
        "title: \"\"\nbrand: \" \"\nmodel: M\nslug: [x]\n",
    ] {
        let found = problems(Kind::Entry, yaml);
        let empty: Vec<_> = found
            .iter()
            .filter(|(_, _, m)| m.ends_with("is empty"))
            .map(|(l, _, m)| (*l, m.as_str()))
            .collect();
        assert_eq!(
            empty,
            [(2, "'title' is empty"), (3, "'brand' is empty")],
            "{yaml:?}"
        );
    }
}

#[test]
fn every_tab_is_reported_and_only_the_tabs() {
    // The tabs hide `brand` and `model` from the line scan; those are not missing.
    let found = problems(
        Kind::Entry,
        "title: T\n\tbrand: B\n\tmodel: M\nweight: 1\ntools:\n  - a\n\t- b\n",
    );
    let at: Vec<_> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
    assert!(at.contains(&(3, 1)) && at.contains(&(8, 1)), "{found:?}");
    assert!(
        found
            .iter()
            .all(|(_, _, m)| m.starts_with("tab used for indentation")),
        "{found:?}"
    );
}

#[test]
fn an_alias_to_another_field_is_no_problem_of_its_field() {
    let found = problems(
        Kind::Entry,
        "title: T\nbrand: &b Acme\nmodel: *b\nsensitve: true\n",
    );
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 5);
    let found = problems(Kind::Entry, "title: T\nbrand: *nowhere\nmodel: M\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, 3, "{found:?}");
}

#[test]
fn revision_problems_and_other_fields_are_reported_together() {
    let found = problems(
        Kind::Entry,
        "title: T\nbrand: B\nmodel: M\ninstalled: soon\nrevisions:\n  - note: x\n    autor: y\n",
    );
    let lines: Vec<_> = found.iter().map(|(l, c, _)| (*l, *c)).collect();
    assert_eq!(lines, [(5, 12), (8, 5), (7, 5)], "{found:?}");
}

#[test]
fn type_errors_name_the_key() {
    let d = parse("x", Kind::Guide, "title: T\nweight: heavy\n")
        .unwrap_err()
        .remove(0);
    assert_eq!(d.line, 3);
    assert!(d.message.starts_with("'weight': "), "{d}");
    let d = entry("title: T\nbrand: B\nmodel: M\nrevisions:\n  - date: soon\n    note: x\n")
        .unwrap_err();
    assert!(d.message.starts_with("'revisions': "), "{d}");
}

#[test]
fn only_yyyy_mm_dd_dates() {
    for bad in [
        "20240101",
        "2026-01-05T10:00:00",
        "2026-01-05 10:00",
        "\"+002024-01-01\"",
        "2024-1-5",
    ] {
        let d = entry(&format!("title: T\nbrand: B\nmodel: M\ninstalled: {bad}\n")).unwrap_err();
        assert_eq!(d.line, 5, "{bad}: {d}");
        assert_eq!(
            d.hint.as_deref(),
            Some("dates are written YYYY-MM-DD, e.g. 2025-03-14"),
            "{bad}"
        );
    }
    let d = entry("title: T\nbrand: B\nmodel: M\nrevisions:\n  - date: 2024-02-30\n    note: x\n")
        .unwrap_err();
    assert!(d.message.contains("not a valid date"), "{d}");
}

#[test]
fn library_wording_is_translated() {
    let d = parse("x", Kind::Guide, "title: a\ntitle: b\n")
        .unwrap_err()
        .remove(0);
    assert_eq!((d.line, d.message.as_str()), (3, "duplicate key 'title'"));
}

#[test]
fn revision_problems_are_at_the_revision() {
    let d = parse(
        "x",
        Kind::Entry,
        "title: T\nbrand: B\nmodel: M\nrevisions:\n  - note: x\n    autor: y\n",
    )
    .unwrap_err();
    let found: Vec<_> = d
        .iter()
        .map(|d| (d.line, d.col, d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (
                7,
                5,
                "unknown key 'autor' in a revision (did you mean 'author'?)"
            ),
            (6, 5, "missing required key 'date' in a revision"),
        ]
    );
}

#[test]
fn revision_problems_before_a_later_error_still_name_the_revision() {
    // The duplicate key stops the lenient pass; the typed parse meets the revision first.
    let d = entry(
        "title: T\nbrand: B\nmodel: M\nrevisions:\n  - date: 2024-01-01\n    autor: y\ntitle: U\n",
    )
    .unwrap_err();
    assert!(d.message.contains("in a revision"), "{d}");
}

#[test]
fn tab_indentation_is_reported_at_the_tab() {
    for (yaml, line, col) in [
        ("title: T\n\tweight: 1\n", 3, 1),
        ("title: T\nextra:\n  a: 1\n \tb: 2\n", 5, 2),
        ("title: a\n  b\n\tc\n", 4, 1),
        ("title: |\n  a\n\tb\n", 4, 1),
        ("title: |\n\tb\n", 3, 1),
    ] {
        let d = parse("x", Kind::Guide, yaml).unwrap_err().remove(0);
        assert_eq!((d.line, d.col), (line, col), "{yaml:?}: {d}");
        assert!(d.message.starts_with("tab used for indentation"), "{d}");
    }
}

#[test]
fn tabs_the_yaml_parser_accepts_stay_valid() {
    for yaml in [
        "title:\tT\n",
        "title: |\n  \tindented text\n",
        "title: >\n  a\n  \tb\n",
        "title: T\n\t\n\t# comment\n",
        "title: T\nextra: {a: [b,\n\tc]}\n",
    ] {
        let result = parse("x", Kind::Guide, yaml);
        assert!(result.is_ok(), "{yaml:?}: {result:?}");
    }
}

#[test]
fn other_syntax_errors_ignore_later_tabs() {
    let d = parse("x", Kind::Guide, "title: [a\nweight: 1\nextra: |\n  \tx\n")
        .unwrap_err()
        .remove(0);
    assert!(!d.message.contains("tab"), "{d}");
}

#[test]
fn kind_of_path() {
    assert_eq!(Kind::of("_index.md"), Kind::Home);
    assert_eq!(Kind::of("locks/a/b.md"), Kind::Entry);
    assert_eq!(Kind::of("guide/x.md"), Kind::Guide);
    assert_eq!(Kind::of("about.md"), Kind::Guide);
}

#[test]
fn contacts_serial_firmware_and_manual_parse() {
    let yaml = "title: T\nbrand: B\nmodel: M\nserial: '0042'\nfirmware: 2.1.0\nmanual: m.pdf\n\
        contacts:\n  - name: Jo\n    role: installer\n    phone: +44 20 7946 0000\n  - name: Support\n    email: s@example.org\n";
    let Meta::Entry(e) = entry(yaml).unwrap() else {
        panic!()
    };
    assert_eq!(e.serial.as_deref(), Some("0042"));
    assert_eq!(e.firmware.as_deref(), Some("2.1.0"));
    assert_eq!(e.manual.as_deref(), Some("m.pdf"));
    assert_eq!(e.contacts.len(), 2);
    assert_eq!(e.contacts[0].phone.as_deref(), Some("+44 20 7946 0000"));
    assert_eq!(e.contacts[1].email.as_deref(), Some("s@example.org"));
}

#[test]
fn a_contact_key_typo_and_a_contact_without_name_are_errors_at_their_lines() {
    let yaml = "title: T\nbrand: B\nmodel: M\ncontacts:\n  - name: Jo\n    phon: 1\n";
    let p = problems(Kind::Entry, yaml);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0].0, 7);
    assert!(
        p[0].2
            .contains("unknown key 'phon' in a contact (did you mean 'phone'?)"),
        "{p:?}"
    );
    let yaml = "title: T\nbrand: B\nmodel: M\ncontacts:\n  - role: installer\n";
    let p = problems(Kind::Entry, yaml);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(
        p[0].2.contains("missing required key 'name' in a contact"),
        "{p:?}"
    );
    assert_eq!(p[0].0, 6, "{p:?}");
    let p = problems(Kind::Entry, "title: T\nbrand: B\nmodel: M\nserail: x\n");
    assert!(p[0].2.contains("did you mean 'serial'"), "{p:?}");
}
