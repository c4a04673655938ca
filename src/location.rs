//! Location paths: `Building B / Floor 2 / Bin store`, parts separated by `/`.

/// The parts of a location path, each trimmed, its inner white space one
/// space, lowercased (places are compared as a reader would name them); empty
/// parts dropped.
pub fn parts(location: &str) -> Vec<String> {
    location
        .split('/')
        .map(|p| {
            p.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether the place `parts` is `under` or inside it.
pub fn is_under(parts: &[String], under: &[String]) -> bool {
    !under.is_empty() && parts.starts_with(under)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_trimmed_collapsed_and_lowercased() {
        assert_eq!(parts(" Building  B /Floor 2// "), ["building-b", "floor-2"]);
        assert_eq!(parts("building-b / floor 2"), parts("Building B/Floor 2"));
        assert!(parts(" / ?? ").is_empty());
    }

    #[test]
    fn a_place_is_under_itself_and_its_ancestors_only() {
        let p = parts("A / B / C");
        assert!(is_under(&p, &parts("A")));
        assert!(is_under(&p, &parts("a/b/c")));
        assert!(!is_under(&p, &parts("A / C")));
        assert!(!is_under(&p, &[]));
    }
}
