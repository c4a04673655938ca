//! The sensitive-title check: a public page's source that names a
//! sensitive page's title, in the reader's form, is an error before anything
//! is rendered.

use rustc_hash::FxHashSet as HashSet;

use aho_corasick::AhoCorasick;

use super::{BuildError, PublicSource, Withheld, matcher};
use crate::diag::{Diagnostic, LineIndex};
use crate::reader::{self, fold, stands_alone};

/// Sensitive titles that no public page shares (in the reader's form).
pub fn secret_titles<'a>(
    withheld: &'a [Withheld],
    public_titles: &HashSet<&str>,
) -> Vec<&'a Withheld> {
    let public: HashSet<String> = public_titles.iter().map(|t| fold(t)).collect();
    withheld
        .iter()
        .filter(|w| !fold(&w.title).is_empty() && !public.contains(&fold(&w.title)))
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
        let patterns: Vec<String> = titles.iter().map(|t| fold(&t.0)).collect();
        Ok(TitleCheck {
            matcher: matcher(&patterns)?,
            titles,
        })
    }

    /// Errors for a public source that contains a sensitive page's title, in
    /// the reader's form: across line breaks, in typographic quotes, any case.
    pub fn check(&self, src: &PublicSource) -> Vec<Diagnostic> {
        let Some(ac) = &self.matcher else {
            return vec![];
        };
        let mut diags = Vec::new();
        for (text, first_line) in [(src.yaml, 2), (src.body, src.body_line)] {
            let folded = fold(text);
            let hit = ac
                .find_overlapping_iter(&folded)
                .any(|m| stands_alone(&folded, m.start(), m.end()));
            if !hit {
                continue;
            }
            // Rare: fold again, keeping where each byte came from, to point at the line.
            let (folded, offsets) = reader::fold_with_offsets(text);
            let index = LineIndex::new(text);
            for m in ac.find_overlapping_iter(&folded) {
                if !stands_alone(&folded, m.start(), m.end()) {
                    continue;
                }
                let (title, rel) = &self.titles[m.pattern().as_usize()];
                let at = offsets.get(m.start()).copied().unwrap_or(0);
                let (line, col) = index.position(text, at);
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
