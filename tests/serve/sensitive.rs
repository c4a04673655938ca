//! A public preview with errors: pages newly marked sensitive are withdrawn at
//! once.

use crate::{B200, OVERLAY, Server, entry, serve};

const A100: &str = "content/locks/acme/a100.md";
const B200_TITLE: &str = "Acme B200 cabinet";
const B200_URL: &str = "/locks/acme/b200/";

/// Every path of the fixture's public preview, and a missing one (the 404 page).
const PATHS: &[&str] = &[
    "/",
    "/brands/",
    "/brands/acme/",
    "/brands/bolt-works/",
    "/locks/acme/a100/",
    "/locks/acme/c300/",
    "/locks/bolt/z9/",
    "/guide/x/",
    "/sitemap.xml",
    "/robots.txt",
    "/404.html",
    "/style.css",
    "/no/such/page/",
];

/// The overlay's part of a page: from its opening tag to its end.
fn overlay_of(page: &str) -> &str {
    let Some(at) = page.find(OVERLAY) else {
        return "";
    };
    let end = page[at..].find("</div>").map_or(page.len(), |e| at + e);
    &page[at..end]
}

/// No path serves any of `secrets` (overlay included).
fn assert_nowhere(s: &Server, secrets: &[&str]) {
    for path in PATHS {
        let body = s.get(path).text();
        for secret in secrets {
            assert!(
                !body.contains(secret),
                "GET {path} shows {secret:?}:\n{body}"
            );
        }
    }
}

#[test]
fn hiding_a_linked_page_withdraws_it_at_once() {
    let s = serve(&[]);
    s.write(
        A100,
        &entry("Acme A100 deadbolt", "A100", "", "See [the B200](b200.md)."),
    );
    s.wait_page("/locks/acme/a100/", 200, "the link to B200", |b| {
        b.contains(B200_URL) && !b.contains(OVERLAY)
    });

    // Hiding B200 leaves A100's link to it: an error, and B200 must go anyway.
    s.replace(
        B200,
        &entry(B200_TITLE, "B200", "sensitive: true\n", "Now sensitive."),
    );
    let home = s.wait_page("/", 200, "the overlay naming both files", |b| {
        let o = overlay_of(b);
        o.contains(A100) && o.contains(B200)
    });
    assert!(home.contains("withheld"), "{home}");
    let page = s.get(B200_URL);
    assert!(
        page.status == 404 || page.text().contains("withheld"),
        "GET {B200_URL}: {}\n{}",
        page.status,
        page.text()
    );
    assert_nowhere(&s, &[B200_TITLE, B200_URL]);
    // The pages that never showed B200 are served as they were.
    let z9 = s.page("/locks/bolt/z9/", 200);
    assert!(z9.contains("Original Z9 procedure text."), "{z9}");
    assert!(s.page("/guide/x/", 200).contains("Guide X body text."));
    let err = s.stderr();
    assert!(
        err.contains("1 page newly marked sensitive withheld from the preview"),
        "{err}"
    );

    // Marked public again (the error is gone too): everything is back.
    s.replace(B200, &entry(B200_TITLE, "B200", "", "Public again."));
    s.wait_page(B200_URL, 200, "B200 back", |b| {
        b.contains("Public again.") && !b.contains(OVERLAY)
    });
    assert!(s.page("/", 200).contains(B200_URL));

    // Hidden again, and this time the link goes in the same save: a good build.
    s.replace(
        B200,
        &entry(B200_TITLE, "B200", "sensitive: true\n", "Now sensitive."),
    );
    s.wait_page("/", 200, "the overlay again", |b| b.contains(OVERLAY));
    s.write(A100, &entry("Acme A100 deadbolt", "A100", "", "No link."));
    s.wait_page("/", 200, "the home page without B200 or overlay", |b| {
        !b.contains(OVERLAY) && !b.contains("withheld") && b.contains("/locks/acme/a100/")
    });
    s.wait_page(B200_URL, 404, "404 for B200", |_| true);
    assert_nowhere(&s, &[B200_TITLE, B200_URL]);
}

#[test]
fn a_page_marked_sensitive_in_a_file_that_does_not_parse_is_withdrawn() {
    let s = serve(&[]);
    s.page(B200_URL, 200);
    s.replace(
        B200,
        &entry(
            B200_TITLE,
            "B200",
            "sensitive: true\ninstalled: Tuesday after the audit\n",
            "Now sensitive.",
        ),
    );
    let home = s.wait_page("/", 200, "the overlay naming B200", |b| {
        overlay_of(b).contains(B200)
    });
    assert!(home.contains("withheld"), "{home}");
    s.wait_page(B200_URL, 404, "404 for B200", |_| true);
    assert_nowhere(&s, &[B200_TITLE, B200_URL]);
    // The terminal has it all.
    let err = s.stderr();
    assert!(err.contains("'Tuesday after the audit'"), "{err}");
}
