//! The encryption stage: audiences' finished plain files → encrypted files.
//!
//! Each distinct (path, bytes) across the audiences is padded and encrypted
//! ONCE under a random file key, as `crypt/<id>.js`, `id` a keyed hash of
//! path and bytes under a random per-build secret that is never stored. An
//! audience's manifest (path → id and file key, for exactly the files of its
//! build) is encrypted under a random audience key; the key file
//! `crypt/keys.js` holds, per audience, a random salt and that audience key
//! wrapped under PBKDF2(passphrase, salt). The theme's own files (no
//! content) stay in clear when every audience has the same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::{Key, file_aad, file_script, hex, keyed_hash, manifest_aad, random, sha256};
use crate::render::Output;

/// What one passphrase opens: the plain build of one audience.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Manifest {
    pub v: u32,
    /// The audience's name; `None` for the one audience of a site without audiences.
    pub audience: Option<String>,
    /// The site's base path (`/`, `/handbook/`): pages link to `<base>path`.
    pub base: String,
    /// Path in the plain build → (id of its encrypted file, its key in base64).
    pub files: BTreeMap<String, (String, String)>,
    /// Paths of the plain build that are stored in clear, under the same path.
    pub clear: BTreeSet<String>,
}

/// One audience's entry in the key file.
#[derive(Debug, Serialize, Deserialize)]
pub struct Slot {
    /// Base64 of the 16-byte PBKDF2 salt.
    pub salt: String,
    /// Base64 of the audience key, sealed under the passphrase's key.
    pub key: String,
    /// Id of the audience's encrypted manifest.
    pub manifest: String,
}

/// The key file's JSON.
#[derive(Debug, Serialize, Deserialize)]
pub struct Keys {
    pub v: u32,
    pub kdf: String,
    pub iterations: u32,
    /// Sorted by salt, so their order says nothing of the audiences' names.
    pub audiences: Vec<Slot>,
}

/// The stage's state across audiences.
pub struct Sealer {
    secret: Key,
    /// (path, SHA-256 of bytes) → (id, file key): what is sealed already.
    sealed: FxHashMap<(String, [u8; 32]), (String, Key)>,
    /// Theme files in clear, with the bytes the first audience had.
    clear: BTreeMap<String, Option<Arc<[u8]>>>,
    base: String,
    slots: Vec<Slot>,
}

impl Sealer {
    /// `clear`: the paths that may stay in clear (the theme's files).
    pub fn new(clear: BTreeSet<String>, base: &str) -> anyhow::Result<Sealer> {
        Ok(Sealer {
            secret: random()?,
            sealed: FxHashMap::default(),
            clear: clear.into_iter().map(|p| (p, None)).collect(),
            base: base.to_string(),
            slots: Vec::new(),
        })
    }

    /// Seals one audience's build: the encrypted files not sealed for an
    /// earlier audience, and its encrypted manifest, returned to publish;
    /// its slot is kept for the key file. Clear files come back as they are
    /// the first time.
    pub fn add(
        &mut self,
        audience: Option<String>,
        passphrase: &str,
        salt: [u8; 16],
        iterations: u32,
        files: Vec<(String, Arc<[u8]>)>,
    ) -> anyhow::Result<Vec<Output>> {
        let mut out = Vec::new();
        let mut manifest = Manifest {
            v: super::VERSION,
            audience,
            base: self.base.clone(),
            files: BTreeMap::new(),
            clear: BTreeSet::new(),
        };
        let mut fresh = Vec::new();
        for (rel, bytes) in files {
            if let Some(first) = self.clear.get_mut(&rel) {
                let first = first.get_or_insert_with(|| {
                    out.push(Output {
                        rel_path: rel.clone(),
                        bytes: bytes.to_vec(),
                    });
                    bytes.clone()
                });
                if **first == *bytes {
                    manifest.clear.insert(rel);
                    continue;
                }
            }
            let digest = sha256(&bytes);
            let (id, key) = match self.sealed.get(&(rel.clone(), digest)) {
                Some(known) => known.clone(),
                None => {
                    let id = hex(&keyed_hash(&self.secret, &[rel.as_bytes(), &digest])[..16]);
                    let key: Key = random()?;
                    self.sealed.insert((rel.clone(), digest), (id.clone(), key));
                    fresh.push((rel.clone(), id.clone(), key, bytes));
                    (id, key)
                }
            };
            manifest.files.insert(rel, (id, super::to_b64(&key)));
        }
        let sealed: anyhow::Result<Vec<Output>> = fresh
            .into_par_iter()
            .map(|(rel, id, key, bytes)| {
                let sealed = super::encrypt(&key, &super::pad(&bytes), &file_aad(&rel))?;
                Ok(Output {
                    rel_path: format!("{}/{id}.js", super::DIR),
                    bytes: file_script(&id, &sealed).into_bytes(),
                })
            })
            .collect();
        out.extend(sealed?);
        out.push(self.seal_manifest(&manifest, passphrase, salt, iterations)?);
        Ok(out)
    }

    /// The audience's manifest under a fresh audience key, and its slot.
    fn seal_manifest(
        &mut self,
        manifest: &Manifest,
        passphrase: &str,
        salt: [u8; 16],
        iterations: u32,
    ) -> anyhow::Result<Output> {
        let audience_key: Key = random()?;
        let id = hex(&random::<16>()?);
        let json = serde_json::to_vec(manifest)?;
        let sealed = super::encrypt(&audience_key, &super::pad(&json), &manifest_aad(&id))?;
        let kek = super::derive(passphrase, &salt, iterations);
        let wrapped = super::encrypt(&kek, &audience_key, super::AUDIENCE_KEY_AAD)?;
        self.slots.push(Slot {
            salt: super::to_b64(&salt),
            key: super::to_b64(&wrapped),
            manifest: id.clone(),
        });
        Ok(Output {
            rel_path: format!("{}/{id}.js", super::DIR),
            bytes: file_script(&id, &sealed).into_bytes(),
        })
    }

    /// The key file, `crypt/keys.js`.
    pub fn finish(mut self, iterations: u32) -> anyhow::Result<Output> {
        self.slots.sort_by(|a, b| a.salt.cmp(&b.salt));
        let keys = Keys {
            v: super::VERSION,
            kdf: "PBKDF2-HMAC-SHA256".to_string(),
            iterations,
            audiences: self.slots,
        };
        Ok(Output {
            rel_path: super::KEYS.to_string(),
            bytes: format!("lockgenKeys({});\n", serde_json::to_string(&keys)?).into_bytes(),
        })
    }
}
