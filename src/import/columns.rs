//! Which field each column of a spreadsheet fills: by its header,
//! case-insensitively, with the common synonyms, or as `--map` says.

use crate::diag::did_you_mean;

/// What a column fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    File,
    Title,
    Brand,
    Model,
    LockType,
    Location,
    Serial,
    Firmware,
    Installed,
    LastVerified,
    EstimatedTime,
    Tools,
    Warnings,
    Contacts,
    Manual,
    Sensitive,
    Audiences,
    Slug,
    Description,
    Revisions,
    Extra,
    Body,
    /// A numbered list in the body, one step a line (or `;`-separated).
    Steps,
    /// A paragraph in the body, after the steps.
    Notes,
    /// Read and dropped (`--map 'Colour=ignore'`).
    Ignore,
}

/// Every field by name (for `--map`) and the header spellings that mean it,
/// written as `normalize` leaves them.
const NAMES: &[(Field, &str, &[&str])] = &[
    (Field::File, "file", &["file", "path"]),
    (
        Field::Title,
        "title",
        &["title", "name", "door", "lock name"],
    ),
    (
        Field::Brand,
        "brand",
        &["brand", "manufacturer", "make", "maker", "vendor"],
    ),
    (
        Field::Model,
        "model",
        &["model", "model number", "model no", "model nr"],
    ),
    (Field::LockType, "lock_type", &["lock type", "type", "kind"]),
    (
        Field::Location,
        "location",
        &["location", "room", "site", "area", "place"],
    ),
    (
        Field::Serial,
        "serial",
        &["serial", "serial number", "serial no", "s n", "sn"],
    ),
    (
        Field::Firmware,
        "firmware",
        &["firmware", "firmware version", "fw"],
    ),
    (
        Field::Installed,
        "installed",
        &[
            "installed",
            "installation date",
            "install date",
            "installed on",
            "date installed",
        ],
    ),
    (
        Field::LastVerified,
        "last_verified",
        &[
            "last verified",
            "verified",
            "last verified on",
            "verified on",
            "date verified",
            "last checked",
        ],
    ),
    (
        Field::EstimatedTime,
        "estimated_time",
        &["estimated time", "time", "duration"],
    ),
    (Field::Tools, "tools", &["tools", "tools needed", "tool"]),
    (
        Field::Warnings,
        "warnings",
        &["warnings", "warning", "safety", "safety notes", "cautions"],
    ),
    (
        Field::Contacts,
        "contacts",
        &["contacts", "contact", "key contact", "key contacts"],
    ),
    (
        Field::Manual,
        "manual",
        &["manual", "manual url", "manual link"],
    ),
    (
        Field::Sensitive,
        "sensitive",
        &["sensitive", "private", "confidential"],
    ),
    (
        Field::Audiences,
        "audiences",
        &["audiences", "audience", "readers"],
    ),
    (Field::Slug, "slug", &["slug"]),
    (
        Field::Description,
        "description",
        &["description", "summary"],
    ),
    (
        Field::Revisions,
        "revisions",
        &["revisions", "revision history"],
    ),
    (Field::Extra, "extra", &["extra"]),
    (Field::Body, "body", &["body"]),
    (
        Field::Steps,
        "steps",
        &[
            "steps",
            "procedure",
            "reset procedure",
            "reset steps",
            "procedure steps",
            "instructions",
        ],
    ),
    (
        Field::Notes,
        "notes",
        &["notes", "note", "comments", "remarks"],
    ),
    (Field::Ignore, "ignore", &[]),
];

/// The field names `--map` takes.
pub fn field_names() -> Vec<&'static str> {
    NAMES.iter().map(|(_, n, _)| *n).collect()
}

/// A header as compared: lower-cased, every run of other characters than
/// letters and digits one space (`Model No.` → `model no`, `last_verified`
/// → `last verified`).
pub fn normalize(header: &str) -> String {
    let lower = header.trim_start_matches('\u{feff}').to_lowercase();
    lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a `--map` names.
pub fn by_name(name: &str) -> Option<Field> {
    let name = name.trim().to_lowercase();
    NAMES
        .iter()
        .find(|(_, n, _)| *n == name)
        .map(|(f, _, _)| *f)
}

/// One `--map 'Column Header=field'`: the normalized header and its field.
pub fn parse_map(arg: &str) -> Result<(String, Field), String> {
    let (header, field) = arg
        .rsplit_once('=')
        .ok_or_else(|| format!("--map '{arg}': write it 'Column Header=field'"))?;
    let field = by_name(field).ok_or_else(|| {
        let names = field_names();
        let close = did_you_mean(field.trim(), &names)
            .map_or(String::new(), |n| format!(" (did you mean '{n}'?)"));
        format!(
            "--map '{arg}': unknown field '{}'{close}; fields: {}",
            field.trim(),
            names.join(", ")
        )
    })?;
    Ok((normalize(header), field))
}

/// What a header means: `Ok(field)`, or `Err` with the nearest known header
/// if one is close (`Sensitve`: a typo that must not pass silently).
pub fn field_of(header: &str, maps: &[(String, Field)]) -> Result<Field, Option<&'static str>> {
    let norm = normalize(header);
    if let Some((_, f)) = maps.iter().find(|(h, _)| *h == norm) {
        return Ok(*f);
    }
    if let Some((f, _, _)) = NAMES
        .iter()
        .find(|(_, _, syn)| syn.contains(&norm.as_str()))
    {
        return Ok(*f);
    }
    let all: Vec<&'static str> = NAMES
        .iter()
        .flat_map(|(_, _, s)| s.iter().copied())
        .collect();
    Err(did_you_mean(&norm, &all).filter(|_| norm.len() > 3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_case_insensitively_with_synonyms() {
        let none = [];
        for (header, field) in [
            ("Manufacturer", Field::Brand),
            ("\u{feff}MAKE", Field::Brand),
            ("Model No.", Field::Model),
            ("Model number", Field::Model),
            ("Room", Field::Location),
            ("Lock type", Field::LockType),
            ("Reset procedure", Field::Steps),
            ("Last verified", Field::LastVerified),
            ("last_verified", Field::LastVerified),
            ("Installation date", Field::Installed),
            ("Estimated time", Field::EstimatedTime),
            ("Safety", Field::Warnings),
            ("Confidential", Field::Sensitive),
            ("Key contact", Field::Contacts),
            ("Serial number", Field::Serial),
        ] {
            assert_eq!(field_of(header, &none), Ok(field), "{header}");
        }
        assert_eq!(field_of("Sensitve", &none), Err(Some("sensitive")));
        assert_eq!(field_of("Colour", &none), Err(None));
        let maps = [parse_map("Colour=notes").unwrap()];
        assert_eq!(field_of("colour", &maps), Ok(Field::Notes));
    }

    #[test]
    fn a_bad_map_says_what_fields_there_are() {
        assert!(parse_map("Colour").is_err());
        let e = parse_map("Colour=lokation").unwrap_err();
        assert!(e.contains("did you mean 'location'"), "{e}");
        assert_eq!(
            parse_map("A = B=ignore").unwrap(),
            ("a b".into(), Field::Ignore)
        );
    }
}
