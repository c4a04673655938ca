//! Step 1: a page path for every doc, sensitive ones too (so that links to
//! them are caught as such, not as missing pages). A path under a prefix the
//! site's generated pages use, and two docs with one path, are errors naming
//! the files.

use std::hash::{Hash, Hasher};

use rustc_hash::FxHashMap as HashMap;

use crate::diag::Diagnostic;
use crate::doc::Doc;
use crate::frontmatter::{Meta, key_line};
use crate::slug::slugify;

/// The folder of the brand indexes: `/brands/`, `/brands/<slug>/`.
pub const BRANDS: &str = "brands/";
/// The folder of the verification dashboard: `/status/`.
pub const STATUS: &str = "status/";

/// Every doc of the build with its page path, in content order.
#[derive(Debug)]
pub struct Urls<'a> {
    pub pages: Vec<Addressed<'a>>,
}

/// A doc and its output folder under the output dir (`locks/a/b/`, `""` for
/// the home page); `None` when it has none, which is an error reported by
/// `check`.
#[derive(Debug, Clone)]
pub struct Addressed<'a> {
    pub doc: &'a Doc,
    pub path: Option<String>,
}

/// `check` of every doc's `page_path` (`assemble_with` memoizes the paths).
#[cfg(test)]
pub fn assign<'a>(docs: &[&'a Doc]) -> (Urls<'a>, Vec<Diagnostic>) {
    check(docs, docs.iter().map(|d| page_path(d)))
}

/// The site's URLs from each doc's path (`paths[i]` is `docs[i]`'s): a path
/// that failed, a reserved one and one taken twice are errors.
pub fn check<'a>(
    docs: &[&'a Doc],
    paths: impl IntoIterator<Item = Result<String, Diagnostic>>,
) -> (Urls<'a>, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let pages: Vec<Addressed<'a>> = docs
        .iter()
        .zip(paths)
        .map(|(&doc, path)| {
            let path = path.map_err(|d| diags.push(d)).ok();
            diags.extend(path.as_deref().and_then(|p| reserved(doc, p)));
            Addressed { doc, path }
        })
        .collect();
    diags.extend(collisions(&pages));
    (Urls { pages }, diags)
}

/// The error for a page whose path lies where generated pages go.
fn reserved(doc: &Doc, path: &str) -> Option<Diagnostic> {
    let (_, what) = RESERVED.iter().find(|(p, _)| path.starts_with(p))?;
    Some(
        Diagnostic::error(
            doc.display_path(),
            1,
            1,
            format!("URL /{path} is reserved for {what}"),
        )
        .with_hint("move the file or set another slug"),
    )
}

/// URL prefixes of generated pages, which no content page may take, and what they hold.
const RESERVED: &[(&str, &str)] = &[
    (BRANDS, "brand indexes"),
    ("contents/", "the table of contents"),
    (super::LOCATIONS, "the location index"),
    (super::TYPES, "the lock type index"),
    // Reserved whether or not the site shows it: turning `status_page` on
    // must not take over a content page's URL.
    (STATUS, "the verification dashboard"),
    ("search/", "the search index"),
    ("print/", "the printable handbook"),
];

/// An error for each page whose path an earlier page (in content order) has,
/// on the later file of the two, naming the earlier.
fn collisions(pages: &[Addressed]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut by_path: HashMap<&str, &Doc> =
        HashMap::with_capacity_and_hasher(pages.len(), Default::default());
    for page in pages {
        let Some(path) = page.path.as_deref() else {
            continue;
        };
        let doc = page.doc;
        if let Some(other) = by_path.insert(path, doc) {
            let (first, second) = if other.rel < doc.rel {
                (other, doc)
            } else {
                (doc, other)
            };
            diags.push(
                Diagnostic::error(
                    second.display_path(),
                    key_line(&second.yaml, "slug"),
                    1,
                    format!("URL /{path} is also the URL of {}", first.display_path()),
                )
                .with_hint("rename one of the files or give one a different slug"),
            );
        }
    }
    diags
}

/// A hash of what `page_path` reads: the doc's content path and text.
pub fn path_key(doc: &Doc) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    (&doc.rel, doc.fingerprint).hash(&mut h);
    h.finish()
}

/// The output folder of a page: its content path, slugified, without `.md`
/// (and without `index` for a bundle), with `slug` replacing the last part.
pub fn page_path(doc: &Doc) -> Result<String, Diagnostic> {
    if matches!(doc.meta, Meta::Home(_)) {
        return Ok(String::new());
    }
    let stem = doc.rel.strip_suffix(".md").unwrap_or(&doc.rel);
    let stem = stem.strip_suffix("/index").unwrap_or(stem);
    let mut parts: Vec<String> = stem.split('/').map(slugify).collect();
    let slug = match &doc.meta {
        Meta::Guide(g) => g.slug.as_deref(),
        Meta::Entry(e) => e.slug.as_deref(),
        Meta::Home(_) => None,
    };
    if let (Some(slug), Some(last)) = (slug, parts.last_mut()) {
        *last = slugify(slug);
        if last.is_empty() {
            return Err(Diagnostic::error(
                doc.display_path(),
                key_line(&doc.yaml, "slug"),
                1,
                format!("slug '{slug}' has no letters or digits"),
            ));
        }
    }
    if parts.iter().any(String::is_empty) {
        return Err(Diagnostic::error(
            doc.display_path(),
            1,
            1,
            "the file or folder name has no letters or digits for the URL",
        )
        .with_hint("rename it, or set a slug"));
    }
    Ok(format!("{}/", parts.join("/")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::tests::doc;

    fn paths<'a>(urls: &'a Urls) -> Vec<Option<&'a str>> {
        urls.pages.iter().map(|p| p.path.as_deref()).collect()
    }

    #[test]
    fn paths_follow_the_content_path_slugified() {
        let docs = [
            doc("_index.md", "title: Home"),
            doc("guide/Getting Started.md", "title: G"),
            doc("locks/acme/d100.md", "title: D\nbrand: Acme\nmodel: D"),
            doc(
                "locks/acme/vault/index.md",
                "title: V\nbrand: Acme\nmodel: V",
            ),
        ];
        let refs: Vec<&Doc> = docs.iter().collect();
        let (urls, diags) = assign(&refs);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(
            paths(&urls),
            [
                Some(""),
                Some("guide/getting-started/"),
                Some("locks/acme/d100/"),
                Some("locks/acme/vault/"),
            ]
        );
    }

    #[test]
    fn a_slug_replaces_the_last_part() {
        let d = doc("guide/x.md", "title: X\nslug: Other Name");
        assert_eq!(page_path(&d).unwrap(), "guide/other-name/");
    }

    #[test]
    fn a_slug_or_name_without_letters_is_an_error_and_no_path() {
        let bad_slug = doc("guide/x.md", "title: X\nslug: '!!'");
        let bad_name = doc("guide/!!.md", "title: X");
        let refs = [&bad_slug, &bad_name];
        let (urls, diags) = assign(&refs);
        assert_eq!(paths(&urls), [None, None]);
        assert_eq!(diags.len(), 2);
        assert!(diags[0].message.contains("slug '!!'"), "{diags:?}");
        assert_eq!(diags[0].line, 3, "the slug's line");
        assert!(
            diags[1]
                .message
                .contains("no letters or digits for the URL")
        );
    }

    #[test]
    fn the_brand_index_prefix_is_reserved() {
        let d = doc("brands/acme.md", "title: A");
        let (urls, diags) = assign(&[&d]);
        assert_eq!(paths(&urls), [Some("brands/acme/")], "still addressed");
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].path, "content/brands/acme.md");
        assert!(diags[0].message.contains("reserved for brand indexes"));
    }

    #[test]
    fn the_index_and_dashboard_prefixes_are_reserved() {
        for (rel, what) in [
            ("locations/hall.md", "location index"),
            ("types/keypad.md", "lock type index"),
            ("status.md", "verification dashboard"),
        ] {
            let d = doc(rel, "title: A");
            let (_, diags) = assign(&[&d]);
            assert_eq!(diags.len(), 1, "{rel}");
            assert!(diags[0].message.contains(what), "{rel}: {diags:?}");
        }
    }

    #[test]
    fn a_collision_names_both_files_on_the_later_one() {
        let a = doc("guide/a.md", "title: A\nslug: b");
        let b = doc("guide/b.md", "title: B");
        for refs in [[&a, &b], [&b, &a]] {
            let (_, diags) = assign(&refs);
            assert_eq!(diags.len(), 1, "{diags:?}");
            assert_eq!(diags[0].path, "content/guide/b.md");
            assert_eq!(
                diags[0].message,
                "URL /guide/b/ is also the URL of content/guide/a.md"
            );
        }
    }

    #[test]
    fn a_bundle_and_a_page_of_one_name_collide() {
        let a = doc("locks/a/x.md", "title: X\nbrand: A\nmodel: X");
        let b = doc("locks/a/x/index.md", "title: Y\nbrand: A\nmodel: Y");
        let (_, diags) = assign(&[&a, &b]);
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].path, "content/locks/a/x/index.md");
        assert!(diags[0].message.ends_with("URL of content/locks/a/x.md"));
    }

    #[test]
    fn sensitive_pages_get_paths_too() {
        let d = doc(
            "locks/a/s.md",
            "title: S\nbrand: A\nmodel: S\nsensitive: true",
        );
        let (urls, _) = assign(&[&d]);
        assert_eq!(paths(&urls), [Some("locks/a/s/")]);
    }
}
