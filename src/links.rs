//! Internal links: relative links to `.md` files become page URLs, links in a
//! bundle to its files become asset URLs. Everything is a hash lookup in
//! `Targets`, built once per site.

use rustc_hash::FxHashMap as HashMap;

use percent_encoding::percent_decode_str;

use crate::markdown::Links;
use crate::url::SiteUrl;

/// What a content path links to.
#[derive(Debug, Clone)]
pub struct Target {
    /// Absolute URL path (base path included): `/locks/a/b/`.
    pub url: String,
    /// Present in this build; `false` for a sensitive page in a public build.
    pub published: bool,
}

/// Every linkable content path of the site.
#[derive(Debug, Default)]
pub struct Targets {
    pub pages: HashMap<String, Target>,
    /// Bundle asset paths under `content/` (`locks/a/b/photo.jpg`) → URL.
    pub assets: HashMap<String, String>,
    /// Folders (under `content/`, ending in `/`) of bundles this build leaves out.
    pub withheld_dirs: Vec<String>,
    /// Site paths (`locks/a/b`, see `url`) of pages this build leaves out → their content paths.
    pub withheld_urls: HashMap<String, String>,
    /// What links are resolved against.
    pub site: SiteUrl,
    /// `pages` and `withheld_dirs` by lower-cased path, made on first use
    /// (after the fields above are complete), so that a link in another case
    /// is one hash lookup, not a scan of the site.
    folded: std::sync::OnceLock<Folded>,
}

#[derive(Debug, Default)]
struct Folded {
    pages: HashMap<String, String>,
    withheld_dirs: HashMap<String, String>,
}

impl Targets {
    fn folded(&self) -> &Folded {
        self.folded.get_or_init(|| Folded {
            pages: self
                .pages
                .keys()
                .map(|k| (k.to_lowercase(), k.clone()))
                .collect(),
            withheld_dirs: self
                .withheld_dirs
                .iter()
                .map(|d| (d.to_lowercase(), d.clone()))
                .collect(),
        })
    }

    /// The withheld bundle folder (as written) that is or holds lower-cased `path`.
    fn withheld_dir_of(&self, lower: &str) -> Option<&str> {
        let dirs = &self.folded().withheld_dirs;
        let whole = format!("{lower}/");
        whole
            .match_indices('/')
            .find_map(|(i, _)| dirs.get(&whole[..=i]))
            .map(String::as_str)
    }
}

/// The resolver of one page.
pub struct PageLinks<'a> {
    pub targets: &'a Targets,
    /// The page's path under `content/`.
    pub rel: &'a str,
    /// The page's site path (its output folder without slashes at the ends).
    pub dir: &'a str,
}

impl Links for PageLinks<'_> {
    fn resolve(&self, dest: &str) -> Result<Option<String>, String> {
        if dest.is_empty() || dest.starts_with(['#', '?']) {
            return Ok(None);
        }
        // Where a browser goes from this page: never to a withheld page, however spelt.
        if let Some(rel) = self.withheld_by_url(dest) {
            return Err(leak_message(rel));
        }
        if is_external(dest) {
            return Ok(None);
        }
        let (path, fragment) = match dest.find(['#', '?']) {
            Some(i) => dest.split_at(i),
            None => (dest, ""),
        };
        let dir = self.rel.rfind('/').map_or("", |i| &self.rel[..=i]);
        let decoded = percent_decode_str(path).decode_utf8_lossy();
        let target = normalize(dir, &decoded);
        if path.to_ascii_lowercase().ends_with(".md") {
            let Some(target) = target else {
                return Err(format!("link '{dest}' points outside content/"));
            };
            return match self.page(&target) {
                Some((_, t)) if t.published => Ok(Some(format!("{}{fragment}", t.url))),
                Some((file, _)) => Err(leak_message(file)),
                None => Err(format!(
                    "link to missing page '{dest}' (no file content/{target})"
                )),
            };
        }
        // Other links are URLs unless they name a file of a bundle.
        let Some(target) = target else {
            return Ok(None);
        };
        if let Some(url) = self.targets.assets.get(&target) {
            return Ok(Some(format!("{url}{fragment}")));
        }
        let lower = target.to_lowercase();
        if let Some(w) = self.targets.withheld_dir_of(&lower) {
            return Err(format!(
                "public page links to a file of sensitive page content/{w}index.md; the link would leak it"
            ));
        }
        // A content path without its `.md`: `../vaultx` for `../vaultx.md`.
        let stem = lower.trim_end_matches('/');
        for guess in [format!("{stem}.md"), format!("{stem}/index.md")] {
            if let Some((file, t)) = self.page(&guess)
                && !t.published
            {
                return Err(leak_message(file));
            }
        }
        let in_own_bundle = self.rel.ends_with("/index.md") && target.starts_with(dir);
        if in_own_bundle {
            return Err(format!(
                "link to missing file '{dest}' (no file content/{target} in this bundle)"
            ));
        }
        Ok(None)
    }
}

impl PageLinks<'_> {
    /// The page at a content path, matched exactly or else ignoring case,
    /// with its content path as the file is named.
    fn page(&self, target: &str) -> Option<(&str, &Target)> {
        self.targets
            .pages
            .get_key_value(target)
            .or_else(|| {
                let file = self.targets.folded().pages.get(&target.to_lowercase())?;
                self.targets.pages.get_key_value(file)
            })
            .map(|(k, t)| (k.as_str(), t))
    }

    /// The content path of the withheld page (or bundle) a browser reaches from this page by `dest`.
    fn withheld_by_url(&self, dest: &str) -> Option<&str> {
        if self.targets.withheld_urls.is_empty() {
            return None;
        }
        self.targets.site.reached(self.dir, dest, |p| {
            self.targets.withheld_urls.get(p).map(String::as_str)
        })
    }
}

fn leak_message(target: &str) -> String {
    format!("public page links to sensitive page content/{target}; the link would leak it")
}

/// Absolute URLs, site-absolute paths, fragments and any `scheme:` link are left alone.
fn is_external(dest: &str) -> bool {
    if dest.is_empty() || dest.starts_with(['#', '/', '?', '\\']) {
        return true;
    }
    let scheme_end = dest.find(':');
    let path_start = dest.find(['/', '#', '?']).unwrap_or(dest.len());
    scheme_end.is_some_and(|i| i < path_start)
}

/// Joins `dir` (ending in `/` or empty) and a relative `path`; `None` when `..` leaves the root.
pub fn normalize(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn targets() -> Targets {
        let mut t = Targets::default();
        t.pages.insert(
            "locks/a/d100.md".into(),
            Target {
                url: "/locks/a/d100/".into(),
                published: true,
            },
        );
        t.pages.insert(
            "locks/a/secret.md".into(),
            Target {
                url: "/locks/a/secret/".into(),
                published: false,
            },
        );
        t.pages.insert(
            "guide/x.md".into(),
            Target {
                url: "/guide/x/".into(),
                published: true,
            },
        );
        t.assets
            .insert("locks/b/k/photo.svg".into(), "/locks/b/k/photo.svg".into());
        t
    }

    fn resolve(rel: &str, dest: &str) -> Result<Option<String>, String> {
        let t = targets();
        PageLinks {
            targets: &t,
            rel,
            dir: "",
        }
        .resolve(dest)
    }

    #[test]
    fn relative_md_links_become_urls_with_fragment() {
        assert_eq!(
            resolve("locks/b/c.md", "../a/d100.md"),
            Ok(Some("/locks/a/d100/".into()))
        );
        assert_eq!(
            resolve("locks/a/e.md", "../../guide/x.md#section"),
            Ok(Some("/guide/x/#section".into()))
        );
        assert_eq!(
            resolve("locks/a/e.md", "./d100.md"),
            Ok(Some("/locks/a/d100/".into()))
        );
    }

    #[test]
    fn missing_and_sensitive_targets_are_errors() {
        assert!(
            resolve("locks/a/e.md", "nope.md")
                .unwrap_err()
                .contains("missing page")
        );
        assert!(
            resolve("locks/a/e.md", "secret.md")
                .unwrap_err()
                .contains("sensitive")
        );
        // Named as the file is, however the link spells it.
        for dest in ["SECRET.md", "secret.MD", "Secret", "./SeCrEt/"] {
            assert!(
                resolve("locks/a/e.md", dest)
                    .unwrap_err()
                    .contains("sensitive page content/locks/a/secret.md;"),
                "{dest}"
            );
        }
        assert!(
            resolve("a.md", "../../x.md")
                .unwrap_err()
                .contains("outside")
        );
    }

    #[test]
    fn external_links_are_kept() {
        for dest in [
            "https://x.org/a.md",
            "mailto:a@b",
            "#top",
            "/abs/",
            "tel:123",
        ] {
            assert_eq!(resolve("guide/x.md", dest), Ok(None), "{dest}");
        }
    }

    #[test]
    fn other_cases_of_withheld_pages_and_bundles_are_found() {
        let mut t = targets();
        t.withheld_dirs.push("locks/v/".into());
        let r = |rel, dest| {
            PageLinks {
                targets: &t,
                rel,
                dir: "",
            }
            .resolve(dest)
        };
        for (rel, dest) in [
            ("locks/a/e.md", "../V/photo.jpg"),
            ("locks/a/e.md", "../V"),
            ("locks/a/e.md", "SECRET.MD"),
            ("locks/a/e.md", "Secret"),
        ] {
            let e = r(rel, dest).unwrap_err();
            assert!(e.contains("sensitive"), "{dest}: {e}");
        }
        assert_eq!(r("locks/a/e.md", "../vx/photo.jpg"), Ok(None));
    }

    #[test]
    fn bundle_assets_resolve_and_missing_ones_are_errors() {
        assert_eq!(
            resolve("locks/b/k/index.md", "photo.svg"),
            Ok(Some("/locks/b/k/photo.svg".into()))
        );
        assert!(resolve("locks/b/k/index.md", "nope.png").is_err());
        assert_eq!(resolve("locks/b/other.md", "pic.png"), Ok(None));
    }
}
