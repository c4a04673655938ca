//! Incremental rebuilds equal a fresh start: a seeded random sequence of
//! edits to a small site (titles, models, rooms, brands, the sensitive flag
//! of entries and guides, guide weights, the home page, added and removed
//! entries), each followed by `Session::rebuild` with the change
//! the watcher would report, and after each the served files (every path,
//! every byte) compared with a fresh session's, public and private; at the
//! end of a sequence, also with what `lockgen build` writes.
//!
//! Driven through the library, not HTTP, so many edits run in seconds.
//! `LOCKGEN_SERVE_EDITS_CASES` (sequences) and `LOCKGEN_SERVE_EDITS_SEED`
//! change the run; a failure names the seed and case to replay it.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use lockgen::pipeline;
use lockgen::serve::reload::Reload;
use lockgen::serve::session::{Change, Files, Session};

use super::seeded;

const DEFAULT_CASES: u64 = 3;
const DEFAULT_SEED: u64 = 0x5e77_ed17;
/// Edits (each followed by a rebuild) per sequence.
const STEPS: usize = 12;
/// Acme entries that never change but its index needs a second page for
/// (`nav::LIST_PAGE` is 200).
const FILLERS: usize = 200;
const URL: &str = "http://127.0.0.1:4000/";
const BRANDS: [&str; 3] = ["Acme", "Bolt Works", "Cobra"];

/// splitmix64: a few lines, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[derive(Clone, Debug)]
struct Entry {
    /// Path under content/.
    rel: String,
    id: usize,
    rev: usize,
    brand: usize,
    model: usize,
    room: Option<usize>,
    sensitive: bool,
}

impl Entry {
    /// Titles are unique words, so a sensitive one is printed by no public page.
    fn text(&self) -> String {
        let mut front = format!(
            "title: {} Q{:04} r{}\nbrand: {}\nmodel: M{}\nlast_verified: 2026-06-01\n",
            BRANDS[self.brand], self.id, self.rev, BRANDS[self.brand], self.model
        );
        if let Some(room) = self.room {
            front.push_str(&format!("location: Floor 1/Room {room}\n"));
        }
        if self.sensitive {
            front.push_str("sensitive: true\n");
        }
        format!("---\n{front}---\nProcedure for Q{:04}.\n", self.id)
    }
}

struct Guide {
    rel: String,
    id: usize,
    rev: usize,
    weight: usize,
    sensitive: bool,
}

impl Guide {
    fn text(&self) -> String {
        let sensitive = if self.sensitive {
            "sensitive: true\n"
        } else {
            ""
        };
        format!(
            "---\ntitle: Guide G{} r{}\nweight: {}\n{sensitive}---\nGuide G{} body.\n",
            self.id, self.rev, self.weight, self.id
        )
    }
}

/// The sources of the site under test, mirrored on disk under `root`.
struct Sources {
    root: PathBuf,
    entries: Vec<Entry>,
    guides: Vec<Guide>,
    home_rev: usize,
    next_id: usize,
}

impl Sources {
    fn new(root: &Path, rng: &mut Rng) -> Sources {
        fs::create_dir_all(root.join("content")).expect("content folder");
        fs::write(
            root.join("site.toml"),
            "title = \"Edits Handbook\"\nbase_url = \"https://handbook.example.org\"\n",
        )
        .expect("site.toml");
        for i in 0..FILLERS {
            let rel = format!("content/locks/acme/f{i:03}.md");
            let text = format!(
                "---\ntitle: Acme F{i:03}\nbrand: Acme\nmodel: NV\nlocation: Floor 2/Room {i}\n---\nx\n"
            );
            write(root, &rel, &text);
        }
        let mut s = Sources {
            root: root.to_path_buf(),
            entries: Vec::new(),
            guides: Vec::new(),
            home_rev: 0,
            next_id: 0,
        };
        for id in 0..3 {
            let g = Guide {
                rel: format!("guide/g{id}.md"),
                id,
                rev: 0,
                weight: rng.below(5),
                sensitive: false,
            };
            s.put(&g.rel, &g.text());
            s.guides.push(g);
        }
        s.put_home();
        for n in 0..8 {
            let mut e = s.new_entry(rng);
            // One sensitive entry to start with.
            e.sensitive = n == 0;
            s.put(&e.rel, &e.text());
            s.entries.push(e);
        }
        s
    }

    fn new_entry(&mut self, rng: &mut Rng) -> Entry {
        let id = self.next_id;
        self.next_id += 1;
        let brand = rng.below(BRANDS.len());
        Entry {
            rel: format!("locks/b{brand}/q{id:04}.md"),
            id,
            rev: 0,
            brand,
            model: rng.below(3),
            room: None,
            sensitive: false,
        }
    }

    /// Writes `text` to `rel` under content/.
    fn put(&self, rel: &str, text: &str) {
        write(&self.root, &format!("content/{rel}"), text);
    }

    fn put_home(&self) {
        let text = format!(
            "---\ntitle: Edits home r{}\n---\nWelcome, revision {}.\n",
            self.home_rev, self.home_rev
        );
        self.put("_index.md", &text);
    }

    /// One random edit, written to disk; the change the watcher would report, and what it was.
    fn edit(&mut self, rng: &mut Rng) -> (Change, String) {
        let kind = rng.below(10);
        if kind == 7 || kind == 8 {
            let g = rng.below(self.guides.len());
            let guide = &mut self.guides[g];
            match (kind, rng.below(3)) {
                (7, _) => guide.weight = rng.below(5),
                (_, 0) => guide.sensitive = !guide.sensitive,
                _ => guide.rev += 1,
            }
            let what = format!(
                "{}: weight {} rev {} sensitive {}",
                guide.rel, guide.weight, guide.rev, guide.sensitive
            );
            let (rel, text) = (guide.rel.clone(), guide.text());
            self.put(&rel, &text);
            return (Change::Pages(vec![rel]), what);
        }
        if kind == 9 {
            self.home_rev += 1;
            self.put_home();
            return (Change::Pages(vec!["_index.md".into()]), "_index.md".into());
        }
        if kind == 5 || self.entries.len() < 2 {
            let e = self.new_entry(rng);
            self.put(&e.rel, &e.text());
            let what = format!("add {}", e.rel);
            self.entries.push(e);
            return (Change::Everything, what);
        }
        let i = rng.below(self.entries.len());
        if kind == 6 {
            let e = self.entries.remove(i);
            fs::remove_file(self.root.join("content").join(&e.rel)).expect("remove entry");
            return (Change::Everything, format!("remove {}", e.rel));
        }
        let e = &mut self.entries[i];
        match kind {
            0 => e.rev += 1,
            1 => e.model = rng.below(3),
            2 => e.room = [None, Some(1), Some(2), Some(3)][rng.below(4)],
            3 => e.brand = rng.below(BRANDS.len()),
            _ => e.sensitive = !e.sensitive,
        }
        let what = format!("{}: {e:?}", e.rel);
        let (rel, text) = (e.rel.clone(), e.text());
        self.put(&rel, &text);
        (Change::Pages(vec![rel]), what)
    }
}

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("a parent")).expect("create folder");
    fs::write(&path, text).expect("write source");
}

fn sorted(files: &Files) -> BTreeMap<&str, &[u8]> {
    files.iter().map(|(k, v)| (&**k, &v[..])).collect()
}

/// The paths where `a` and `b` differ (missing from one, or other bytes).
fn differences(a: &BTreeMap<&str, &[u8]>, b: &BTreeMap<&str, &[u8]>) -> Vec<String> {
    let mut out: Vec<String> = a
        .iter()
        .filter(|(k, v)| b.get(*k) != Some(*v))
        .map(|(k, _)| k.to_string())
        .collect();
    out.extend(
        b.keys()
            .filter(|k| !a.contains_key(*k))
            .map(|k| k.to_string()),
    );
    out
}

/// The outputs that hold every page, which a preview brings up to date after the edited pages.
fn site_wide(rel: &str) -> bool {
    rel.starts_with("sitemap")
        || rel.starts_with("search/")
        || rel.starts_with("print/")
        || rel == "feed.xml"
}

/// Every page that changed from `before` to `after` is one the reload event names.
fn assert_reloads(before: &Files, after: &Files, reload: &Reload, at: &str) {
    let Reload::Pages(pages) = reload else {
        return;
    };
    for (rel, bytes) in after {
        if rel.ends_with(".html") && before.get(rel) != Some(bytes) {
            let url = format!("/{}", rel.strip_suffix("index.html").unwrap_or(rel));
            assert!(
                pages.contains(&url),
                "{at}\n{url} changed but the reload names {pages:?}"
            );
        }
    }
}

/// A fresh session's files of the site at `root`.
fn fresh(root: &Path, private: bool) -> Session {
    let mut s = Session::new(root.to_path_buf(), private, URL.to_string());
    let report = s.rebuild(&Change::Everything);
    assert!(report.errors.is_empty(), "fresh: {:?}", report.errors);
    s
}

/// Every file under `dir`, by `/`-separated path.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).expect("read output") {
            let path = e.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("under dir");
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, fs::read(&path).expect("read output file"));
            }
        }
    }
    out
}

fn run_case(seed: u64, case: u64) {
    let mut rng = Rng(seed ^ case.wrapping_mul(0x2545_f491_4f6c_dd1d));
    let tmp = tempfile::tempdir().expect("temporary folder");
    let root = tmp.path().join("site");
    let mut sources = Sources::new(&root, &mut rng);
    let mut live: Vec<(bool, Session)> = [false, true]
        .into_iter()
        .map(|private| (private, fresh(&root, private)))
        .collect();
    let mut log = Vec::new();
    for step in 0..STEPS {
        let (change, what) = sources.edit(&mut rng);
        log.push(what);
        for (private, session) in &mut live {
            let at = format!(
                "seed {seed} case {case} step {step}, private {private}; edits:\n{}",
                log.join("\n")
            );
            let before = session.files().clone();
            let report = session.rebuild(&change);
            assert!(report.errors.is_empty(), "{at}\n{:?}", report.errors);
            assert_reloads(&before, session.files(), &report.reload, &at);
            let new = fresh(&root, *private);
            // Only the site-wide outputs may lag behind the pages, until `catch_up`.
            let diff = differences(&sorted(session.files()), &sorted(new.files()));
            let lagging: Vec<&String> = diff.iter().filter(|f| !site_wide(f)).collect();
            assert!(
                lagging.is_empty(),
                "{at}\nthe incremental rebuild differs from a fresh start at {lagging:?}"
            );
            assert!(diff.is_empty() || session.owes(), "{at}\n{diff:?} owed");
            let before = session.files().clone();
            if let Some(report) = session.catch_up() {
                assert!(report.errors.is_empty(), "{at}\n{:?}", report.errors);
                assert_reloads(&before, session.files(), &report.reload, &at);
            }
            assert!(!session.owes(), "{at}");
            let diff = differences(&sorted(session.files()), &sorted(new.files()));
            assert!(
                diff.is_empty(),
                "{at}\nafter catching up, the incremental rebuild differs from a fresh start at {diff:?}"
            );
        }
    }
    // What serve serves is what build writes.
    for (private, session) in &live {
        let out = tmp.path().join(if *private { "private" } else { "public" });
        let opts = pipeline::Options {
            root: root.clone(),
            output: Some(out.clone()),
            private: *private,
            audience: None,
            base_url: Some(URL.to_string()),
            ..pipeline::Options::default()
        };
        if let Err(e) = pipeline::build(&opts) {
            panic!("seed {seed} case {case}: build failed: {e:?}");
        }
        let mut built = read_tree(&out);
        // The marker saying the folder is build's to replace is no page.
        built.remove(lockgen::output::MARKER);
        let built: BTreeMap<&str, &[u8]> =
            built.iter().map(|(k, v)| (k.as_str(), &v[..])).collect();
        let diff = differences(&sorted(session.files()), &built);
        assert!(
            diff.is_empty(),
            "seed {seed} case {case}, private {private}: served files differ from the build at {diff:?}"
        );
    }
}

#[test]
fn random_edit_sequences_rebuild_to_what_a_fresh_start_serves() {
    let cases = seeded::env_number("LOCKGEN_SERVE_EDITS_CASES").unwrap_or(DEFAULT_CASES);
    let seed = seeded::env_number("LOCKGEN_SERVE_EDITS_SEED").unwrap_or(DEFAULT_SEED);
    for case in 0..cases {
        run_case(seed, case);
    }
}
