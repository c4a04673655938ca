//! Step 4, one kept page at a time: private blocks kept (marked) or blanked
//! by the build's mode, Markdown → HTML with internal links resolved against
//! the site's targets, the sensitive-title check on the public source (public
//! builds), and the page's data (`Home`, or a `PageCore` with an entry's
//! facts).

use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::readers::Readers;
use super::urls::Addressed;
use super::{FactLines, Facts, Home, PageCore};
use crate::audit::{PublicSource, TitleCheck};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::doc::Doc;
use crate::frontmatter::{EntryMeta, Extra, Meta, Revision, key_line};
use crate::links::{PageLinks, Targets};
use crate::markdown::Links;
use crate::markdown::{self, Rendered, TocEntry};
use crate::nav;
use crate::private;
use crate::slug::slugify;

/// What every page of a build is processed against.
#[derive(Clone, Copy)]
pub struct Context<'a> {
    pub config: &'a Config,
    pub targets: &'a Targets,
    pub titles: &'a TitleCheck,
    /// Who the build is for: whether a page's private blocks are shown.
    pub readers: Readers<'a>,
}

/// A page's data, when its body could be preprocessed.
#[derive(Debug)]
pub enum Made {
    Home(Home),
    Page(Arc<PageCore>),
    /// A private-block error: the page has only problems.
    Nothing,
}

/// One page's result.
#[derive(Debug)]
pub struct Processed {
    pub made: Made,
    pub problems: Vec<Diagnostic>,
    /// The body as preprocessed (in a public build, with private blocks
    /// blanked: the public source), for the audit's list of public texts;
    /// `None` when it is the doc's body as written (most pages: no second
    /// copy of every body while the site is assembled).
    public_body: Option<String>,
}

impl Processed {
    /// The body as preprocessed; `doc` is the page's own.
    pub fn public_body<'a>(&'a self, doc: &'a Doc) -> &'a str {
        self.public_body.as_deref().unwrap_or(&doc.body)
    }

    /// The page's data, unless it is the home page or has none.
    pub fn core(&self) -> Option<Arc<PageCore>> {
        match &self.made {
            Made::Page(core) => Some(Arc::clone(core)),
            Made::Home(_) | Made::Nothing => None,
        }
    }
}

/// Processes one kept page (`page.path` `None`: it has no URL, an error
/// already reported; its other problems are still found).
pub fn process(cx: &Context, page: &Addressed) -> Processed {
    let doc = page.doc;
    let path = page.path.as_deref().unwrap_or("");
    let display = doc.display_path();
    let shown = cx.readers.read(doc);
    let pre = match private::preprocess(&display, &doc.body, doc.body_line, shown) {
        Ok(p) => p,
        Err(problems) => {
            return Processed {
                made: Made::Nothing,
                problems,
                public_body: Some(String::new()),
            };
        }
    };
    let links = PageLinks {
        targets: cx.targets,
        rel: &doc.rel,
        dir: path.trim_matches('/'),
    };
    let Rendered {
        html,
        toc,
        mut problems,
    } = markdown::render(&display, &pre, cx.config.unsafe_html, &links);
    if !matches!(cx.readers, Readers::Everyone) {
        // The body as this build shows it: in a public build, with private
        // blocks blanked, the public source; in an audience's, with the
        // blocks of the pages it reads, which must not name what it does not.
        let src = PublicSource {
            display_path: display.clone(),
            yaml: &doc.yaml,
            body: &pre.body,
            body_line: doc.body_line,
        };
        problems.extend(cx.titles.check(&src));
    }
    let manual = match &doc.meta {
        Meta::Entry(e) => e.manual.as_deref().map(|m| manual_url(doc, &links, m)),
        _ => None,
    };
    let manual = match manual {
        Some(Ok(url)) => Some(url),
        Some(Err(d)) => {
            problems.push(d);
            None
        }
        None => None,
    };
    let (made, fact_problems) = data(cx.config, doc, path, html, toc, manual);
    problems.extend(fact_problems);
    Processed {
        made,
        problems,
        public_body: (pre.body != doc.body).then_some(pre.body),
    }
}

/// The page's data from its front matter and its rendered body; for an
/// entry whose brand, location part or lock type has nothing to make a URL
/// of, the errors too.
fn data(
    config: &Config,
    doc: &Doc,
    path: &str,
    html: String,
    toc: Vec<TocEntry>,
    manual: Option<String>,
) -> (Made, Vec<Diagnostic>) {
    match &doc.meta {
        Meta::Home(h) => {
            let home = Home {
                title: h.title.clone().unwrap_or_else(|| config.title.clone()),
                description: h.description.clone(),
                html: Arc::from(html),
                toc,
                extra: h.extra.clone(),
            };
            (Made::Home(home), vec![])
        }
        Meta::Guide(g) => {
            let meta = Common {
                title: &g.title,
                description: &g.description,
                revisions: &g.revisions,
                weight: g.weight,
                extra: &g.extra,
                html,
                toc,
            };
            (Made::Page(core(config, doc, path, meta, None)), vec![])
        }
        Meta::Entry(e) => {
            let brand_slug = slugify(&e.brand);
            let problem = brand_slug.is_empty().then(|| {
                Diagnostic::error(
                    doc.display_path(),
                    key_line(&doc.yaml, "brand"),
                    1,
                    format!("brand '{}' has no letters or digits for its URL", e.brand),
                )
            });
            let meta = Common {
                title: &e.title,
                description: &e.description,
                revisions: &e.revisions,
                weight: 0,
                extra: &e.extra,
                html,
                toc,
            };
            let mut facts = facts(e, brand_slug, fact_lines(&doc.yaml));
            facts.manual = manual;
            let mut problems: Vec<Diagnostic> = problem.into_iter().collect();
            problems.extend(place_problems(doc, e));
            (
                Made::Page(core(config, doc, path, meta, Some(facts))),
                problems,
            )
        }
    }
}

/// An error for each part of an entry's `location`, and for its `lock_type`,
/// that has no letters or digits for the URL of its index page.
fn place_problems(doc: &Doc, e: &EntryMeta) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let error = |key: &str, message: String, hint: &str| {
        Diagnostic::error(doc.display_path(), key_line(&doc.yaml, key), 1, message)
            .with_hint(hint.to_string())
    };
    let parts = e
        .location
        .as_deref()
        .into_iter()
        .flat_map(nav::location_parts);
    for part in parts.filter(|p| slugify(p).is_empty()) {
        problems.push(error(
            "location",
            format!("location part '{part}' has no letters or digits for its URL under /locations/"),
            "name the place in words (parts are separated by /), e.g. location: Building B / Floor 2",
        ));
    }
    if let Some(t) = e.lock_type.as_deref()
        && slugify(t).is_empty()
    {
        problems.push(error(
            "lock_type",
            format!("lock_type '{t}' has no letters or digits for its URL under /types/"),
            "write a type such as keypad or electronic-deadbolt, or leave lock_type out",
        ));
    }
    problems
}

/// What a guide page and an entry share: front matter and the rendered body.
struct Common<'a> {
    title: &'a str,
    description: &'a Option<String>,
    revisions: &'a [Revision],
    weight: i64,
    extra: &'a Extra,
    html: String,
    toc: Vec<TocEntry>,
}

fn core(
    config: &Config,
    doc: &Doc,
    path: &str,
    meta: Common,
    facts: Option<Facts>,
) -> Arc<PageCore> {
    Arc::new(PageCore {
        rel: doc.rel.clone(),
        path: path.to_string(),
        url: format!("{}{path}", config.base_path()),
        title: meta.title.to_string(),
        description: meta.description.clone(),
        sensitive: doc.sensitive(),
        has_private: !doc.blocks.is_empty(),
        audiences: doc.audiences().to_vec(),
        html: Arc::from(meta.html),
        toc: meta.toc,
        revisions: newest_first(meta.revisions),
        weight: meta.weight,
        extra: meta.extra.clone(),
        facts,
        print_weight: std::sync::OnceLock::new(),
    })
}

fn facts(e: &EntryMeta, brand_slug: String, lines: FactLines) -> Facts {
    Facts {
        brand: e.brand.trim().to_string(),
        brand_slug,
        model: e.model.clone(),
        lock_type: e.lock_type.clone(),
        location: e.location.clone(),
        installed: e.installed,
        last_verified: e.last_verified,
        lines,
        estimated_time: e.estimated_time.clone(),
        tools: e.tools.clone(),
        warnings: e.warnings.clone(),
        contacts: e.contacts.clone(),
        serial: e.serial.clone(),
        firmware: e.firmware.clone(),
        manual: None,
    }
}

/// An entry's `manual`: a file of its bundle (or another page) resolved as
/// a Markdown link would be, with the same leak checks; else an http(s)
/// link. Anything else would be a dead or unsafe link: an error.
fn manual_url(doc: &Doc, links: &PageLinks, manual: &str) -> Result<String, Diagnostic> {
    let at = |message: String| {
        Diagnostic::error(
            doc.display_path(),
            key_line(&doc.yaml, "manual"),
            1,
            message,
        )
    };
    let manual = manual.trim();
    let web = ["https://", "http://"].iter().any(|p| {
        manual
            .get(..p.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(p))
    });
    match links.resolve(manual) {
        Err(message) => Err(at(format!("'manual': {message}"))),
        Ok(Some(url)) => Ok(url),
        Ok(None) if web => Ok(manual.to_string()),
        Ok(None) => Err(at(format!(
            "'manual': '{manual}' is neither an http(s) link nor a file of this entry's bundle"
        ))
        .with_hint(
            "make the entry a bundle (locks/BRAND/MODEL/index.md) with the file beside \
             index.md, or give the manual's https:// address",
        )),
    }
}

fn fact_lines(yaml: &str) -> FactLines {
    FactLines {
        last_verified: key_line(yaml, "last_verified"),
        lock_type: key_line(yaml, "lock_type"),
        revisions: key_line(yaml, "revisions"),
    }
}

fn newest_first(revisions: &[Revision]) -> Vec<Revision> {
    let mut v = revisions.to_vec();
    v.sort_by_key(|r| std::cmp::Reverse(r.date));
    v
}

/// The home page: the one `content/_index.md` made, or the site's title alone.
pub fn home<'a>(
    config: &Config,
    processed: impl DoubleEndedIterator<Item = &'a Processed>,
) -> Home {
    processed
        .rev()
        .find_map(|p| match &p.made {
            Made::Home(h) => Some(h.clone()),
            _ => None,
        })
        .unwrap_or_else(|| Home {
            title: config.title.clone(),
            description: None,
            html: Arc::from(""),
            toc: vec![],
            extra: Extra::new(),
        })
}

/// A hash of what `process` reads besides the page itself: equal keys for
/// the same config and build, with `targets_key` and `titles_key` the keys
/// of the targets and the title check.
pub fn context_key(config: &Config, targets_key: u64, titles_key: u64, readers: u64) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    (
        targets_key,
        titles_key,
        readers,
        config.unsafe_html,
        &config.title,
        &config.base_url,
    )
        .hash(&mut h);
    h.finish()
}

/// A hash of everything `process` reads: the context's key and the page.
pub fn key(context_key: u64, page: &Addressed) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    (context_key, &page.doc.rel, &page.path, page.doc.fingerprint).hash(&mut h);
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::tests::{config, doc, doc_with_body};
    use crate::site::{filter, needles, targets, urls};

    /// Processes the kept page `rel` of `docs` as the composition would.
    fn run(docs: &[Doc], private: bool, rel: &str) -> Processed {
        let config = config("https://x.org/hb/");
        let refs: Vec<&Doc> = docs.iter().collect();
        let readers = Readers::of(private, None);
        let visible = filter::split(urls::assign(&refs).0, &[], readers, config.base_path());
        let targets = targets::targets(&config, &visible);
        let public = needles::public_titles(&visible, &[]);
        let titles = needles::title_check(&visible, &public).unwrap();
        let cx = Context {
            config: &config,
            targets: &targets,
            titles: &titles,
            readers,
        };
        let page = visible.kept().iter().find(|p| p.doc.rel == rel).unwrap();
        process(&cx, page)
    }

    fn core(p: &Processed) -> &PageCore {
        match &p.made {
            Made::Page(c) => c,
            other => panic!("not a page: {other:?}"),
        }
    }

    const ENTRY: &str = "title: D100\nbrand: '  Acme Locks '\nmodel: D-100\n\
        last_verified: 2026-01-02\nlock_type: keypad\nrevisions:\n  \
        - {date: 2025-01-01, note: first}\n  - {date: 2026-03-01, note: later}";

    #[test]
    fn an_entry_has_its_url_facts_and_revisions_newest_first() {
        let docs = [doc("locks/acme/d100.md", ENTRY)];
        let p = run(&docs, false, "locks/acme/d100.md");
        assert!(p.problems.is_empty(), "{:?}", p.problems);
        let c = core(&p);
        assert_eq!(
            (c.path.as_str(), c.url.as_str()),
            ("locks/acme/d100/", "/hb/locks/acme/d100/")
        );
        assert_eq!(c.title, "D100");
        let f = c.facts.as_ref().unwrap();
        assert_eq!(
            (f.brand.as_str(), f.brand_slug.as_str()),
            ("Acme Locks", "acme-locks")
        );
        assert_eq!(
            (f.lines.last_verified, f.lines.lock_type, f.lines.revisions),
            (5, 6, 7)
        );
        let dates: Vec<String> = c.revisions.iter().map(|r| r.date.to_string()).collect();
        assert_eq!(dates, ["2026-03-01", "2025-01-01"]);
        assert_eq!(
            c.last_revised().map(|d| d.to_string()).as_deref(),
            Some("2026-03-01")
        );
        assert!(!c.sensitive && !c.has_private);
    }

    #[test]
    fn a_guide_page_keeps_its_weight_and_has_no_facts() {
        let docs = [doc("guide/a.md", "title: A\nweight: 3")];
        let c = run(&docs, false, "guide/a.md");
        assert_eq!(core(&c).weight, 3);
        assert!(core(&c).facts.is_none());
    }

    #[test]
    fn the_home_page_takes_the_site_title_when_it_has_none() {
        let docs = [doc_with_body("_index.md", "description: D", "Welcome.\n")];
        let p = run(&docs, false, "_index.md");
        let Made::Home(h) = &p.made else {
            panic!("{:?}", p.made)
        };
        assert_eq!(h.title, "Handbook");
        assert!(h.html.contains("Welcome."));
        assert_eq!(
            home(&config("https://x.org/"), [&p].into_iter()).title,
            "Handbook"
        );
        let none: [&Processed; 0] = [];
        let fallback = home(&config("https://x.org/"), none.into_iter());
        assert_eq!((fallback.title.as_str(), &*fallback.html), ("Handbook", ""));
    }

    #[test]
    fn private_blocks_are_blanked_in_public_builds_and_marked_in_private_ones() {
        let body = "Open.\n\n::: private\nThe code is 4711.\n:::\n";
        let docs = [doc_with_body("guide/a.md", "title: A", body)];
        let public = run(&docs, false, "guide/a.md");
        assert!(!core(&public).html.contains("4711"));
        assert!(!public.public_body(&docs[0]).contains("4711"));
        assert!(core(&public).has_private);
        let private = run(&docs, true, "guide/a.md");
        assert!(core(&private).html.contains("4711"));
        assert!(core(&private).html.contains("private-block"));
    }

    #[test]
    fn a_public_page_naming_a_sensitive_title_is_an_error_in_public_builds_only() {
        let docs = [
            doc_with_body("guide/a.md", "title: A", "Ask about the Vault Room.\n"),
            doc("guide/s.md", "title: Vault Room\nsensitive: true"),
        ];
        let p = run(&docs, false, "guide/a.md");
        assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
        assert!(p.problems[0].message.contains("content/guide/s.md"));
        assert_eq!(p.problems[0].line, 4);
        assert!(run(&docs, true, "guide/a.md").problems.is_empty());
    }

    #[test]
    fn links_resolve_to_page_urls_and_links_to_left_out_pages_are_errors() {
        let docs = [
            doc_with_body("guide/a.md", "title: A", "[B](b.md) and [it](s.md).\n"),
            doc("guide/b.md", "title: B\nslug: bee"),
            doc("guide/s.md", "title: Strongroom\nsensitive: true"),
        ];
        let p = run(&docs, false, "guide/a.md");
        assert!(
            core(&p).html.contains("href=\"/hb/guide/bee/\""),
            "{}",
            core(&p).html
        );
        assert_eq!(p.problems.len(), 1, "{:?}", p.problems);
        assert!(p.problems[0].message.contains("guide/s.md"));
        assert!(run(&docs, true, "guide/a.md").problems.is_empty());
    }

    #[test]
    fn a_brand_without_letters_is_an_error_and_the_page_is_still_made() {
        let docs = [doc("locks/x/d.md", "title: D\nbrand: '!!'\nmodel: M")];
        let p = run(&docs, false, "locks/x/d.md");
        assert_eq!(p.problems.len(), 1);
        assert_eq!(p.problems[0].line, 3);
        assert_eq!(core(&p).facts.as_ref().unwrap().brand_slug, "");
    }

    #[test]
    fn a_location_part_or_type_without_letters_is_an_error_at_its_line() {
        let yaml = "title: D\nbrand: A\nmodel: M\nlocation: 'Hall / ?? / Room'\nlock_type: '--'";
        let docs = [doc("locks/x/d.md", yaml)];
        let p = run(&docs, false, "locks/x/d.md");
        let found: Vec<(usize, bool)> = p
            .problems
            .iter()
            .map(|d| {
                (
                    d.line,
                    d.message.contains("'??'") || d.message.contains("'--'"),
                )
            })
            .collect();
        assert_eq!(found, [(5, true), (6, true)], "{:?}", p.problems);
    }

    #[test]
    fn a_broken_private_block_leaves_only_problems() {
        // doc::parse accepts only well-formed blocks: break one after parsing.
        let mut d = doc("guide/a.md", "title: A");
        d.body = "::: private\nnever closed\n".into();
        let p = run(std::slice::from_ref(&d), false, "guide/a.md");
        assert!(matches!(p.made, Made::Nothing));
        assert!(!p.problems.is_empty());
        assert!(p.public_body(&d).is_empty());
    }

    #[test]
    fn the_key_covers_the_context_the_path_and_the_text() {
        let (a, b) = (doc("guide/a.md", "title: A"), doc("guide/a.md", "title: B"));
        let page = |d| Addressed {
            doc: d,
            path: Some("guide/a/".into()),
        };
        let k = key(1, &page(&a));
        assert_eq!(key(1, &page(&a)), k);
        assert_ne!(key(2, &page(&a)), k, "context");
        assert_ne!(key(1, &page(&b)), k, "text");
        let moved = Addressed {
            path: Some("guide/c/".into()),
            ..page(&a)
        };
        assert_ne!(key(1, &moved), k, "path");
        let cfg = config("https://x.org/");
        let cx = context_key(&cfg, 1, 2, 0);
        assert_ne!(context_key(&cfg, 1, 3, 0), cx, "titles");
        assert_ne!(context_key(&cfg, 9, 2, 0), cx, "targets");
        assert_ne!(context_key(&cfg, 1, 2, 1), cx, "build");
        assert_ne!(
            context_key(&config("https://y.org/"), 1, 2, 0),
            cx,
            "base URL"
        );
    }
}
