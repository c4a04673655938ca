//! The theme stage: every read the theme needs, done once before rendering.
//!
//! `load` gathers the templates (the embedded `default` theme, then the
//! site's `themes/<theme>/templates/`, then its `templates/`, file by file),
//! checks each one's syntax against its own file, lists the static files to
//! copy and the built-in words the audit exempts. The renderer is then built
//! from a complete `Theme` and does no I/O.
//!
//! Minifying happens here, once, not per page: with `minify` (the default)
//! the built-in templates and stylesheet are minified when they load. The
//! site's own templates and files are used as written: a template's Tera
//! code can sit where an HTML minifier would rewrite it, so only templates
//! whose rendering lockgen's tests compare are minified.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::config::Config;
use crate::diag::Diagnostic;
use crate::render::{Copy, CopySource};
use crate::source::{is_editor_leftover, is_ignored_name};

/// The built-in theme's templates and static files (its screenshot stays out of the binary).
static DEFAULT_TEMPLATES: Dir<'static> =
    include_dir!("$CARGO_MANIFEST_DIR/themes/default/templates");
static DEFAULT_STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default/static");

/// The templates every theme provides (a theme may leave any of them to the default).
pub const TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "page.html",
    "entry.html",
    "brands.html",
    "brand.html",
    "contents.html",
    "locations.html",
    "location.html",
    "types.html",
    "type.html",
    "status.html",
    "404.html",
    "print.html",
    "entry_list.html",
    "pager.html",
    "page_toc.html",
    "revision_list.html",
];

/// One template as loaded.
#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    /// The file it came from, for diagnostics: `templates/entry.html`,
    /// `(built-in theme)/templates/entry.html`.
    pub display: String,
    /// The text as written: Tera's error positions refer to it.
    pub source: String,
    /// What the renderer uses: the minified text of a built-in template
    /// (with `minify`), else the source.
    pub text: String,
}

/// Everything the theme contributes to a build.
#[derive(Debug, Clone)]
pub struct Theme {
    pub templates: Vec<Template>,
    /// Static files to copy: the built-in theme's, then `themes/<theme>/static/`,
    /// then `static/`, later ones replacing earlier ones; sorted by output path.
    pub files: Vec<Copy>,
    /// The built-in templates' literal words (see `theme_words`).
    pub words: Vec<String>,
}

/// Reads the theme; a missing theme folder, an unreadable template or a
/// template syntax error is reported at its file, all of them at once.
pub fn load(config: &Config) -> Result<Theme, Vec<Diagnostic>> {
    let mut diags = Vec::new();
    let mut templates = builtin_templates(config.minify);
    let theme_dir = config.root.join("themes").join(&config.theme);
    if config.theme != "default" && !theme_dir.is_dir() {
        diags.push(Diagnostic::error(
            "site.toml",
            1,
            1,
            format!(
                "theme '{}' not found: no folder themes/{}",
                config.theme, config.theme
            ),
        ));
    }
    for dir in overrides(config, "templates") {
        for (name, path) in walk_files(&dir, is_ignored_name) {
            let display = crate::pipeline::display_rel(&config.root, &path);
            match std::fs::read_to_string(&path) {
                Ok(text) => {
                    templates.retain(|t| t.name != name);
                    templates.push(Template {
                        name,
                        display,
                        text: text.clone(),
                        source: text,
                    });
                }
                Err(e) => diags.push(Diagnostic::error(
                    display,
                    0,
                    0,
                    format!("cannot read template: {e}"),
                )),
            }
        }
    }
    diags.extend(templates.iter().filter_map(syntax_error));
    if !diags.is_empty() {
        return Err(diags);
    }
    Ok(Theme {
        templates,
        files: static_files(config),
        words: theme_words(config),
    })
}

/// A template's own syntax error, at its own file (checked one by one, so
/// the message names the file that holds the mistake).
fn syntax_error(t: &Template) -> Option<Diagnostic> {
    let e = tera::Tera::new()
        .add_raw_template(&t.name, &t.source)
        .err()?;
    matches!(e.kind(), tera::ErrorKind::SyntaxError(_)).then(|| {
        let paths = std::iter::once((t.name.clone(), t.display.clone())).collect();
        crate::render::template_diagnostic(&e, &paths, &t.name, "template error")
    })
}

/// The built-in templates, minified once per process when `minify`.
fn builtin_templates(minify: bool) -> Vec<Template> {
    static MINIFIED: OnceLock<Vec<Template>> = OnceLock::new();
    static AS_WRITTEN: OnceLock<Vec<Template>> = OnceLock::new();
    let make = |minify: bool| {
        TEMPLATES
            .iter()
            .filter_map(|name| {
                let source = DEFAULT_TEMPLATES
                    .get_file(name)?
                    .contents_utf8()?
                    .to_string();
                let text = match minify {
                    true => minify_template(&source).unwrap_or_else(|| source.clone()),
                    false => source.clone(),
                };
                Some(Template {
                    name: name.to_string(),
                    display: format!("(built-in theme)/templates/{name}"),
                    source,
                    text,
                })
            })
            .collect()
    };
    match minify {
        true => MINIFIED.get_or_init(|| make(true)).clone(),
        false => AS_WRITTEN.get_or_init(|| make(false)).clone(),
    }
}

/// A template minified by minify-html, or `None` when its Tera code sits
/// where the minifier would rewrite it (inside a tag but outside a quoted
/// attribute value, in a comment, in `<style>` or `<script>`).
pub fn minify_template(source: &str) -> Option<String> {
    if !tera_only_in_text_or_values(source) {
        return None;
    }
    let cfg = minify_html::Cfg {
        preserve_brace_template_syntax: true,
        keep_closing_tags: true,
        keep_html_and_head_opening_tags: true,
        minify_css: true,
        ..minify_html::Cfg::default()
    };
    String::from_utf8(minify_html::minify(source.as_bytes(), &cfg)).ok()
}

/// Whether every Tera tag (`{{`, `{%`, `{#`) of `source` is in text between
/// tags or inside a quoted attribute value.
fn tera_only_in_text_or_values(source: &str) -> bool {
    #[derive(PartialEq)]
    enum At {
        Text,
        Tag,
        Value(u8),
        Raw,
    }
    let b = source.as_bytes();
    let (mut at, mut i) = (At::Text, 0);
    'bytes: while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"{{") || rest.starts_with(b"{%") || rest.starts_with(b"{#") {
            if matches!(at, At::Tag | At::Raw) {
                return false;
            }
            let close: &[u8] = match rest[1] {
                b'{' => b"}}",
                b'%' => b"%}",
                _ => b"#}",
            };
            let Some(end) = rest.windows(2).position(|w| w == close) else {
                return false;
            };
            i += end + 2;
            continue;
        }
        at = match (at, b[i]) {
            (At::Text, b'<') if rest.starts_with(b"<!--") => At::Raw,
            (At::Text, b'<') => match rest.get(1) {
                Some(c) if c.is_ascii_alphabetic() || *c == b'/' || *c == b'!' => {
                    let lower = rest[..rest.len().min(8)].to_ascii_lowercase();
                    for code in ["style", "script"] {
                        if lower[1..].starts_with(code.as_bytes()) {
                            // Code in these is minified or not HTML: no Tera in it.
                            let close = format!("</{code}");
                            let tail = source[i..].to_ascii_lowercase();
                            let end = tail.find(&close).unwrap_or(tail.len());
                            if ["{{", "{%", "{#"].iter().any(|t| tail[..end].contains(t)) {
                                return false;
                            }
                            i += end;
                            at = At::Text;
                            continue 'bytes;
                        }
                    }
                    At::Tag
                }
                _ => At::Text,
            },
            (At::Raw, b'>') if b[..=i].ends_with(b"-->") => At::Text,
            (At::Tag, b'>') => At::Text,
            (At::Tag, q @ (b'"' | b'\'')) => At::Value(q),
            (At::Value(q), c) if c == q => At::Tag,
            (at, _) => at,
        };
        i += 1;
    }
    true
}

/// The literal words of lockgen's built-in templates that are in effect (not
/// replaced by the site's theme or `templates/`): each text between tags and
/// each quoted attribute value, without Tera code, whitespace collapsed,
/// lowercased. A sensitive page whose whole title is one of them ("Home",
/// "Brands") is not given away when the theme prints that word, so the leak
/// audit does not take that title as a needle (`site::Options::theme_words`).
/// The site's own templates get no such exemption: a title typed into one is
/// a leak.
pub fn theme_words(config: &Config) -> Vec<String> {
    let overridden = |name: &str| {
        overrides(config, "templates")
            .iter()
            .any(|dir| dir.join(name).exists())
    };
    let mut words: Vec<String> = TEMPLATES
        .iter()
        .filter(|name| !overridden(name))
        .filter_map(|name| DEFAULT_TEMPLATES.get_file(name)?.contents_utf8())
        .flat_map(literal_texts)
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Texts between tags and quoted attribute values of a template, Tera code removed.
fn literal_texts(template: &str) -> Vec<String> {
    let mut plain = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find(['{']) {
        plain.push_str(&rest[..i]);
        let close = match rest[i..].get(..2) {
            Some("{{") => "}}",
            Some("{%") => "%}",
            Some("{#") => "#}",
            _ => {
                plain.push('{');
                rest = &rest[i + 1..];
                continue;
            }
        };
        plain.push('<');
        rest = rest[i + 2..]
            .find(close)
            .map_or("", |j| &rest[i + 2 + j + close.len()..]);
    }
    plain.push_str(rest);
    plain
        .split(['<', '>', '"'])
        .map(|t| {
            t.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .filter(|t| !t.is_empty())
        .collect()
}

/// The folders whose files replace the built-in theme's `sub` folder, later
/// ones winning: `themes/<theme>/<sub>/`, then the site's `<sub>/`.
fn overrides(config: &Config, sub: &str) -> [PathBuf; 2] {
    [
        config.root.join("themes").join(&config.theme).join(sub),
        config.root.join(sub),
    ]
}

/// Static files of the theme and the site: embedded default theme (its
/// stylesheet minified once with `minify`), then `themes/<theme>/static/`,
/// then `static/`, later ones replacing earlier ones.
fn static_files(config: &Config) -> Vec<Copy> {
    let mut files: BTreeMap<String, CopySource> = BTreeMap::new();
    embedded_files(&DEFAULT_STATIC, config.minify, &mut files);
    for dir in overrides(config, "static") {
        for (rel, path) in walk_files(&dir, is_editor_leftover) {
            files.insert(rel, CopySource::Disk(path));
        }
    }
    files
        .into_iter()
        .map(|(rel_path, source)| Copy { rel_path, source })
        .collect()
}

fn embedded_files(dir: &Dir<'static>, minify: bool, out: &mut BTreeMap<String, CopySource>) {
    for f in dir.files() {
        let rel = f.path().to_string_lossy().replace('\\', "/");
        let bytes = match (minify, rel.ends_with(".css")) {
            (true, true) => minified_css(f.contents()),
            _ => f.contents(),
        };
        out.insert(rel, CopySource::Embedded(bytes));
    }
    for d in dir.dirs() {
        embedded_files(d, minify, out);
    }
}

/// The built-in stylesheet, minified once per process (lightningcss, as
/// minify-html uses it); as written if it cannot be.
fn minified_css(css: &'static [u8]) -> &'static [u8] {
    static MINIFIED: OnceLock<Vec<u8>> = OnceLock::new();
    MINIFIED.get_or_init(|| minify_css(css).unwrap_or_else(|| css.to_vec()))
}

fn minify_css(css: &[u8]) -> Option<Vec<u8>> {
    use lightningcss::stylesheet::{MinifyOptions, ParserOptions, PrinterOptions, StyleSheet};
    let text = std::str::from_utf8(css).ok()?;
    let mut sheet = StyleSheet::parse(text, ParserOptions::default()).ok()?;
    sheet.minify(MinifyOptions::default()).ok()?;
    let printed = sheet
        .to_css(PrinterOptions {
            minify: true,
            ..PrinterOptions::default()
        })
        .ok()?;
    Some(printed.code.into_bytes())
}

/// Sorted files under `dir`, but names `skip` rejects, as (`/`-separated relative path, full path).
fn walk_files(dir: &Path, skip: fn(&str) -> bool) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return vec![];
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip(&e.file_name().to_string_lossy()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap_or(e.path());
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            (rel, e.into_path())
        })
        .collect()
}

#[cfg(test)]
mod tests;
