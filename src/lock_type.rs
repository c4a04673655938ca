//! Lock types in words: the one table of known `lock_type` values and the
//! labels pages show for them (`electronic-deadbolt` → "Electronic deadbolt").
//!
//! A type is grouped by its slug (`Smart lock`, `smart-lock` and `smart_lock`
//! are one type). A known slug takes its label from `KNOWN`; an unknown type
//! written like a slug (`rim-lock`) is humanised ("Rim lock"), and one written
//! in words (`RFID reader`) is shown as written.

use crate::slug::slugify;

/// Known lock types (slug, label), in the order the README lists them.
pub const KNOWN: &[(&str, &str)] = &[
    ("electronic-deadbolt", "Electronic deadbolt"),
    ("keypad", "Keypad"),
    ("smart-lock", "Smart lock"),
    ("biometric", "Biometric"),
    ("safe", "Safe"),
    ("cabinet", "Cabinet lock"),
];

/// The label of the lock type written `written`.
pub fn label(written: &str) -> String {
    let written = written.trim();
    let slug = slugify(written);
    if let Some((_, label)) = KNOWN.iter().find(|(s, _)| *s == slug) {
        return label.to_string();
    }
    let slug_like = written
        .chars()
        .all(|c| c.is_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_'));
    if !slug_like {
        return written.to_string();
    }
    let words = written.replace(['-', '_'], " ");
    let words = words.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_types_take_their_label_however_written() {
        assert_eq!(label("electronic-deadbolt"), "Electronic deadbolt");
        assert_eq!(label("Smart lock"), "Smart lock");
        assert_eq!(label(" smart_lock "), "Smart lock");
        assert_eq!(label("cabinet"), "Cabinet lock");
    }

    #[test]
    fn unknown_slugs_are_humanised_and_words_kept() {
        assert_eq!(label("rim-lock"), "Rim lock");
        assert_eq!(label("card_reader--v2"), "Card reader v2");
        assert_eq!(label("RFID reader"), "RFID reader");
        assert_eq!(label("ünïcode-lock"), "Ünïcode lock");
        assert_eq!(label(""), "");
    }
}
