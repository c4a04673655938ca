//! `lockgen init [DIR]`: a working site to start from.
//!
//! The files are values (`files`), written by `write` only when none of
//! them exists: init never overwrites or deletes anything. A folder that is
//! not empty is refused unless `force`, and even then a file that is already
//! there stops the whole init before anything is written, so there is never
//! a half-made site.

use std::io::Write;
use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::diag::Diagnostic;
use crate::frontmatter::emit;
use crate::frontmatter::{EntryMeta, Revision};

/// The files of a new site, by path under its folder, with their text.
pub fn files(today: Date) -> Vec<(&'static str, String)> {
    vec![
        ("site.toml", SITE_TOML.to_string()),
        (".gitignore", GITIGNORE.to_string()),
        ("content/_index.md", HOME.to_string()),
        ("content/guide/getting-started.md", GUIDE.to_string()),
        (
            "content/locks/example/front-door.md",
            emit::page(&emit::entry(&front_door(today)), FRONT_DOOR_BODY),
        ),
        (
            "content/locks/example/server-room-safe.md",
            emit::page(&emit::entry(&safe(today)), SAFE_BODY),
        ),
    ]
}

/// Writes the new site into `dir`; the paths written, or why nothing was.
pub fn write(dir: &Path, force: bool, today: Date) -> Result<Vec<PathBuf>, Diagnostic> {
    let shown = dir.display().to_string();
    let not_empty = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if not_empty && !force {
        return Err(Diagnostic::error(
            &shown,
            0,
            0,
            "the folder is not empty; nothing was written",
        )
        .with_hint(
            "run lockgen init in a new or empty folder, or add --force to add the \
                     site's files beside what is there (existing files are never overwritten)",
        ));
    }
    let files = files(today);
    let taken: Vec<&str> = files
        .iter()
        .map(|(rel, _)| *rel)
        .filter(|rel| dir.join(rel).exists())
        .collect();
    if !taken.is_empty() {
        return Err(Diagnostic::error(
            &shown,
            0,
            0,
            format!("already there: {}; nothing was written", taken.join(", ")),
        )
        .with_hint("lockgen init never overwrites a file: move those files away first"));
    }
    let mut written = Vec::new();
    for (rel, text) in files {
        let path = dir.join(rel);
        create_new(&path, &text).map_err(|e| {
            Diagnostic::error(
                path.display().to_string(),
                0,
                0,
                format!("cannot write: {e}"),
            )
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Writes `text` to a new file at `path` (its folders made), failing if it exists.
pub fn create_new(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    f.write_all(text.as_bytes())
}

fn front_door(today: Date) -> EntryMeta {
    let mut e = EntryMeta::new("Front door keypad", "Example Locks", "K-100");
    e.lock_type = Some("keypad".into());
    e.location = Some("Main building / Ground floor / Front door".into());
    e.last_verified = Some(today);
    e.estimated_time = Some("10 min".into());
    e.tools = vec!["Small Phillips screwdriver".into()];
    e.warnings = vec!["The door stays unlocked until a new code is programmed.".into()];
    e.contacts = vec![crate::frontmatter::Contact {
        name: "Example Locksmiths".into(),
        role: Some("installer".into()),
        phone: Some("+1 555 0100".into()),
        email: Some("service@locksmith.example.com".into()),
        url: None,
    }];
    e.serial = Some("0042-7781".into());
    e.firmware = Some("1.4.2".into());
    e.revisions = vec![first_revision(today)];
    e
}

fn safe(today: Date) -> EntryMeta {
    let mut e = EntryMeta::new("Server room safe", "Example Locks", "S-9");
    e.lock_type = Some("safe".into());
    e.location = Some("Main building / Basement / Server room".into());
    e.last_verified = Some(today);
    e.warnings = vec!["Five wrong codes lock the keypad out for 15 minutes.".into()];
    e.sensitive = true;
    e.revisions = vec![first_revision(today)];
    e
}

fn first_revision(today: Date) -> Revision {
    Revision {
        date: today,
        note: "Created by lockgen init".into(),
        author: None,
    }
}

const GITIGNORE: &str = "\
# Build output: never commit it. The private build holds every sensitive page.
/public/
/private/
/private-*/
";

const SITE_TOML: &str = r#"# The handbook's settings. title and base_url are required; every other key
# is shown with its default, commented out: remove the # to change one.

title = "My Lock Handbook"
base_url = "https://handbook.example.org/"  # where the public build is published

# description = ""                # the home page's summary, for search engines
# language = "en"                 # the pages' language
# theme = "default"               # themes/<theme>/; "default" is built in
# output_dir = "public"           # where `lockgen build` writes
# private_output_dir = "private"  # where `lockgen build --private` writes
# stale_after_days = 365          # a last_verified older than this is stale
# minify = true                   # minify the built-in theme once, when it loads
# minify_pages = false            # also minify every finished page (slower)
# unsafe_html = false             # raw HTML in Markdown is escaped unless true
# relative_urls = false           # links relative to each page, to browse from disk
# risky_lock_types = ["safe", "biometric", "smart-lock"]  # types whose entries need warnings
# status_page = false             # also publish the /status/ dashboard in public builds
# print_order = "brand"           # /print/ and handbook.pdf: entries by "brand" or "location"

# Audiences: who may read which sensitive pages (`lockgen build --private --audience NAME`).
# [audiences.managers]
# all = true                      # every sensitive page and private block
# [audiences.building-b]
# locations = ["Building B"]      # entries at Building B or under it
"#;

const HOME: &str = "\
---
title: \"My Lock Handbook\"
---

How to reset and re-program the electronic locks of our buildings. Find a
lock by its brand, or start with the [guide](guide/getting-started.md).
";

const GUIDE: &str = "\
---
title: \"Getting started\"
weight: 1
---

Every lock has one page under `content/locks/BRAND/`. Add one with

```
lockgen new \"Brand Model\" --location \"Building / Floor / Room\" --type keypad
```

or turn a spreadsheet into pages with `lockgen import locks.csv --write`.

Mark a page `sensitive: true` to keep it out of the public build, or put a
passage between a line `::: private` and a line `:::`. Build the public
handbook with `lockgen build`, and the internal one, with everything, with
`lockgen build --private`.
";

const FRONT_DOOR_BODY: &str = "\
## Reset the user codes

1. Open the battery cover on the inside unit.
2. Hold the reset button for five seconds, until the light flashes green.
3. Enter a new six-digit code, then press the lock button.

::: private
The installer's master code is on the card in the key cabinet.
:::
";

const SAFE_BODY: &str = "\
This entry is sensitive: it is left out of the public build, and shown,
marked, in `lockgen build --private`.

1. Enter the manager code.
2. Press and hold 0 until the light turns amber.
3. Enter the new code twice.
";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config;

    #[test]
    fn site_toml_names_every_key_and_its_defaults_parse() {
        for key in config::KEYS {
            let set = format!("\n{key} = ");
            let commented = format!("\n# {key} = ");
            let table = format!("\n# [{key}.");
            assert!(
                SITE_TOML.contains(&set)
                    || SITE_TOML.contains(&commented)
                    || SITE_TOML.contains(&table),
                "site.toml of init lacks {key}"
            );
        }
        let uncommented: String = SITE_TOML
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest) if rest.contains(" = ") || rest.starts_with('[') => format!("{rest}\n"),
                _ => format!("{l}\n"),
            })
            .collect();
        config::Config::parse(Path::new("/x"), &uncommented).unwrap();
        config::Config::parse(Path::new("/x"), SITE_TOML).unwrap();
    }

    #[test]
    fn a_non_empty_folder_needs_force_and_nothing_is_ever_overwritten() {
        let today = jiff::civil::date(2026, 1, 2);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        let e = write(dir.path(), false, today).unwrap_err();
        assert!(e.message.contains("not empty"));
        assert_eq!(write(dir.path(), true, today).unwrap().len(), 6);
        let e = write(dir.path(), true, today).unwrap_err();
        assert!(e.message.contains("site.toml"), "{e}");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(),
            "mine"
        );
    }
}
