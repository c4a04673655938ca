//! `lockgen check`'s reports beyond errors: stale entries.

use crate::build::Loaded;
use crate::diag::Diagnostic;

/// A warning for each stale entry: when it was last verified and how overdue it is.
pub fn stale_report(loaded: &Loaded) -> Vec<Diagnostic> {
    let site = &loaded.site;
    let limit = i64::from(loaded.config.stale_after_days);
    site.entries
        .iter()
        .filter_map(|p| {
            p.entry.filter(|e| e.stale)?;
            let path = crate::source::display_path(&p.rel);
            let line = p.facts.as_ref().map_or(1, |f| f.last_verified_line);
            Some(match p.facts.as_ref().and_then(|f| f.last_verified) {
                Some(d) => {
                    let days = i64::from((site.today - d).get_days());
                    Diagnostic::warning(
                        path,
                        line,
                        1,
                        format!(
                            "stale: last verified {d}, {days} days ago ({} days overdue)",
                            days - limit
                        ),
                    )
                    .with_hint("check the procedure on the real lock and update last_verified")
                }
                None => Diagnostic::warning(path, 1, 1, "stale: no last_verified date").with_hint(
                    "add last_verified: YYYY-MM-DD once the procedure has been checked on the lock",
                ),
            })
        })
        .collect()
}
