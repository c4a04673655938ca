//! The preview's HTTP side: the built site from memory, live reload over
//! Server-Sent Events, and the error overlay.
//!
//! Only paths of the in-memory site are ever served: there is no file system
//! access here, and suspicious paths (`..`, encoded slashes, backslashes, NUL)
//! are refused before any lookup.

use std::convert::Infallible;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::Stream;
use tokio::sync::watch;

use super::reload::{Reload, event_data};
use super::session::Files;
use crate::diag::Diagnostic;

pub const EVENTS_PATH: &str = "/__lockgen/events";

/// What the server shows: the last good files (without pages withdrawn
/// while the site has errors) and the current errors, as the overlay shows
/// them (`session::Session::overlay`: redacted in a public preview).
#[derive(Default)]
pub struct Snapshot {
    pub files: Files,
    pub errors: Vec<Diagnostic>,
}

#[derive(Clone)]
pub struct App {
    pub snapshot: Arc<RwLock<Arc<Snapshot>>>,
    /// Bumped after each rebuild, with the pages it changed; live-reload streams wait on it.
    pub generation: watch::Receiver<Generation>,
    /// Becomes true on shutdown, ending the event streams.
    pub shutdown: watch::Receiver<bool>,
}

pub fn router(app: App) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .fallback(page)
        .with_state(app)
}

/// The rebuild count and what the last rebuild changed.
#[derive(Debug, Clone, Default)]
pub struct Generation {
    pub n: u64,
    pub reload: Arc<Reload>,
}

async fn events(State(app): State<App>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let mut generation = app.generation.clone();
    let seen = generation.borrow_and_update().n;
    let shutdown = app.shutdown.clone();
    let stream = futures_util::stream::unfold(
        (generation, shutdown, seen),
        |(mut generation, mut shutdown, seen)| async move {
            if *shutdown.borrow() {
                return None;
            }
            tokio::select! {
                changed = generation.changed() => {
                    changed.ok()?;
                    let g = generation.borrow_and_update().clone();
                    // A generation this stream did not see may have changed any page.
                    let data = event_data(g.n, &g.reload, g.n != seen + 1);
                    Some((Ok(Event::default().event("reload").data(data)), (generation, shutdown, g.n)))
                }
                _ = shutdown.changed() => None,
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

async fn page(State(app): State<App>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut r = (StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD\n").into_response();
        r.headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return r;
    }
    let snapshot = match app.snapshot.read() {
        Ok(s) => Arc::clone(&s),
        Err(poisoned) => Arc::clone(&poisoned.into_inner()),
    };
    let response = match resolve(uri.path(), &snapshot.files) {
        Resolved::File(rel) => serve_file(&rel, &snapshot, StatusCode::OK),
        Resolved::Redirect(to) => {
            let location = match uri.query() {
                Some(q) => format!("{to}?{q}"),
                None => to,
            };
            let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        Resolved::NotFound => serve_file("404.html", &snapshot, StatusCode::NOT_FOUND),
        Resolved::BadRequest => (StatusCode::BAD_REQUEST, "bad request\n").into_response(),
    };
    // HEAD: axum sends GET's headers (Content-Length included) and drops the body.
    response
}

#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(String),
    Redirect(String),
    NotFound,
    BadRequest,
}

/// Maps a request path to a file of the site, refusing anything that is not a plain path inside it.
pub fn resolve(raw_path: &str, files: &Files) -> Resolved {
    let lower = raw_path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return Resolved::BadRequest;
    }
    let Ok(path) = percent_encoding::percent_decode_str(raw_path).decode_utf8() else {
        return Resolved::BadRequest;
    };
    if !path.starts_with('/')
        || path.contains(['\\', '\0'])
        || path.split('/').any(|s| s == ".." || s == ".")
    {
        return Resolved::BadRequest;
    }
    let rel = &path[1..];
    if rel.is_empty() || rel.ends_with('/') {
        let index = format!("{rel}index.html");
        return if files.contains_key(index.as_str()) {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if rel.starts_with('/') {
        return Resolved::BadRequest;
    }
    if files.contains_key(rel) {
        return Resolved::File(rel.to_string());
    }
    if files.contains_key(format!("{rel}/index.html").as_str()) {
        let encoded: String = raw_path.to_string();
        return Resolved::Redirect(format!("{encoded}/"));
    }
    Resolved::NotFound
}

fn serve_file(rel: &str, snapshot: &Snapshot, status: StatusCode) -> Response {
    let Some(bytes) = snapshot.files.get(rel) else {
        return (status, "not found\n").into_response();
    };
    let content_type = content_type(rel);
    let body: Body = if content_type.starts_with("text/html") {
        Body::from(inject(bytes, &snapshot.errors))
    } else {
        Body::from(bytes.to_vec())
    };
    let mut r = (status, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// The live-reload script, and the error overlay when the last rebuild failed, before `</body>`.
pub fn inject(html: &[u8], errors: &[Diagnostic]) -> Vec<u8> {
    let mut extra = String::new();
    if !errors.is_empty() {
        extra.push_str(r#"<div id="lockgen-errors" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0b0b;color:#ffe3e3;font:14px/1.5 ui-monospace,monospace;padding:12px 16px;border-top:4px solid #ff5c5c;white-space:pre-wrap"><strong>lockgen: the last change has errors; showing the last good version.</strong>"#);
        for d in errors {
            extra.push('\n');
            extra.push_str(&escape(&d.to_string()));
        }
        extra.push_str("</div>");
    }
    extra.push_str(&super::reload::script(EVENTS_PATH));
    let text = String::from_utf8_lossy(html);
    match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]).into_bytes(),
        None => format!("{text}{extra}").into_bytes(),
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

pub fn content_type(rel: &str) -> &'static str {
    let ext = rel.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files() -> Files {
        ["index.html", "a/index.html", "style.css", "a/photo.svg"]
            .into_iter()
            .map(|p| (Arc::from(p), Arc::from(b"x".as_slice())))
            .collect()
    }

    #[test]
    fn folders_serve_index_and_missing_slash_redirects() {
        let f = files();
        assert_eq!(resolve("/", &f), Resolved::File("index.html".into()));
        assert_eq!(resolve("/a/", &f), Resolved::File("a/index.html".into()));
        assert_eq!(resolve("/a", &f), Resolved::Redirect("/a/".into()));
        assert_eq!(
            resolve("/style.css", &f),
            Resolved::File("style.css".into())
        );
        assert_eq!(resolve("/nope", &f), Resolved::NotFound);
    }

    #[test]
    fn traversal_forms_are_refused() {
        let f = files();
        for p in [
            "/../etc/passwd",
            "/a/../../x",
            "/%2e%2e/x",
            "/a%2f..%2fx",
            "/a\\..\\x",
            "/a%5cx",
            "/a%00",
            "//etc/passwd",
            "/./a/",
        ] {
            let r = resolve(p, &f);
            assert!(
                matches!(r, Resolved::BadRequest | Resolved::NotFound),
                "{p}: {r:?}"
            );
        }
    }

    #[test]
    fn overlay_and_script_go_before_body_end() {
        let d = Diagnostic::error("content/a.md", 3, 1, "bad <key>");
        let out = String::from_utf8(inject(b"<html><body>x</body></html>", &[d])).unwrap();
        assert!(out.contains("content/a.md:3:1: bad &lt;key&gt;"));
        assert!(out.find("EventSource").unwrap() < out.find("</body>").unwrap());
        let clean = String::from_utf8(inject(b"<body></body>", &[])).unwrap();
        assert!(!clean.contains("lockgen-errors"));
    }

    #[test]
    fn text_types_carry_charset() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(
            content_type("sitemap.xml"),
            "application/xml; charset=utf-8"
        );
        assert_eq!(content_type("x.bin"), "application/octet-stream");
    }
}
