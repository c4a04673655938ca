//! `sitemap.xml`: every URL of the site, with each page's last revision. A site
//! of more than `nav::SITEMAP_URLS` URLs (the sitemaps.org limit for one file)
//! gets a sitemap index in `sitemap.xml` pointing at `sitemap-1.xml`,
//! `sitemap-2.xml`, … of at most that many URLs each; `robots.txt` keeps
//! pointing at `sitemap.xml`. Like every output, it lists only what the
//! sensitive filter kept in the `Site`.

use jiff::civil::Date;

use super::indexes::index_paths;
use super::{
    Job, Output, Renderer, brand_pages, brands_pages, contents_pages, index_jobs, xml_escape,
};
use crate::nav;
use crate::site::Site;

/// The sitemap files: `sitemap.xml`, and its parts on a large site.
pub fn sitemap_jobs(site: &Site) -> impl Iterator<Item = Job> {
    (0..=sitemap_parts(site)).map(Job::Sitemap)
}

/// How many sitemap parts the site needs besides `sitemap.xml`: 0 when one file holds every URL.
pub fn sitemap_parts(site: &Site) -> usize {
    parts(site, nav::SITEMAP_URLS)
}

/// Parts of at most `per` URLs each, or 0 when one file holds them all.
fn parts(site: &Site, per: usize) -> usize {
    let urls = 1
        + contents_pages(site)
        + site.guides.len()
        + site.entries.len()
        + brands_pages(site)
        + site.brands.iter().map(brand_pages).sum::<usize>()
        + index_jobs(site).len();
    if urls <= per { 0 } else { urls.div_ceil(per) }
}

/// The pages of the list whose first page is the folder `first`.
fn lists(first: &str, pages: usize) -> impl Iterator<Item = (String, Option<Date>)> + '_ {
    (0..pages).map(move |n| (nav::page_path(first, n), None))
}

impl Renderer<'_> {
    /// Every URL path (under `base_url`) of the site with its last revision, in
    /// a fixed order: home, `/contents/`, guide pages, entries, `/brands/`, brand indexes,
    /// then the location, type and status pages.
    fn sitemap_urls(&self) -> impl Iterator<Item = (String, Option<Date>)> + '_ {
        let site = self.site;
        std::iter::once((String::new(), None))
            .chain(lists("contents/", contents_pages(site)))
            .chain(
                site.guides
                    .iter()
                    .chain(&site.entries)
                    .map(|p| (p.path.clone(), p.last_revised())),
            )
            .chain(lists("brands/", brands_pages(site)))
            .chain(
                site.brands
                    .iter()
                    .flat_map(move |b| lists(&b.path, brand_pages(b))),
            )
            .chain(index_paths(site).map(|p| (p, None)))
    }

    /// Sitemap file `part` with at most `per` URLs a file: 0 is `sitemap.xml`,
    /// every URL or, when they take several parts, the index of the parts;
    /// n ≥ 1 is `sitemap-<n>.xml`, the n-th `per` URLs.
    pub(super) fn sitemap(&self, part: usize, per: usize) -> Output {
        let base = &self.config.base_url;
        let parts = parts(self.site, per);
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        if part == 0 && parts > 0 {
            xml.push_str("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            for n in 1..=parts {
                let loc = xml_escape(&format!("{base}sitemap-{n}.xml"));
                xml.push_str(&format!("  <sitemap><loc>{loc}</loc></sitemap>\n"));
            }
            xml.push_str("</sitemapindex>\n");
        } else {
            xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
            let (skip, take) = match part {
                0 => (0, usize::MAX),
                n => ((n - 1).saturating_mul(per), per),
            };
            for (path, lastmod) in self.sitemap_urls().skip(skip).take(take) {
                let loc = xml_escape(&format!("{base}{path}"));
                xml.push_str(&format!("  <url><loc>{loc}</loc>"));
                if let Some(d) = lastmod {
                    xml.push_str(&format!("<lastmod>{d}</lastmod>"));
                }
                xml.push_str("</url>\n");
            }
            xml.push_str("</urlset>\n");
        }
        let rel_path = match part {
            0 => "sitemap.xml".to_string(),
            n => format!("sitemap-{n}.xml"),
        };
        Output {
            rel_path,
            bytes: xml.into_bytes(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{self, Options};

    /// A public and a private build of a small site with a sensitive entry and page.
    fn loaded(private: bool) -> (tempfile::TempDir, pipeline::Loaded) {
        let tmp = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = tmp.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("site.toml", "title = \"T\"\nbase_url = \"https://x.org\"\n");
        for i in 0..7 {
            write(
                &format!("content/locks/acme/a{i}.md"),
                &format!("---\ntitle: Acme {i}\nbrand: Acme\nmodel: A{i}\n---\nx\n"),
            );
        }
        write(
            "content/locks/acme/vault.md",
            "---\ntitle: Vault Master\nbrand: Acme\nmodel: V\nsensitive: true\n---\nx\n",
        );
        write(
            "content/guide/staff.md",
            "---\ntitle: Staff Codes\nsensitive: true\n---\nx\n",
        );
        let opts = Options {
            root: tmp.path().to_path_buf(),
            private,
            ..Options::default()
        };
        let loaded = pipeline::load(&opts).map_err(|_| "load").unwrap();
        (tmp, loaded)
    }

    fn locs(xml: &str) -> Vec<&str> {
        xml.split("<loc>")
            .skip(1)
            .filter_map(|s| s.split_once("</loc>").map(|(l, _)| l))
            .collect()
    }

    #[test]
    fn parts_split_the_one_file_and_the_index_points_at_each() {
        let (_tmp, l) = loaded(false);
        let r = Renderer::new(&l.config, &l.site, &l.theme)
            .map_err(|_| "renderer")
            .unwrap();
        let whole = String::from_utf8(r.sitemap(0, usize::MAX).bytes).unwrap();
        let all = locs(&whole);
        // Home, contents, 7 entries, brands, one brand index, /locations/, /types/.
        assert_eq!(all.len(), 13, "{whole}");
        let index = String::from_utf8(r.sitemap(0, 3).bytes).unwrap();
        assert!(index.contains("<sitemapindex"), "{index}");
        let names: Vec<String> = (1..=5)
            .map(|n| format!("https://x.org/sitemap-{n}.xml"))
            .collect();
        assert_eq!(locs(&index), names);
        let mut joined = Vec::new();
        for n in 1..=5 {
            let part = r.sitemap(n, 3);
            assert_eq!(part.rel_path, format!("sitemap-{n}.xml"));
            let xml = String::from_utf8(part.bytes).unwrap();
            assert!(xml.contains("<urlset"), "{xml}");
            let urls = locs(&xml);
            assert!(!urls.is_empty() && urls.len() <= 3, "{xml}");
            joined.extend(urls.into_iter().map(String::from));
        }
        assert_eq!(joined, all);
    }

    #[test]
    fn no_part_names_a_sensitive_page_in_a_public_build() {
        let (_tmp, public) = loaded(false);
        let r = Renderer::new(&public.config, &public.site, &public.theme)
            .map_err(|_| "renderer")
            .unwrap();
        for n in 0..=5 {
            let xml = String::from_utf8(r.sitemap(n, 3).bytes).unwrap();
            for secret in ["vault", "staff"] {
                assert!(!xml.to_lowercase().contains(secret), "part {n}: {xml}");
            }
        }
        // The private build lists them.
        let (_tmp, private) = loaded(true);
        let r = Renderer::new(&private.config, &private.site, &private.theme)
            .map_err(|_| "renderer")
            .unwrap();
        let all: String = (1..=5)
            .map(|n| String::from_utf8(r.sitemap(n, 3).bytes).unwrap())
            .collect();
        assert!(
            all.contains("/locks/acme/vault/") && all.contains("/guide/staff/"),
            "{all}"
        );
    }
}
