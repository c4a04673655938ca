//! Huge and deeply nested input: it builds (or fails cleanly) in reasonable
//! time and memory; never a stack overflow, never a signal.
//!
//! Deep nesting is tried with `minify = true` (the default) and `false`: the
//! Markdown stage and the minifier are separate places to overflow a stack.

use std::time::Instant;

use crate::site;

const DEEP: usize = 10_000;

/// Builds a site whose one guide page has `body`, public and private; both
/// must exit 0 or fail with a clean error.
#[track_caller]
fn builds_or_fails_cleanly(body: &str, minify: bool) {
    let site = site("base");
    site.set_minify(minify);
    site.write(
        "content/guide/deep.md",
        format!("---\ntitle: Deep\n---\n{body}"),
    );
    for run in [site.build(), site.build_private(), site.check()] {
        run.assert_ok_or_clean_error();
        if run.code() == Some(0) && run.args.starts_with("build") {
            let out = if run.args.contains("--private") {
                "private"
            } else {
                "public"
            };
            assert!(
                site.exists(&format!("{out}/guide/deep/index.html")),
                "`lockgen {}` succeeded without writing the page",
                run.args
            );
        }
    }
}

fn nested_lists() -> String {
    format!("{}deep\n", "- ".repeat(DEEP))
}

fn nested_quotes() -> String {
    format!("{}deep\n", "> ".repeat(DEEP))
}

fn nested_quotes_and_lists() -> String {
    format!("{}deep\n", "> - ".repeat(DEEP / 2))
}

/// 1,000 list levels, each indented under the one before (10,000 would be a 100 MB file).
fn indented_lists() -> String {
    (0..1000)
        .map(|i| format!("{}- item {i}\n", "  ".repeat(i)))
        .collect()
}

fn nested_emphasis() -> String {
    format!("{}x{}\n", "*a ".repeat(DEEP), " a*".repeat(DEEP))
}

fn nested_brackets() -> String {
    format!("{}x{}\n", "[".repeat(DEEP), "](y)".repeat(DEEP))
}

#[test]
fn ten_thousand_nested_lists_do_not_overflow_the_stack() {
    builds_or_fails_cleanly(&nested_lists(), false);
}

#[test]
fn ten_thousand_nested_lists_do_not_overflow_the_stack_when_minified() {
    builds_or_fails_cleanly(&nested_lists(), true);
}

#[test]
fn ten_thousand_nested_blockquotes_do_not_overflow_the_stack() {
    builds_or_fails_cleanly(&nested_quotes(), false);
}

#[test]
fn ten_thousand_nested_blockquotes_do_not_overflow_the_stack_when_minified() {
    builds_or_fails_cleanly(&nested_quotes(), true);
}

#[test]
fn nested_quotes_and_lists_do_not_overflow_the_stack_when_minified() {
    builds_or_fails_cleanly(&nested_quotes_and_lists(), true);
}

#[test]
fn a_thousand_indented_list_levels_do_not_overflow_the_stack_when_minified() {
    builds_or_fails_cleanly(&indented_lists(), true);
}

#[test]
fn ten_thousand_nested_emphasis_do_not_overflow_the_stack_when_minified() {
    builds_or_fails_cleanly(&nested_emphasis(), true);
}

#[test]
fn ten_thousand_nested_brackets_do_not_overflow_the_stack_when_minified() {
    builds_or_fails_cleanly(&nested_brackets(), true);
}

/// A 20 MB entry (generated here, not committed) builds, minified, within a
/// generous time and memory bound for a debug binary on a shared machine.
#[test]
fn twenty_megabyte_entry_builds_in_reasonable_time_and_memory() {
    let site = site("base");
    site.set_minify(true);
    let para =
        "Press and hold the reset button for ten seconds, then enter the new master code twice. "
            .repeat(4);
    let mut text = String::from(
        "---\ntitle: Acme B20 big manual\nbrand: Acme\nmodel: B20\nlast_verified: 2026-09-01\n---\n",
    );
    let mut section = 0;
    while text.len() < 20 * 1024 * 1024 {
        if text.len() / (256 * 1024) > section {
            section += 1;
            text.push_str(&format!("## Section {section}\n\n"));
        }
        text.push_str(&para);
        text.push_str("\n\n");
    }
    text.push_str("The last line of the big manual.\n");
    site.write("content/locks/acme/b20.md", &text);

    let started = Instant::now();
    let run = site.build();
    run.assert_ok();
    let took = started.elapsed();
    let page = site.read("public/locks/acme/b20/index.html");
    assert!(page.contains("The last line of the big manual."));
    assert!(
        page.contains(&format!("id=\"section-{section}\""))
            || page.contains(&format!("id=section-{section}"))
    );
    eprintln!(
        "20 MB entry: built in {took:?}, peak memory {} MiB",
        run.peak_kb
            .map_or("unknown".to_string(), |kb| (kb / 1024).to_string())
    );
    assert!(took.as_secs() < 120, "the 20 MB build took {took:?}");
    if let Some(kb) = run.peak_kb {
        assert!(
            kb < 2 * 1024 * 1024,
            "the 20 MB build used {} MiB",
            kb / 1024
        );
    }
}

/// One 20 MB paragraph without a line break.
#[test]
fn twenty_megabyte_single_line_builds() {
    let site = site("base");
    site.set_minify(true);
    let text = format!(
        "---\ntitle: One long line\n---\n{}end-of-line\n",
        "word ".repeat(4 * 1024 * 1024)
    );
    site.write("content/guide/long.md", &text);
    let run = site.build();
    run.assert_ok();
    assert!(
        site.read("public/guide/long/index.html")
            .contains("end-of-line")
    );
    assert!(run.elapsed.as_secs() < 120, "took {:?}", run.elapsed);
}
