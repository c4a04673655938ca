//! Randomized robustness tests (the toolchain here has no nightly for
//! cargo-fuzz): arbitrary and token-soup inputs through each stage, which
//! must return values or diagnostics, never panic or hang.
//!
//! Each target runs `LOCKGEN_FUZZ_CASES` inputs (default 300), or, with
//! `LOCKGEN_FUZZ_SECONDS=600`, batches with fresh seeds for that long, printing
//! how many inputs it ran. Inputs that once failed are kept in `REGRESSIONS`
//! and run first.

use std::path::Path;

use lockgen::config::Config;
use lockgen::doc::{self, Doc};
use lockgen::frontmatter::{self, Kind};
use lockgen::links::{PageLinks, Target, Targets};
use lockgen::markdown::{self, Links};
use lockgen::private;
use lockgen::render::{self, Renderer};
use lockgen::site;
use lockgen::source::SourceFile;
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};

/// Pieces of front matter, Markdown and private-block syntax, glued at random.
const TOKENS: &[&str] = &[
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

const REGRESSIONS: &[&str] = &[
    // Found by the property test: a marker after an indented fence, in a list, in <pre>.
    "    ```\n\n::: private\nsecret\n:::\n",
    "- item\n  ```\n  code\n\nafter\n\n::: private\nsecret\n:::\n",
    "<pre>\n```\n</pre>\n\n::: private\nsecret\n:::\n",
    "::: private\nx\n:::\n**after**\n",
    "---\ntitle: a\u{0}b\n---\n",
];

fn cases() -> u32 {
    std::env::var("LOCKGEN_FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(300)
}

/// Random text: raw bytes read as UTF-8 (lossily), or a soup of syntax tokens.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..400)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        proptest::collection::vec(proptest::sample::select(TOKENS), 0..120)
            .prop_map(|t| t.concat()),
        proptest::collection::vec(proptest::sample::select(TOKENS), 0..40)
            .prop_map(|t| format!("---\ntitle: T\nbrand: B\nmodel: M\n---\n{}", t.concat())),
    ]
}

fn run(name: &str, check: impl Fn(&str)) {
    for input in REGRESSIONS {
        check(input);
    }
    let seconds: Option<u64> = std::env::var("LOCKGEN_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok());
    let deadline = seconds.map(|s| std::time::Instant::now() + std::time::Duration::from_secs(s));
    let mut total = 0u64;
    for batch in 0u8..=u8::MAX {
        let cases = if deadline.is_some() { 2000 } else { cases() };
        let config = RunnerConfig {
            cases,
            failure_persistence: None,
            ..RunnerConfig::default()
        };
        let mut seed = [7u8; 32];
        seed[0] = batch;
        let mut runner =
            TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed));
        runner
            .run(&text(), |input| {
                check(&input);
                Ok(())
            })
            .unwrap_or_else(|e| panic!("{name} (batch {batch}): {e}"));
        total += u64::from(cases);
        if deadline.is_none_or(|d| std::time::Instant::now() >= d) {
            break;
        }
    }
    println!("{name}: {total} inputs");
}

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

#[test]
fn front_matter_split_and_parse() {
    run("front matter", |input| {
        if let Ok(split) = frontmatter::split("content/x.md", input) {
            for kind in [Kind::Home, Kind::Guide, Kind::Entry] {
                let _ = frontmatter::parse("content/x.md", kind, split.yaml);
            }
        }
    });
}

#[test]
fn private_block_preprocessor() {
    run("private blocks", |input| {
        for keep in [false, true] {
            if let Ok(p) = private::preprocess("x.md", input, 1, keep) {
                assert_eq!(
                    p.line_of.len(),
                    p.body.lines().count(),
                    "line map of {input:?}"
                );
                if !keep {
                    for block in &p.blocks {
                        for line in block.lines.iter().filter(|l| l.len() >= 12) {
                            assert!(
                                !p.body.contains(line.as_str())
                                    || input.matches(line.as_str()).count() > 1,
                                "{line:?} published from {input:?}"
                            );
                        }
                    }
                }
            }
        }
    });
}

#[test]
fn markdown_stage() {
    run("markdown", |input| {
        if let Ok(p) = private::preprocess("x.md", input, 3, false) {
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
    });
}

#[test]
fn link_resolution() {
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
    run("links", |input| {
        for rel in [
            "locks/a/c.md",
            "locks/k/index.md",
            "guide/x.md",
            "_index.md",
        ] {
            let links = PageLinks {
                targets: &targets,
                rel,
            };
            if let Ok(Some(url)) = links.resolve(input) {
                assert!(
                    !url.contains("/locks/s/"),
                    "{input:?} resolved to a sensitive page"
                );
            }
        }
    });
}

#[test]
fn whole_page_pipeline() {
    let config = Config::parse(
        Path::new("/site"),
        "title = \"T\"\nbase_url = \"https://x.org\"\n",
    )
    .expect("config");
    let today = jiff::civil::date(2026, 11, 1);
    run("pipeline", |input| {
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
                    today,
                    audit: true,
                };
                let Ok(site) = site::assemble(&config, &docs, &[], opts, None) else {
                    continue;
                };
                let Ok(renderer) = Renderer::new(&config, &site, None) else {
                    continue;
                };
                for job in render::jobs(&site) {
                    let out = renderer
                        .render(job)
                        .expect("the built-in theme renders any page");
                    if let (Some(audit), false) = (&site.audit, private) {
                        assert!(
                            audit.scan(&out.rel_path, &out.bytes).is_empty(),
                            "leak from {input:?}"
                        );
                    }
                }
            }
        }
    });
}
