//! The random bodies of the markers property test, and how they are written
//! as lines (see `markers.rs`).

use proptest::prelude::*;

use crate::model::{Kind, Line, Page};

/// Near-miss opening lines: (container written before, marker text).
const NEAR_OPEN: &[(&str, &str)] = &[
    ("", ":::private"),
    ("", "::: Private"),
    ("", "::: PRIVATE"),
    ("", ":::  private"),
    ("", ":::\tprivate"),
    ("", ":::: private"),
    ("", "::: private notes"),
    ("", "::: secret"),
    ("", "\\::: private"),
    ("", "\u{ff1a}\u{ff1a}\u{ff1a} private"),
    ("", ":::\u{a0}private"),
    ("- ", "::: private"),
    ("1. ", "::: private"),
    ("- [ ] ", "::: private"),
    ("> ", "::: private"),
    ("## ", "::: private"),
    ("[^z]: ", "::: private"),
];

/// Near-miss closing lines.
const NEAR_CLOSE: &[(&str, &str)] = &[
    ("", "::::"),
    ("", ": : :"),
    ("", "::: end"),
    ("", "\\:::"),
    ("", "\u{ff1a}\u{ff1a}\u{ff1a}"),
    ("- ", ":::"),
    ("> ", ":::"),
];

// ---- the random body -----------------------------------------------------------

#[derive(Debug, Clone)]
enum Marker {
    Exact { trailing: bool },
    Near(u8),
}

/// Where a private block is written.
#[derive(Debug, Clone, Copy)]
enum Ctx {
    Top,
    Bullet,
    Ordered,
    Nested,
    Quote,
    Footnote,
    /// `<div>`, `<details>`, `<pre>`, `<!--`.
    Html(u8),
}

#[derive(Debug, Clone)]
enum Inner {
    Text,
    List,
    Fence { tilde: bool, markers: bool },
    Blank,
}

/// A line of code.
#[derive(Debug, Clone)]
enum Code {
    Text,
    Open,
    Close,
    Near(u8),
}

#[derive(Debug, Clone)]
enum Seg {
    Para,
    Private {
        ctx: Ctx,
        indent: u8,
        blank: bool,
        open: Marker,
        close: Option<Marker>,
        inner: Vec<Inner>,
    },
    Fence {
        kind: u8,
        info: u8,
        indent: u8,
        closed: bool,
        lines: Vec<Code>,
    },
    Indented {
        indent: u8,
        lines: Vec<Code>,
    },
    DashPair,
    Stray {
        close: bool,
        marker: Marker,
    },
}

#[derive(Debug, Clone)]
pub struct PageSpec {
    /// Segments, each after a blank line or not.
    body: Vec<(Seg, bool)>,
    /// 0 LF, 1 CRLF, 2 CR; `None` for a mix (one choice a line, from `mix`).
    ending: Option<u8>,
    mix: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct SiteSpec {
    pub unsafe_html: bool,
    pub minify: bool,
    pub pages: Vec<PageSpec>,
}

fn marker() -> impl Strategy<Value = Marker> {
    prop_oneof![
        24 => any::<bool>().prop_map(|trailing| Marker::Exact { trailing }),
        1 => any::<u8>().prop_map(Marker::Near),
    ]
}

fn code_line() -> impl Strategy<Value = Code> {
    prop_oneof![
        3 => Just(Code::Text),
        2 => Just(Code::Open),
        2 => Just(Code::Close),
        1 => any::<u8>().prop_map(Code::Near),
    ]
}

fn inner() -> impl Strategy<Value = Inner> {
    prop_oneof![
        5 => Just(Inner::Text),
        1 => Just(Inner::List),
        2 => (any::<bool>(), any::<bool>()).prop_map(|(tilde, markers)| Inner::Fence { tilde, markers }),
        1 => Just(Inner::Blank),
    ]
}

fn ctx() -> impl Strategy<Value = Ctx> {
    prop_oneof![
        6 => Just(Ctx::Top),
        2 => Just(Ctx::Bullet),
        1 => Just(Ctx::Ordered),
        1 => Just(Ctx::Nested),
        1 => Just(Ctx::Quote),
        2 => Just(Ctx::Footnote),
        2 => (0u8..4).prop_map(Ctx::Html),
    ]
}

fn seg() -> impl Strategy<Value = Seg> {
    let codes = || proptest::collection::vec(code_line(), 1..5);
    prop_oneof![
        3 => Just(Seg::Para),
        8 => (
            ctx(),
            prop_oneof![6 => 0u8..=3, 1 => 4u8..=6],
            any::<bool>(),
            marker(),
            prop_oneof![24 => marker().prop_map(Some), 1 => Just(None)],
            proptest::collection::vec(inner(), 1..4),
        )
            .prop_map(|(ctx, indent, blank, open, close, inner)| Seg::Private {
                ctx,
                indent,
                blank,
                open,
                close,
                inner,
            }),
        3 => (0u8..4, 0u8..4, 0u8..=3, prop::bool::weighted(0.9), codes()).prop_map(
            |(kind, info, indent, closed, lines)| Seg::Fence { kind, info, indent, closed, lines }
        ),
        1 => (4u8..=6, codes()).prop_map(|(indent, lines)| Seg::Indented { indent, lines }),
        1 => Just(Seg::DashPair),
        1 => (any::<bool>(), marker()).prop_map(|(close, marker)| Seg::Stray { close, marker }),
    ]
}

fn page() -> impl Strategy<Value = PageSpec> {
    (
        proptest::collection::vec((seg(), any::<bool>()), 1..6),
        prop_oneof![3 => (0u8..3).prop_map(Some), 1 => Just(None)],
        proptest::collection::vec(0u8..3, 64),
    )
        .prop_map(|(body, ending, mix)| PageSpec { body, ending, mix })
}

pub fn site_spec() -> impl Strategy<Value = SiteSpec> {
    (
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(page(), 1..=2),
    )
        .prop_map(|(unsafe_html, minify, pages)| SiteSpec {
            unsafe_html,
            minify,
            pages,
        })
}

// ---- the body as lines -----------------------------------------------------------

/// Writes the lines of one page.
struct Writer<'a> {
    lines: Vec<Line>,
    tokens: &'a mut usize,
    /// Lines written now are in an HTML comment (minifying may drop them).
    hidden: bool,
}

impl Writer<'_> {
    fn token(&mut self) -> String {
        *self.tokens += 1;
        format!("TOK{:05}", *self.tokens)
    }

    fn text(&mut self, prefix: &str, words: &str) {
        let t = self.token();
        let kind = Kind::Token {
            token: t.clone(),
            shown: !self.hidden,
        };
        self.lines
            .push(Line::new(format!("{prefix}{words} {t} here."), kind));
    }

    fn plain(&mut self, text: impl Into<String>) {
        self.lines.push(Line::new(text.into(), Kind::Other));
    }

    fn blank(&mut self, prefix: &str) {
        self.plain(prefix.trim_end());
    }

    /// A marker line: `Open`/`Close` when exact, else a near miss (from `pick`).
    fn marker(&mut self, prefix: &str, m: &Marker, close: bool) {
        // In a blockquote, even an exact marker is an error (SPEC).
        let quoted = prefix.trim_start().starts_with('>');
        let (container, text, kind) = match m {
            Marker::Exact { trailing } => {
                let text = if close { ":::" } else { "::: private" };
                let pad = if *trailing { "  " } else { "" };
                let kind = match (quoted, close) {
                    (true, _) => Kind::Near,
                    (false, true) => Kind::Close,
                    (false, false) => Kind::Open,
                };
                ("", format!("{text}{pad}"), kind)
            }
            Marker::Near(i) => {
                let list = if close { NEAR_CLOSE } else { NEAR_OPEN };
                let (c, t) = list[usize::from(*i) % list.len()];
                (c, t.to_string(), Kind::Near)
            }
        };
        let mut line = Line::new(format!("{prefix}{container}{text}"), kind);
        line.probe = Some(format!("{prefix}{container}"));
        self.lines.push(line);
    }

    fn code(&mut self, prefix: &str, c: &Code) {
        match c {
            Code::Text => self.text(prefix, "code"),
            Code::Open => self.marker(prefix, &Marker::Exact { trailing: false }, false),
            Code::Close => self.marker(prefix, &Marker::Exact { trailing: false }, true),
            Code::Near(i) => self.marker(prefix, &Marker::Near(*i), i % 2 == 0),
        }
    }

    fn seg(&mut self, seg: &Seg, n: usize) {
        match seg {
            Seg::Para => self.text("", "A public paragraph"),
            Seg::DashPair => {
                self.plain("---");
                self.text("", "Between the dashes");
                self.plain("...");
            }
            Seg::Stray { close, marker } => self.marker("", marker, *close),
            Seg::Fence {
                kind,
                info,
                indent,
                closed,
                lines,
            } => {
                let fence = ["```", "~~~", "````", "~~~~"][usize::from(*kind) % 4];
                let info = ["", "rust", "text {.x}", "sh title=a"][usize::from(*info) % 4];
                let pad = " ".repeat(usize::from(*indent));
                self.plain(format!("{pad}{fence}{info}"));
                for c in lines {
                    self.code(&pad, c);
                }
                if *closed {
                    self.plain(format!("{pad}{fence}"));
                }
            }
            Seg::Indented { indent, lines } => {
                let pad = " ".repeat(usize::from(*indent));
                for c in lines {
                    self.code(&pad, c);
                }
            }
            Seg::Private {
                ctx,
                indent,
                blank,
                open,
                close,
                inner,
            } => {
                let extra = " ".repeat(usize::from(*indent));
                let (prefix, closing) = match ctx {
                    Ctx::Top => (extra, None),
                    Ctx::Bullet | Ctx::Ordered | Ctx::Nested => {
                        let (item, pad) = match ctx {
                            Ctx::Bullet => ("- ", "  "),
                            Ctx::Ordered => ("1. ", "   "),
                            _ => {
                                self.text("- ", "Outer item");
                                ("  - ", "    ")
                            }
                        };
                        self.text(item, "Item");
                        if *blank {
                            self.blank("");
                        }
                        (format!("{pad}{extra}"), None)
                    }
                    Ctx::Quote => {
                        self.text("> ", "Quoted");
                        (format!("> {extra}"), None)
                    }
                    Ctx::Footnote => {
                        self.text("", &format!("Noted[^f{n}]"));
                        self.blank("");
                        self.text(&format!("[^f{n}]: "), "First paragraph");
                        self.blank("");
                        (format!("    {extra}"), None)
                    }
                    Ctx::Html(tag) => {
                        let (o, c) = [
                            ("<div>", "</div>"),
                            ("<details>", "</details>"),
                            ("<pre>", "</pre>"),
                            ("<!--", "-->"),
                        ][usize::from(*tag) % 4];
                        self.plain(o);
                        self.hidden = *tag % 4 == 3;
                        (extra, Some(c))
                    }
                };
                self.marker(&prefix, open, false);
                for i in inner {
                    match i {
                        Inner::Text => self.text(&prefix, "Secret words"),
                        Inner::List => {
                            self.text(&format!("{prefix}- "), "Secret step");
                            self.text(&format!("{prefix}- "), "Secret step");
                        }
                        Inner::Blank => self.blank(&prefix),
                        Inner::Fence { tilde, markers } => {
                            let fence = if *tilde { "~~~" } else { "```" };
                            self.plain(format!("{prefix}{fence}"));
                            if *markers {
                                self.code(&prefix, &Code::Close);
                                self.code(&prefix, &Code::Open);
                            }
                            self.text(&prefix, "Secret code");
                            self.plain(format!("{prefix}{fence}"));
                        }
                    }
                }
                if let Some(m) = close {
                    self.marker(&prefix, m, true);
                }
                if let Some(c) = closing {
                    self.plain(c);
                    self.hidden = false;
                }
            }
        }
    }
}

pub fn write_page(spec: &PageSpec, n: usize, tokens: &mut usize) -> Page {
    let mut w = Writer {
        lines: Vec::new(),
        tokens,
        hidden: false,
    };
    for fm in [
        "---".to_string(),
        format!("title: Marker page {n}"),
        "---".to_string(),
    ] {
        w.plain(fm);
    }
    // A body whose first line is `---` is a second front matter block, an
    // error of its own (tested in bad_input): open with a paragraph.
    w.plain(format!("Page {n} opens here."));
    w.blank("");
    let mut after_html = false;
    for (i, (seg, blank)) in spec.body.iter().enumerate() {
        // Indented code needs a blank line before it to be code. After an
        // HTML block, a blank line ends it: lines after it without one are
        // its text, and the blank lines a private build writes around the
        // markers of a later block there would end it early (the block still
        // shows, but later Markdown may turn into code: a known limit).
        if i > 0 && (*blank || after_html || matches!(seg, Seg::Indented { .. })) {
            w.blank("");
        }
        w.seg(seg, i);
        after_html = matches!(
            seg,
            Seg::Private {
                ctx: Ctx::Html(_),
                ..
            }
        );
    }
    Page::new(
        format!("content/guide/p{n}.md"),
        w.lines,
        spec.ending,
        &spec.mix,
    )
}
