//! Tests of the merge on small PDFs made here.

use super::*;

/// The names of a PDF's named destinations, for tests.
fn dest_names(pdf: &[u8]) -> std::collections::HashSet<String> {
    let doc = Document::load_mem(pdf).expect("a PDF");
    let cat = doc.catalog().expect("catalog");
    let d = cat
        .get(b"Dests")
        .and_then(|o| doc.dereference(o))
        .expect("dests")
        .1;
    d.as_dict()
        .expect("dict")
        .iter()
        .map(|(k, _)| String::from_utf8_lossy(k).into_owned())
        .collect()
}

/// A PDF of `pages` pages like Chromium's: one link annotation to `uri` on the first page, a bookmark per page.
fn sample(pages: usize, uri: &str, dest: &str) -> Vec<u8> {
    let mut doc = Document::with_version("1.7");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(
        dictionary! { "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Courier" },
    );
    let mut kids = Vec::new();
    for i in 0..pages {
        let content = doc.add_object(Stream::new(
            Dictionary::new(),
            format!("BT /F1 12 Tf 72 700 Td (Body {i}) Tj ET").into_bytes(),
        ));
        let mut page = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => content,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font } },
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        };
        if i == 0 {
            let link = doc.add_object(dictionary! {
                "Type" => "Annot", "Subtype" => "Link",
                "Rect" => vec![0.into(), 0.into(), 10.into(), 10.into()],
                "A" => dictionary! { "S" => "URI", "URI" => Object::string_literal(uri) },
            });
            page.set("Annots", vec![Object::Reference(link)]);
        }
        kids.push(doc.add_object(page));
    }
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids.iter().map(|&k| Object::Reference(k)).collect::<Vec<_>>(),
            "Count" => pages as i64,
        }),
    );
    let outlines = doc.new_object_id();
    let item = doc.add_object(dictionary! {
        "Title" => Object::string_literal(format!("Item {dest}")),
        "Parent" => outlines,
        "Dest" => fit(kids[0]),
    });
    doc.objects.insert(
        outlines,
        Object::Dictionary(
            dictionary! { "Type" => "Outlines", "First" => item, "Last" => item, "Count" => 1 },
        ),
    );
    let dests = doc.add_object(dictionary! { dest => fit(kids[pages - 1]) });
    let cat = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id, "Outlines" => outlines, "Dests" => dests });
    doc.trailer.set("Root", cat);
    let mut b = Vec::new();
    doc.save_to(&mut b).expect("save");
    b
}

#[test]
fn merged_pages_are_numbered_through_bookmarked_and_linked_across_sources() {
    let a = sample(2, &format!("{LINK_PREFIX}locks.b.x%3Areset"), "locks.a.y");
    let b = sample(3, &format!("{LINK_PREFIX}nowhere"), "locks.b.x");
    let pdf = merge(
        vec![
            Printed {
                pdf: a,
                title: None,
                id: None,
            },
            Printed {
                pdf: b,
                title: Some("Part 1: B … X".into()),
                id: Some("_part-1".into()),
            },
        ],
        "Handbook",
    )
    .expect("merge");
    let (text, pages) = crate::pdf::text(&pdf).expect("text");
    assert_eq!(pages, 5);
    for i in 1..=5 {
        assert!(text.contains(&format!("Page {i} of 5")), "{text}");
    }
    assert!(text.contains("Body 0") && text.contains("Body 2"));
    let names = dest_names(&pdf);
    assert!(names.contains("locks.a.y") && names.contains("locks.b.x"));
    assert!(names.contains("_part-1"));
    let doc = Document::load_mem(&pdf).expect("merged");
    let pages = doc.get_pages();
    let links = |n: u32| -> Vec<Dictionary> {
        let page = doc.get_dictionary(pages[&n]).expect("page");
        page.get(b"Annots")
            .and_then(Object::as_array)
            .map(|a| {
                a.iter()
                    .map(|r| {
                        doc.get_dictionary(r.as_reference().expect("ref"))
                            .expect("annot")
                            .clone()
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    // The first source's link to `locks.b.x:reset` goes to `locks.b.x`; the one to nowhere is gone.
    let first = links(1);
    assert_eq!(first.len(), 1);
    assert_eq!(
        first[0].get(b"Dest").and_then(Object::as_name).ok(),
        Some(&b"locks.b.x"[..])
    );
    assert!(links(3).is_empty());
    // Bookmarks: the first source's at the top, then the part's holding its own.
    let toc = doc.get_toc().expect("outline");
    let titles: Vec<(usize, String)> = toc.toc.iter().map(|t| (t.level, t.title.clone())).collect();
    assert_eq!(
        titles,
        [
            (1, "Item locks.a.y".to_string()),
            (1, "Part 1: B … X".to_string()),
            (2, "Item locks.b.x".to_string())
        ]
    );
}
