//! `site.toml` → `Config`.
//!
//! Two layers: `RawConfig` is the file's shape, `Config::resolve` validates it
//! and makes paths absolute. TOML stays inside this module.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::{Diagnostic, LineIndex, did_you_mean};

mod audiences;
pub use audiences::Audience;
use audiences::{AUDIENCE_KEYS, RawAudiences};

pub const FILE: &str = "site.toml";

/// Every key of site.toml (`lockgen init` writes each of them, commented).
pub const KEYS: &[&str] = &[
    "title",
    "base_url",
    "description",
    "language",
    "theme",
    "output_dir",
    "private_output_dir",
    "stale_after_days",
    "minify",
    "minify_pages",
    "unsafe_html",
    "relative_urls",
    "risky_lock_types",
    "audiences",
    "status_page",
    "print_order",
];

#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<String>,
    description: String,
    language: String,
    theme: String,
    output_dir: String,
    private_output_dir: String,
    stale_after_days: toml::Spanned<u32>,
    minify: bool,
    minify_pages: bool,
    unsafe_html: bool,
    relative_urls: bool,
    risky_lock_types: Vec<String>,
    audiences: RawAudiences,
    status_page: bool,
    print_order: toml::Spanned<String>,
}

/// The range of `stale_after_days`: at least a day, at most a century (a
/// bigger number is a typo, and would not fit the date arithmetic).
pub const STALE_AFTER_DAYS: std::ops::RangeInclusive<u32> = 1..=36_500;

/// Lock types whose entries `lockgen check` expects to carry `warnings`: a
/// wrong step on a safe can start a lockout, a reset of a biometric or smart
/// lock wipes enrolled fingerprints, user codes or its pairing.
pub const DEFAULT_RISKY_LOCK_TYPES: &[&str] = &["safe", "biometric", "smart-lock"];

impl Default for RawConfig {
    fn default() -> Self {
        RawConfig {
            title: None,
            base_url: None,
            description: String::new(),
            language: "en".into(),
            theme: "default".into(),
            output_dir: "public".into(),
            private_output_dir: "private".into(),
            stale_after_days: toml::Spanned::new(0..0, 365),
            minify: true,
            minify_pages: false,
            unsafe_html: false,
            relative_urls: false,
            risky_lock_types: DEFAULT_RISKY_LOCK_TYPES
                .iter()
                .map(|t| t.to_string())
                .collect(),
            audiences: RawAudiences::new(),
            status_page: false,
            print_order: toml::Spanned::new(0..0, "brand".into()),
        }
    }
}

/// How `/print/` (and the PDF) orders the entries after the guide pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrintOrder {
    /// Brand after brand, each brand's by title: the table of contents' order.
    Brand,
    /// By location, then as by brand: the way a facility files its binder.
    Location,
}

impl PrintOrder {
    const NAMES: &[(&str, PrintOrder)] = &[
        ("brand", PrintOrder::Brand),
        ("location", PrintOrder::Location),
    ];
}

/// The validated site configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    /// Absolute base URL, always ending in `/`.
    pub base_url: String,
    pub description: String,
    pub language: String,
    pub theme: String,
    pub output_dir: PathBuf,
    pub private_output_dir: PathBuf,
    pub stale_after_days: u32,
    /// Minify the built-in theme's templates and stylesheet once, when they load.
    pub minify: bool,
    /// Also minify every finished page with minify-html (slow: about half a build).
    pub minify_pages: bool,
    pub unsafe_html: bool,
    /// Write links relative to each page, with explicit `index.html`, so the
    /// output can be browsed from disk.
    pub relative_urls: bool,
    /// Lock types (lowercase) whose entries should carry `warnings`; `lockgen check` reports those without.
    pub risky_lock_types: Vec<String>,
    /// The `[audiences.NAME]` tables, sorted by name (`--audience`).
    pub audiences: Vec<Audience>,
    /// Publish the verification dashboard `/status/` in public builds too
    /// (private builds always have it).
    pub status_page: bool,
    /// The order of entries on `/print/`.
    pub print_order: PrintOrder,
}

impl Config {
    /// Reads and validates `root/site.toml`.
    pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
        let path = root.join(FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            let hint = if e.kind() == std::io::ErrorKind::NotFound {
                format!(
                    "run lockgen in the folder that holds {FILE}, or pass --root DIR; \
                     to start a new handbook here, run `lockgen init`"
                )
            } else {
                format!("run lockgen in the folder that holds {FILE}, or pass --root DIR")
            };
            vec![
                Diagnostic::error(FILE, 0, 0, format!("cannot read site configuration: {e}"))
                    .with_hint(hint),
            ]
        })?;
        Config::parse(root, &text)
    }

    pub fn parse(root: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| vec![toml_diagnostic(text, &e)])?;
        Config::resolve(raw, root, text)
    }

    /// `text` is the file `raw` was read from, for the lines of diagnostics.
    fn resolve(raw: RawConfig, root: &Path, text: &str) -> Result<Config, Vec<Diagnostic>> {
        let RawConfig {
            title,
            base_url,
            description,
            language,
            theme,
            output_dir,
            private_output_dir,
            stale_after_days,
            minify,
            minify_pages,
            unsafe_html,
            relative_urls,
            risky_lock_types,
            audiences,
            status_page,
            print_order,
        } = raw;
        let mut diags = Vec::new();
        let missing = |key: &str| {
            Diagnostic::error(FILE, 1, 1, format!("missing required key '{key}'"))
                .with_hint(format!("add a line like {key} = \"…\""))
        };
        let title = title.unwrap_or_else(|| {
            diags.push(missing("title"));
            String::new()
        });
        let base_url = match base_url {
            Some(url) => match normalize_base_url(&url) {
                Ok(url) => url,
                Err(message) => {
                    diags.push(Diagnostic::error(FILE, 1, 1, message));
                    String::new()
                }
            },
            None => {
                diags.push(missing("base_url"));
                String::new()
            }
        };
        if theme.is_empty() || theme.contains(['/', '\\']) || theme.starts_with('.') {
            diags.push(Diagnostic::error(
                FILE,
                1,
                1,
                format!("theme '{theme}' must be a folder name under themes/"),
            ));
        }
        let root = root.to_path_buf();
        let output_dir = root.join(output_dir);
        let private_output_dir = root.join(private_output_dir);
        if output_dir.starts_with(&private_output_dir)
            || private_output_dir.starts_with(&output_dir)
        {
            diags.push(
                Diagnostic::error(
                    FILE,
                    1,
                    1,
                    "output_dir and private_output_dir overlap: one is the other or inside it",
                )
                .with_hint("a private build must never write where the public site is published"),
            );
        }
        let stale_span = stale_after_days.span();
        let stale_after_days = stale_after_days.into_inner();
        if !STALE_AFTER_DAYS.contains(&stale_after_days) {
            let (line, col) = LineIndex::new(text).position(text, stale_span.start);
            diags.push(
                Diagnostic::error(
                    FILE,
                    line,
                    col,
                    format!(
                        "stale_after_days = {stale_after_days} is out of range: it must be from {} to {} (days)",
                        STALE_AFTER_DAYS.start(),
                        STALE_AFTER_DAYS.end()
                    ),
                )
                .with_hint(
                    "an entry whose last_verified is older than this many days is stale; 365 is a year",
                ),
            );
        }
        let audiences = audiences::resolve(audiences, text, &mut diags);
        let print_order = match resolve_print_order(&print_order, text) {
            Ok(order) => order,
            Err(d) => {
                diags.push(d);
                PrintOrder::Brand
            }
        };
        if !diags.is_empty() {
            return Err(diags);
        }
        Ok(Config {
            root,
            title,
            base_url,
            description,
            language,
            theme,
            output_dir,
            private_output_dir,
            stale_after_days,
            minify,
            minify_pages,
            unsafe_html,
            relative_urls,
            risky_lock_types: risky_lock_types
                .iter()
                .map(|t| t.trim().to_lowercase())
                .collect(),
            audiences,
            status_page,
            print_order,
        })
    }

    /// The audience called `name`, or an error saying which there are.
    pub fn audience(&self, name: &str) -> Result<&Audience, Diagnostic> {
        if let Some(a) = self.audiences.iter().find(|a| a.name == name) {
            return Ok(a);
        }
        let names: Vec<&str> = self.audiences.iter().map(|a| a.name.as_str()).collect();
        let mut message = format!("--audience: no audience '{name}' in {FILE}");
        if let Some(n) = did_you_mean(name, &names) {
            message.push_str(&format!(" (did you mean '{n}'?)"));
        }
        let hint = if names.is_empty() {
            format!("declare it in {FILE} as [audiences.{name}]")
        } else {
            format!("the audiences are: {}", names.join(", "))
        };
        Err(Diagnostic::error(FILE, 0, 0, message).with_hint(hint))
    }

    /// The path part of the base URL (`/` or `/handbook/`): every site URL starts with it.
    pub fn base_path(&self) -> &str {
        base_path(&self.base_url)
    }
}

/// `print_order`'s value, or an error at its line naming the values it takes.
fn resolve_print_order(
    value: &toml::Spanned<String>,
    text: &str,
) -> Result<PrintOrder, Diagnostic> {
    let name = value.get_ref().as_str();
    if let Some((_, order)) = PrintOrder::NAMES.iter().find(|(n, _)| *n == name) {
        return Ok(*order);
    }
    let (line, col) = LineIndex::new(text).position(text, value.span().start);
    let names: Vec<&str> = PrintOrder::NAMES.iter().map(|(n, _)| *n).collect();
    let close =
        did_you_mean(name, &names).map_or(String::new(), |m| format!(" (did you mean '{m}'?)"));
    Err(Diagnostic::error(
        FILE,
        line,
        col,
        format!("print_order = \"{name}\" is not an order{close}"),
    )
    .with_hint("print_order is \"brand\" (the table of contents' order) or \"location\""))
}

/// Checks that `url` is absolute http(s) and makes it end in `/`.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("base_url '{url}' must start with http:// or https://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return Err(format!("base_url '{url}' has no host"));
    }
    if url.contains(['?', '#', ' ', '"', '<', '>']) {
        return Err(format!(
            "base_url '{url}' must not contain a query, fragment or spaces"
        ));
    }
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

fn base_path(base_url: &str) -> &str {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    after_scheme.find('/').map_or("/", |i| &after_scheme[i..])
}

fn toml_diagnostic(text: &str, err: &toml::de::Error) -> Diagnostic {
    let (line, col) = err
        .span()
        .map(|s| LineIndex::new(text).position(text, s.start))
        .unwrap_or((1, 1));
    let message = err.message().trim().to_string();
    if let Some(unknown) = unknown_field(&message) {
        let mut d = Diagnostic::error(FILE, line, col, format!("unknown key '{unknown}'"));
        let keys = if in_audience(text, err) {
            AUDIENCE_KEYS
        } else {
            KEYS
        };
        d = match did_you_mean(unknown, keys) {
            Some(k) => {
                d.message.push_str(&format!(" (did you mean '{k}'?)"));
                d.with_hint(format!("known keys: {}", keys.join(", ")))
            }
            None => d.with_hint(format!("known keys: {}", keys.join(", "))),
        };
        return d;
    }
    Diagnostic::error(FILE, line, col, message)
}

/// Whether `err` is at a line under an `[audiences.…]` table header.
fn in_audience(text: &str, err: &toml::de::Error) -> bool {
    let Some(at) = err.span().map(|s| s.start) else {
        return false;
    };
    let Some(before) = text.get(..at) else {
        return false;
    };
    before
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('['))
        .is_some_and(|h| {
            h.trim_start_matches('[')
                .trim_start()
                .starts_with("audiences")
        })
}

/// The field name in serde's "unknown field `x`, expected …" message.
pub fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split_once('`').map(|(name, _)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(Path::new("/site"), text)
    }

    #[test]
    fn defaults_apply() {
        let c = parse("title = \"T\"\nbase_url = \"https://x.org\"\n").unwrap();
        assert_eq!(c.base_url, "https://x.org/");
        assert_eq!(c.base_path(), "/");
        assert_eq!(c.output_dir, Path::new("/site/public"));
        assert_eq!(c.private_output_dir, Path::new("/site/private"));
        assert_eq!(c.stale_after_days, 365);
        assert!(c.minify && !c.unsafe_html);
        assert_eq!(c.risky_lock_types, ["safe", "biometric", "smart-lock"]);
    }

    #[test]
    fn risky_lock_types_are_compared_in_lowercase() {
        let c = parse(
            "title = \"T\"\nbase_url = \"https://x.org\"\nrisky_lock_types = [\" Keypad \"]\n",
        )
        .unwrap();
        assert_eq!(c.risky_lock_types, ["keypad"]);
        let e = parse("title = \"T\"\nbase_url = \"https://x.org\"\nrisky_lock_types = \"safe\"\n")
            .unwrap_err();
        assert_eq!(e[0].line, 3, "{}", e[0]);
    }

    #[test]
    fn base_path_from_subfolder_url() {
        let c = parse("title = \"T\"\nbase_url = \"https://x.org/handbook\"\n").unwrap();
        assert_eq!(c.base_path(), "/handbook/");
    }

    #[test]
    fn unknown_key_names_line_and_suggestion() {
        let e = parse("title = \"T\"\nbase_url = \"https://x.org\"\nminfy = false\n").unwrap_err();
        assert_eq!(e[0].line, 3);
        assert!(
            e[0].message
                .contains("unknown key 'minfy' (did you mean 'minify'?)"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn missing_required_keys_all_reported() {
        let e = parse("description = \"x\"\n").unwrap_err();
        assert_eq!(e.len(), 2);
    }

    #[test]
    fn same_output_dirs_rejected() {
        let e =
            parse("title = \"T\"\nbase_url = \"https://x.org\"\nprivate_output_dir = \"public\"\n")
                .unwrap_err();
        assert!(e[0].message.contains("overlap"));
        let nested = "title = \"T\"\nbase_url = \"https://x.org\"\nprivate_output_dir = \"public/internal\"\n";
        assert!(parse(nested).unwrap_err()[0].message.contains("overlap"));
    }

    #[test]
    fn stale_after_days_out_of_range_is_an_error_at_its_line() {
        let site = |days: &str| {
            parse(&format!(
                "title = \"T\"\nbase_url = \"https://x.org\"\nstale_after_days = {days}\n"
            ))
        };
        for days in ["0", "36501", "8000000"] {
            let e = site(days).unwrap_err();
            assert_eq!(e.len(), 1, "{days}: {e:?}");
            assert_eq!((e[0].line, e[0].col), (3, 20), "{days}: {}", e[0]);
            assert_eq!(
                e[0].message,
                format!(
                    "stale_after_days = {days} is out of range: it must be from 1 to 36500 (days)"
                )
            );
        }
        for (days, expected) in [("1", 1), ("36500", 36_500)] {
            assert_eq!(site(days).unwrap().stale_after_days, expected);
        }
        assert_eq!(site("-1").unwrap_err()[0].line, 3);
    }

    #[test]
    fn audiences_are_read_sorted_and_checked() {
        let base = "title = \"T\"\nbase_url = \"https://x.org\"\n";
        let c = parse(&format!(
            "{base}[audiences.managers]\nall = true\n[audiences.building-b]\nlocations = [\"Building B\"]\n[audiences.night-staff]\n"
        ))
        .unwrap();
        let names: Vec<&str> = c.audiences.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["building-b", "managers", "night-staff"]);
        assert!(c.audience("managers").unwrap().all);
        let e = c.audience("building-c").unwrap_err();
        assert!(e.message.contains("did you mean 'building-b'"), "{e}");

        let e = parse(&format!("{base}[audiences.Building_B]\nall = true\n")).unwrap_err();
        assert_eq!(
            (e[0].line, e[0].message.contains("Building_B")),
            (3, true),
            "{}",
            e[0]
        );
        let e = parse(&format!(
            "{base}[audiences.x]\nall = true\nlocations = [\"A\"]\n"
        ))
        .unwrap_err();
        assert!(
            e[0].message.contains("all = true and locations"),
            "{}",
            e[0]
        );
        let e = parse(&format!("{base}[audiences.x]\nlocations = [\" / \"]\n")).unwrap_err();
        assert!(e[0].message.contains("names no place"), "{}", e[0]);
        let e = parse(&format!("{base}[audiences.x]\nlocation = [\"A\"]\n")).unwrap_err();
        assert_eq!(e[0].line, 4, "{}", e[0]);
        assert!(
            e[0].message.contains("did you mean 'locations'"),
            "{}",
            e[0]
        );
    }

    #[test]
    fn bad_base_url_rejected() {
        assert!(normalize_base_url("handbook.example.org").is_err());
        assert!(normalize_base_url("https://").is_err());
    }
}
