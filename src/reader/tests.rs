use super::*;

#[test]
fn typographic_forms_fold_to_what_is_typed() {
    for (written, typed) in [
        ("“Server room master”", "'server room master'"),
        ("‘Vault’ «safe» ‹x›", "'vault' 'safe' 'x'"),
        ("Manager’s safe", "manager's safe"),
        ("Manager´s safe", "manager's safe"),
        ("Manager\u{02BC}s safe", "manager's safe"),
        ("a\u{00A0}b\u{2009}c\u{3000}d", "a b c d"),
        ("one — two – three ‐ four −5", "one - two - three - four -5"),
        ("wait…", "wait..."),
        ("ﬁrst ＡＢＣ", "first abc"),
        ("Café", "cafe"),
        ("ser\u{00AD}ver ro\u{200B}om", "server room"),
        ("  Server \n\t room  ", "server room"),
        ("„quoted“ ‚single‘", "'quoted' 'single'"),
    ] {
        assert_eq!(fold(written), typed, "{written:?}");
    }
}

#[test]
fn separates_matches_every_listed_element_in_any_case() {
    assert!(
        SEPARATING
            .iter()
            .all(|t| separates(t) && separates(&t.to_uppercase()))
    );
    assert!(separates("DIV") && separates("figcaption") && separates("h1"));
    assert!(!separates("b") && !separates("x-div") && !separates(""));
}

#[test]
fn ascii_runs_fold_like_characters_one_by_one() {
    for s in [
        "A  B",
        " Lead",
        "x \t y",
        "Say \"HI\"  `now`",
        "end ",
        "  ",
        "Ab\u{00e9}C D",
    ] {
        let mut slow = String::new();
        let mut space = true;
        for c in s.chars() {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).chars() {
                if b.is_ascii() {
                    push_ascii(b, &mut slow, &mut space);
                } else {
                    decompose_compatible(b, |d| push_folded(d, &mut slow, &mut space));
                }
            }
        }
        let mut fast = String::new();
        let mut space = true;
        fold_into(s, &mut fast, &mut space);
        assert_eq!(fast, slow, "{s:?}");
    }
}

#[test]
fn offsets_point_into_the_source() {
    let s = "a “Bé” c";
    let (f, o) = fold_with_offsets(s);
    assert_eq!(f, "a 'be' c");
    assert_eq!(o.len(), f.len());
    let at = f.find("be").unwrap();
    assert_eq!(&s[o[at]..o[at] + 1], "B");
}

#[test]
fn words_are_unicode_words() {
    let hay = "x lab, label, läb lab";
    assert!(stands_alone(hay, 2, 5));
    assert!(!stands_alone(hay, 7, 10));
    let hay = "ölab";
    assert!(!stands_alone(hay, 2, 5));
    let hay = "'lab'";
    assert!(stands_alone(hay, 1, 4));
}

#[test]
fn markup_view_reads_text_entities_and_tags() {
    let mut seen = Vec::new();
    let v = markup_view(
        "<p>Manager&#39;s <b>sa</b>fe</p><p>Lab</p><!-- note --><a href=\"/x/\" title=\"T&amp;C\">k</a> 1 < 2",
        |t| seen.push(t.to_string()),
    );
    let (text, tags) = v.split_once('\n').unwrap();
    assert_eq!(text, "manager's safe lab k 1 < 2");
    assert!(tags.contains(" note "), "{tags}");
    assert!(tags.contains("title='t&c'"), "{tags}");
    assert!(seen.iter().any(|t| t.starts_with("a href")));
}

#[test]
fn tags_that_do_not_separate_words_join_them() {
    for joined in [
        "mas<b>ter",
        "mas<!-- -->ter",
        "mas<?x?>ter",
        "mas<label>ter</label>",
        "mas<x-a>ter</x-a>",
        "mas<img alt=\"\">ter",
    ] {
        let v = markup_view(joined, |_| {});
        assert!(v.starts_with("master"), "{joined:?}: {v}");
    }
    let v = markup_view("<td>Lab</td><td>Vault</td>", |_| {});
    assert!(v.starts_with("lab vault"), "{v}");
}

#[test]
fn a_quoted_gt_does_not_end_a_tag() {
    let mut seen = Vec::new();
    markup_view(r#"<a title=">" href="../v/">x</a>"#, |t| {
        seen.push(t.to_string())
    });
    assert_eq!(seen[0], r#"a title=">" href="../v/""#);
    // An unclosed quote falls back to the first `>`.
    let mut seen = Vec::new();
    markup_view(r#"<a title="x>y"#, |t| seen.push(t.to_string()));
    assert_eq!(seen[0], r#"a title="x"#);
}

/// `tag_end` as it was written first, a byte at a time: the oracle.
fn tag_end_bytewise(at: &str) -> Option<usize> {
    let bytes = at.as_bytes();
    let mut quote = None;
    let mut after_eq = false;
    for (i, &b) in bytes.iter().enumerate().skip(1) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'>' => return Some(i),
            None if (b == b'"' || b == b'\'') && after_eq => quote = Some(b),
            None => {}
        }
        if quote.is_none() && !b.is_ascii_whitespace() {
            after_eq = b == b'=';
        }
    }
    at.find('>')
}

#[test]
fn tag_end_agrees_with_a_byte_at_a_time_reading() {
    // Every string of up to 7 characters over the bytes that matter.
    let alphabet = ['<', '>', '"', '\'', '=', ' ', 'a'];
    let mut checked = 0;
    for len in 1..=7u32 {
        for mut n in 0..alphabet.len().pow(len) {
            let mut s = String::from("<");
            for _ in 0..len {
                s.push(alphabet[n % alphabet.len()]);
                n /= alphabet.len();
            }
            assert_eq!(tag_end(&s), tag_end_bytewise(&s), "{s:?}");
            checked += 1;
        }
    }
    assert!(checked > 900_000);
}

#[test]
fn nothing_of_an_unclosed_tag_is_lost() {
    let v = markup_view("text <a title=\"Secret vault", |_| {});
    assert!(v.contains("secret vault"), "{v}");
    let v = markup_view("x <!-- Secret vault", |_| {});
    assert!(v.contains("secret vault"), "{v}");
}
