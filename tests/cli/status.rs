//! The verification dashboard `/status/` (issue #14) and `lockgen check`'s
//! summary of the same numbers. The `status-dashboard` fixture, built on
//! 2026-11-18 (`BUILD_EPOCH`) with `stale_after_days` 365 (stale before
//! 2025-11-18, due before 2025-12-18), has in Acme one entry current
//! (2026-10-01), one due (2025-11-25) and one stale by 170 days (2025-06-01);
//! in Bolt one stale by 365 days (2024-11-18), one never verified, and a
//! sensitive one ("SENS-Strongroom", in `SENS-Annex`, last verified 2020).

use crate::{Site, assert_in_order, files_containing, site};

fn with_status_page() -> Site {
    let site = site("status-dashboard");
    let toml = site.read("site.toml");
    site.write("site.toml", &format!("{toml}status_page = true\n"));
    site
}

/// The number after `label` in the dashboard's `<dl>` of counts.
fn count(main: &str, label: &str) -> String {
    let dl = &main[main.find("status-counts").expect("counts")..];
    let after = &dl[dl.find(&format!("<dt>{label}</dt>")).expect(label)..];
    let dd = &after[after.find("<dd>").expect("dd") + 4..];
    dd[..dd.find("</dd>").expect("/dd")].to_string()
}

#[test]
fn a_public_build_has_no_dashboard_unless_status_page_is_set() {
    let site = site("status-dashboard");
    site.build().assert_ok();
    assert!(!site.exists("public/status"));
    assert!(!site.read("public/index.html").contains("/status/"));
    assert!(!site.read("public/sitemap.xml").contains("/status/"));
}

#[test]
fn the_dashboard_counts_current_due_stale_and_never_verified_entries() {
    let site = with_status_page();
    site.build().assert_ok();
    let main = site.main_of("public/status/index.html");
    for (label, n) in [
        ("Current", "1"),
        ("Due soon", "1"),
        ("Stale", "2"),
        ("Never verified", "1"),
    ] {
        assert_eq!(count(&main, label), n, "{label}:\n{main}");
    }
    assert!(main.contains("5 entries on 2026-11-18"), "{main}");
    // The chart: an inline SVG with one bar a state.
    let chart = &main[main.find("class=chart").expect("chart")..];
    let chart = &chart[..chart.find("</svg>").expect("</svg>")];
    assert_eq!(chart.matches("<rect").count(), 4, "{chart}");
    assert!(
        chart.contains("2 stale"),
        "its title says the numbers: {chart}"
    );
    // Per brand, per location, per type, each row linked.
    assert_in_order(
        &main,
        &[
            "By brand",
            "href=\"/brands/acme/\">Acme</a></th><td>1</td><td>1</td><td>1</td><td>0</td>",
            "href=\"/brands/bolt/\">Bolt</a></th><td>0</td><td>0</td><td>1</td><td>1</td>",
            "By location",
            "href=\"/locations/block-a/\">Block A</a></th><td>1</td><td>1</td><td>1</td><td>0</td>",
            "href=\"/locations/block-b/\">Block B</a></th><td>0</td><td>0</td><td>1</td><td>1</td>",
            "By lock type",
            "href=\"/types/electronic-deadbolt/\">Electronic deadbolt</a></th><td>0</td><td>0</td><td>1</td><td>0</td>",
            "href=\"/types/keypad/\">Keypad</a></th><td>1</td><td>1</td><td>0</td><td>0</td>",
            "href=\"/types/safe/\">Safe</a></th><td>0</td><td>0</td><td>1</td><td>1</td>",
        ],
    );
    // The stale entries, most overdue first, each linked.
    assert_in_order(
        &main,
        &[
            "Needs re-verification",
            "href=\"/locks/bolt/never/\"",
            "Never verified",
            "href=\"/locks/bolt/older/\"",
            "Last verified 2024-11-18, 365 days overdue",
            "href=\"/locks/acme/old/\"",
            "Last verified 2025-06-01, 170 days overdue",
        ],
    );
    assert!(
        !main.contains("/locks/acme/due/\""),
        "a due entry is not stale: {main}"
    );
    assert!(site.read("public/index.html").contains("href=\"/status/\""));
    assert!(site.read("public/sitemap.xml").contains("/status/</loc>"));
    // Nothing of the sensitive entry, anywhere.
    for needle in ["sens-strongroom", "sens-annex", "sens-b9"] {
        let hits = files_containing(&site.path("public"), needle);
        assert!(hits.is_empty(), "{needle:?} published in {hits:?}");
    }
}

#[test]
fn a_private_build_always_has_the_dashboard_with_sensitive_entries() {
    let site = site("status-dashboard");
    site.build_private().assert_ok();
    let main = site.main_of("private/status/index.html");
    assert_eq!(count(&main, "Stale"), "3", "{main}");
    assert_in_order(
        &main,
        &[
            "href=\"/locks/bolt/never/\"",
            "href=\"/locks/bolt/secret/\"",
            "SENS-Strongroom",
            "badge-sensitive",
            "href=\"/locks/bolt/older/\"",
        ],
    );
    assert!(main.contains("SENS-Annex"), "{main}");
}

#[test]
fn check_prints_the_dashboards_numbers() {
    let site = site("status-dashboard");
    let run = site.run("check", &[]);
    run.assert_ok();
    for line in [
        "verification on 2026-11-18 (stale after 365 days): 1 current, 1 due within 30 days, 2 stale, 1 never verified",
        "  brand Acme: 1 current, 1 due within 30 days, 1 stale, 0 never verified",
        "  brand Bolt: 0 current, 0 due within 30 days, 1 stale, 1 never verified",
        "  location Block A: 1 current, 1 due within 30 days, 1 stale, 0 never verified",
        "  location Block B: 0 current, 0 due within 30 days, 1 stale, 1 never verified",
        "  type Keypad: 1 current, 1 due within 30 days, 0 stale, 0 never verified",
        "  type Safe: 0 current, 0 due within 30 days, 1 stale, 1 never verified",
    ] {
        assert!(
            run.stderr.lines().any(|l| l == line),
            "{line:?} not in:\n{}",
            run.stderr
        );
    }
    let private = site.run("check", &["--private"]);
    assert!(
        private
            .stderr
            .contains("1 current, 1 due within 30 days, 3 stale, 1 never verified"),
        "{}",
        private.stderr
    );
    let quiet = site.run("check", &["--quiet"]);
    quiet.assert_ok();
    assert_eq!(quiet.stderr, "");
}
