//! Text as the search index and the search script both read it: folded
//! (decomposed, marks dropped, lower case: "Schlösser" → "schlosser"), split
//! into words of letters and digits. `search.js` does the same with
//! `normalize('NFD')`, `/\p{M}/gu` and `/[\p{L}\p{N}]+/gu`, so a query and
//! the index meet in one form.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Longest word indexed: longer runs are serial numbers or noise.
pub const MAX_WORD: usize = 40;

/// `s` decomposed, without combining marks, lower-cased.
pub fn fold(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.nfd()
        .filter(|&c| !is_combining_mark(c))
        .flat_map(char::to_lowercase)
        .collect()
}

fn in_word(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

/// The folded words of `s` of 2 to `MAX_WORD` characters, in order.
pub fn words(s: &str) -> Vec<String> {
    fold(s)
        .split(|c: char| !in_word(c))
        .filter(|w| (2..=MAX_WORD).contains(&w.chars().count()))
        .map(str::to_string)
        .collect()
}

/// A model number as one word too ("TD-210" → "td210"), so it is found typed either way.
pub fn joined(s: &str) -> Option<String> {
    let w: String = fold(s).chars().filter(|&c| in_word(c)).collect();
    let n = w.chars().count();
    ((2..=MAX_WORD).contains(&n)).then_some(w)
}

/// The text a reader sees in rendered HTML: tags dropped (a block's a
/// space, an inline one nothing: `mas<em>ter</em>` reads "master"),
/// character references decoded, white space collapsed.
pub fn html_text(html: &str) -> String {
    let mut plain = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        plain.push_str(&rest[..lt]);
        let tag = &rest[lt + 1..];
        let name = tag.trim_start_matches('/');
        let name = &name[..name
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(name.len())];
        if crate::reader::separates(name) {
            plain.push(' ');
        }
        rest = tag.find('>').map_or("", |gt| &tag[gt + 1..]);
    }
    plain.push_str(rest);
    collapse(&crate::reader::unescape(&plain))
}

/// White space runs as one space, none at the ends.
pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// At most `max` characters of `s`, cut at a space when there is one in the last fifth.
pub fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        None => s,
        Some((end, _)) => {
            let cut = s[..end].rfind(' ').filter(|&i| i >= end * 4 / 5);
            &s[..cut.unwrap_or(end)]
        }
    }
}

/// The shard of a word: FNV-1a (32 bits) of the UTF-8 of its first two
/// characters, modulo `shards` (`search.js` computes the same).
pub fn shard_of(word: &str, shards: u32) -> u32 {
    let key: String = word.chars().take(2).collect();
    let mut h: u32 = 0x811c_9dc5;
    for b in key.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h % shards.max(1)
}
