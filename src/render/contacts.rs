//! An entry's contacts as the facts table shows them: tap-to-call and
//! tap-to-mail links, web links only for http(s) addresses.

use serde::Serialize;

use crate::frontmatter::Contact;
use crate::url::is_web;

#[derive(Serialize)]
pub(super) struct ContactView<'a> {
    pub(super) name: &'a str,
    pub(super) role: Option<&'a str>,
    pub(super) phone: Option<&'a str>,
    /// `tel:` href: the number's digits, with a leading `+` if it has one.
    pub(super) tel: Option<String>,
    pub(super) email: Option<&'a str>,
    /// The web address, when it is an http(s) one (else shown as text only).
    pub(super) url: Option<&'a str>,
    pub(super) url_text: Option<&'a str>,
}

pub(super) fn views(contacts: &[Contact]) -> Vec<ContactView<'_>> {
    contacts
        .iter()
        .map(|c| {
            let url = c.url.as_deref().map(str::trim);
            ContactView {
                name: &c.name,
                role: c.role.as_deref(),
                phone: c.phone.as_deref(),
                tel: c.phone.as_deref().and_then(tel),
                email: c
                    .email
                    .as_deref()
                    .map(str::trim)
                    .filter(|e| e.contains('@')),
                url: url.filter(|u| is_web(u)),
                url_text: url,
            }
        })
        .collect()
}

/// `+44 (20) 7946-0000` → `+442079460000`; `None` without digits.
pub(super) fn tel(phone: &str) -> Option<String> {
    let phone = phone.trim();
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    Some(if phone.starts_with('+') {
        format!("+{digits}")
    } else {
        digits
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_tel_hrefs() {
        assert_eq!(tel("+44 (20) 7946-0000").as_deref(), Some("+442079460000"));
        assert_eq!(tel(" 0800 123 456 ").as_deref(), Some("0800123456"));
        assert_eq!(tel("ask reception"), None);
    }

    #[test]
    fn only_web_addresses_become_links() {
        let c = Contact {
            name: "A".into(),
            role: None,
            phone: None,
            email: Some("not an address".into()),
            url: Some("javascript:alert(1)".into()),
        };
        let v = views(std::slice::from_ref(&c));
        assert_eq!((v[0].url, v[0].email), (None, None));
        assert_eq!(v[0].url_text, Some("javascript:alert(1)"));
        assert!(is_web("HTTPS://x.org"));
    }
}
