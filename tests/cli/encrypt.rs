//! `build --private --encrypt` and `lockgen decrypt`: each audience's
//! passphrase opens exactly its plain build, byte for byte; a changed byte,
//! swapped files or a wrong passphrase fail with a clear error; nothing of
//! any page is readable in the encrypted folder, names included; where
//! passphrases come from, and which are refused.

use std::collections::BTreeMap;
use std::fs;

use crate::audiences::{entry, handbook};
use crate::{Run, Site, generated, lockgen_with_env};

const MANAGERS: (&str, &str) = (
    "LOCKGEN_PASSPHRASE_MANAGERS",
    "managers open everything here",
);
const BUILDING_B: (&str, &str) = (
    "LOCKGEN_PASSPHRASE_BUILDING_B",
    "building b reads its own floors",
);
const NIGHT: (&str, &str) = (
    "LOCKGEN_PASSPHRASE_NIGHT_STAFF",
    "night staff see the vault only",
);
const ALL: [(&str, &str); 3] = [MANAGERS, BUILDING_B, NIGHT];

/// `lockgen <command> --root <root> <args…>` with `env` set.
fn run(site: &Site, command: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let root = site.root.to_str().expect("UTF-8 temp path");
    let mut all = vec![command, "--root", root];
    all.extend_from_slice(args);
    lockgen_with_env(site.tmp(), &all, env)
}

/// `lockgen decrypt <root>/private-encrypted --out <root>/<out> <args…>` with `env` set.
fn decrypt(site: &Site, out: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let dir = site.path("private-encrypted");
    let out = site.path(out);
    let mut all = vec![
        "decrypt",
        dir.to_str().expect("UTF-8"),
        "--out",
        out.to_str().expect("UTF-8"),
    ];
    all.extend_from_slice(args);
    lockgen_with_env(site.tmp(), &all, env)
}

fn encrypted(site: &Site) -> BTreeMap<String, Vec<u8>> {
    site.snapshot("private-encrypted")
}

/// The encrypted files `crypt/<id>.js` (not the key file).
fn sealed_files(site: &Site) -> Vec<String> {
    encrypted(site)
        .into_keys()
        .filter(|p| p.starts_with("crypt/") && p != "crypt/keys.js")
        .collect()
}

#[test]
fn each_passphrase_decrypts_to_its_audience_plain_build_byte_for_byte() {
    let site = handbook("");
    let built = run(&site, "build", &["--private", "--encrypt"], &ALL);
    built.assert_ok();
    assert!(
        built
            .stderr
            .contains("for 3 audiences (building-b, managers, night-staff)"),
        "{}",
        built.stderr
    );
    for (name, (var, secret)) in [
        ("managers", MANAGERS),
        ("building-b", BUILDING_B),
        ("night-staff", NIGHT),
    ] {
        site.run("build", &["--private", "--audience", name])
            .assert_ok();
        let out = format!("plain-{name}");
        // No --audience: the passphrase is tried against every audience.
        let opened = decrypt(&site, &out, &[], &[("LOCKGEN_PASSPHRASE", secret)]);
        opened.assert_ok();
        assert!(
            opened.stderr.contains(&format!("of audience {name}")),
            "{}",
            opened.stderr
        );
        let plain = site.snapshot(&format!("private-{name}"));
        let back = site.snapshot(&out);
        assert_eq!(
            plain.keys().collect::<Vec<_>>(),
            back.keys().collect::<Vec<_>>(),
            "{name}: the same files"
        );
        for (path, bytes) in &plain {
            assert!(
                back[path] == *bytes,
                "{name}: {path} differs after the round trip"
            );
        }
        // With --audience, its own variable is read.
        decrypt(
            &site,
            &format!("again-{name}"),
            &["--audience", name],
            &[(var, secret)],
        )
        .assert_ok();
    }
    // What building-b opens has no page of the others.
    let b = site.snapshot("plain-building-b");
    assert!(
        b.keys()
            .all(|p| !p.contains("acme/hq") && !p.contains("vault"))
    );
}

#[test]
fn a_site_without_audiences_has_one_passphrase_and_decrypts_to_the_private_build() {
    let site = generated(
        "title = \"Handbook\"\nbase_url = \"https://hb.example.org/\"\n",
        [
            (
                "content/locks/acme/d100.md".to_string(),
                entry("SENSX secret door", "HQ", "sensitive: true\n", "SENSXBODY"),
            ),
            (
                "content/guide/start.md".to_string(),
                "---\ntitle: Start here\n---\nHello.\n".to_string(),
            ),
        ],
    );
    let env = [("LOCKGEN_PASSPHRASE", "one passphrase for all of us")];
    run(&site, "build", &["--private", "--encrypt"], &env).assert_ok();
    site.build_private().assert_ok();
    decrypt(&site, "plain", &[], &env).assert_ok();
    assert_eq!(site.snapshot("private"), site.snapshot("plain"));
}

#[test]
fn no_page_text_is_readable_in_the_encrypted_folder_names_included() {
    let site = handbook("");
    run(&site, "build", &["--private", "--encrypt"], &ALL).assert_ok();
    let files = encrypted(&site);
    // Long markers cannot appear in base64 by chance: searched everywhere.
    let long = [
        "SENSB2BODY",
        "SENSB2 floor master",
        "SENSCBODY",
        "SENSCPLAN",
        "SENSMBODY",
        "SENSM hq master",
        "PRIVB-4711",
        "Lobby private code",
        "Lobby door",
        "Start here",
        "Read this first",
        "Building B",
        "Building C",
        "floor 2",
        "plan.svg",
        "locks/acme",
    ];
    // Short ones could: searched in names and outside the ciphertext (not
    // two-letter ones, which hex ids hold).
    let short = [
        "acme", "lobby", "vault", "SENSC", "SENSM", "welcome", "guide", "brands",
    ];
    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes).to_lowercase();
        for n in long {
            let n = n.to_lowercase();
            assert!(
                !text.contains(&n) && !path.to_lowercase().contains(&n),
                "{path} holds {n:?}"
            );
        }
        if ["style.css", "search.js", "crypt.js"].contains(&path.as_str()) {
            continue; // the theme's own files, the same for every site
        }
        let clear = match text.split_once("\",\"") {
            Some((head, _)) if path.starts_with("crypt/") => head.to_string(),
            _ => text.clone(),
        };
        for n in short {
            let n = n.to_lowercase();
            assert!(
                !clear.contains(&n) && !path.to_lowercase().contains(&n),
                "{path} holds {n:?} in clear"
            );
        }
    }
    let names: Vec<&String> = files.keys().collect();
    assert!(
        names.iter().all(|p| [
            "index.html",
            "robots.txt",
            "style.css",
            "search.js",
            "crypt.js",
            ".lockgen-output"
        ]
        .contains(&p.as_str())
            || p.starts_with("crypt/")),
        "only the shell, the theme and crypt/: {names:?}"
    );
    let shell = String::from_utf8_lossy(&files["index.html"]).to_string();
    assert!(
        shell.contains("noindex") && shell.contains("<title>Handbook</title>"),
        "{shell}"
    );
    assert!(!files.contains_key("sitemap.xml") && !files.contains_key("feed.xml"));
}

#[test]
fn a_changed_byte_swapped_files_or_a_wrong_passphrase_fail_clearly() {
    let site = handbook("");
    run(&site, "build", &["--private", "--encrypt"], &ALL).assert_ok();
    let env = [("LOCKGEN_PASSPHRASE", MANAGERS.1)];

    let wrong = decrypt(
        &site,
        "out",
        &[],
        &[("LOCKGEN_PASSPHRASE", "not any of the passphrases")],
    );
    wrong.assert_code(1);
    assert!(
        wrong.stderr.contains("the passphrase opens no audience"),
        "{}",
        wrong.stderr
    );
    assert!(!site.exists("out"));

    let wrong_audience = decrypt(
        &site,
        "out",
        &["--audience", "building-b"],
        &[(BUILDING_B.0, MANAGERS.1)],
    );
    wrong_audience.assert_code(1);
    assert!(
        wrong_audience
            .stderr
            .contains("opens audience 'managers', not 'building-b'"),
        "{}",
        wrong_audience.stderr
    );

    let sealed = sealed_files(&site);
    let dir = site.path("private-encrypted");
    // Swap two encrypted files' contents: each now holds the other's ciphertext.
    let (a, b) = (dir.join(&sealed[0]), dir.join(&sealed[1]));
    let (ta, tb) = (fs::read(&a).unwrap(), fs::read(&b).unwrap());
    fs::write(&a, &tb).unwrap();
    fs::write(&b, &ta).unwrap();
    // Files of the managers' build or of another's: some audience reads them.
    let swapped = ALL
        .iter()
        .find_map(|(_, secret)| {
            let r = decrypt(&site, "out", &[], &[("LOCKGEN_PASSPHRASE", secret)]);
            (r.code != 0).then_some(r)
        })
        .expect("swapped files, and every audience decrypted");
    swapped.assert_code(1);
    assert!(swapped.stderr.contains("swapped"), "{}", swapped.stderr);
    let _ = fs::remove_dir_all(site.path("out"));
    fs::write(&a, &ta).unwrap();
    fs::write(&b, &tb).unwrap();
    decrypt(&site, "out", &[], &env).assert_ok();

    // One base64 character changed in some sealed files, in turn: the
    // audiences that read the file fail on it (those that do not never open it).
    let step = (sealed.len() / 6).max(1);
    for rel in sealed.iter().step_by(step) {
        let path = dir.join(rel);
        let text = fs::read_to_string(&path).unwrap();
        let at = text.find("\",\"").unwrap() + 10;
        let mut bytes = text.clone().into_bytes();
        bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
        fs::write(&path, &bytes).unwrap();
        let failed = ALL.iter().find_map(|(_, secret)| {
            let r = decrypt(&site, "out2", &[], &[("LOCKGEN_PASSPHRASE", secret)]);
            (r.code != 0).then_some(r)
        });
        let failed =
            failed.unwrap_or_else(|| panic!("{rel} changed, and every audience decrypted"));
        failed.assert_code(1);
        assert!(
            failed.stderr.contains(rel.as_str()) && failed.stderr.contains("changed"),
            "{rel}: {}",
            failed.stderr
        );
        fs::write(&path, text).unwrap();
        let _ = fs::remove_dir_all(site.path("out2"));
    }
}

#[test]
fn passphrases_come_from_a_file_outside_the_site_never_a_short_one() {
    let site = handbook("");
    let file = site.tmp().join("passphrases.toml");
    fs::write(
        &file,
        format!(
            "managers = \"{}\"\nbuilding-b = \"{}\"\nnight-staff = \"{}\"\n",
            MANAGERS.1, BUILDING_B.1, NIGHT.1
        ),
    )
    .unwrap();
    let f = file.to_str().unwrap();
    run(
        &site,
        "build",
        &["--private", "--encrypt", "--passphrases", f],
        &[],
    )
    .assert_ok();
    decrypt(
        &site,
        "plain",
        &["--audience", "night-staff", "--passphrases", f],
        &[],
    )
    .assert_ok();

    let inside = site.path("passphrases.toml");
    fs::copy(&file, &inside).unwrap();
    let refused = run(
        &site,
        "build",
        &[
            "--private",
            "--encrypt",
            "--passphrases",
            inside.to_str().unwrap(),
        ],
        &[],
    );
    refused.assert_code(1);
    assert!(
        refused.stderr.contains("inside the site"),
        "{}",
        refused.stderr
    );

    let none = run(
        &site,
        "build",
        &["--private", "--encrypt"],
        &[MANAGERS, NIGHT],
    );
    none.assert_code(1);
    assert!(
        none.stderr.contains("LOCKGEN_PASSPHRASE_BUILDING_B")
            && none.stderr.contains("no terminal"),
        "{}",
        none.stderr
    );

    let weak = [MANAGERS, NIGHT, ("LOCKGEN_PASSPHRASE_BUILDING_B", "short")];
    let short = run(&site, "build", &["--private", "--encrypt"], &weak);
    short.assert_code(1);
    assert!(short.stderr.contains("fewer than 12"), "{}", short.stderr);
    let allowed = run(
        &site,
        "build",
        &["--private", "--encrypt", "--allow-weak-passphrase"],
        &weak,
    );
    allowed.assert_ok();
    assert!(
        allowed.stderr.contains("warning") && allowed.stderr.contains("weak"),
        "{}",
        allowed.stderr
    );

    let same = [
        MANAGERS,
        NIGHT,
        ("LOCKGEN_PASSPHRASE_BUILDING_B", MANAGERS.1),
    ];
    let shared = run(&site, "build", &["--private", "--encrypt"], &same);
    shared.assert_code(1);
    assert!(
        shared.stderr.contains("the same passphrase"),
        "{}",
        shared.stderr
    );

    let pdf = run(&site, "build", &["--private", "--encrypt", "--pdf"], &ALL);
    pdf.assert_code(1);
    assert!(pdf.stderr.contains("plain PDF"), "{}", pdf.stderr);
    let flag = run(
        &site,
        "build",
        &["--private", "--encrypt", "--passphrase", "x"],
        &ALL,
    );
    flag.assert_code(2);
}

#[test]
fn one_audience_encrypts_alone_and_a_failed_build_keeps_the_previous_output() {
    let site = handbook("");
    run(
        &site,
        "build",
        &["--private", "--audience", "night-staff", "--encrypt"],
        &[NIGHT],
    )
    .assert_ok();
    assert!(site.exists("private-night-staff-encrypted/index.html"));
    run(&site, "build", &["--private", "--encrypt"], &ALL).assert_ok();
    let before = encrypted(&site);
    site.write("content/locks/acme/broken.md", "---\ntitle: [\n---\n");
    run(&site, "build", &["--private", "--encrypt"], &ALL).assert_code(1);
    assert!(
        encrypted(&site) == before,
        "the previous encrypted output is untouched"
    );
}

#[test]
fn a_clear_theme_file_holding_page_text_fails_the_ciphertext_audit() {
    let site = handbook("");
    site.write(
        "themes/default/static/notes.txt",
        "Remember the Lobby door.\n",
    );
    let failed = run(&site, "build", &["--private", "--encrypt"], &ALL);
    failed.assert_code(1);
    assert!(
        failed
            .errors()
            .iter()
            .any(|e| e.starts_with("private-encrypted/notes.txt:1:1:")
                && e.contains("'lobby door' in clear")),
        "{}",
        failed.stderr
    );
    assert!(!site.exists("private-encrypted"));
}
