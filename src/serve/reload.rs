//! Which open pages a rebuild changed, so live reload reloads only those: a
//! person reading the home page is not interrupted when the search index or
//! another entry catches up. Every reload event names the pages it changed
//! (their URL paths), or says `all` (a full rebuild, the error overlay
//! shown or gone, too many pages to list, or an event the stream missed).

use serde::Serialize;

use crate::produce::Files;

/// Past this many changed pages an event says `all`.
const MAX_LISTED: usize = 1000;

/// What one rebuild changed, as live reload needs it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Reload {
    #[default]
    All,
    /// The URL paths (`/`, `/locks/acme/d100/`) of the pages whose bytes changed.
    Pages(Vec<String>),
}

/// The pages `fresh` changes or adds over `old`.
pub fn changed_pages(old: &Files, fresh: &Files) -> Reload {
    let mut pages: Vec<String> = fresh
        .iter()
        .filter(|(rel, bytes)| rel.ends_with(".html") && old.get(*rel) != Some(*bytes))
        .map(|(rel, _)| url_path(rel))
        .collect();
    if pages.len() > MAX_LISTED {
        return Reload::All;
    }
    pages.sort_unstable();
    Reload::Pages(pages)
}

/// `locks/a/index.html` → `/locks/a/`, `index.html` → `/`, `404.html` → `/404.html`.
fn url_path(rel: &str) -> String {
    match rel.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("/{dir}"),
        _ => format!("/{rel}"),
    }
}

#[derive(Serialize)]
struct Data<'a> {
    n: u64,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    all: bool,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pages: &'a [String],
}

/// The event's data: `{"n":7,"pages":["/locks/a/"]}` or `{"n":7,"all":true}`;
/// `missed` (the stream skipped a generation) makes it `all`.
pub fn event_data(n: u64, reload: &Reload, missed: bool) -> String {
    let (all, pages): (bool, &[String]) = match reload {
        Reload::Pages(p) if !missed => (false, p),
        _ => (true, &[]),
    };
    serde_json::to_string(&Data { n, all, pages })
        .unwrap_or_else(|_| format!("{{\"n\":{n},\"all\":true}}"))
}

/// The client's side, injected before `</body>`: reload when the event names
/// this page or says `all`. `EVENTS` is the stream's path.
pub fn script(events: &str) -> String {
    format!(
        r#"<script>(function(){{var s=new EventSource("{events}");s.addEventListener("reload",function(e){{var d={{all:true}};try{{d=JSON.parse(e.data)}}catch(x){{}}var p=location.pathname.replace(/index\.html$/,"");if(d.all||(d.pages||[]).indexOf(p)>=0)location.reload()}});}})();</script>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn files(list: &[(&str, &str)]) -> Files {
        list.iter()
            .map(|(r, b)| (Arc::from(*r), Arc::<[u8]>::from(b.as_bytes())))
            .collect()
    }

    #[test]
    fn only_pages_whose_bytes_changed_are_named() {
        let old = files(&[
            ("index.html", "a"),
            ("locks/x/index.html", "b"),
            ("search/m.js", "c"),
        ]);
        let fresh = files(&[
            ("index.html", "a"),
            ("locks/x/index.html", "B"),
            ("search/m.js", "C"),
            ("404.html", "new"),
        ]);
        assert_eq!(
            changed_pages(&old, &fresh),
            Reload::Pages(vec!["/404.html".into(), "/locks/x/".into()])
        );
    }

    #[test]
    fn event_data_names_pages_or_says_all() {
        let p = Reload::Pages(vec!["/a/".into()]);
        assert_eq!(event_data(3, &p, false), r#"{"n":3,"pages":["/a/"]}"#);
        assert_eq!(event_data(3, &p, true), r#"{"n":3,"all":true}"#);
        assert_eq!(event_data(4, &Reload::All, false), r#"{"n":4,"all":true}"#);
        assert_eq!(url_path("index.html"), "/");
        assert_eq!(url_path("print/index.html"), "/print/");
        assert_eq!(url_path("xindex.html"), "/xindex.html");
    }
}
