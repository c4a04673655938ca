//! The random site: what the generator chooses (see `main.rs`).

use proptest::prelude::*;

pub use crate::attacks::{Attack, Extra, attack, extra, needs_html};

/// A block of a page body (or of a private block, `Inner`).
#[derive(Debug, Clone)]
pub enum Block {
    Para,
    Heading(u8),
    /// A list; `private_in: Some(k)` puts a private block (indented markers) in item k.
    List {
        ordered: bool,
        items: u8,
        private_in: Option<u8>,
    },
    /// Fenced code, maybe inside a list item, maybe holding `::: private` / `:::` lines.
    Fence {
        tilde: bool,
        in_list: bool,
        markers: bool,
    },
    /// A link to another page (chosen by `target` among the allowed ones).
    Link {
        target: u8,
        fragment: bool,
    },
    /// An image of a bundle's asset (chosen by `target` among the allowed bundles).
    Photo {
        target: u8,
    },
    /// A private block; `spaced` writes its marker lines with trailing spaces.
    Private {
        inner: Vec<Inner>,
        spaced: bool,
    },
    /// An indented code block holding a "```" line (not a fence in CommonMark).
    IndentedFence {
        closed: bool,
    },
    /// A page's title in running text, in a typographic form (`attacks::mention`).
    Mention {
        target: u8,
        style: u8,
    },
    /// A link to a page in another spelling (`attacks::link_to`).
    FormLink {
        target: u8,
        form: u8,
        html: u8,
    },
}

#[derive(Debug, Clone)]
pub enum Inner {
    Para,
    Heading,
    List,
    /// Fenced code holding a `:::` line.
    Fence,
    Link {
        target: u8,
    },
    Mention {
        target: u8,
        style: u8,
    },
    FormLink {
        target: u8,
        form: u8,
        html: u8,
    },
}

/// A block and whether a blank line separates it from the block before.
pub type Body = Vec<(Block, bool)>;

#[derive(Debug, Clone)]
pub struct PageSpec {
    /// `Some(b)`: a lock entry of brand `b % brands`; `None`: a guide page.
    pub entry: Option<u8>,
    pub sensitive: bool,
    /// Written `sensitive: false` (when not sensitive).
    pub explicit_public: bool,
    pub bundle: bool,
    pub slug: bool,
    pub weight: i8,
    /// Written with CRLF line ends.
    pub crlf: bool,
    /// Plain, or with an apostrophe (`attacks::title_of`).
    pub title_style: u8,
    pub body: Body,
}

#[derive(Debug, Clone)]
pub struct SiteSpec {
    pub minify: bool,
    pub relative_urls: bool,
    pub brands: u8,
    pub home: Option<Body>,
    pub pages: Vec<PageSpec>,
    pub unsafe_html: bool,
    /// Files with random names in bundles and `static/`.
    pub extras: Vec<Extra>,
    /// One leak the public build must report.
    pub attack: Option<Attack>,
}

pub fn excluded(feature: &str) -> bool {
    std::env::var("LOCKGEN_PROPTEST_EXCLUDE")
        .is_ok_and(|v| v.split(',').any(|f| f.trim() == feature))
}

pub fn inner() -> impl Strategy<Value = Inner> {
    prop_oneof![
        3 => Just(Inner::Para),
        1 => Just(Inner::Heading),
        2 => Just(Inner::List),
        2 => Just(Inner::Fence),
        2 => any::<u8>().prop_map(|target| Inner::Link { target }),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(target, style)| Inner::Mention { target, style }),
        2 => (any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(target, form, html)| Inner::FormLink { target, form, html }),
    ]
}

pub fn block() -> impl Strategy<Value = Block> {
    let indented = if excluded("indented-fence") { 0 } else { 1 };
    prop_oneof![
        4 => Just(Block::Para),
        1 => (2u8..=4).prop_map(Block::Heading),
        3 => (any::<bool>(), 1u8..=4, proptest::option::of(0u8..4)).prop_map(
            |(ordered, items, private_in)| Block::List { ordered, items, private_in }
        ),
        3 => (any::<bool>(), any::<bool>(), any::<bool>())
            .prop_map(|(tilde, in_list, markers)| Block::Fence { tilde, in_list, markers }),
        3 => (any::<u8>(), any::<bool>())
            .prop_map(|(target, fragment)| Block::Link { target, fragment }),
        1 => any::<u8>().prop_map(|target| Block::Photo { target }),
        5 => (proptest::collection::vec(inner(), 1..4), prop::bool::weighted(0.2))
            .prop_map(|(inner, spaced)| Block::Private { inner, spaced }),
        indented => any::<bool>().prop_map(|closed| Block::IndentedFence { closed }),
        1 => (any::<u8>(), any::<u8>()).prop_map(|(target, style)| Block::Mention { target, style }),
        2 => (any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(target, form, html)| Block::FormLink { target, form, html }),
    ]
}

pub fn body() -> impl Strategy<Value = Body> {
    proptest::collection::vec((block(), any::<bool>()), 0..7)
}

pub fn page() -> impl Strategy<Value = PageSpec> {
    (
        proptest::option::of(any::<u8>()),
        prop::bool::weighted(0.35),
        any::<bool>(),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.2),
        -3i8..4,
        (prop::bool::weighted(0.15), any::<u8>()),
        body(),
    )
        .prop_map(
            |(
                entry,
                sensitive,
                explicit_public,
                bundle,
                slug,
                weight,
                (crlf, title_style),
                body,
            )| PageSpec {
                entry,
                sensitive,
                explicit_public,
                bundle,
                slug,
                weight,
                crlf,
                title_style,
                body,
            },
        )
}

pub fn site_spec() -> impl Strategy<Value = SiteSpec> {
    (
        any::<bool>(),
        prop::bool::weighted(0.25),
        1u8..=4,
        proptest::option::of(body()),
        proptest::collection::vec(page(), 2..=12),
        any::<bool>(),
        proptest::collection::vec(extra(), 0..4),
        proptest::option::weighted(0.3, attack()),
    )
        .prop_map(
            |(minify, relative_urls, brands, home, pages, unsafe_html, extras, attack)| SiteSpec {
                minify,
                relative_urls,
                brands,
                home,
                pages,
                unsafe_html: unsafe_html || needs_html(&attack),
                extras,
                attack,
            },
        )
}
