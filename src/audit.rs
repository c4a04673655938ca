//! The leak audit: what a public build left out, as needles, and two checks
//! that use them.
//!
//! Needles are the URLs and titles of sensitive pages (except a title a public
//! page also has) and each private-block line of 12 or more visible
//! characters (except lines also found in public pages' sources).
//! - `TitleCheck`, before rendering: a public page whose source contains a
//!   sensitive title is an error naming both files.
//! - `Audit::scan`, after rendering and before the output is swapped in: any
//!   needle in any file to be published fails the build.

use rustc_hash::FxHashSet as HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::diag::{Diagnostic, LineIndex};

/// A page left out of a public build, as the audit needs it.
#[derive(Debug, Clone)]
pub struct Withheld {
    pub rel: String,
    pub title: String,
    /// URL path of the page had it been published (`/locks/a/b/`).
    pub url: String,
    /// Its output folder (`locks/a/b/`).
    pub path: String,
}

/// A public page's source as the sensitive-title check reads it: front matter
/// and body with private blocks blanked.
pub struct PublicSource<'a> {
    pub display_path: String,
    pub yaml: &'a str,
    pub body: &'a str,
    pub body_line: usize,
}

#[derive(Debug, Clone)]
struct Needle {
    text: String,
    what: String,
    /// Matched against a page's text (tags removed) rather than its bytes.
    in_text: bool,
    /// Only where it stands as a word (a title "Lab" is not in "label").
    whole_word: bool,
}

/// The compiled needles of one public build.
#[derive(Debug, Clone)]
pub struct Audit {
    /// Output folders of withheld pages: no output file may lie in one.
    paths: Vec<(String, String)>,
    /// Needles searched in file names and bytes.
    needles: Vec<Needle>,
    matcher: Option<AhoCorasick>,
    /// Needles searched in the text of HTML and XML files (rendered Markdown).
    text_needles: Vec<Needle>,
    text_matcher: Option<AhoCorasick>,
}

/// A needle found in an output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leak {
    pub file: String,
    pub found: String,
    pub what: String,
}

pub const MIN_LINE_CHARS: usize = 12;

/// The audit fails closed: a needle set the matcher cannot take is an error, never "no needles".
pub type BuildError = aho_corasick::BuildError;

fn matcher(patterns: &[String]) -> Result<Option<AhoCorasick>, BuildError> {
    if patterns.is_empty() {
        return Ok(None);
    }
    // Standard semantics, searched with overlapping iteration: every
    // occurrence of every needle is seen, so a match rejected as part of a
    // longer word cannot hide another needle at the same place.
    AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .build(patterns)
        .map(Some)
}

/// Whether `hay[start..end]` stands as a word: a needle that begins (ends)
/// with a letter or digit must not be preceded (followed) by one. Bytes of
/// non-ASCII characters count as letters.
fn stands_alone(hay: &[u8], start: usize, end: usize) -> bool {
    let word = |b: &u8| b.is_ascii_alphanumeric() || *b >= 0x80;
    let open = !hay.get(start).is_some_and(word)
        || !start
            .checked_sub(1)
            .and_then(|i| hay.get(i))
            .is_some_and(word);
    let close = !end
        .checked_sub(1)
        .and_then(|i| hay.get(i))
        .is_some_and(word)
        || !hay.get(end).is_some_and(word);
    open && close
}

/// Sensitive titles that no public page shares.
fn secret_titles<'a>(withheld: &'a [Withheld], public_titles: &HashSet<&str>) -> Vec<&'a Withheld> {
    withheld
        .iter()
        .filter(|w| !public_titles.contains(w.title.as_str()))
        .collect()
}

/// The sensitive-title check, compiled once per set of titles.
#[derive(Debug)]
pub struct TitleCheck {
    /// (title, content path of the sensitive page)
    titles: Vec<(String, String)>,
    matcher: Option<AhoCorasick>,
}

impl TitleCheck {
    pub fn new(
        withheld: &[Withheld],
        public_titles: &HashSet<&str>,
    ) -> Result<TitleCheck, BuildError> {
        let titles: Vec<(String, String)> = secret_titles(withheld, public_titles)
            .into_iter()
            .map(|w| (w.title.clone(), w.rel.clone()))
            .collect();
        let patterns: Vec<String> = titles.iter().map(|t| t.0.clone()).collect();
        Ok(TitleCheck {
            matcher: matcher(&patterns)?,
            titles,
        })
    }

    /// Errors for a public source that contains a sensitive page's title.
    pub fn check(&self, src: &PublicSource) -> Vec<Diagnostic> {
        let Some(ac) = &self.matcher else {
            return vec![];
        };
        let mut diags = Vec::new();
        for (text, first_line) in [(src.yaml, 2), (src.body, src.body_line)] {
            let index = LineIndex::new(text);
            for m in ac.find_overlapping_iter(text) {
                if !stands_alone(text.as_bytes(), m.start(), m.end()) {
                    continue;
                }
                let (title, rel) = &self.titles[m.pattern().as_usize()];
                let (line, col) = index.position(text, m.start());
                diags.push(
                    Diagnostic::error(
                        &src.display_path,
                        line + first_line - 1,
                        col,
                        format!("public page mentions the title of sensitive page content/{rel} ('{title}')"),
                    )
                    .with_hint("rephrase it, or put the mention in a ::: private block"),
                );
            }
        }
        diags
    }
}

/// Markdown list and quote markers in front of a line's text.
fn strip_line_markers(line: &str) -> &str {
    let mut s = line.trim();
    loop {
        let before = s;
        for p in ["- ", "* ", "+ ", "> "] {
            s = s.strip_prefix(p).unwrap_or(s).trim_start();
        }
        let digits = s.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && (s[digits..].starts_with(". ") || s[digits..].starts_with(") ")) {
            s = s[digits + 2..].trim_start();
        }
        if s == before {
            return s;
        }
    }
}

/// A private line as needles: as written (`false`), and, when it has inline
/// Markdown, as the text it renders to (`true`: matched against the text of
/// pages with tags removed), when long enough.
fn line_needles(line: &str) -> Vec<(String, bool)> {
    let visible = |s: &str| s.chars().filter(|c| !c.is_whitespace()).count() >= MIN_LINE_CHARS;
    let line = strip_line_markers(line);
    let plain = markdown_plain(line);
    let mut out = Vec::new();
    if visible(line) {
        out.push((line.to_string(), false));
    }
    if plain != line && visible(&plain) {
        out.push((plain, true));
    }
    out
}

/// Inline Markdown reduced to its text: `**a**` → `a`, `[t](u)` → `t`.
fn markdown_plain(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' | '`' | '~' | '[' => {}
            '!' if chars.peek() == Some(&'[') => {}
            ']' if chars.peek() == Some(&'(') => {
                for c in chars.by_ref() {
                    if c == ')' {
                        break;
                    }
                }
            }
            ']' => {}
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text of an HTML document: tags removed, so needles match across markup.
fn text_view(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut in_tag = false;
    for &b in bytes {
        match b {
            b'<' => in_tag = true,
            b'>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(b),
            _ => {}
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

impl Audit {
    /// Compiles the needles. `private_lines` are (source file, line) of every
    /// private block; `public_texts` the public pages' sources.
    pub fn new(
        withheld: &[Withheld],
        public_titles: &HashSet<&str>,
        private_lines: &[(String, String)],
        public_texts: &[&str],
    ) -> Result<Audit, BuildError> {
        let mut needles = Vec::new();
        for w in withheld {
            let what = format!("URL of sensitive page content/{}", w.rel);
            needles.push(Needle {
                text: w.url.clone(),
                what,
                in_text: false,
                whole_word: false,
            });
        }
        for w in secret_titles(withheld, public_titles) {
            let what = format!("title of sensitive page content/{}", w.rel);
            needles.push(Needle {
                text: w.title.clone(),
                what,
                in_text: false,
                whole_word: true,
            });
        }
        // (needle, private line it comes from, source file)
        let candidates: Vec<((String, bool), usize, &str)> = private_lines
            .iter()
            .enumerate()
            .flat_map(|(line_no, (rel, line))| {
                line_needles(line)
                    .into_iter()
                    .map(move |n| (n, line_no, rel.as_str()))
            })
            .collect();
        let texts: Vec<(String, &str)> = candidates
            .iter()
            .map(|((t, _), _, rel)| (t.clone(), *rel))
            .collect();
        // A line found in public sources, as written or as text, is public:
        // all of its needles go (its text form would match the public copy).
        let public_lines: HashSet<usize> = public_occurrences(&texts, public_texts)?
            .into_iter()
            .map(|i| candidates[i].1)
            .collect();
        for ((text, in_text), line_no, rel) in &candidates {
            if !public_lines.contains(line_no) {
                let what = format!("private-block line of content/{rel}");
                needles.push(Needle {
                    text: text.clone(),
                    what,
                    in_text: *in_text,
                    whole_word: false,
                });
            }
        }
        let escaped: Vec<Needle> = needles
            .iter()
            .filter(|n| escape(&n.text) != n.text)
            .map(|n| Needle {
                text: escape(&n.text),
                ..n.clone()
            })
            .collect();
        needles.extend(escaped);
        let (text_needles, needles): (Vec<Needle>, Vec<Needle>) =
            needles.into_iter().partition(|n| n.in_text);
        let patterns: Vec<String> = needles.iter().map(|n| n.text.clone()).collect();
        let text_patterns: Vec<String> = text_needles.iter().map(|n| n.text.clone()).collect();
        let paths = withheld
            .iter()
            .map(|w| {
                (
                    w.path.clone(),
                    format!("output folder of sensitive page content/{}", w.rel),
                )
            })
            .collect();
        Ok(Audit {
            matcher: matcher(&patterns)?,
            needles,
            text_matcher: matcher(&text_patterns)?,
            text_needles,
            paths,
        })
    }

    /// Needles found in a file's name or bytes.
    pub fn scan(&self, file: &str, bytes: &[u8]) -> Vec<Leak> {
        let mut leaks: Vec<Leak> = self
            .paths
            .iter()
            .filter(|(p, _)| file.starts_with(p.as_str()))
            .map(|(p, what)| Leak {
                file: file.to_string(),
                found: p.clone(),
                what: what.clone(),
            })
            .collect();
        let mut found = |needles: &[Needle], ac: &AhoCorasick, hay: &[u8]| {
            for m in ac.find_overlapping_iter(hay) {
                let n = &needles[m.pattern().as_usize()];
                if n.whole_word && !stands_alone(hay, m.start(), m.end()) {
                    continue;
                }
                leaks.push(Leak {
                    file: file.to_string(),
                    found: n.text.clone(),
                    what: n.what.clone(),
                });
            }
        };
        if let Some(ac) = &self.matcher {
            found(&self.needles, ac, file.as_bytes());
            found(&self.needles, ac, bytes);
        }
        if let Some(ac) = &self.text_matcher
            && (file.ends_with(".html") || file.ends_with(".xml"))
        {
            found(&self.text_needles, ac, &text_view(bytes));
        }
        leaks.sort_by(|a, b| (&a.found, &a.what).cmp(&(&b.found, &b.what)));
        leaks.dedup();
        leaks
    }
}

/// Indexes of `candidates` found in any public text (overlapping matches included).
fn public_occurrences(
    candidates: &[(String, &str)],
    public_texts: &[&str],
) -> Result<HashSet<usize>, BuildError> {
    if candidates.is_empty() {
        return Ok(HashSet::default());
    }
    let patterns = candidates.iter().map(|(t, _)| t.as_str());
    let ac = AhoCorasickBuilder::new()
        .ascii_case_insensitive(true)
        .build(patterns)?;
    Ok(public_texts
        .iter()
        .flat_map(|t| {
            ac.find_overlapping_iter(*t)
                .map(|m| m.pattern().as_usize())
                .collect::<Vec<_>>()
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn withheld() -> Vec<Withheld> {
        vec![
            Withheld {
                rel: "locks/s.md".into(),
                title: "Server room master".into(),
                url: "/locks/s/".into(),
                path: "locks/s/".into(),
            },
            Withheld {
                rel: "locks/f.md".into(),
                title: "Front door".into(),
                url: "/locks/f/".into(),
                path: "locks/f/".into(),
            },
        ]
    }

    #[test]
    fn titles_shared_with_public_pages_are_not_needles() {
        let public: HashSet<&str> = ["Front door"].into_iter().collect();
        let a = Audit::new(&withheld(), &public, &[], &[]).unwrap();
        assert!(a.scan("index.html", b"<a>Front door</a>").is_empty());
        let leaks = a.scan("index.html", b"<a>server room MASTER</a>");
        assert_eq!(leaks.len(), 1);
        assert!(leaks[0].what.contains("locks/s.md"));
    }

    #[test]
    fn urls_and_file_names_are_searched() {
        let a = Audit::new(&withheld(), &HashSet::default(), &[], &[]).unwrap();
        assert_eq!(
            a.scan("sitemap.xml", b"<loc>https://x.org/locks/s/</loc>")
                .len(),
            1
        );
        assert_eq!(
            a.scan("locks/s/index.html", b"").len(),
            1,
            "{:?}",
            a.scan("locks/s/index.html", b"")
        );
    }

    #[test]
    fn private_lines_long_enough_and_not_public_are_needles() {
        let lines = vec![
            (
                "a.md".to_string(),
                "- The code is **4482-19** today".to_string(),
            ),
            ("a.md".to_string(), "short".to_string()),
            (
                "a.md".to_string(),
                "Hold the button for 10 seconds.".to_string(),
            ),
        ];
        let public = ["Step: Hold the button for 10 seconds. Then wait."];
        let a = Audit::new(&[], &HashSet::default(), &lines, &public).unwrap();
        assert_eq!(
            a.scan("x.html", b"The code is <strong>4482-19</strong> today")
                .len(),
            1
        );
        assert!(a.scan("x.html", b"The code is ").is_empty());
        assert!(
            a.scan("x.html", b"Hold the button for 10 seconds.")
                .is_empty()
        );
        assert_eq!(a.scan("x.html", b"The code is **4482-19** today").len(), 1);
    }

    #[test]
    fn escaped_titles_are_found() {
        let w = vec![Withheld {
            rel: "a.md".into(),
            title: "R&D \"vault\"".into(),
            url: "/a/".into(),
            path: "a/".into(),
        }];
        let a = Audit::new(&w, &HashSet::default(), &[], &[]).unwrap();
        assert_eq!(a.scan("x.html", b"R&amp;D &quot;vault&quot;").len(), 1);
    }

    #[test]
    fn source_check_reports_line_and_both_files() {
        let src = PublicSource {
            display_path: "content/g.md".into(),
            yaml: "title: x\n",
            body: "a\nsee Server room master\n",
            body_line: 4,
        };
        let d = TitleCheck::new(&withheld(), &HashSet::default())
            .unwrap()
            .check(&src);
        assert_eq!(d.len(), 1);
        assert_eq!((d[0].line, d[0].col), (5, 5));
        assert!(d[0].message.contains("content/locks/s.md"));
    }

    #[test]
    fn list_markers_are_stripped() {
        assert_eq!(strip_line_markers("1. > - text"), "text");
    }

    #[test]
    fn titles_match_as_whole_words_only() {
        let w = vec![Withheld {
            rel: "locks/l.md".into(),
            title: "Lab".into(),
            url: "/locks/l/".into(),
            path: "locks/l/".into(),
        }];
        let a = Audit::new(&w, &HashSet::default(), &[], &[]).unwrap();
        for clean in [&b"<label>available</label>"[..], b"Labs", b"Lab\xc3\xa9"] {
            assert!(a.scan("a.html", clean).is_empty(), "{clean:?}");
        }
        for leak in [&b"<a>Lab</a>"[..], b"the lab.", b"LAB", b"Labs and Lab"] {
            assert_eq!(a.scan("a.html", leak).len(), 1, "{leak:?}");
        }
        let check = TitleCheck::new(&w, &HashSet::default()).unwrap();
        let src = |body| PublicSource {
            display_path: "content/a.md".into(),
            yaml: "title: A",
            body,
            body_line: 4,
        };
        assert!(check.check(&src("A label on the door.")).is_empty());
        assert_eq!(check.check(&src("See the lab.")).len(), 1);
    }

    #[test]
    fn a_rejected_longer_match_does_not_hide_a_needle() {
        let w = vec![
            Withheld {
                rel: "locks/l.md".into(),
                title: "Lab".into(),
                url: "/locks/l/".into(),
                path: "locks/l/".into(),
            },
            Withheld {
                rel: "locks/m.md".into(),
                title: "Lab A".into(),
                url: "/locks/m/".into(),
                path: "locks/m/".into(),
            },
        ];
        let a = Audit::new(&w, &HashSet::default(), &[], &[]).unwrap();
        // "Lab A" is not a word here ("Lab Ax"), but "Lab" is.
        let leaks = a.scan("a.html", b"Lab Ax");
        assert_eq!(leaks.len(), 1, "{leaks:?}");
        assert_eq!(leaks[0].found, "Lab");
    }

    /// Found by cargo-fuzz: a private line with inline Markdown that a public
    /// page also has was exempt as written but not as rendered text.
    #[test]
    fn a_public_line_is_exempt_in_its_text_form_too() {
        let line = "Use the **programming card**, the red one from the kit.";
        let lines = vec![("a.md".to_string(), line.to_string())];
        let a = Audit::new(&[], &HashSet::default(), &lines, &[line]).unwrap();
        let page = b"<p>Use the <strong>programming card</strong>, the red one from the kit.</p>";
        assert!(a.scan("g/index.html", page).is_empty());
        // Not public: both forms are needles.
        let a = Audit::new(&[], &HashSet::default(), &lines, &[]).unwrap();
        assert_eq!(a.scan("g/index.html", page).len(), 1);
    }
}
