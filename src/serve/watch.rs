//! Watching the site folder: which file events matter, and what they change.

use std::path::{Path, PathBuf};

use notify::EventKind;

use super::session::Change;
use crate::source::is_ignored_name;

/// What a changed path means for the preview, or `None` when it does not matter.
pub fn classify(root: &Path, path: &Path, kind: &EventKind, outputs: &[PathBuf]) -> Option<Kind> {
    if matches!(kind, EventKind::Access(_)) {
        return None;
    }
    let rel = path.strip_prefix(root).ok()?;
    if outputs.iter().any(|o| path.starts_with(o)) {
        return None;
    }
    let name = rel.file_name()?.to_string_lossy();
    if rel
        .components()
        .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()) && c.as_os_str() != "_index.md")
    {
        return None;
    }
    let first = rel.components().next()?.as_os_str().to_string_lossy();
    match first.as_ref() {
        "content" => {
            let inner = rel.strip_prefix("content").ok()?;
            let inner = inner
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            if name.ends_with(".md") {
                Some(Kind::Markdown(inner))
            } else {
                Some(Kind::Asset(path.to_path_buf()))
            }
        }
        "static" | "templates" | "themes" => Some(Kind::Other),
        "site.toml" => Some(Kind::Other),
        _ => None,
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A Markdown file under content/ (path under content/).
    Markdown(String),
    /// A file under content/ that is not Markdown: a bundle asset, or an editor's temp file.
    Asset(PathBuf),
    /// Templates, static files, site.toml.
    Other,
}

/// Folds the kinds of one batch of events into one change. A Markdown file
/// counts as edited in place when the session knows it and it still exists
/// (editors that save by renaming a temp file over it included). A non-Markdown
/// path that neither exists nor was an asset is an editor's vanished temp file.
pub fn change(
    kinds: Vec<Kind>,
    page_exists: impl Fn(&str) -> bool,
    asset_matters: impl Fn(&Path) -> bool,
) -> Option<Change> {
    let mut pages = Vec::new();
    for k in kinds {
        match k {
            Kind::Markdown(rel) if page_exists(&rel) => {
                if !pages.contains(&rel) {
                    pages.push(rel);
                }
            }
            Kind::Asset(p) if !asset_matters(&p) => {}
            _ => return Some(Change::Everything),
        }
    }
    (!pages.is_empty()).then_some(Change::Pages(pages))
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{AccessKind, ModifyKind};

    fn kind(p: &str) -> Option<Kind> {
        let root = Path::new("/site");
        classify(
            root,
            &root.join(p),
            &EventKind::Modify(ModifyKind::Any),
            &[root.join("public")],
        )
    }

    #[test]
    fn classifies_paths() {
        assert_eq!(
            kind("content/locks/a.md"),
            Some(Kind::Markdown("locks/a.md".into()))
        );
        assert_eq!(
            kind("content/_index.md"),
            Some(Kind::Markdown("_index.md".into()))
        );
        assert_eq!(
            kind("content/locks/b/photo.jpg"),
            Some(Kind::Asset("/site/content/locks/b/photo.jpg".into()))
        );
        assert_eq!(kind("templates/base.html"), Some(Kind::Other));
        assert_eq!(kind("site.toml"), Some(Kind::Other));
        assert_eq!(kind("public/index.html"), None);
        assert_eq!(kind("content/locks/4913"), None);
        assert_eq!(kind("content/locks/.a.md.swp"), None);
        assert_eq!(kind("content/locks/a.md~"), None);
        assert_eq!(kind("target/x"), None);
        let root = Path::new("/site");
        let access = EventKind::Access(AccessKind::Any);
        assert_eq!(
            classify(root, &root.join("content/a.md"), &access, &[]),
            None
        );
    }

    #[test]
    fn folds_batches() {
        let known = |r: &str| r == "a.md" || r == "b.md";
        let asset = |p: &Path| p.ends_with("photo.jpg");
        assert_eq!(change(vec![], known, asset), None);
        let md = |s: &str| Kind::Markdown(s.into());
        let c = change(vec![md("a.md"), md("a.md"), md("b.md")], known, asset);
        assert_eq!(c, Some(Change::Pages(vec!["a.md".into(), "b.md".into()])));
        assert_eq!(
            change(vec![md("new.md")], known, asset),
            Some(Change::Everything)
        );
        assert_eq!(
            change(vec![md("a.md"), Kind::Other], known, asset),
            Some(Change::Everything)
        );
        let temp = Kind::Asset("/site/content/sedX1".into());
        assert_eq!(
            change(vec![temp.clone(), md("a.md")], known, asset),
            Some(Change::Pages(vec!["a.md".into()]))
        );
        assert_eq!(change(vec![temp], known, asset), None);
        let photo = Kind::Asset("/site/content/b/photo.jpg".into());
        assert_eq!(change(vec![photo], known, asset), Some(Change::Everything));
    }
}
