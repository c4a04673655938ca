//! Unit tests of the search index: folding, words, sharding, the files.
use super::text::*;

#[test]
fn folding_drops_diacritics_and_case() {
    assert_eq!(fold("Schlösser ÉCOLE"), "schlosser ecole");
    assert_eq!(
        words("Tarnwell TD-210, a façade-lock."),
        ["tarnwell", "td", "210", "facade", "lock"]
    );
    assert_eq!(joined("TD-210").as_deref(), Some("td210"));
}

#[test]
fn one_letter_and_very_long_runs_are_not_words() {
    let long = "x".repeat(MAX_WORD + 1);
    assert_eq!(words(&format!("a b {long} ok")), ["ok"]);
}

#[test]
fn html_text_is_what_a_reader_sees() {
    assert_eq!(
        html_text("<p>Press <strong>Reset</strong>&nbsp;&amp; hold mas<em>ter</em></p><p>then</p>"),
        "Press Reset & hold master then"
    );
}

#[test]
fn truncation_cuts_at_a_space_near_the_end() {
    assert_eq!(truncate("short", 10), "short");
    assert_eq!(truncate("one two three four", 15), "one two three");
    assert_eq!(truncate("abcdefghijklmnop", 5), "abcde");
}

#[test]
fn a_word_shard_depends_on_its_first_two_characters() {
    // Known FNV-1a values: search.js must compute the same.
    assert_eq!(shard_of("td210", u32::MAX), 0x3d45_4045);
    assert_eq!(shard_of("td", 128), shard_of("tdx", 128));
    assert!(shard_of("zz", 16) < 16);
    assert_eq!(shard_of("anything", 1), 0);
}
