//! `lockgen check`'s reports beyond errors: entries that need attention.
//!
//! Three kinds, all warnings (errors with `check --strict`):
//! - stale: `last_verified` missing or older than `stale_after_days`;
//! - unrevised: no `revisions`, so the footer cannot say when the procedure changed;
//! - risky without warnings: a `lock_type` listed in `risky_lock_types`
//!   (a safe, a biometric or a smart lock by default) with no `warnings`.

use crate::build::Loaded;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::site::Facts;

/// What `lockgen check` reports about a site that has no errors.
#[derive(Debug, Default)]
pub struct Report {
    /// Every finding, one warning each, in no particular order.
    pub warnings: Vec<Diagnostic>,
    pub stale: usize,
    pub unrevised: usize,
    pub risky: usize,
}

pub fn report(loaded: &Loaded) -> Report {
    let mut report = Report::default();
    for page in &loaded.site.entries {
        let Some(facts) = page.facts.as_ref() else {
            continue;
        };
        let path = crate::source::display_path(&page.rel);
        if page.entry.is_some_and(|e| e.stale) {
            report.stale += 1;
            report.warnings.push(stale(&path, facts, loaded));
        }
        if page.revisions.is_empty() {
            report.unrevised += 1;
            report.warnings.push(unrevised(&path, facts));
        }
        if let Some(d) = risky_without_warnings(&path, facts, &loaded.config) {
            report.risky += 1;
            report.warnings.push(d);
        }
    }
    report
}

/// When the entry was last verified and how overdue it is.
fn stale(path: &str, facts: &Facts, loaded: &Loaded) -> Diagnostic {
    let limit = i64::from(loaded.config.stale_after_days);
    match facts.last_verified {
        Some(d) => {
            // Civil days are 24 hours each; unlike `today - d`, this cannot panic.
            let days = loaded.site.today.duration_since(d).as_hours() / 24;
            Diagnostic::warning(
                path,
                facts.lines.last_verified,
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
    }
}

fn unrevised(path: &str, facts: &Facts) -> Diagnostic {
    Diagnostic::warning(
        path,
        facts.lines.revisions,
        1,
        "no revisions: the footer cannot say when or why this procedure changed",
    )
    .with_hint("add revisions:\n    - date: YYYY-MM-DD\n      note: what was written or changed")
}

fn risky_without_warnings(path: &str, facts: &Facts, config: &Config) -> Option<Diagnostic> {
    let lock_type = facts.lock_type.as_deref()?.trim().to_lowercase();
    let risky = config.risky_lock_types.contains(&lock_type);
    if !risky || facts.warnings.iter().any(|w| !w.trim().is_empty()) {
        return None;
    }
    Some(
        Diagnostic::warning(
            path,
            facts.lines.lock_type,
            1,
            format!(
                "lock_type '{lock_type}' has no warnings: a reset that goes wrong on it can lock people out or wipe its codes"
            ),
        )
        .with_hint(
            "add warnings: [\"…\"] (the lockout after wrong codes, what the reset erases), \
             or change risky_lock_types in site.toml",
        ),
    )
}
