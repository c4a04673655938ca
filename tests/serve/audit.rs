//! The public preview runs build's output checks: the leak audit on every
//! rendered and copied file, and no copied file over a page.

use crate::{OVERLAY, Server, serve_with};

const VAULT: &str = "content/locks/acme/vault.md";
const VAULT_TITLE: &str = "Vault Room Master";

fn vault() -> String {
    format!(
        "---\ntitle: {VAULT_TITLE}\nbrand: Acme\nmodel: V1\nlast_verified: 2026-06-01\nsensitive: true\n---\nSensitive procedure.\n"
    )
}

/// The overlay's part of a page: from its opening tag to its end.
fn overlay_of(page: &str) -> &str {
    let at = page.find(OVERLAY).expect("an overlay");
    let end = page[at..].find("</div>").map_or(page.len(), |e| at + e);
    &page[at..end]
}

/// A file in `static/`, so that the folder exists (and is watched) from the start.
const STATIC_README: (&str, &str) = ("static/readme.txt", "Static files.\n");

fn waits_for_error(s: &Server, path: &str, needle: &str) -> String {
    s.wait_page(path, 200, &format!("an overlay naming {needle}"), |b| {
        b.contains(OVERLAY) && overlay_of(b).contains(needle)
    })
}

#[test]
fn a_template_that_prints_a_sensitive_title_fails_the_preview() {
    // The folder exists from the start, so it is watched.
    let template = |text: &str| {
        format!(
            "{{% extends \"base.html\" %}}\n{{% block main %}}<p>{text}</p>{{% for b in toc %}}{{% include \"entry_list.html\" %}}{{% endfor %}}{{% endblock main %}}\n"
        )
    };
    let s = serve_with(
        &[
            (VAULT, &vault()),
            ("templates/index.html", &template("Ask the office.")),
        ],
        &[],
    );
    let home = s.page("/", 200);
    assert!(!home.contains(OVERLAY), "{home}");
    assert!(home.contains("Ask the office."), "{home}");
    assert!(!home.contains(VAULT_TITLE), "{home}");

    s.put(
        "templates/index.html",
        &template(&format!("Ask the office about the {VAULT_TITLE}.")),
    );
    let page = waits_for_error(&s, "/", "preview/index.html:1:1: leak:");
    // The leaking page is not served: the last good home page is.
    assert!(!page.contains("Ask the office about"), "{page}");
    assert!(page.contains("/locks/acme/a100/"), "{page}");
    // The overlay names the file, not the title.
    assert!(
        !page.contains(VAULT_TITLE),
        "the overlay quotes the title:\n{page}"
    );
    let err = s.stderr();
    assert!(
        err.contains(&format!(
            "preview/index.html:1:1: leak: the output contains the title of sensitive page {VAULT} ('{VAULT_TITLE}')"
        )),
        "{err}"
    );

    s.put("templates/index.html", &template("Ask the office again."));
    s.wait_page("/", 200, "no overlay once the template is fixed", |b| {
        !b.contains(OVERLAY) && b.contains("Ask the office again.")
    });
}

#[test]
fn a_static_file_with_a_sensitive_title_is_not_served() {
    let s = serve_with(&[(VAULT, &vault()), STATIC_README], &[]);
    s.page("/", 200);
    s.put(
        "static/notes.txt",
        &format!("Ask about the {VAULT_TITLE}.\n"),
    );
    waits_for_error(&s, "/", "preview/notes.txt:1:1: leak:");
    let r = s.get("/notes.txt");
    assert_eq!(r.status, 404, "{}", r.text());
    assert!(!r.text().contains(VAULT_TITLE), "{}", r.text());

    s.put("static/notes.txt", "Ask the office.\n");
    s.wait_page("/notes.txt", 200, "the fixed file", |b| {
        b.contains("Ask the office.")
    });
    assert!(!s.page("/", 200).contains(OVERLAY));
}

#[test]
fn a_static_file_over_a_page_is_an_error() {
    let s = serve_with(&[STATIC_README], &[]);
    s.page("/guide/x/", 200);
    s.put("static/guide/x/index.html", "<p>Not the guide.</p>\n");
    let page = waits_for_error(
        &s,
        "/guide/x/",
        "static/guide/x/index.html: this file would overwrite the page preview/guide/x/index.html",
    );
    assert!(page.contains("Guide X body text."), "{page}");
    assert!(!page.contains("Not the guide."), "{page}");

    std::fs::remove_file(s.path("static/guide/x/index.html")).expect("remove the file");
    s.wait_page("/guide/x/", 200, "no overlay once the file is gone", |b| {
        !b.contains(OVERLAY) && b.contains("Guide X body text.")
    });
}
