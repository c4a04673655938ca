//! `lockgen new "Brand Model"`: one new entry, every front matter key
//! present (through `frontmatter::emit`), its revisions started today.
//!
//! The name's first word is the brand and the rest the model (`Acme D-100`
//! → brand `Acme`, model `D-100`), unless `--brand` or `--model` says
//! otherwise; a brand of several words is given with `--brand`. The file is
//! `content/locks/<brand slug>/<model slug>.md`, or `…/<model slug>/index.md`
//! for a bundle. A file that is there, in either form, is never replaced.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diag::Diagnostic;
use crate::frontmatter::{EntryMeta, Revision, emit};
use crate::slug::slugify;

/// What `lockgen new` was asked for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    pub name: String,
    pub brand: Option<String>,
    pub model: Option<String>,
    pub title: Option<String>,
    pub location: Option<String>,
    pub lock_type: Option<String>,
    pub sensitive: bool,
    pub bundle: bool,
}

/// The entry's front matter and its path under the site's folder.
pub fn plan(req: &Request, today: Date) -> Result<(String, EntryMeta), Diagnostic> {
    let name = req.name.trim();
    let (first, rest) = name
        .split_once(char::is_whitespace)
        .map_or((name, ""), |(a, b)| (a, b.trim()));
    let brand = req.brand.as_deref().unwrap_or(first).trim();
    let model = match &req.model {
        Some(m) => m.trim(),
        None if req.brand.is_some() => name.strip_prefix(brand).unwrap_or(name).trim(),
        None => rest,
    };
    let usage = |message: &str| {
        Diagnostic::error("", 0, 0, message.to_string()).with_hint(
            "write the brand then the model, \"Acme D-100\", or give them apart: \
             --brand \"Acme Locks\" --model D-100",
        )
    };
    if brand.is_empty() || model.is_empty() {
        return Err(usage("a new entry needs a brand and a model"));
    }
    let (brand_slug, model_slug) = (slugify(brand), slugify(model));
    if brand_slug.is_empty() || model_slug.is_empty() {
        return Err(usage(
            "the brand and the model need letters or digits for the URL",
        ));
    }
    let title = req
        .title
        .clone()
        .unwrap_or_else(|| format!("{brand} {model}"));
    let mut e = EntryMeta::new(title.trim(), brand, model);
    e.location = req.location.clone().filter(|l| !l.trim().is_empty());
    e.lock_type = req.lock_type.clone().filter(|t| !t.trim().is_empty());
    e.sensitive = req.sensitive;
    e.revisions = vec![Revision {
        date: today,
        note: "Created with lockgen new".into(),
        author: None,
    }];
    let rel = if req.bundle {
        format!("content/locks/{brand_slug}/{model_slug}/index.md")
    } else {
        format!("content/locks/{brand_slug}/{model_slug}.md")
    };
    Ok((rel, e))
}

/// Writes the entry under `root`; its path relative to `root`.
pub fn write(root: &Path, req: &Request, today: Date) -> Result<String, Diagnostic> {
    if !root.join(crate::config::FILE).is_file() {
        return Err(Diagnostic::error(
            crate::config::FILE,
            0,
            0,
            format!("no {} in {}", crate::config::FILE, root.display()),
        )
        .with_hint("run lockgen new in the site's folder, pass --root DIR, or start a site with `lockgen init`"));
    }
    let (rel, meta) = plan(req, today)?;
    for other in both_forms(&rel) {
        if root.join(&other).exists() {
            return Err(
                Diagnostic::error(&other, 0, 0, "already exists; nothing was written").with_hint(
                    "lockgen new never overwrites: edit that file, or give another model \
                     (--model) for a second lock of the same model",
                ),
            );
        }
    }
    let text = emit::page(&emit::entry(&meta), BODY);
    let path: PathBuf = root.join(&rel);
    crate::init::create_new(&path, &text)
        .map_err(|e| Diagnostic::error(&rel, 0, 0, format!("cannot write: {e}")))?;
    Ok(rel)
}

/// `…/m.md` and `…/m/index.md`: the two files of one entry URL.
fn both_forms(rel: &str) -> [String; 2] {
    match rel.strip_suffix("/index.md") {
        Some(stem) => [format!("{stem}.md"), rel.to_string()],
        None => {
            let stem = rel.trim_end_matches(".md");
            [rel.to_string(), format!("{stem}/index.md")]
        }
    }
}

const BODY: &str = "\
## Reset procedure

1. First step.
2. Second step.
";

#[cfg(test)]
mod tests {
    use super::*;

    fn req(name: &str) -> Request {
        Request {
            name: name.into(),
            ..Request::default()
        }
    }

    const TODAY: Date = jiff::civil::date(2026, 3, 4);

    #[test]
    fn the_first_word_is_the_brand_unless_told_otherwise() {
        let (rel, e) = plan(&req("Acme D-100 Pro"), TODAY).unwrap();
        assert_eq!(rel, "content/locks/acme/d-100-pro.md");
        assert_eq!((e.brand.as_str(), e.model.as_str()), ("Acme", "D-100 Pro"));
        assert_eq!(e.title, "Acme D-100 Pro");
        let r = Request {
            brand: Some("Acme Locks".into()),
            bundle: true,
            ..req("Acme Locks D-100")
        };
        let (rel, e) = plan(&r, TODAY).unwrap();
        assert_eq!(rel, "content/locks/acme-locks/d-100/index.md");
        assert_eq!(e.model, "D-100");
        assert_eq!(e.revisions[0].date, TODAY);
        assert!(plan(&req("Acme"), TODAY).is_err());
        assert!(plan(&req("!! ??"), TODAY).is_err());
    }

    #[test]
    fn both_forms_of_an_entry_are_checked() {
        assert_eq!(
            both_forms("content/locks/a/m.md"),
            ["content/locks/a/m.md", "content/locks/a/m/index.md"]
        );
        assert_eq!(
            both_forms("content/locks/a/m/index.md"),
            ["content/locks/a/m.md", "content/locks/a/m/index.md"]
        );
    }
}
