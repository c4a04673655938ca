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

mod files {
    use crate::site::tests::{config, doc_with_body};
    use crate::site::{Options, Site, assemble};

    fn site(private: bool) -> Site {
        let docs = [
            doc_with_body(
                "guide/a.md",
                "title: Using locks",
                "## Batteries\n\nChange them.\n",
            ),
            doc_with_body(
                "locks/t/td.md",
                "title: Front door\nbrand: Tarnwell\nmodel: TD-210\nlocation: Annex/Ground",
                "Press reset.\n\n::: private\nCode SECRETLINE-77 here.\n:::\n",
            ),
            doc_with_body(
                "locks/t/vault.md",
                "title: Vault SENS-1\nbrand: Tarnwell\nmodel: VX\nsensitive: true",
                "Hidden.\n",
            ),
        ];
        let refs: Vec<_> = docs.iter().collect();
        let opts = Options {
            private,
            audience: None,
            today: jiff::civil::date(2026, 11, 1),
            theme_words: &[],
        };
        assemble(&config("https://x.org/"), &refs, &[], opts).expect("site")
    }

    fn text(site: &Site) -> String {
        let files = super::super::build(site);
        assert_eq!(files.len(), super::super::parts(site));
        files
            .iter()
            .map(|f| format!("{}\n{}", f.rel_path, String::from_utf8_lossy(&f.bytes)))
            .collect()
    }

    #[test]
    fn files_follow_the_layout_and_classes_rank_fields() {
        let site = site(false);
        let all = text(&site);
        for name in [
            "search/m.js",
            "search/t-0.js",
            "search/d-0.js",
            "search/f-2.js",
        ] {
            assert!(all.contains(name), "{all}");
        }
        // Doc 0 is the guide, doc 1 the entry: title and model words are class 3
        // (1 << 2 | 3 = 7), the location 2 (6), a heading 2 (doc 0: 2), the body 1.
        for expected in [
            r#""td210":[7]"#,
            r#""front":[7]"#,
            r#""annex":[6]"#,
            r#""batteries":[2]"#,
            r#""reset":[5]"#,
            r#""Annex""#,
        ] {
            assert!(all.contains(expected), "{expected} not in {all}");
        }
    }

    #[test]
    fn only_the_private_index_holds_sensitive_pages_and_private_blocks() {
        let public = text(&site(false)).to_lowercase();
        let private = text(&site(true)).to_lowercase();
        for marker in ["sens", "secretline", "vault"] {
            assert!(!public.contains(marker), "{marker} in the public index");
            assert!(
                private.contains(marker),
                "{marker} not in the private index"
            );
        }
    }

    #[test]
    fn shards_grow_with_the_page_count_in_powers_of_two() {
        let s = site(false);
        assert_eq!(super::super::layout(&s).shards, 1);
        assert_eq!(super::super::layout(&s).chunks, 1);
        let at = |n| super::super::layout_for(n);
        assert_eq!((at(1_000).shards, at(1_000).chunks), (16, 32));
        assert_eq!((at(10_000).shards, at(10_000).chunks), (128, 313));
        assert_eq!(at(1_000_000).shards, 256);
        assert_eq!((at(0).shards, at(0).chunks), (1, 0));
    }
}
