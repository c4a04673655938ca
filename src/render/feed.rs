//! `/feed.xml`: the revisions feed (Atom, RFC 4287). The newest
//! `FEED_ENTRIES` revisions across the site's pages, newest first, each its
//! own Atom entry titled "page title — note" and linking to its page. Built
//! from the assembled `Site`, so a public build's feed holds no sensitive
//! page's revisions; a private build's has them all (it is never published).
//!
//! Each revision's id is a tag URI (RFC 4151) that stays the same from build
//! to build: `tag:<host>,<revision date>:<page URL path>#<n>`, `n` counting
//! from 1 the page's revisions of that date in front matter order. Adding a
//! revision of another date changes no id.
//!
//! The newest are picked with a heap of `FEED_ENTRIES`: n log 50 for n revisions.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use jiff::civil::Date;

use super::{Output, Renderer, xml_escape};
use crate::frontmatter::Revision;
use crate::site::Page;

/// The output file.
pub const FEED_PATH: &str = "feed.xml";

/// How many revisions the feed holds.
pub const FEED_ENTRIES: usize = 50;

/// One revision in the feed: where it is, and how it sorts (newest first,
/// then by page URL and place, so equal dates keep a fixed order).
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct Pick<'a> {
    date: Reverse<Date>,
    url: &'a str,
    /// Index in the page's revisions (newest first).
    place: usize,
    page: PageRef,
}

#[derive(PartialEq, Eq, PartialOrd, Ord, Clone, Copy)]
enum PageRef {
    Guide(usize),
    Entry(usize),
}

/// The newest `n` revisions of `pages`, newest first: a max-heap of the `n`
/// best so far, whose top (the worst kept) a newer revision replaces.
fn newest<'a>(pages: impl Iterator<Item = (PageRef, &'a Page)>, n: usize) -> Vec<Pick<'a>> {
    let mut heap: BinaryHeap<Pick<'a>> = BinaryHeap::with_capacity(n + 1);
    for (page, p) in pages {
        for (place, r) in p.revisions.iter().enumerate() {
            let pick = Pick {
                date: Reverse(r.date),
                url: &p.url,
                place,
                page,
            };
            if heap.len() < n {
                heap.push(pick);
            } else if heap.peek().is_some_and(|worst| pick < *worst) {
                heap.pop();
                heap.push(pick);
            } else {
                // The page's revisions are newest first: its others sort after this one.
                break;
            }
        }
    }
    heap.into_sorted_vec()
}

/// The host of `base_url`, without user, port or path, for tag URIs.
fn host(base_url: &str) -> &str {
    let rest = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6),
        None => host.split(':').next().unwrap_or(host),
    }
}

/// A revision's number among its page's revisions of the same date (from 1,
/// in front matter order: the page's list is sorted newest first, stably).
fn same_day_number(revisions: &[Revision], place: usize) -> usize {
    let date = revisions[place].date;
    revisions[..place]
        .iter()
        .rev()
        .take_while(|r| r.date == date)
        .count()
        + 1
}

/// A date as an RFC 3339 timestamp (midnight UTC).
fn timestamp(d: Date) -> String {
    format!("{d}T00:00:00Z")
}

impl Renderer<'_> {
    pub(super) fn feed(&self) -> Output {
        let site = self.site;
        let base_url = &self.config.base_url;
        let pages = site
            .guides
            .iter()
            .enumerate()
            .map(|(i, p)| (PageRef::Guide(i), p))
            .chain(
                site.entries
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (PageRef::Entry(i), p)),
            );
        let picks = newest(pages, FEED_ENTRIES);
        let updated = picks.first().map_or(site.today, |p| p.date.0);
        let title = if site.private {
            format!("{} — revisions (PRIVATE)", self.config.title)
        } else {
            format!("{} — revisions", self.config.title)
        };
        let mut xml = String::with_capacity(1024 + picks.len() * 512);
        xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        xml.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        xml.push_str(&format!("  <title>{}</title>\n", xml_escape(&title)));
        xml.push_str(&format!(
            "  <id>{}</id>\n",
            xml_escape(&format!("{base_url}{FEED_PATH}"))
        ));
        xml.push_str(&format!("  <updated>{}</updated>\n", timestamp(updated)));
        xml.push_str(&format!(
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
            xml_escape(&format!("{base_url}{FEED_PATH}"))
        ));
        xml.push_str(&format!(
            "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(base_url)
        ));
        xml.push_str(&format!(
            "  <author><name>{}</name></author>\n",
            xml_escape(&self.config.title)
        ));
        xml.push_str("  <generator>lockgen</generator>\n");
        for pick in &picks {
            let p = match pick.page {
                PageRef::Guide(i) => &site.guides[i],
                PageRef::Entry(i) => &site.entries[i],
            };
            self.feed_entry(&mut xml, p, pick.place);
        }
        xml.push_str("</feed>\n");
        Output {
            rel_path: FEED_PATH.to_string(),
            bytes: xml.into_bytes(),
        }
    }

    /// Revision `place` of page `p`, as an Atom entry.
    fn feed_entry(&self, xml: &mut String, p: &Page, place: usize) {
        let r = &p.revisions[place];
        let permalink = format!("{}{}", self.config.base_url, p.path);
        let id = format!(
            "tag:{},{}:{}#{}",
            host(&self.config.base_url),
            r.date,
            p.url,
            same_day_number(&p.revisions, place)
        );
        let what = match &p.facts {
            Some(f) => format!("{} {} — {}", f.brand, f.model, p.title),
            None => p.title.clone(),
        };
        xml.push_str("  <entry>\n");
        xml.push_str(&format!(
            "    <title>{}</title>\n",
            xml_escape(&format!("{} — {}", p.title, r.note))
        ));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&permalink)
        ));
        xml.push_str(&format!("    <id>{}</id>\n", xml_escape(&id)));
        xml.push_str(&format!("    <updated>{}</updated>\n", timestamp(r.date)));
        if let Some(a) = &r.author {
            xml.push_str(&format!(
                "    <author><name>{}</name></author>\n",
                xml_escape(a)
            ));
        }
        xml.push_str(&format!(
            "    <summary>{}</summary>\n",
            xml_escape(&format!("{what}: {}", r.note))
        ));
        xml.push_str("  </entry>\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_hosts_drop_user_port_and_path() {
        assert_eq!(
            host("https://handbook.example.org/"),
            "handbook.example.org"
        );
        assert_eq!(host("http://u@127.0.0.1:1111/base/"), "127.0.0.1");
        assert_eq!(host("http://[::1]:8080/"), "::1");
    }

    #[test]
    fn same_day_revisions_are_numbered_in_front_matter_order() {
        let r = |d: &str, note: &str| Revision {
            date: d.parse().unwrap(),
            note: note.into(),
            author: None,
        };
        // Newest first, equal dates in front matter order.
        let revs = vec![
            r("2026-02-01", "a"),
            r("2026-02-01", "b"),
            r("2026-01-01", "c"),
        ];
        assert_eq!(same_day_number(&revs, 0), 1);
        assert_eq!(same_day_number(&revs, 1), 2);
        assert_eq!(same_day_number(&revs, 2), 1);
    }
}
