//! Live reload: edits, deletions, the sensitive flag, bursts, incremental rebuilds.

use std::fs;
use std::thread;
use std::time::{Duration, Instant};

use crate::{
    B200, Events, OVERLAY, SCRIPT, Server, all_paths, entry, free_port, serve, serve_with, spawn_at,
};

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

/// A body edit serves the page first, names it in the reload event (so
/// other open pages stay put), and the search index and print page, which
/// hold every page, catch up once the writer pauses.
#[test]
fn an_edit_reloads_its_page_and_the_site_wide_outputs_catch_up() {
    let s = serve(&[]);
    let mut events = Events::open(&s);
    s.write(
        "content/locks/acme/a100.md",
        &entry(
            "Acme A100 deadbolt",
            "A100",
            "",
            "Zanzibarcatchup procedure text.",
        ),
    );
    events.wait_for("event: reload");
    events.wait_for("}\n");
    let first = &events.seen[events.seen.find("event: reload").unwrap()..];
    assert!(
        first.contains(r#""pages":["/locks/acme/a100/"]"#),
        "the event names the edited page only: {first}"
    );
    s.wait("the print page to catch up", || {
        let print = s.page("/print/", 200);
        print.contains("Zanzibarcatchup").then_some(()).ok_or(print)
    });
    s.wait("the search index to catch up", || {
        // A small site's words are in one shard.
        let words = s.page("/search/t-0.js", 200);
        words.contains("zanzibarcatchup").then_some(()).ok_or(words)
    });
    s.wait("a `caught up` line", || {
        let err = s.stderr();
        err.lines()
            .any(|l| l.starts_with("caught up ") && l.ends_with(" ms"))
            .then_some(())
            .ok_or(err)
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

/// The pages that link to the B200 entry while it is public (or previewed privately).
fn assert_pages_link_b200(s: &Server) {
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

#[test]
fn marking_an_entry_sensitive_removes_it_from_the_public_preview() {
    let s = serve(&[]);
    assert_pages_link_b200(&s);
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
        "/contents/",
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
    assert_pages_link_b200(&s);
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

#[test]
fn edits_made_while_the_site_is_broken_show_once_it_is_fixed() {
    let s = serve(&[]);
    let c300 = "content/locks/acme/c300.md";
    s.write(c300, "---\ntitle: Acme C300 keypad\nbrand: Acme\n");
    s.wait_page("/", 200, "the overlay", |b| b.contains(OVERLAY));
    s.write(
        "content/locks/acme/a100.md",
        &entry("Acme A100 deadbolt", "A100", "", "Edited while broken."),
    );
    s.wait("a second failed rebuild", || {
        let err = s.stderr();
        (err.matches("still serving the last good version").count() >= 2)
            .then_some(())
            .ok_or(err)
    });
    s.write(
        c300,
        &entry("Acme C300 keypad", "C300", "", "Fixed C300 text."),
    );
    s.wait_page("/locks/acme/c300/", 200, "the fix", |b| {
        b.contains("Fixed C300 text.") && !b.contains(OVERLAY)
    });
    let a100 = s.page("/locks/acme/a100/", 200);
    assert!(a100.contains("Edited while broken."), "{a100}");
}

#[test]
fn incremental_rebuilds_of_a_paged_brand_match_a_fresh_start() {
    // 250 more Acme entries of one model: the brand index and /contents/ take two
    // pages, and the sidebar labels entries by their room.
    let extra: Vec<(String, String)> = (0..250)
        .map(|i| {
            (
                format!("content/locks/acme/n{i:03}.md"),
                entry(
                    &format!("Acme N{i:03}"),
                    "NV",
                    &format!("location: Floor 1/Room {i}\n"),
                    "x",
                ),
            )
        })
        .collect();
    let files: Vec<(&str, &str)> = extra
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect();
    let s = serve_with(&files, &[]);
    s.page("/brands/acme/page/2/", 200);
    // A new model for one (its neighbours' labels change), a new title for
    // another (it moves from page 2 to page 1 of the index).
    let edits = [
        (
            "content/locks/acme/n120.md",
            entry("Acme N120", "ZX-9", "location: Floor 1/Room 120\n", "x"),
            "/locks/acme/n119/",
            ">ZX-9<",
        ),
        (
            "content/locks/acme/n230.md",
            entry("Acme B230", "NV", "location: Floor 1/Room 230\n", "x"),
            "/brands/acme/",
            // The title, then the label that tells same-model entries apart.
            ">Acme B230 <small",
        ),
    ];
    for (rel, text, path, expect) in &edits {
        s.write(rel, text);
        s.wait_page(path, 200, expect, |b| {
            b.contains(expect) && !b.contains(OVERLAY)
        });
    }
    let fresh = spawn_at(&s.root, &["--port", &free_port().to_string()]);
    let paths = all_paths(&s);
    assert!(
        paths.contains(&"/contents/page/2/".to_string()),
        "{paths:?}"
    );
    assert_eq!(paths, all_paths(&fresh));
    for path in &paths {
        let live = s.get(path).text().replace(&s.addr.to_string(), "HOST");
        let new = fresh
            .get(path)
            .text()
            .replace(&fresh.addr.to_string(), "HOST");
        assert_eq!(
            live, new,
            "GET {path}: the incrementally rebuilt page differs from a fresh build"
        );
    }
}
