//! The random site as files, and the markers the checks look for.

use std::collections::BTreeMap;

use crate::attacks::{self, link_to, mention, title_of};
use crate::spec::*;
use crate::{BASE_URL, BRANDS};

/// A generated site: its files and what the checks look for.
#[derive(Debug, Default)]
pub struct Generated {
    /// Path under the site root → bytes.
    pub files: BTreeMap<String, Vec<u8>>,
    pub secret: Vec<String>,
    pub public: Vec<String>,
    /// Markers of files no build may copy (leftovers, page copies).
    pub never: Vec<String>,
    /// `path:line` of the errors the public build must report (an attack).
    pub expected: Vec<String>,
    /// The private build fails too.
    pub private_fails: bool,
    /// Lines of public pages' private blocks, as written.
    pub private_lines: Vec<String>,
    /// (name, slug) of brands whose entries are all sensitive.
    pub hidden_brands: Vec<(String, String)>,
    /// Slugs of brands with a public entry.
    pub shown_brands: Vec<String>,
    /// Slugs of every brand with an entry.
    pub all_brands: Vec<String>,
}

impl Generated {
    pub fn marker(&mut self, secret: bool) -> String {
        let n = self.secret.len() + self.public.len() + self.never.len() + 1;
        if secret {
            let m = format!("SECRETMARK{n:04}");
            self.secret.push(m.clone());
            m
        } else {
            let m = format!("PUBLICMARK{n:04}");
            self.public.push(m.clone());
            m
        }
    }

    /// A marker for what no build may publish.
    pub fn never_marker(&mut self) -> String {
        let n = self.secret.len() + self.public.len() + self.never.len() + 1;
        let m = format!("NEVERMARK{n:04}");
        self.never.push(m.clone());
        m
    }

    /// The site's files, as a listing to print on failure.
    pub fn listing(&self) -> String {
        let mut out = String::new();
        for (path, bytes) in &self.files {
            let text = String::from_utf8_lossy(bytes);
            out.push_str(&format!("==> {path} <==\n{text}\n"));
        }
        out
    }
}

pub fn slugify(s: &str) -> String {
    s.to_ascii_lowercase().replace(' ', "-")
}

/// A page as the generator laid it out.
pub struct Laid {
    pub rel: String,
    /// Its URL path (`/locks/a/b/`).
    pub url: String,
    pub title: String,
    pub sensitive: bool,
    /// A bundle's asset, as a content path.
    pub asset: Option<String>,
}

/// `to` (a content path) relative to the folder of `from`.
pub fn relative(from: &str, to: &str) -> String {
    let mut from_dir: Vec<&str> = from.split('/').collect();
    from_dir.pop();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from_dir
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<&str> = vec![".."; from_dir.len() - common];
    parts.extend(&to_parts[common..]);
    parts.join("/")
}

/// Writes a body. `secret`: the page is sensitive (all its text is secret).
pub struct Writer<'a> {
    pub g: &'a mut Generated,
    pub pages: &'a [Laid],
    pub home: Option<&'a str>,
    pub rel: &'a str,
    /// The page's URL path.
    pub url: &'a str,
    pub secret: bool,
    pub unsafe_html: bool,
}

impl<'a> Writer<'a> {
    /// A link to a page chosen by `target`: any page when `anywhere`, else public pages only.
    fn link(&mut self, target: u8, anywhere: bool, fragment: bool, marker: &str) -> String {
        let mut candidates: Vec<&str> = self
            .pages
            .iter()
            .filter(|p| anywhere || !p.sensitive)
            .map(|p| p.rel.as_str())
            .collect();
        candidates.extend(self.home);
        if candidates.is_empty() {
            return format!("No page to link to, {marker}.\n");
        }
        let to = candidates[usize::from(target) % candidates.len()];
        let frag = if fragment { "#a-section" } else { "" };
        format!(
            "See [the link {marker}]({}{frag}) for more.\n",
            relative(self.rel, to)
        )
    }

    /// A page chosen by `target` (not the home page): any page when `anywhere`, else public ones.
    fn page(&self, target: u8, anywhere: bool) -> Option<&'a Laid> {
        let pages: &'a [Laid] = self.pages;
        let candidates: Vec<&Laid> = pages.iter().filter(|p| anywhere || !p.sensitive).collect();
        (!candidates.is_empty()).then(|| candidates[usize::from(target) % candidates.len()])
    }

    /// A mention of a page's title in a typographic form.
    fn mention(&mut self, target: u8, style: u8, anywhere: bool) -> String {
        match self.page(target, anywhere) {
            Some(p) => mention(&p.title, style),
            None => format!("No title to mention, {}.\n", self.g.marker(self.secret)),
        }
    }

    /// A link to a page in another spelling; raw HTML only with `unsafe_html`.
    fn form_link(
        &mut self,
        target: u8,
        form: u8,
        html: u8,
        anywhere: bool,
        marker: &str,
    ) -> String {
        let html = if self.unsafe_html { html } else { 0 };
        match self.page(target, anywhere) {
            Some(p) => link_to(p, self.url, self.rel, form, html, marker),
            None => format!("No page to link to, {marker}.\n"),
        }
    }

    /// An image of a bundle's asset chosen by `target`: any bundle when `anywhere`, else public ones only.
    fn photo(&mut self, target: u8, anywhere: bool, marker: &str) -> String {
        let candidates: Vec<&str> = self
            .pages
            .iter()
            .filter(|p| anywhere || !p.sensitive)
            .filter_map(|p| p.asset.as_deref())
            .collect();
        if candidates.is_empty() {
            return format!("No photo to show, {marker}.\n");
        }
        let to = candidates[usize::from(target) % candidates.len()];
        format!("![A photo {marker}]({})\n", relative(self.rel, to))
    }

    fn private_block(&mut self, inner: &[Inner], indent: &str, spaced: bool) -> String {
        let pad = if spaced { "  " } else { "" };
        let mut out = format!("{indent}::: private{pad}\n");
        for (i, b) in inner.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            let m = self.g.marker(true);
            let text = match b {
                Inner::Para => format!("The private detail {m} is written here.\n"),
                Inner::Heading => format!("### Private heading {m}\n"),
                Inner::List => format!("- Private step {m} first\n- Private step {m} second\n"),
                Inner::Fence => {
                    format!("```\n:::\nPrivate code {m} inside the block\n:::\n```\n")
                }
                Inner::Link { target } => self.link(*target, true, false, &m),
                Inner::Mention { target, style } => {
                    format!("Private {m}: {}", self.mention(*target, *style, true))
                }
                Inner::FormLink { target, form, html } => {
                    self.form_link(*target, *form, *html, true, &m)
                }
            };
            if !self.secret && matches!(b, Inner::Para) {
                self.g.private_lines.push(text.trim_end().to_string());
            }
            for line in text.lines() {
                if line.is_empty() {
                    out.push('\n');
                } else {
                    out.push_str(&format!("{indent}{line}\n"));
                }
            }
        }
        out.push_str(&format!("{indent}:::{pad}\n"));
        out
    }

    fn block(&mut self, b: &Block) -> String {
        let secret = self.secret;
        match b {
            Block::Para => {
                let m = self.g.marker(secret);
                format!("A paragraph {m} with some words.\nIt goes on for a second line.\n")
            }
            Block::Heading(level) => {
                let m = self.g.marker(secret);
                format!("{} Heading {m}\n", "#".repeat(usize::from(*level)))
            }
            Block::List {
                ordered,
                items,
                private_in,
            } => {
                let mut out = String::new();
                for i in 0..*items {
                    let m = self.g.marker(secret);
                    let (bullet, indent) = if *ordered {
                        (format!("{}.", i + 1), "   ")
                    } else {
                        ("-".to_string(), "  ")
                    };
                    out.push_str(&format!("{bullet} Item {m} of the list\n"));
                    if *private_in == Some(i) {
                        out.push_str(&self.private_block(&[Inner::Para], indent, false));
                    }
                }
                out
            }
            Block::Fence {
                tilde,
                in_list,
                markers,
            } => {
                let m = self.g.marker(secret);
                let fence = if *tilde { "~~~~" } else { "```" };
                let mut code = vec![format!("{fence}text")];
                if *markers {
                    code.push("::: private".into());
                }
                code.push(format!("Code line {m} stays text"));
                if *markers {
                    code.push(":::".into());
                }
                code.push(fence.to_string());
                if *in_list {
                    let item = self.g.marker(secret);
                    let lines: Vec<String> = code.iter().map(|l| format!("  {l}")).collect();
                    format!("- Item {item} with code:\n\n{}\n", lines.join("\n"))
                } else {
                    format!("{}\n", code.join("\n"))
                }
            }
            Block::Link { target, fragment } => {
                let m = self.g.marker(secret);
                self.link(*target, secret, *fragment, &m)
            }
            Block::Photo { target } => {
                let m = self.g.marker(secret);
                self.photo(*target, secret, &m)
            }
            Block::Private { inner, spaced } => self.private_block(inner, "", *spaced),
            Block::Mention { target, style } => self.mention(*target, *style, secret),
            Block::FormLink { target, form, html } => {
                let m = self.g.marker(secret);
                self.form_link(*target, *form, *html, secret, &m)
            }
            Block::IndentedFence { closed } => {
                let m = self.g.marker(secret);
                let close = if *closed { "    ```\n" } else { "" };
                format!("    ```\n    Indented code {m}\n{close}")
            }
        }
    }

    fn body(&mut self, body: &Body) -> String {
        let mut out = String::new();
        let mut after_private = false;
        for (i, (b, blank)) in body.iter().enumerate() {
            // An indented code block needs a blank line before it; so does
            // anything after a private block when `tight-after-private` is excluded.
            let needs_blank = matches!(b, Block::IndentedFence { .. })
                || (after_private && excluded("tight-after-private"));
            if i > 0 && (*blank || needs_blank) {
                out.push('\n');
            }
            out.push_str(&self.block(b));
            after_private = matches!(b, Block::Private { .. })
                || matches!(b, Block::List { private_in: Some(k), items, .. } if k + 1 == *items);
            if matches!(b, Block::IndentedFence { .. }) {
                out.push('\n');
            }
        }
        out
    }
}

pub fn generate(spec: &SiteSpec) -> Generated {
    let mut g = Generated::default();
    let brands = usize::from(spec.brands.clamp(1, 4));
    g.files.insert(
        "site.toml".into(),
        format!(
            "title = \"Property Handbook\"\nbase_url = \"{BASE_URL}\"\nminify = {}\nunsafe_html = {}\n{}",
            spec.minify,
            spec.unsafe_html,
            if spec.relative_urls {
                "relative_urls = true\n"
            } else {
                ""
            }
        )
        .into_bytes(),
    );

    // Lay out every page first: links need every path.
    let mut laid = Vec::new();
    let mut page_markers = Vec::new();
    for p in &spec.pages {
        let m = g.marker(p.sensitive);
        let name = m.to_ascii_lowercase();
        let dir = match p.entry {
            Some(b) => format!("locks/{}", slugify(BRANDS[usize::from(b) % brands])),
            None => "guide".to_string(),
        };
        let (rel, asset) = if p.bundle {
            (
                format!("{dir}/{name}/index.md"),
                Some(format!("{dir}/{name}/{name}-photo.svg")),
            )
        } else {
            (format!("{dir}/{name}.md"), None)
        };
        let url = if p.slug {
            format!("/{dir}/s-{name}/")
        } else {
            format!("/{dir}/{name}/")
        };
        let kind = if p.entry.is_some() { "Entry" } else { "Guide" };
        laid.push(Laid {
            rel,
            url,
            title: title_of(kind, &m, p.title_style),
            sensitive: p.sensitive,
            asset,
        });
        page_markers.push(m);
    }
    let home = spec.home.as_ref().map(|_| "_index.md");

    if let Some(body) = &spec.home {
        let m = g.marker(false);
        let mut w = Writer {
            g: &mut g,
            pages: &laid,
            home,
            rel: "_index.md",
            url: "/",
            secret: false,
            unsafe_html: spec.unsafe_html,
        };
        let text = w.body(body);
        g.files.insert(
            "content/_index.md".into(),
            format!("---\ntitle: Home {m}\n---\nWelcome {m}.\n\n{text}").into_bytes(),
        );
    }

    let mut texts = Vec::new();
    for (i, p) in spec.pages.iter().enumerate() {
        let m = page_markers[i].clone();
        let rel = laid[i].rel.clone();
        let mut fm = String::from("---\n");
        match p.entry {
            Some(b) => {
                fm.push_str(&format!(
                    "title: {}\nbrand: {}\nmodel: X{i}\nlast_verified: 2026-09-01\ndescription: Summary of {m}\n",
                    laid[i].title,
                    BRANDS[usize::from(b) % brands]
                ));
            }
            None => fm.push_str(&format!("title: {}\nweight: {}\n", laid[i].title, p.weight)),
        }
        if p.sensitive {
            fm.push_str("sensitive: true\n");
        } else if p.explicit_public {
            fm.push_str("sensitive: false\n");
        }
        if p.slug {
            fm.push_str(&format!("slug: s-{}\n", m.to_ascii_lowercase()));
        }
        fm.push_str("---\n");
        let mut text = format!("{fm}Opening text of {m}.\n\n");
        if let Some(asset) = &laid[i].asset {
            let name = &asset[asset.rfind('/').map_or(0, |i| i + 1)..];
            text.push_str(&format!("![Photo of {m}]({name})\n\n"));
            g.files.insert(
                format!("content/{asset}"),
                format!(
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 4 4\"><title>Photo {m}</title><rect width=\"4\" height=\"4\"/></svg>\n"
                )
                .into_bytes(),
            );
        }
        let mut w = Writer {
            g: &mut g,
            pages: &laid,
            home,
            rel: &rel,
            url: &laid[i].url,
            secret: p.sensitive,
            unsafe_html: spec.unsafe_html,
        };
        text.push_str(&w.body(&p.body));
        texts.push(text);
    }
    if let Some(a) = &spec.attack {
        attacks::inject(&mut g, &laid, &mut texts, a);
    }
    for ((p, l), mut text) in spec.pages.iter().zip(&laid).zip(texts) {
        if p.crlf {
            text = text.replace('\n', "\r\n");
        }
        g.files
            .insert(format!("content/{}", l.rel), text.into_bytes());
    }
    attacks::write_extras(&mut g, &laid, &spec.extras);

    for b in BRANDS.iter().take(brands) {
        let entries: Vec<&PageSpec> = spec
            .pages
            .iter()
            .filter(|p| {
                p.entry
                    .is_some_and(|e| BRANDS[usize::from(e) % brands] == *b)
            })
            .collect();
        if entries.is_empty() {
            continue;
        }
        g.all_brands.push(slugify(b));
        if entries.iter().all(|p| p.sensitive) {
            g.hidden_brands.push((b.to_string(), slugify(b)));
        } else {
            g.shown_brands.push(slugify(b));
        }
    }
    g
}
