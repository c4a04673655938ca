//! The error overlay: shown on a broken edit until it is fixed, and escaped.

use crate::{B200, OVERLAY, SCRIPT, entry, line_of, serve};

/// Breaks b200 with `broken`, expects the overlay to name `location`, then fixes it.
fn broken_edit_case(broken: &str, location: &str) {
    let s = serve(&[]);
    s.page("/locks/acme/b200/", 200);
    s.write(B200, broken);

    let overlay = |b: &str| b.contains(OVERLAY) && b.contains(location);
    let page = s.wait_page("/locks/acme/b200/", 200, "the error overlay", overlay);
    // The last good version is still served under the overlay.
    assert!(page.contains("Original B200 procedure text."), "{page}");
    assert!(!page.contains("Broken B200 text."), "{page}");
    assert!(page.contains(SCRIPT), "{page}");
    let at = page.find(OVERLAY).unwrap();
    assert!(at < page.rfind("</body>").unwrap(), "overlay after </body>");
    for path in ["/", "/locks/acme/a100/", "/missing/"] {
        let body = s.get(path).text();
        assert!(
            overlay(&body),
            "GET {path}: no overlay naming {location}:\n{body}"
        );
    }
    let home = s.page("/", 200);
    assert!(home.contains("/locks/acme/b200/"), "{home}");
    let err = s.stderr();
    assert!(
        err.contains(location),
        "stderr does not name {location}:\n{err}"
    );

    s.write(
        B200,
        &entry("Acme B200 cabinet", "B200", "", "Fixed B200 text."),
    );
    s.wait_page("/locks/acme/b200/", 200, "the fix, without overlay", |b| {
        b.contains("Fixed B200 text.") && !b.contains(OVERLAY)
    });
    for path in ["/", "/locks/acme/a100/", "/missing/"] {
        let body = s.get(path).text();
        assert!(
            !body.contains(OVERLAY),
            "GET {path}: overlay after the fix:\n{body}"
        );
    }
}

#[test]
fn misspelt_key_shows_the_overlay_until_fixed() {
    let broken = entry(
        "Acme B200 cabinet",
        "B200",
        "modle: B200\n",
        "Broken B200 text.",
    );
    let line = line_of(&broken, "modle:");
    broken_edit_case(&broken, &format!("{B200}:{line}:1"));
}

#[test]
fn unclosed_private_block_shows_the_overlay_until_fixed() {
    let broken = entry(
        "Acme B200 cabinet",
        "B200",
        "",
        "Broken B200 text.\n\n::: private\nThe override code is 1234-5678.",
    );
    let line = line_of(&broken, "::: private");
    broken_edit_case(&broken, &format!("{B200}:{line}:1"));
}

#[test]
fn the_overlay_escapes_what_it_shows() {
    let s = serve(&[]);
    s.write(
        B200,
        &entry(
            "Acme B200 cabinet",
            "B200",
            "\"<img src=x onerror=alert(1)>\": true\n",
            "Broken B200 text.",
        ),
    );
    let page = s.wait_page("/locks/acme/b200/", 200, "the error overlay", |b| {
        b.contains(OVERLAY)
    });
    let overlay = &page[page.find(OVERLAY).unwrap()..];
    assert!(
        overlay.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the overlay does not show the key, escaped:\n{overlay}"
    );
    assert!(
        !page.contains("<img src=x"),
        "unescaped HTML in the overlay:\n{page}"
    );
}
