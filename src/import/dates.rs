//! Dates as spreadsheets write them, read into `YYYY-MM-DD`.
//!
//! Without `--date-format`: ISO (`2026-01-31`, also with `/` or `.`, and
//! with a time after it), `31.01.2026` (dots: day first), `31/01/2026` or
//! `01/31/2026` when the day is over 12 (else ambiguous: an error asking for
//! `--date-format`), month names (`31 Jan 2026`, `Jan 31, 2026`,
//! `31-Jan-26`), and Excel's day numbers (`46053`). With `--date-format`
//! (`DD/MM/YYYY`, `MM-DD-YY`, `D.M.YYYY`, …) numeric dates are read in that
//! order; ISO dates are still read as ISO.

use jiff::civil::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Day,
    Month,
    Year,
}

/// The order `--date-format` gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Format {
    order: [Part; 3],
}

impl Format {
    pub fn parse(f: &str) -> Result<Format, String> {
        let upper = f.to_ascii_uppercase();
        let mut order = Vec::new();
        for token in upper
            .split(|c: char| !c.is_ascii_alphabetic())
            .filter(|t| !t.is_empty())
        {
            order.push(match token {
                "D" | "DD" => Part::Day,
                "M" | "MM" => Part::Month,
                "YY" | "YYYY" => Part::Year,
                _ => {
                    return Err(format!(
                        "--date-format '{f}': '{token}' is not DD, MM, YY or YYYY"
                    ));
                }
            });
        }
        let has = |p| order.iter().filter(|&&q| q == p).count() == 1;
        match order[..] {
            [a, b, c] if has(Part::Day) && has(Part::Month) && has(Part::Year) => {
                Ok(Format { order: [a, b, c] })
            }
            _ => Err(format!(
                "--date-format '{f}': give the day, month and year once each, e.g. DD/MM/YYYY"
            )),
        }
    }
}

/// The date a cell holds.
pub fn parse(cell: &str, format: Option<&Format>) -> Result<Date, String> {
    let s = cell.trim();
    // A time after the date (`2026-01-31 00:00:00`, `2026-01-31T09:00`).
    let s = match s.split_once([' ', 'T']) {
        Some((date, time)) if time.contains(':') => date,
        _ => s,
    };
    if let Some(d) = month_named(s) {
        return d;
    }
    let nums: Vec<&str> = s
        .split(['-', '/', '.', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    if nums.iter().any(|n| !n.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("'{cell}' is not a date"));
    }
    match nums[..] {
        [serial] => excel_day(serial, cell),
        [y, m, d] if y.len() == 4 => ymd(y, m, d, cell),
        [a, b, y] => match format {
            Some(f) => by_format(f, [a, b, y], cell),
            None if s.contains('.') => ymd(y, b, a, cell),
            None => guess(a, b, y, cell),
        },
        _ => Err(format!("'{cell}' is not a date")),
    }
}

fn num(s: &str) -> i64 {
    s.parse().unwrap_or(-1)
}

fn year(s: &str) -> i64 {
    let y = num(s);
    match s.len() {
        2 if y < 70 => 2000 + y,
        2 => 1900 + y,
        _ => y,
    }
}

fn ymd(y: &str, m: &str, d: &str, cell: &str) -> Result<Date, String> {
    let (y, m, d) = (year(y), num(m), num(d));
    let fits = |v: i64, lo: i64, hi: i64| (lo..=hi).contains(&v);
    if !(fits(y, 1, 9999) && fits(m, 1, 12) && fits(d, 1, 31)) {
        return Err(format!("'{cell}' is not a valid date"));
    }
    Date::new(y as i16, m as i8, d as i8).map_err(|e| format!("'{cell}' is not a valid date: {e}"))
}

fn by_format(f: &Format, parts: [&str; 3], cell: &str) -> Result<Date, String> {
    let at = |p: Part| {
        f.order
            .iter()
            .position(|q| *q == p)
            .map_or("", |i| parts[i])
    };
    ymd(at(Part::Year), at(Part::Month), at(Part::Day), cell)
}

fn guess(a: &str, b: &str, y: &str, cell: &str) -> Result<Date, String> {
    match (num(a) > 12, num(b) > 12) {
        (true, false) => ymd(y, b, a, cell),
        (false, true) => ymd(y, a, b, cell),
        _ if a == b => ymd(y, a, b, cell),
        _ => Err(format!(
            "'{cell}' could be day/month or month/day; give --date-format DD/MM/YYYY or MM/DD/YYYY"
        )),
    }
}

/// Excel's day number: days since 1899-12-30 (what a date cell holds when
/// it is exported unformatted), for dates from 1954 to 2119.
fn excel_day(serial: &str, cell: &str) -> Result<Date, String> {
    let n = num(serial);
    if !(20_000..=80_000).contains(&n) {
        return Err(format!("'{cell}' is not a date"));
    }
    jiff::civil::date(1899, 12, 30)
        .checked_add(jiff::Span::new().days(n))
        .map_err(|e| format!("'{cell}' is not a date: {e}"))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

/// `31 Jan 2026`, `Jan 31, 2026`, `31-Jan-26`, `January 31 2026`.
fn month_named(s: &str) -> Option<Result<Date, String>> {
    let parts: Vec<&str> = s
        .split(['-', '/', '.', ' ', ','])
        .filter(|p| !p.is_empty())
        .collect();
    let month_at = parts
        .iter()
        .position(|p| p.chars().all(char::is_alphabetic))?;
    let name = parts[month_at].to_lowercase();
    let month = MONTHS
        .iter()
        .position(|m| name.len() >= 3 && m.starts_with(&name[..3.min(name.len())]))
        .map(|i| (i + 1).to_string());
    let Some(month) = month else {
        return Some(Err(format!("'{s}' is not a date")));
    };
    let rest: Vec<&str> = parts
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != month_at)
        .map(|(_, p)| *p)
        .collect();
    Some(match rest[..] {
        [d, y] if d.len() <= 2 => ymd(y, &month, d, s),
        [y, d] if y.len() == 4 => ymd(y, &month, d, s),
        _ => Err(format!("'{s}' is not a date")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(cell: &str, f: Option<&str>) -> Result<String, String> {
        let f = f.map(|f| Format::parse(f).unwrap());
        parse(cell, f.as_ref()).map(|d| d.to_string())
    }

    #[test]
    fn common_spreadsheet_dates_read_as_iso() {
        for (cell, want) in [
            ("2026-01-31", "2026-01-31"),
            ("2026/01/31", "2026-01-31"),
            ("2026-01-31 00:00:00", "2026-01-31"),
            ("2026-01-31T09:30", "2026-01-31"),
            ("31.01.2026", "2026-01-31"),
            ("31/01/2026", "2026-01-31"),
            ("01/31/2026", "2026-01-31"),
            ("5/5/2026", "2026-05-05"),
            ("31 Jan 2026", "2026-01-31"),
            ("Jan 31, 2026", "2026-01-31"),
            ("31-Jan-26", "2026-01-31"),
            ("46053", "2026-01-31"),
        ] {
            assert_eq!(iso(cell, None).as_deref(), Ok(want), "{cell}");
        }
    }

    #[test]
    fn ambiguous_and_bad_dates_are_errors_and_the_format_decides() {
        assert!(
            iso("03/04/2026", None)
                .unwrap_err()
                .contains("--date-format")
        );
        assert_eq!(
            iso("03/04/2026", Some("DD/MM/YYYY")).as_deref(),
            Ok("2026-04-03")
        );
        assert_eq!(
            iso("03/04/26", Some("MM/DD/YY")).as_deref(),
            Ok("2026-03-04")
        );
        assert_eq!(
            iso("2026-04-03", Some("MM/DD/YYYY")).as_deref(),
            Ok("2026-04-03")
        );
        for bad in ["31/02/2026", "last week", "2026-13-01", "12", "Foo 3 2026"] {
            assert!(iso(bad, None).is_err(), "{bad}");
        }
        assert!(Format::parse("DD/MM").is_err());
        assert!(Format::parse("DD/QQ/YYYY").is_err());
    }
}
