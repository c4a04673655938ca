//! Step 2: the sensitive filter, the one place that decides what a build
//! publishes. A public build keeps the pages that are not sensitive and the
//! assets of the bundles it keeps; a private build keeps everything; an
//! audience's build keeps what its audience reads (`Readers`). What is
//! left out survives only as a summary (`Withheld`: content path, title,
//! URL; the folders of left-out bundles), for the link check and the leak
//! audit. `split` takes the docs by value (inside `Urls`) and `Visible`'s
//! fields are private, so no later step can reach a left-out doc.

use rustc_hash::FxHashMap as HashMap;

use super::OutAsset;
use super::readers::Readers;
use super::urls::{Addressed, Urls};
use crate::audit::Withheld;
use crate::source::Asset;

/// What one build publishes, and the summary of what it leaves out.
#[derive(Debug)]
pub struct Visible<'a> {
    readers: Readers<'a>,
    kept: Vec<Addressed<'a>>,
    withheld: Vec<Withheld>,
    withheld_dirs: Vec<String>,
    assets: Vec<KeptAsset>,
}

/// A bundle asset the build copies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeptAsset {
    /// Its path under `content/`: `locks/a/b/photo.jpg`.
    pub content: String,
    pub out: OutAsset,
}

impl<'a> Visible<'a> {
    /// A private build (an audience's included): its pages are marked private.
    pub fn private(&self) -> bool {
        self.readers.private()
    }

    /// Who the build is for: which sensitive content it shows.
    pub fn readers(&self) -> Readers<'a> {
        self.readers
    }

    /// The pages this build publishes, in content order.
    pub fn kept(&self) -> &[Addressed<'a>] {
        &self.kept
    }

    /// The pages this build leaves out that have a URL.
    pub fn withheld(&self) -> &[Withheld] {
        &self.withheld
    }

    /// Folders (under `content/`, ending in `/`) of the bundles this build leaves out.
    pub fn withheld_dirs(&self) -> &[String] {
        &self.withheld_dirs
    }

    /// The assets of the bundles this build keeps, in source order.
    pub fn assets(&self) -> &[KeptAsset] {
        &self.assets
    }

    /// (content path, line) of every private-block line this build leaves
    /// out: all of the kept pages' in a public build, none in a private one,
    /// those of the pages its audience does not read in an audience's.
    pub fn withheld_lines(&self) -> Vec<(String, String)> {
        self.kept
            .iter()
            .filter(|p| !self.readers.read(p.doc))
            .flat_map(|p| {
                let rel = &p.doc.rel;
                p.doc
                    .blocks
                    .iter()
                    .flat_map(move |b| b.lines.iter().map(move |l| (rel.clone(), l.clone())))
            })
            .collect()
    }
}

/// Splits a build's pages into what it publishes and what it leaves out.
/// `base` is the base path that URLs start with.
pub fn split<'a>(
    urls: Urls<'a>,
    assets: &[Asset],
    readers: Readers<'a>,
    base: &str,
) -> Visible<'a> {
    let (kept, left_out): (Vec<Addressed>, Vec<Addressed>) =
        urls.pages.into_iter().partition(|p| readers.publish(p.doc));
    let withheld = left_out
        .iter()
        .filter_map(|p| {
            let path = p.path.as_ref()?;
            Some(Withheld {
                rel: p.doc.rel.clone(),
                title: p.doc.title().unwrap_or_default().to_string(),
                url: format!("{base}{path}"),
                path: path.clone(),
            })
        })
        .collect();
    let withheld_dirs = left_out
        .iter()
        .filter(|p| p.doc.is_bundle())
        .map(|p| bundle_dir(&p.doc.rel).to_string())
        .collect();
    Visible {
        assets: kept_assets(&kept, assets),
        readers,
        kept,
        withheld,
        withheld_dirs,
    }
}

/// The assets of the kept bundles that have a URL.
fn kept_assets(kept: &[Addressed], assets: &[Asset]) -> Vec<KeptAsset> {
    // Bundle `index.md` → its page path.
    let bundles: HashMap<&str, Option<&str>> = kept
        .iter()
        .filter(|p| p.doc.is_bundle())
        .map(|p| (p.doc.rel.as_str(), p.path.as_deref()))
        .collect();
    assets
        .iter()
        .filter_map(|a| {
            let page = (*bundles.get(a.bundle.as_str())?)?;
            Some(KeptAsset {
                content: format!("{}{}", bundle_dir(&a.bundle), a.name),
                out: OutAsset {
                    src: a.src.clone(),
                    out: format!("{page}{}", a.name),
                },
            })
        })
        .collect()
}

/// The folder of a bundle's `index.md`, ending in `/`.
fn bundle_dir(index: &str) -> &str {
    &index[..index.len() - "index.md".len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Audience;
    use crate::doc::Doc;
    use crate::location;
    use crate::site::tests::{doc, doc_with_body};
    use crate::site::urls;

    fn entry(rel: &str, title: &str, sensitive: bool) -> Doc {
        doc(
            rel,
            &format!("title: {title}\nbrand: Acme\nmodel: M\nsensitive: {sensitive}"),
        )
    }

    fn asset(bundle: &str, name: &str) -> Asset {
        Asset {
            bundle: bundle.into(),
            name: name.into(),
            src: format!("/site/content/{bundle}/../{name}").into(),
        }
    }

    fn visible<'a>(docs: &[&'a Doc], assets: &[Asset], private: bool) -> Visible<'a> {
        split(
            urls::assign(docs).0,
            assets,
            Readers::of(private, None),
            "/hb/",
        )
    }

    fn for_audience<'a>(docs: &[&'a Doc], assets: &[Asset], a: &'a Audience) -> Visible<'a> {
        split(urls::assign(docs).0, assets, Readers::Audience(a), "/hb/")
    }

    fn audience(name: &str, all: bool, locations: &[&str]) -> Audience {
        Audience {
            name: name.into(),
            all,
            locations: locations.iter().map(|l| l.to_string()).collect(),
            location_parts: locations.iter().map(|l| location::parts(l)).collect(),
            description: String::new(),
        }
    }

    fn sensitive_at(rel: &str, location: &str, audiences: &str) -> Doc {
        doc(
            rel,
            &format!(
                "title: {rel}\nbrand: Acme\nmodel: M\nsensitive: true\nlocation: {location}\naudiences: [{audiences}]"
            ),
        )
    }

    fn kept_rels<'a>(v: &'a Visible) -> Vec<&'a str> {
        v.kept().iter().map(|p| p.doc.rel.as_str()).collect()
    }

    #[test]
    fn a_public_build_keeps_public_pages_and_summarises_the_rest() {
        let (a, s, b) = (
            entry("locks/acme/a.md", "A", false),
            entry("locks/acme/s.md", "Server room", true),
            entry("locks/acme/b.md", "B", false),
        );
        let v = visible(&[&a, &s, &b], &[], false);
        assert!(!v.private());
        assert_eq!(kept_rels(&v), ["locks/acme/a.md", "locks/acme/b.md"]);
        let w = v.withheld();
        assert_eq!(w.len(), 1);
        assert_eq!(
            (&*w[0].rel, &*w[0].title, &*w[0].url, &*w[0].path),
            (
                "locks/acme/s.md",
                "Server room",
                "/hb/locks/acme/s/",
                "locks/acme/s/"
            )
        );
        assert!(v.withheld_dirs().is_empty());
    }

    #[test]
    fn a_private_build_keeps_everything_and_withholds_nothing() {
        let (a, s) = (
            entry("locks/acme/a.md", "A", false),
            entry("locks/acme/s/index.md", "S", true),
        );
        let assets = [asset("locks/acme/s/index.md", "photo.jpg")];
        let v = visible(&[&a, &s], &assets, true);
        assert_eq!(kept_rels(&v), ["locks/acme/a.md", "locks/acme/s/index.md"]);
        assert!(v.withheld().is_empty() && v.withheld_dirs().is_empty());
        assert_eq!(v.assets().len(), 1);
    }

    #[test]
    fn only_kept_bundles_keep_their_assets() {
        let (kept, left) = (
            entry("locks/acme/k/index.md", "K", false),
            entry("locks/acme/s/index.md", "S", true),
        );
        let assets = [
            asset("locks/acme/s/index.md", "secret.jpg"),
            asset("locks/acme/k/index.md", "img/b.png"),
            asset("locks/acme/k/index.md", "a.png"),
            asset("locks/acme/gone/index.md", "orphan.png"),
        ];
        let v = visible(&[&kept, &left], &assets, false);
        let kept_assets: Vec<(&str, &str)> = v
            .assets()
            .iter()
            .map(|a| (a.content.as_str(), a.out.out.as_str()))
            .collect();
        assert_eq!(
            kept_assets,
            [
                ("locks/acme/k/img/b.png", "locks/acme/k/img/b.png"),
                ("locks/acme/k/a.png", "locks/acme/k/a.png"),
            ],
            "in source order"
        );
        assert_eq!(v.withheld_dirs(), ["locks/acme/s/"]);
    }

    #[test]
    fn a_bundle_with_a_slug_copies_its_assets_beside_its_page() {
        let b = doc(
            "locks/acme/k/index.md",
            "title: K\nbrand: Acme\nmodel: M\nslug: other",
        );
        let v = visible(&[&b], &[asset("locks/acme/k/index.md", "a.png")], false);
        assert_eq!(v.assets()[0].content, "locks/acme/k/a.png");
        assert_eq!(v.assets()[0].out.out, "locks/acme/other/a.png");
    }

    #[test]
    fn a_left_out_page_without_a_url_is_no_withheld_page_but_its_folder_is_withheld() {
        let s = doc(
            "locks/acme/s/index.md",
            "title: S\nbrand: Acme\nmodel: M\nsensitive: true\nslug: '!!'",
        );
        let v = visible(&[&s], &[asset("locks/acme/s/index.md", "a.png")], false);
        assert!(v.withheld().is_empty());
        assert_eq!(v.withheld_dirs(), ["locks/acme/s/"]);
        assert!(v.assets().is_empty());
    }

    #[test]
    fn private_lines_are_withheld_in_public_builds_only() {
        let body = "Open.\n\n::: private\nCode is 4711 then hash\n:::\n";
        let a = doc_with_body("guide/a.md", "title: A", body);
        let public = visible(&[&a], &[], false);
        assert_eq!(
            public.withheld_lines(),
            [(
                "guide/a.md".to_string(),
                "Code is 4711 then hash".to_string()
            )]
        );
        assert!(visible(&[&a], &[], true).withheld_lines().is_empty());
    }

    #[test]
    fn an_audience_keeps_public_pages_and_the_sensitive_pages_it_reads() {
        let public = entry("locks/acme/p.md", "P", false);
        let b = sensitive_at("locks/acme/b/index.md", "Building B / Floor 2", "");
        let bx = sensitive_at("locks/acme/bx.md", "Building BX", "");
        let named = sensitive_at("locks/acme/n.md", "Annex", "night-staff");
        let other = sensitive_at("locks/acme/o.md", "Annex", "");
        let docs = [&public, &b, &bx, &named, &other];
        let assets = [asset("locks/acme/b/index.md", "door.jpg")];
        let rels = |a: &Audience| {
            let v = for_audience(&docs, &assets, a);
            assert!(v.private());
            let w: Vec<String> = v.withheld().iter().map(|w| w.rel.clone()).collect();
            (kept_rels(&v).join(" "), w.join(" "), v.assets().len())
        };
        assert_eq!(
            rels(&audience("building-b", false, &["building b"])),
            (
                "locks/acme/p.md locks/acme/b/index.md".into(),
                "locks/acme/bx.md locks/acme/n.md locks/acme/o.md".into(),
                1
            )
        );
        assert_eq!(
            rels(&audience("night-staff", false, &[])),
            (
                "locks/acme/p.md locks/acme/n.md".into(),
                "locks/acme/b/index.md locks/acme/bx.md locks/acme/o.md".into(),
                0
            )
        );
        let all = audience("managers", true, &[]);
        let v = for_audience(&docs, &assets, &all);
        assert_eq!(v.kept().len(), 5);
        assert!(v.withheld().is_empty());
        let night = audience("night-staff", false, &[]);
        assert_eq!(
            for_audience(&docs, &assets, &night).withheld_dirs(),
            ["locks/acme/b/"]
        );
    }

    #[test]
    fn an_audience_sees_the_private_blocks_of_the_pages_it_reads_only() {
        let body = "Open.\n\n::: private\nCode is 4711 then hash\n:::\n";
        let b = doc_with_body(
            "locks/acme/b.md",
            "title: B\nbrand: Acme\nmodel: M\nlocation: Building B",
            body,
        );
        let c = doc_with_body(
            "locks/acme/c.md",
            "title: C\nbrand: Acme\nmodel: M\nlocation: Building C",
            body,
        );
        let a = audience("building-b", false, &["Building B"]);
        let v = for_audience(&[&b, &c], &[], &a);
        assert_eq!(kept_rels(&v).len(), 2);
        assert_eq!(
            v.withheld_lines(),
            [(
                "locks/acme/c.md".to_string(),
                "Code is 4711 then hash".to_string()
            )]
        );
    }
}
