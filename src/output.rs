//! Writing: minify, audit, write into a fresh folder, swap it in.
//!
//! The build writes into a sibling temporary folder; only when every page
//! rendered, the leak audit found nothing and every file was written is the
//! previous output moved aside and the new one renamed into place. A failed
//! build leaves the previous output exactly as it was. Folders lockgen made
//! carry a marker file; lockgen refuses to replace any other folder.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result, bail};

use crate::render::{Copy, CopySource, Output};

pub const MARKER: &str = ".lockgen-output";

/// Element nesting beyond which a page is written unminified: minify-html
/// recurses per element and overflows the stack on pathologically deep
/// Markdown (thousands of nested lists or quotes).
const MAX_MINIFY_DEPTH: usize = 200;

/// Minifies an HTML page; other files, and pages nested too deeply to minify safely, are returned as they are.
pub fn minify(rel_path: &str, bytes: Vec<u8>) -> Vec<u8> {
    if !rel_path.ends_with(".html") || nesting_depth(&bytes) > MAX_MINIFY_DEPTH {
        return bytes;
    }
    let cfg = minify_html::Cfg {
        minify_css: true,
        minify_js: false,
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(&bytes, &cfg)
}

/// An upper estimate of the element nesting depth of an HTML document.
fn nesting_depth(html: &[u8]) -> usize {
    const VOID: &[&[u8]] = &[
        b"br", b"img", b"hr", b"input", b"meta", b"link", b"source", b"wbr", b"col", b"area",
        b"base", b"embed", b"track",
    ];
    let (mut depth, mut max) = (0usize, 0usize);
    let mut i = 0;
    while let Some(p) = html[i..].iter().position(|&b| b == b'<') {
        let at = i + p + 1;
        match html.get(at) {
            Some(b'/') => depth = depth.saturating_sub(1),
            Some(c) if c.is_ascii_alphabetic() => {
                let name_len = html[at..]
                    .iter()
                    .take_while(|b| b.is_ascii_alphanumeric())
                    .count();
                let name = html[at..at + name_len].to_ascii_lowercase();
                if !VOID.contains(&name.as_slice()) {
                    depth += 1;
                    max = max.max(depth);
                }
            }
            _ => {}
        }
        i = at;
    }
    max
}

/// Rewrites a page's site-absolute links (`href="/base/x/"`, `src="/base/y.svg"`)
/// relative to the page, with `index.html` for folder links, so the output
/// works when opened from disk. Only double-quoted `href` and `src`
/// attributes starting with `base_path` are touched (what lockgen writes).
pub fn relativize(rel_path: &str, html: &str, base_path: &str) -> String {
    if !rel_path.ends_with(".html") {
        return html.to_string();
    }
    let up = "../".repeat(rel_path.matches('/').count());
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut rest = html;
    while let Some(i) = rest.find(['h', 's']) {
        let (before, tail) = rest.split_at(i);
        out.push_str(before);
        let attr = ["href=\"", "src=\""]
            .into_iter()
            .find(|a| tail.starts_with(a));
        let Some(attr) = attr.filter(|a| {
            tail[a.len()..].starts_with(base_path) && !tail[a.len()..].starts_with("//")
        }) else {
            out.push_str(&tail[..1]);
            rest = &tail[1..];
            continue;
        };
        let value_start = attr.len() + base_path.len();
        let value_end = tail[value_start..]
            .find('"')
            .map_or(tail.len(), |e| value_start + e);
        let value = &tail[value_start..value_end];
        let split = value.find(['#', '?']).unwrap_or(value.len());
        let (path, suffix) = value.split_at(split);
        out.push_str(attr);
        out.push_str(&up);
        out.push_str(path);
        if attr == "href=\"" && (path.is_empty() || path.ends_with('/')) {
            out.push_str("index.html");
        }
        out.push_str(suffix);
        rest = &tail[value_end..];
    }
    out.push_str(rest);
    out
}

/// Checks that `dest` may be replaced by a build of the site at `root`.
pub fn check_destination(root: &Path, dest: &Path) -> Result<()> {
    let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let canon_dest = dest.canonicalize().unwrap_or_else(|_| dest.to_path_buf());
    if canon_dest == canon_root || canon_root.starts_with(&canon_dest) {
        bail!(
            "refusing to write to {}: it is the site root or holds it",
            dest.display()
        );
    }
    for input in ["content", "static", "templates", "themes"] {
        let folder = canon_root.join(input);
        if canon_dest.starts_with(&folder) || dest.starts_with(root.join(input)) {
            bail!(
                "refusing to write to {}: it is inside the site's {input}/ folder, which builds read",
                dest.display()
            );
        }
    }
    if dest.join("content").exists() || dest.join(crate::config::FILE).exists() {
        bail!(
            "refusing to replace {}: it holds content/ or site.toml",
            dest.display()
        );
    }
    if dest.exists() {
        let empty = fs::read_dir(dest)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !dest.join(MARKER).exists() {
            bail!(
                "refusing to replace {}: it was not made by lockgen (no {MARKER} file); move it away or choose another output folder",
                dest.display()
            );
        }
    }
    Ok(())
}

/// A temporary sibling folder that becomes the output on `commit`. Dropped
/// uncommitted, it is removed, and so are the folders above the output that
/// `new` had to create: a failed build leaves nothing behind.
///
/// Errors about files inside it name the path each file would have in the
/// output (`public/guide/x/index.html`), not the staging folder, which is gone
/// by the time anyone reads them.
pub struct Staging {
    pub dir: PathBuf,
    dest: PathBuf,
    /// Folders above `dest` that did not exist before `new`, deepest first.
    created: Vec<PathBuf>,
    committed: bool,
}

impl Staging {
    pub fn new(dest: &Path) -> Result<Staging> {
        let parent = dest
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = dest
            .file_name()
            .map_or("out".into(), |n| n.to_string_lossy().into_owned());
        let staging = Staging {
            dir: parent.join(format!(".{name}.lockgen-new-{}", std::process::id())),
            dest: dest.to_path_buf(),
            created: parent
                .ancestors()
                .take_while(|a| !a.as_os_str().is_empty() && fs::symlink_metadata(a).is_err())
                .map(Path::to_path_buf)
                .collect(),
            committed: false,
        };
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
        let dir = &staging.dir;
        if dir.exists() {
            fs::remove_dir_all(dir).with_context(|| format!("cannot remove {}", dir.display()))?;
        }
        fs::create_dir(dir).with_context(|| {
            format!(
                "cannot create {} to build {} in",
                dir.display(),
                dest.display()
            )
        })?;
        fs::write(
            dir.join(MARKER),
            "This folder was written by lockgen; lockgen replaces it on each build.\n",
        )
        .with_context(|| format!("cannot write {}", dest.join(MARKER).display()))?;
        Ok(staging)
    }

    /// The staged path of `rel_path`, its parent folders created.
    fn prepare(&self, rel_path: &str) -> Result<PathBuf> {
        let path = self.dir.join(rel_path);
        if let Some(parent) = Path::new(rel_path).parent() {
            fs::create_dir_all(self.dir.join(parent))
                .with_context(|| format!("cannot create {}", self.dest.join(parent).display()))?;
        }
        Ok(path)
    }

    pub fn write(&self, out: &Output) -> Result<()> {
        let path = self.prepare(&out.rel_path)?;
        fs::write(&path, &out.bytes)
            .with_context(|| format!("cannot write {}", self.dest.join(&out.rel_path).display()))
    }

    /// Copies a file in. Reading the source and writing the copy fail with
    /// their own messages (an unreadable asset is not a full disk).
    pub fn copy(&self, c: &Copy) -> Result<()> {
        let path = self.prepare(&c.rel_path)?;
        let target = || self.dest.join(&c.rel_path).display().to_string();
        match &c.source {
            CopySource::Embedded(bytes) => {
                fs::write(&path, bytes).with_context(|| format!("cannot write {}", target()))
            }
            CopySource::Disk(src) => {
                let mut from = fs::File::open(src)
                    .with_context(|| format!("cannot read {}", src.display()))?;
                let mut to = fs::File::create(&path)
                    .with_context(|| format!("cannot write {}", target()))?;
                std::io::copy(&mut from, &mut to)
                    .with_context(|| format!("cannot copy {} to {}", src.display(), target()))?;
                // Keep the mode, as `fs::copy` would (an executable script in static/).
                if let Ok(meta) = from.metadata() {
                    let _ = to.set_permissions(meta.permissions());
                }
                Ok(())
            }
        }
    }

    /// Swaps the staged folder in; the previous output is moved aside and
    /// returned, for the caller to delete when it suits (it is off the critical path).
    pub fn commit(mut self) -> Result<Option<PathBuf>> {
        let old = if self.dest.exists() {
            let name = self
                .dest
                .file_name()
                .map_or("out".into(), |n| n.to_string_lossy().into_owned());
            let old = self
                .dir
                .with_file_name(format!(".{name}.lockgen-old-{}", std::process::id()));
            if old.exists() {
                fs::remove_dir_all(&old)
                    .with_context(|| format!("cannot remove {}", old.display()))?;
            }
            fs::rename(&self.dest, &old)
                .with_context(|| format!("cannot move {} aside", self.dest.display()))?;
            Some(old)
        } else {
            None
        };
        if let Err(e) = fs::rename(&self.dir, &self.dest) {
            if let Some(old) = &old {
                let _ = fs::rename(old, &self.dest);
            }
            return Err(e)
                .with_context(|| format!("cannot move the new output to {}", self.dest.display()));
        }
        self.committed = true;
        Ok(old)
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
            for dir in &self.created {
                let _ = fs::remove_dir(dir);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minify_shrinks_html_only() {
        let html = b"<p>  a   b  </p>\n\n<p>c</p>".to_vec();
        assert!(minify("x.html", html.clone()).len() < html.len());
        assert_eq!(minify("x.xml", html.clone()), html);
    }

    #[test]
    fn deeply_nested_pages_are_left_unminified() {
        let deep = format!(
            "{}x{}",
            "<blockquote>".repeat(5000),
            "</blockquote>".repeat(5000)
        );
        assert_eq!(
            minify("a.html", deep.clone().into_bytes()),
            deep.into_bytes()
        );
        assert_eq!(
            nesting_depth(b"<p>a<br>b<img src=x></p><div><p>c</p></div>"),
            2
        );
    }

    #[test]
    fn relativize_links_to_the_page() {
        let html = r##"<link href="/style.css"><a href="/">h</a><a href="/locks/a/#x">a</a><img src="/locks/a/p.svg"><a href="https://x.org/">e</a><a href="#top">t</a><p>href="/not-an-attr</p>"##;
        let out = relativize("locks/a/index.html", html, "/");
        assert_eq!(
            out,
            r##"<link href="../../style.css"><a href="../../index.html">h</a><a href="../../locks/a/index.html#x">a</a><img src="../../locks/a/p.svg"><a href="https://x.org/">e</a><a href="#top">t</a><p>href="../../not-an-attr</p>"##
        );
        assert_eq!(
            relativize("index.html", r#"<a href="/hb/guide/x/">g</a>"#, "/hb/"),
            r#"<a href="guide/x/index.html">g</a>"#
        );
        assert_eq!(
            relativize("sitemap.xml", "<loc>/x/</loc>", "/"),
            "<loc>/x/</loc>"
        );
    }

    #[test]
    fn refuses_root_and_foreign_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        assert!(check_destination(root, root).is_err());
        let foreign = root.join("docs");
        fs::create_dir(&foreign).unwrap();
        fs::write(foreign.join("a.txt"), "x").unwrap();
        assert!(check_destination(root, &foreign).is_err());
        fs::write(foreign.join(MARKER), "").unwrap();
        assert!(check_destination(root, &foreign).is_ok());
        let with_content = root.join("w");
        fs::create_dir_all(with_content.join("content")).unwrap();
        assert!(check_destination(root, &with_content).is_err());
        assert!(check_destination(root, &root.join("new")).is_ok());
    }

    #[test]
    fn dropped_staging_leaves_nothing_and_commit_swaps() {
        let tmp = tempfile::tempdir().unwrap();
        let dest = tmp.path().join("public");
        let s = Staging::new(&dest).unwrap();
        let staged = s.dir.clone();
        drop(s);
        assert!(!staged.exists() && !dest.exists());
        let deep = tmp.path().join("a/b/public");
        drop(Staging::new(&deep).unwrap());
        assert!(!tmp.path().join("a").exists(), "created parents were left");
        let s = Staging::new(&dest).unwrap();
        s.write(&Output {
            rel_path: "a/index.html".into(),
            bytes: b"x".to_vec(),
        })
        .unwrap();
        assert_eq!(s.commit().unwrap(), None);
        assert_eq!(fs::read(dest.join("a/index.html")).unwrap(), b"x");
        let s = Staging::new(&dest).unwrap();
        let old = s.commit().unwrap().unwrap();
        assert!(old.join("a/index.html").exists());
        assert!(!dest.join("a/index.html").exists());
    }

    #[test]
    fn copied_files_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("run.sh");
        fs::write(&src, "#!/bin/sh\n").unwrap();
        fs::set_permissions(&src, fs::Permissions::from_mode(0o755)).unwrap();
        let s = Staging::new(&tmp.path().join("public")).unwrap();
        s.copy(&Copy {
            rel_path: "tools/run.sh".into(),
            source: CopySource::Disk(src),
        })
        .unwrap();
        let mode = fs::metadata(s.dir.join("tools/run.sh"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o755);
    }
}
