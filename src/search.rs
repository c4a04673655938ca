//! The search index: `Site` → the files of `search/`, read by the theme's
//! `search.js`. Built from the assembled site, so the sensitive filter has
//! already run: a public build indexes public pages with their private blocks
//! blanked, a private build everything. Each file is one `Job::Search` of the
//! renderer, so `produce` audits it like every page.
//!
//! The files are scripts that call `lockgenIndex(kind, n, data)`, so the
//! search works from `file://`, where a browser refuses `fetch`:
//! 1. `search/m.js`, the manifest: counts and the filter values (brands,
//!    lock types, locations' first parts);
//! 2. `search/t-<k>.js`, the words whose first two characters hash to shard
//!    `k` (`text::shard_of`), each with its postings: `doc << 2 | class`,
//!    delta-encoded, class 3 for a title or model word, 2 for brand, lock
//!    type, location or a heading, 1 for the body;
//! 3. `search/d-<n>.js`, `CHUNK` pages' result rows: path, title, brand,
//!    location, lock type, the snippet's source, sensitive;
//! 4. `search/f-<i>.js`, the pages of each value of filter `i` (brand, lock
//!    type, location), delta-encoded.
//!
//! A query loads the manifest, a shard per distinct word start and the
//! chunks of the rows it shows; a filter loads its file once. Shards and
//! chunks grow with the site by count (`layout`), not by size.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap as HashMap;

use rayon::prelude::*;
use serde_json::json;

use crate::render::Output;
use crate::site::{Page, Site};

#[cfg(test)]
mod tests;
mod text;

pub use text::{fold, words};

/// Pages per result-row chunk (`d-<n>.js`).
pub const CHUNK: usize = 32;
/// Pages whose words are read (in parallel) before they are posted.
const INDEX_BATCH: usize = 2048;
/// Characters of a page's text kept for its result's snippet.
pub const SNIPPET: usize = 240;
/// The filters, in the order of their files `f-0.js`, `f-1.js`, `f-2.js`.
pub const FILTERS: [&str; 3] = ["brand", "type", "location"];

/// How many shards and chunks a site's index has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub shards: u32,
    pub chunks: usize,
}

/// A shard per ~80 pages, a power of two from 1 to 256: a 10,000-page
/// site's word list in 128 parts.
pub fn layout(site: &Site) -> Layout {
    layout_for(site.guides.len() + site.entries.len())
}

fn layout_for(docs: usize) -> Layout {
    let shards = u32::try_from((docs / 80).max(1).next_power_of_two().min(256)).unwrap_or(256);
    Layout {
        shards,
        chunks: docs.div_ceil(CHUNK),
    }
}

/// How many files `build` makes: the manifest, shards, chunks, filters.
pub fn parts(site: &Site) -> usize {
    let l = layout(site);
    1 + l.shards as usize + l.chunks + FILTERS.len()
}

/// One page as the index sees it.
struct Indexed {
    /// Word → best class among the page's fields.
    words: HashMap<String, u8>,
    row: serde_json::Value,
}

fn pages(site: &Site) -> impl Iterator<Item = &Page> {
    site.guides.iter().chain(&site.entries)
}

/// A page's words and its result row.
fn index_page(p: &Page) -> Indexed {
    let mut words: HashMap<String, u8> = HashMap::default();
    let mut add = |s: &str, class: u8| {
        for w in text::words(s) {
            let c = words.entry(w).or_insert(class);
            *c = (*c).max(class);
        }
    };
    let body = text::html_text(&p.html);
    add(&body, 1);
    if let Some(d) = &p.description {
        add(d, 1);
    }
    let mut headings = Vec::new();
    collect_headings(&p.toc, &mut headings);
    for h in headings {
        add(h, 2);
    }
    let f = p.facts.as_ref();
    if let Some(f) = f {
        // Shown on the entry's page around its body.
        for s in f.warnings.iter().chain(&f.tools) {
            add(s, 1);
        }
        add(&f.brand, 2);
        add(f.lock_type.as_deref().unwrap_or(""), 2);
        add(f.location.as_deref().unwrap_or(""), 2);
        add(&f.model, 3);
    }
    add(&p.title, 3);
    if let Some(j) = f.and_then(|f| text::joined(&f.model)) {
        words.insert(j, 3);
    }
    let snippet = match &p.description {
        Some(d) => format!("{} {body}", text::collapse(d)),
        None => body,
    };
    let row = json!([
        p.path,
        p.title,
        f.map_or("", |f| f.brand.as_str()),
        f.and_then(|f| f.location.as_deref()).unwrap_or(""),
        f.and_then(|f| f.lock_type.as_deref()).unwrap_or(""),
        text::truncate(&snippet, SNIPPET),
        u8::from(p.sensitive),
    ]);
    Indexed { words, row }
}

fn collect_headings<'a>(toc: &'a [crate::markdown::TocEntry], out: &mut Vec<&'a str>) {
    for t in toc {
        out.push(&t.title);
        collect_headings(&t.children, out);
    }
}

/// A script line registering `data` as part `n` of `kind`.
pub(crate) fn script(kind: &str, n: usize, data: &impl serde::Serialize) -> Vec<u8> {
    // serde_json writes non-ASCII as it is and escapes only `"`, `\` and
    // control characters, which the audit reads through (`audit`'s readings).
    // `<`, `>` and `&` (only ever inside strings in JSON) are written as
    // `\u` escapes too, so no page text reads as markup in the file, should
    // it ever be inlined in a page or opened as one; the audit decodes them.
    let data = serde_json::to_string(data)
        .unwrap_or_else(|_| "null".into())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026");
    format!("lockgenIndex(\"{kind}\",{n},{data});\n").into_bytes()
}

/// Sorted numbers as gaps from the previous one (the first from 0).
fn deltas(sorted: impl IntoIterator<Item = u32>) -> Vec<u32> {
    let mut prev = 0;
    sorted
        .into_iter()
        .map(|x| {
            let d = x - prev;
            prev = x;
            d
        })
        .collect()
}

/// Every file of the index, in the order of `Job::Search(0..parts(site))`.
pub fn build(site: &Site) -> Vec<Output> {
    let layout = layout(site);
    let all: Vec<&Page> = pages(site).collect();
    // word → (doc, class), docs ascending (pushed in doc order). Pages are
    // read in batches whose word sets are dropped once posted: all pages'
    // sets at once were the build's largest memory at 100k entries.
    let mut postings: HashMap<String, Vec<(u32, u8)>> = HashMap::default();
    let mut rows = Vec::with_capacity(all.len());
    for (b, batch) in all.chunks(INDEX_BATCH).enumerate() {
        let indexed: Vec<Indexed> = batch.par_iter().map(|p| index_page(p)).collect();
        for (i, ix) in indexed.into_iter().enumerate() {
            let doc = u32::try_from(b * INDEX_BATCH + i).unwrap_or(u32::MAX);
            for (w, class) in ix.words {
                postings.entry(w).or_default().push((doc, class));
            }
            rows.push(ix.row);
        }
    }
    let mut shards: Vec<BTreeMap<String, Vec<u32>>> = vec![BTreeMap::new(); layout.shards as usize];
    for (w, list) in postings {
        let mut prev = 0;
        let encoded = list
            .iter()
            .map(|&(doc, class)| {
                let d = doc - prev;
                prev = doc;
                d << 2 | u32::from(class)
            })
            .collect();
        shards[text::shard_of(&w, layout.shards) as usize].insert(w, encoded);
    }
    let filters = filters(site);
    let mut out = vec![Output {
        rel_path: "search/m.js".into(),
        bytes: script("m", 0, &manifest(site, layout, &filters)),
    }];
    out.par_extend(shards.par_iter().enumerate().map(|(k, s)| Output {
        rel_path: format!("search/t-{k}.js"),
        bytes: script("t", k, s),
    }));
    out.par_extend(rows.par_chunks(CHUNK).enumerate().map(|(n, c)| Output {
        rel_path: format!("search/d-{n}.js"),
        bytes: script("d", n, &c),
    }));
    out.extend(filters.iter().enumerate().map(|(i, values)| {
        let lists: Vec<Vec<u32>> = values.values().map(|d| deltas(d.iter().copied())).collect();
        Output {
            rel_path: format!("search/f-{i}.js"),
            bytes: script("f", i, &lists),
        }
    }));
    out
}

/// For each filter, its values (sorted) and the pages that have each.
fn filters(site: &Site) -> [BTreeMap<String, BTreeSet<u32>>; 3] {
    let mut f: [BTreeMap<String, BTreeSet<u32>>; 3] = Default::default();
    let first = site.guides.len();
    for (i, p) in site.entries.iter().enumerate() {
        let doc = u32::try_from(first + i).unwrap_or(u32::MAX);
        let Some(facts) = &p.facts else { continue };
        let location = facts
            .location
            .as_deref()
            .and_then(|l| l.split('/').map(str::trim).find(|s| !s.is_empty()));
        let values = [
            Some(facts.brand.as_str()),
            facts.lock_type.as_deref().map(str::trim),
            location,
        ];
        for (k, v) in values.into_iter().enumerate() {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                f[k].entry(v.to_string()).or_default().insert(doc);
            }
        }
    }
    f
}

fn manifest(
    site: &Site,
    layout: Layout,
    filters: &[BTreeMap<String, BTreeSet<u32>>; 3],
) -> serde_json::Value {
    let values = |k: usize| -> Vec<&str> { filters[k].keys().map(String::as_str).collect() };
    json!({
        "v": 1,
        "docs": site.guides.len() + site.entries.len(),
        "shards": layout.shards,
        "chunk": CHUNK,
        "private": site.private,
        "filters": FILTERS,
        "values": [values(0), values(1), values(2)],
    })
}
