//! `--private --audience NAME`: a private build of what one audience of
//! site.toml reads, and nothing of the rest (no page, title, count, link or
//! asset), audited like a public build; `check --private`'s audience reports.

use crate::{Site, generated};

const TOML: &str = "title = \"Handbook\"\nbase_url = \"https://hb.example.org/\"\n\
[audiences.managers]\nall = true\n\
[audiences.building-b]\nlocations = [\"Building B\"]\n\
[audiences.night-staff]\n";

pub fn entry(title: &str, location: &str, more: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nbrand: Acme\nmodel: {title}\nlocation: {location}\n{more}---\n{body}\n"
    )
}

/// A public entry in Building B with a private block, a sensitive entry in
/// Building B, a sensitive bundle in Building C named for night staff, and a
/// sensitive entry at HQ that only managers read.
pub fn handbook(extra_toml: &str) -> Site {
    let files = [
        (
            "content/_index.md",
            "---\ntitle: Handbook\n---\nWelcome.\n".to_string(),
        ),
        (
            "content/guide/start.md",
            "---\ntitle: Start here\n---\nRead this first.\n".to_string(),
        ),
        (
            "content/locks/acme/lobby.md",
            entry(
                "Lobby door",
                "Building B / Lobby",
                "",
                "Open it.\n\n::: private\nLobby private code PRIVB-4711\n:::\n",
            ),
        ),
        (
            "content/locks/acme/b2.md",
            entry(
                "SENSB2 floor master",
                "building b/Floor 2",
                "sensitive: true\n",
                "SENSB2BODY",
            ),
        ),
        (
            "content/locks/acme/vault/index.md",
            entry(
                "SENSC vault",
                "Building C",
                "sensitive: true\naudiences: [night-staff]\n",
                "SENSCBODY ![plan](plan.svg)",
            ),
        ),
        (
            "content/locks/acme/vault/plan.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><text>SENSCPLAN</text></svg>".to_string(),
        ),
        (
            "content/locks/acme/hq.md",
            entry("SENSM hq master", "HQ", "sensitive: true\n", "SENSMBODY"),
        ),
    ];
    generated(
        &format!("{TOML}{extra_toml}"),
        files.into_iter().map(|(p, t)| (p.to_string(), t)),
    )
}

/// Every file of output folder `out`, as (path, text lowercased).
fn files(site: &Site, out: &str) -> Vec<(String, String)> {
    site.snapshot(out)
        .into_iter()
        .map(|(p, b)| (p, String::from_utf8_lossy(&b).to_lowercase()))
        .collect()
}

#[track_caller]
fn assert_absent(site: &Site, out: &str, needles: &[&str]) {
    for (path, text) in files(site, out) {
        for n in needles {
            let n = n.to_lowercase();
            assert!(
                !text.contains(&n) && !path.to_lowercase().contains(&n),
                "{out}/{path} holds {n:?}"
            );
        }
    }
}

#[track_caller]
fn assert_present(site: &Site, out: &str, needles: &[&str]) {
    let all: String = files(site, out)
        .into_iter()
        .map(|(p, t)| format!("{p}\n{t}\n"))
        .collect();
    for n in needles {
        assert!(all.contains(&n.to_lowercase()), "{out} lacks {n:?}");
    }
}

#[test]
fn an_audience_build_holds_what_its_audience_reads_and_nothing_else() {
    let site = handbook("");
    let run = site.run("build", &["--private", "--audience", "building-b"]);
    run.assert_ok();
    assert!(
        run.stderr
            .contains("2 sensitive left out (the pages audience 'building-b' may not read)"),
        "{}",
        run.stderr
    );
    let out = "private-building-b";
    assert!(site.exists(&format!("{out}/locks/acme/b2/index.html")));
    assert_present(
        &site,
        out,
        &["PRIVB-4711", "SENSB2BODY", "SENSB2 floor master"],
    );
    assert_absent(
        &site,
        out,
        &[
            "SENSC",
            "vault",
            "plan.svg",
            "SENSM",
            "hq master",
            "locks/acme/hq",
        ],
    );
    assert!(
        site.read(&format!("{out}/index.html"))
            .contains("Private build for building-b."),
        "the banner names the audience"
    );
    assert!(
        !site.exists("private"),
        "the whole private build is not written"
    );
}

#[test]
fn a_named_audience_reads_its_pages_and_assets_but_not_other_private_blocks() {
    let site = handbook("");
    site.run("build", &["--private", "--audience", "night-staff"])
        .assert_ok();
    let out = "private-night-staff";
    assert_present(
        &site,
        out,
        &["SENSCBODY", "SENSCPLAN", "locks/acme/vault/plan.svg"],
    );
    assert!(site.exists(&format!("{out}/locks/acme/lobby/index.html")));
    assert_absent(&site, out, &["PRIVB-4711", "SENSB2", "SENSM", "hq master"]);
}

#[test]
fn an_audience_with_all_reads_what_the_private_build_reads() {
    let site = handbook("");
    site.run("build", &["--private", "--audience", "managers"])
        .assert_ok();
    site.build_private().assert_ok();
    let needles = ["PRIVB-4711", "SENSB2BODY", "SENSCPLAN", "SENSMBODY"];
    assert_present(&site, "private-managers", &needles);
    assert_present(&site, "private", &needles);
}

#[test]
fn an_audience_build_fails_where_a_page_it_reads_names_one_it_does_not() {
    let site = handbook("");
    site.write(
        "content/locks/acme/lobby.md",
        &entry(
            "Lobby door",
            "Building B / Lobby",
            "",
            "Open it.\n\n::: private\nAsk for the SENSM hq master key\n:::\n",
        ),
    );
    let run = site.run("build", &["--private", "--audience", "building-b"]);
    run.assert_code(1);
    assert!(
        run.errors()
            .iter()
            .any(|e| e.contains("content/locks/acme/lobby.md") && e.contains("hq.md")),
        "{}",
        run.stderr
    );
    assert!(!site.exists("private-building-b"));
    site.run("build", &["--private", "--audience", "managers"])
        .assert_ok();
    site.build().assert_ok();
}

#[test]
fn an_unknown_audience_is_an_error_at_its_line_with_the_nearest_name() {
    let site = handbook("");
    site.write(
        "content/locks/acme/x.md",
        "---\ntitle: X\nbrand: Acme\nmodel: X\naudiences:\n  - nigth-staff\n---\nx\n",
    );
    site.build().assert_errors(&[(
        "content/locks/acme/x.md:6:5",
        &[
            "unknown audience 'nigth-staff'",
            "did you mean 'night-staff'",
        ],
    )]);
    let site = handbook("");
    let run = site.run("build", &["--private", "--audience", "buildin-b"]);
    run.assert_code(1);
    assert!(
        run.stderr.contains("did you mean 'building-b'"),
        "{}",
        run.stderr
    );
    let run = site.run("build", &["--audience", "building-b"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--private"), "{}", run.stderr);
}

#[test]
fn check_private_reports_what_only_managers_read_and_audiences_that_read_nothing() {
    let site = handbook("[audiences.annex]\nlocations = [\"Annex\"]\n");
    let run = site.run("check", &["--private"]);
    run.assert_ok();
    let warnings = run.diagnostics();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("content/locks/acme/hq.md:1:1:")
                && w.contains("only managers (all = true) may read this sensitive page")),
        "{}",
        run.stderr
    );
    assert!(
        warnings.iter().any(
            |w| w.starts_with("site.toml:1:1:") && w.contains("audience 'annex' reads nothing")
        ),
        "{}",
        run.stderr
    );
    assert_eq!(
        warnings.iter().filter(|w| w.contains("audience")).count(),
        1
    );
    assert!(run.stderr.contains("2 audience findings"), "{}", run.stderr);
    site.run("check", &["--private", "--strict"]).assert_code(1);
}

#[test]
fn the_audit_of_an_audience_build_looks_for_what_it_leaves_out_in_every_file() {
    let site = handbook("");
    site.write("static/notes.txt", "Keys: see SENSM hq master.\n");
    let run = site.run("build", &["--private", "--audience", "building-b"]);
    run.assert_code(1);
    assert!(
        run.errors()
            .iter()
            .any(|e| e.contains("notes.txt") && e.contains("SENSM hq master")),
        "{}",
        run.stderr
    );
    site.run("build", &["--private", "--audience", "managers"])
        .assert_ok();
}
