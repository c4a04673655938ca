//! Helpers for the steps' unit tests, and tests of the whole composition.

use std::path::Path;

use super::*;
use crate::source::SourceFile;

/// A doc parsed from `rel` and its front matter, with a one-line body.
pub fn doc(rel: &str, yaml: &str) -> Doc {
    doc_with_body(rel, yaml, "Text.\n")
}

pub fn doc_with_body(rel: &str, yaml: &str, body: &str) -> Doc {
    let file = SourceFile {
        rel: rel.into(),
        text: format!("---\n{yaml}\n---\n{body}"),
    };
    crate::doc::parse(&file).unwrap_or_else(|d| panic!("{rel}: {d:?}"))
}

pub fn config(base_url: &str) -> Config {
    let toml = format!("title = \"Handbook\"\nbase_url = \"{base_url}\"\n");
    Config::parse(Path::new("/site"), &toml).expect("config")
}

fn opts(private: bool) -> Options<'static> {
    Options {
        private,
        audience: None,
        today: jiff::civil::date(2026, 11, 1),
        theme_words: &[],
    }
}

fn entry(rel: &str, title: &str, brand: &str, sensitive: bool) -> Doc {
    doc(
        rel,
        &format!("title: {title}\nbrand: {brand}\nmodel: M\nsensitive: {sensitive}"),
    )
}

fn site() -> Vec<Doc> {
    vec![
        doc_with_body("_index.md", "title: Home", "Welcome.\n"),
        doc_with_body("guide/a.md", "title: A", "See [B](../locks/b/b1.md).\n"),
        entry("locks/b/b1.md", "B1", "Bolt", false),
        entry("locks/b/b2/index.md", "B2", "Bolt", true),
        entry("locks/v/v1.md", "Vault One", "Vaultco", true),
    ]
}

fn assets() -> Vec<Asset> {
    vec![Asset {
        bundle: "locks/b/b2/index.md".into(),
        name: "photo.jpg".into(),
        src: "/site/content/locks/b/b2/photo.jpg".into(),
    }]
}

fn assemble_all(docs: &[Doc], private: bool, memo: &mut Memo) -> Result<Site, Vec<Diagnostic>> {
    let refs: Vec<&Doc> = docs.iter().collect();
    assemble_with(
        &config("https://x.org/"),
        &refs,
        &assets(),
        opts(private),
        memo,
    )
}

fn rels(pages: &[Page]) -> Vec<&str> {
    pages.iter().map(|p| p.rel.as_str()).collect()
}

#[test]
fn a_public_site_has_no_trace_of_what_it_leaves_out() {
    let site = assemble_all(&site(), false, &mut Memo::default()).unwrap();
    assert_eq!(site.home.title, "Home");
    assert_eq!(rels(&site.guides), ["guide/a.md"]);
    assert_eq!(rels(&site.entries), ["locks/b/b1.md"]);
    let brands: Vec<&str> = site.brands.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(
        brands,
        ["Bolt"],
        "a brand of sensitive entries only is left out"
    );
    assert!(site.assets.is_empty(), "the sensitive bundle's photo");
    assert_eq!(site.withheld, 2);
    assert!(!site.audit.is_empty());
}

#[test]
fn a_private_site_has_everything() {
    let site = assemble_all(&site(), true, &mut Memo::default()).unwrap();
    assert_eq!(
        rels(&site.entries),
        ["locks/b/b1.md", "locks/b/b2/index.md", "locks/v/v1.md"]
    );
    assert_eq!(site.brands.len(), 2);
    assert_eq!(site.assets.len(), 1);
    assert_eq!(site.withheld, 0);
    assert!(
        site.audit.is_empty(),
        "nothing left out, nothing to look for"
    );
}

#[test]
fn every_step_reports_its_errors_at_once() {
    let mut docs = site();
    docs.push(doc("guide/b.md", "title: B\nslug: a"));
    docs.push(doc_with_body(
        "guide/c.md",
        "title: C",
        "[x](v.md) [y](../locks/v/v1.md)\n",
    ));
    let errors = assemble_all(&docs, false, &mut Memo::default()).unwrap_err();
    let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(messages.len(), 3, "{messages:?}");
    assert!(messages[0].contains("is also the URL of content/guide/a.md"));
    assert!(messages[1].contains("link to missing page 'v.md'"));
    assert!(messages[2].contains("links to sensitive page content/locks/v/v1.md"));
}

#[test]
fn the_memo_reuses_unchanged_pages_and_the_same_site_comes_out() {
    let mut memo = Memo::default();
    let first = assemble_all(&site(), false, &mut memo).unwrap();
    let mut docs = site();
    docs[2] = doc_with_body(
        "locks/b/b1.md",
        "title: B1\nbrand: Bolt\nmodel: M",
        "Edited.\n",
    );
    let second = assemble_all(&docs, false, &mut memo).unwrap();
    assert!(Arc::ptr_eq(&first.guides[0].core, &second.guides[0].core));
    assert!(!Arc::ptr_eq(
        &first.entries[0].core,
        &second.entries[0].core
    ));
    assert!(second.entries[0].html.contains("Edited."));
    let fresh = assemble_all(&docs, false, &mut Memo::default()).unwrap();
    assert_eq!(format!("{second:?}"), format!("{fresh:?}"));
}

#[test]
fn a_page_marked_sensitive_leaves_a_memoized_site_too() {
    let mut memo = Memo::default();
    assemble_all(&site(), false, &mut memo).unwrap();
    let mut docs = site();
    docs[1] = doc("guide/a.md", "title: A\nsensitive: true");
    let site = assemble_all(&docs, false, &mut memo).unwrap();
    assert!(site.guides.is_empty());
    assert_eq!(site.withheld, 3);
}

#[test]
fn a_memoized_title_check_follows_public_titles_in_the_readers_form() {
    let docs = |p_title: &str| {
        vec![
            doc("guide/p.md", &format!("title: {p_title}")),
            doc_with_body("guide/q.md", "title: Q", "Mind the Vault Door.\n"),
            doc("guide/s.md", "title: Vault Door\nsensitive: true"),
        ]
    };
    let mut memo = Memo::default();
    // A public page shares the title (in another case): no secret.
    assert!(assemble_all(&docs("vault door"), false, &mut memo).is_ok());
    let fresh = assemble_all(&docs("Lobby"), false, &mut Memo::default()).unwrap_err();
    assert!(
        fresh[0]
            .message
            .contains("title of sensitive page content/guide/s.md")
    );
    let memoized = assemble_all(&docs("Lobby"), false, &mut memo).unwrap_err();
    assert_eq!(memoized, fresh);
}

/// The memoized audit is the one a fresh assembly makes: reused while its
/// inputs are equal, remade when a private line, or a public page that
/// repeats one, changes.
#[test]
fn a_memoized_audit_follows_private_lines_and_the_public_text() {
    let docs = |public_body: &str, private: &str| {
        vec![
            doc_with_body("guide/p.md", "title: P", public_body),
            doc_with_body(
                "guide/q.md",
                "title: Q",
                &format!("Intro.\n\n::: private\n{private}\n:::\n"),
            ),
        ]
    };
    let leaks = |site: &Site| {
        site.audit
            .scan("x.html", b"<p>Spare key is under the mat</p>")
            .len()
    };
    let mut memo = Memo::default();
    let first = assemble_all(
        &docs("Text.\n", "Spare key is under the mat"),
        false,
        &mut memo,
    )
    .unwrap();
    assert_eq!(leaks(&first), 1);
    let again = assemble_all(
        &docs("Text.\n", "Spare key is under the mat"),
        false,
        &mut memo,
    )
    .unwrap();
    assert!(
        Arc::ptr_eq(&first.audit, &again.audit),
        "equal inputs reuse it"
    );
    // A public page that says the line makes it no needle.
    let said = docs("Spare key is under the mat\n", "Spare key is under the mat");
    let memoized = assemble_all(&said, false, &mut memo).unwrap();
    assert_eq!(leaks(&memoized), 0);
    let fresh = assemble_all(&said, false, &mut Memo::default()).unwrap();
    assert_eq!(
        format!("{:?}", memoized.audit),
        format!("{:?}", fresh.audit)
    );
    // Another private line is another needle.
    let other = assemble_all(
        &docs("Text.\n", "The gate code lives in the vault"),
        false,
        &mut memo,
    )
    .unwrap();
    assert_eq!(leaks(&other), 0);
    assert_eq!(
        other
            .audit
            .scan("x.html", b"The gate code lives in the vault")
            .len(),
        1
    );
}
