//! Value types the YAML library reads more loosely than lockgen does.

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, de::Error};

/// A date exactly as `YYYY-MM-DD` (the YAML and date libraries accept more).
pub fn parse_date(s: &str) -> Result<Date, String> {
    let b = s.as_bytes();
    let shaped = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!("'{s}' is not a date written YYYY-MM-DD"));
    }
    s.parse::<Date>()
        .map_err(|e| format!("'{s}' is not a valid date: {e}"))
}

pub fn date<'de, D: Deserializer<'de>>(d: D) -> Result<Date, D::Error> {
    let s = String::deserialize(d)?;
    parse_date(&s).map_err(D::Error::custom)
}

pub fn optional_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    match Option::<String>::deserialize(d)? {
        Some(s) => parse_date(&s).map(Some).map_err(D::Error::custom),
        None => Ok(None),
    }
}
