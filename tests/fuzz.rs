//! Randomized robustness tests: arbitrary and token-soup inputs through each
//! fuzz target of `tests/fuzz_targets/` (the same targets cargo-fuzz runs,
//! coverage-guided, from `fuzz/`). Each must return, never panic or hang.
//!
//! Each target first runs its regression inputs (`REGRESSIONS`, and the files
//! in `tests/fuzz_regressions/<target>/`, which hold what cargo-fuzz found),
//! then `LOCKGEN_FUZZ_CASES` random inputs (default 300), or, with
//! `LOCKGEN_FUZZ_SECONDS=600`, batches with fresh seeds for that long,
//! printing how many inputs it ran.

use std::path::Path;

use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, RngAlgorithm, TestRng, TestRunner};

mod fuzz_targets;
use fuzz_targets::{TARGETS, TOKENS};

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

/// The files cargo-fuzz found for `name` (crashes, hangs), kept as regressions.
fn regression_files(name: &str) -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(name);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, String)> = entries
        .map(|e| {
            let path = e.expect("regression folder entry").path();
            let bytes = std::fs::read(&path).expect("read regression input");
            (
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )
        })
        .collect();
    files.sort();
    files
}

fn run(name: &str) {
    let check = TARGETS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .expect("a target of tests/fuzz_targets");
    for input in REGRESSIONS {
        check(input);
    }
    for (path, input) in regression_files(name) {
        eprintln!("{name}: regression {path}");
        check(&input);
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

#[test]
fn front_matter_split_and_parse() {
    run("front_matter");
}

#[test]
fn private_block_preprocessor() {
    run("private_blocks");
}

#[test]
fn markdown_stage() {
    run("markdown");
}

#[test]
fn link_resolution() {
    run("links");
}

#[test]
fn whole_page_pipeline() {
    run("pipeline");
}

/// `TOKENS` in libFuzzer's dictionary format.
fn dictionary() -> String {
    let mut out = String::from(
        "# Syntax pieces for cargo-fuzz (-dict=fuzz/lockgen.dict).\n\
         # Written from TOKENS in tests/fuzz_targets/mod.rs: LOCKGEN_UPDATE_DICT=1 cargo test --test fuzz\n",
    );
    for token in TOKENS {
        out.push('"');
        for b in token.bytes() {
            match b {
                b'"' => out.push_str("\\\""),
                b'\\' => out.push_str("\\\\"),
                0x20..=0x7e => out.push(char::from(b)),
                _ => out.push_str(&format!("\\x{b:02X}")),
            }
        }
        out.push_str("\"\n");
    }
    out
}

#[test]
fn the_cargo_fuzz_dictionary_matches_the_tokens() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/lockgen.dict");
    let want = dictionary();
    if std::env::var_os("LOCKGEN_UPDATE_DICT").is_some() {
        std::fs::write(&path, &want).expect("write fuzz/lockgen.dict");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "fuzz/lockgen.dict is not TOKENS: run LOCKGEN_UPDATE_DICT=1 cargo test --test fuzz"
    );
}
