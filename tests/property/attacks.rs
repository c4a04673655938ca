//! The leak classes of issue #10 in random sites: titles with apostrophes,
//! mentions of titles in typographic forms, every spelling of a link, files
//! with random names in bundles and `static/`, and at most one attack a site
//! (a public page or file that leaks), whose error the build must report.

use proptest::prelude::*;

use crate::BASE_URL;
use crate::generate::{Generated, Laid};

/// A page's title: its kind word and marker, plain or with an apostrophe.
pub fn title_of(kind: &str, marker: &str, style: u8) -> String {
    match style % 3 {
        0 => format!("{kind} {marker}"),
        1 => format!("{kind}'s {marker} safe"),
        _ => format!("{kind}\u{2019}s {marker} door"),
    }
}

/// `title` as an author may type it in running text: in typographic quotes,
/// next to a dash or an ellipsis, with `’s`, a no-break space, wrapped over
/// two lines, double-spaced, upper-cased, apostrophes swapped.
pub fn mention(title: &str, style: u8) -> String {
    let swapped: String = title
        .chars()
        .map(|c| match c {
            '\'' => '\u{2019}',
            '\u{2019}' => '\'',
            c => c,
        })
        .collect();
    let t = match style % 11 {
        0 => format!("\u{201c}{title}\u{201d}"),
        1 => format!("\u{2018}{title}\u{2019}"),
        2 => format!("\u{ab}{title}\u{bb}"),
        3 => format!("{title}\u{2014}reset it"),
        4 => format!("{title}\u{2026}"),
        5 => format!("{title}\u{2019}s code"),
        6 => title.replacen(' ', "\u{a0}", 1),
        7 => title.replacen(' ', "\n", 1),
        8 => title.replace(' ', "  "),
        9 => title.to_uppercase(),
        _ => swapped,
    };
    format!("Ask about the {t} today.\n")
}

/// `to` (a folder URL path) relative to the folder URL `from`.
fn browser_relative(from: &str, to: &str) -> String {
    let f: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let t: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts = vec![".."; f.len() - common];
    parts.extend(&t[common..]);
    let joined = parts.join("/");
    if joined.is_empty() {
        "./".into()
    } else {
        format!("{joined}/")
    }
}

/// A spelling of the URL of page `to`, written on the page at URL `from`
/// whose source is `from_rel`: absolute, without the slash, relative to the
/// page, on the site's host, `.MD`, double slashes, dot segments,
/// percent-encoded, `https:` without `//`. `markdown`: `.MD` is possible.
pub fn url_form(to: &Laid, from: &str, from_rel: &str, form: u8, markdown: bool) -> String {
    let u = to.url.as_str();
    let segs: Vec<&str> = u.split('/').filter(|s| !s.is_empty()).collect();
    let last = segs.last().copied().unwrap_or("");
    let init = &segs[..segs.len().saturating_sub(1)];
    match form % 9 {
        1 => u.trim_end_matches('/').to_string(),
        2 => browser_relative(from, u),
        3 => format!("{}{u}", BASE_URL.trim_end_matches('/')),
        4 if markdown => crate::generate::relative(from_rel, &to.rel).replace(".md", ".MD"),
        5 => format!("/{}//{last}/", init.join("/")),
        6 => format!("/{}/./x/../{last}/", init.join("/")),
        7 => {
            let mut chars = last.chars();
            let first = chars.next().map_or(0, |c| c as u32);
            format!("/{}/%{first:02X}{}/", init.join("/"), chars.as_str())
        }
        8 => format!("https:{}", browser_relative(from, u)),
        _ => u.to_string(),
    }
}

/// A link to `to` in form `form`: Markdown, or (with `unsafe_html`) `<a href>`,
/// `<form action>`, or an `<img srcset>` of its photo, followed by a blank
/// line (an HTML block runs until one).
pub fn link_to(to: &Laid, from: &str, from_rel: &str, form: u8, html: u8, marker: &str) -> String {
    match html % 4 {
        1 => format!(
            "<a href=\"{}\">The page {marker}</a>\n\n",
            url_form(to, from, from_rel, form, false)
        ),
        2 => format!(
            "<form action=\"{}\"><button>Go {marker}</button></form>\n\n",
            url_form(to, from, from_rel, form, false)
        ),
        3 if to.asset.is_some() => {
            let name = to
                .asset
                .as_deref()
                .and_then(|a| a.rsplit('/').next())
                .unwrap_or("");
            let src = format!("{}{name}", url_form(to, from, from_rel, 0, false));
            format!("<img alt=\"Photo {marker}\" srcset=\"{src} 1x\">\n\n")
        }
        _ => format!(
            "See [the page {marker}]({}) here.\n",
            url_form(to, from, from_rel, form, true)
        ),
    }
}

// ---- files with random names ---------------------------------------------------

/// Leftovers (never copied), then names copied as they are.
const BUNDLE_NAMES: &[&str] = &[
    "index.md.orig",
    "index.md.bak",
    "index.md~",
    ".index.md.swp",
    "index.md.tmp",
    "index.md.save",
    "index.md___jb_tmp___",
    "index (copy).md",
    "photo - Copy.svg",
    "#index.md#",
    "notes.txt",
    "data.json",
    "README",
    "plan v2.txt",
];
const BUNDLE_LEFTOVERS: usize = 10;

const STATIC_NAMES: &[&str] = &[
    "notes.txt~",
    "x.yml.bak",
    ".htaccess.orig",
    "CNAME.tmp",
    "page (copy).html",
    "_redirects",
    ".htaccess",
    "CNAME",
    "x.yml",
    "NOTES",
    "blob.bin",
    "sub/notes.txt",
];
const STATIC_LEFTOVERS: usize = 5;

/// A file in a bundle (`bundle: Some`, chosen among the bundles) or in `static/`.
#[derive(Debug, Clone)]
pub struct Extra {
    pub bundle: Option<u8>,
    pub name: u8,
}

pub fn extra() -> impl Strategy<Value = Extra> {
    (proptest::option::of(any::<u8>()), any::<u8>())
        .prop_map(|(bundle, name)| Extra { bundle, name })
}

/// Text with `marker`, binary (NULs around it) for `.bin` names.
fn content(name: &str, text: String) -> Vec<u8> {
    if name.ends_with(".bin") {
        [
            b"\x89PNG\r\n\x1a\n\0\0".as_slice(),
            text.as_bytes(),
            b"\0\xff",
        ]
        .concat()
    } else {
        text.into_bytes()
    }
}

/// Writes the extra files. A leftover holds a page copy with a private
/// block, or sensitive URLs: none of it may reach either build (`never`).
pub fn write_extras(g: &mut Generated, laid: &[Laid], extras: &[Extra]) {
    let bundles: Vec<&Laid> = laid.iter().filter(|l| l.asset.is_some()).collect();
    let sensitive_url = laid
        .iter()
        .find(|l| l.sensitive)
        .map_or("", |l| l.url.as_str());
    for e in extras {
        let (path, leftover, secret, name) = match e.bundle {
            Some(b) if !bundles.is_empty() => {
                let page = bundles[usize::from(b) % bundles.len()];
                let i = usize::from(e.name) % BUNDLE_NAMES.len();
                let dir = page.rel.trim_end_matches("index.md");
                (
                    format!("content/{dir}{}", BUNDLE_NAMES[i]),
                    i < BUNDLE_LEFTOVERS,
                    page.sensitive,
                    BUNDLE_NAMES[i],
                )
            }
            _ => {
                let i = usize::from(e.name) % STATIC_NAMES.len();
                (
                    format!("static/{}", STATIC_NAMES[i]),
                    i < STATIC_LEFTOVERS,
                    false,
                    STATIC_NAMES[i],
                )
            }
        };
        if g.files.contains_key(&path) {
            continue;
        }
        let bytes = if leftover {
            let m = g.never_marker();
            format!(
                "---\ntitle: Old {m}\n---\n::: private\nOld code {m} of {sensitive_url}.\n:::\n"
            )
            .into_bytes()
        } else {
            let m = g.marker(secret);
            content(name, format!("Notes {m} as they are.\n"))
        };
        g.files.insert(path, bytes);
    }
}

// ---- attacks -------------------------------------------------------------------

/// One leak in a public page or file; `page`, `target`, `style` choose among
/// the public pages, sensitive pages, and spellings.
#[derive(Debug, Clone)]
pub struct Attack {
    /// 0 a mention of a sensitive title, 1 a Markdown link, 2 a raw HTML
    /// link, 3 a page copy under another name in a bundle, 4 a static file.
    pub kind: u8,
    pub page: u8,
    pub target: u8,
    pub style: u8,
}

pub fn attack() -> impl Strategy<Value = Attack> {
    (0u8..5, any::<u8>(), any::<u8>(), any::<u8>()).prop_map(|(kind, page, target, style)| Attack {
        kind,
        page,
        target,
        style,
    })
}

/// Whether the attack needs `unsafe_html`.
pub fn needs_html(a: &Option<Attack>) -> bool {
    a.as_ref().is_some_and(|a| a.kind == 2)
}

/// Adds the attack to the site; records the `path:line` the build must
/// report (and whether the private build fails too). `texts`: page sources
/// by content path, before line ends are chosen.
pub fn inject(g: &mut Generated, laid: &[Laid], texts: &mut [String], a: &Attack) {
    let public: Vec<usize> = (0..laid.len()).filter(|&i| !laid[i].sensitive).collect();
    let sensitive: Vec<&Laid> = laid.iter().filter(|l| l.sensitive).collect();
    if sensitive.is_empty() {
        return;
    }
    let target = sensitive[usize::from(a.target) % sensitive.len()];
    match a.kind {
        0..=2 => {
            let Some(&i) = public.get(usize::from(a.page) % public.len().max(1)) else {
                return;
            };
            let from = &laid[i];
            let text = &mut texts[i];
            text.push('\n');
            let line = text.matches('\n').count() + 1;
            let attack = match a.kind {
                0 => mention(&target.title, a.style),
                1 => link_to(target, &from.url, &from.rel, a.style, 0, &g.marker(false)),
                _ => link_to(
                    target,
                    &from.url,
                    &from.rel,
                    a.style,
                    1 + a.style % 2,
                    &g.marker(false),
                ),
            };
            text.push_str(&attack);
            g.expected.push(if a.kind == 2 {
                format!("public{}index.html:1", from.url)
            } else {
                format!("content/{}:{line}", from.rel)
            });
        }
        3 => {
            let bundles: Vec<&Laid> = laid.iter().filter(|l| l.asset.is_some()).collect();
            let Some(b) = bundles.get(usize::from(a.page) % bundles.len().max(1)) else {
                return;
            };
            let name = BUNDLE_NAMES
                [BUNDLE_LEFTOVERS + usize::from(a.style) % (BUNDLE_NAMES.len() - BUNDLE_LEFTOVERS)];
            let path = format!("content/{}{name}", b.rel.trim_end_matches("index.md"));
            let m = g.never_marker();
            let copy = format!("---\ntitle: Copy {m}\n---\n::: private\nCopied code {m}.\n:::\n");
            let copy = if a.target.is_multiple_of(2) {
                copy
            } else {
                copy.replace('\n', "\r\n")
            };
            g.files.insert(path.clone(), copy.into_bytes());
            g.expected.push(format!("{path}:1"));
            g.private_fails = true;
        }
        _ => {
            let i =
                STATIC_LEFTOVERS + usize::from(a.page) % (STATIC_NAMES.len() - STATIC_LEFTOVERS);
            let name = STATIC_NAMES[i];
            let what = match a.style % 4 {
                0 => format!("/old {} 301", target.url),
                1 => format!("RewriteRule ^old$ {}", target.url.trim_start_matches('/')),
                2 => mention(&target.title, a.style / 4),
                _ => match g.private_lines.first() {
                    Some(l) => l.clone(),
                    None => format!("Ask for {}.", target.title),
                },
            };
            g.files
                .insert(format!("static/{name}"), content(name, format!("{what}\n")));
            g.expected.push(format!("public/{name}:1"));
        }
    }
}
