//! `lockgen import` and `lockgen export` (issue #14): a messy spreadsheet,
//! checked row by row; errors that write nothing; export → import → export.

use crate::{Run, Site, files_containing, generated, lockgen_in, site, snapshot};

/// `lockgen <args>` run in the site's folder, so file names are as a person types them.
fn here(site: &Site, args: &[&str]) -> Run {
    lockgen_in(&site.root, args)
}

/// `import-messy/locks.csv`, as European Excel saves it: a byte order mark,
/// `;` separators, CRLF, quoted cells with line breaks, a blank row, a row
/// that repeats row 2, a day that does not exist, a column lockgen does not
/// know (Colour), a title with a colon, a serial with leading zeros, two
/// locks of one model, and a sensitive one.
#[test]
fn a_messy_spreadsheet_dry_run_reports_every_row_problem_and_writes_nothing() {
    let site = site("import-messy");
    let before = snapshot(&site.root);
    let run = here(&site, &["import", "locks.csv"]);
    run.assert_ok();
    let want = [
        "locks.csv:1:12: warning: unknown column 'Colour': not imported",
        "locks.csv:6:7: warning: row 4, column 'Last verified': '31.02.2026' is not a valid date",
        "locks.csv:9:1: warning: row 6 repeats row 2: skipped",
    ];
    let diags = run.diagnostics();
    assert_eq!(diags.len(), want.len(), "{}", run.stderr);
    for (got, want) in diags.iter().zip(want) {
        assert!(got.starts_with(want), "{got}\n  wanted: {want}");
    }
    assert!(diags[1].ends_with("importing it empty"), "{}", diags[1]);
    assert!(
        run.stderr.contains("--map 'Colour=FIELD'"),
        "{}",
        run.stderr
    );
    for line in [
        "would create content/locks/acme/d-100.md (row 2)",
        "would create content/locks/acme/nv-200-building-b-floor-2-bin-store.md (row 4)",
        "would create content/locks/acme/nv-200-building-b-floor-1-office.md (row 5)",
        "would create content/locks/tarnwell/td-210.md (row 7)",
        "0 created, 1 skipped, 0 errors (0 rows not imported, 1 blank rows); dry run",
    ] {
        assert!(run.stderr.contains(line), "{line} missing:\n{}", run.stderr);
    }
    assert!(snapshot(&site.root) == before, "a dry run wrote files");
}

#[test]
fn a_messy_spreadsheet_imports_row_by_row_and_builds() {
    let site = site("import-messy");
    let run = here(&site, &["import", "locks.csv", "--write"]);
    run.assert_ok();
    assert!(
        run.stderr.contains("4 created, 1 skipped, 0 errors"),
        "{}",
        run.stderr
    );
    // Row 2: the colon title, the 0042 serial, a dd/mm date, numbered steps, contact, notes.
    let d100 = site.read("content/locks/acme/d-100.md");
    for part in [
        "title: \"Front door: main entrance\"",
        "serial: \"0042\"",
        "last_verified: 2026-01-31",
        "installed: 2024-03-01",
        "sensitive: false",
        "  - name: \"Jo Smith\"\n    role: \"installer\"\n    phone: \"+44 20 7946 0000\"",
        "note: \"Imported from locks.csv, row 2\"",
        "1. Open the cover\n2. Hold reset for 5 s\n3. Enter the new code\n",
        "Battery is a 9V; spare in the \"blue\" drawer",
    ] {
        assert!(d100.contains(part), "{part:?} missing:\n{d100}");
    }
    assert!(!d100.contains("red"), "the Colour column was imported");
    // Rows 4 and 5: one model in two places, told apart by location; the bad date left empty.
    let bin = site.read("content/locks/acme/nv-200-building-b-floor-2-bin-store.md");
    assert!(bin.contains("title: \"Acme NV-200 (Bin store)\""), "{bin}");
    assert!(bin.contains("last_verified:\n"), "{bin}");
    assert!(bin.contains("1. Press reset\n2. enter the code\n"), "{bin}");
    let office = site.read("content/locks/acme/nv-200-building-b-floor-1-office.md");
    assert!(
        office.contains("title: \"Acme NV-200 (Office)\""),
        "{office}"
    );
    assert!(
        office.contains("last_verified: 2026-03-15")
            && office.contains("1. Press reset\n2. Enter the code\n"),
        "{office}"
    );
    // Row 7: sensitive, its contact an email.
    let vault = site.read("content/locks/tarnwell/td-210.md");
    assert!(
        vault.contains("sensitive: true")
            && vault.contains("email: \"support@tarnwell.example.com\""),
        "{vault}"
    );

    site.build().assert_ok();
    assert_eq!(
        files_containing(&site.path("public"), "SENS-Vault"),
        Vec::<String>::new()
    );
    assert_eq!(
        files_containing(&site.path("public"), "tarnwell"),
        Vec::<String>::new()
    );
    site.build_private().assert_ok();
    assert!(
        site.main_of("private/locks/tarnwell/td-210/index.html")
            .contains("SENS-Vault keypad")
    );

    // Again: every file is there, so every row is skipped and nothing changes.
    let before = snapshot(&site.path("content"));
    let again = here(&site, &["import", "locks.csv", "--write"]);
    again.assert_ok();
    assert!(
        again.stderr.contains("0 created, 5 skipped"),
        "{}",
        again.stderr
    );
    assert!(snapshot(&site.path("content")) == before);
    here(&site, &["import", "locks.csv", "--write", "--force"]).assert_ok();
}

const SITE: &str = "title = \"H\"\nbase_url = \"https://h.example.org/\"\n";

#[test]
fn an_unreadable_sensitive_cell_or_a_near_miss_column_writes_nothing() {
    let bad_cell = "Brand,Model,Sensitive\nAcme,D1,no\nAcme,D2,maybe\n";
    let site = generated(SITE, [("a.csv".to_string(), bad_cell.to_string())]);
    let run = here(&site, &["import", "a.csv", "--write"]);
    run.assert_code(1).assert_errors(&[(
        "a.csv:3:3",
        &[
            "row 3, column 'Sensitive': 'maybe' is not yes/no",
            "never guessed",
        ],
    )]);
    assert!(!site.exists("content"), "an import with errors wrote files");

    site.write("b.csv", "Brand,Model,Sensitve\nAcme,D1,yes\n");
    here(&site, &["import", "b.csv", "--write"])
        .assert_code(1)
        .assert_errors(&[(
            "b.csv:1:3",
            &["unknown column 'Sensitve' (did you mean 'sensitive'?)"],
        )]);
    site.write("c.csv", "Make,Room\nAcme,Hall\n");
    here(&site, &["import", "c.csv"])
        .assert_code(1)
        .assert_errors(&[("c.csv:1:1", &["no model column"])]);
    here(&site, &["import", "c.csv", "--map", "Room=modle"]).assert_code(2);
    here(&site, &["import", "c.csv", "--date-format", "DD/QQ/YYYY"]).assert_code(2);
    // --map makes the Room column the model, and an ambiguous date asks for --date-format.
    site.write("d.csv", "Make\tRoom\tVerified\nAcme\tX1\t03/04/2026\n");
    let run = here(&site, &["import", "d.csv", "--map", "Room=model"]);
    run.assert_ok();
    assert!(
        run.stderr.contains("--date-format DD/MM/YYYY"),
        "{}",
        run.stderr
    );
    here(
        &site,
        &[
            "import",
            "d.csv",
            "--map",
            "Room=model",
            "--date-format",
            "DD/MM/YYYY",
            "--write",
        ],
    )
    .assert_ok();
    assert!(
        site.read("content/locks/acme/x1.md")
            .contains("last_verified: 2026-04-03")
    );
}

#[test]
fn export_then_import_into_an_empty_site_gives_the_same_entries_and_export() {
    let site = site("import-messy");
    here(&site, &["import", "locks.csv", "--write"]).assert_ok();
    // Cells a spreadsheet would run as formulas, and awkward text.
    site.write(
        "content/locks/acme/f1/index.md",
        "---\ntitle: \"=HYPERLINK(\\\"x\\\")\"\nbrand: Acme\nmodel: \"-5\"\nserial: \"+0042\"\n\
         tools: [\"@hand\", \"a; b\"]\nextra: {code: \"0042\"}\nrevisions:\n  - {date: 2026-01-02, note: \"first\", author: Jo}\n---\n\n\
         Body with a private block.\n\n::: private\nSENS-PRIV line of the body\n:::\n\nAfter it.\n",
    );
    let first = site.run("export", &["--private"]);
    first.assert_ok();
    assert!(first.stdout.starts_with('\u{feff}'), "no byte order mark");
    assert!(
        first.stdout.contains("'=HYPERLINK")
            && first.stdout.contains(",'-5,")
            && first.stdout.contains(",'+0042,"),
        "{}",
        first.stdout
    );
    assert!(first.stdout.contains("SENS-PRIV") && first.stdout.contains("SENS-Vault"));

    let copy = generated(SITE, []);
    copy.write("export.csv", &first.stdout);
    here(&copy, &["import", "export.csv", "--write"]).assert_ok();
    // Field by field: the same front matter and body, however the original was written.
    let originals = snapshot(&site.path("content/locks"));
    assert_eq!(originals.len(), 5);
    for (rel, bytes) in originals {
        let imported = copy.read(&format!("content/locks/{rel}"));
        assert_eq!(
            entry(&String::from_utf8(bytes).unwrap()),
            entry(&imported),
            "{rel}"
        );
    }
    let second = copy.run("export", &["--private"]);
    second.assert_ok();
    assert_eq!(first.stdout, second.stdout);
    copy.build_private().assert_ok();

    // A public export: no sensitive entry, no private block.
    let public = site.run("export", &[]);
    public.assert_ok();
    for secret in ["SENS-", "td-210", "Tarnwell"] {
        assert!(
            !public.stdout.contains(secret),
            "{secret} in the public export:\n{}",
            public.stdout
        );
    }
    assert!(public.stdout.contains("After it."));
    let json = site.run("export", &["--format", "json"]);
    json.assert_ok();
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 4);
    assert!(!json.stdout.contains("SENS-"));
}

/// An entry file's typed front matter and its body, as lockgen reads them.
fn entry(text: &str) -> (lockgen::frontmatter::Meta, String) {
    use lockgen::frontmatter::{Kind, parse, split};
    let parts = split("x.md", text).expect("front matter");
    let meta = parse("x.md", Kind::Entry, parts.yaml).expect("valid front matter");
    (meta, parts.body.trim_start_matches('\n').to_string())
}
