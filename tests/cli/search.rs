//! The search index (`search/…`): built from the same assembled site as the
//! pages, so a public build's index holds no sensitive page and no private
//! block, and a private build's holds both; and the leak audit reads its
//! files (and any script) through JavaScript string escapes.

use crate::leaks::{WITHHELD, assert_fails_at, base};
use crate::{Site, snapshot};

/// The bytes of every `search/` file of output `out`, joined.
fn index_text(site: &Site, out: &str) -> String {
    let files = snapshot(&site.path(out));
    let index: Vec<String> = files
        .iter()
        .filter(|(name, _)| name.starts_with("search/"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        index.len() >= 5,
        "no search index in {out}/: {:?}",
        files.keys()
    );
    index.join("\n")
}

#[test]
fn a_public_index_holds_no_sensitive_page_or_private_block() {
    let site = base();
    site.build().assert_ok();
    let index = index_text(&site, "public").to_ascii_lowercase();
    assert!(index.contains("acme d100 deadbolt"), "{index}");
    assert!(index.contains("\"d100\""), "the model is a word: {index}");
    for needle in WITHHELD.iter().chain(&["privline", "4455", "9911"]) {
        assert!(
            !index.contains(&needle.to_ascii_lowercase()),
            "{needle:?} is in the public index"
        );
    }
}

#[test]
fn a_private_index_holds_everything() {
    let site = base();
    site.build_private().assert_ok();
    let index = index_text(&site, "private").to_ascii_lowercase();
    for needle in [
        "server room master",
        "sensbody",
        "\"vx9\"",
        "\"privline\"",
        "4455",
    ] {
        assert!(
            index.contains(needle),
            "{needle:?} is not in the private index"
        );
    }
    assert!(
        index.contains("\"private\":true"),
        "the manifest says which build it is"
    );
}

#[test]
fn the_search_url_prefix_is_reserved() {
    let site = base();
    site.write("content/search/x.md", "---\ntitle: X\n---\nx\n");
    let run = site.build();
    run.assert_code(1);
    assert!(
        run.stderr.contains("reserved for the search index"),
        "{}",
        run.stderr
    );
}

/// A sensitive title with a quote mark, a backslash and non-ASCII, written
/// into a script as JSON writes strings (`\"`, `\\`, `\u00f6`), is still a
/// leak: the audit reads a script's strings as they decode.
#[test]
fn escaped_sensitive_titles_in_a_script_are_leaks() {
    let title = r#"Kö "Annex\B" vault"#;
    for (name, escaped) in [
        ("as serde_json writes it", r#"Kö \"Annex\\B\" vault"#),
        ("all escaped", r#"K\u00f6 \u0022Annex\u005cB\u0022 vault"#),
    ] {
        let site = base();
        site.write(
            "content/locks/acme/annex.md",
            &format!(
                "---\ntitle: '{}'\nbrand: Acme\nmodel: AX-1\nsensitive: true\n---\nx\n",
                title.replace('\'', "''")
            ),
        );
        site.write(
            "static/extra.js",
            &format!("lockgenIndex(\"d\",9,[[\"x/\",\"{escaped}\"]]);\n"),
        );
        let run = site.build();
        assert_fails_at(
            name,
            &site,
            &run,
            &[("public/extra.js:1:1", "title of sensitive page")],
        );
    }
}
