//! What a reader sees: the one text form that the sensitive-title check and
//! the leak audit compare, so that neither is fooled by bytes a reader
//! cannot tell apart.
//!
//! - `fold` maps text to its reader's form: compatibility decomposition
//!   (NFKD, char by char: ligatures, full-width forms, NBSP, the ellipsis),
//!   combining marks and invisible format characters (soft hyphen, zero-width
//!   space) dropped, every run of white space or control characters one
//!   space (NUL is dropped), typographic quotes and apostrophes `'`, dashes `-`, and
//!   everything lower-cased. Accents fold away too (`é` → `e`): a needle then
//!   matches more, never less.
//! - `markup_view` turns a file (HTML or not) into the folded text a reader
//!   sees, entities decoded and tags removed, followed by the folded inside of
//!   every tag and comment: every byte of the file is in one of the two, so
//!   nothing escapes the comparison.
//! - `stands_alone` is the word test: a letter is a Unicode letter or digit.

use std::borrow::Cow;

use unicode_normalization::char::decompose_compatible;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// Appends the reader's form of `s` to `out`; `space` says whether `out`
/// ends in a (collapsed) space, and is updated.
fn fold_into(s: &str, out: &mut String, space: &mut bool) {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Most text is ASCII that folds to itself or to its lower case, with
        // single spaces: copy the run and lower-case it in place.
        let run = plain_run(&bytes[i..], *space);
        if run > 0 {
            let start = out.len();
            out.push_str(&s[i..i + run]);
            out[start..].make_ascii_lowercase();
            *space = bytes[i + run - 1] == b' ';
            i += run;
            continue;
        }
        let Some(c) = s[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        if c.is_ascii() {
            push_ascii(c, out, space);
        } else if let Some(q) = quote_like(c) {
            push_ascii(q, out, space);
        } else {
            decompose_compatible(c, |d| push_folded(d, out, space));
        }
    }
}

/// The length of the run at the start of `bytes` whose reader's form is
/// the run lower-cased: printable ASCII but `"` and `` ` ``, and single
/// spaces (not a space right after one, or at the start when `space`).
fn plain_run(bytes: &[u8], space: bool) -> usize {
    let mut after_space = space;
    for (n, &b) in bytes.iter().enumerate() {
        let ok = match b {
            b' ' => !after_space,
            b'"' | b'`' => false,
            b'!'..=b'~' => true,
            _ => false,
        };
        if !ok {
            return n;
        }
        after_space = b == b' ';
    }
    bytes.len()
}

/// The reader's form of `s`, without leading or trailing space.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = true;
    fold_into(s, &mut out, &mut space);
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// The reader's form of `s` and, for each of its bytes, the byte offset in
/// `s` of the character it came from (for pointing at a line).
pub fn fold_with_offsets(s: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(s.len());
    let mut offsets = Vec::with_capacity(s.len());
    let mut space = true;
    let mut buf = [0u8; 4];
    for (i, c) in s.char_indices() {
        fold_into(c.encode_utf8(&mut buf), &mut out, &mut space);
        offsets.resize(out.len(), i);
    }
    (out, offsets)
}

fn push_ascii(c: char, out: &mut String, space: &mut bool) {
    match c {
        // NUL reads as nothing (and UTF-16 text, read as bytes, as text).
        '\0' => return,
        c if c.is_ascii_whitespace() || c.is_ascii_control() => {
            if !*space {
                out.push(' ');
                *space = true;
            }
            return;
        }
        '"' | '`' => out.push('\''),
        c => out.push(c.to_ascii_lowercase()),
    }
    *space = false;
}

/// Characters that read as an apostrophe or quote but do not decompose to one.
fn quote_like(c: char) -> Option<char> {
    match c {
        '\u{00B4}'
        | '\u{02B9}'
        | '\u{02BB}'
        | '\u{02BC}'
        | '\u{02BD}'
        | '\u{2032}'..='\u{2037}' => Some('\''),
        '\u{2212}' => Some('-'),
        _ => None,
    }
}

fn push_folded(d: char, out: &mut String, space: &mut bool) {
    if d.is_ascii() {
        return push_ascii(d, out, space);
    }
    if let Some(q) = quote_like(d) {
        return push_ascii(q, out, space);
    }
    match d.general_category() {
        GeneralCategory::NonspacingMark
        | GeneralCategory::EnclosingMark
        | GeneralCategory::Format => {}
        GeneralCategory::SpaceSeparator
        | GeneralCategory::LineSeparator
        | GeneralCategory::ParagraphSeparator
        | GeneralCategory::Control => push_ascii(' ', out, space),
        GeneralCategory::InitialPunctuation | GeneralCategory::FinalPunctuation => {
            push_ascii('\'', out, space)
        }
        GeneralCategory::OpenPunctuation if matches!(d, '\u{201A}' | '\u{201E}') => {
            push_ascii('\'', out, space)
        }
        GeneralCategory::DashPunctuation => push_ascii('-', out, space),
        _ if d.is_whitespace() => push_ascii(' ', out, space),
        _ => {
            out.extend(d.to_lowercase());
            *space = false;
        }
    }
}

/// Whether `c` is part of a word: a Unicode letter or digit.
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// Whether `hay[start..end]` stands as a word: if it begins (ends) with a
/// letter or digit, no letter or digit comes before (after) it.
pub fn stands_alone(hay: &str, start: usize, end: usize) -> bool {
    let (Some(before), Some(inside), Some(after)) =
        (hay.get(..start), hay.get(start..end), hay.get(end..))
    else {
        return true;
    };
    let open = !inside.chars().next().is_some_and(is_word)
        || !before.chars().next_back().is_some_and(is_word);
    let close = !inside.chars().next_back().is_some_and(is_word)
        || !after.chars().next().is_some_and(is_word);
    open && close
}

/// Elements that separate words. Every other tag (inline and custom
/// elements, comments, processing instructions) joins: `mas<b>ter</b>`,
/// `mas<!-- -->ter` and `mas<x-a>ter</x-a>` all read "master", as a browser
/// shows them. `separates` matches exactly these; the test keeps the two equal.
#[cfg(test)]
const SEPARATING: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "li",
    "link",
    "main",
    "meta",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "script",
    "section",
    "select",
    "style",
    "summary",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
];

/// Whether the element `name` (any case) separates words: one of
/// `SEPARATING` (a `match`, which compiles to a few comparisons by length).
pub fn separates(name: &str) -> bool {
    let mut lower = [0u8; 10];
    if name.is_empty() || name.len() > lower.len() {
        return false;
    }
    lower[..name.len()].copy_from_slice(name.as_bytes());
    lower[..name.len()].make_ascii_lowercase();
    matches!(
        &lower[..name.len()],
        b"address"
            | b"article"
            | b"aside"
            | b"blockquote"
            | b"body"
            | b"br"
            | b"caption"
            | b"col"
            | b"colgroup"
            | b"dd"
            | b"details"
            | b"dialog"
            | b"div"
            | b"dl"
            | b"dt"
            | b"fieldset"
            | b"figcaption"
            | b"figure"
            | b"footer"
            | b"form"
            | b"h1"
            | b"h2"
            | b"h3"
            | b"h4"
            | b"h5"
            | b"h6"
            | b"head"
            | b"header"
            | b"hr"
            | b"html"
            | b"li"
            | b"link"
            | b"main"
            | b"meta"
            | b"nav"
            | b"ol"
            | b"option"
            | b"p"
            | b"pre"
            | b"script"
            | b"section"
            | b"select"
            | b"style"
            | b"summary"
            | b"table"
            | b"tbody"
            | b"td"
            | b"textarea"
            | b"tfoot"
            | b"th"
            | b"thead"
            | b"title"
            | b"tr"
            | b"ul"
    )
}

/// The end of a tag that starts at `at` (`<…>`): the first `>` outside a
/// quoted attribute value, as a browser reads it; an unclosed quote falls
/// back to the first `>`.
pub fn tag_end(at: &str) -> Option<usize> {
    let bytes = at.as_bytes();
    let mut from = 1;
    // Jumps from one `>` or quote to the next (memchr's SIMD search: a byte
    // at a time was two fifths of `markup_view`).
    while let Some(off) = bytes
        .get(from..)
        .and_then(|rest| memchr::memchr3(b'>', b'"', b'\'', rest))
    {
        let at_quote = from + off;
        let q = bytes[at_quote];
        if q == b'>' {
            return Some(at_quote);
        }
        // Quotes count only where a value starts: right after `=` (and spaces).
        let value_starts = bytes[..at_quote]
            .iter()
            .rev()
            .find(|b| !b.is_ascii_whitespace())
            == Some(&b'=');
        from = at_quote + 1;
        if value_starts {
            match memchr::memchr(q, &bytes[from..]) {
                Some(close) => from += close + 1,
                None => break,
            }
        }
    }
    at.find('>')
}

/// A file as the audit reads it: the folded text a reader sees, then the
/// folded inside of each tag and comment. Calls `tag` with each tag's inside
/// (raw, entities not decoded) for the link check.
pub fn markup_view(s: &str, mut tag: impl FnMut(&str)) -> String {
    let mut text = String::with_capacity(s.len());
    let mut tags = String::with_capacity(s.len() / 4);
    let (mut text_space, mut tags_space) = (true, true);
    let mut rest = s;
    // memchr's SIMD search: std's `find(char)` was a tenth of the audit.
    while let Some(lt) = memchr::memchr(b'<', rest.as_bytes()) {
        let (before, at) = rest.split_at(lt);
        fold_into(&unescape(before), &mut text, &mut text_space);
        let Some(next) = at[1..].chars().next() else {
            fold_into(at, &mut text, &mut text_space);
            rest = "";
            break;
        };
        if !(next.is_ascii_alphabetic() || matches!(next, '/' | '!' | '?')) {
            fold_into("<", &mut text, &mut text_space);
            rest = &at[1..];
            continue;
        }
        let (inside, after) = if let Some(comment) = at.strip_prefix("<!--") {
            match comment.find("-->") {
                Some(e) => (&comment[..e], &comment[e + 3..]),
                None => (comment, ""),
            }
        } else {
            match tag_end(at) {
                Some(e) => (&at[1..e], &at[e + 1..]),
                None => (&at[1..], ""),
            }
        };
        let bare = inside.trim_start_matches('/');
        let name = &bare[..bare
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(bare.len())];
        if separates(name) {
            push_ascii(' ', &mut text, &mut text_space);
        }
        tag(inside);
        fold_into(&unescape(inside), &mut tags, &mut tags_space);
        push_ascii('\n', &mut tags, &mut tags_space);
        rest = after;
    }
    fold_into(&unescape(rest), &mut text, &mut text_space);
    text.push('\n');
    text.push_str(&tags);
    text
}

/// HTML character references decoded (`&#39;`, `&rsquo;`, `&nbsp;`, …).
pub fn unescape(s: &str) -> Cow<'_, str> {
    if s.contains('&') {
        htmlize::unescape(s)
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests;
