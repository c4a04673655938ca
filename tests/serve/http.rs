//! Serving: content types, redirects, 404, 405, HEAD, traversal, the reload script.

use std::fs;

use crate::{CONTENT_MARKER, OVERLAY, PARENT_MARKER, SCRIPT, TOML_MARKER, serve};

#[test]
fn serves_pages_with_types_redirects_404_and_405() {
    let s = serve(&[]);

    let home = s.get("/");
    assert_eq!(home.status, 200, "{}", home.text());
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        home.text().contains("Serve Test Handbook"),
        "{}",
        home.text()
    );

    let guide = s.get("/guide/x/");
    assert_eq!(guide.status, 200, "{}", guide.text());
    assert_eq!(
        guide.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(
        guide.text().contains("Guide X body text."),
        "{}",
        guide.text()
    );

    let entry = s.page("/locks/acme/a100/", 200);
    assert!(entry.contains("Original A100 procedure text."), "{entry}");

    let redirect = s.get("/guide/x");
    assert_eq!(redirect.status, 301, "{redirect:?}");
    assert_eq!(redirect.header("location"), Some("/guide/x/"));

    let css = s.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.text().contains(SCRIPT), "script injected into CSS");

    let sitemap = s.get("/sitemap.xml");
    assert_eq!(sitemap.status, 200);
    assert_eq!(
        sitemap.header("content-type"),
        Some("application/xml; charset=utf-8")
    );
    assert!(sitemap.text().contains("<urlset"), "{}", sitemap.text());
    assert!(
        sitemap.text().contains("/locks/acme/a100/</loc>"),
        "{}",
        sitemap.text()
    );

    let not_found_page = s.page("/404.html", 200);
    for missing in ["/no/such/page/", "/no-such-file.css", "/locks/acme/zzz/"] {
        let r = s.get(missing);
        assert_eq!(r.status, 404, "GET {missing}: {}", r.text());
        assert_eq!(
            r.header("content-type"),
            Some("text/html; charset=utf-8"),
            "GET {missing}"
        );
        assert_eq!(
            r.text(),
            not_found_page,
            "GET {missing} is not the 404 page"
        );
    }

    for method in ["POST", "PUT", "DELETE"] {
        let r = s.request(method, "/");
        assert_eq!(r.status, 405, "{method} /: {}", r.text());
        assert!(
            r.header("allow").is_some_and(|a| a.contains("GET")),
            "{method} /: {r:?}"
        );
    }
}

/// HEAD answers like GET without the body. RFC 9110 §8.6: a Content-Length in a
/// HEAD response must be the length GET would send (or be left out).
#[test]
fn head_gives_the_get_headers_and_no_body() {
    let s = serve(&[]);
    for (path, status) in [
        ("/", 200),
        ("/guide/x/", 200),
        ("/style.css", 200),
        ("/no/such/page/", 404),
    ] {
        let get = s.get(path);
        let head = s.request("HEAD", path);
        assert_eq!(get.status, status, "GET {path}");
        assert_eq!(head.status, status, "HEAD {path}");
        assert!(
            head.body.is_empty(),
            "HEAD {path} sent a body: {}",
            head.text()
        );
        assert_eq!(
            head.header("content-type"),
            get.header("content-type"),
            "HEAD {path}"
        );
        if let Some(length) = head.header("content-length") {
            assert_eq!(
                length,
                get.body.len().to_string(),
                "HEAD {path}: Content-Length differs from the GET body's length"
            );
        }
    }
}

#[test]
fn traversal_never_reaches_files() {
    let s = serve(&[]);
    let toml = fs::read_to_string(s.path("site.toml")).expect("site.toml");
    let a100 = fs::read_to_string(s.path("content/locks/acme/a100.md")).expect("a100.md");
    assert!(toml.contains(TOML_MARKER) && a100.contains(CONTENT_MARKER));
    // Distinctive lines of the real files, beyond the markers.
    let secrets = [
        TOML_MARKER,
        CONTENT_MARKER,
        PARENT_MARKER,
        "base_url = ",
        "minify = false",
        "name = \"outside\"",
        "last_verified: 2026-06-01",
        "root:x:0:0",
    ];
    for path in [
        "/../Cargo.toml",
        "/..%2fCargo.toml",
        "/..%2fsite.toml",
        "/%2e%2e/site.toml",
        "/%2e%2e%2fsite.toml",
        "/%2E%2E/Cargo.toml",
        "/.%2e/site.toml",
        "/locks/..\\..\\site.toml",
        "/locks/%5c..%5c..%5csite.toml",
        "/locks/acme/../../site.toml",
        "/guide/%2e%2e/%2e%2e/site.toml",
        "//etc/passwd",
        "/../../../../../../etc/passwd",
        "/%00",
        "/site.toml%00.html",
        "/content/locks/acme/a100.md",
        "/content/locks/acme/a100.md/",
        "/site.toml",
        "/site.toml/",
        "/content/",
        "//guide/x",
        "//guide/x/",
        "//127.0.0.1/",
    ] {
        let r = s.get(path);
        assert_ne!(r.status, 200, "GET {path} succeeded: {}", r.text());
        assert!(
            [400, 404].contains(&r.status),
            "GET {path}: status {} (expected 400 or 404)",
            r.status
        );
        // No redirect anywhere, least of all to a protocol-relative `//host/…`.
        assert_eq!(r.header("location"), None, "GET {path}");
        let all = format!("{:?}\n{}", r.headers, r.text());
        for secret in secrets {
            assert!(
                !all.contains(secret),
                "GET {path} revealed {secret:?}:\n{all}"
            );
        }
    }
}

#[test]
fn html_gets_the_live_reload_script() {
    let s = serve(&[]);
    for path in [
        "/",
        "/guide/x/",
        "/locks/acme/a100/",
        "/brands/",
        "/brands/acme/",
        "/404.html",
        "/missing/",
    ] {
        let r = s.get(path);
        let body = r.text();
        let script = body
            .find(SCRIPT)
            .unwrap_or_else(|| panic!("GET {path}: no live-reload script:\n{body}"));
        assert!(
            body.contains(r#"addEventListener("reload""#),
            "GET {path}: the script does not listen for reload events:\n{body}"
        );
        let end = body
            .rfind("</body>")
            .unwrap_or_else(|| panic!("GET {path}: no </body>"));
        assert!(script < end, "GET {path}: the script is after </body>");
        assert_eq!(body.matches(SCRIPT).count(), 1, "GET {path}: script twice");
        assert!(
            !body.contains(OVERLAY),
            "GET {path}: overlay on a good build"
        );
    }
    let sitemap = s.page("/sitemap.xml", 200);
    assert!(
        !sitemap.contains(SCRIPT),
        "script injected into sitemap.xml"
    );
}
