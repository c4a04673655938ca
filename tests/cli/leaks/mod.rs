//! The leak corpus of issue #10: each leak class built as an attacker would,
//! on the `leak-base` fixture, each variant in a fresh copy of it.
//!
//! `leak-base` has two sensitive entries, the bundle `locks/acme/vaultx/`
//! ("Server room master", with `plan.svg`) and `locks/acme/msafe.md` ("the
//! Manager's safe"), and a public bundle `locks/acme/d100/` whose page holds a
//! private block. A variant adds or changes one file. Either the public build
//! fails (exit 1) with errors at exactly the expected `path:line:col` — the
//! source line where the design reports it there, the output file for audit
//! findings — and writes nothing; or, where the design makes the input
//! harmless, it succeeds and no output file (bytes or name) holds any of the
//! withheld material. Each class also shows that the private build still
//! shows what is legitimately private.
//!
//! Topics: `markers` (almost-right markers), `scanner` (what is code),
//! `titles` (sensitive titles as a reader sees them), `urls` (every spelling
//! of a link to a sensitive page), `files` (leftovers and copied files),
//! `lists` (paged lists, sidebar windows, counts and labels), `indexes`
//! (location, type and status pages).

use crate::{Run, Site, snapshot};

mod files;
mod indexes;
mod lists;
mod markers;
mod outputs;
mod scanner;
mod titles;
mod urls;

/// The page a variant writes; `page` puts its body's first line on file line 4.
pub const PAGE: &str = "content/guide/attack.md";

/// What the public build leaves out of `leak-base`, as it could appear in
/// bytes (ASCII case ignored): bodies, titles, URLs, models, asset names and
/// private lines.
pub const WITHHELD: &[&str] = &[
    "SENSBODY",
    "PRIVLINE",
    "server room master",
    "manager's safe",
    "manager&#39;s safe",
    "manager&#x27;s safe",
    "vaultx",
    "msafe",
    "VX-9",
    "MS-1",
    "strongroom",
];

pub fn base() -> Site {
    crate::site("leak-base")
}

/// A guide page titled "Attack page" whose body (from file line 4) is `body`.
pub fn page(body: &str) -> String {
    format!("---\ntitle: Attack page\n---\n{body}")
}

/// `leak-base` with `PAGE` holding `body`.
pub fn with_page(body: &str) -> Site {
    let site = base();
    site.write(PAGE, &page(body));
    site
}

/// Turns on `unsafe_html` (raw HTML in Markdown is passed through).
pub fn allow_html(site: &Site) {
    let toml = site.read("site.toml");
    site.write("site.toml", &format!("{toml}unsafe_html = true\n"));
}

/// Asserts that `run` (a build of variant `case`) exited 1 with errors at
/// exactly `expected` (`path:line:col`, each with a fragment of its message),
/// and that no output was written.
#[track_caller]
pub fn assert_fails_at(case: &str, site: &Site, run: &Run, expected: &[(&str, &str)]) {
    assert_eq!(
        run.code, 1,
        "{case}: `lockgen {}` exited {}\n--- stderr:\n{}",
        run.args, run.code, run.stderr
    );
    let errors = run.errors();
    let locations: Vec<&str> = errors
        .iter()
        .filter_map(|l| crate::location_of(l))
        .collect();
    let wanted: Vec<&str> = expected.iter().map(|(l, _)| *l).collect();
    assert_eq!(
        locations, wanted,
        "{case}: wrong error locations\n--- stderr:\n{}",
        run.stderr
    );
    for (line, (loc, fragment)) in errors.iter().zip(expected) {
        assert!(
            line.contains(fragment),
            "{case}: the error at {loc} does not say {fragment:?}:\n{line}"
        );
    }
    for out in ["public", "private"] {
        assert!(
            !site.exists(out),
            "{case}: a failed build wrote {out}/\n{}",
            run.stderr
        );
    }
}

/// Output files of `out` whose name or bytes hold `needle` (ASCII case ignored).
pub fn traces(site: &Site, out: &str, needle: &str) -> Vec<String> {
    let needle = needle.to_ascii_lowercase();
    snapshot(&site.path(out))
        .into_iter()
        .filter(|(name, bytes)| {
            name.to_ascii_lowercase().contains(&needle)
                || String::from_utf8_lossy(bytes)
                    .to_ascii_lowercase()
                    .contains(&needle)
        })
        .map(|(name, _)| name)
        .collect()
}

/// Builds publicly and asserts success with no trace of `WITHHELD` or of
/// `secrets` anywhere in `public/`, names included.
#[track_caller]
pub fn assert_clean_public(case: &str, site: &Site, secrets: &[&str]) {
    let run = site.build();
    assert_eq!(
        run.code, 0,
        "{case}: `lockgen {}` exited {}\n--- stderr:\n{}",
        run.args, run.code, run.stderr
    );
    for needle in WITHHELD.iter().chain(secrets) {
        let hits = traces(site, "public", needle);
        assert!(hits.is_empty(), "{case}: {needle:?} published in {hits:?}");
    }
}

/// The `private-block` elements of a page, from `<div` to `</div>` (nested
/// `<div>`s matched; an element left open runs to the end).
pub fn private_blocks(html: &str) -> Vec<&str> {
    html.match_indices(r#"<div class="private-block""#)
        .map(|(start, _)| &html[start..crate::common::element_end(html, start)])
        .collect()
}

/// Builds privately and asserts that page `out_page` (under `private/`)
/// shows each of `secrets` inside a `private-block` element.
#[track_caller]
pub fn assert_private_shows(case: &str, site: &Site, out_page: &str, secrets: &[&str]) {
    let run = site.build_private();
    assert_eq!(
        run.code, 0,
        "{case}: `lockgen {}` exited {}\n--- stderr:\n{}",
        run.args, run.code, run.stderr
    );
    let html = site.read(&format!("private/{out_page}"));
    let blocks = private_blocks(&html);
    for secret in secrets {
        assert!(
            blocks.iter().any(|b| b.contains(secret)),
            "{case}: {secret:?} is not inside a private block of private/{out_page}:\n{}",
            crate::main_of(&html)
        );
    }
}

#[test]
fn private_blocks_reads_nested_divs() {
    let html = r#"<p>a</p><div class="private-block"><p>x</p><div class="f"><p>y</p></div><p>z</p></div><p>out</p>"#;
    let blocks = private_blocks(html);
    assert_eq!(blocks.len(), 1);
    assert!(blocks[0].ends_with("<p>z</p></div>"), "{}", blocks[0]);
    assert!(!blocks[0].contains("out"));
}
