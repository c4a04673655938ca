//! The print page in parts (issue #12 at scale): a handbook too large for one
//! page is `/print/` (title page and the contents of the parts) and
//! `/print/1/`, `/print/2/`, … each under 300 KB, every entry exactly once in
//! binder order, links between parts landing, and no sensitive marker in any
//! part of a public build.

use std::collections::{HashMap, HashSet};

use crate::print::values;
use crate::{Site, generated};

/// The brands of `parts_site`, in the order the handbook files them.
const BRANDS: &[&str] = &["Acme", "Bolt", "Zeta"];

/// Whether entry `i` of `parts_site` is sensitive (every tenth, from the sixth).
pub fn is_sensitive(i: usize) -> bool {
    i % 10 == 5
}

/// Entry `i`'s brand and output folder in `parts_site` of `n` entries.
fn brand_of(i: usize, n: usize) -> &'static str {
    BRANDS[i * BRANDS.len() / n]
}

/// A handbook of `n` entries of three brands with bodies of about 3 KB (so
/// its print page is in parts), each linking a public entry about a third of
/// the handbook away; every tenth entry sensitive, with the marker
/// `SENS-PART-<i>` in its body; a guide page linking the last public entry.
pub fn parts_site(n: usize) -> Site {
    let mut files = Vec::new();
    let filler =
        "Check the strike plate, the battery contacts and the keypad seal before each step. "
            .repeat(36);
    for i in 0..n {
        let brand = brand_of(i, n);
        let mut j = (i + n / 3) % n;
        if is_sensitive(j) {
            j = (j + 1) % n;
        }
        let sensitive = if is_sensitive(i) {
            "sensitive: true\n"
        } else {
            ""
        };
        let marker = if is_sensitive(i) {
            format!("The code is SENS-PART-{i}.\n\n")
        } else {
            String::new()
        };
        let text = format!(
            "---\ntitle: {brand} M{i:03} lock\nbrand: {brand}\nmodel: M{i:03}\n\
             location: Building {}/Room {i}\n{sensitive}---\n{marker}{filler}\n\n## Reset\n\n\
             Hold the button. Then see [the other lock](../{}/m{j:03}.md#reset).\n",
            i % 4,
            brand_of(j, n).to_lowercase(),
        );
        files.push((
            format!("content/locks/{}/m{i:03}.md", brand.to_lowercase()),
            text,
        ));
    }
    let last = (0..n).rev().find(|&i| !is_sensitive(i)).unwrap_or(0);
    files.push((
        "content/guide/intro.md".to_string(),
        format!(
            "---\ntitle: Introduction\n---\nStart with [the last lock](../locks/{}/m{last:03}.md).\n",
            brand_of(last, n).to_lowercase()
        ),
    ));
    generated(
        "title = \"Parts Handbook\"\nbase_url = \"https://handbook.example.org/hb/\"\n",
        files,
    )
}

/// The parts of a built print page under `out` (`public` or `private`): `[index, part 1, …]`.
pub fn print_files(s: &Site, out: &str) -> Vec<String> {
    let mut files = vec![s.read(&format!("{out}/print/index.html"))];
    for n in 1.. {
        let rel = format!("{out}/print/{n}/index.html");
        if !s.exists(&rel) {
            break;
        }
        files.push(s.read(&rel));
    }
    files
}

/// The ids of the printed entries in `html`, in order.
fn entry_ids(html: &str) -> Vec<&str> {
    html.split("<article class=\"print-entry\" id=\"")
        .skip(1)
        .filter_map(|s| s.split_once('"').map(|(v, _)| v))
        .collect()
}

#[test]
fn a_large_handbook_prints_in_parts_under_300_kb_each_entry_once_in_order_and_links_land() {
    let n = 150;
    let s = parts_site(n);
    s.build().assert_ok();
    let files = print_files(&s, "public");
    let parts = files.len() - 1;
    assert!(parts >= 3, "{parts} parts");
    for (i, f) in files.iter().enumerate() {
        assert!(f.len() < 300_000, "part {i} is {} bytes", f.len());
    }
    // The index: the title page and a line linking each part; no entry of its own.
    let index = &files[0];
    assert!(index.contains(&format!("in {parts} parts")), "{index}");
    for p in 1..=parts {
        assert!(
            index.contains(&format!("href=\"/hb/print/{p}/\"")),
            "part {p} not listed"
        );
    }
    assert!(entry_ids(index).is_empty());
    // Every public entry exactly once, in binder order (brand, then model).
    let printed: Vec<&str> = files[1..].iter().flat_map(|f| entry_ids(f)).collect();
    let expected: Vec<String> = (0..n)
        .filter(|&i| !is_sensitive(i))
        .map(|i| format!("locks.{}.m{i:03}", brand_of(i, n).to_lowercase()))
        .collect();
    assert_eq!(printed, expected);
    // The guide is in the first part.
    assert!(files[1].contains("id=\"guide.intro\""));
    // Ids unique across the parts; every link to a printed page lands on an id
    // of its own part (`#…`) or of the part it names (`/hb/print/N/#…`).
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (p, f) in files.iter().enumerate() {
        // (`main` is every page's own, the skip link's target.)
        for id in values(f, "id").into_iter().filter(|&id| id != "main") {
            assert!(owner.insert(id, p).is_none(), "id {id} twice");
        }
    }
    let mut across = 0;
    for (p, f) in files.iter().enumerate().skip(1) {
        for h in values(f, "href") {
            let (target, id) = if let Some(id) = h.strip_prefix('#') {
                (p, id)
            } else if let Some(rest) = h.strip_prefix("/hb/print/") {
                let Some((num, id)) = rest.split_once("/#") else {
                    continue;
                };
                across += 1;
                (num.parse().expect("a part number"), id)
            } else {
                continue;
            };
            assert_eq!(
                owner.get(id),
                Some(&target),
                "{h} in part {p} lands nowhere"
            );
        }
    }
    assert!(across >= n / 2, "only {across} links between parts");
}

#[test]
fn no_part_of_a_public_print_page_holds_a_sensitive_marker_and_the_private_parts_hold_them_all() {
    let n = 150;
    let s = parts_site(n);
    s.build().assert_ok();
    let public = print_files(&s, "public").concat();
    assert!(
        !public.contains("SENS-"),
        "a public print part holds a marker"
    );
    assert!(!public.contains("PRIVATE"));
    s.build_private().assert_ok();
    let private = print_files(&s, "private");
    assert!(private.len() >= 4);
    let all = private.concat();
    for i in (0..n).filter(|&i| is_sensitive(i)) {
        assert_eq!(
            all.matches(&format!("SENS-PART-{i}.")).count(),
            1,
            "SENS-PART-{i}"
        );
    }
    for f in &private {
        assert!(
            f.contains("PRIVATE — do not share"),
            "a private part lacks PRIVATE"
        );
    }
    let entries: HashSet<&str> = private[1..].iter().flat_map(|f| entry_ids(f)).collect();
    assert_eq!(entries.len(), n);
}
