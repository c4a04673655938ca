//! Location paths: `Building B / Floor 2 / Bin store`, parts separated by `/`.

/// The places of a location path, general to specific, as the location
/// tree (`/locations/`) keys them: each part (`nav::location_parts`) by its
/// slug, so `Floor 2`, `floor 2` and `floor-2` are one place; parts with no
/// letters or digits dropped.
pub fn parts(location: &str) -> Vec<String> {
    crate::nav::location_parts(location)
        .map(crate::slug::slugify)
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
    fn places_are_the_slugs_of_the_parts() {
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
