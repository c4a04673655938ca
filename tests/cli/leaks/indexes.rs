//! Class 8: the finding pages and the dashboard (issue #14). A location or a
//! lock type that only sensitive entries have must not reach `/locations/`,
//! `/types/`, `/status/` (turned on with `status_page`), the sitemap or any
//! other output of a public build; nor may a sensitive entry's title through
//! a location or type it shares with public ones. The private build shows
//! them all.

use super::{assert_clean_public, base};
use crate::Site;

/// `leak-base` with places and types: the sensitive "the Manager's safe" in
/// `Strongroom wing / Cage 7Q` (only it) as a `vault-only` lock (only it), the
/// sensitive "Server room master" in `Public hall / Server cellar` (the hall
/// shared with the public D100), a keypad like the D100; the dashboard on.
fn placed() -> Site {
    let site = base();
    let set = |rel: &str, from: &str, to: &str| {
        let text = site.read(rel);
        assert!(text.contains(from), "{rel}");
        site.write(rel, &text.replacen(from, to, 1));
    };
    set(
        "content/locks/acme/msafe.md",
        "model: MS-1\n",
        "model: MS-1\nlocation: Strongroom wing / Cage 7Q\nlock_type: vault-only\n",
    );
    set(
        "content/locks/acme/vaultx/index.md",
        "model: VX-9\n",
        "model: VX-9\nlocation: Public hall / Server cellar\nlock_type: keypad\n",
    );
    set(
        "content/locks/acme/d100/index.md",
        "model: D100\n",
        "model: D100\nlocation: Public hall / Lobby\nlock_type: keypad\n",
    );
    let toml = site.read("site.toml");
    site.write("site.toml", &format!("{toml}status_page = true\n"));
    site
}

#[test]
fn places_and_types_of_sensitive_entries_reach_no_public_output() {
    let site = placed();
    assert_clean_public(
        "indexes",
        &site,
        &[
            "cage 7q",
            "cage-7q",
            "server cellar",
            "server-cellar",
            "vault-only",
            "vault only",
        ],
    );
    for page in [
        "public/locations/index.html",
        "public/locations/public-hall/index.html",
        "public/types/keypad/index.html",
        "public/status/index.html",
    ] {
        assert!(site.exists(page), "{page} missing");
    }
    let hall = site.main_of("public/locations/public-hall/index.html");
    assert!(hall.contains("1 entry in 1 place"), "{hall}");
    let status = site.main_of("public/status/index.html");
    assert!(status.contains("1 entry on"), "{status}");
}

#[test]
fn the_private_build_shows_sensitive_places_types_and_status() {
    let site = placed();
    site.build_private().assert_ok();
    // Cage 7Q holds only the safe: no page of its own, the wing links it to the safe.
    let wing = site.main_of("private/locations/strongroom-wing/index.html");
    assert!(
        wing.contains("href=\"/locks/acme/msafe/\">Cage 7Q</a>"),
        "{wing}"
    );
    let t = site.main_of("private/types/vault-only/index.html");
    assert!(t.contains("the Manager"), "{t}");
    let hall = site.main_of("private/locations/public-hall/index.html");
    assert!(
        hall.contains("Server cellar") && hall.contains("2 entries"),
        "{hall}"
    );
    let status = site.main_of("private/status/index.html");
    assert!(
        status.contains("Server room master") && status.contains("3 entries on"),
        "{status}"
    );
}
