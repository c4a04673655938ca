//! Class 5: every spelling of a link to a sensitive page. Links once counted
//! as leaks only when they were the exact URL; a browser goes to the same
//! page by many others. Markdown links and images are errors at their source
//! line; raw HTML (with `unsafe_html`) is found by the audit in the output.

use super::{allow_html, assert_clean_public, assert_fails_at, assert_private_shows, base, page};
use crate::{Run, Site};

/// The public bundle beside `vaultx`, whose body starts on file line 6.
const D100: &str = "content/locks/acme/d100/index.md";

fn d100(body: &str) -> String {
    format!("---\ntitle: Acme D100 deadbolt\nbrand: Acme\nmodel: D100\n---\n{body}")
}

const VAULT: &str = "sensitive page content/locks/acme/vaultx/index.md";
const SAFE: &str = "sensitive page content/locks/acme/msafe.md";

/// Links from `locks/acme/d100/`, and whose page they reach.
const FROM_D100: &[(&str, &str)] = &[
    ("/locks/acme/vaultx", VAULT),
    ("/locks/acme/vaultx/", VAULT),
    ("../vaultx/", VAULT),
    ("../vaultx", VAULT),
    ("./../vaultx/#codes", VAULT),
    ("../vaultx/?x=1", VAULT),
    ("../Vaultx/", VAULT),
    ("https://handbook.example.org/locks/acme/vaultx", VAULT),
    ("HTTPS://HANDBOOK.EXAMPLE.ORG:443/locks/acme/vaultx/", VAULT),
    ("http://handbook.example.org./locks/acme/vaultx", VAULT),
    ("//handbook.example.org/locks/acme/vaultx", VAULT),
    ("http:handbook.example.org/locks/acme/vaultx", VAULT),
    ("https:../vaultx", VAULT),
    ("HTTPS:../vaultx/", VAULT),
    ("https:/locks/acme/vaultx", VAULT),
    ("..//vaultx", VAULT),
    ("/locks//acme/./vaultx/", VAULT),
    ("/locks/acme/x/../vaultx/", VAULT),
    ("/../locks/acme/vaultx", VAULT),
    ("/locks/acme/%76aultx/", VAULT),
    ("../vault%78", VAULT),
    ("/locks/acme/vaultx/index.html", VAULT),
    ("<../vaultx>", VAULT),
    ("../vaultx/plan.svg", VAULT),
    ("/locks/acme/vaultx/plan.svg", VAULT),
    ("../vaultx/index.md", VAULT),
    ("../vaultx/INDEX.MD", VAULT),
    ("../msafe.md", SAFE),
    ("../msafe.MD", SAFE),
    ("../MSafe.md#top", SAFE),
    ("../MSAFE", SAFE),
    ("../msafe/", SAFE),
    ("../msafe", SAFE),
];

/// Links from `guide/attack.md` (served at `/guide/attack/`).
const FROM_GUIDE: &[(&str, &str)] = &[
    ("/locks/acme/vaultx", VAULT),
    ("../../locks/acme/vaultx/", VAULT),
    (
        "../locks/acme/vaultx/",
        "content/locks/acme/vaultx/index.md",
    ),
    ("../locks/acme/vaultx/index.md", VAULT),
    (
        "../locks/acme/vaultx/plan.svg",
        "content/locks/acme/vaultx/index.md",
    ),
    ("../locks/acme/msafe.md", SAFE),
    ("../locks/acme/msafe", SAFE),
    ("https://handbook.example.org/locks/acme/msafe/", SAFE),
];

/// A Markdown link and a Markdown image to `url`, both errors at their column.
#[track_caller]
fn link_and_image_fail(case: &str, site: &Site, file: &str, line: usize, whose: &str) {
    let link = format!("{file}:{line}:5");
    let image = format!("{file}:{}:1", line + 1);
    assert_fails_at(
        case,
        site,
        &site.build(),
        &[(&link, whose), (&image, whose)],
    );
}

#[test]
fn markdown_links_and_images_to_sensitive_pages_are_errors_however_spelt() {
    for (url, whose) in FROM_D100 {
        let site = base();
        site.write(
            D100,
            &d100(&format!(
                "Intro.\n\nSee [the entry]({url}).\n![Plan]({url})\n"
            )),
        );
        link_and_image_fail(url, &site, D100, 8, whose);
    }
    for (url, whose) in FROM_GUIDE {
        let site = base();
        site.write(
            super::PAGE,
            &page(&format!(
                "Intro.\n\nSee [the entry]({url}).\n![Plan]({url})\n"
            )),
        );
        link_and_image_fail(url, &site, super::PAGE, 6, whose);
    }
}

#[test]
fn reference_links_and_autolinks_to_sensitive_pages_are_errors_at_their_use() {
    for (case, body, at) in [
        (
            "reference",
            "Intro.\n\nSee [the entry][r].\n\n[r]: ../vaultx/\n",
            "8:5",
        ),
        (
            "collapsed reference",
            "Intro.\n\nSee [vault][].\n\n[vault]: /locks/acme/vaultx\n",
            "8:5",
        ),
        (
            "autolink",
            "Intro.\n\nSee <https://handbook.example.org/locks/acme/vaultx/>.\n",
            "8:5",
        ),
    ] {
        let site = base();
        site.write(D100, &d100(body));
        let at = format!("{D100}:{at}");
        assert_fails_at(case, &site, &site.build(), &[(&at, VAULT)]);
    }
}

/// A link to a bundle's page file by another spelling is no page (the error
/// is a missing page), never a quiet link.
#[test]
fn markdown_link_to_a_bundle_as_a_file_is_a_missing_page() {
    let site = base();
    site.write(D100, &d100("Intro.\n\nSee [the entry](../vaultx.MD).\n"));
    let at = format!("{D100}:8:5");
    assert_fails_at("vaultx.MD", &site, &site.build(), &[(&at, "missing page")]);
}

/// Asserts the audit failed the build at the output page of d100 (and only there).
#[track_caller]
fn audit_finds(case: &str, site: &Site, run: &Run) {
    assert_eq!(run.code, 1, "{case}: exit {}\n{}", run.code, run.stderr);
    let errors = run.errors();
    assert!(!errors.is_empty(), "{case}: {}", run.stderr);
    // The page, and the print page that holds it too.
    for e in &errors {
        assert!(
            (e.starts_with(
                "public/locks/acme/d100/index.html:1:1: leak: the output contains the "
            ) || e.starts_with("public/print/index.html:1:1: leak: the output contains the "))
                && e.contains("content/locks/acme/vaultx/index.md"),
            "{case}: {e}"
        );
    }
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("public/locks/acme/d100/index.html:")),
        "{case}: {}",
        run.stderr
    );
    assert!(!site.exists("public"), "{case}");
}

/// Raw HTML a browser follows or loads, each spelling relative to the page.
const RAW_HTML: &[&str] = &[
    r#"<a href="../vaultx">x</a>"#,
    "<a href=../vaultx/>x</a>",
    "<a HREF='../VAULTX/index.html'>x</a>",
    r#"<a href="https://handbook.example.org/locks/acme/vaultx">x</a>"#,
    r#"<a href="//HANDBOOK.example.org/locks/acme/vaultx">x</a>"#,
    r#"<a href="&#46;&#46;/vaultx">x</a>"#,
    r#"<a href="..\vaultx">x</a>"#,
    r#"<a href="https:../vaultx">x</a>"#,
    r#"<a href="http:..\vaultx">x</a>"#,
    "<a href=\"../vault\nx\">x</a>",
    r#"<a href=" ../vaultx ">x</a>"#,
    r#"<a href="..%2fvaultx">x</a>"#,
    r#"<img src="../vaultx/plan.svg" alt="">"#,
    r#"<img alt="" srcset="a.svg 1x, ../vaultx/plan.svg 2x">"#,
    r#"<img alt="" srcset="a.svg 1x,../vaultx/plan.svg 2x">"#,
    r#"<picture><source srcset="../vaultx/plan.svg"><img src="a.svg" alt=""></picture>"#,
    r#"<form action="../vaultx"><button>Go</button></form>"#,
    r#"<form><button formaction="../vaultx/">Go</button></form>"#,
    r#"<video poster="../vaultx/plan.svg"></video>"#,
    r#"<svg><image href="../vaultx/plan.svg"/></svg>"#,
    r#"<div style="background: url('../vaultx/plan.svg')">x</div>"#,
    r#"<meta http-equiv="refresh" content="0; url=../vaultx/">"#,
    r#"<link rel="prefetch" href="../vaultx/">"#,
    r#"<base href="/locks/acme/"><a href="vaultx">x</a>"#,
    r#"<base href="../"><a href="vaultx/">x</a>"#,
    r#"<BASE HREF="https://handbook.example.org/locks/acme/x"><img src="vaultx/plan.svg" alt="">"#,
];

#[test]
fn raw_html_links_to_sensitive_pages_are_leaks_in_the_output() {
    for html in RAW_HTML {
        let site = base();
        allow_html(&site);
        site.write(D100, &d100(&format!("Intro.\n\n{html}\n")));
        audit_finds(html, &site, &site.build());
    }
}

/// The same links are fine in a private block and in a sensitive page; the
/// private build shows them.
#[test]
fn links_to_sensitive_pages_inside_private_blocks_stay_private() {
    let site = base();
    allow_html(&site);
    let markdown: Vec<String> = FROM_D100
        .iter()
        .map(|(url, _)| format!("See [the entry]({url})."))
        .collect();
    let body = format!(
        "Intro.\n\n::: private\n{}\n\n{}\n:::\n",
        markdown.join("\n\n"),
        RAW_HTML.join("\n\n")
    );
    site.write(D100, &d100(&body));
    // A link in the sensitive page itself may go anywhere.
    site.write(
        "content/locks/acme/vaultx/index.md",
        "---\ntitle: Server room master\nbrand: Acme\nmodel: VX-9\nsensitive: true\n---\nSee [the safe](../msafe.md) and <a href=\"../msafe/\">it</a>. SENSBODY-9911.\n",
    );
    assert_clean_public("links in a private block", &site, &[]);
    assert_private_shows(
        "links in a private block",
        &site,
        "locks/acme/d100/index.html",
        &[
            r#"href="/locks/acme/vaultx/""#,
            r#"href="/locks/acme/msafe/""#,
            r#"srcset="a.svg 1x, ../vaultx/plan.svg 2x""#,
        ],
    );
    let vault = site.main_of("private/locks/acme/vaultx/index.html");
    assert!(vault.contains(r#"href="/locks/acme/msafe/""#), "{vault}");
}
