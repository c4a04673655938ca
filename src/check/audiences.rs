//! `lockgen check --private`'s audience reports: sensitive content that no
//! audience but those with `all = true` may read (nobody else can be given
//! it), and audiences that read nothing beyond the public build (a location
//! or a name written differently in the entries).

use crate::config::{Audience, FILE};
use crate::diag::Diagnostic;
use crate::site::{Page, Site};

/// The two reports, as warnings; none when site.toml declares no audiences
/// or the site is not the whole private build.
pub fn report(site: &Site, audiences: &[Audience]) -> Vec<Diagnostic> {
    if audiences.is_empty() || !site.private || site.audience.is_some() {
        return Vec::new();
    }
    let narrow: Vec<&Audience> = audiences.iter().filter(|a| !a.all).collect();
    let secret = site
        .guides
        .iter()
        .chain(&site.entries)
        .filter(|p| p.sensitive || p.has_private);
    let mut read = vec![false; narrow.len()];
    let mut warnings = Vec::new();
    for page in secret {
        let mut anyone = false;
        for (i, a) in narrow.iter().enumerate() {
            if reads(a, page) {
                read[i] = true;
                anyone = true;
            }
        }
        if !anyone {
            warnings.push(only_all(page, audiences));
        }
    }
    for (a, read) in narrow.iter().zip(read) {
        if !read {
            warnings.push(
                Diagnostic::warning(
                    FILE,
                    1,
                    1,
                    format!(
                        "audience '{}' reads nothing beyond the public build: no sensitive page or private block is under its locations or names it",
                        a.name
                    ),
                )
                .with_hint(
                    "check its locations against the entries' location, or name it in a page's audiences",
                ),
            );
        }
    }
    warnings
}

fn reads(a: &Audience, page: &Page) -> bool {
    let location = page.facts.as_ref().and_then(|f| f.location.as_deref());
    a.reads(&page.audiences, location)
}

fn only_all(page: &Page, audiences: &[Audience]) -> Diagnostic {
    let all: Vec<&str> = audiences
        .iter()
        .filter(|a| a.all)
        .map(|a| a.name.as_str())
        .collect();
    let who = if all.is_empty() {
        "no audience".to_string()
    } else {
        format!("only {} (all = true)", all.join(", "))
    };
    let what = if page.sensitive {
        "this sensitive page"
    } else {
        "this page's private blocks"
    };
    Diagnostic::warning(
        crate::source::display_path(&page.rel),
        1,
        1,
        format!("{who} may read {what}"),
    )
    .with_hint(
        "add audiences: [NAME] to its front matter, or give it a location an audience's locations cover",
    )
}
