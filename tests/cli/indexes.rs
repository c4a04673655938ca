//! Finding locks (issue #14): the location tree `/locations/…`, the lock type
//! index `/types/…`, the links to them on entry pages, and same-model entries
//! told apart in every list. The `indexes` fixture has two public "NV-200"
//! doors (Building B › Floor 2 › Bin store and Building B › Lobby), a keypad in
//! Building A, an RFID reader on Building B's Floor 2 (written `building b`),
//! an entry with no location or type, and two sensitive entries: one in a
//! sub-location only it has (`Building B / SENS-Cellar`, type
//! `sens-only-type`), one in a top-level location only it has (`SENS-Bunker`).

use crate::{Site, assert_in_order, files_containing, generated, site};

/// What a public build of the fixture must not contain anywhere.
const SENSITIVE: &[&str] = &[
    "sens-cellar",
    "sens-bunker",
    "sens-only-type",
    "sens-vault",
    "sens-body",
    "only type",
];

fn built() -> Site {
    let site = site("indexes");
    site.build().assert_ok();
    site
}

#[test]
fn the_location_tree_lists_places_and_entries_with_counts() {
    let site = built();
    let roots = site.main_of("public/locations/index.html");
    assert_in_order(
        &roots,
        &[
            "href=\"/locations/building-a/\">Building A</a>",
            "1 entry, 1 place",
            "href=\"/locations/building-b/\">Building B</a>",
            "3 entries, 2 places",
            "1 entry has no location",
        ],
    );
    let b = site.main_of("public/locations/building-b/index.html");
    assert_in_order(
        &b,
        &[
            "<h1>Building B</h1>",
            "3 entries in 2 places",
            "href=\"/locations/building-b/floor-2/\">Floor 2</a>",
            "2 entries, 1 place",
            // A place that is one entry, with no sub-places, has no page: its link is the entry.
            "href=\"/locks/nordvik/lobby/\">Lobby</a>",
            "1 entry",
        ],
    );
    assert!(
        !b.contains("Locks here"),
        "Building B has no own entries: {b}"
    );
    // "building b / Floor 2" is the same node as "Building B / Floor 2 / …".
    let floor = site.main_of("public/locations/building-b/floor-2/index.html");
    assert_in_order(
        &floor,
        &[
            "href=\"/locations/\">Locations</a>",
            "href=\"/locations/building-b/\">Building B</a>",
            "<h1>Floor 2</h1>",
            "href=\"/locks/nordvik/bin-store/\">Bin store</a>",
            "Locks here",
            "href=\"/locks/tarn/plant-room/\"",
            "Plant room",
            "Tarn",
            "RFID reader",
        ],
    );
    assert!(!site.exists("public/locations/building-b/floor-2/bin-store"));
    assert!(!site.exists("public/locations/building-b/lobby"));
}

#[test]
fn the_type_index_shows_types_in_words_with_their_entries() {
    let site = built();
    let types = site.main_of("public/types/index.html");
    assert_in_order(
        &types,
        &[
            "href=\"/types/electronic-deadbolt/\">Electronic deadbolt</a>",
            "2 entries",
            "href=\"/types/keypad/\">Keypad</a>",
            "1 entry",
            "href=\"/types/rfid-reader/\">RFID reader</a>",
            "1 entry has no lock type",
        ],
    );
    assert!(!types.contains("electronic-deadbolt<"), "{types}");
    let keypad = site.main_of("public/types/keypad/index.html");
    assert!(keypad.contains("Reception keypad"), "{keypad}");
    assert!(
        keypad.contains("1 entry."),
        "the sensitive keypad is not counted: {keypad}"
    );
}

#[test]
fn an_entry_links_its_location_parts_and_its_type() {
    let site = built();
    let entry = site.main_of("public/locks/nordvik/bin-store/index.html");
    assert_in_order(
        &entry,
        &[
            "<a href=\"/types/electronic-deadbolt/\">Electronic deadbolt</a>",
            "<a href=\"/locations/building-b/\">Building B</a> › ",
            "<a href=\"/locations/building-b/floor-2/\">Floor 2</a> › Bin store</td>",
        ],
    );
    // The entry's own spelling is shown; the link goes to the shared node.
    let plant = site.main_of("public/locks/tarn/plant-room/index.html");
    assert!(
        plant.contains("<a href=\"/locations/building-b/\">building b</a>"),
        "{plant}"
    );
}

/// The two "NV-200" doors are told apart by location wherever entries are listed.
#[test]
fn entries_sharing_a_model_are_told_apart_in_every_list() {
    let site = built();
    let bin = "NV-200 · Building B › Floor 2 › Bin store";
    let lobby = "NV-200 · Building B › Lobby";
    for page in [
        "public/index.html",
        "public/brands/nordvik/index.html",
        "public/contents/index.html",
        "public/types/electronic-deadbolt/index.html",
    ] {
        let main = site.main_of(page);
        assert!(
            main.contains(bin) && main.contains(lobby),
            "{page}:\n{main}"
        );
    }
    // Previous/next and the sidebar on the entry pages.
    let page = site.read("public/locks/nordvik/bin-store/index.html");
    assert!(
        page.contains(&format!("<small>{lobby}</small>")),
        "prev/next: {page}"
    );
    let sidebar = &page[page.find("sidebar").expect("sidebar")..];
    assert!(
        sidebar.contains(bin) && sidebar.contains(lobby),
        "{sidebar}"
    );
}

#[test]
fn indexes_are_in_the_sitemap_and_the_navigation() {
    let site = built();
    let sitemap = site.read("public/sitemap.xml");
    for url in [
        "/locations/</loc>",
        "/locations/building-b/floor-2/</loc>",
        "/types/</loc>",
        "/types/rfid-reader/</loc>",
    ] {
        assert!(sitemap.contains(url), "{url} not in {sitemap}");
    }
    assert!(!sitemap.contains("/locations/building-b/floor-2/bin-store/"));
    let home = site.read("public/index.html");
    assert!(
        home.contains("href=\"/locations/\">Locations</a>"),
        "{home}"
    );
    assert!(home.contains("href=\"/types/\">Types</a>"), "{home}");
    assert!(
        !home.contains("/status/"),
        "no dashboard in a public build by default"
    );
    assert!(!site.exists("public/status"));
}

#[test]
fn locations_and_types_only_sensitive_entries_have_are_left_out_of_a_public_build() {
    let site = built();
    for needle in SENSITIVE {
        let hits = files_containing(&site.path("public"), needle);
        assert!(hits.is_empty(), "{needle:?} published in {hits:?}");
    }
    assert!(!site.exists("public/locations/sens-bunker"));
    assert!(!site.exists("public/types/sens-only-type"));
    // The private build has them, marked.
    site.build_private().assert_ok();
    let bunker = site.main_of("private/locations/sens-bunker/index.html");
    assert!(
        bunker.contains("href=\"/locks/tarn/bunker/\">Hatch</a>"),
        "{bunker}"
    );
    assert!(!site.exists("private/locations/sens-bunker/hatch"));
    let b = site.main_of("private/locations/building-b/index.html");
    assert!(b.contains("SENS-Cellar") && b.contains("4 entries"), "{b}");
    let t = site.main_of("private/types/sens-only-type/index.html");
    assert!(t.contains("SENS-Vault door"), "{t}");
    let keypad = site.main_of("private/types/keypad/index.html");
    assert!(keypad.contains("2 entries"), "{keypad}");
}

#[test]
fn a_location_part_or_type_without_letters_is_an_error_at_its_line() {
    let site = site("indexes");
    site.write(
        "content/locks/tarn/odd.md",
        "---\ntitle: Odd\nbrand: Tarn\nmodel: O1\nlocation: 'Hall / ?? / Room'\nlock_type: '--'\n---\nx\n",
    );
    site.build().assert_code(1).assert_errors(&[
        ("content/locks/tarn/odd.md:5:1", &["location part '??'"]),
        ("content/locks/tarn/odd.md:6:1", &["lock_type '--'"]),
    ]);
    assert!(!site.exists("public"));
}

/// A location with 450 entries of its own and one with 450 sub-locations are
/// paged, 200 rows a page, every row on exactly one page.
#[test]
fn a_location_with_hundreds_of_entries_or_places_is_paged() {
    let toml = "title = \"Hotel\"\nbase_url = \"https://x.org\"\n";
    let files = (0..450).flat_map(|i| {
        [
            (
                format!("content/locks/nv/a{i:03}.md"),
                format!("---\ntitle: Door {i:03}\nbrand: NV\nmodel: NV-200\nlocation: Hotel / Floor 1\nlock_type: keypad\n---\nx\n"),
            ),
            (
                format!("content/locks/nv/b{i:03}.md"),
                format!("---\ntitle: Room {i:03}\nbrand: NV\nmodel: NV-300\nlocation: Hotel / Floor 2 / Room {i}\n---\nx\n"),
            ),
        ]
    });
    let site = generated(toml, files);
    site.build().assert_ok();
    let rows = |page: &str, what: &str| site.main_of(page).matches(what).count();
    let floor1 = "public/locations/hotel/floor-1/";
    let floor2 = "public/locations/hotel/floor-2/";
    for (first, what, counts) in [
        (floor1, "class=title", [200, 200, 50]),
        // Each room is one entry: its row links straight to the entry.
        (floor2, "<a href=\"/locks/nv/b", [200, 200, 50]),
        ("public/types/keypad/", "class=title", [200, 200, 50]),
    ] {
        for (n, want) in counts.iter().enumerate() {
            let page = match n {
                0 => format!("{first}index.html"),
                n => format!("{first}page/{}/index.html", n + 1),
            };
            assert_eq!(rows(&page, what), *want, "{page}");
            assert!(site.read(&page).len() < 300 * 1024, "{page} too big");
        }
        assert!(!site.exists(&format!("{first}page/4")), "{first}");
    }
    // Sub-locations in number order: Room 2 before Room 10.
    let floor2_main = site.main_of("public/locations/hotel/floor-2/index.html");
    assert_in_order(&floor2_main, &[">Room 1<", ">Room 2<", ">Room 10<"]);
    let sitemap = site.read("public/sitemap.xml");
    assert!(
        sitemap.contains("/locations/hotel/floor-1/page/3/</loc>"),
        "{sitemap}"
    );
}
