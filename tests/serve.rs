//! Integration tests of `lockgen serve`: the real binary on a temporary copy
//! of `tests/serve_cases/basic/`, spoken to over raw HTTP/1.1.
//!
//! Each test starts its own server on a free port (the actual URL is read from
//! the `serving http://…` line on stderr) behind a guard that kills it when the
//! test ends, also on panic. Requests go through a tiny client over
//! `TcpStream` so that paths like `/../x` reach the server exactly as written.
//! Nothing sleeps for a fixed time to wait for the server: every wait polls
//! with a deadline.

use std::fs;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

mod common;
use common::copy_dir;

/// 2026-11-18 11:06:40 UTC, as in the other integration tests.
const BUILD_EPOCH: &str = "1795000000";
/// How long any wait may take before the test fails.
const DEADLINE: Duration = Duration::from_secs(10);
const STEP: Duration = Duration::from_millis(20);
/// A comment in the fixture's site.toml; no response may ever contain it.
const TOML_MARKER: &str = "SERVE-SECRET-TOML-7f3a91c2";
/// A YAML comment in the front matter of content/locks/acme/a100.md; never rendered.
const CONTENT_MARKER: &str = "SERVE-SECRET-CONTENT-5b8e04d6";
/// Written to `<tmp>/Cargo.toml`, beside the site root, for `/../Cargo.toml`.
const PARENT_MARKER: &str = "SERVE-SECRET-PARENT-c41d9e70";

const B200: &str = "content/locks/acme/b200.md";

// ---------------------------------------------------------------------------
// The server under test

/// A running `lockgen serve`; killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
    stderr: Arc<Mutex<String>>,
    root: PathBuf,
    /// The temporary folder holding the site, when this server made it.
    _tmp: Option<tempfile::TempDir>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A fresh copy of the fixture site: `<tmp>/site`, plus `<tmp>/Cargo.toml`.
fn fixture() -> (tempfile::TempDir, PathBuf) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/serve_cases/basic");
    let tmp = tempfile::tempdir().expect("temporary folder");
    let root = tmp.path().join("site");
    copy_dir(&src, &root);
    fs::write(
        tmp.path().join("Cargo.toml"),
        format!("# {PARENT_MARKER}\n[package]\nname = \"outside\"\n"),
    )
    .expect("write Cargo.toml beside the site");
    (tmp, root)
}

/// A port that was free a moment ago.
fn free_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    l.local_addr().expect("local address").port()
}

/// Serves a fresh copy of the fixture on a free port, with `args` added.
fn serve(args: &[&str]) -> Server {
    let port = free_port().to_string();
    let mut all = vec!["--port", port.as_str()];
    all.extend_from_slice(args);
    spawn(&all)
}

/// Starts `lockgen serve --root <copy> <args>` and waits until it says where it serves.
fn spawn(args: &[&str]) -> Server {
    let (tmp, root) = fixture();
    let mut server = spawn_at(&root, args);
    server._tmp = Some(tmp);
    server
}

/// Starts `lockgen serve --root <root> <args>` on an existing site, from the folder above it.
fn spawn_at(root: &Path, args: &[&str]) -> Server {
    let root = root.to_path_buf();
    let cwd = root.parent().expect("the site has a parent folder");
    let mut child = Command::new(env!("CARGO_BIN_EXE_lockgen"))
        .arg("serve")
        .arg("--root")
        .arg(&root)
        .args(args)
        .current_dir(cwd)
        .env("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start lockgen serve");
    // Drain stderr all the time, so a chatty server never blocks on a full pipe.
    let stderr = Arc::new(Mutex::new(String::new()));
    let pipe = child.stderr.take().expect("stderr pipe");
    let sink = Arc::clone(&stderr);
    thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            let Ok(line) = line else { break };
            let mut s = sink.lock().unwrap_or_else(|p| p.into_inner());
            s.push_str(&line);
            s.push('\n');
        }
    });
    let mut server = Server {
        child,
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        stderr,
        root,
        _tmp: None,
    };
    let started = Instant::now();
    server.addr = loop {
        let text = server.stderr();
        if let Some(addr) = served_addr(&text) {
            break addr;
        }
        if let Ok(Some(status)) = server.child.try_wait() {
            panic!("lockgen serve exited with {status} before serving; stderr:\n{text}");
        }
        assert!(
            started.elapsed() < DEADLINE,
            "lockgen serve did not say where it serves within {DEADLINE:?}; stderr:\n{text}"
        );
        thread::sleep(STEP);
    };
    server
}

/// The address in `serving http://ADDR/ (… preview); Ctrl-C to stop`.
fn served_addr(stderr: &str) -> Option<SocketAddr> {
    let line = stderr.lines().find(|l| l.starts_with("serving http://"))?;
    let rest = &line["serving http://".len()..];
    let end = rest.find('/')?;
    assert!(
        rest[end..].starts_with("/ ("),
        "unexpected serving line: {line}"
    );
    Some(
        rest[..end]
            .parse()
            .unwrap_or_else(|e| panic!("{line}: {e}")),
    )
}

impl Server {
    fn stderr(&self) -> String {
        self.stderr
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    fn request(&self, method: &str, path: &str) -> Response {
        http(self.addr, method, path)
            .unwrap_or_else(|e| panic!("{method} {path}: {e}\nstderr:\n{}", self.stderr()))
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path)
    }

    /// GET with the expected status; the body as text.
    fn page(&self, path: &str, status: u16) -> String {
        let r = self.get(path);
        assert_eq!(r.status, status, "GET {path}: {}", r.text());
        r.text()
    }

    /// Polls `check` until it gives a value or the deadline passes; `check`
    /// says what it saw when it returns `Err`.
    fn wait<T>(&self, what: &str, mut check: impl FnMut() -> Result<T, String>) -> T {
        let started = Instant::now();
        loop {
            match check() {
                Ok(v) => return v,
                Err(seen) if started.elapsed() >= DEADLINE => panic!(
                    "timed out after {DEADLINE:?} waiting for {what}\nlast seen: {seen}\nstderr:\n{}",
                    self.stderr()
                ),
                Err(_) => thread::sleep(STEP),
            }
        }
    }

    /// Waits until GET `path` has `status` and a body for which `ok` holds; returns the body.
    fn wait_page(&self, path: &str, status: u16, what: &str, ok: impl Fn(&str) -> bool) -> String {
        self.wait(&format!("GET {path}: {what}"), || {
            let r = http(self.addr, "GET", path).map_err(|e| e.to_string())?;
            let body = r.text();
            if r.status == status && ok(&body) {
                Ok(body)
            } else {
                Err(format!("status {}, body:\n{body}", r.status))
            }
        })
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes a site file in place.
    fn write(&self, rel: &str, text: &str) {
        fs::write(self.path(rel), text).unwrap_or_else(|e| panic!("write {rel}: {e}"));
    }

    /// Writes a site file the way many editors do: a temporary file beside it, renamed over it.
    fn replace(&self, rel: &str, text: &str) {
        let dest = self.path(rel);
        let name = dest.file_name().expect("file name").to_string_lossy();
        let temp = dest.with_file_name(format!(".{name}.lockgen-test-tmp"));
        fs::write(&temp, text).unwrap_or_else(|e| panic!("write {}: {e}", temp.display()));
        fs::rename(&temp, &dest).unwrap_or_else(|e| panic!("rename over {rel}: {e}"));
    }
}

// ---------------------------------------------------------------------------
// A tiny HTTP/1.1 client

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends `METHOD path HTTP/1.1` with the path exactly as given, and reads the whole response.
fn http(addr: SocketAddr, method: &str, path: &str) -> std::io::Result<Response> {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    s.set_read_timeout(Some(Duration::from_secs(5)))?;
    s.set_write_timeout(Some(Duration::from_secs(5)))?;
    let length = if matches!(method, "GET" | "HEAD") {
        ""
    } else {
        "Content-Length: 0\r\n"
    };
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n{length}\r\n"
    )?;
    s.flush()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw)?;
    parse_response(&raw).map_err(|e| std::io::Error::new(ErrorKind::InvalidData, e))
}

fn parse_response(raw: &[u8]) -> Result<Response, String> {
    let lossy = || String::from_utf8_lossy(raw).into_owned();
    let end =
        find(raw, b"\r\n\r\n").ok_or_else(|| format!("no end of headers in {:?}", lossy()))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|e| e.to_string())?;
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with("HTTP/1.") {
        return Err(format!("bad status line {status_line:?}"));
    }
    let status = parts
        .next()
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let mut headers = Vec::new();
    for line in lines {
        let (k, v) = line
            .split_once(':')
            .ok_or_else(|| format!("bad header line {line:?}"))?;
        headers.push((k.trim().to_string(), v.trim().to_string()));
    }
    let mut r = Response {
        status,
        headers,
        body: raw[end + 4..].to_vec(),
    };
    if r.header("transfer-encoding")
        .is_some_and(|v| v.eq_ignore_ascii_case("chunked"))
    {
        r.body = dechunk(&r.body)?;
    }
    Ok(r)
}

fn dechunk(mut data: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let eol = find(data, b"\r\n").ok_or("chunk size line not ended")?;
        let size_text = std::str::from_utf8(&data[..eol]).map_err(|e| e.to_string())?;
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|e| format!("chunk size {size_text:?}: {e}"))?;
        data = &data[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if data.len() < size + 2 {
            return Err("chunk cut short".into());
        }
        out.extend_from_slice(&data[..size]);
        data = &data[size + 2..];
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// An open live-reload stream (`GET /__lockgen/events`), read raw.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    fn open(server: &Server) -> Events {
        let mut stream = TcpStream::connect(server.addr).expect("connect for events");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("read timeout");
        write!(
            stream,
            "GET /__lockgen/events HTTP/1.1\r\nHost: {}\r\nAccept: text/event-stream\r\n\r\n",
            server.addr
        )
        .expect("send events request");
        let mut events = Events {
            stream,
            seen: String::new(),
        };
        // The headers: by the time they arrive, the stream waits for the next rebuild.
        events.wait_for("\r\n\r\n");
        let head = events.seen.to_ascii_lowercase();
        assert!(
            head.starts_with("http/1.1 200"),
            "events stream: {}",
            events.seen
        );
        assert!(
            head.contains("content-type: text/event-stream"),
            "events stream: {}",
            events.seen
        );
        events
    }

    /// Reads until `needle` has arrived; panics at the deadline.
    fn wait_for(&mut self, needle: &str) {
        let started = Instant::now();
        let mut buf = [0u8; 4096];
        while !self.seen.contains(needle) {
            assert!(
                started.elapsed() < DEADLINE,
                "no {needle:?} on the event stream within {DEADLINE:?}; got:\n{}",
                self.seen
            );
            match self.stream.read(&mut buf) {
                Ok(0) => panic!("event stream closed; got:\n{}", self.seen),
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                Err(e) => panic!("reading the event stream: {e}; got:\n{}", self.seen),
            }
        }
    }
}

impl Drop for Events {
    fn drop(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Both);
    }
}

// ---------------------------------------------------------------------------
// Helpers for pages

const SCRIPT: &str = r#"new EventSource("/__lockgen/events")"#;
const OVERLAY: &str = r#"id="lockgen-errors""#;

fn entry(title: &str, model: &str, extra_front: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nbrand: Acme\nmodel: {model}\nlast_verified: 2026-06-01\n{extra_front}---\n{body}\n"
    )
}

/// The 1-based line of `content` that starts with `prefix`.
fn line_of(content: &str, prefix: &str) -> usize {
    content
        .lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line {prefix:?} in {content}"))
        + 1
}

// ---------------------------------------------------------------------------
// Tests

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

#[test]
fn editing_an_entry_updates_the_page_and_sends_reload() {
    let s = serve(&[]);
    let mut events = Events::open(&s);
    s.page("/locks/acme/a100/", 200);

    let text = entry(
        "Acme A100 deadbolt",
        "A100",
        "",
        "Edited A100 procedure text, take two.",
    );
    s.write("content/locks/acme/a100.md", &text);

    let page = s.wait_page("/locks/acme/a100/", 200, "the edited text", |b| {
        b.contains("Edited A100 procedure text, take two.")
    });
    assert!(!page.contains("Original A100 procedure text."), "{page}");
    assert!(page.contains(SCRIPT), "{page}");
    events.wait_for("event: reload");
    let after = &events.seen[events.seen.find("event: reload").unwrap()..];
    assert!(
        after.contains("data: "),
        "reload without data: {}",
        events.seen
    );
    s.wait("a `rebuilt N pages in M ms` line", || {
        let err = s.stderr();
        err.lines()
            .any(|l| l.starts_with("rebuilt ") && l.contains(" pages in ") && l.ends_with(" ms"))
            .then_some(())
            .ok_or(err)
    });

    // A second edit, saved the way editors do (temporary file renamed over it).
    s.replace(
        "content/locks/acme/a100.md",
        &entry("Acme A100 deadbolt", "A100", "", "Third A100 text."),
    );
    s.wait_page("/locks/acme/a100/", 200, "the renamed-over text", |b| {
        b.contains("Third A100 text.")
    });
}

#[test]
fn deleting_an_entry_removes_it() {
    let s = serve(&[]);
    let home = s.page("/", 200);
    assert!(home.contains("/locks/acme/c300/"), "{home}");
    s.page("/locks/acme/c300/", 200);

    fs::remove_file(s.path("content/locks/acme/c300.md")).expect("delete c300.md");

    s.wait_page("/locks/acme/c300/", 404, "404 after the delete", |_| true);
    let home = s.wait_page("/", 200, "no C300 in the contents", |b| {
        !b.contains("/locks/acme/c300/")
    });
    assert!(!home.contains("Acme C300 keypad"), "{home}");
    assert!(home.contains("/locks/acme/b200/"), "{home}");
    for path in ["/brands/acme/", "/locks/acme/b200/", "/sitemap.xml"] {
        let body = s.page(path, 200);
        assert!(!body.contains("/locks/acme/c300/"), "GET {path}:\n{body}");
    }

    // A new file brings it back.
    s.write(
        "content/locks/acme/c300.md",
        &entry("Acme C300 keypad", "C300", "", "Recreated C300 text."),
    );
    s.wait_page("/locks/acme/c300/", 200, "the recreated entry", |b| {
        b.contains("Recreated C300 text.")
    });
    let home = s.page("/", 200);
    assert!(home.contains("/locks/acme/c300/"), "{home}");
}

#[test]
fn marking_an_entry_sensitive_removes_it_from_the_public_preview() {
    let s = serve(&[]);
    for path in [
        "/",
        "/brands/acme/",
        "/locks/acme/a100/",
        "/locks/acme/c300/",
    ] {
        let body = s.page(path, 200);
        assert!(body.contains("/locks/acme/b200/"), "GET {path}:\n{body}");
    }
    s.replace(
        B200,
        &entry(
            "Acme B200 cabinet",
            "B200",
            "sensitive: true\n",
            "Now sensitive B200 text.",
        ),
    );
    let gone = s.wait_page(
        "/locks/acme/b200/",
        404,
        "404 for the sensitive entry",
        |_| true,
    );
    assert!(!gone.contains("Now sensitive B200 text."), "{gone}");
    for path in [
        "/",
        "/brands/",
        "/brands/acme/",
        "/locks/acme/a100/",
        "/locks/acme/c300/",
        "/locks/bolt/z9/",
        "/guide/x/",
        "/sitemap.xml",
        "/404.html",
    ] {
        let body = s.page(path, 200);
        for trace in ["/locks/acme/b200", "Acme B200 cabinet", "B200"] {
            assert!(
                !body.contains(trace),
                "GET {path} still shows {trace:?}:\n{body}"
            );
        }
    }
    // The neighbours now link to each other.
    let a100 = s.page("/locks/acme/a100/", 200);
    let c300 = s.page("/locks/acme/c300/", 200);
    assert!(a100.contains("/locks/acme/c300/"), "{a100}");
    assert!(c300.contains("/locks/acme/a100/"), "{c300}");
}

#[test]
fn marking_an_entry_sensitive_keeps_it_in_the_private_preview() {
    let s = serve(&["--private"]);
    let first = s.stderr();
    assert!(first.contains("(private preview)"), "{first}");
    s.replace(
        B200,
        &entry(
            "Acme B200 cabinet",
            "B200",
            "sensitive: true\n",
            "Now sensitive B200 text.",
        ),
    );
    s.wait_page("/locks/acme/b200/", 200, "the new sensitive text", |b| {
        b.contains("Now sensitive B200 text.")
    });
    for path in [
        "/",
        "/brands/acme/",
        "/locks/acme/a100/",
        "/locks/acme/c300/",
    ] {
        let body = s.page(path, 200);
        assert!(body.contains("/locks/acme/b200/"), "GET {path}:\n{body}");
    }
}

/// Breaks b200 with `broken`, expects the overlay to name `location`, then fixes it.
fn broken_edit_case(broken: &str, location: &str) {
    let s = serve(&[]);
    s.page("/locks/acme/b200/", 200);
    s.write(B200, broken);

    let overlay = |b: &str| b.contains(OVERLAY) && b.contains(location);
    let page = s.wait_page("/locks/acme/b200/", 200, "the error overlay", overlay);
    // The last good version is still served under the overlay.
    assert!(page.contains("Original B200 procedure text."), "{page}");
    assert!(!page.contains("Broken B200 text."), "{page}");
    assert!(page.contains(SCRIPT), "{page}");
    let at = page.find(OVERLAY).unwrap();
    assert!(at < page.rfind("</body>").unwrap(), "overlay after </body>");
    for path in ["/", "/locks/acme/a100/", "/missing/"] {
        let body = s.get(path).text();
        assert!(
            overlay(&body),
            "GET {path}: no overlay naming {location}:\n{body}"
        );
    }
    let home = s.page("/", 200);
    assert!(home.contains("/locks/acme/b200/"), "{home}");
    let err = s.stderr();
    assert!(
        err.contains(location),
        "stderr does not name {location}:\n{err}"
    );

    s.write(
        B200,
        &entry("Acme B200 cabinet", "B200", "", "Fixed B200 text."),
    );
    s.wait_page("/locks/acme/b200/", 200, "the fix, without overlay", |b| {
        b.contains("Fixed B200 text.") && !b.contains(OVERLAY)
    });
    for path in ["/", "/locks/acme/a100/", "/missing/"] {
        let body = s.get(path).text();
        assert!(
            !body.contains(OVERLAY),
            "GET {path}: overlay after the fix:\n{body}"
        );
    }
}

#[test]
fn misspelt_sensitive_key_shows_the_overlay_until_fixed() {
    let broken = entry(
        "Acme B200 cabinet",
        "B200",
        "sensitve: true\n",
        "Broken B200 text.",
    );
    let line = line_of(&broken, "sensitve:");
    broken_edit_case(&broken, &format!("{B200}:{line}:1"));
}

#[test]
fn unclosed_private_block_shows_the_overlay_until_fixed() {
    let broken = entry(
        "Acme B200 cabinet",
        "B200",
        "",
        "Broken B200 text.\n\n::: private\nThe override code is 1234-5678.",
    );
    let line = line_of(&broken, "::: private");
    broken_edit_case(&broken, &format!("{B200}:{line}:1"));
}

#[test]
fn a_burst_of_writes_ends_with_the_last_text() {
    let mut s = serve(&[]);
    let rel = "content/locks/acme/c300.md";
    let started = Instant::now();
    for i in 0..50 {
        s.write(
            rel,
            &entry(
                "Acme C300 keypad",
                "C300",
                "",
                &format!("Burst write number {i} of fifty."),
            ),
        );
        thread::sleep(Duration::from_millis(20));
    }
    let took = started.elapsed();
    assert!(took < Duration::from_secs(5), "the burst took {took:?}");
    s.wait_page("/locks/acme/c300/", 200, "the last burst text", |b| {
        b.contains("Burst write number 49 of fifty.") && !b.contains(OVERLAY)
    });
    let home = s.page("/", 200);
    assert!(home.contains("/locks/acme/c300/"), "{home}");
    assert!(!home.contains(OVERLAY), "{home}");
    assert_eq!(s.get("/guide/x").status, 301);

    // The same, saved the way editors do (temporary file renamed over it).
    for i in 0..50 {
        s.replace(
            B200,
            &entry(
                "Acme B200 cabinet",
                "B200",
                "",
                &format!("Renamed burst number {i} of fifty."),
            ),
        );
        thread::sleep(Duration::from_millis(20));
    }
    s.wait_page(
        "/locks/acme/b200/",
        200,
        "the last renamed burst text",
        |b| b.contains("Renamed burst number 49 of fifty.") && !b.contains(OVERLAY),
    );
    let c300 = s.page("/locks/acme/c300/", 200);
    assert!(c300.contains("Burst write number 49 of fifty."), "{c300}");
    assert!(
        s.child.try_wait().expect("child status").is_none(),
        "server exited"
    );
}

#[test]
fn the_overlay_escapes_what_it_shows() {
    let s = serve(&[]);
    s.write(
        B200,
        &entry(
            "Acme B200 cabinet",
            "B200",
            "\"<img src=x onerror=alert(1)>\": true\n",
            "Broken B200 text.",
        ),
    );
    let page = s.wait_page("/locks/acme/b200/", 200, "the error overlay", |b| {
        b.contains(OVERLAY)
    });
    let overlay = &page[page.find(OVERLAY).unwrap()..];
    assert!(
        overlay.contains("&lt;img src=x onerror=alert(1)&gt;"),
        "the overlay does not show the key, escaped:\n{overlay}"
    );
    assert!(
        !page.contains("<img src=x"),
        "unescaped HTML in the overlay:\n{page}"
    );
}

#[test]
fn binding_all_interfaces_warns_about_the_network() {
    let s = serve(&["--bind", "0.0.0.0"]);
    let err = s.stderr();
    let warning = err
        .lines()
        .find(|l| l.to_ascii_lowercase().contains("network"))
        .unwrap_or_else(|| panic!("no warning about the network:\n{err}"));
    assert!(
        warning.to_ascii_lowercase().contains("warning"),
        "{warning}"
    );
}

#[test]
fn a_taken_port_moves_to_another() {
    let held = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = held.local_addr().unwrap().port();
    let port_arg = port.to_string();
    let s = spawn(&["--port", &port_arg]);
    let err = s.stderr();
    assert!(
        err.contains(&format!("port {port} is in use")),
        "no word of port {port} being in use:\n{err}"
    );
    assert_ne!(s.addr.port(), port, "{err}");
    let home = s.page("/", 200);
    assert!(home.contains("Serve Test Handbook"), "{home}");
    drop(held);
}

/// The paths a server's sitemap lists, plus the files no sitemap lists.
fn all_paths(s: &Server) -> Vec<String> {
    let sitemap = s.page("/sitemap.xml", 200);
    let prefix = format!("http://{}", s.addr);
    let mut paths: Vec<String> = sitemap
        .split("<loc>")
        .skip(1)
        .map(|rest| {
            let loc = &rest[..rest.find("</loc>").expect("</loc>")];
            loc.strip_prefix(&prefix)
                .unwrap_or_else(|| panic!("sitemap URL {loc} is not under {prefix}"))
                .to_string()
        })
        .collect();
    paths.extend(["/sitemap.xml", "/robots.txt", "/404.html", "/style.css"].map(String::from));
    paths.sort();
    paths
}

#[test]
fn incremental_rebuilds_match_a_fresh_start() {
    let s = serve(&[]);
    let a100 = "content/locks/acme/a100.md";
    let b200 = B200;
    let c300 = "content/locks/acme/c300.md";
    // Each edit alone, waiting for it, so each goes through the incremental path it would take.
    let edits: [(&str, String, &str, &str); 5] = [
        (
            a100,
            entry(
                "Acme A101 deadbolt",
                "A101",
                "lock_type: keypad\n",
                "Renamed A100.",
            ),
            "/locks/acme/a100/",
            "Acme A101 deadbolt",
        ),
        (
            b200,
            entry(
                "Acme B200 cabinet",
                "B200",
                "location: Annex/Store room\n",
                "See [the C300](c300.md) first.",
            ),
            "/locks/acme/b200/",
            "Store room",
        ),
        (
            c300,
            entry(
                "Acme C300 keypad",
                "C300",
                "description: The side door keypad.\nslug: c301\n",
                "Moved C300.",
            ),
            "/locks/acme/c301/",
            "Moved C300.",
        ),
        (
            "content/locks/bolt/z9.md",
            "---\ntitle: Bolt Z9 smart lock\nbrand: Bolt Works\nmodel: Z9\n---\nNever verified.\n"
                .to_string(),
            "/locks/bolt/z9/",
            "Never verified.",
        ),
        (
            "content/guide/x.md",
            "---\ntitle: Guide X, revised\nweight: 1\n---\nRevised guide.\n".to_string(),
            "/guide/x/",
            "Revised guide.",
        ),
    ];
    for (rel, text, path, expect) in &edits {
        s.write(rel, text);
        s.wait_page(path, 200, expect, |b| {
            b.contains(expect) && !b.contains(OVERLAY)
        });
    }
    s.wait_page(
        "/locks/acme/c300/",
        404,
        "the old URL of the re-slugged C300",
        |_| true,
    );

    let fresh = spawn_at(&s.root, &["--port", &free_port().to_string()]);
    let paths = all_paths(&s);
    assert_eq!(
        paths,
        all_paths(&fresh),
        "the two servers list different pages"
    );
    for path in &paths {
        let live = s.get(path);
        let new = fresh.get(path);
        assert_eq!(live.status, 200, "GET {path} (live)");
        assert_eq!(new.status, 200, "GET {path} (fresh)");
        let live_text = live.text().replace(&s.addr.to_string(), "HOST");
        let new_text = new.text().replace(&fresh.addr.to_string(), "HOST");
        assert_eq!(
            live_text, new_text,
            "GET {path}: the incrementally rebuilt page differs from a fresh build"
        );
    }
}
