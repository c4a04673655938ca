//! What a generated page means by the SPEC (the model the markers property
//! test holds the builds to), and the built output as the checks read it.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use pulldown_cmark::{Event, Parser};

/// What a line is, as the generator wrote it.
#[derive(Debug, Clone)]
pub enum Kind {
    /// An exact `::: private` line.
    Open,
    /// An exact `:::` line.
    Close,
    /// A line that looks like a marker but is not one (or one in a blockquote).
    Near,
    /// Text carrying a token; `shown`: a reader of the output would see it.
    Token {
        token: String,
        shown: bool,
    },
    Other,
}

#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub kind: Kind,
    /// For marker lines: the text before the marker (indent, containers).
    pub probe: Option<String>,
}

impl Line {
    pub fn new(text: String, kind: Kind) -> Line {
        Line {
            text,
            kind,
            probe: None,
        }
    }
}

/// A generated page: its lines (front matter first) and their line ends.
pub struct Page {
    pub path: String,
    lines: Vec<Line>,
    endings: Vec<&'static str>,
}

/// What the SPEC says a page holds.
pub struct Model {
    /// File lines that must be errors.
    pub errors: BTreeSet<usize>,
    pub blocks: usize,
    /// Tokens of lines inside private blocks, and whether a reader sees them
    /// (not in an HTML comment).
    pub private: Vec<(String, bool)>,
    /// Tokens of lines outside private blocks that a reader sees.
    pub public: Vec<String>,
}

const FRONT_MATTER_LINES: usize = 3;

impl Page {
    /// `ending`: 0 LF, 1 CRLF, 2 CR for every line; `None`: line i ends as `mix[i]` says.
    pub fn new(path: String, lines: Vec<Line>, ending: Option<u8>, mix: &[u8]) -> Page {
        const ENDS: [&str; 3] = ["\n", "\r\n", "\r"];
        let mut endings: Vec<&'static str> = (0..lines.len())
            .map(|i| ENDS[usize::from(ending.unwrap_or(mix[i % mix.len()])) % 3])
            .collect();
        // A CR, then an empty line ended by LF, would read as one CRLF.
        for i in 1..lines.len() {
            if endings[i - 1] == "\r" && lines[i].text.is_empty() && endings[i] == "\n" {
                endings[i] = "\r\n";
            }
        }
        Page {
            path,
            lines,
            endings,
        }
    }

    pub fn bytes(&self) -> Vec<u8> {
        let mut out = String::new();
        for (l, e) in self.lines.iter().zip(&self.endings) {
            out.push_str(&l.text);
            out.push_str(e);
        }
        out.into_bytes()
    }

    /// The page, numbered, line ends shown, to print on failure.
    pub fn listing(&self) -> String {
        let mut out = format!("==> {} <==\n", self.path);
        for (i, (l, e)) in self.lines.iter().zip(&self.endings).enumerate() {
            out.push_str(&format!("{:3} {:?} {:?}\n", i + 1, l.text, e));
        }
        out
    }

    /// The body with each marker line's marker replaced by a probe word.
    fn probe_body(&self) -> String {
        let mut body = String::new();
        for (i, l) in self.lines.iter().enumerate().skip(FRONT_MATTER_LINES) {
            match &l.probe {
                Some(prefix) => body.push_str(&format!("{prefix}PROBE{i:05}X")),
                None => body.push_str(&l.text),
            }
            body.push('\n');
        }
        body
    }

    pub fn model(&self) -> Model {
        let html = rendered(&self.probe_body());
        let code = |i: usize| {
            let Some(at) = html.find(&format!("PROBE{i:05}X")) else {
                return false;
            };
            let before = &html[..at];
            before.rfind("<pre") > before.rfind("</pre>")
        };
        let mut m = Model {
            errors: BTreeSet::new(),
            blocks: 0,
            private: Vec::new(),
            public: Vec::new(),
        };
        let mut inside = BTreeSet::new();
        let mut open: Option<usize> = None;
        for (i, l) in self.lines.iter().enumerate().skip(FRONT_MATTER_LINES) {
            let is_code = l.probe.is_some() && code(i);
            match l.kind {
                _ if is_code => {}
                Kind::Open => {
                    if open.is_some() {
                        m.errors.insert(i + 1);
                    }
                    open = Some(i);
                }
                Kind::Close => match open.take() {
                    Some(start) => {
                        inside.extend(start + 1..i);
                        m.blocks += 1;
                    }
                    None => {
                        m.errors.insert(i + 1);
                    }
                },
                Kind::Near => {
                    m.errors.insert(i + 1);
                }
                Kind::Token { .. } | Kind::Other => {}
            }
        }
        if let Some(start) = open {
            m.errors.insert(start + 1);
        }
        for (i, l) in self.lines.iter().enumerate() {
            if let Kind::Token { token, shown } = &l.kind {
                if inside.contains(&i) {
                    m.private.push((token.clone(), *shown));
                } else if *shown {
                    m.public.push(token.clone());
                }
            }
        }
        m
    }
}

/// The body as pulldown-cmark renders it with lockgen's dialect, raw HTML as
/// text (as lockgen escapes it): `<pre>` in it is code, nothing else.
fn rendered(body: &str) -> String {
    let events = Parser::new_ext(body, lockgen::markdown::options()).map(|e| match e {
        Event::Html(s) | Event::InlineHtml(s) => Event::Text(s),
        e => e,
    });
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, events);
    html
}

pub fn write(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().expect("parent")).expect("create folder");
    fs::write(&p, bytes).expect("write site file");
}

/// A built output folder: each file's name and text.
pub struct Output(Vec<(String, String)>);

impl Output {
    pub fn read(dir: &Path) -> Output {
        let mut files = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for entry in fs::read_dir(&d).expect("read output folder").flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(dir).expect("under dir");
                    let bytes = fs::read(&path).expect("read output file");
                    files.push((
                        rel.to_string_lossy().replace('\\', "/"),
                        String::from_utf8_lossy(&bytes).into_owned(),
                    ));
                }
            }
        }
        Output(files)
    }

    /// The first file whose name or text holds `token`, ASCII case ignored.
    pub fn find(&self, token: &str) -> Option<&str> {
        let lower = token.to_ascii_lowercase();
        self.0
            .iter()
            .find(|(name, text)| {
                name.to_ascii_lowercase().contains(&lower)
                    || text.to_ascii_lowercase().contains(&lower)
            })
            .map(|(name, _)| name.as_str())
    }

    /// Whether page `rel` holds `token`.
    pub fn page_has(&self, rel: &str, token: &str) -> bool {
        self.0
            .iter()
            .any(|(name, text)| name == rel && text.contains(token))
    }

    /// Tokens inside the `private-block` elements of page `rel`.
    pub fn in_private_blocks(&self, rel: &str) -> BTreeSet<String> {
        let Some((_, html)) = self.0.iter().find(|(name, _)| name == rel) else {
            return BTreeSet::new();
        };
        let mut out = BTreeSet::new();
        // Real tags only: a marker shown as code text reads `&lt;div class=…`.
        for pattern in [r#"<div class="private-block""#, "<div class=private-block"] {
            for (start, _) in html.match_indices(pattern) {
                out.extend(tokens(
                    &html[start..crate::common::element_end(html, start)],
                ));
            }
        }
        out
    }
}

/// The `TOK00042` tokens in `text`.
fn tokens(text: &str) -> Vec<String> {
    text.match_indices("TOK")
        .filter_map(|(i, _)| text.get(i..i + 8))
        .filter(|t| t[3..].bytes().all(|b| b.is_ascii_digit()))
        .map(str::to_string)
        .collect()
}
