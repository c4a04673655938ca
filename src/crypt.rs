//! Encrypted private builds (`build --private --encrypt`) and their reverse
//! (`lockgen decrypt`). The stage runs after `produce`, on finished and
//! audited files, in these steps:
//!
//! 1. `build`: each audience's plain scoped build, made in memory by the
//!    ordinary pipeline (`--private --audience NAME`, its sensitive filter
//!    and leak audit).
//! 2. `seal`: every distinct (path, bytes) of those builds is padded to a
//!    size bucket and encrypted once under its own random key; each
//!    audience's manifest (path → opaque file, key) is encrypted under that
//!    audience's random key, which is wrapped under the key derived from its
//!    passphrase (`derive`).
//! 3. `needles`: the ciphertext audit: no name or byte of the encrypted
//!    output may hold a title, brand, model, location, slug or private line.
//! 4. `open`: `lockgen decrypt`, what one passphrase can read, back as the
//!    plain build it came from.
//!
//! The primitives are RustCrypto's (AES-256-GCM, PBKDF2-HMAC-SHA256,
//! HMAC-SHA256) and the OS's randomness (`getrandom`); this module only
//! joins them. Formats are described in the README ("Encrypted private
//! builds") and read by `themes/default/static/crypt.js`.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

pub mod build;
pub mod needles;
pub mod open;
pub mod passphrase;
pub mod seal;
pub mod shell;

/// PBKDF2-HMAC-SHA256 rounds for every audience (OWASP's 2023 figure).
pub const ITERATIONS: u32 = 600_000;
/// The folder of the key file and the encrypted files.
pub const DIR: &str = "crypt";
/// The key file: salts, rounds, wrapped audience keys.
pub const KEYS: &str = "crypt/keys.js";
/// The format version written and read.
pub const VERSION: u32 = 1;

pub type Key = [u8; 32];

/// `N` random bytes from the operating system.
pub fn random<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("no randomness from the system: {e}"))?;
    Ok(b)
}

/// The key a passphrase gives with `salt`. (Through pbkdf2's non-generic
/// entry point, compiled in that crate, so debug builds run it optimized.)
pub fn derive(passphrase: &str, salt: &[u8], iterations: u32) -> Key {
    let mut key = [0u8; 32];
    let rounds = iterations.max(pbkdf2::Params::MIN_ROUNDS);
    let params = pbkdf2::Params::new_with_output_len(rounds, 32)
        .unwrap_or_else(|_| unreachable!("MIN_ROUNDS or more rounds and 32 bytes are valid"));
    pbkdf2::pbkdf2_hmac_with_params(
        passphrase.as_bytes(),
        salt,
        pbkdf2::Algorithm::Pbkdf2Sha256,
        params,
        &mut key,
    );
    key
}

/// `nonce ‖ ciphertext ‖ tag` of `msg` under `key`, bound to `aad`, with a fresh random nonce.
pub fn encrypt(key: &Key, msg: &[u8], aad: &[u8]) -> anyhow::Result<Vec<u8>> {
    let cipher = Aes256Gcm::new(&(*key).into());
    let nonce: [u8; 12] = random()?;
    let sealed = cipher
        .encrypt(&Nonce::from(nonce), Payload { msg, aad })
        .map_err(|_| anyhow::anyhow!("AES-GCM refused to encrypt"))?;
    let mut out = Vec::with_capacity(12 + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// The message of `nonce ‖ ciphertext ‖ tag`, or `None` when the key, the
/// `aad` or any byte is not the one it was sealed with.
pub fn decrypt(key: &Key, sealed: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    if sealed.len() < 12 + 16 {
        return None;
    }
    let (nonce, rest) = sealed.split_at(12);
    let nonce: [u8; 12] = nonce.try_into().ok()?;
    let cipher = Aes256Gcm::new(&(*key).into());
    cipher
        .decrypt(&Nonce::from(nonce), Payload { msg: rest, aad })
        .ok()
}

/// HMAC-SHA256 of `parts`, each length-prefixed, under `key`: opaque names.
pub fn keyed_hash(key: &Key, parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap_or_else(|_| {
        // HMAC takes a key of any length: this branch cannot run.
        unreachable!("HMAC-SHA256 accepts 32-byte keys")
    });
    for p in parts {
        mac.update(&(p.len() as u64).to_be_bytes());
        mac.update(p);
    }
    mac.finalize().into_bytes().into()
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

pub fn to_b64(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

pub fn from_b64(text: &str) -> Option<Vec<u8>> {
    B64.decode(text.trim()).ok()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The padded length of an `n`-byte file: the next multiple of a step that
/// is 1/16 of its size's power of two (at least 1 KiB), so an observer
/// learns a size bucket, not the size; at most 1 KiB or 1/16 more bytes.
pub fn bucket(n: usize) -> usize {
    let step = ((n + 1).next_power_of_two() / 16).max(1024);
    (n + 1).div_ceil(step) * step
}

/// `bytes`, then `0x80`, then zeros up to `bucket`.
pub fn pad(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bucket(bytes.len()));
    out.extend_from_slice(bytes);
    out.push(0x80);
    out.resize(bucket(bytes.len()), 0);
    out
}

/// What `pad` padded, or `None` when the padding is not `pad`'s.
pub fn unpad(mut bytes: Vec<u8>) -> Option<Vec<u8>> {
    let end = bytes.iter().rposition(|&b| b != 0)?;
    if bytes[end] != 0x80 {
        return None;
    }
    bytes.truncate(end);
    Some(bytes)
}

/// The associated data of a file's ciphertext: its path, so files cannot be swapped.
pub fn file_aad(rel: &str) -> Vec<u8> {
    format!("lockgen:file:v{VERSION}:{rel}").into_bytes()
}

/// The associated data of an audience's manifest, stored as file `id`.
pub fn manifest_aad(id: &str) -> Vec<u8> {
    format!("lockgen:manifest:v{VERSION}:{id}").into_bytes()
}

/// The associated data of a wrapped audience key.
pub const AUDIENCE_KEY_AAD: &[u8] = b"lockgen:audience-key:v1";

/// The text of an encrypted file `crypt/<id>.js`: a script call, so that
/// pages opened from `file://` can load it with a `<script>` tag.
pub fn file_script(id: &str, sealed: &[u8]) -> String {
    format!("lockgenFile(\"{id}\",\"{}\");\n", to_b64(sealed))
}

/// The id and sealed bytes of an encrypted file's text.
pub fn parse_file_script(text: &str) -> Option<(String, Vec<u8>)> {
    let inner = text.trim().strip_prefix("lockgenFile(\"")?;
    let inner = inner.strip_suffix(");")?.strip_suffix('"')?;
    let (id, data) = inner.split_once("\",\"")?;
    Some((id.to_string(), from_b64(data)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_bytes_open_only_with_their_key_and_path() {
        let key = [7u8; 32];
        let sealed = encrypt(&key, b"master code 4711", b"a").unwrap();
        assert_eq!(decrypt(&key, &sealed, b"a").unwrap(), b"master code 4711");
        assert!(decrypt(&key, &sealed, b"b").is_none(), "another path");
        assert!(decrypt(&[8u8; 32], &sealed, b"a").is_none(), "another key");
        for i in 0..sealed.len() {
            let mut t = sealed.clone();
            t[i] ^= 1;
            assert!(decrypt(&key, &t, b"a").is_none(), "byte {i} flipped");
        }
    }

    #[test]
    fn every_encryption_has_a_fresh_nonce() {
        let key = [1u8; 32];
        let a = encrypt(&key, b"same", b"").unwrap();
        let b = encrypt(&key, b"same", b"").unwrap();
        assert_ne!(a[..12], b[..12]);
    }

    #[test]
    fn padding_round_trips_into_buckets() {
        for n in [0, 1, 1023, 1024, 5000, 70_000, 1_000_000] {
            let bytes: Vec<u8> = (0..n).map(|i| (i % 251) as u8).collect();
            let padded = pad(&bytes);
            assert_eq!(padded.len(), bucket(n));
            assert!(padded.len() > n && padded.len() <= n + 1 + (n / 16).max(1024));
            assert_eq!(unpad(padded).unwrap(), bytes);
        }
        assert_eq!(bucket(10), bucket(900), "small files share a bucket");
        assert!(unpad(vec![1, 2, 0]).is_none());
    }

    #[test]
    fn pbkdf2_matches_the_published_vector() {
        // The pbkdf2 crate's documented vector: "password", "salt", 600,000 rounds.
        let key = derive("password", b"salt", ITERATIONS);
        assert_eq!(
            hex(&key),
            "669cfe52482116fda1aa2cbe409b2f56c8e4563752b7a28f6eaab614ee005178"
        );
    }

    #[test]
    fn file_scripts_parse_back() {
        let text = file_script("ab12", &[0, 1, 2, 255]);
        assert_eq!(
            parse_file_script(&text),
            Some(("ab12".to_string(), vec![0, 1, 2, 255]))
        );
        assert!(parse_file_script("alert(1)").is_none());
    }
}
