//! Hostile front matter values reach HTML escaped (in text and in
//! attributes, with and without minification), and script URLs in Markdown
//! are errors unless `unsafe_html = true`.
//!
//! Fixture `escaping`: an entry whose title, brand, model, location,
//! description, tools, warnings, time and revisions carry HTML; a guide page
//! whose `extra` values a `templates/page.html` override prints in text and
//! attributes; a site description with markup.

use crate::{Site, site, snapshot};

/// Markup from the fixture that must never become an element or attribute.
const PAYLOADS: &[&str] = &[
    "<script>alert(1)</script>",
    "<b>Bold</b>",
    "<i>desc</i>",
    "<em>extra</em>",
    "<img src=x onerror=alert(2)>",
    "<svg onload=alert(3)>",
    "<u>note</u>",
    "<u>description</u>",
    "M<1>",
];

/// A start tag found by [`start_tags`]: its name, its text and the text right after it.
#[derive(Debug)]
struct Tag {
    name: String,
    text: String,
    after: String,
}

/// The start tags of an HTML document, read the way a browser reads them:
/// quoted attribute values may hold `<` and `>`, and the text of `title`,
/// `textarea`, `script` and `style` is not markup.
fn start_tags(html: &str) -> Vec<Tag> {
    let b = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' || !b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'-') {
            j += 1;
        }
        let name = html[i + 1..j].to_ascii_lowercase();
        let mut quote = None;
        while j < b.len() {
            match (quote, b[j]) {
                (None, b'"' | b'\'') => quote = Some(b[j]),
                (Some(q), c) if c == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        let end = (j + 1).min(b.len());
        let rest = &html[end..];
        let after: String = rest.chars().take(24).collect();
        tags.push(Tag {
            name: name.clone(),
            text: html[start..end].to_string(),
            after,
        });
        i = end;
        if matches!(name.as_str(), "title" | "textarea" | "script" | "style") {
            let close = format!("</{name}");
            i += rest.to_ascii_lowercase().find(&close).unwrap_or(rest.len());
        }
    }
    tags
}

/// No start tag in any output page comes from a payload.
#[track_caller]
fn no_payload_elements(site: &Site, out: &str) {
    for (file, bytes) in snapshot(&site.path(out)) {
        if !file.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&bytes);
        for tag in start_tags(&html) {
            let lower = tag.text.to_ascii_lowercase();
            let injected = lower.contains("onerror")
                || lower.contains("onload")
                || (tag.name == "script" && tag.after.contains("alert"))
                || (tag.name == "b" && tag.after.starts_with("Bold"))
                || (tag.name == "i" && tag.after.starts_with("desc"))
                || (tag.name == "em" && tag.after.starts_with("extra"))
                || (tag.name == "u" && tag.after.starts_with("note"))
                || (tag.name == "u" && tag.after.starts_with("description"))
                || tag.name == "1";
            assert!(
                !injected,
                "{out}/{file}: an element came from front matter: {} (followed by {:?})",
                tag.text, tag.after
            );
        }
    }
}

#[test]
fn tag_reader_reads_attributes_and_text_elements() {
    let tags = start_tags(
        r#"<p title="<b>x</b>">a</p><title><script>alert(1)</script></title><b>Bold</b>"#,
    );
    let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["p", "title", "b"]);
    assert_eq!(tags[2].after, "Bold</b>");
}

#[test]
fn front_matter_values_are_escaped_in_text_and_attributes() {
    let site = site("escaping");
    site.build().assert_ok();
    let files = snapshot(&site.path("public"));
    for (file, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        for p in PAYLOADS {
            assert!(!text.contains(p), "public/{file} contains raw {p:?}");
        }
    }
    no_payload_elements(&site, "public");

    let entry = site.read("public/locks/bold/evil/index.html");
    for escaped in [
        "<title>&lt;script&gt;alert(1)&lt;/script&gt;",
        "<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>",
        r#"<meta name="description" content="He said &quot;hi&quot; &gt; bye &amp; &lt;i&gt;desc&lt;/i&gt;">"#,
        "&lt;b&gt;Bold&lt;/b&gt; Locks",
        "M&lt;1&gt;",
        // The location's parts are links to their /locations/ pages; the
        // last, a place of this entry alone, has none and is text.
        "<a href=\"/locations/rd/\">R&amp;D</a> › Lab &quot;A&quot; &gt; B</td>",
        "&lt;img src=x onerror=alert(2)&gt;",
        "&lt;svg onload=alert(3)&gt;",
        "5 min &lt;u&gt;note&lt;/u&gt;",
        "Checked &lt;u&gt;note&lt;/u&gt;",
        "A&amp;B &lt;u&gt;note&lt;/u&gt;",
    ] {
        assert!(
            entry.contains(escaped),
            "entry page lacks {escaped:?}:\n{entry}"
        );
    }
    for page in ["public/brands/index.html", "public/index.html"] {
        let html = site.read(page);
        assert!(
            html.contains("&lt;b&gt;Bold&lt;/b&gt; Locks"),
            "{page}:\n{html}"
        );
    }
    let brand_pages: Vec<&String> = files
        .keys()
        .filter(|f| {
            f.starts_with("brands/") && f.ends_with("/index.html") && *f != "brands/index.html"
        })
        .collect();
    assert_eq!(brand_pages.len(), 1, "{brand_pages:?}");
    let brand = site.read(&format!("public/{}", brand_pages[0]));
    assert!(
        brand.contains("<h1>&lt;b&gt;Bold&lt;/b&gt; Locks</h1>"),
        "{brand}"
    );

    let guide = site.read("public/guide/extra/index.html");
    for escaped in [
        r#"<p class="extra-text">&lt;em&gt;extra&lt;/em&gt; &amp; &quot;quoted&quot; &gt; &#39;single&#39;</p>"#,
        r#"title="&lt;em&gt;extra&lt;/em&gt; &amp; &quot;quoted&quot; &gt; &#39;single&#39;""#,
        r#"data-x='&lt;em&gt;extra&lt;/em&gt; &amp; &quot;quoted&quot; &gt; &#39;single&#39;'"#,
        "<li>&lt;em&gt;extra&lt;/em&gt;</li><li>a&amp;b</li>",
    ] {
        assert!(
            guide.contains(escaped),
            "guide page lacks {escaped:?}:\n{guide}"
        );
    }
    assert!(
        guide.contains("Site &lt;u&gt;description&lt;/u&gt; &amp; &quot;quotes&quot;"),
        "the site description is not escaped in the footer:\n{guide}"
    );
}

#[test]
fn front_matter_values_stay_escaped_when_minified() {
    let site = site("escaping");
    site.set_minify(true);
    site.build().assert_ok();
    no_payload_elements(&site, "public");
    site.build_private().assert_ok();
    no_payload_elements(&site, "private");
}

#[test]
fn private_build_escapes_too() {
    let site = site("escaping");
    site.build_private().assert_ok();
    no_payload_elements(&site, "private");
    for (file, bytes) in snapshot(&site.path("private")) {
        let text = String::from_utf8_lossy(&bytes);
        for p in PAYLOADS {
            assert!(!text.contains(p), "private/{file} contains raw {p:?}");
        }
    }
}

#[test]
fn script_urls_in_markdown_are_errors_at_each_link() {
    let run = site("base").assert_breaks(|s| s.add("content/guide/bad.md", "script-links.md"));
    run.assert_errors(&[
        (
            "content/guide/bad.md:4:3",
            &["javascript:alert(1)", "unsafe_html"],
        ),
        ("content/guide/bad.md:6:1", &["JAVASCRIPT:alert(2)"]),
        ("content/guide/bad.md:8:1", &["data:text/html"]),
        ("content/guide/bad.md:10:1", &["javascript:alert(3)"]),
        ("content/guide/bad.md:12:1", &["vbscript:msgbox(1)"]),
    ]);
}

#[test]
fn script_urls_are_refused_in_private_builds_too() {
    let site = site("base");
    site.add("content/guide/bad.md", "script-links.md");
    site.build_private().assert_code(1);
    assert!(!site.exists("private"));
}

#[test]
fn script_urls_are_allowed_with_unsafe_html() {
    let site = site("base");
    site.add("content/guide/bad.md", "script-links.md");
    let toml = site.read("site.toml");
    site.write("site.toml", format!("{toml}unsafe_html = true\n"));
    site.build().assert_ok();
    let page = site.read("public/guide/bad/index.html");
    assert!(page.contains(r#"href="javascript:alert(1)""#), "{page}");
}
