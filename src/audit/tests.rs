//! Unit tests of the leak audit and the sensitive-title check.
use super::*;

fn site() -> SiteUrl {
    SiteUrl::new("https://x.org/")
}

fn withheld() -> Vec<Withheld> {
    vec![
        Withheld {
            rel: "locks/s.md".into(),
            title: "Server room master".into(),
            url: "/locks/s/".into(),
            path: "locks/s/".into(),
        },
        Withheld {
            rel: "locks/f.md".into(),
            title: "Front door".into(),
            url: "/locks/f/".into(),
            path: "locks/f/".into(),
        },
    ]
}

#[test]
fn titles_shared_with_public_pages_are_not_needles() {
    let public: HashSet<&str> = ["Front door"].into_iter().collect();
    let a = Audit::new(&withheld(), &public, &[], &[], site()).unwrap();
    assert!(a.scan("index.html", b"<a>Front door</a>").is_empty());
    let leaks = a.scan("index.html", b"<a>server room MASTER</a>");
    assert_eq!(leaks.len(), 1);
    assert!(leaks[0].what.contains("locks/s.md"));
}

#[test]
fn urls_and_file_names_are_searched() {
    let a = Audit::new(&withheld(), &HashSet::default(), &[], &[], site()).unwrap();
    assert_eq!(
        a.scan("sitemap.xml", b"<loc>https://x.org/locks/s/</loc>")
            .len(),
        1
    );
    let leaks = a.scan("locks/s/index.html", b"");
    assert!(
        leaks.iter().any(|l| l.what.starts_with("output folder")),
        "{leaks:?}"
    );
}

#[test]
fn private_lines_long_enough_and_not_public_are_needles() {
    let lines = vec![
        (
            "a.md".to_string(),
            "- The code is **4482-19** today".to_string(),
        ),
        ("a.md".to_string(), "short".to_string()),
        (
            "a.md".to_string(),
            "Hold the button for 10 seconds.".to_string(),
        ),
    ];
    let public = ["Step: Hold the button for 10 seconds. Then wait."];
    let a = Audit::new(&[], &HashSet::default(), &lines, &public, site()).unwrap();
    assert_eq!(
        a.scan("x.html", b"The code is <strong>4482-19</strong> today")
            .len(),
        1
    );
    assert!(a.scan("x.html", b"The code is ").is_empty());
    assert!(
        a.scan("x.html", b"Hold the button for 10 seconds.")
            .is_empty()
    );
    assert_eq!(a.scan("x.html", b"The code is **4482-19** today").len(), 1);
}

#[test]
fn escaped_titles_are_found() {
    let w = vec![Withheld {
        rel: "a.md".into(),
        title: "R&D \"vault\"".into(),
        url: "/a/".into(),
        path: "a/".into(),
    }];
    let a = Audit::new(&w, &HashSet::default(), &[], &[], site()).unwrap();
    assert_eq!(a.scan("x.html", b"R&amp;D &quot;vault&quot;").len(), 1);
}

#[test]
fn source_check_reports_line_and_both_files() {
    let src = PublicSource {
        display_path: "content/g.md".into(),
        yaml: "title: x\n",
        body: "a\nsee Server room master\n",
        body_line: 4,
    };
    let d = TitleCheck::new(&withheld(), &HashSet::default())
        .unwrap()
        .check(&src);
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].line, d[0].col), (5, 5));
    assert!(d[0].message.contains("content/locks/s.md"));
}

#[test]
fn list_markers_are_stripped() {
    assert_eq!(strip_line_markers("1. > - text"), "text");
}

#[test]
fn titles_match_as_whole_words_only() {
    let w = vec![Withheld {
        rel: "locks/l.md".into(),
        title: "Lab".into(),
        url: "/locks/l/".into(),
        path: "locks/l/".into(),
    }];
    let a = Audit::new(&w, &HashSet::default(), &[], &[], site()).unwrap();
    for clean in [&b"<label>available</label>"[..], b"Labs", b"Lab\xc3\xa9"] {
        assert!(a.scan("a.html", clean).is_empty(), "{clean:?}");
    }
    for leak in [&b"<a>Lab</a>"[..], b"the lab.", b"LAB", b"Labs and Lab"] {
        assert_eq!(a.scan("a.html", leak).len(), 1, "{leak:?}");
    }
    let check = TitleCheck::new(&w, &HashSet::default()).unwrap();
    let src = |body| PublicSource {
        display_path: "content/a.md".into(),
        yaml: "title: A",
        body,
        body_line: 4,
    };
    assert!(check.check(&src("A label on the door.")).is_empty());
    assert_eq!(check.check(&src("See the lab.")).len(), 1);
}

#[test]
fn a_rejected_longer_match_does_not_hide_a_needle() {
    let w = vec![
        Withheld {
            rel: "locks/l.md".into(),
            title: "Lab".into(),
            url: "/locks/l/".into(),
            path: "locks/l/".into(),
        },
        Withheld {
            rel: "locks/m.md".into(),
            title: "Lab A".into(),
            url: "/locks/m/".into(),
            path: "locks/m/".into(),
        },
    ];
    let a = Audit::new(&w, &HashSet::default(), &[], &[], site()).unwrap();
    // "Lab A" is not a word here ("Lab Ax"), but "Lab" is.
    let leaks = a.scan("a.html", b"Lab Ax");
    assert_eq!(leaks.len(), 1, "{leaks:?}");
    assert_eq!(leaks[0].found, "Lab");
}

/// Found by cargo-fuzz: a private line with inline Markdown that a public
/// page also has was exempt as written but not as rendered text.
#[test]
fn a_public_line_is_exempt_in_its_text_form_too() {
    let line = "Use the **programming card**, the red one from the kit.";
    let lines = vec![("a.md".to_string(), line.to_string())];
    let a = Audit::new(&[], &HashSet::default(), &lines, &[line], site()).unwrap();
    let page = b"<p>Use the <strong>programming card</strong>, the red one from the kit.</p>";
    assert!(a.scan("g/index.html", page).is_empty());
    // Not public: both forms are needles.
    let a = Audit::new(&[], &HashSet::default(), &lines, &[], site()).unwrap();
    assert_eq!(a.scan("g/index.html", page).len(), 1);
}

fn vault() -> Vec<Withheld> {
    vec![Withheld {
        rel: "locks/acme/vaultx.md".into(),
        title: "Server room master".into(),
        url: "/locks/acme/vaultx/".into(),
        path: "locks/acme/vaultx/".into(),
    }]
}

#[test]
fn titles_are_found_as_a_reader_sees_them() {
    let a = Audit::new(&vault(), &HashSet::default(), &[], &[], site()).unwrap();
    for leak in [
        "See the “Server room master” entry.",
        "See the ‘Server room master’s’ code.",
        "«Server room master»",
        "Server room\n   master",
        "Server  room master",
        "Server&nbsp;room&#32;master",
        "Server room <em>master</em>",
        "<meta name=\"description\" content=\"the server room master\">",
        "ser\u{00AD}ver room master",
        "Server room master—details",
        "<!-- Server room master -->",
    ] {
        assert_eq!(a.scan("g/index.html", leak.as_bytes()).len(), 1, "{leak:?}");
    }
    for clean in [
        "Server room masters",
        "Server room mastery",
        "server roommaster",
    ] {
        assert!(
            a.scan("g/index.html", clean.as_bytes()).is_empty(),
            "{clean:?}"
        );
    }
}

#[test]
fn apostrophes_in_titles_match_every_escape() {
    let w = vec![Withheld {
        title: "the Manager's safe".into(),
        ..vault()[0].clone()
    }];
    let a = Audit::new(&w, &HashSet::default(), &[], &[], site()).unwrap();
    for leak in [
        "the Manager&#39;s safe",
        "the Manager&#x27;s safe",
        "the Manager&apos;s safe",
        "the Manager’s safe",
        "the Manager&rsquo;s safe",
        "the manager's safe",
    ] {
        assert_eq!(a.scan("index.html", leak.as_bytes()).len(), 1, "{leak:?}");
    }
}

#[test]
fn every_link_form_to_a_withheld_page_is_found() {
    let a = Audit::new(&vault(), &HashSet::default(), &[], &[], site()).unwrap();
    for href in [
        "/locks/acme/vaultx",
        "../vaultx/",
        "../vaultx",
        "../vaultx/index.html",
        "https://x.org/locks/acme/vaultx",
        "//x.org/locks//acme/./vaultx/",
        "../VAULTX/",
        "../vaultx/photo.jpg",
        "../%76aultx/",
        "../vault\nx/",
        "../vault&#10;x/",
        "../vault&#x9;x/",
    ] {
        let page = format!("<a href=\"{href}\">x</a>");
        assert!(
            !a.scan("locks/acme/d100/index.html", page.as_bytes())
                .is_empty(),
            "{href}"
        );
        // Unquoted, a value ends at white space, as in a browser.
        let page = format!("<img src={href}>");
        assert!(
            href.contains('\n')
                || !a
                    .scan("locks/acme/d100/index.html", page.as_bytes())
                    .is_empty(),
            "{href}"
        );
    }
    for href in ["../vaultx-2/", "https://other.org/", "../vault/"] {
        let page = format!("<a href=\"{href}\">x</a>");
        assert!(
            a.scan("locks/acme/d100/index.html", page.as_bytes())
                .is_empty(),
            "{href}"
        );
    }
}

#[test]
fn files_of_any_name_and_encoding_are_read() {
    let a = Audit::new(&vault(), &HashSet::default(), &[], &[], site()).unwrap();
    for name in [
        "_redirects",
        ".htaccess",
        "CNAME",
        "x.yml",
        "notes",
        "a.md.orig",
    ] {
        assert_eq!(
            a.scan(name, b"/old /locks/acme/vaultx/ 301").len(),
            1,
            "{name}"
        );
    }
    // Not UTF-8: a Latin-1 byte, and UTF-16 text.
    assert_eq!(a.scan("x.bin", b"\xff\xfeServer room master\xff").len(), 1);
    let utf16: Vec<u8> = "Server room master"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    assert_eq!(a.scan("x.txt", &utf16).len(), 1);
    // NUL-separated strings of a binary format are words of their own.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff tEXt\0Comment\0Server room master\0\xff";
    assert_eq!(a.scan("x.png", png).len(), 1);
    assert_eq!(a.scan("x.dat", b"key\0Server room master\0").len(), 1);
    // In the file's name.
    assert_eq!(a.scan("docs/Server_room_master.pdf", b"").len(), 1);
}

#[test]
fn url_needles_stand_as_whole_paths() {
    let a = Audit::new(&vault(), &HashSet::default(), &[], &[], site()).unwrap();
    assert!(a.scan("x.txt", b"see /locks/acme/vaultx-2/").is_empty());
    assert_eq!(a.scan("x.txt", b"see /locks/acme/vaultx.").len(), 1);
    assert_eq!(a.scan("x.txt", b"/handbook/locks/acme/vaultx/").len(), 1);
    // Relative spellings, in files that are not HTML.
    let leaks = a.scan(".htaccess", b"RewriteRule ^old$ locks/acme/vaultx [R]");
    assert_eq!(leaks.len(), 1, "{leaks:?}");
    assert_eq!(a.scan("x.yml", b"url: 'locks/acme/vaultx/'").len(), 1);
    assert!(a.scan("x.txt", b"see mylocks/acme/vaultx").is_empty());
    assert!(a.scan("x.txt", b"see old-locks/acme/vaultx").is_empty());
}

#[test]
fn a_one_segment_url_needle_keeps_its_slash() {
    let top = vec![Withheld {
        rel: "vault.md".into(),
        title: "Strong room".into(),
        url: "/vault/".into(),
        path: "vault/".into(),
    }];
    let a = Audit::new(&top, &HashSet::default(), &[], &[], site()).unwrap();
    assert!(a.scan("x.txt", b"The vault is closed.").is_empty());
    assert_eq!(a.scan("x.txt", b"see /vault/").len(), 1);
}

#[test]
fn the_title_check_reads_typographic_and_wrapped_mentions() {
    let check = TitleCheck::new(&vault(), &HashSet::default()).unwrap();
    let src = |body| PublicSource {
        display_path: "content/g.md".into(),
        yaml: "title: A",
        body,
        body_line: 4,
    };
    for body in [
        "See the “Server room master” entry.",
        "x\nSee the Server room\nmaster entry.",
        "The Server  Room MASTER’s code",
        "«Server room master»",
        "(Server room master)",
    ] {
        let d = check.check(&src(body));
        assert_eq!(d.len(), 1, "{body:?}");
    }
    let d = check.check(&src("a\nb “Server room\nmaster”"));
    assert_eq!((d[0].line, d[0].col), (5, 4));
    assert!(check.check(&src("Server room masters")).is_empty());
}

#[test]
fn a_public_title_in_another_case_is_no_secret() {
    let public: HashSet<&str> = ["SERVER ROOM MASTER"].into_iter().collect();
    let a = Audit::new(&vault(), &public, &[], &[], site()).unwrap();
    assert!(a.scan("index.html", b"Server room master").is_empty());
}

#[test]
fn an_audit_of_nothing_left_out_is_empty_and_finds_nothing() {
    let lines = [(
        "guide/a.md".to_string(),
        "a private line long enough".to_string(),
    )];
    // Every private line is also public text: no needle is left.
    let a = Audit::new(
        &[],
        &HashSet::default(),
        &lines,
        &["a private line long enough"],
        site(),
    )
    .unwrap();
    assert!(a.is_empty());
    let everything = b"<a href=\"/locks/s/\">Server room master</a> a private line long enough";
    assert!(a.scan("locks/s/index.html", everything).is_empty());
    assert!(
        !Audit::new(&withheld(), &HashSet::default(), &[], &[], site())
            .unwrap()
            .is_empty()
    );
    assert!(
        !Audit::new(&[], &HashSet::default(), &lines, &[], site())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_link_prefilter_passes_every_spelling_that_may_reach_a_segment() {
    let segments: HashSet<String> = ["b12-keypad".to_string()].into_iter().collect();
    for href in [
        "/locks/a/b12-keypad/",
        "../B12-Keypad/index.html",
        "b12-keypad",
        "https://x.org/locks/a/b12-keypad?x#y",
        "/locks/a/b12%2Dkeypad/",
        "/locks/a\\b12-keypad",
        "/locks/a/b12-keyp\tad/",
        "/locks/a/ｂ12-keypad/",
    ] {
        assert!(super::may_reach(&segments, href), "{href}");
    }
    for href in [
        "/locks/a/b12-keypads/",
        "/locks/a/xb12-keypad/",
        "/guide/x/",
        "#b12",
    ] {
        assert!(!super::may_reach(&segments, href), "{href}");
    }
    assert!(!super::may_reach(
        &HashSet::default(),
        "/locks/a/b12-keypad/"
    ));
}

/// The search index writes strings as serde_json does (`\"`, `\\`, non-ASCII
/// as is); a script may also use `\u` escapes. Either way the audit reads
/// the text the strings hold.
#[test]
fn titles_inside_script_strings_are_found_through_escapes() {
    let w = vec![Withheld {
        rel: "locks/k.md".into(),
        title: r#"Kö "Annex\B" vault"#.into(),
        url: "/locks/k/".into(),
        path: "locks/k/".into(),
    }];
    let a = Audit::new(&w, &HashSet::default(), &[], &[], site()).unwrap();
    let row = serde_json::json!([["guide/x/", w[0].title, "", "", "", "", 0]]);
    let index = crate::search::script("d", 0, &row);
    assert!(String::from_utf8_lossy(&index).contains(r#"\"Annex\\B\""#));
    assert_eq!(a.scan("search/d-0.js", &index).len(), 1);
    let escaped = br#"x("K\u00f6 \u0022Annex\u005cB\x22 vault")"#;
    assert_eq!(a.scan("app.js", escaped).len(), 1);
    assert!(
        a.scan("app.js", br#"x("K\u00f6 \"Annex\\C\" vault")"#)
            .is_empty()
    );
}

#[test]
fn past_the_dfa_limit_the_matcher_finds_what_the_dfa_finds() {
    // More needles than `DFA_NEEDLES`: the contiguous NFA's matches must be
    // the DFA's, word bounds and overlapping ones included.
    let withheld: Vec<Withheld> = (0..DFA_NEEDLES / 2 + 10)
        .map(|i| Withheld {
            rel: format!("locks/v{i}.md"),
            title: format!("Vault {i} master"),
            url: format!("/locks/v{i}/"),
            path: format!("locks/v{i}/"),
        })
        .collect();
    let a = Audit::new(&withheld, &HashSet::default(), &[], &[], site()).unwrap();
    assert!(a.needles.len() > DFA_NEEDLES);
    let found = |html: &str| a.scan("index.html", html.as_bytes());
    assert_eq!(found("<p>The VAULT 4100 master is open</p>").len(), 1);
    assert_eq!(found("<p>vault 12 mastery</p>").len(), 0);
    assert_eq!(found("<a href=\"/locks/v77/\">x</a>").len(), 2);
    assert!(found("<p>Vault 4100 masters, locks/v77-2</p>").is_empty());
}
