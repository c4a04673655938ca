//! Where a link goes, decided as a browser decides it: relative paths, dot
//! segments, duplicate slashes, backslashes, percent-encoding, case, with or
//! without the trailing slash or `index.html`, absolute URLs on the site's
//! own host. The source link check and the output audit both ask this module,
//! so "does this link reach a sensitive page?" has one answer.

use percent_encoding::percent_decode_str;

/// The site's address, as links are resolved against it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SiteUrl {
    /// Lower-cased `host[:port]` of `base_url`, if it has one.
    host: Option<String>,
    /// The base path, lower-cased, without slashes at the ends (`handbook`, or empty).
    base: String,
}

impl SiteUrl {
    pub fn new(base_url: &str) -> SiteUrl {
        let (host, path) = match split_scheme(base_url) {
            Some((_, rest)) => split_authority(rest.strip_prefix("//").unwrap_or(rest)),
            None => (None, base_url),
        };
        SiteUrl {
            host,
            base: trim_slashes(&path.to_lowercase()).to_string(),
        }
    }

    /// The site paths (`locks/acme/vaultx`: lower-cased, no slashes at the
    /// ends, no `index.html`) that `href`, written in a file whose folder is
    /// `dir` (a site path too, `locks/acme/d100`), may reach; empty for links
    /// that leave the site (another host, `mailto:`, …) or stay on the page.
    /// Mostly one path; two for `https:x` without `//`, which a browser reads
    /// as the relative `x` on a page served with that scheme and as a host
    /// on any other (WHATWG URL, "special relative or authority state").
    pub fn resolve(&self, dir: &str, href: &str) -> Vec<String> {
        // Browsers drop tabs and newlines anywhere in a URL and read `\` as `/`.
        let href: String = href
            .trim_matches(|c: char| c.is_ascii_whitespace() || c.is_ascii_control())
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .map(|c| if c == '\\' { '/' } else { c })
            .collect();
        let href = &href[..href.find(['#', '?']).unwrap_or(href.len())];
        let absolute: Vec<String> = if let Some((scheme, rest)) = split_scheme(href) {
            if !matches!(scheme.as_str(), "http" | "https") {
                return Vec::new();
            }
            let host = self.on_this_host(rest.trim_start_matches('/'));
            let relative = if rest.starts_with("//") {
                None
            } else {
                self.relative(dir, rest)
            };
            host.into_iter().chain(relative).collect()
        } else if let Some(rest) = href.strip_prefix("//") {
            self.on_this_host(rest).into_iter().collect()
        } else {
            self.relative(dir, href).into_iter().collect()
        };
        absolute
            .iter()
            .map(|a| {
                let path = normalize(a);
                let within = path
                    .strip_prefix(self.base.as_str())
                    .filter(|_| !self.base.is_empty())
                    .and_then(|p| {
                        if p.is_empty() {
                            Some("")
                        } else {
                            p.strip_prefix('/')
                        }
                    });
                within.unwrap_or(&path).to_string()
            })
            .collect()
    }

    /// The first of `pages` (looked up by site path) that `href` from `dir`
    /// may reach: a page itself, or anything below it (its assets).
    pub fn reached<T>(
        &self,
        dir: &str,
        href: &str,
        pages: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        self.resolve(dir, href).iter().find_map(|path| {
            let mut prefix = path.as_str();
            loop {
                if let Some(page) = pages(prefix) {
                    return Some(page);
                }
                prefix = &prefix[..prefix.rfind('/')?];
            }
        })
    }

    /// The absolute path of a path-absolute or relative reference (`None`: this page).
    fn relative(&self, dir: &str, href: &str) -> Option<String> {
        if href.starts_with('/') {
            Some(href.to_string())
        } else if href.is_empty() {
            None
        } else {
            Some(format!("/{}/{dir}/{href}", self.base))
        }
    }

    /// The path of an authority-and-path `rest` if its host is the site's.
    fn on_this_host(&self, rest: &str) -> Option<String> {
        let (host, path) = split_authority(rest);
        match (&self.host, host) {
            (Some(ours), Some(theirs)) if *ours == theirs => Some(format!("/{path}")),
            _ => None,
        }
    }
}

/// `scheme:` and the rest, when `s` starts with a URL scheme.
fn split_scheme(s: &str) -> Option<(String, &str)> {
    let colon = s.find(':')?;
    let scheme = &s[..colon];
    let valid = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| (scheme.to_ascii_lowercase(), &s[colon + 1..]))
}

/// (`host[:port]` as a browser reads it, path): user info dropped, the host
/// percent-decoded and folded like text (full-width letters, case: what
/// IDNA maps alike maps alike here, and more), the port read as a number
/// (empty, `443`, `0443` and `80` are the default).
fn split_authority(rest: &str) -> (Option<String>, &str) {
    let end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..end];
    let host_port = authority.rsplit('@').next().unwrap_or(authority);
    let (host, port) = match host_port.rfind(':') {
        Some(i) if !host_port[i..].contains(']') => (&host_port[..i], &host_port[i + 1..]),
        _ => (host_port, ""),
    };
    let port = port.trim_start_matches('0');
    let decoded = percent_decode_str(host).decode_utf8_lossy();
    let folded = crate::reader::fold(&decoded);
    let mut host = folded.trim_end_matches(['.', '\u{3002}']).to_string();
    if !matches!(port, "" | "80" | "443") {
        host = format!("{host}:{port}");
    }
    ((!host.is_empty()).then_some(host), &rest[end..])
}

/// An absolute path percent-decoded, dot segments and empty segments
/// resolved, lower-cased, without `index.html` and slashes at the ends.
fn normalize(path: &str) -> String {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    let lower = decoded.to_lowercase();
    let mut parts: Vec<&str> = Vec::new();
    for part in lower.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    if parts
        .last()
        .is_some_and(|p| matches!(*p, "index.html" | "index.htm"))
    {
        parts.pop();
    }
    parts.join("/")
}

fn trim_slashes(s: &str) -> &str {
    s.trim_matches('/')
}

/// Whether site path `path` is `page` (a site path) or lies below it (its assets).
pub fn reaches(path: &str, page: &str) -> bool {
    path == page
        || (path.len() > page.len()
            && path.starts_with(page)
            && path.as_bytes()[page.len()] == b'/')
}

/// Whether `url` is an absolute http(s) address (any case of the scheme).
pub fn is_web(url: &str) -> bool {
    ["https://", "http://"].iter().any(|p| {
        url.get(..p.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(p))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_a_page_resolves_to_it() {
        let site = SiteUrl::new("https://Handbook.example.org/");
        let dir = "locks/acme/d100";
        for href in [
            "/locks/acme/vaultx/",
            "/locks/acme/vaultx",
            "/locks/acme/vaultx/index.html",
            "../vaultx/",
            "../vaultx",
            "./../vaultx/#codes",
            "../VaultX/?x=1",
            "..//vaultx",
            "/locks//acme/./vaultx/",
            "/locks/acme/x/../vaultx/",
            "/locks/acme/%76aultx/",
            "https://handbook.example.org/locks/acme/vaultx",
            "HTTPS://HANDBOOK.EXAMPLE.ORG:443/locks/acme/vaultx/",
            "//handbook.example.org/locks/acme/vaultx",
            "https://handbook.example.org:0443/locks/acme/vaultx",
            "HTTPS://HANDBOOK.EXAMPLE.ORG:/locks/acme/vaultx",
            "https://ｈａｎｄｂｏｏｋ.example.org/locks/acme/vaultx",
            "https://handbook%2Eexample.org/locks/acme/vaultx",
            "https://handbook.example.org./locks/acme/vaultx",
            "http://user@handbook.example.org/locks/acme/vaultx",
            "..\\vaultx",
            " ../vault\nx/ ",
            "../../../../locks/acme/vaultx/",
        ] {
            assert_eq!(site.resolve(dir, href), ["locks/acme/vaultx"], "{href}");
        }
    }

    #[test]
    fn a_scheme_without_slashes_is_also_read_as_relative() {
        let site = SiteUrl::new("https://handbook.example.org/");
        let dir = "locks/acme/d100";
        for href in [
            "https:../vaultx",
            "HTTPS:..\\vaultx/",
            "http:../vaultx",
            "https:/locks/acme/vaultx",
        ] {
            assert!(
                site.resolve(dir, href)
                    .contains(&"locks/acme/vaultx".to_string()),
                "{href}: {:?}",
                site.resolve(dir, href)
            );
        }
        // As a host too: `http:handbook.example.org/x` is on this site.
        assert_eq!(
            site.resolve(dir, "http:handbook.example.org/locks/acme/vaultx"),
            [
                "locks/acme/vaultx",
                "locks/acme/d100/handbook.example.org/locks/acme/vaultx"
            ]
        );
        assert!(site.resolve(dir, "https://other.org/x").is_empty());
    }

    #[test]
    fn other_hosts_and_schemes_leave_the_site() {
        let site = SiteUrl::new("https://handbook.example.org");
        for href in [
            "https://other.org/locks/acme/vaultx/",
            "mailto:a@b.c",
            "tel:123",
            "javascript:x",
            "#top",
            "?q",
            "",
        ] {
            assert!(site.resolve("locks", href).is_empty(), "{href}");
        }
    }

    #[test]
    fn the_base_path_is_stripped() {
        let site = SiteUrl::new("https://x.org/Handbook/");
        assert_eq!(site.resolve("guide", "../locks/a/"), ["locks/a"]);
        assert_eq!(site.resolve("", "/handbook/locks/a/"), ["locks/a"]);
        assert_eq!(
            site.resolve("", "https://x.org/handbook/locks/a"),
            ["locks/a"]
        );
        assert_eq!(site.resolve("", "/handbook/"), [""]);
    }

    #[test]
    fn reaches_pages_and_what_is_below_them() {
        assert!(reaches("locks/a/vaultx", "locks/a/vaultx"));
        assert!(reaches("locks/a/vaultx/photo.jpg", "locks/a/vaultx"));
        assert!(!reaches("locks/a/vaultx-2", "locks/a/vaultx"));
        assert!(!reaches("locks/a/vault", "locks/a/vaultx"));
    }
}
