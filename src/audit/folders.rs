//! The output folders of withheld pages, and which of them a published
//! file's path lies in. A file is checked against the folders by its own
//! prefixes (one hash lookup per `/` in its path), not against every folder:
//! a build of 100k entries that leaves 10k out would otherwise make a billion
//! comparisons.

use rustc_hash::FxHashMap as HashMap;

#[derive(Debug, Clone, Default)]
pub struct Folders {
    /// Folders ending in `/` (every page's), → what each is.
    by_path: HashMap<String, Vec<String>>,
    /// Any other (none today): compared with `starts_with`, as before.
    other: Vec<(String, String)>,
}

impl Folders {
    pub fn new(folders: impl IntoIterator<Item = (String, String)>) -> Folders {
        let mut out = Folders::default();
        for (path, what) in folders {
            if path.ends_with('/') {
                out.by_path.entry(path).or_default().push(what);
            } else {
                out.other.push((path, what));
            }
        }
        out
    }

    pub fn is_empty(&self) -> bool {
        self.by_path.is_empty() && self.other.is_empty()
    }

    /// (folder, what it is) for every folder that `file` starts with.
    pub fn holding<'a>(&'a self, file: &'a str) -> impl Iterator<Item = (&'a str, &'a str)> {
        let prefixes = file
            .match_indices('/')
            .map(move |(i, _)| &file[..=i])
            .filter_map(|p| self.by_path.get_key_value(p))
            .flat_map(|(p, whats)| whats.iter().map(move |w| (p.as_str(), w.as_str())));
        let other = self
            .other
            .iter()
            .filter(move |(p, _)| file.starts_with(p.as_str()))
            .map(|(p, w)| (p.as_str(), w.as_str()));
        prefixes.chain(other)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folders() -> Folders {
        Folders::new([
            ("locks/a/vault/".to_string(), "vault".to_string()),
            ("locks/a/".to_string(), "brand".to_string()),
            ("".to_string(), "root".to_string()),
        ])
    }

    fn found(f: &Folders, file: &str) -> Vec<String> {
        let mut v: Vec<String> = f.holding(file).map(|(_, w)| w.to_string()).collect();
        v.sort();
        v
    }

    #[test]
    fn a_file_is_in_every_folder_its_path_starts_with() {
        let f = folders();
        assert_eq!(
            found(&f, "locks/a/vault/index.html"),
            ["brand", "root", "vault"]
        );
        assert_eq!(found(&f, "locks/a/vault-2/index.html"), ["brand", "root"]);
        assert_eq!(found(&f, "locks/b/index.html"), ["root"]);
    }

    #[test]
    fn a_folder_name_is_matched_whole_and_case_exactly() {
        let f = Folders::new([("locks/a/vault/".to_string(), "v".to_string())]);
        assert!(found(&f, "locks/a/vault").is_empty());
        assert!(found(&f, "mylocks/a/vault/x.png").is_empty());
        assert!(found(&f, "locks/A/vault/x.png").is_empty());
        assert_eq!(found(&f, "locks/a/vault/img/x.png"), ["v"]);
    }
}
