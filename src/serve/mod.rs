//! `lockgen serve`: build in memory, serve over HTTP on 127.0.0.1, watch the
//! site and rebuild on change, and reload open pages.
//!
//! Threads: the watcher's (notify, debounced 5 ms) feeds the rebuild thread,
//! which owns the `Session` and publishes a new `Snapshot` and a generation
//! number after each rebuild; the tokio runtime serves requests and event
//! streams from the latest snapshot.

pub mod affected;
pub mod http;
pub mod redact;
pub mod reload;
pub mod session;
pub mod watch;
pub mod withhold;

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use anyhow::{Context as _, Result, bail};
use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tokio::sync::watch as channel;

use self::http::{App, Generation, Snapshot};
use self::session::{Change, Report, Session};
use crate::config::Config;

pub struct Options {
    pub root: PathBuf,
    pub private: bool,
    pub port: u16,
    pub bind: IpAddr,
    pub open: bool,
    pub quiet: bool,
    pub verbose: bool,
}

/// How many ports after the requested one to try when it is taken.
const PORT_TRIES: u16 = 20;
/// Editors' save sequences (write temp, rename; or truncate, write) finish
/// within a millisecond for a handbook page. A rebuild that reads a file
/// mid-save is followed by another on the save's last event, so the preview
/// ends at what was saved; the wait is part of every edit's latency.
const DEBOUNCE: Duration = Duration::from_millis(5);
const DEBOUNCE_TICK: Duration = Duration::from_millis(1);

pub fn run(opts: Options) -> Result<()> {
    let root = opts
        .root
        .canonicalize()
        .with_context(|| format!("cannot open {}", opts.root.display()))?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server runtime")?;
    let listener = runtime.block_on(bind(opts.bind, opts.port))?;
    let addr = listener.local_addr()?;
    let host = if addr.ip().is_unspecified() {
        IpAddr::from([127, 0, 0, 1])
    } else {
        addr.ip()
    };
    let url = format!("http://{}/", SocketAddr::new(host, addr.port()));

    let mut session = Session::new(root.clone(), opts.private, url.clone());
    let first = session.rebuild(&Change::Everything);
    print_report(&first, opts.quiet, opts.verbose, "built");
    let snapshot = Arc::new(RwLock::new(Arc::new(Snapshot {
        files: session.files().clone(),
        errors: session.overlay().to_vec(),
    })));
    let (gen_tx, gen_rx) = channel::channel(Generation::default());
    let (stop_tx, stop_rx) = channel::channel(false);

    let (event_tx, event_rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, Some(DEBOUNCE_TICK), event_tx)
        .context("cannot watch the site folder")?;
    for dir in ["content", "static", "templates", "themes"] {
        let p = root.join(dir);
        if p.is_dir() {
            debouncer
                .watch(&p, RecursiveMode::Recursive)
                .with_context(|| format!("cannot watch {}", p.display()))?;
        }
    }
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .context("cannot watch the site folder")?;

    let outputs = output_dirs(&root);
    let rebuild_snapshot = Arc::clone(&snapshot);
    let (quiet, verbose) = (opts.quiet, opts.verbose);
    let rebuilder = std::thread::spawn(move || {
        rebuild_loop(
            session,
            event_rx,
            &root,
            &outputs,
            &rebuild_snapshot,
            &gen_tx,
            (quiet, verbose),
        );
    });

    if !opts.bind.is_loopback() {
        say!(
            "warning: serving on {}: the preview{} is reachable from the network",
            opts.bind,
            if opts.private {
                ", with sensitive content,"
            } else {
                ""
            }
        );
    }
    say!(
        "serving {url} ({} preview); Ctrl-C to stop",
        if opts.private { "private" } else { "public" }
    );
    if opts.open {
        open_browser(&url);
    }
    let app = App {
        snapshot,
        generation: gen_rx,
        shutdown: stop_rx,
    };
    runtime.block_on(async move {
        let shutdown = async move {
            let _ = tokio::signal::ctrl_c().await;
            let _ = stop_tx.send(true);
        };
        axum::serve(listener, http::router(app))
            .with_graceful_shutdown(shutdown)
            .await
    })?;
    drop(debouncer);
    let _ = rebuilder.join();
    say!("stopped");
    Ok(())
}

async fn bind(ip: IpAddr, port: u16) -> Result<tokio::net::TcpListener> {
    let mut last = None;
    for p in port..port.saturating_add(PORT_TRIES) {
        match tokio::net::TcpListener::bind(SocketAddr::new(ip, p)).await {
            Ok(l) => return Ok(l),
            Err(e) if e.kind() == std::io::ErrorKind::AddrInUse => {
                say!("port {p} is in use, trying {}", p + 1);
                last = Some(e);
            }
            Err(e) => return Err(e).with_context(|| format!("cannot listen on {ip}:{p}")),
        }
    }
    match last {
        Some(e) => Err(e).with_context(|| {
            format!(
                "ports {port}–{} are all in use; pass --port",
                port.saturating_add(PORT_TRIES - 1)
            )
        }),
        None => bail!("no port to try"),
    }
}

fn output_dirs(root: &std::path::Path) -> Vec<PathBuf> {
    match Config::load(root) {
        Ok(c) => vec![c.output_dir, c.private_output_dir],
        Err(_) => vec![root.join("public"), root.join("private")],
    }
}

/// How long the writer must pause before the site-wide outputs catch up.
const CATCH_UP_AFTER: Duration = Duration::from_millis(400);

fn rebuild_loop(
    mut session: Session,
    events: mpsc::Receiver<DebounceEventResult>,
    root: &std::path::Path,
    outputs: &[PathBuf],
    snapshot: &RwLock<Arc<Snapshot>>,
    generation: &channel::Sender<Generation>,
    (quiet, verbose): (bool, bool),
) {
    let mut n = 0u64;
    let mut publish = |session: &Session, report: Report| -> bool {
        let next = Arc::new(Snapshot {
            files: session.files().clone(),
            errors: session.overlay().to_vec(),
        });
        match snapshot.write() {
            Ok(mut s) => *s = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
        n += 1;
        generation
            .send(Generation {
                n,
                reload: Arc::new(report.reload),
            })
            .is_ok()
    };
    loop {
        // While the site-wide outputs are behind, they catch up when the writer pauses.
        let first = if session.owes() {
            match events.recv_timeout(CATCH_UP_AFTER) {
                Ok(ev) => ev,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    if let Some(report) = session.catch_up() {
                        print_report(&report, quiet, verbose, "caught up");
                        if !publish(&session, report) {
                            break;
                        }
                    }
                    continue;
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
        } else {
            match events.recv() {
                Ok(ev) => ev,
                Err(_) => break,
            }
        };
        // Take everything already queued: a burst of saves becomes one rebuild.
        let mut batch = vec![first];
        while let Ok(more) = events.try_recv() {
            batch.push(more);
        }
        let Some(change) = change_of(&session, batch, root, outputs) else {
            continue;
        };
        let report = session.rebuild(&change);
        print_report(&report, quiet, verbose, "rebuilt");
        if !publish(&session, report) {
            break;
        }
    }
}

/// The change a batch of watcher events makes, if any.
fn change_of(
    session: &Session,
    batch: Vec<DebounceEventResult>,
    root: &std::path::Path,
    outputs: &[PathBuf],
) -> Option<Change> {
    let mut kinds = Vec::new();
    for result in batch {
        match result {
            Ok(evs) => {
                for ev in evs {
                    for p in &ev.paths {
                        if let Some(k) = watch::classify(root, p, &ev.kind, outputs) {
                            kinds.push(k);
                        }
                    }
                }
            }
            Err(errs) => {
                for e in errs {
                    say!("watch error: {e}");
                }
                kinds.push(watch::Kind::Other);
            }
        }
    }
    let page_exists = |rel: &str| session.knows(rel) && root.join("content").join(rel).is_file();
    let asset_matters = |p: &std::path::Path| p.exists() || session.is_asset(p);
    watch::change(kinds, page_exists, asset_matters)
}

/// `what` the rebuild did: "built", "rebuilt" or "caught up".
fn print_report(report: &Report, quiet: bool, verbose: bool, what: &str) {
    let mut err = std::io::stderr().lock();
    for d in &report.errors {
        let _ = writeln!(err, "{d}");
    }
    if !report.errors.is_empty() {
        let _ = writeln!(
            err,
            "{} error(s): still serving the last good version",
            report.errors.iter().filter(|d| d.is_error()).count()
        );
        if report.withdrawn > 0 {
            let _ = writeln!(err, "{}", session::withdrawn_note(report.withdrawn));
        }
    } else if !quiet {
        let _ = writeln!(
            err,
            "{what} {} pages in {:.0} ms",
            report.rendered, report.millis
        );
        if verbose {
            let stages: Vec<String> = report
                .stages
                .iter()
                .map(|(s, ms)| format!("{s} {ms:.1}"))
                .collect();
            let _ = writeln!(err, "  ({} ms)", stages.join(", "));
        }
    }
}

fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(cmd.0).args(&cmd.1).spawn() {
        say!("could not open a browser ({e}); open {url} yourself");
    }
}
