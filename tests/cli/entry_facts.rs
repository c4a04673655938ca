//! The entry keys of issue #14: contacts, serial, firmware and manual in
//! the facts table, the manual resolved like a link, and a sensitive
//! entry's contacts never in a public build.

use crate::{files_containing, generated};

const SITE: &str = "title = \"H\"\nbase_url = \"https://h.example.org/\"\n";

fn entry(extra: &str) -> String {
    format!("---\ntitle: Front door\nbrand: Acme\nmodel: D-100\n{extra}---\n\nPress reset.\n")
}

const FACTS: &str = "serial: '0042-SN'\nfirmware: 2.1.0\nmanual: manual.pdf\ncontacts:\n  \
    - name: Jo Fixit\n    role: installer\n    phone: +44 (20) 7946-0000\n    email: jo@example.org\n  \
    - name: Acme support\n    url: https://acme.example.org/help\n";

#[test]
fn the_facts_table_shows_serial_firmware_manual_and_tap_to_call_contacts() {
    let site = generated(
        SITE,
        [
            ("content/locks/acme/d100/index.md".into(), entry(FACTS)),
            ("content/locks/acme/d100/manual.pdf".into(), "%PDF".into()),
        ],
    );
    site.build().assert_ok();
    let main = site.main_of("public/locks/acme/d100/index.html");
    for wanted in [
        "0042-SN",
        "2.1.0",
        "href=\"/locks/acme/d100/manual.pdf\"",
        "href=\"tel:+442079460000\"",
        "+44 (20) 7946-0000",
        "href=\"mailto:jo@example.org\"",
        "href=\"https://acme.example.org/help\"",
        "installer",
    ] {
        assert!(main.contains(wanted), "{wanted} missing in {main}");
    }
}

#[test]
fn a_manual_that_is_no_bundle_file_nor_web_link_is_an_error_at_its_line() {
    let site = generated(
        SITE,
        [
            (
                "content/locks/acme/d100/index.md".into(),
                entry("manual: missing.pdf\n"),
            ),
            (
                "content/locks/acme/k.md".into(),
                entry("manual: javascript:alert(1)\n").replace("D-100", "K"),
            ),
        ],
    );
    site.build().assert_code(1).assert_errors(&[
        (
            "content/locks/acme/d100/index.md:5:1",
            &["'manual'", "missing.pdf"],
        ),
        (
            "content/locks/acme/k.md:5:1",
            &["'manual'", "neither an http(s) link"],
        ),
    ]);
    assert!(!site.exists("public"));
}

#[test]
fn a_sensitive_entrys_contacts_reach_the_private_build_only() {
    let secret =
        "sensitive: true\ncontacts:\n  - name: SENS-Contact Vault Smith\n    phone: '555 0199'\n";
    let site = generated(
        SITE,
        [
            ("content/locks/acme/d100.md".into(), entry("")),
            (
                "content/locks/acme/vault.md".into(),
                entry(secret)
                    .replace("Front door", "Vault")
                    .replace("D-100", "V1"),
            ),
        ],
    );
    site.build().assert_ok();
    assert_eq!(
        files_containing(&site.path("public"), "SENS-Contact"),
        Vec::<String>::new()
    );
    assert_eq!(
        files_containing(&site.path("public"), "5550199"),
        Vec::<String>::new()
    );
    site.build_private().assert_ok();
    let private = site.main_of("private/locks/acme/vault/index.html");
    assert!(private.contains("SENS-Contact Vault Smith") && private.contains("tel:5550199"));
}
