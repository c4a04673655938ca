//! What an edit can change in the preview's output: the keys that tell an
//! incremental rebuild whether every page must be rendered again, and the
//! outputs to render when not; and whether the pages it keeps must be audited
//! again (`needles_key`).

use std::collections::HashSet;
use std::hash::{Hash, Hasher};

use crate::config::{Config, PrintOrder};
use crate::doc::Doc;
use crate::render::{self, Job};
use crate::site::Site;

/// A hash of what every page shows (the templates' global context).
pub fn globals_key(config: &Config, site: &Site) -> u64 {
    let mut h = rustc_hash::FxHasher::default();
    (
        &config.title,
        &config.description,
        &config.language,
        &config.base_url,
        site.private,
        site.today,
    )
        .hash(&mut h);
    (site.entries.len(), site.brands.len()).hash(&mut h);
    // Which print parts exist (`/print/N/`).
    render::print_jobs(site, config.print_order)
        .count()
        .hash(&mut h);
    site.entries
        .iter()
        .filter(|p| p.entry.as_ref().is_some_and(|e| e.stale))
        .count()
        .hash(&mut h);
    // Every field of the global `guides` and `brands` lists (`render::GuideLink`,
    // `render::BrandSummary`): a private preview badges a sensitive guide in them.
    for g in &site.guides {
        (&g.title, &g.url, g.sensitive).hash(&mut h);
    }
    for b in &site.brands {
        (&b.name, &b.slug, &b.url, b.entries.len()).hash(&mut h);
    }
    // The location tree and the types: which of their pages exist, and the
    // counts the header and sidebar show.
    for n in &site.locations.nodes {
        (&n.name, &n.path, n.total, n.children.len(), n.entries.len()).hash(&mut h);
    }
    for t in &site.types.types {
        (&t.name, &t.path, t.entries.len()).hash(&mut h);
    }
    site.status_page.hash(&mut h);
    // Which files exist: a page whose URL changed must not leave its old file served.
    // (in any order: a title edit may reorder a brand's entries without changing the set)
    let urls = site.entries.iter().fold(0u64, |acc, p| {
        let mut u = rustc_hash::FxHasher::default();
        p.url.hash(&mut u);
        acc.wrapping_add(u.finish())
    });
    urls.hash(&mut h);
    h.finish()
}

/// What other pages show of an entry: its row in lists, its place among
/// neighbours. Equal keys before and after an edit mean only its own page changed.
fn listing_key(site: &Site, rel: &str) -> Option<u64> {
    let (i, p) = site
        .entries
        .iter()
        .enumerate()
        .find(|(_, p)| p.rel == rel)?;
    let mut h = rustc_hash::FxHasher::default();
    let f = p.facts.as_ref();
    (&p.title, &p.url, p.sensitive, p.last_revised()).hash(&mut h);
    f.map(|f| {
        (
            &f.brand,
            &f.model,
            &f.lock_type,
            &f.location,
            f.last_verified,
        )
    })
    .hash(&mut h);
    p.entry
        .map(|e| (e.brand, e.stale, e.prev, e.next))
        .hash(&mut h);
    i.hash(&mut h);
    Some(h.finish())
}

/// The outputs that hold every page, which any edit may change: the
/// sitemap, the search index, the print page (every page) and the feed
/// (every page's revisions). They depend on nothing but `site`, so the
/// preview may bring them up to date after the edited pages (`Session::catch_up`).
pub fn site_wide_jobs(site: &Site, print_order: PrintOrder) -> Vec<Job> {
    let mut jobs: Vec<Job> = render::sitemap_jobs(site).collect();
    jobs.extend(render::search_jobs(site));
    jobs.extend(render::print_jobs(site, print_order));
    jobs.push(Job::Feed);
    jobs
}

/// The pages a change to existing `rels` can affect, when what every page shows is unchanged
/// (the site-wide outputs are `site_wide_jobs`): the pages themselves; and where an entry's listing changed (title, model,
/// dates…), every entry of its brand (neighbours, sidebar, labels), every page of the brand
/// index, the `/contents/` pages that list the brand, the home page, and the
/// location, type and status pages (they list entries of every brand).
pub fn affected_jobs(old: Option<&Site>, site: &Site, rels: &[String]) -> Vec<Job> {
    let rels: HashSet<&str> = rels.iter().map(String::as_str).collect();
    let mut jobs: Vec<Job> = Vec::new();
    for (i, g) in site.guides.iter().enumerate() {
        if rels.contains(g.rel.as_str()) {
            jobs.push(Job::Guide(i));
        }
    }
    if rels.contains("_index.md") {
        jobs.push(Job::Home);
    }
    let mut brands: Vec<usize> = Vec::new();
    for (i, p) in site
        .entries
        .iter()
        .enumerate()
        .filter(|(_, p)| rels.contains(p.rel.as_str()))
    {
        let same = old
            .and_then(|o| listing_key(o, &p.rel))
            .is_some_and(|k| Some(k) == listing_key(site, &p.rel));
        match p.entry {
            Some(e) if !same => brands.push(e.brand),
            _ => jobs.push(Job::Entry(i)),
        }
    }
    brands.sort_unstable();
    brands.dedup();
    if !brands.is_empty() {
        jobs.push(Job::Home);
        jobs.extend(render::index_jobs(site));
    }
    for b in brands {
        let brand = &site.brands[b];
        jobs.extend((0..render::brand_pages(brand)).map(|n| Job::Brand(b, n)));
        jobs.extend(brand.entries.iter().map(|&i| Job::Entry(i)));
        if let (Some(&first), Some(&last)) = (brand.entries.first(), brand.entries.last()) {
            let pages = render::contents_page_of_entry(site, first)
                ..=render::contents_page_of_entry(site, last);
            jobs.extend(pages.map(Job::Contents));
        }
    }
    jobs.sort_unstable();
    jobs.dedup();
    jobs
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
