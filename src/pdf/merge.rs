//! The PDFs Chromium printed, one per print source (the print page's index,
//! then each part), merged into one `handbook.pdf` with lopdf:
//! 1. each source's objects are renumbered past the ones before and taken
//!    over; its pages, in order, become the merged document's pages (what a
//!    page inherited from its page tree is copied onto it);
//! 2. the outline: the first source's bookmarks stay at the top level, and
//!    each later source gets one closed bookmark ("Part 3: … … …") holding
//!    its own (every guide page, brand, entry and section Chromium made);
//! 3. named destinations (Chromium's `/Dests`, one per link target) are
//!    merged, and the links Chromium printed as `LINK_PREFIX…` (links to
//!    another part) become links to them, so they jump within the PDF; a link
//!    whose target has no destination goes to its page's (the id before
//!    `:`) or is removed;
//! 4. "Page N of M" is stamped at the foot of every page (Chromium's own
//!    numbers restart in each source, so the sources are printed without them);
//! 5. the tagged-PDF structure of the sources is dropped (it does not merge)
//!    and what nothing refers to any more is pruned.

use anyhow::{Context as _, Result, bail};
use lopdf::{Dictionary, Document, Object, ObjectId, Stream, dictionary};

/// How a print source writes a link to a page in another source: an
/// address no browser resolves, turned into an in-PDF link here.
pub const LINK_PREFIX: &str = "https://lockgen-print.invalid/#";

/// A printed source: its PDF, the title of its bookmark (`None`: its
/// bookmarks go to the top level), and the id that names its first page
/// (`_part-3`), for links to the part itself.
pub struct Printed {
    pub pdf: Vec<u8>,
    pub title: Option<String>,
    pub id: Option<String>,
}

/// The sources merged in order, as a PDF titled `title`.
pub fn merge(sources: Vec<Printed>, title: &str) -> Result<Vec<u8>> {
    let mut out = Document::with_version("1.7");
    let pages_id = out.new_object_id();
    let outlines_id = out.new_object_id();
    let mut kids: Vec<ObjectId> = Vec::new();
    let mut top: Vec<ObjectId> = Vec::new();
    let mut dests = Dictionary::new();
    for (n, source) in sources.into_iter().enumerate() {
        let mut doc = Document::load_mem(&source.pdf)
            .with_context(|| format!("cannot read the PDF of print source {}", n + 1))?;
        doc.renumber_objects_with(out.max_id + 1);
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let Some(&first) = pages.first() else {
            bail!("print source {} printed no page", n + 1);
        };
        for &page in &pages {
            adopt_page(&mut doc, page, pages_id)?;
        }
        let catalog = doc.catalog()?.clone();
        take_dests(&doc, &catalog, &mut dests);
        if let Some(id) = source.id {
            dests.set(id, fit(first));
        }
        let items = outline_items(&doc, &catalog);
        for &item in &items {
            strip_structure(&mut doc, item);
        }
        match source.title {
            None => {
                for &item in &items {
                    set(&mut doc, item, "Parent", outlines_id);
                }
                top.extend(&items);
            }
            Some(title) => {
                let id = (doc.max_id + 1, 0);
                doc.max_id += 1;
                let mut part = dictionary! {
                    "Title" => Object::string_literal(pdf_text(&title)),
                    "Parent" => outlines_id,
                    "Dest" => fit(first),
                };
                if let (Some(&f), Some(&l)) = (items.first(), items.last()) {
                    part.set("First", f);
                    part.set("Last", l);
                    part.set("Count", -i64::try_from(items.len()).unwrap_or(i64::MAX));
                }
                for &item in &items {
                    set(&mut doc, item, "Parent", id);
                }
                doc.objects.insert(id, Object::Dictionary(part));
                top.push(id);
            }
        }
        out.max_id = doc.max_id;
        out.objects.extend(doc.objects);
        kids.extend(pages);
    }
    chain(&mut out, &top);
    relink(&mut out, &kids, &dests);
    stamp_page_numbers(&mut out, &kids)?;
    let count = i64::try_from(kids.len()).unwrap_or(i64::MAX);
    out.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids.iter().map(|&k| Object::Reference(k)).collect::<Vec<_>>(),
            "Count" => count,
        }),
    );
    let mut outlines = dictionary! { "Type" => "Outlines", "Count" => top.len() as i64 };
    if let (Some(&f), Some(&l)) = (top.first(), top.last()) {
        outlines.set("First", f);
        outlines.set("Last", l);
    }
    out.objects
        .insert(outlines_id, Object::Dictionary(outlines));
    let dests_id = out.add_object(dests);
    let catalog = out.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
        "Outlines" => outlines_id,
        "Dests" => dests_id,
        "PageMode" => "UseOutlines",
    });
    let info = out.add_object(dictionary! {
        "Title" => Object::string_literal(pdf_text(title)),
        "Creator" => Object::string_literal("lockgen"),
    });
    out.trailer.set("Root", catalog);
    out.trailer.set("Info", info);
    out.prune_objects();
    let mut bytes = Vec::new();
    out.save_to(&mut bytes)
        .context("cannot write the merged PDF")?;
    Ok(bytes)
}

/// A destination showing the whole of `page`.
fn fit(page: ObjectId) -> Object {
    Object::Array(vec![Object::Reference(page), "Fit".into()])
}

/// Sets `key` of the dictionary object `id`, if it is one.
fn set(doc: &mut Document, id: ObjectId, key: &str, value: impl Into<Object>) {
    if let Ok(d) = doc.get_dictionary_mut(id) {
        d.set(key, value);
    }
}

/// `page` made a page of the merged tree: what it inherited from its old
/// tree copied onto it, its parent the merged tree, its structure keys dropped.
fn adopt_page(doc: &mut Document, page: ObjectId, pages_id: ObjectId) -> Result<()> {
    let mut inherited: Vec<(&[u8], Object)> = Vec::new();
    for key in [&b"Resources"[..], b"MediaBox", b"CropBox", b"Rotate"] {
        if doc.get_dictionary(page)?.has(key) {
            continue;
        }
        let mut parent = doc
            .get_dictionary(page)?
            .get(b"Parent")
            .and_then(Object::as_reference)
            .ok();
        let mut hops = 0;
        while let Some(p) = parent.filter(|_| hops < 64) {
            let d = doc.get_dictionary(p)?;
            if let Ok(v) = d.get(key) {
                inherited.push((key, v.clone()));
                break;
            }
            parent = d.get(b"Parent").and_then(Object::as_reference).ok();
            hops += 1;
        }
    }
    let d = doc.get_dictionary_mut(page)?;
    for (key, value) in inherited {
        d.set(key.to_vec(), value);
    }
    d.set("Parent", pages_id);
    d.remove(b"StructParents");
    Ok(())
}

/// The named destinations of `catalog` (its `/Dests` dictionary) added to
/// `dests`; a name already there keeps its first destination.
fn take_dests(doc: &Document, catalog: &Dictionary, dests: &mut Dictionary) {
    let Ok(d) = catalog.get(b"Dests").and_then(|o| doc.dereference(o)) else {
        return;
    };
    let Ok(d) = d.1.as_dict() else { return };
    for (name, dest) in d.iter() {
        if !dests.has(name) {
            dests.set(name.clone(), dest.clone());
        }
    }
}

/// The top-level bookmarks of `catalog`'s outline, in order.
fn outline_items(doc: &Document, catalog: &Dictionary) -> Vec<ObjectId> {
    let root = catalog
        .get(b"Outlines")
        .and_then(Object::as_reference)
        .and_then(|id| doc.get_dictionary(id));
    let mut items = Vec::new();
    let mut next = root
        .and_then(|r| r.get(b"First"))
        .and_then(Object::as_reference)
        .ok();
    while let Some(id) = next.filter(|_| items.len() < 1_000_000) {
        items.push(id);
        next = doc
            .get_dictionary(id)
            .and_then(|d| d.get(b"Next"))
            .and_then(Object::as_reference)
            .ok();
    }
    items
}

/// Drops the `/SE` (structure element) keys of bookmark `item` and its descendants.
fn strip_structure(doc: &mut Document, item: ObjectId) {
    // (bookmark, whether its next siblings are to be visited too)
    let mut stack = vec![(item, false)];
    while let Some((id, siblings)) = stack.pop() {
        let Ok(d) = doc.get_dictionary_mut(id) else {
            continue;
        };
        d.remove(b"SE");
        let child = d.get(b"First").and_then(Object::as_reference).ok();
        let next = d.get(b"Next").and_then(Object::as_reference).ok();
        stack.extend(child.map(|c| (c, true)));
        stack.extend(next.filter(|_| siblings).map(|n| (n, true)));
    }
}

/// Links the bookmarks `items` to each other as siblings, in order.
fn chain(doc: &mut Document, items: &[ObjectId]) {
    for (i, &id) in items.iter().enumerate() {
        let Ok(d) = doc.get_dictionary_mut(id) else {
            continue;
        };
        d.remove(b"Prev");
        d.remove(b"Next");
        if i > 0 {
            d.set("Prev", items[i - 1]);
        }
        if let Some(&next) = items.get(i + 1) {
            d.set("Next", next);
        }
    }
}

/// Turns the `LINK_PREFIX` links on `pages` into links to named
/// destinations of `dests` (the target, else the page it is on), removing
/// those that have neither.
fn relink(doc: &mut Document, pages: &[ObjectId], dests: &Dictionary) {
    for &page in pages {
        let annots: Vec<Object> = doc
            .get_dictionary(page)
            .and_then(|d| d.get(b"Annots"))
            .and_then(|a| doc.dereference(a))
            .and_then(|(_, a)| a.as_array().cloned())
            .unwrap_or_default();
        if annots.is_empty() {
            continue;
        }
        let mut kept = Vec::with_capacity(annots.len());
        for a in annots {
            let Ok(id) = a.as_reference() else {
                kept.push(a);
                continue;
            };
            let target = link_target(doc, id);
            let Some(target) = target else {
                kept.push(a);
                continue;
            };
            let name = [target.as_str(), target.split(':').next().unwrap_or("")]
                .into_iter()
                .find(|n| dests.has(n.as_bytes()));
            if let (Some(name), Ok(d)) = (name, doc.get_dictionary_mut(id)) {
                d.remove(b"A");
                d.set("Dest", Object::Name(name.as_bytes().to_vec()));
                kept.push(a);
            }
        }
        set(doc, page, "Annots", kept);
    }
}

/// The target of link annotation `id` if it is a `LINK_PREFIX` link.
fn link_target(doc: &Document, id: ObjectId) -> Option<String> {
    let d = doc.get_dictionary(id).ok()?;
    let action = doc.dereference(d.get(b"A").ok()?).ok()?.1.as_dict().ok()?;
    let uri = action.get(b"URI").and_then(Object::as_str).ok()?;
    let uri = std::str::from_utf8(uri).ok()?;
    let target = uri.strip_prefix(LINK_PREFIX)?;
    Some(
        percent_encoding::percent_decode_str(target)
            .decode_utf8_lossy()
            .into_owned(),
    )
}

/// "Page N of M" at the foot of every page, in Helvetica 9 pt, centred; the
/// page's own content is wrapped in `q … Q` so its graphics state cannot move it.
fn stamp_page_numbers(doc: &mut Document, pages: &[ObjectId]) -> Result<()> {
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let open = doc.add_object(Stream::new(Dictionary::new(), b"q\n".to_vec()));
    let total = pages.len();
    for (i, &page) in pages.iter().enumerate() {
        let text = format!("Page {} of {total}", i + 1);
        let media = media_box(doc, page);
        let x = (media[0] + media[2]) / 2.0 - text_width(&text, 9.0) / 2.0;
        let y = media[1] + 24.0;
        let ops = format!("Q\nq BT /LgPageNo 9 Tf 1 0 0 1 {x:.2} {y:.2} Tm ({text}) Tj ET Q\n");
        let close = doc.add_object(Stream::new(Dictionary::new(), ops.into_bytes()));
        let contents = match doc.get_dictionary(page)?.get(b"Contents") {
            Ok(Object::Array(a)) => a.clone(),
            Ok(c) => vec![c.clone()],
            Err(_) => vec![],
        };
        let mut all = vec![Object::Reference(open)];
        all.extend(contents);
        all.push(Object::Reference(close));
        set(doc, page, "Contents", all);
        add_font(doc, page, font)?;
    }
    Ok(())
}

/// A page's media box `[llx lly urx ury]` (A4 if it has none that reads).
fn media_box(doc: &Document, page: ObjectId) -> [f32; 4] {
    let b: Vec<f32> = doc
        .get_dictionary(page)
        .and_then(|d| d.get(b"MediaBox"))
        .and_then(|m| doc.dereference(m))
        .and_then(|(_, m)| m.as_array().cloned())
        .map(|a| a.iter().filter_map(|o| o.as_float().ok()).collect())
        .unwrap_or_default();
    match b[..] {
        [a, b, c, d] => [a, b, c, d],
        _ => [0.0, 0.0, 595.28, 841.89],
    }
}

/// The width of `text` in Helvetica at `size` points (its digits, space and
/// the letters of "Page of"; anything else as a digit).
fn text_width(text: &str, size: f32) -> f32 {
    let units: u32 = text
        .chars()
        .map(|c| match c {
            ' ' | 'f' => 278,
            'P' => 667,
            _ => 556,
        })
        .sum();
    units as f32 * size / 1000.0
}

/// Adds the stamp's font, as `/LgPageNo`, to `page`'s resources (inline or shared).
fn add_font(doc: &mut Document, page: ObjectId, font: ObjectId) -> Result<()> {
    let res = doc.get_dictionary(page)?.get(b"Resources").ok().cloned();
    let res_id = match res {
        Some(Object::Reference(id)) => Some(id),
        Some(Object::Dictionary(_)) => None,
        _ => {
            set(doc, page, "Resources", Dictionary::new());
            None
        }
    };
    let fonts = {
        let d = match res_id {
            Some(id) => doc.get_dictionary(id)?,
            None => doc.get_dictionary(page)?.get(b"Resources")?.as_dict()?,
        };
        d.get(b"Font").ok().cloned()
    };
    if let Some(Object::Reference(fid)) = fonts {
        doc.get_dictionary_mut(fid)?.set("LgPageNo", font);
        return Ok(());
    }
    let res = match res_id {
        Some(id) => doc.get_dictionary_mut(id)?,
        None => doc
            .get_dictionary_mut(page)?
            .get_mut(b"Resources")?
            .as_dict_mut()?,
    };
    let mut fonts = match res.get(b"Font") {
        Ok(Object::Dictionary(f)) => f.clone(),
        _ => Dictionary::new(),
    };
    fonts.set("LgPageNo", font);
    res.set("Font", fonts);
    Ok(())
}

/// `s` as a PDF text string: PDFDocEncoding for ASCII, else UTF-16BE with a BOM.
fn pdf_text(s: &str) -> Vec<u8> {
    if s.is_ascii() {
        return s.as_bytes().to_vec();
    }
    let mut out = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        out.extend(u.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests;
