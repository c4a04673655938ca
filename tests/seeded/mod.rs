//! The seeded, deterministic proptest runner shared by the property tests
//! (`tests/property`, `tests/markers.rs`), with their environment knobs and
//! how they read lockgen's errors.

use std::collections::BTreeSet;

use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// A whole number from the environment, if set; anything else there is a mistake.
pub fn env_number(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    Some(
        v.trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a number, not {v:?}")),
    )
}

/// A ChaCha runner for `cases` cases from `seed`, shrinking for up to 3 minutes.
pub fn runner(cases: u32, seed: u64) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        max_shrink_iters: 400,
        max_shrink_time: 180_000,
        ..Config::default()
    };
    let mut seed_bytes = [0u8; 32];
    for (i, chunk) in seed_bytes.chunks_mut(8).enumerate() {
        chunk.copy_from_slice(&(seed.rotate_left(i as u32 * 16)).to_le_bytes());
    }
    TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes),
    )
}

/// `path:line` of each `path:line:col: message` line of stderr.
pub fn error_lines(stderr: &str) -> BTreeSet<String> {
    stderr
        .lines()
        .filter_map(|l| {
            let (loc, _) = l.split_once(": ")?;
            let (path_line, col) = loc.rsplit_once(':')?;
            let (_, line) = path_line.rsplit_once(':')?;
            let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
            (digits(line) && digits(col)).then(|| path_line.to_string())
        })
        .collect()
}
