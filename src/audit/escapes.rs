//! Text hidden behind JavaScript and JSON string escapes (`\"`, `\\`, `\/`,
//! `\n`, `\x41`, `\u0041`, `\u{41}`, surrogate pairs): the search index and any
//! script or JSON file a site ships are read by the audit both as written and
//! as their strings say, so an escape cannot hide a needle.

/// `s` with its backslash escapes decoded, when it has any.
pub fn js_unescaped(s: &str) -> Option<String> {
    if !s.contains('\\') {
        return None;
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    // A high surrogate waiting for its low half.
    let mut high: Option<u32> = None;
    while let Some(c) = chars.next() {
        if c != '\\' {
            flush(&mut high, &mut out);
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        let code = match e {
            'n' => Some('\n' as u32),
            'r' => Some('\r' as u32),
            't' => Some('\t' as u32),
            'b' | 'f' | 'v' | '0' => Some(' ' as u32),
            'x' => hex(&mut chars, 2),
            'u' if chars.peek() == Some(&'{') => {
                chars.next();
                let digits: String = chars.by_ref().take_while(|&c| c != '}').collect();
                u32::from_str_radix(&digits, 16).ok()
            }
            'u' => hex(&mut chars, 4),
            // A line continuation: the string goes on without a break.
            '\n' => None,
            other => Some(other as u32),
        };
        match code {
            Some(u @ 0xD800..=0xDBFF) => {
                flush(&mut high, &mut out);
                high = Some(u);
            }
            Some(u @ 0xDC00..=0xDFFF) => match high.take() {
                Some(h) => out.extend(char::from_u32(
                    0x10000 + ((h - 0xD800) << 10) + (u - 0xDC00),
                )),
                None => out.push(char::REPLACEMENT_CHARACTER),
            },
            Some(u) => {
                flush(&mut high, &mut out);
                out.push(char::from_u32(u).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            None => flush(&mut high, &mut out),
        }
    }
    flush(&mut high, &mut out);
    Some(out)
}

fn flush(high: &mut Option<u32>, out: &mut String) {
    if high.take().is_some() {
        out.push(char::REPLACEMENT_CHARACTER);
    }
}

/// `n` hex digits, or none (the escape is then read as nothing).
fn hex(chars: &mut std::iter::Peekable<std::str::Chars>, n: usize) -> Option<u32> {
    let digits: String = (0..n)
        .filter_map(|_| chars.next_if(char::is_ascii_hexdigit))
        .collect();
    (digits.len() == n)
        .then(|| u32::from_str_radix(&digits, 16).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::js_unescaped;

    #[test]
    fn escapes_are_read_as_their_characters() {
        assert_eq!(js_unescaped("plain"), None);
        assert_eq!(
            js_unescaped(r#"Say \"hi\" to C:\\vault \/ \u00e9t\u00E9 \x41\u{1F512} \ud83d\udd12"#)
                .as_deref(),
            Some("Say \"hi\" to C:\\vault / été A🔒 🔒")
        );
        assert_eq!(js_unescaped(r"line\none").as_deref(), Some("line\none"));
    }

    #[test]
    fn broken_escapes_do_not_panic() {
        for s in [
            r"\",
            r"\u12",
            r"\x",
            r"\u{zz}",
            r"\ud800",
            r"\udc00x",
            "\\u{110000}",
        ] {
            assert!(js_unescaped(s).is_some(), "{s}");
        }
    }
}
