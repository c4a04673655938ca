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

/// A YAML boolean and nothing else: plain `true` or `false` (YAML 1.2 also
/// spells them `True`, `TRUE`, `False`, `FALSE`), or a value tagged `!!bool`.
///
/// `bool`'s own deserializer reads the scalar's text whatever its quoting, so
/// `"true"` and `'false'` passed as booleans; reading the value untyped keeps
/// quoted text as text. With YAML 1.2 booleans (`strict_booleans`), `yes`,
/// `no`, `on` and `off` are text too. A sensitive flag is never guessed.
pub fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    d.deserialize_any(Boolean)
}

struct Boolean;

impl Boolean {
    fn found<E: Error>(what: impl std::fmt::Display) -> E {
        E::custom(format!("expected a boolean (true or false), found {what}"))
    }
}

impl<'de> serde::de::Visitor<'de> for Boolean {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a boolean (true or false)")
    }

    fn visit_bool<E: Error>(self, v: bool) -> Result<bool, E> {
        Ok(v)
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<bool, E> {
        Err(Self::found(format_args!("the text {v:?}")))
    }

    fn visit_i64<E: Error>(self, v: i64) -> Result<bool, E> {
        Err(Self::found(format_args!("the number {v}")))
    }

    fn visit_u64<E: Error>(self, v: u64) -> Result<bool, E> {
        Err(Self::found(format_args!("the number {v}")))
    }

    fn visit_f64<E: Error>(self, v: f64) -> Result<bool, E> {
        Err(Self::found(format_args!("the number {v}")))
    }

    fn visit_unit<E: Error>(self) -> Result<bool, E> {
        Err(Self::found("an empty value"))
    }

    fn visit_none<E: Error>(self) -> Result<bool, E> {
        Err(Self::found("an empty value"))
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, _: A) -> Result<bool, A::Error> {
        Err(Self::found("a list"))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, _: A) -> Result<bool, A::Error> {
        Err(Self::found("a mapping"))
    }
}
