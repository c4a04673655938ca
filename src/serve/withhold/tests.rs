use std::sync::Arc;

use super::*;
use crate::source::SourceFile;

const BASE: &str = "http://127.0.0.1:1111/";

fn doc(rel: &str, text: &str) -> Doc {
    crate::doc::parse(&SourceFile {
        rel: rel.into(),
        text: text.into(),
    })
    .expect("the test page parses")
}

#[test]
fn a_sensitive_line_with_any_value_but_false_may_mark_a_page() {
    for front in [
        "title: X\nsensitive: true\n",
        "  sensitive: yes # hidden\n",
        "'sensitive': \"true\"\n",
        "Sensitive:\n",
        "- sensitive: maybe\n",
        "sensitve: true\n",
        "senstive: true\n",
        "sensitive_: true\n",
    ] {
        assert!(may_be_sensitive(front), "{front:?}");
    }
    for front in [
        "title: X\nsensitive: false\n",
        "sensitive: False  # public\n",
        "title: sensitive: not a key here\n",
        "description: sensitive stuff\n",
        "sensitve: false\n",
    ] {
        assert!(!may_be_sensitive(front), "{front:?}");
    }
}

#[test]
fn the_front_matter_is_the_whole_text_when_it_is_not_closed() {
    assert_eq!(front_matter("---\na: 1\n---\nbody\n"), "a: 1\n");
    assert_eq!(front_matter("---\na: 1\nbody\n"), "---\na: 1\nbody\n");
    assert_eq!(front_matter("no front matter\n"), "no front matter\n");
}

#[test]
fn front_values_are_the_scalars_as_written() {
    let front = "title: \"Server room: B2\"\nbrand: Acme # maker\nsensitive: true\n\
                 installed: 2021-03-04\nweight: 3\ntools:\n  - 'Torx T10'\n\
                 warnings: [Mains power, \"Alarm\"]\nextra:\n  code: 12-34\n\
                 description: |\n  A multi line\n  text.\n";
    assert_eq!(
        front_values(front),
        [
            "Server room: B2",
            "Acme",
            "Torx T10",
            "Mains power",
            "Alarm",
            "12-34",
            "A multi line",
            "text."
        ]
    );
}

#[test]
fn finds_sensitive_parsed_and_unparsed_files_and_their_secrets() {
    let mut docs = BTreeMap::new();
    for (rel, text) in [
        (
            "locks/acme/v.md",
            "---\ntitle: Vault Room Master\nbrand: Acme\nmodel: V9\nsensitive: true\n---\nx\n",
        ),
        (
            "locks/acme/a.md",
            "---\ntitle: Acme A\nbrand: Acme\nmodel: A1\n---\nx\n\n::: private\nThe code is 1234-5678.\n:::\n",
        ),
    ] {
        docs.insert(rel.to_string(), doc(rel, text));
    }
    let mut unparsed = BTreeMap::new();
    unparsed.insert(
        "guide/s.md".to_string(),
        "title: Strongroom\nsensitive: true\ninstalled: last week\n".to_string(),
    );
    unparsed.insert(
        "guide/p.md".to_string(),
        "title: Public one\nweight: x\n".to_string(),
    );
    let s = Sensitive::find(&docs, &unparsed, None, &[]);
    let files: Vec<&str> = s.files.iter().map(String::as_str).collect();
    assert_eq!(files, ["content/guide/s.md", "content/locks/acme/v.md"]);
    for secret in [
        "Vault Room Master",
        "V9",
        "Strongroom",
        "last week",
        "The code is 1234-5678.",
    ] {
        assert!(
            s.secrets.iter().any(|x| x == secret),
            "{secret}: {:?}",
            s.secrets
        );
    }
    // A value a public page has too is public; so is a public page's own text.
    for public in ["Acme", "Acme A", "A1", "Public one"] {
        assert!(
            !s.secrets.iter().any(|x| x == public),
            "{public}: {:?}",
            s.secrets
        );
    }
    // Nothing of a last good site to withdraw without one.
    assert!(s.withdrawn.is_empty());
}

#[test]
fn the_view_drops_own_files_and_replaces_pages_that_show_the_page() {
    let withdrawn = vec![Withheld {
        rel: "locks/acme/v.md".into(),
        title: "Vault Room Master".into(),
        url: "/locks/acme/v/".into(),
        path: "locks/acme/v/".into(),
    }];
    let s = Sensitive {
        withdrawn,
        content_pages: [
            "locks/acme/a/index.html",
            "locks/acme/v/index.html",
            "guide/g/index.html",
        ]
        .into_iter()
        .map(String::from)
        .collect(),
        ..Sensitive::default()
    };
    let copied: std::collections::HashSet<String> = ["notes.css", "locks/acme/v/photo.jpg"]
        .into_iter()
        .map(String::from)
        .collect();
    let files: Files = [
        (
            "index.html",
            "<body><a href=\"/locks/acme/v/\">Vault</a></body>",
        ),
        (
            "locks/acme/a/index.html",
            "<body>next: Vault Room Master</body>",
        ),
        ("locks/acme/v/index.html", "<body>the page</body>"),
        ("locks/acme/v/photo.jpg", "binary"),
        ("sitemap.xml", "<loc>http://x/locks/acme/v/</loc>"),
        ("notes.css", "/* /locks/acme/v/ */"),
        ("robots.txt", "User-agent: *"),
        ("brands/index.html", "<body>Acme: 3 entries</body>"),
        ("guide/g/index.html", "<body>unrelated</body>"),
    ]
    .into_iter()
    .map(|(k, v)| (Arc::from(k), Arc::from(v.as_bytes())))
    .collect();
    let shown = view(&files, &s, &copied, BASE).expect("something to withdraw");
    let mut paths: Vec<&str> = shown.keys().map(|k| &**k).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "brands/index.html",
            "guide/g/index.html",
            "index.html",
            "locks/acme/a/index.html",
            "robots.txt",
            "sitemap.xml"
        ]
    );
    for p in ["guide/g/index.html", "robots.txt"] {
        assert_eq!(&*shown[p], &*files[p], "{p}");
    }
    // Generated pages show counts: withheld whatever they hold.
    for p in [
        "index.html",
        "brands/index.html",
        "locks/acme/a/index.html",
        "sitemap.xml",
    ] {
        let text = String::from_utf8_lossy(&shown[p]);
        assert!(text.contains("withheld"), "{p}: {text}");
        assert!(
            !text.contains("/locks/acme/v/") && !text.contains("Vault"),
            "{p}: {text}"
        );
    }
    assert!(String::from_utf8_lossy(&shown["index.html"]).contains("</body>"));
    assert!(view(&files, &Sensitive::default(), &copied, BASE).is_none());
}
