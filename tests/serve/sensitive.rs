//! A public preview with errors: pages newly marked sensitive are withdrawn at
//! once, and the overlay never quotes a sensitive page's title or values.

use crate::{B200, OVERLAY, Server, all_paths, entry, serve, serve_with};

const A100: &str = "content/locks/acme/a100.md";
const B200_TITLE: &str = "Acme B200 cabinet";
const B200_URL: &str = "/locks/acme/b200/";

/// Paths of the fixture's public preview that a sitemap does not list either.
const MORE_PATHS: &[&str] = &["/brands/", "/no/such/page/"];

/// The overlay's part of a page: from its opening tag to its end.
fn overlay_of(page: &str) -> &str {
    let Some(at) = page.find(OVERLAY) else {
        return "";
    };
    let end = page[at..].find("</div>").map_or(page.len(), |e| at + e);
    &page[at..end]
}

/// None of `paths` (and `MORE_PATHS`) serves any of `secrets`, overlay included.
fn assert_nowhere(s: &Server, paths: &[String], secrets: &[&str]) {
    let more = MORE_PATHS.iter().map(|p| p.to_string());
    for path in paths.iter().cloned().chain(more) {
        let body = s.get(&path).text();
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
    // Every file the preview serves, B200's own page but.
    let paths: Vec<String> = all_paths(&s)
        .into_iter()
        .filter(|p| p != B200_URL)
        .collect();
    s.replace(
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
    assert_nowhere(&s, &paths, &[B200_TITLE, B200_URL]);
    // The pages that never showed B200 are served as they were.
    let z9 = s.page("/locks/bolt/z9/", 200);
    assert!(z9.contains("Original Z9 procedure text."), "{z9}");
    assert!(s.page("/guide/x/", 200).contains("Guide X body text."));
    assert!(s.page("/robots.txt", 200).contains("User-agent"));
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
    s.replace(A100, &entry("Acme A100 deadbolt", "A100", "", "No link."));
    s.wait_page("/", 200, "the home page without B200 or overlay", |b| {
        !b.contains(OVERLAY) && !b.contains("withheld") && b.contains("/locks/acme/a100/")
    });
    s.wait_page(B200_URL, 404, "404 for B200", |_| true);
    assert_nowhere(&s, &paths, &[B200_TITLE, B200_URL]);
}

#[test]
fn a_page_marked_sensitive_in_a_file_that_does_not_parse_is_withdrawn() {
    withdrawn_while_broken("sensitive: true\ninstalled: Tuesday after the audit\n");
}

#[test]
fn a_page_marked_with_a_misspelt_sensitive_key_is_withdrawn() {
    // `sensitve: true` is an error, but its author meant to hide the page.
    withdrawn_while_broken("sensitve: true\ninstalled: Tuesday after the audit\n");
}

fn withdrawn_while_broken(front: &str) {
    let s = serve(&[]);
    let paths: Vec<String> = all_paths(&s)
        .into_iter()
        .filter(|p| p != B200_URL)
        .collect();
    s.page(B200_URL, 200);
    s.replace(B200, &entry(B200_TITLE, "B200", front, "Now sensitive."));
    let home = s.wait_page("/", 200, "the overlay naming B200", |b| {
        overlay_of(b).contains(B200)
    });
    assert!(
        overlay_of(&home).contains("error in a sensitive page; see the terminal"),
        "{home}"
    );
    s.wait_page(B200_URL, 404, "404 for B200", |_| true);
    assert_nowhere(
        &s,
        &paths,
        &[B200_TITLE, B200_URL, "Tuesday after the audit"],
    );
    // The terminal has it all.
    let err = s.stderr();
    assert!(err.contains("'Tuesday after the audit'"), "{err}");
}

const VAULT: &str = "content/locks/acme/vault.md";
const VAULT_TITLE: &str = "Vault Room Master";

/// A sensitive entry whose title and values must stay out of the overlay.
fn vault(extra: &str) -> String {
    format!(
        "---\ntitle: {VAULT_TITLE}\nbrand: Acme\nmodel: VX-77\nlocation: Basement/Strongroom\n\
         description: Behind the red door\nsensitive: true\n{extra}---\nSensitive procedure.\n"
    )
}

const VAULT_SECRETS: &[&str] = &[
    VAULT_TITLE,
    "VX-77",
    "Basement/Strongroom",
    "Behind the red door",
    "/locks/acme/vault/",
];

/// Saves `rel`, waits until the terminal shows `terminal` and the overlay
/// names `location`, and checks that no page shows a vault secret.
fn overlay_case(
    s: &Server,
    paths: &[String],
    rel: &str,
    text: &str,
    location: &str,
    terminal: &str,
) {
    s.replace(rel, text);
    s.wait(&format!("{terminal:?} on the terminal"), || {
        let err = s.stderr();
        err.contains(terminal).then_some(()).ok_or(err)
    });
    let page = s.wait_page("/", 200, &format!("an overlay naming {location}"), |b| {
        overlay_of(b).contains(location)
    });
    assert!(!overlay_of(&page).is_empty(), "{page}");
    assert_nowhere(s, paths, VAULT_SECRETS);
}

#[test]
fn the_overlay_never_quotes_a_sensitive_title_or_value() {
    let s = serve_with(&[(VAULT, &vault(""))], &[]);
    assert!(!s.page("/", 200).contains(OVERLAY));
    let paths = all_paths(&s);

    // A public page mentions the title.
    let guide = "content/guide/x.md";
    let mention = format!("---\ntitle: Guide X\nweight: 1\n---\nAsk about the {VAULT_TITLE}.\n");
    overlay_case(
        &s,
        &paths,
        guide,
        &mention,
        &format!("{guide}:5:"),
        &format!("('{VAULT_TITLE}')"),
    );
    s.replace(
        guide,
        "---\ntitle: Guide X\nweight: 1\n---\nGuide X body text.\n",
    );

    // A public page links to it (and its description quotes a value).
    let link = entry(
        "Acme A100 deadbolt",
        "A100",
        "description: \"Near the Behind the red door sign\"\n",
        "See [the vault](vault.md).",
    );
    overlay_case(&s, &paths, A100, &link, A100, "links to sensitive page");
    s.replace(A100, &entry("Acme A100 deadbolt", "A100", "", "No link."));

    // A YAML error in the sensitive page itself, and a bad date value in it.
    let unclosed = vault("warnings: [\"Behind the red door\"\n");
    overlay_case(&s, &paths, VAULT, &unclosed, VAULT, &format!("{VAULT}:"));
    let bad_date = vault("installed: Behind the red door\n");
    overlay_case(
        &s,
        &paths,
        VAULT,
        &bad_date,
        VAULT,
        "'Behind the red door' is not a date",
    );

    s.replace(VAULT, &vault(""));
    s.wait_page("/", 200, "no overlay once fixed", |b| !b.contains(OVERLAY));
}

#[test]
fn a_private_preview_shows_full_messages() {
    let s = serve_with(&[(VAULT, &vault(""))], &["--private"]);
    s.replace(VAULT, &vault("installed: Behind the red door\n"));
    let page = s.wait_page("/", 200, "the overlay naming the vault", |b| {
        overlay_of(b).contains("is not a date")
    });
    assert!(
        overlay_of(&page).contains("'Behind the red door'"),
        "{page}"
    );
}
