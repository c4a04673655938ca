//! cargo-fuzz target: `pipeline` of tests/fuzz_targets (bytes read as UTF-8, invalid bytes replaced).
#![no_main]

#[path = "../../tests/fuzz_targets/mod.rs"]
#[allow(dead_code)]
mod targets;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    targets::pipeline(&String::from_utf8_lossy(data));
});
