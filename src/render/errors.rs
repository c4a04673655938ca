//! Template errors as diagnostics at the file and line the author wrote.

use std::collections::HashMap;

use tera::Tera;

use crate::diag::Diagnostic;
use crate::theme::Theme;

/// The theme's templates as written.
pub(super) fn sources_tera(theme: &Theme) -> Result<Tera, tera::Error> {
    let mut tera = Tera::new();
    tera.add_raw_templates(
        theme
            .templates
            .iter()
            .map(|t| (t.name.as_str(), t.source.as_str())),
    )?;
    Ok(tera)
}

/// A Tera error as a diagnostic at the template file and line it names
/// (the innermost error with a source position), else at `fallback`'s file.
pub(crate) fn template_diagnostic(
    e: &tera::Error,
    paths: &HashMap<String, String>,
    fallback: &str,
    context: &str,
) -> Diagnostic {
    let display = |name: &str| {
        paths
            .get(name)
            .cloned()
            .unwrap_or_else(|| format!("templates/{name}"))
    };
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(e);
    let mut located = None;
    while let Some(err) = current {
        if let Some(t) = err.downcast_ref::<tera::Error>()
            && let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = t.kind()
        {
            located = Some((
                r.filename().to_string(),
                r.span().start_line,
                r.span().start_col + 1,
                r.message().to_string(),
            ));
        }
        current = err.source();
    }
    let text = error_chain(e);
    // Some reports carry their position only in their text: " --> page.html:4:12".
    let from_text = || {
        let rest = &text[text.find(" --> ")? + 5..];
        let mut parts = rest.split(|c: char| c == ':' || c.is_whitespace());
        let (file, line, col) = (
            parts.next()?,
            parts.next()?.parse().ok()?,
            parts.next()?.parse().ok()?,
        );
        let message = text[..text.find(" --> ")?]
            .trim()
            .trim_start_matches("error: ")
            .to_string();
        Some((file.to_string(), line, col, message))
    };
    let named = match e.kind() {
        tera::ErrorKind::CircularInclude { tpl, .. }
        | tera::ErrorKind::CircularExtend { tpl, .. } => Some(tpl.as_str()),
        tera::ErrorKind::MissingParent { current, .. } => Some(current.as_str()),
        _ => None,
    };
    match located.filter(|l| !l.0.is_empty()).or_else(from_text) {
        Some((file, line, col, message)) => {
            Diagnostic::error(display(&file), line, col, format!("{context}: {message}"))
        }
        None => {
            let path = match named.or((!fallback.is_empty()).then_some(fallback)) {
                Some(name) => display(name),
                None => "templates".to_string(),
            };
            Diagnostic::error(path, 0, 0, format!("{context}: {text}"))
        }
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut src = e.source();
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}
