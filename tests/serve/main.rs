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

#[path = "../common/mod.rs"]
mod common;
use common::copy_dir;

#[path = "../seeded/mod.rs"]
#[allow(dead_code)]
mod seeded;

mod audit;
mod http;
mod incremental;
mod options;
mod overlay;
mod reload;
mod sensitive;

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

/// Serves a fresh copy of the fixture with `files` (path, text) added before it starts.
fn serve_with(files: &[(&str, &str)], args: &[&str]) -> Server {
    let (tmp, root) = fixture();
    for (rel, text) in files {
        let path = root.join(rel);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        }
        fs::write(&path, text).unwrap_or_else(|e| panic!("write {rel}: {e}"));
    }
    let port = free_port().to_string();
    let mut all = vec!["--port", port.as_str()];
    all.extend_from_slice(args);
    let mut server = spawn_at(&root, &all);
    server._tmp = Some(tmp);
    server
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

    /// Writes a site file in one step: staged beside the site (not watched) and
    /// renamed into place, so no rebuild sees it half written (a truncated
    /// template or static file can be a good build); makes its folder if need be.
    fn put(&self, rel: &str, text: &str) {
        let dest = self.path(rel);
        if let Some(dir) = dest.parent() {
            fs::create_dir_all(dir).unwrap_or_else(|e| panic!("create {}: {e}", dir.display()));
        }
        let staged = self
            .root
            .parent()
            .expect("the site has a parent folder")
            .join(".lockgen-test-put");
        fs::write(&staged, text).unwrap_or_else(|e| panic!("write {}: {e}", staged.display()));
        fs::rename(&staged, &dest).unwrap_or_else(|e| panic!("rename into {rel}: {e}"));
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

/// The 1-based line of `content` that starts with `prefix`.
fn line_of(content: &str, prefix: &str) -> usize {
    content
        .lines()
        .position(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line {prefix:?} in {content}"))
        + 1
}
