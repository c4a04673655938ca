//! `SourceFile` → `Doc`: front matter parsed and typed, private blocks checked.
//!
//! A `Doc` still holds everything, sensitive or not; what a build leaves out
//! is decided once, by the sensitive filter of `site::assemble` (`site/filter.rs`).

use std::hash::{Hash, Hasher};

use rayon::prelude::*;

use crate::diag::Diagnostic;
use crate::frontmatter::{self, Kind, Meta};
use crate::private::{self, PrivateBlock};
use crate::source::SourceFile;

#[derive(Debug, Clone)]
pub struct Doc {
    /// Path under `content/`.
    pub rel: String,
    pub meta: Meta,
    /// The YAML front matter, kept for the sensitive-title check.
    pub yaml: String,
    /// The Markdown body as written, private blocks included.
    pub body: String,
    /// File line of the body's first line.
    pub body_line: usize,
    /// The private blocks of the body.
    pub blocks: Vec<PrivateBlock>,
    /// A hash of the file's text: equal texts, equal fingerprints.
    pub fingerprint: u64,
}

impl Doc {
    pub fn display_path(&self) -> String {
        crate::source::display_path(&self.rel)
    }

    pub fn kind(&self) -> Kind {
        match self.meta {
            Meta::Home(_) => Kind::Home,
            Meta::Guide(_) => Kind::Guide,
            Meta::Entry(_) => Kind::Entry,
        }
    }

    pub fn is_bundle(&self) -> bool {
        self.rel.ends_with("/index.md")
    }

    pub fn sensitive(&self) -> bool {
        match &self.meta {
            Meta::Home(_) => false,
            Meta::Guide(g) => g.sensitive,
            Meta::Entry(e) => e.sensitive,
        }
    }

    /// The audiences the page names (`audiences:`), besides those of site.toml that read it.
    pub fn audiences(&self) -> &[String] {
        match &self.meta {
            Meta::Home(_) => &[],
            Meta::Guide(g) => &g.audiences,
            Meta::Entry(e) => &e.audiences,
        }
    }

    /// An entry's `location`.
    pub fn location(&self) -> Option<&str> {
        match &self.meta {
            Meta::Entry(e) => e.location.as_deref(),
            Meta::Home(_) | Meta::Guide(_) => None,
        }
    }

    pub fn title(&self) -> Option<&str> {
        match &self.meta {
            Meta::Home(h) => h.title.as_deref(),
            Meta::Guide(g) => Some(&g.title),
            Meta::Entry(e) => Some(&e.title),
        }
    }
}

/// Parses one source file.
pub fn parse(file: &SourceFile) -> Result<Doc, Vec<Diagnostic>> {
    let path = file.display_path();
    let kind = Kind::of(&file.rel);
    if file.rel.ends_with("/_index.md") {
        return Err(vec![
            Diagnostic::error(&path, 1, 1, "only content/_index.md is a section page").with_hint(
                "rename it to index.md to make its folder a page, or move it to content/_index.md",
            ),
        ]);
    }
    let split = frontmatter::split(&path, &file.text).map_err(|d| vec![d])?;
    // Both halves are checked, so a page's problems are all reported at once.
    let (meta, blocks) = match (
        frontmatter::parse(&path, kind, split.yaml),
        private::preprocess(&path, split.body, split.body_line, false),
    ) {
        (Ok(meta), Ok(body)) => (meta, body.blocks),
        (meta, body) => {
            let mut problems = meta.err().unwrap_or_default();
            problems.extend(body.err().unwrap_or_default());
            return Err(problems);
        }
    };
    Ok(Doc {
        rel: file.rel.clone(),
        meta,
        yaml: split.yaml.to_string(),
        // CommonMark: a NUL character in the body is replaced by U+FFFD (in front matter it is a YAML error).
        body: split.body.replace('\0', "\u{fffd}"),
        body_line: split.body_line,
        blocks,
        fingerprint: {
            let mut h = rustc_hash::FxHasher::default();
            file.text.hash(&mut h);
            h.finish()
        },
    })
}

/// Parses every file in parallel; returns the docs that parsed and the problems of the rest.
pub fn parse_all(files: &[SourceFile]) -> (Vec<Doc>, Vec<Diagnostic>) {
    let results: Vec<Result<Doc, Vec<Diagnostic>>> = files.par_iter().map(parse).collect();
    let mut docs = Vec::with_capacity(results.len());
    let mut diags = Vec::new();
    for r in results {
        match r {
            Ok(d) => docs.push(d),
            Err(e) => diags.extend(e),
        }
    }
    (docs, diags)
}
