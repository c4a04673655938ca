//! Where passphrases come from, never the command line: `--passphrases FILE`
//! (TOML, `audience-name = "passphrase"`, outside the site), else the
//! environment (`LOCKGEN_PASSPHRASE_<AUDIENCE>`, or `LOCKGEN_PASSPHRASE` for
//! a site without audiences), else a prompt on the terminal (asked twice
//! when building). A build refuses passphrases under `MIN_CHARS` characters
//! unless allowed, warns under `GOOD_CHARS`, and refuses one passphrase for
//! two audiences (it would open both).

use std::collections::BTreeMap;
use std::io::IsTerminal as _;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;

pub const MIN_CHARS: usize = 12;
pub const GOOD_CHARS: usize = 16;
/// The name of the one audience of a site that declares none, in a passphrase file.
pub const EVERYONE: &str = "everyone";

/// How to find passphrases.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    /// `--passphrases FILE`.
    pub file: Option<PathBuf>,
    /// `--allow-weak-passphrase`.
    pub allow_weak: bool,
}

/// The environment variable of `audience` (`None`: the site has no audiences).
pub fn env_var(audience: Option<&str>) -> String {
    match audience {
        None => "LOCKGEN_PASSPHRASE".to_string(),
        Some(a) => format!("LOCKGEN_PASSPHRASE_{}", a.to_uppercase().replace('-', "_")),
    }
}

/// The passphrase file's entries, or why it cannot be used. `root`: the
/// site, which must not hold it (it would be published or committed).
pub fn read_file(path: &Path, root: &Path) -> Result<BTreeMap<String, String>, Diagnostic> {
    let shown = path.display().to_string();
    let at = |m: String| Diagnostic::error(shown.clone(), 0, 0, m);
    let file = path
        .canonicalize()
        .map_err(|e| at(format!("--passphrases: cannot read: {e}")))?;
    if let Ok(root) = root.canonicalize()
        && file.starts_with(&root)
    {
        return Err(
            at("--passphrases: the passphrase file is inside the site".to_string()).with_hint(
                "keep it outside the site's folder, where no build or commit picks it up",
            ),
        );
    }
    let text = std::fs::read_to_string(&file)
        .map_err(|e| at(format!("--passphrases: cannot read: {e}")))?;
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        let (line, col) = e
            .span()
            .map(|s| crate::diag::LineIndex::new(&text).position(&text, s.start))
            .unwrap_or((0, 0));
        Diagnostic::error(shown.clone(), line, col, "not a passphrase file (TOML)")
            .with_hint("write one line per audience: building-b = \"the passphrase\"")
    })?;
    let mut out = BTreeMap::new();
    for (name, value) in table {
        match value {
            toml::Value::String(s) => {
                out.insert(name, s);
            }
            _ => {
                return Err(at(format!("--passphrases: '{name}' is not a string"))
                    .with_hint("write: name = \"the passphrase\""));
            }
        }
    }
    Ok(out)
}

/// The passphrase of `audience`: the file's entry, else the environment
/// variable's, else typed at the terminal (`twice`: asked again to confirm).
pub fn find(
    audience: Option<&str>,
    file: Option<&BTreeMap<String, String>>,
    twice: bool,
) -> Result<String, Diagnostic> {
    let key = audience.unwrap_or(EVERYONE);
    if let Some(p) = file.and_then(|f| f.get(key)) {
        return Ok(p.clone());
    }
    let var = env_var(audience);
    if let Ok(p) = std::env::var(&var) {
        return Ok(p);
    }
    let who = match audience {
        Some(a) => format!("audience '{a}'"),
        None => "the handbook".to_string(),
    };
    if !std::io::stdin().is_terminal() {
        return Err(Diagnostic::error(
            var.clone(),
            0,
            0,
            format!("no passphrase for {who}, and no terminal to ask on"),
        )
        .with_hint(format!(
            "set {var}, or give --passphrases FILE with a line {key} = \"…\""
        )));
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt).map_err(|e| {
            Diagnostic::error(
                var.clone(),
                0,
                0,
                format!("cannot read the passphrase: {e}"),
            )
        })
    };
    let first = ask(&format!("passphrase for {who}: "))?;
    if twice && ask(&format!("passphrase for {who} again: "))? != first {
        return Err(Diagnostic::error(
            var.clone(),
            0,
            0,
            format!("the two passphrases typed for {who} differ"),
        )
        .with_hint("run the build again and type the same passphrase twice"));
    }
    Ok(first)
}

/// Errors and warnings about the passphrases of a build, (audience, passphrase) each.
pub fn judge(all: &[(Option<String>, String)], allow_weak: bool) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (i, (audience, p)) in all.iter().enumerate() {
        let var = env_var(audience.as_deref());
        let who = audience.as_deref().unwrap_or(EVERYONE);
        let chars = p.chars().count();
        if chars < MIN_CHARS && !allow_weak {
            diags.push(
                Diagnostic::error(
                    var.clone(),
                    0,
                    0,
                    format!("the passphrase of {who} has {chars} characters, fewer than {MIN_CHARS}"),
                )
                .with_hint(
                    "anyone with the files can try passphrases offline: use four or more random words (or --allow-weak-passphrase)",
                ),
            );
        } else if chars < GOOD_CHARS {
            diags.push(
                Diagnostic::warning(
                    var.clone(),
                    0,
                    0,
                    format!("the passphrase of {who} has {chars} characters: weak against offline guessing"),
                )
                .with_hint(format!("{GOOD_CHARS} or more characters, e.g. four random words")),
            );
        }
        if let Some((other, _)) = all[..i].iter().find(|(_, q)| q == p) {
            diags.push(
                Diagnostic::error(
                    var,
                    0,
                    0,
                    format!(
                        "audiences {} and {who} have the same passphrase",
                        other.as_deref().unwrap_or(EVERYONE)
                    ),
                )
                .with_hint("a passphrase opens one audience's pages: give each its own"),
            );
        }
    }
    diags
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_vars_follow_the_audience_name() {
        assert_eq!(env_var(None), "LOCKGEN_PASSPHRASE");
        assert_eq!(env_var(Some("building-b")), "LOCKGEN_PASSPHRASE_BUILDING_B");
    }

    #[test]
    fn short_and_shared_passphrases_are_refused() {
        let a = |n: &str, p: &str| (Some(n.to_string()), p.to_string());
        let d = judge(&[a("x", "short")], false);
        assert!(d[0].is_error(), "{d:?}");
        assert!(
            judge(&[a("x", "short")], true)
                .iter()
                .all(|d| !d.is_error())
        );
        let d = judge(&[a("x", "thirteen-char")], false);
        assert!(d.len() == 1 && !d[0].is_error(), "a warning: {d:?}");
        assert!(judge(&[a("x", "a long enough passphrase")], false).is_empty());
        let d = judge(
            &[
                a("x", "a long enough passphrase"),
                a("y", "a long enough passphrase"),
            ],
            false,
        );
        assert!(d.len() == 1 && d[0].is_error(), "{d:?}");
    }

    #[test]
    fn a_passphrase_file_inside_the_site_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join("pass.toml");
        std::fs::write(&file, "managers = \"correct horse battery\"\n").unwrap();
        let d = read_file(&file, tmp.path()).unwrap_err();
        assert!(d.message.contains("inside the site"), "{d}");
        let other = tempfile::tempdir().unwrap();
        let got = read_file(&file, other.path()).unwrap();
        assert_eq!(got["managers"], "correct horse battery");
    }
}
