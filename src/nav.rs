//! Bounds on what one page lists, so that no page grows with the site.
//!
//! A handbook may hold thousands of entries of one brand (a hotel's doors).
//! Listing every sibling on every page makes output and build time grow with
//! the square of the site, so:
//! - the sidebar shows a **window** of at most `2 * WINDOW + 1` neighbours of
//!   the current page (`window`), and links to the full list for the rest;
//! - list pages (a brand's index, `/brands/`, `/contents/`) hold at most
//!   `LIST_PAGE` rows each and are split into numbered pages (`page_count`,
//!   `page_rows`, `page_path`), each linking every page of its list;
//! - a sitemap file holds at most `SITEMAP_URLS` URLs (well under the
//!   sitemaps.org limit of 50,000, so no file grows past ~300 KB); a larger
//!   site gets a sitemap index;
//! - entries of a brand that share a model are told apart by their location,
//!   else their title (`labels`), computed in one pass over the brand.
//!
//! Everything here is plain arithmetic on lengths and indexes; `render` turns
//! it into view structs.

use std::ops::Range;

use rustc_hash::FxHashMap as HashMap;

/// Neighbours shown on each side of the current page in the sidebar.
pub const WINDOW: usize = 5;

/// Rows on one page of a list (a brand's index, `/brands/`, `/contents/`), and
/// the most guide pages or brands the home page lists before linking to the rest.
/// 200 entry rows are about 90 KB of HTML, well under the 300 KB a page may take.
pub const LIST_PAGE: usize = 200;

/// URLs in one sitemap file: at about 110 bytes a URL, 2,000 make about
/// 220 KB, so no output file passes 300 KB (sitemaps.org allows 50,000).
pub const SITEMAP_URLS: usize = 2_000;

/// The indexes of the at most `2 * w + 1` items shown of `len` items: all of them
/// when there are that few, else a run of neighbours centred on `current`
/// (shifted to stay inside the list), or the first ones when there is no current item.
pub fn window(len: usize, current: Option<usize>, w: usize) -> Range<usize> {
    let size = 2 * w + 1;
    if len <= size {
        return 0..len;
    }
    let start = current.map_or(0, |c| c.saturating_sub(w).min(len - size));
    start..start + size
}

/// How many pages a list of `len` rows takes at `per` rows a page: at least one,
/// so an empty list still has its (empty) first page.
pub fn page_count(len: usize, per: usize) -> usize {
    len.div_ceil(per.max(1)).max(1)
}

/// The rows on page `page` (0-based) of a list of `len` rows.
pub fn page_rows(page: usize, len: usize, per: usize) -> Range<usize> {
    let start = page.saturating_mul(per).min(len);
    start..start.saturating_add(per).min(len)
}

/// The 0-based page that holds row `row`.
pub fn page_of(row: usize, per: usize) -> usize {
    row / per.max(1)
}

/// The output folder of page `page` (0-based) of the list whose first page is
/// the folder `first` (`brands/acme/`): `first` itself, then `first` + `page/2/`, …
pub fn page_path(first: &str, page: usize) -> String {
    if page == 0 {
        first.to_string()
    } else {
        format!("{first}page/{}/", page + 1)
    }
}

/// What tells an entry apart from the other entries of its brand.
#[derive(Debug, Clone, Copy)]
pub struct LabelFacts<'a> {
    pub model: &'a str,
    pub location: Option<&'a str>,
    pub title: &'a str,
    /// The entry's output folder (`locks/a/b/`), unique in the site.
    pub path: &'a str,
}

/// The parts of a location, general to specific: split on `/`, trimmed, empty ones dropped.
pub fn location_parts(location: &str) -> impl Iterator<Item = &str> {
    location.split('/').map(str::trim).filter(|s| !s.is_empty())
}

/// A location as shown: its parts (`location_parts`) joined by ` › `.
pub fn location_text(location: &str) -> String {
    location_parts(location).collect::<Vec<_>>().join(" › ")
}

/// The label of each entry of one brand, in order: its model when no other
/// entry of the brand has that model; else `model · location` (`NV-200 ·
/// Building B › Bin store`) when that tells it apart; else `model · title`;
/// and when even the title is shared, `model · title · path`. Linear: one
/// count per key, no pairwise comparison.
pub fn labels(entries: &[LabelFacts<'_>]) -> Vec<String> {
    let mut models: HashMap<&str, usize> = HashMap::default();
    for e in entries {
        *models.entry(e.model).or_default() += 1;
    }
    let shared = |e: &LabelFacts| models.get(e.model).copied().unwrap_or(0) > 1;
    let places: Vec<Option<String>> = entries
        .iter()
        .map(|e| {
            e.location
                .filter(|_| shared(e))
                .map(location_text)
                .filter(|l| !l.is_empty())
        })
        .collect();
    let mut by_place: HashMap<(&str, &str), usize> = HashMap::default();
    let mut by_title: HashMap<(&str, &str), usize> = HashMap::default();
    for (e, place) in entries.iter().zip(&places) {
        if let Some(place) = place {
            *by_place.entry((e.model, place)).or_default() += 1;
        }
        if shared(e) {
            *by_title.entry((e.model, e.title)).or_default() += 1;
        }
    }
    entries
        .iter()
        .zip(&places)
        .map(|(e, place)| {
            if !shared(e) {
                return e.model.to_string();
            }
            if let Some(place) = place
                && by_place.get(&(e.model, place.as_str())) == Some(&1)
            {
                return format!("{} · {place}", e.model);
            }
            if by_title.get(&(e.model, e.title)) == Some(&1) {
                return format!("{} · {}", e.model, e.title);
            }
            format!(
                "{} · {} · {}",
                e.model,
                e.title,
                e.path.trim_end_matches('/')
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_list_is_shown_whole() {
        assert_eq!(window(0, None, 5), 0..0);
        assert_eq!(window(11, Some(10), 5), 0..11);
        assert_eq!(window(3, Some(1), 5), 0..3);
    }

    #[test]
    fn a_long_list_shows_neighbours_of_the_current_item() {
        assert_eq!(window(100, Some(50), 5), 45..56);
        // Near the ends the window shifts inward and keeps its size.
        assert_eq!(window(100, Some(0), 5), 0..11);
        assert_eq!(window(100, Some(3), 5), 0..11);
        assert_eq!(window(100, Some(99), 5), 89..100);
        assert_eq!(window(100, Some(96), 5), 89..100);
        // No current item: the first ones.
        assert_eq!(window(100, None, 5), 0..11);
        for len in [12, 13, 50, 1000] {
            for c in 0..len {
                let w = window(len, Some(c), 5);
                assert_eq!(w.len(), 11, "len {len} current {c}");
                assert!(w.contains(&c), "len {len} current {c}: {w:?}");
                assert!(w.end <= len);
            }
        }
    }

    #[test]
    fn pages_cover_every_row_once() {
        assert_eq!(page_count(0, 200), 1);
        assert_eq!(page_count(1, 200), 1);
        assert_eq!(page_count(200, 200), 1);
        assert_eq!(page_count(201, 200), 2);
        assert_eq!(page_count(1500, 200), 8);
        for len in [0, 1, 199, 200, 201, 399, 400, 401, 1500] {
            let rows: Vec<usize> = (0..page_count(len, 200))
                .flat_map(|p| page_rows(p, len, 200))
                .collect();
            assert_eq!(rows, (0..len).collect::<Vec<_>>(), "len {len}");
            for r in 0..len {
                assert!(page_rows(page_of(r, 200), len, 200).contains(&r));
            }
        }
        assert_eq!(page_rows(7, 1500, 200), 1400..1500);
        assert_eq!(page_rows(8, 1500, 200), 1500..1500);
    }

    #[test]
    fn page_paths_number_from_two() {
        assert_eq!(page_path("brands/acme/", 0), "brands/acme/");
        assert_eq!(page_path("brands/acme/", 1), "brands/acme/page/2/");
        assert_eq!(page_path("contents/", 9), "contents/page/10/");
    }

    fn facts<'a>(model: &'a str, location: Option<&'a str>, title: &'a str) -> LabelFacts<'a> {
        LabelFacts {
            model,
            location,
            title,
            path: "locks/x/",
        }
    }

    #[test]
    fn a_model_of_its_own_is_its_label() {
        let l = labels(&[
            facts("D100", Some("A/B"), "One"),
            facts("D200", None, "Two"),
        ]);
        assert_eq!(l, ["D100", "D200"]);
    }

    #[test]
    fn a_shared_model_gets_its_location_else_its_title() {
        let entries = [
            facts("NV-200", Some("Building B / Bin store"), "Bin store"),
            facts("NV-200", Some("Building A/Lobby"), "Lobby"),
            facts("NV-200", None, "Back door"),
            facts("NV-200", Some("Building C"), "Room 1"),
            facts("NV-200", Some("Building C"), "Room 2"),
            facts("D100", Some("Building C"), "Office"),
        ];
        assert_eq!(
            labels(&entries),
            [
                "NV-200 · Building B › Bin store",
                "NV-200 · Building A › Lobby",
                "NV-200 · Back door",
                "NV-200 · Room 1",
                "NV-200 · Room 2",
                "D100",
            ]
        );
    }

    #[test]
    fn the_same_model_location_and_title_fall_back_to_the_path() {
        let mut a = facts("K1", Some("Hall"), "Door");
        let mut b = a;
        a.path = "locks/a/door/";
        b.path = "locks/b/door/";
        let l = labels(&[a, b]);
        assert_eq!(l, ["K1 · Door · locks/a/door", "K1 · Door · locks/b/door"]);
    }

    #[test]
    fn labels_tell_apart_thousands_of_identical_locks() {
        let rooms: Vec<String> = (0..3000)
            .map(|i| format!("Floor {}/Room {i}", i / 100))
            .collect();
        let entries: Vec<LabelFacts> = rooms
            .iter()
            .map(|r| facts("NV-200", Some(r), "Guest room door"))
            .collect();
        let l = labels(&entries);
        let distinct: std::collections::HashSet<&String> = l.iter().collect();
        assert_eq!(distinct.len(), 3000);
        assert_eq!(l[123], "NV-200 · Floor 1 › Room 123");
    }

    #[test]
    fn location_text_trims_and_joins_parts() {
        assert_eq!(location_text(" A / B//C "), "A › B › C");
        assert_eq!(location_text("/"), "");
    }
}
