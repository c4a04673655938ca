//! The ciphertext audit: after encryption, no name or byte of the output
//! may hold plaintext of any page: titles, brands, models, locations (whole
//! and each part), slugs and file names, private-block lines. A needle counts
//! as a whole word, lower-cased, where base64's characters (and `-`, `_`)
//! count as word characters: a needle inside a run of ciphertext is random
//! bytes that happen to spell it, not a leak. Needles that the theme's own
//! clear files or the shell's fixed text contain as words (`search`,
//! `contents`) are dropped, as the theme printing that word gives nothing away.

use aho_corasick::{AhoCorasick, MatchKind};

use crate::doc::Doc;
use crate::frontmatter::Meta;

/// A plaintext found in the encrypted output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub file: String,
    pub needle: String,
    pub what: &'static str,
}

pub struct Needles {
    /// (lower-cased text, what it is).
    needles: Vec<(String, &'static str)>,
    /// The longest needle's length in bytes.
    longest: usize,
    matcher: Option<AhoCorasick>,
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '+' | '/' | '=' | '_' | '-')
}

fn norm(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The plaintexts of `docs` that no encrypted file may show.
fn plaintexts(docs: &[Doc]) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    let mut add = |s: &str, what: &'static str| out.push((norm(s), what));
    for doc in docs {
        if let Some(t) = doc.title() {
            add(t, "title");
        }
        let stem = doc
            .rel
            .trim_end_matches("/index.md")
            .trim_end_matches(".md")
            .rsplit('/')
            .next()
            .unwrap_or_default();
        add(stem, "file name");
        let (slug, location) = match &doc.meta {
            Meta::Entry(e) => {
                add(&e.brand, "brand");
                add(&e.model, "model");
                (e.slug.as_deref(), e.location.as_deref())
            }
            Meta::Guide(g) => (g.slug.as_deref(), None),
            Meta::Home(_) => (None, None),
        };
        if let Some(s) = slug {
            add(s, "slug");
        }
        if let Some(l) = location {
            add(l, "location");
            for part in crate::location::parts(l) {
                add(&part, "location");
            }
        }
        for line in doc.blocks.iter().flat_map(|b| &b.lines) {
            if line.chars().count() >= crate::audit::MIN_LINE_CHARS {
                add(line, "private-block line");
            }
        }
    }
    out.retain(|(n, _)| n.chars().count() >= 3);
    out.sort();
    out.dedup_by(|a, b| a.0 == b.0);
    out
}

impl Needles {
    /// The needles of `docs`, less those `clear_texts` (the theme's files,
    /// the shell's fixed text) hold as words.
    pub fn new(docs: &[Doc], clear_texts: &[&[u8]]) -> Result<Needles, aho_corasick::BuildError> {
        let all = Needles::compile(plaintexts(docs))?;
        let mut shown = std::collections::HashSet::new();
        for text in clear_texts {
            for f in all.scan("", text) {
                shown.insert(f.needle);
            }
        }
        let kept = all
            .needles
            .into_iter()
            .filter(|(n, _)| !shown.contains(n))
            .collect();
        Needles::compile(kept)
    }

    fn compile(needles: Vec<(String, &'static str)>) -> Result<Needles, aho_corasick::BuildError> {
        let matcher = match needles.is_empty() {
            true => None,
            false => Some(
                AhoCorasick::builder()
                    .match_kind(MatchKind::Standard)
                    .build(needles.iter().map(|(n, _)| n))?,
            ),
        };
        let longest = needles.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
        Ok(Needles {
            needles,
            longest,
            matcher,
        })
    }

    pub fn len(&self) -> usize {
        self.needles.len()
    }

    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// The needles standing as words in `file`'s name or bytes.
    pub fn scan(&self, file: &str, bytes: &[u8]) -> Vec<Found> {
        let Some(m) = &self.matcher else {
            return Vec::new();
        };
        let mut found = Vec::new();
        // In a name, `/` and `.` separate words; in bytes, base64's characters do not.
        let name_word = |c: char| c.is_alphanumeric();
        let hays: [(String, &dyn Fn(char) -> bool); 2] = [
            (file.to_lowercase(), &name_word),
            (
                String::from_utf8_lossy(&collapse_runs(bytes, self.longest.max(64))).to_lowercase(),
                &is_word,
            ),
        ];
        for (hay, word) in hays {
            for hit in m.find_overlapping_iter(&hay) {
                let before = hay[..hit.start()].chars().next_back();
                let after = hay[hit.end()..].chars().next();
                if before.is_some_and(word) || after.is_some_and(word) {
                    continue;
                }
                let (needle, what) = &self.needles[hit.pattern().as_usize()];
                if !found.iter().any(|f: &Found| &f.needle == needle) {
                    found.push(Found {
                        file: file.to_string(),
                        needle: needle.clone(),
                        what,
                    });
                }
            }
        }
        found
    }
}

fn is_b64(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=')
}

/// `bytes` with each run of more than `longer_than` base64 characters
/// replaced by one `0`. The same needles stand as words after as before: a
/// needle inside such a run has word characters on both sides (or is longer
/// than any needle), and the run's neighbours still see a word character.
/// The ciphertext, most of every encrypted file, is then not searched.
fn collapse_runs(bytes: &[u8], longer_than: usize) -> std::borrow::Cow<'_, [u8]> {
    let mut out = Vec::new();
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        if !is_b64(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_b64(bytes[i]) {
            i += 1;
        }
        if i - start > longer_than {
            out.extend_from_slice(&bytes[copied..start]);
            out.push(b'0');
            copied = i;
        }
    }
    if copied == 0 {
        return std::borrow::Cow::Borrowed(bytes);
    }
    out.extend_from_slice(&bytes[copied..]);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn needles(words: &[&str]) -> Needles {
        Needles::compile(words.iter().map(|w| (w.to_string(), "title")).collect()).unwrap()
    }

    #[test]
    fn a_needle_counts_as_a_word_not_inside_base64() {
        let n = needles(&["acme", "lobby door"]);
        assert_eq!(n.scan("x", b"<p>Acme</p>").len(), 1);
        assert_eq!(n.scan("x", b"the lobby door.").len(), 1);
        assert!(
            n.scan("x", b"lockgenFile(\"1\",\"xQ+acme9/Z==\")")
                .is_empty()
        );
        assert!(n.scan("x", b"\"acmeZ\"").is_empty());
        assert_eq!(n.scan("crypt/acme.js", b"").len(), 1, "names too");
        let run = "Q".repeat(100);
        assert!(
            n.scan("x", format!("\"{run}acme{run}\"").as_bytes())
                .is_empty()
        );
        assert!(n.scan("x", format!("acme{run}").as_bytes()).is_empty());
        assert_eq!(
            n.scan("x", format!("acme\"{run}\" acme").as_bytes()).len(),
            1
        );
        assert_eq!(
            collapse_runs(format!("a\"{run}\"b").as_bytes(), 64).as_ref(),
            b"a\"0\"b"
        );
    }
}
