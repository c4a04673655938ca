//! Step 3: what internal links can point at (`links::Targets`): every page
//! with a URL (a left-out one as unpublished, so a link to it is a leak, not
//! a missing page), the kept bundles' assets, and the folders and URLs of
//! what the build leaves out. Built from the filter's result only.

use std::hash::{Hash, Hasher};

use super::filter::Visible;
use crate::config::Config;
use crate::links::{Target, Targets};
use crate::url::SiteUrl;

/// The link targets of one build.
pub fn targets(config: &Config, visible: &Visible) -> Targets {
    let base = config.base_path();
    let mut t = Targets::default();
    for p in visible.kept() {
        if let Some(path) = &p.path {
            let url = format!("{base}{path}");
            t.pages.insert(
                p.doc.rel.clone(),
                Target {
                    url,
                    published: true,
                },
            );
        }
    }
    for w in visible.withheld() {
        let target = Target {
            url: w.url.clone(),
            published: false,
        };
        t.pages.insert(w.rel.clone(), target);
    }
    t.assets = visible
        .assets()
        .iter()
        .map(|a| (a.content.clone(), format!("{base}{}", a.out.out)))
        .collect();
    t.withheld_dirs = visible.withheld_dirs().to_vec();
    t.withheld_urls = visible
        .withheld()
        .iter()
        .map(|w| (w.path.trim_matches('/').to_lowercase(), w.rel.clone()))
        .collect();
    t.site = SiteUrl::new(&config.base_url);
    t
}

/// A hash of everything `targets` reads: equal keys, equal targets. Edits
/// that change no page's URL or visibility and no asset keep it.
pub fn key(config: &Config, visible: &Visible) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    config.base_url.hash(&mut h);
    visible.kept().len().hash(&mut h);
    for p in visible.kept() {
        (&p.doc.rel, &p.path).hash(&mut h);
    }
    visible.withheld().len().hash(&mut h);
    for w in visible.withheld() {
        (&w.rel, &w.url, &w.path).hash(&mut h);
    }
    visible.withheld_dirs().hash(&mut h);
    visible.assets().len().hash(&mut h);
    for a in visible.assets() {
        (&a.content, &a.out.out).hash(&mut h);
    }
    h.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::Doc;
    use crate::site::filter::split;
    use crate::site::tests::{config, doc};
    use crate::site::urls;
    use crate::source::Asset;

    fn docs() -> Vec<Doc> {
        vec![
            doc("guide/a.md", "title: A"),
            doc(
                "locks/acme/s/index.md",
                "title: S\nbrand: Acme\nmodel: M\nsensitive: true\nslug: Vault-Room",
            ),
            doc("locks/acme/k/index.md", "title: K\nbrand: Acme\nmodel: M"),
        ]
    }

    fn assets() -> Vec<Asset> {
        ["locks/acme/s/index.md", "locks/acme/k/index.md"]
            .map(|b| Asset {
                bundle: b.into(),
                name: "p.jpg".into(),
                src: "/x/p.jpg".into(),
            })
            .into()
    }

    fn with<T>(docs: &[Doc], private: bool, f: impl FnOnce(&Config, &Visible) -> T) -> T {
        let config = config("https://x.org/hb/");
        let refs: Vec<&Doc> = docs.iter().collect();
        let visible = split(
            urls::assign(&refs).0,
            &assets(),
            crate::site::Readers::of(private, None),
            config.base_path(),
        );
        f(&config, &visible)
    }

    #[test]
    fn public_targets_mark_left_out_pages_and_list_their_folders_and_urls() {
        let t = with(&docs(), false, targets);
        let a = &t.pages["guide/a.md"];
        assert_eq!((a.url.as_str(), a.published), ("/hb/guide/a/", true));
        let s = &t.pages["locks/acme/s/index.md"];
        assert_eq!(
            (s.url.as_str(), s.published),
            ("/hb/locks/acme/vault-room/", false)
        );
        assert_eq!(
            t.assets.get("locks/acme/k/p.jpg").map(String::as_str),
            Some("/hb/locks/acme/k/p.jpg")
        );
        assert!(!t.assets.contains_key("locks/acme/s/p.jpg"));
        assert_eq!(t.withheld_dirs, ["locks/acme/s/"]);
        assert_eq!(
            t.withheld_urls
                .get("locks/acme/vault-room")
                .map(String::as_str),
            Some("locks/acme/s/index.md")
        );
        assert_eq!(t.site, SiteUrl::new("https://x.org/hb/"));
    }

    #[test]
    fn private_targets_publish_everything() {
        let t = with(&docs(), true, targets);
        assert!(t.pages.values().all(|p| p.published));
        assert_eq!(t.assets.len(), 2);
        assert!(t.withheld_dirs.is_empty() && t.withheld_urls.is_empty());
    }

    #[test]
    fn the_key_follows_urls_and_visibility_not_text() {
        let before = with(&docs(), false, key);
        let mut edited = docs();
        edited[0] = doc("guide/a.md", "title: A, retitled");
        assert_eq!(with(&edited, false, key), before, "text");
        edited[0] = doc("guide/a.md", "title: A\nslug: b");
        assert_ne!(with(&edited, false, key), before, "a URL");
        edited[0] = doc("guide/a.md", "title: A\nsensitive: true");
        assert_ne!(with(&edited, false, key), before, "visibility");
        assert_ne!(with(&docs(), true, key), before, "the build");
    }
}
