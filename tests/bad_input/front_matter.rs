//! Broken front matter: missing, unclosed, invalid YAML, tabs, wrong types,
//! unknown and duplicate keys. Each is an error at the right `path:line:col`,
//! and the previous output survives.

use crate::{Run, site};

const GUIDE: &str = "content/guide/bad.md";
const ENTRY: &str = "content/locks/acme/bad.md";

/// Adds `tests/bad_cases/files/<name>` as `dest` to a built `base` site; the next build must fail.
#[track_caller]
fn rejects(dest: &str, name: &str) -> Run {
    site("base").assert_breaks(|s| s.add(dest, name))
}

/// Writes `text` as `dest` into a built `base` site; the next build must fail.
#[track_caller]
fn rejects_text(dest: &str, text: &str) -> Run {
    site("base").assert_breaks(|s| s.write(dest, text))
}

// ---- no front matter -------------------------------------------------------

#[test]
fn empty_file_is_missing_front_matter() {
    rejects_text(GUIDE, "")
        .assert_errors(&[("content/guide/bad.md:1:1", &["missing front matter"])]);
}

#[test]
fn blank_file_is_missing_front_matter() {
    rejects_text(GUIDE, "\n\n  \n")
        .assert_errors(&[("content/guide/bad.md:1:1", &["missing front matter"])]);
}

#[test]
fn file_without_front_matter_is_an_error() {
    rejects(GUIDE, "no-front-matter.md")
        .assert_errors(&[("content/guide/bad.md:1:1", &["missing front matter"])]);
}

#[test]
fn unclosed_front_matter_is_an_error_at_its_opening_line() {
    rejects(GUIDE, "unclosed-front-matter.md")
        .assert_errors(&[("content/guide/bad.md:1:1", &["front matter is not closed"])]);
}

#[test]
fn second_front_matter_block_is_an_error_at_its_opening_line() {
    // Read as Markdown, the second block would publish `sensitive: true` as a heading.
    let text = "---\ntitle: Vault\nbrand: Acme\nmodel: V1\n---\n\n---\nsensitive: true\n---\nThe master code.\n";
    let run = rejects_text(ENTRY, text);
    run.assert_errors(&[(
        "content/locks/acme/bad.md:7:1",
        &["a second front matter block"],
    )]);
    assert!(
        run.stderr
            .contains("hint: merge its keys into the first block"),
        "{}",
        run.stderr
    );
}

#[test]
fn empty_front_matter_of_a_guide_page_lacks_its_title() {
    rejects_text(GUIDE, "---\n---\nBody.\n").assert_errors(&[(
        "content/guide/bad.md:1:1",
        &["missing required key 'title'"],
    )]);
}

// ---- invalid YAML ----------------------------------------------------------

#[test]
fn unclosed_flow_sequence_is_an_error_at_its_value() {
    // title: [a
    rejects(GUIDE, "yaml-unclosed-bracket.md")
        .assert_errors(&[("content/guide/bad.md:2:8", &["'title'"])]);
}

#[test]
fn unclosed_quote_is_an_error_at_its_value() {
    // description: "never closed
    rejects(GUIDE, "yaml-unclosed-quote.md")
        .assert_errors(&[("content/guide/bad.md:4:14", &["'description'", "quote"])]);
}

#[test]
fn second_colon_in_a_plain_value_is_an_error() {
    // description: a: b
    let run = rejects(GUIDE, "yaml-mapping-in-value.md");
    run.assert_errors(&[("content/guide/bad.md:4:15", &["'description'"])]);
    assert!(
        run.stderr
            .contains("\n  hint: put the value in quotes: description: \"a: b\"\n"),
        "{}",
        run.stderr
    );
}

#[test]
fn key_indented_under_a_scalar_is_an_error_on_its_line_or_the_one_before() {
    // weight: 2 / "  description: indented under a scalar"
    let run = rejects(GUIDE, "yaml-bad-indentation.md");
    let errors = run.errors();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    let (path, line, _) = crate::split_location(crate::location_of(errors[0]).unwrap());
    assert_eq!(path, GUIDE, "{}", run.stderr);
    assert!((3..=4).contains(&line), "{}", run.stderr);
}

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    // Nine levels of nine aliases: 9^9 strings if expanded.
    let mut yaml = String::from(
        "---\ntitle: Laughs\nextra:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 9].join(", ");
        yaml.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    yaml.push_str("---\nBody.\n");
    let run = rejects_text(GUIDE, &yaml);
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
    assert!(run.errors()[0].starts_with("content/guide/bad.md:"));
    assert!(run.elapsed.as_secs() < 30, "took {:?}", run.elapsed);
}

#[test]
fn deeply_nested_yaml_is_refused_cleanly() {
    let yaml = format!(
        "---\ntitle: Deep\nextra:\n  a: {}{}\n---\nBody.\n",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let run = rejects_text(GUIDE, &yaml);
    assert_eq!(run.errors().len(), 1, "{}", run.stderr);
    assert!(run.errors()[0].starts_with("content/guide/bad.md:4:"));
}

// ---- tabs ------------------------------------------------------------------

#[test]
fn tab_indenting_a_nested_key_is_an_error_on_its_line() {
    rejects_text(GUIDE, "---\ntitle: Tabs\nextra:\n\tnote: x\n---\nBody.\n").assert_error_on_line(
        GUIDE,
        4,
        &["tab"],
    );
}

#[test]
fn tab_indenting_a_top_level_key_is_an_error_on_the_tab_line() {
    // The tab is on line 3; pointing at line 2 (the value before it) misleads.
    rejects_text(GUIDE, "---\ntitle: Tabs\n\tweight: 1\n---\nBody.\n").assert_error_on_line(
        GUIDE,
        3,
        &["tab"],
    );
}

#[test]
fn tab_indenting_a_list_item_is_an_error_on_the_tab_line() {
    let text = "---\ntitle: Tabs\nbrand: Acme\nmodel: T1\ntools:\n  - screwdriver\n\t- pliers\n---\nBody.\n";
    rejects_text(ENTRY, text).assert_error_on_line(ENTRY, 7, &["tab"]);
}

#[test]
fn tab_indenting_a_key_is_reported_before_the_keys_it_hides() {
    // `\tbrand:` is not read as a key; "missing 'brand'" would hide the cause.
    let text = "---\ntitle: Tabs\n\tbrand: Acme\nmodel: T1\n---\nBody.\n";
    rejects_text(ENTRY, text).assert_errors(&[(
        "content/locks/acme/bad.md:3:1",
        &["tab used for indentation"],
    )]);
}

#[test]
fn tab_after_the_indentation_of_a_block_scalar_is_text() {
    let site = site("base");
    site.write(
        GUIDE,
        "---\ntitle: Tabs\ndescription: |\n  first\n  \tsecond\n---\nBody.\n",
    );
    site.build().assert_ok();
}

#[test]
fn tab_after_a_colon_is_allowed() {
    let site = site("base");
    site.write(GUIDE, "---\ntitle:\tTabbed value\n---\nBody.\n");
    site.build().assert_ok();
    assert!(
        site.read("public/guide/bad/index.html")
            .contains("Tabbed value")
    );
}

// ---- wrong types -----------------------------------------------------------

#[test]
fn list_as_title_is_an_error() {
    rejects(GUIDE, "wrong-type-title-list.md")
        .assert_errors(&[("content/guide/bad.md:2:8", &["'title'"])]);
}

#[test]
fn number_as_extra_is_an_error() {
    rejects(GUIDE, "wrong-type-extra-scalar.md")
        .assert_errors(&[("content/guide/bad.md:4:8", &["'extra'"])]);
}

#[test]
fn fractional_weight_is_an_error() {
    rejects(GUIDE, "wrong-type-weight-float.md")
        .assert_errors(&[("content/guide/bad.md:3:9", &["'weight'"])]);
}

#[test]
fn list_inside_tools_is_an_error_at_the_item() {
    rejects(ENTRY, "wrong-type-tools-nested.md")
        .assert_errors(&[("content/locks/acme/bad.md:7:5", &["'tools'"])]);
}

#[test]
fn text_as_revisions_is_an_error() {
    rejects(ENTRY, "wrong-type-revisions-string.md")
        .assert_errors(&[("content/locks/acme/bad.md:5:12", &["'revisions'"])]);
}

#[test]
fn number_as_sensitive_is_an_error() {
    rejects(ENTRY, "wrong-type-sensitive-number.md").assert_errors(&[(
        "content/locks/acme/bad.md:5:12",
        &["'sensitive'", "boolean"],
    )]);
}

#[test]
fn empty_title_value_is_an_error_in_plain_words() {
    let run = rejects(GUIDE, "null-title.md");
    run.assert_error_on_line(GUIDE, 2, &["'title'"]);
    assert!(
        !run.stderr.contains("Option<"),
        "the message speaks Rust:\n{}",
        run.stderr
    );
}

/// SPEC: "Dates are `YYYY-MM-DD`."
#[test]
fn basic_format_date_is_an_error() {
    // installed: 20240101
    rejects(ENTRY, "date-basic-format.md").assert_error_on_line(ENTRY, 5, &["'installed'"]);
}

#[test]
fn date_with_a_time_is_an_error() {
    // last_verified: 2026-01-05T10:00:00
    rejects(ENTRY, "date-with-time.md").assert_error_on_line(ENTRY, 5, &["'last_verified'"]);
}

#[test]
fn date_with_a_space_and_time_is_an_error() {
    // last_verified: 2026-01-05 10:00
    rejects(ENTRY, "date-with-space-time.md").assert_error_on_line(ENTRY, 5, &["'last_verified'"]);
}

#[test]
fn date_with_an_extended_year_is_an_error() {
    // installed: "+002024-01-01"
    rejects(ENTRY, "date-extended-year.md").assert_error_on_line(ENTRY, 5, &["'installed'"]);
}

// ---- unknown and duplicate keys --------------------------------------------

#[test]
fn sensitive_on_the_home_page_is_an_unknown_key() {
    rejects("content/_index.md", "unknown-key-home.md")
        .assert_errors(&[("content/_index.md:3:1", &["unknown key 'sensitive'"])]);
}

#[test]
fn quoted_unknown_key_is_an_error() {
    rejects(ENTRY, "unknown-key-quoted.md").assert_errors(&[(
        "content/locks/acme/bad.md:5:1",
        &["'sensitve'", "did you mean 'sensitive'"],
    )]);
}

#[test]
fn unknown_key_in_a_flow_mapping_is_an_error_at_the_key() {
    rejects(ENTRY, "unknown-key-flow.md").assert_errors(&[(
        "content/locks/acme/bad.md:2:47",
        &["'sensitve'", "did you mean 'sensitive'"],
    )]);
}

#[test]
fn unknown_key_in_a_revision_suggests_the_revision_key() {
    // `autor:` inside a revision: the closest key is the revision's `author`,
    // not a lock entry key.
    rejects(ENTRY, "unknown-key-revision.md").assert_errors(&[(
        "content/locks/acme/bad.md:8:5",
        &["'autor'", "did you mean 'author'"],
    )]);
}

#[test]
fn revision_without_a_note_is_an_error_at_the_revision() {
    // The second revision (line 8) has no note; line 1 and "in a lock entry" mislead.
    rejects(ENTRY, "missing-revision-note.md").assert_errors(&[(
        "content/locks/acme/bad.md:8:5",
        &["missing required key 'note' in a revision"],
    )]);
}

#[test]
fn revision_without_a_date_is_an_error_at_the_revision() {
    // The first revision (line 6) has only a note and an author.
    rejects(ENTRY, "missing-revision-date.md").assert_errors(&[(
        "content/locks/acme/bad.md:6:5",
        &["missing required key 'date' in a revision"],
    )]);
}

#[test]
fn every_problem_in_every_revision_is_reported_at_once() {
    let text = "---\ntitle: T\nbrand: Acme\nmodel: R1\nrevisions:\n  - {note: a, dat: 2026-01-05}\n  - date: 2026-02-05\n    nots: b\n---\nBody.\n";
    rejects_text(ENTRY, text).assert_errors(&[
        (
            "content/locks/acme/bad.md:6:5",
            &["missing required key 'date'"],
        ),
        (
            "content/locks/acme/bad.md:6:15",
            &["unknown key 'dat'", "did you mean 'date'"],
        ),
        (
            "content/locks/acme/bad.md:7:5",
            &["missing required key 'note'"],
        ),
        (
            "content/locks/acme/bad.md:8:5",
            &["unknown key 'nots'", "did you mean 'note'"],
        ),
    ]);
}

#[test]
fn duplicate_title_is_an_error_at_the_second_one() {
    let run = rejects(GUIDE, "duplicate-title.md");
    run.assert_errors(&[("content/guide/bad.md:4:1", &["'title'", "duplicate"])]);
    assert!(
        !run.stderr.contains("DuplicateKeyPolicy"),
        "the message speaks of the YAML library's options:\n{}",
        run.stderr
    );
}

#[test]
fn duplicate_sensitive_flag_is_an_error_and_publishes_nothing() {
    let site = site("base");
    site.assert_breaks(|s| s.add(ENTRY, "duplicate-sensitive.md"))
        .assert_errors(&[("content/locks/acme/bad.md:6:1", &["'sensitive'"])]);
    let private = site.build_private();
    private.assert_code(1);
    assert!(!site.exists("private"));
    assert!(crate::files_containing(&site.path("public"), "4482").is_empty());
}
