//! `lockgen decrypt`: what one passphrase opens in an encrypted build, as
//! the plain files of the audience's build. The passphrase is tried against
//! every audience's slot of the key file; every file is checked (AES-GCM's
//! tag, its path as associated data), and any that fails is an error: a
//! changed byte, a swapped file, a missing file.

use std::path::Path;

use rayon::prelude::*;

use super::seal::{Keys, Manifest};
use super::{
    ITERATIONS, Key, decrypt, derive, file_aad, from_b64, manifest_aad, parse_file_script,
};
use crate::diag::Diagnostic;

/// The plain build one passphrase opens.
pub struct Opened {
    pub audience: Option<String>,
    /// (path, bytes), sorted by path.
    pub files: Vec<(String, Vec<u8>)>,
}

/// `dir`'s files opened with `passphrase`; `want`: the audience the caller
/// expects (`--audience`), an error if the passphrase opens another.
pub fn open(dir: &Path, passphrase: &str, want: Option<&str>) -> Result<Opened, Vec<Diagnostic>> {
    let shown = |rel: &str| format!("{}/{rel}", dir.display());
    let keys = read_keys(dir).map_err(|m| {
        vec![
            Diagnostic::error(shown(super::KEYS), 0, 0, m)
                .with_hint("give the folder that `lockgen build --private --encrypt` wrote"),
        ]
    })?;
    let manifest = keys
        .audiences
        .par_iter()
        .find_map_any(|slot| unlock(dir, &keys, slot, passphrase))
        .ok_or_else(|| {
            vec![
                Diagnostic::error(
                    shown(super::KEYS),
                    0,
                    0,
                    "the passphrase opens no audience of this build",
                )
                .with_hint(
                    "check the passphrase (and which audience's it is); nothing was written",
                ),
            ]
        })?
        .map_err(|(file, m)| {
            vec![
                Diagnostic::error(shown(&file), 0, 0, m)
                    .with_hint("the build was tampered with or damaged; nothing was written"),
            ]
        })?;
    if let Some(w) = want
        && manifest.audience.as_deref() != Some(w)
    {
        return Err(vec![Diagnostic::error(
            shown(super::KEYS),
            0,
            0,
            format!(
                "the passphrase opens audience '{}', not '{w}'",
                manifest
                    .audience
                    .as_deref()
                    .unwrap_or(super::passphrase::EVERYONE)
            ),
        )]);
    }
    if let Some(bad) = manifest
        .files
        .keys()
        .chain(&manifest.clear)
        .find(|r| !safe_rel(r))
    {
        return Err(vec![
            Diagnostic::error(
                shown(super::KEYS),
                0,
                0,
                format!("the manifest names a path outside the build: '{bad}'"),
            )
            .with_hint("this folder was not made by lockgen; nothing was written"),
        ]);
    }
    let mut results: Vec<Result<(String, Vec<u8>), Diagnostic>> = manifest
        .files
        .par_iter()
        .map(|(rel, (id, key))| {
            let file = format!("{}/{id}.js", super::DIR);
            let bad = |m: &str| Diagnostic::error(shown(&file), 0, 0, format!("{rel}: {m}"));
            let key: Key = from_b64(key)
                .and_then(|k| k.try_into().ok())
                .ok_or_else(|| bad("the manifest's key is malformed"))?;
            let sealed = read_sealed(dir, id).map_err(|m| bad(&m))?;
            let plain = decrypt(&key, &sealed, &file_aad(rel))
                .and_then(super::unpad)
                .ok_or_else(|| {
                    bad("does not decrypt: the file was changed, or swapped with another")
                        .with_hint("the build was tampered with or damaged; nothing was written")
                })?;
            Ok((rel.clone(), plain))
        })
        .collect();
    results.extend(manifest.clear.iter().map(|rel| {
        std::fs::read(dir.join(rel))
            .map(|b| (rel.clone(), b))
            .map_err(|e| Diagnostic::error(shown(rel), 0, 0, format!("cannot read: {e}")))
    }));
    let (ok, errors): (Vec<_>, Vec<_>) = results.into_iter().partition(Result::is_ok);
    if !errors.is_empty() {
        return Err(errors.into_iter().filter_map(Result::err).collect());
    }
    let mut files: Vec<(String, Vec<u8>)> = ok.into_iter().filter_map(Result::ok).collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(Opened {
        audience: manifest.audience,
        files,
    })
}

/// Whether `rel` is a plain relative path that stays inside the output (no `..`, no root).
fn safe_rel(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains('\\')
        && !rel.contains('\0')
        && rel
            .split('/')
            .all(|c| !c.is_empty() && c != "." && c != "..")
}

/// The key file's JSON.
fn read_keys(dir: &Path) -> Result<Keys, String> {
    let text =
        std::fs::read_to_string(dir.join(super::KEYS)).map_err(|e| format!("cannot read: {e}"))?;
    let json = text
        .trim()
        .strip_prefix("lockgenKeys(")
        .and_then(|t| t.strip_suffix(");"))
        .ok_or("not a lockgen key file")?;
    let keys: Keys =
        serde_json::from_str(json).map_err(|e| format!("not a lockgen key file: {e}"))?;
    if keys.v != super::VERSION || keys.kdf != "PBKDF2-HMAC-SHA256" || keys.iterations < ITERATIONS
    {
        return Err(format!(
            "a key file of version {} with {} × {}, which this lockgen does not read",
            keys.v, keys.iterations, keys.kdf
        ));
    }
    Ok(keys)
}

/// The bytes of `crypt/<id>.js`, checked to be the file of that id.
fn read_sealed(dir: &Path, id: &str) -> Result<Vec<u8>, String> {
    if !id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("the manifest names a malformed file".to_string());
    }
    let text = std::fs::read_to_string(dir.join(super::DIR).join(format!("{id}.js")))
        .map_err(|e| format!("cannot read: {e}"))?;
    match parse_file_script(&text) {
        Some((found, sealed)) if found == id => Ok(sealed),
        Some(_) => Err("holds another file's ciphertext (swapped)".to_string()),
        None => Err("is not an encrypted lockgen file".to_string()),
    }
}

/// `None` if `passphrase` is not the audience's of `slot`; else its
/// manifest, or (file, why) it cannot be read.
fn unlock(
    dir: &Path,
    keys: &Keys,
    slot: &super::seal::Slot,
    passphrase: &str,
) -> Option<Result<Manifest, (String, String)>> {
    let salt = from_b64(&slot.salt)?;
    let kek = derive(passphrase, &salt, keys.iterations);
    let audience_key: Key = decrypt(&kek, &from_b64(&slot.key)?, super::AUDIENCE_KEY_AAD)?
        .try_into()
        .ok()?;
    let file = format!("{}/{}.js", super::DIR, slot.manifest);
    let manifest = read_sealed(dir, &slot.manifest).and_then(|sealed| {
        let json = decrypt(&audience_key, &sealed, &manifest_aad(&slot.manifest))
            .and_then(super::unpad)
            .ok_or("the audience's manifest does not decrypt: the file was changed or swapped")?;
        serde_json::from_slice(&json)
            .map_err(|e| format!("the audience's manifest is malformed: {e}"))
    });
    Some(manifest.map_err(|m| (file, m)))
}

/// `lockgen decrypt DIR --out OUT`: opens `dir` and writes what it opens to
/// `out`, atomically; the audience opened and the number of files.
pub fn decrypt_to(
    dir: &Path,
    out: &Path,
    passphrase: &str,
    want: Option<&str>,
) -> Result<(Option<String>, usize), crate::pipeline::Failure> {
    use crate::pipeline::Failure;
    if crate::pipeline::overlaps(dir, out) {
        return Err(vec![Diagnostic::error(
            "--out",
            0,
            0,
            "the plain copy must not be the encrypted folder, inside it, or around it",
        )]
        .into());
    }
    crate::output::check_destination(dir, out).map_err(Failure::Io)?;
    let opened = open(dir, passphrase, want)?;
    let staging = crate::output::Staging::new(out).map_err(Failure::Io)?;
    for (rel, bytes) in &opened.files {
        let o = crate::render::Output {
            rel_path: rel.clone(),
            bytes: bytes.clone(),
        };
        staging.write(&o).map_err(Failure::Io)?;
    }
    if let Some(old) = staging.commit().map_err(Failure::Io)? {
        let _ = std::fs::remove_dir_all(old);
    }
    Ok((opened.audience, opened.files.len()))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::sync::Arc;

    use super::super::seal::Sealer;
    use super::*;

    fn files(list: &[(&str, &str)]) -> Vec<(String, Arc<[u8]>)> {
        list.iter()
            .map(|(p, t)| (p.to_string(), Arc::from(t.as_bytes())))
            .collect()
    }

    /// Audiences a and b share a page and a theme file; each has one of its own.
    fn sealed_site(dir: &Path) {
        let clear: BTreeSet<String> = ["style.css".to_string()].into();
        let mut sealer = Sealer::new(clear, "/").unwrap();
        let mut outs = Vec::new();
        for (name, secret, own) in [
            ("a", "passphrase of audience a", "a/index.html"),
            ("b", "passphrase of audience b", "b/index.html"),
        ] {
            let list = [
                ("style.css", "body{}"),
                ("shared/index.html", "SHARED"),
                (own, "OWN"),
            ];
            let salt = super::super::random::<16>().unwrap();
            outs.extend(
                sealer
                    .add(
                        Some(name.to_string()),
                        secret,
                        salt,
                        ITERATIONS,
                        files(&list),
                    )
                    .unwrap(),
            );
        }
        outs.push(sealer.finish(ITERATIONS).unwrap());
        for o in outs {
            let path = dir.join(&o.rel_path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, o.bytes).unwrap();
        }
    }

    #[test]
    fn an_audience_holds_no_key_of_a_page_it_does_not_read() {
        let tmp = tempfile::tempdir().unwrap();
        sealed_site(tmp.path());
        let keys = read_keys(tmp.path()).unwrap();
        assert_eq!(keys.audiences.len(), 2);
        let manifests: Vec<Manifest> = keys
            .audiences
            .iter()
            .filter_map(|s| unlock(tmp.path(), &keys, s, "passphrase of audience a"))
            .map(Result::unwrap)
            .collect();
        assert_eq!(manifests.len(), 1, "a's passphrase opens one slot");
        let a = &manifests[0];
        assert_eq!(a.audience.as_deref(), Some("a"));
        assert!(a.files.contains_key("a/index.html") && !a.files.contains_key("b/index.html"));
        assert!(a.clear.contains("style.css"));
        let b = open(tmp.path(), "passphrase of audience b", None).unwrap();
        let b_paths: Vec<&str> = b.files.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(b_paths, ["b/index.html", "shared/index.html", "style.css"]);
        // The shared page is sealed once: both manifests name the same file and key.
        let b_manifest = keys
            .audiences
            .iter()
            .find_map(|s| unlock(tmp.path(), &keys, s, "passphrase of audience b"))
            .unwrap()
            .unwrap();
        assert_eq!(
            a.files["shared/index.html"],
            b_manifest.files["shared/index.html"]
        );
        // No key of b's own page is anywhere in what a opens.
        let (_, b_key) = &b_manifest.files["b/index.html"];
        assert!(!serde_json::to_string(a).unwrap().contains(b_key.as_str()));
    }

    #[test]
    fn paths_that_leave_the_output_are_refused() {
        for bad in ["", "/etc/x", "../x", "a/../../x", "a//b", "a\\b", "./a"] {
            assert!(!safe_rel(bad), "{bad}");
        }
        assert!(safe_rel("locks/a/b/index.html"));
    }
}
