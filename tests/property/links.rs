//! The link check of the property test: every internal link of every page
//! names an output file, read as a browser reads it.

use std::collections::{BTreeMap, BTreeSet};

use proptest::test_runner::TestCaseError;

use crate::{BASE_URL, fail};

/// Values of `href=` and `src=` attributes (quoted or not) in an HTML page.
fn link_targets(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=", "src="] {
        for (i, _) in html.match_indices(attr) {
            let before = html[..i].chars().last();
            if !before.is_some_and(char::is_whitespace) {
                continue;
            }
            let rest = &html[i + attr.len()..];
            let value = match rest.chars().next() {
                Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
                _ => rest
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or(""),
            };
            out.push(value.to_string());
        }
    }
    out
}

/// The output file an internal URL path (`/a/b/#x`) names.
fn file_of(url: &str) -> String {
    let path = url.split(['#', '?']).next().unwrap_or("");
    let path = path.trim_start_matches('/');
    if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    }
}

/// The output file a link on page `page` (an output path) names, when the
/// link is internal: site-absolute (`/a/`), on the site's host, or relative
/// (`../a/`), read as a browser reads it (percent-decoded, empty and dot
/// segments resolved). `None` for external URLs (another host, `mailto:`,
/// `data:`, `https:x` without `//`) and pure fragments; `Some("")` (no file)
/// for a relative link climbing above the output root.
fn internal_target(page: &str, url: &str) -> Option<String> {
    let url = url
        .strip_prefix(BASE_URL.trim_end_matches('/'))
        .unwrap_or(url);
    let path = percent_decode(url.split(['#', '?']).next().unwrap_or(""));
    let scheme = path.find(':').is_some_and(|i| !path[..i].contains('/'));
    if path.is_empty() || path.starts_with("//") || scheme {
        return None;
    }
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = page.split('/').collect();
        p.pop();
        p
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() && !path.starts_with('/') {
                    return Some(String::new());
                }
            }
            s => parts.push(s),
        }
    }
    let folder = path.ends_with('/') || path.ends_with("/.") || path.ends_with("..") || path == ".";
    Some(if folder {
        file_of(&format!("/{}/", parts.join("/")))
    } else {
        parts.join("/")
    })
}

/// `%XX` sequences decoded (ASCII only: the generator encodes letters).
fn percent_decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        match rest
            .get(i + 1..i + 3)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            Some(b) if b.is_ascii() => {
                out.push(char::from(b));
                rest = &rest[i + 3..];
            }
            _ => {
                out.push('%');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Every internal link of every page and every sitemap URL names an output
/// file (a folder without its slash counts: servers redirect it).
pub fn links_resolve(out: &str, files: &BTreeMap<String, Vec<u8>>) -> Result<(), TestCaseError> {
    let mut broken = BTreeSet::new();
    for (file, bytes) in files {
        let text = String::from_utf8_lossy(bytes);
        if file.ends_with(".html") {
            for url in link_targets(&text) {
                let exists = |t: &String| {
                    files.contains_key(t) || files.contains_key(&format!("{t}/index.html"))
                };
                if internal_target(file, &url).is_some_and(|t| !exists(&t)) {
                    broken.insert(format!("{file} → {url}"));
                }
            }
            if text.contains(".md)") {
                broken.insert(format!(
                    "{file}: unrendered Markdown link (….md) in the output"
                ));
            }
        }
        if file == "sitemap.xml" {
            for loc in text.split("<loc>").skip(1) {
                let url = loc.split("</loc>").next().unwrap_or("");
                let path = url
                    .strip_prefix(BASE_URL.trim_end_matches('/'))
                    .unwrap_or(url);
                if !files.contains_key(&file_of(path)) {
                    broken.insert(format!("sitemap.xml → {url}"));
                }
            }
        }
    }
    if broken.is_empty() {
        Ok(())
    } else {
        fail(format!(
            "{out}: broken or unrendered links:\n  {}",
            broken.into_iter().collect::<Vec<_>>().join("\n  ")
        ))
    }
}

#[test]
fn link_targets_reads_quoted_and_bare_attributes() {
    assert_eq!(
        link_targets(r#"<a href="/a/">x</a><img src=/b.svg alt=""><a class=x href='/c/#d'>"#),
        ["/a/", "/c/#d", "/b.svg"]
    );
    assert_eq!(file_of("/"), "index.html");
    let t = |page, url| internal_target(page, url);
    assert_eq!(
        t("guide/a/index.html", "/b/#x"),
        Some("b/index.html".into())
    );
    assert_eq!(
        t("guide/a/index.html", "../../locks/c/"),
        Some("locks/c/index.html".into())
    );
    assert_eq!(
        t("guide/a/index.html", "photo.svg"),
        Some("guide/a/photo.svg".into())
    );
    assert_eq!(t("guide/a/index.html", "../.."), Some("index.html".into()));
    assert_eq!(t("index.html", "./"), Some("index.html".into()));
    assert_eq!(t("index.html", "../x/"), Some(String::new()));
    assert_eq!(t("a/index.html", "https://x.org/a/"), None);
    assert_eq!(t("a/index.html", "mailto:a@b"), None);
    assert_eq!(t("a/index.html", "#top"), None);
    assert_eq!(t("a/index.html", "//cdn.example/x.js"), None);
    assert_eq!(file_of("/a/b/#x"), "a/b/index.html");
    assert_eq!(file_of("/style.css"), "style.css");
    // Read as a browser reads them.
    for url in [
        "/locks//x/",
        "/locks/./y/../x/",
        "/locks/%78/",
        "https://prop.example.org/locks/x/",
        "../../locks/x/",
    ] {
        assert_eq!(
            t("guide/a/index.html", url),
            Some("locks/x/index.html".into()),
            "{url}"
        );
    }
    assert_eq!(t("guide/a/index.html", "/locks/x"), Some("locks/x".into()));
    assert_eq!(t("locks/a/index.html", "https:../x/"), None);
}
