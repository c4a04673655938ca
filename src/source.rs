//! Sorted walk of `content/` → `SourceFile`s and bundle assets.
//!
//! Names starting with `.` or `_` (but `_index.md`) are not pages, nor are
//! editor leftovers. A folder holding `index.md` is a bundle: its other files
//! are assets copied beside its page. Files are read in parallel; text is
//! normalised (BOM dropped, CRLF → LF) so later stages see one form.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diag::Diagnostic;

/// One Markdown file of `content/`.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path under `content/`, `/`-separated: `locks/acme/d100.md`.
    pub rel: String,
    /// The file's text, without BOM, with `\n` line ends.
    pub text: String,
}

impl SourceFile {
    /// The path shown in diagnostics: relative to the site root.
    pub fn display_path(&self) -> String {
        display_path(&self.rel)
    }
}

pub fn display_path(content_rel: &str) -> String {
    format!("content/{content_rel}")
}

/// A file inside a bundle folder, copied beside the bundle's page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// The bundle's `index.md` path under `content/`.
    pub bundle: String,
    /// Path inside the bundle folder: `photo.jpg`, `img/a.png`.
    pub name: String,
    pub src: PathBuf,
}

#[derive(Debug, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
    pub assets: Vec<Asset>,
}

/// Whether a file or folder name is not a page or template: dot and
/// underscore names (but `_index.md`) and editor leftovers.
pub fn is_ignored_name(name: &str) -> bool {
    (name.starts_with('.') || name.starts_with('_')) && name != "_index.md"
        || is_editor_leftover(name)
}

/// Editor, merge and backup leftovers, skipped everywhere (bundles and
/// static files included): a stale copy of a page must never be published
/// beside it (`index.md.orig` still holds the private block the page lost).
pub fn is_editor_leftover(name: &str) -> bool {
    const ENDINGS: &[&str] = &[
        "~", ".swp", ".swx", ".swo", ".orig", ".bak", ".tmp", ".save", ".rej", ".old",
    ];
    let lower = name.to_lowercase();
    ENDINGS.iter().any(|e| lower.ends_with(e))
        || name.starts_with(".#")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "4913"
        || (name.contains("___jb_") && name.ends_with("___"))
        || lower.contains(" (copy")
        || lower.contains(" - copy")
}

/// A Markdown file by its name in another spelling (`.MD`, `.markdown`):
/// it would be neither a page nor safe to copy, so it is an error.
fn is_markdown_in_another_spelling(name: &str) -> bool {
    let lower = name.to_lowercase();
    [".md", ".markdown", ".mdown", ".mkd", ".mkdn"]
        .iter()
        .any(|e| lower.ends_with(e))
        && !name.ends_with(".md")
}

/// Whether a file starts like a page (a line `---`, after an optional BOM).
fn starts_with_front_matter(path: &Path) -> bool {
    use std::io::Read as _;
    let mut head = [0u8; 8];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    head.starts_with(b"---\n") || head.starts_with(b"---\r") || head == b"---"
}

/// Walks `content_dir` and reads every Markdown file.
pub fn load(content_dir: &Path) -> Result<Sources, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut md_paths = Vec::new();
    let mut others = Vec::new();
    let walker = WalkDir::new(content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| rel_of(content_dir, p)).unwrap_or_default();
                diags.push(Diagnostic::error(
                    display_path(&path),
                    0,
                    0,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = rel_of(content_dir, entry.path());
        if is_markdown_in_another_spelling(&rel) {
            diags.push(
                Diagnostic::error(
                    display_path(&rel),
                    0,
                    0,
                    "not read as a page: only files ending in .md are pages",
                )
                .with_hint("rename it to end in .md (lowercase)"),
            );
            continue;
        }
        if rel.ends_with(".md") {
            md_paths.push((rel, entry.into_path()));
        } else {
            others.push((rel, entry.into_path()));
        }
    }

    let read: Vec<Result<SourceFile, Diagnostic>> = md_paths
        .into_par_iter()
        .map(|(rel, path)| read_source(rel, &path))
        .collect();
    let mut files = Vec::with_capacity(read.len());
    for r in read {
        match r {
            Ok(f) => files.push(f),
            Err(d) => diags.push(d),
        }
    }

    let bundles: Vec<&str> = files
        .iter()
        .filter(|f| f.rel.ends_with("/index.md"))
        .map(|f| f.rel.as_str())
        .collect();
    let assets: Vec<Asset> = others
        .into_iter()
        .filter_map(|(rel, src)| {
            let bundle = bundle_of(&rel, &bundles)?;
            if starts_with_front_matter(&src) {
                diags.push(
                    Diagnostic::error(display_path(&rel), 1, 1, "this bundle file starts with front matter: it looks like a copy of a page")
                        .with_hint("delete it, or rename it to end in .md if it is a page of its own; it would be published as it is"),
                );
                return None;
            }
            let dir_len = bundle.len() - "index.md".len();
            Some(Asset {
                bundle: bundle.to_string(),
                name: rel[dir_len..].to_string(),
                src,
            })
        })
        .collect();
    if diags.is_empty() {
        Ok(Sources { files, assets })
    } else {
        Err(diags)
    }
}

/// The innermost bundle whose folder holds `rel`, if any.
fn bundle_of<'a>(rel: &str, bundles: &[&'a str]) -> Option<&'a str> {
    bundles
        .iter()
        .filter(|b| rel.starts_with(&b[..b.len() - "index.md".len()]))
        .max_by_key(|b| b.len())
        .copied()
}

fn rel_of(base: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(base).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn read_source(rel: String, path: &Path) -> Result<SourceFile, Diagnostic> {
    let bytes = std::fs::read(path)
        .map_err(|e| Diagnostic::error(display_path(&rel), 0, 0, format!("cannot read: {e}")))?;
    let text = decode(bytes).map_err(|line| {
        Diagnostic::error(display_path(&rel), line, 1, "file is not valid UTF-8")
            .with_hint("save the file as UTF-8")
    })?;
    Ok(SourceFile { rel, text })
}

/// UTF-8 text without BOM and with `\n` line ends; on invalid UTF-8 the 1-based line of the first bad byte.
pub fn decode(bytes: Vec<u8>) -> Result<String, usize> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let good = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..good].iter().filter(|&&b| b == b'\n').count() + 1;
            return Err(line);
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    // CRLF and lone CR both end lines, for every reader of the text alike.
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ignored_names() {
        for n in [
            ".git",
            "_draft.md",
            "a.md~",
            ".a.md.swp",
            "#a.md#",
            "4913",
            "index.md.orig",
            "index.md.BAK",
            "photo.jpg.tmp",
            "index.md.save",
            "index.md___jb_tmp___",
            "index (copy).md",
            "photo - Copy.jpg",
        ] {
            assert!(is_ignored_name(n), "{n}");
        }
        for n in ["_index.md", "a.md", "photo.jpg"] {
            assert!(!is_ignored_name(n), "{n}");
        }
    }

    #[test]
    fn decode_strips_bom_and_crlf() {
        assert_eq!(
            decode(b"\xef\xbb\xbfa\r\nb\r\n".to_vec()).unwrap(),
            "a\nb\n"
        );
        assert_eq!(decode(b"a\nb\xff".to_vec()), Err(2));
        assert_eq!(decode(b"a\rb\r\rc".to_vec()).unwrap(), "a\nb\n\nc");
    }

    #[test]
    fn innermost_bundle_wins() {
        let bundles = ["locks/a/index.md", "locks/a/b/index.md"];
        assert_eq!(
            bundle_of("locks/a/b/p.jpg", &bundles),
            Some("locks/a/b/index.md")
        );
        assert_eq!(
            bundle_of("locks/a/p.jpg", &bundles),
            Some("locks/a/index.md")
        );
        assert_eq!(bundle_of("locks/c/p.jpg", &bundles), None);
    }
}
