//! Step 5b: where the kept entries are and what they are — the location tree
//! (`/locations/…`) and the lock type groups (`/types/…`), built from the
//! ordered entries, after the sensitive filter: a location or a type that only
//! sensitive entries have does not exist in a public build.
//!
//! A location is split on `/` (parts trimmed, empty parts dropped; `>` and
//! `›` are part of a name, not separators). Parts are matched by slug under
//! the same parent (`Floor 2` and `floor-2` are one node), named as the first
//! entry (in the site's order) writes them. One pass over the entries with a
//! map from slug path to node: linear in the total length of the locations.
//!
//! A place with no sub-places and one entry (a room with its one lock, the
//! common case) has no page of its own: a page listing one link would be one
//! more click and, at 10,000 entries, thousands of pages. Its `url` is the
//! entry's, so every list that names the place leads straight to the lock.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap as HashMap;

use super::Page;
use crate::nav::location_parts;
use crate::slug::slugify;

/// The folder of the location tree: `/locations/`, `/locations/<slug>/…/`.
pub const LOCATIONS: &str = "locations/";
/// The folder of the type index: `/types/`, `/types/<slug>/`.
pub const TYPES: &str = "types/";

/// The location tree of the site's entries.
#[derive(Debug, Clone, Default)]
pub struct Locations {
    /// Every node, parents before their children.
    pub nodes: Vec<Location>,
    /// The top-level nodes, in name order.
    pub roots: Vec<usize>,
    /// The node each entry's location ends at, by index in `Site::entries`.
    pub of_entry: Vec<Option<usize>>,
    /// Entries with no location.
    pub unplaced: usize,
}

/// One node of the tree: `Building B`, or `Building B / Floor 2`.
#[derive(Debug, Clone)]
pub struct Location {
    pub name: String,
    /// Output folder: `locations/building-b/floor-2/`.
    pub path: String,
    /// Its page, or the entry's page when it has none (`page` false).
    pub url: String,
    /// Whether it has a page: it has sub-places, or more than one entry.
    pub page: bool,
    pub parent: Option<usize>,
    /// Sub-locations, in name order (numbers by value: `Floor 2` before `Floor 10`).
    pub children: Vec<usize>,
    /// Entries whose location ends here, in the site's order (indexes into `Site::entries`).
    pub entries: Vec<usize>,
    /// Entries here and in every sub-location.
    pub total: usize,
}

/// The lock types of the site's entries.
#[derive(Debug, Clone, Default)]
pub struct Types {
    /// In slug order.
    pub types: Vec<LockType>,
    /// The type of each entry, by index in `Site::entries`.
    pub of_entry: Vec<Option<usize>>,
    /// Entries with no lock type.
    pub untyped: usize,
}

#[derive(Debug, Clone)]
pub struct LockType {
    /// In words (`lock_type::label`).
    pub name: String,
    pub slug: String,
    /// Output folder: `types/keypad/`.
    pub path: String,
    pub url: String,
    /// Indexes into `Site::entries`, in the site's order.
    pub entries: Vec<usize>,
}

/// A hash of what `locations` reads: each entry's URL and location, in
/// order, and the base path.
pub fn locations_key(entries: &[Page], base: &str) -> u64 {
    key(entries, base, |p| {
        (&p.url, p.facts.as_ref().and_then(|f| f.location.as_deref()))
    })
}

/// A hash of what `types` reads: each entry's lock type, in order, and the base path.
pub fn types_key(entries: &[Page], base: &str) -> u64 {
    key(entries, base, |p| {
        p.facts.as_ref().and_then(|f| f.lock_type.as_deref())
    })
}

fn key<'a, T: std::hash::Hash>(
    entries: &'a [Page],
    base: &str,
    read: impl Fn(&'a Page) -> T,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    (base, entries.len()).hash(&mut h);
    for page in entries {
        read(page).hash(&mut h);
    }
    h.finish()
}

/// The location tree of `entries`; `base` is the base path URLs start with.
pub fn locations(entries: &[Page], base: &str) -> Locations {
    let mut nodes: Vec<Location> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::default();
    let mut of_entry = Vec::with_capacity(entries.len());
    for (i, page) in entries.iter().enumerate() {
        let location = page.facts.as_ref().and_then(|f| f.location.as_deref());
        let mut parent: Option<usize> = None;
        let mut key = String::new();
        for part in location.into_iter().flat_map(location_parts) {
            let slug = slugify(part);
            if slug.is_empty() {
                // `page::location_problem` reports it; the part is no node.
                continue;
            }
            key.push_str(&slug);
            key.push('/');
            let node = *by_key.entry(key.clone()).or_insert_with(|| {
                let path = format!("{LOCATIONS}{key}");
                nodes.push(Location {
                    name: part.to_string(),
                    url: format!("{base}{path}"),
                    page: true,
                    path,
                    parent,
                    children: vec![],
                    entries: vec![],
                    total: 0,
                });
                if let Some(p) = parent {
                    let child = nodes.len() - 1;
                    nodes[p].children.push(child);
                }
                nodes.len() - 1
            });
            nodes[node].total += 1;
            parent = Some(node);
        }
        if let Some(n) = parent {
            nodes[n].entries.push(i);
        }
        of_entry.push(parent);
    }
    let mut roots: Vec<usize> = (0..nodes.len())
        .filter(|&n| nodes[n].parent.is_none())
        .collect();
    let by_name = |a: &usize, b: &usize| natural_cmp(&nodes[*a].name, &nodes[*b].name);
    roots.sort_by(by_name);
    let mut sorted: Vec<Vec<usize>> = nodes.iter().map(|n| n.children.clone()).collect();
    for children in &mut sorted {
        children.sort_by(by_name);
    }
    for (node, children) in nodes.iter_mut().zip(sorted) {
        node.children = children;
        if let ([], &[only]) = (&node.children[..], &node.entries[..]) {
            node.page = false;
            node.url.clone_from(&entries[only].url);
        }
    }
    Locations {
        unplaced: of_entry.iter().filter(|n| n.is_none()).count(),
        nodes,
        roots,
        of_entry,
    }
}

/// The lock type groups of `entries`, by slug of `lock_type`.
pub fn types(entries: &[Page], base: &str) -> Types {
    let mut groups: BTreeMap<String, (String, Vec<usize>)> = BTreeMap::new();
    for (i, page) in entries.iter().enumerate() {
        let Some(t) = page.facts.as_ref().and_then(|f| f.lock_type.as_deref()) else {
            continue;
        };
        let slug = slugify(t);
        if !slug.is_empty() {
            let group = groups
                .entry(slug)
                .or_insert_with(|| (crate::lock_type::label(t), vec![]));
            group.1.push(i);
        }
    }
    let mut of_entry = vec![None; entries.len()];
    let types: Vec<LockType> = groups
        .into_iter()
        .enumerate()
        .map(|(t, (slug, (name, members)))| {
            for &i in &members {
                of_entry[i] = Some(t);
            }
            let path = format!("{TYPES}{slug}/");
            LockType {
                name,
                url: format!("{base}{path}"),
                path,
                slug,
                entries: members,
            }
        })
        .collect();
    Types {
        untyped: of_entry.iter().filter(|t| t.is_none()).count(),
        types,
        of_entry,
    }
}

/// Names in order ignoring case (then by case, so the order is total), with
/// runs of digits compared by value.
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    folded_cmp(a, b).then_with(|| a.cmp(b))
}

fn folded_cmp(a: &str, b: &str) -> Ordering {
    let (mut i, mut j) = (0, 0);
    loop {
        match (a[i..].chars().next(), b[j..].chars().next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let (xe, ye) = (digits_end(a, i), digits_end(b, j));
                let (xt, yt) = (
                    a[i..xe].trim_start_matches('0'),
                    b[j..ye].trim_start_matches('0'),
                );
                let o = xt.len().cmp(&yt.len()).then_with(|| xt.cmp(yt));
                if o != Ordering::Equal {
                    return o;
                }
                (i, j) = (xe, ye);
            }
            (Some(x), Some(y)) => {
                if x != y {
                    let o = x.to_lowercase().cmp(y.to_lowercase());
                    if o != Ordering::Equal {
                        return o;
                    }
                }
                (i, j) = (i + x.len_utf8(), j + y.len_utf8());
            }
        }
    }
}

/// The end of the run of ASCII digits that starts at `from`.
fn digits_end(s: &str, from: usize) -> usize {
    s[from..]
        .find(|c: char| !c.is_ascii_digit())
        .map_or(s.len(), |n| from + n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::tests::{config, doc};
    use crate::site::{Options, assemble};

    fn site(
        entries: &[(&str, Option<&str>, Option<&str>, bool)],
        private: bool,
    ) -> crate::site::Site {
        let docs: Vec<crate::doc::Doc> = entries
            .iter()
            .enumerate()
            .map(|(i, (title, location, lock_type, sensitive))| {
                let mut yaml =
                    format!("title: '{title}'\nbrand: Acme\nmodel: M{i}\nsensitive: {sensitive}");
                if let Some(l) = location {
                    yaml.push_str(&format!("\nlocation: '{l}'"));
                }
                if let Some(t) = lock_type {
                    yaml.push_str(&format!("\nlock_type: '{t}'"));
                }
                doc(&format!("locks/acme/e{i}.md"), &yaml)
            })
            .collect();
        let refs: Vec<&crate::doc::Doc> = docs.iter().collect();
        let opts = Options {
            private,
            audience: None,
            today: jiff::civil::date(2026, 11, 1),
            theme_words: &[],
        };
        assemble(&config("https://x.org/hb/"), &refs, &[], opts).unwrap()
    }

    fn names(l: &Locations, ids: &[usize]) -> Vec<String> {
        ids.iter().map(|&n| l.nodes[n].name.clone()).collect()
    }

    #[test]
    fn locations_make_a_tree_with_counts_and_direct_entries() {
        let s = site(
            &[
                (
                    "Bin store",
                    Some("Building B / Floor 2 / Bin store"),
                    None,
                    false,
                ),
                ("Lobby", Some("Building B"), None, false),
                ("Office", Some("building b/Floor 10"), None, false),
                ("Gate", Some(" Annex "), None, false),
                ("Shed", None, None, false),
                ("Roof", Some("Building B/floor-2"), None, false),
            ],
            false,
        );
        let l = &s.locations;
        assert_eq!(names(l, &l.roots), ["Annex", "Building B"]);
        let b = l.roots[1];
        assert_eq!(l.nodes[b].total, 4);
        assert_eq!(l.nodes[b].path, "locations/building-b/");
        assert_eq!(l.nodes[b].url, "/hb/locations/building-b/");
        assert_eq!(names(l, &l.nodes[b].children), ["Floor 2", "Floor 10"]);
        let floor2 = l.nodes[b].children[0];
        assert_eq!(l.nodes[floor2].total, 2, "Floor 2 and floor-2 are one");
        assert_eq!(l.nodes[floor2].path, "locations/building-b/floor-2/");
        let titles = |n: usize| -> Vec<&str> {
            l.nodes[n]
                .entries
                .iter()
                .map(|&i| s.entries[i].title.as_str())
                .collect()
        };
        assert_eq!(titles(b), ["Lobby"]);
        assert_eq!(titles(floor2), ["Roof"]);
        let bin = l.nodes[floor2].children[0];
        assert_eq!(
            (l.nodes[bin].parent, titles(bin)),
            (Some(floor2), vec!["Bin store"])
        );
        assert_eq!(l.unplaced, 1);
        let shed = s.entries.iter().position(|p| p.title == "Shed").unwrap();
        assert_eq!(l.of_entry[shed], None);
    }

    #[test]
    fn a_place_that_is_one_entry_has_no_page_and_leads_to_the_entry() {
        let s = site(
            &[
                (
                    "Bin store",
                    Some("Building B / Floor 2 / Bin store"),
                    None,
                    false,
                ),
                ("Roof", Some("Building B / Floor 2"), None, false),
                ("Shed", Some("Shed"), None, false),
                ("Door 1", Some("Gate house"), None, false),
                ("Door 2", Some("Gate house"), None, false),
            ],
            false,
        );
        let l = &s.locations;
        let by_name = |name: &str| l.nodes.iter().find(|n| n.name == name).unwrap();
        let entry_url = |t: &str| s.entries.iter().find(|p| p.title == t).unwrap().url.clone();
        for (place, entry) in [("Bin store", "Bin store"), ("Shed", "Shed")] {
            let n = by_name(place);
            assert!(!n.page, "{place}");
            assert_eq!(n.url, entry_url(entry), "{place}");
        }
        for place in ["Building B", "Floor 2", "Gate house"] {
            let n = by_name(place);
            assert!(n.page, "{place}: sub-places or several entries");
            assert!(n.url.contains("/locations/"), "{place}");
        }
    }

    #[test]
    fn a_location_only_sensitive_entries_have_is_no_node_in_a_public_build() {
        let entries = [
            ("Door", Some("Hall"), Some("keypad"), false),
            ("Vault", Some("Hall/Strongroom"), Some("safe"), true),
        ];
        let public = site(&entries, false);
        assert_eq!(
            names(
                &public.locations,
                &(0..public.locations.nodes.len()).collect::<Vec<_>>()
            ),
            ["Hall"]
        );
        assert_eq!(public.locations.nodes[0].total, 1);
        let t: Vec<&str> = public.types.types.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(t, ["Keypad"]);
        let private = site(&entries, true);
        assert_eq!(private.locations.nodes.len(), 2);
        let t: Vec<&str> = private
            .types
            .types
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(t, ["Keypad", "Safe"]);
    }

    #[test]
    fn types_group_by_slug_and_show_words() {
        let s = site(
            &[
                ("A", None, Some("smart-lock"), false),
                ("B", None, Some("Smart lock"), false),
                ("C", None, Some("electronic-deadbolt"), false),
                ("D", None, None, false),
                ("E", None, Some("RFID reader"), false),
            ],
            false,
        );
        let t: Vec<(&str, &str, usize)> = s
            .types
            .types
            .iter()
            .map(|t| (t.name.as_str(), t.path.as_str(), t.entries.len()))
            .collect();
        assert_eq!(
            t,
            [
                ("Electronic deadbolt", "types/electronic-deadbolt/", 1),
                ("RFID reader", "types/rfid-reader/", 1),
                ("Smart lock", "types/smart-lock/", 2),
            ]
        );
        assert_eq!(s.types.untyped, 1);
    }

    #[test]
    fn natural_order_compares_numbers_by_value() {
        let mut v = ["Floor 10", "floor 2", "Floor 1", "Annex", "Floor 02a"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(v, ["Annex", "Floor 1", "floor 2", "Floor 02a", "Floor 10"]);
        let mut v = ["B10 r2", "b10 R10", "B9", "b10 r2x", "Ärea 1", "Area 1"];
        v.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            v,
            ["Area 1", "B9", "B10 r2", "b10 r2x", "b10 R10", "Ärea 1"]
        );
        assert_eq!(natural_cmp("Room 007", "Room 7"), "Room 007".cmp("Room 7"));
    }
}
