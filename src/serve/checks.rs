//! The public preview's output checks, the same as `lockgen build` runs
//! before it publishes: every rendered file and every copied file (theme,
//! `static/`, bundle assets) goes through the site's leak audit
//! (`Audit::scan`), and a copied file that would replace a rendered page is an
//! error. The diagnostics are build's own (`pipeline::leak_diagnostic`,
//! `pipeline::overwrite_diagnostic`), with `preview` where build names its output
//! folder.

use std::collections::HashSet;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;

use crate::audit::Audit;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::doc::Doc;
use crate::pipeline;
use crate::render::CopySource;
use crate::site::Site;

/// What the preview's diagnostics call its output, as build says `public`.
pub const OUT_NAME: &str = "preview";

/// A copied file read into memory.
pub struct Copied {
    pub rel_path: String,
    pub bytes: Arc<[u8]>,
}

/// Reads every file a full build copies: the theme's and `static/` files, then bundle assets.
/// Errors: a file that cannot be read, and a file that would overwrite one of `rendered`.
pub fn read_copies(
    config: &Config,
    theme: &crate::theme::Theme,
    site: &Site,
    rendered: &HashSet<String>,
) -> Result<Vec<Copied>, Vec<Diagnostic>> {
    let copies = crate::produce::copies(theme, site);
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(copies.len());
    for c in copies {
        if let Some(d) = pipeline::overwrite_diagnostic(&config.root, OUT_NAME, &c, rendered) {
            errors.push(d);
            continue;
        }
        let bytes: Arc<[u8]> = match c.source {
            CopySource::Embedded(b) => Arc::from(b),
            CopySource::Disk(p) => match std::fs::read(&p) {
                Ok(b) => Arc::from(b),
                Err(e) => {
                    errors.push(Diagnostic::error(
                        pipeline::display_rel(&config.root, &p),
                        0,
                        0,
                        format!("cannot read: {e}"),
                    ));
                    continue;
                }
            },
        };
        out.push(Copied {
            rel_path: c.rel_path,
            bytes,
        });
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The leak audit on files to be served, every byte of every file as build reads
/// what it writes; build's diagnostics.
pub fn scan<'a>(
    audit: &Audit,
    files: impl IntoParallelIterator<Item = (&'a str, &'a [u8])>,
) -> Vec<Diagnostic> {
    files
        .into_par_iter()
        .flat_map_iter(|(rel, bytes)| audit.scan(rel, bytes))
        .map(|l| pipeline::leak_diagnostic(OUT_NAME, l))
        .collect()
}

/// A hash of what the audit's needles are made of, so an incremental rebuild
/// knows when files it did not re-render must be scanned again: sensitive
/// pages (their whole text: title, slug), public titles (a title a public page
/// shares is no needle) and private-block lines. A private line is no needle
/// while a public source contains it, so when the site has private lines any
/// edit to a public page may add one: then every public page's text counts.
pub fn needles_key(docs: &[&Doc]) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    let mut has_private_lines = false;
    for d in docs {
        if d.sensitive() {
            (true, &d.rel, d.fingerprint).hash(&mut h);
        } else {
            (false, &d.rel, d.title()).hash(&mut h);
            for b in &d.blocks {
                b.lines.hash(&mut h);
            }
            has_private_lines |= !d.blocks.is_empty();
        }
    }
    if has_private_lines {
        for d in docs.iter().filter(|d| !d.sensitive()) {
            d.fingerprint.hash(&mut h);
        }
    }
    h.finish()
}
