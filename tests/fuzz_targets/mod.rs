//! The bodies of lockgen's fuzz targets, shared by `tests/fuzz.rs`
//! (randomized inputs, run in CI) and `fuzz/` (cargo-fuzz with libFuzzer,
//! coverage-guided, run by hand with `fuzz/run`).
//!
//! Each target takes any text and must return: an `Err` or a diagnostic is a
//! fine answer, a panic (including a failed assert below) or a hang is a bug.
//! The asserts are the properties that must hold for every input.

use std::path::Path;
use std::sync::OnceLock;

use lockgen::config::Config;
use lockgen::doc::{self, Doc};
use lockgen::frontmatter::{self, Kind};
use lockgen::links::{PageLinks, Target, Targets};
use lockgen::markdown::{self, Links};
use lockgen::private;
use lockgen::render::{self, Renderer};
use lockgen::site;
use lockgen::source::SourceFile;
use lockgen::url::SiteUrl;

pub const TOKENS: &[&str] = &[
    "---\n",
    "---",
    "\n",
    "\n\n",
    " ",
    "  ",
    "\t",
    "title: ",
    "brand: ",
    "model: ",
    "sensitive: true\n",
    "sensitive: \"yes\"\n",
    "slug: ",
    "weight: 3\n",
    "revisions:\n  - date: 2024-01-01\n    note: x\n",
    "extra:\n  a: [1, {b: c}]\n",
    "installed: 2024-02-30\n",
    "tools: [a, b]\n",
    "&a [*a, *a]",
    "*a",
    "{",
    "}",
    "[",
    "]",
    ":",
    "- ",
    "> ",
    "1. ",
    "::: private\n",
    ":::\n",
    "::: private",
    ":::",
    "```\n",
    "~~~\n",
    "    ",
    "# ",
    "## Steps\n",
    "### Sub\n",
    "**",
    "*",
    "_",
    "`",
    "[x](",
    "](../a.md)",
    "(a.md#f)",
    "![p](photo.svg)",
    "<div>",
    "</div>",
    "<pre>",
    "</pre>",
    "<script>",
    "&amp;",
    "|a|b|\n|-|-|\n",
    "[^1]",
    "[^1]: n\n",
    "- [x] ",
    "\u{0}",
    "\u{feff}",
    "\r\n",
    "é",
    "😀",
    "javascript:alert(1)",
    "%2e%2e/",
    "../",
    "..\\",
    "\\",
    "\"",
    "'",
    "#",
    "{#id}",
];

/// A fuzz target: any text in, a panic if a property fails.
pub type FuzzTarget = fn(&str);

/// Every target, by the name its regression folder and cargo-fuzz binary use.
pub const TARGETS: &[(&str, FuzzTarget)] = &[
    ("front_matter", front_matter),
    ("private_blocks", private_blocks),
    ("markdown", markdown),
    ("links", links),
    ("pipeline", pipeline),
];

/// Front matter splitting, then parsing as each kind of page.
pub fn front_matter(input: &str) {
    if let Ok(split) = frontmatter::split("content/x.md", input) {
        for kind in [Kind::Home, Kind::Guide, Kind::Entry] {
            let _ = frontmatter::parse("content/x.md", kind, split.yaml);
        }
    }
}

/// The private-block preprocessor: its line map matches its output, and a
/// public body never holds a private line (unless the input has it twice).
pub fn private_blocks(input: &str) {
    for keep in [false, true] {
        let Ok(p) = private::preprocess("x.md", input, 1, keep) else {
            continue;
        };
        assert_eq!(
            p.line_of.len(),
            p.body.lines().count(),
            "line map of {input:?}"
        );
        if keep {
            continue;
        }
        for block in &p.blocks {
            for line in block.lines.iter().filter(|l| l.len() >= 12) {
                assert!(
                    !p.body.contains(line.as_str()) || input.matches(line.as_str()).count() > 1,
                    "{line:?} published from {input:?}"
                );
            }
        }
    }
}

/// Links that resolve anything but `.md` files, which are all missing.
struct AnyLinks;

impl Links for AnyLinks {
    fn resolve(&self, dest: &str) -> Result<Option<String>, String> {
        if dest.ends_with(".md") {
            Err("missing".into())
        } else {
            Ok(None)
        }
    }
}

/// Markdown to HTML: no raw `<script>` unless `unsafe_html`, and no
/// diagnostic points above the body's first line.
pub fn markdown(input: &str) {
    let Ok(p) = private::preprocess("x.md", input, 3, false) else {
        return;
    };
    for unsafe_html in [false, true] {
        let r = markdown::render("x.md", &p, unsafe_html, &AnyLinks);
        if !unsafe_html {
            assert!(!r.html.contains("<script>"), "raw script from {input:?}");
        }
        for d in &r.problems {
            assert!(
                d.line >= 3,
                "line {} before the body from {input:?}",
                d.line
            );
        }
    }
}

/// A small site's link targets: one public page, one sensitive page, one
/// asset and one withheld bundle.
fn link_targets() -> &'static Targets {
    static TARGETS: OnceLock<Targets> = OnceLock::new();
    TARGETS.get_or_init(|| {
        let mut targets = Targets::default();
        targets.pages.insert(
            "locks/a/b.md".into(),
            Target {
                url: "/locks/a/b/".into(),
                published: true,
            },
        );
        targets.pages.insert(
            "locks/s.md".into(),
            Target {
                url: "/locks/s/".into(),
                published: false,
            },
        );
        targets
            .assets
            .insert("locks/k/p.svg".into(), "/locks/k/p.svg".into());
        targets.withheld_dirs.push("locks/v/".into());
        targets
            .withheld_urls
            .insert("locks/s".into(), "locks/s.md".into());
        targets.site = SiteUrl::new("https://x.org/");
        targets
    })
}

/// Link resolution from pages in different folders: never to a sensitive page
/// (the URL's path; a fragment is passed through as written).
pub fn links(input: &str) {
    let targets = link_targets();
    for rel in [
        "locks/a/c.md",
        "locks/k/index.md",
        "guide/x.md",
        "_index.md",
    ] {
        let dir = rel
            .trim_end_matches(".md")
            .trim_end_matches("index")
            .trim_end_matches("_")
            .trim_end_matches('/');
        let links = PageLinks { targets, rel, dir };
        let result = links.resolve(input);
        if result.is_ok() {
            // Whatever the spelling, an accepted link never takes a browser to the sensitive page.
            let reached = targets.site.resolve(dir, input);
            assert!(
                !reached
                    .iter()
                    .any(|p| p == "locks/s" || p.starts_with("locks/s/")),
                "{input:?} from {rel} reaches the sensitive page"
            );
        }
        if let Ok(Some(url)) = result {
            // The fragment and query are the author's own text, passed through.
            let path = url.split(['#', '?']).next().unwrap_or_default();
            assert!(
                !path.contains("/locks/s/"),
                "{input:?} resolved to a sensitive page"
            );
        }
    }
}

fn pipeline_config() -> &'static Config {
    static CONFIG: OnceLock<Config> = OnceLock::new();
    CONFIG.get_or_init(|| {
        Config::parse(
            Path::new("/site"),
            "title = \"T\"\nbase_url = \"https://x.org\"\n",
        )
        .expect("config")
    })
}

/// One page through everything but writing: parse, assemble (public and
/// private), render with the built-in theme, and the leak audit, which must
/// find nothing in the public output.
pub fn pipeline(input: &str) {
    let config = pipeline_config();
    static THEME: OnceLock<lockgen::theme::Theme> = OnceLock::new();
    let theme =
        THEME.get_or_init(|| lockgen::theme::load(config).expect("the built-in theme loads"));
    let theme_words = &theme.words;
    let today = jiff::civil::date(2026, 11, 1);
    for rel in ["locks/a/b.md", "guide/g.md", "_index.md"] {
        let file = SourceFile {
            rel: rel.into(),
            text: input.to_string(),
        };
        let Ok(doc) = doc::parse(&file) else { continue };
        let docs: Vec<&Doc> = vec![&doc];
        for private in [false, true] {
            let opts = site::Options {
                private,
                audience: None,
                today,
                theme_words,
            };
            let Ok(site) = site::assemble(config, &docs, &[], opts) else {
                continue;
            };
            let Ok(renderer) = Renderer::new(config, &site, theme) else {
                continue;
            };
            for job in render::jobs(&site, config.print_order) {
                let out = renderer
                    .render(job)
                    .expect("the built-in theme renders any page");
                // (A private build's audit looks for nothing.)
                let leaks = site.audit.scan(&out.rel_path, &out.bytes);
                assert!(leaks.is_empty(), "{leaks:?} from {rel}: {input:?}");
            }
        }
    }
}
