//! Slugs for URLs and heading ids.

/// Lowercase letters and digits; spaces, `-`, `_`, `/` and `.` become one `-`; other punctuation is dropped.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || matches!(c, '-' | '_' | '/' | '.' | '–' | '—') {
            dash = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs() {
        assert_eq!(
            slugify("Safes and filing cabinets"),
            "safes-and-filing-cabinets"
        );
        assert_eq!(slugify("What's a reset?"), "whats-a-reset");
        assert_eq!(slugify("  Acme  Locks / D-100 "), "acme-locks-d-100");
        assert_eq!(slugify("Ünïcode Straße"), "ünïcode-straße");
        assert_eq!(slugify("!!!"), "");
    }
}
