//! What the two leak checks look for, from the filter's summary of what the
//! build leaves out: the sensitive-title check, which the pages' sources go
//! through before rendering, and the output audit's needles, which every
//! published file goes through. A private build leaves nothing out, so both
//! are empty there.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHashSet as HashSet;

use super::filter::Visible;
use crate::audit::{Audit, TitleCheck};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::url::SiteUrl;

/// Titles no needle may be: the kept pages' titles, and sensitive titles
/// that are a word of the built-in theme (`theme_words`, sorted), which the
/// theme printing that word does not give away.
pub fn public_titles<'a>(visible: &'a Visible, theme_words: &[String]) -> HashSet<&'a str> {
    let kept = visible.kept().iter().filter_map(|p| p.doc.title());
    let theme = visible
        .withheld()
        .iter()
        .filter(|w| is_theme_word(&w.title, theme_words))
        .map(|w| w.title.as_str());
    kept.chain(theme).collect()
}

/// A hash of what `public_titles` collects, without collecting it: the kept
/// pages' titles in order, and the withheld titles that are theme words.
/// (Building the set was a tenth of a preview edit's assembly at 10k entries;
/// the steps that read it are memoized under this key.)
pub fn public_titles_key(visible: &Visible, theme_words: &[String]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    for p in visible.kept() {
        p.doc.title().hash(&mut h);
    }
    for w in visible.withheld() {
        is_theme_word(&w.title, theme_words)
            .then_some(&w.title)
            .hash(&mut h);
    }
    h.finish()
}

/// The sensitive-title check of a build.
pub fn title_check(visible: &Visible, public: &HashSet<&str>) -> Result<TitleCheck, Diagnostic> {
    TitleCheck::new(visible.withheld(), public).map_err(|e| {
        Diagnostic::error(
            "content",
            0,
            0,
            format!("cannot prepare the sensitive-title check: {e}"),
        )
    })
}

/// A hash of what `title_check` compiles from: the withheld pages' titles
/// and paths, and the public titles (`public_titles_key`). Hashed as given
/// rather than as `TitleCheck` folds them: folding every title was a
/// fourteenth of a preview edit's rebuild at 10k entries.
pub fn titles_key(visible: &Visible, public_key: u64) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    if visible.withheld().is_empty() {
        // No sensitive title: the check is empty whatever the public titles.
        return h.finish();
    }
    for w in visible.withheld() {
        (&w.title, &w.rel).hash(&mut h);
    }
    public_key.hash(&mut h);
    h.finish()
}

/// The output audit of a build. `public_bodies`: the kept pages' bodies with
/// private blocks blanked (a private line also found in public text is no
/// needle).
pub fn audit<'a>(
    config: &Config,
    visible: &'a Visible,
    public: &HashSet<&str>,
    public_bodies: impl Iterator<Item = &'a str>,
) -> Result<Audit, Diagnostic> {
    let private_lines = visible.withheld_lines();
    let mut public_texts: Vec<&str> = visible.kept().iter().map(|p| p.doc.yaml.as_str()).collect();
    public_texts.extend(public_bodies);
    let site = SiteUrl::new(&config.base_url);
    Audit::new(
        visible.withheld(),
        public,
        &private_lines,
        &public_texts,
        site,
    )
    .map_err(|e| {
        Diagnostic::error(
            "content",
            0,
            0,
            format!("cannot prepare the leak audit: {e}"),
        )
    })
}

/// A hash of what `audit` compiles: the base URL, the withheld pages, the
/// public titles (a set, in any order), who reads the build, the private
/// lines left out and, when there are any, the text of every kept page
/// (a private line a public page also has is no needle).
pub fn audit_key(config: &Config, visible: &Visible, public_key: u64) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    config.base_url.hash(&mut h);
    visible.readers().key().hash(&mut h);
    for w in visible.withheld() {
        (&w.rel, &w.title, &w.url, &w.path).hash(&mut h);
    }
    public_key.hash(&mut h);
    let lines = visible.withheld_lines();
    lines.hash(&mut h);
    if !lines.is_empty() {
        for p in visible.kept() {
            (&p.doc.rel, p.doc.fingerprint).hash(&mut h);
        }
    }
    h.finish()
}

/// Whether `title`, whitespace collapsed and lowercased, is one of the
/// built-in theme's words (sorted).
pub fn is_theme_word(title: &str, words: &[String]) -> bool {
    let title = title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    words.binary_search(&title).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::PublicSource;
    use crate::doc::Doc;
    use crate::site::tests::{config, doc, doc_with_body};
    use crate::site::{filter, urls};

    fn docs() -> Vec<Doc> {
        vec![
            doc_with_body(
                "guide/a.md",
                "title: Opening hours",
                "Ask.\n\n::: private\nThe alarm code is 4711-2290\n:::\n\nStaff code is public 1234-5678\n\n::: private\nStaff code is public 1234-5678\n:::\n",
            ),
            doc(
                "locks/x/s.md",
                "title: Server Room\nbrand: X\nmodel: M\nsensitive: true",
            ),
            doc("guide/c.md", "title: Contents\nsensitive: true"),
        ]
    }

    fn with<T>(docs: &[Doc], private: bool, f: impl FnOnce(&Visible) -> T) -> T {
        let refs: Vec<&Doc> = docs.iter().collect();
        f(&filter::split(
            urls::assign(&refs).0,
            &[],
            crate::site::Readers::of(private, None),
            "/",
        ))
    }

    fn theme() -> Vec<String> {
        vec!["contents".into(), "print".into()]
    }

    #[test]
    fn public_titles_are_the_kept_ones_and_sensitive_theme_words() {
        with(&docs(), false, |v| {
            let mut t: Vec<&str> = public_titles(v, &theme()).into_iter().collect();
            t.sort_unstable();
            assert_eq!(t, ["Contents", "Opening hours"]);
        });
    }

    #[test]
    fn the_title_check_knows_the_secret_titles_of_public_builds_only() {
        let src = PublicSource {
            display_path: "content/guide/b.md".into(),
            yaml: "title: B",
            body: "See the server  room, or the contents.",
            body_line: 4,
        };
        let found = with(&docs(), false, |v| {
            title_check(v, &public_titles(v, &theme()))
                .unwrap()
                .check(&src)
        });
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .contains("content/locks/x/s.md ('Server Room')")
        );
        let private = with(&docs(), true, |v| {
            title_check(v, &public_titles(v, &theme()))
                .unwrap()
                .check(&src)
        });
        assert!(private.is_empty());
    }

    #[test]
    fn the_audit_finds_left_out_urls_titles_and_private_lines() {
        let cfg = config("https://x.org/");
        let audit = with(&docs(), false, |v| {
            let public = public_titles(v, &theme());
            audit(
                &cfg,
                v,
                &public,
                ["Staff code is public 1234-5678"].into_iter(),
            )
            .unwrap()
        });
        let found = |html: &str| audit.scan("index.html", html.as_bytes());
        let whats = |html: &str| found(html).into_iter().map(|l| l.what).collect::<Vec<_>>();
        assert_eq!(
            whats("<a href=\"/locks/x/s/\">x</a>"),
            [
                "URL of sensitive page content/locks/x/s.md",
                "link to sensitive page content/locks/x/s.md"
            ]
        );
        assert_eq!(
            whats("<p>Server room</p>"),
            ["title of sensitive page content/locks/x/s.md"]
        );
        assert_eq!(
            whats("<p>The alarm code is 4711-2290</p>"),
            ["private-block line of content/guide/a.md"]
        );
        assert!(
            found("<p>Staff code is public 1234-5678</p>").is_empty(),
            "public text"
        );
        assert!(found("<h1>Contents</h1>").is_empty(), "a theme word");
    }

    #[test]
    fn a_private_build_audits_nothing() {
        let cfg = config("https://x.org/");
        let audit = with(&docs(), true, |v| {
            audit(&cfg, v, &public_titles(v, &theme()), std::iter::empty()).unwrap()
        });
        let all = "<a href=\"/locks/x/s/\">Server Room</a> The alarm code is 4711-2290";
        assert!(
            audit
                .scan("locks/x/s/index.html", all.as_bytes())
                .is_empty()
        );
    }

    #[test]
    fn the_titles_key_follows_secret_titles_not_public_text() {
        let key = |docs: &[Doc]| with(docs, false, |v| titles_key(v, public_titles_key(v, &[])));
        let before = key(&docs());
        let mut d = docs();
        d[0] = doc_with_body("guide/a.md", "title: Opening hours", "Other text.\n");
        assert_eq!(key(&d), before);
        let mut shared = d.clone();
        shared.push(doc("guide/b.md", "title: SERVER  room"));
        assert_ne!(
            key(&shared),
            before,
            "a public title shares it in the reader's form"
        );
        d[1] = doc(
            "locks/x/s.md",
            "title: Plant Room\nbrand: X\nmodel: M\nsensitive: true",
        );
        assert_ne!(key(&d), before);
    }

    #[test]
    fn the_public_titles_key_follows_the_set_it_stands_for() {
        let key = |docs: &[Doc]| with(docs, false, |v| public_titles_key(v, &theme()));
        let before = key(&docs());
        let mut body_only = docs();
        body_only[0] = doc_with_body("guide/a.md", "title: Opening hours", "Other.\n");
        assert_eq!(key(&body_only), before);
        // A sensitive page titled with another theme word puts that word in the set.
        let mut other_word = docs();
        other_word[2] = doc("guide/c.md", "title: Print\nsensitive: true");
        assert_ne!(key(&other_word), before);
        let mut renamed = docs();
        renamed[0] = doc("guide/a.md", "title: Closing hours");
        assert_ne!(key(&renamed), before);
    }

    #[test]
    fn theme_words_compare_collapsed_and_lowercased() {
        let words = ["print".to_string(), "table of contents".to_string()];
        assert!(is_theme_word(" Table  of\nContents ", &words));
        assert!(is_theme_word("PRINT", &words));
        assert!(!is_theme_word("printer", &words));
    }
}
