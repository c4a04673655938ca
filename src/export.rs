//! `lockgen export`: one row per entry, every field, as CSV or JSON.
//!
//! The entries are the assembled site's (`pipeline::load`), so a public
//! export has been through the sensitive filter: no sensitive entry, and
//! each body with its private blocks taken out. The finished bytes then go
//! through the build's leak audit, as every file of a public build does; a
//! hit is an error and nothing is written.
//!
//! CSV: UTF-8 with a byte order mark (so Excel reads it as UTF-8), the
//! columns of `sheet::COLUMNS`, cells in `sheet`'s forms, formula-like cells
//! guarded. JSON: an array of objects with the same keys, lists as arrays.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::diag::Diagnostic;
use crate::doc::Doc;
use crate::frontmatter::{EntryMeta, Meta};
use crate::pipeline::{self, Failure, Options};
use crate::sheet;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Csv,
    Json,
}

/// One exported entry: its content path, front matter and (public) body.
struct Exported<'a> {
    rel: &'a str,
    meta: &'a EntryMeta,
    body: String,
}

/// The export's bytes.
pub fn export(opts: &Options, format: Format) -> Result<Vec<u8>, Failure> {
    let (loaded, docs) = pipeline::load_with_docs(opts)?;
    let site = &loaded.site;
    let by_rel: HashMap<&str, &Doc> = docs.iter().map(|d| (d.rel.as_str(), d)).collect();
    let mut rows = Vec::new();
    for page in &site.entries {
        // Only what the sensitive filter kept; and never a sensitive doc in
        // a public export, whatever the site says (fail closed).
        let Some(doc) = by_rel.get(page.rel.as_str()) else {
            continue;
        };
        let Meta::Entry(meta) = &doc.meta else {
            continue;
        };
        if meta.sensitive && !site.private {
            continue;
        }
        let body = body(doc, site.private)?;
        rows.push(Exported {
            rel: &doc.rel,
            meta,
            body,
        });
    }
    let (name, bytes) = match format {
        Format::Csv => ("export.csv", csv(&rows)?),
        Format::Json => ("export.json", json_bytes(&rows)),
    };
    let leaks = site.audit.scan(name, &bytes);
    if !leaks.is_empty() {
        let diags = leaks
            .iter()
            .map(|l| {
                Diagnostic::error(
                    "",
                    0,
                    0,
                    format!(
                        "the export holds {} ({}): nothing was written",
                        l.what, l.found
                    ),
                )
            })
            .collect();
        return Err(Failure::Site(diags));
    }
    Ok(bytes)
}

/// The body as the build publishes it: in a public export, without the
/// lines of its private blocks.
fn body(doc: &Doc, private: bool) -> Result<String, Failure> {
    let body = doc.body.trim_start_matches(['\n', '\r']);
    if private || doc.blocks.is_empty() {
        return Ok(body.to_string());
    }
    let pre = crate::private::preprocess(&doc.display_path(), body, doc.body_line, false)?;
    let kept: Vec<&str> = body
        .lines()
        .zip(pre.body.lines())
        .filter(|(orig, public)| orig == public)
        .map(|(orig, _)| orig)
        .collect();
    let mut out = kept.join("\n");
    out.push('\n');
    Ok(out)
}

/// The cells of one entry, in `sheet::COLUMNS` order.
fn cells(e: &Exported) -> Vec<String> {
    let m = e.meta;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let date = |d: Option<jiff::civil::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        e.rel.to_string(),
        m.title.clone(),
        m.brand.clone(),
        m.model.clone(),
        text(&m.lock_type),
        text(&m.location),
        text(&m.serial),
        text(&m.firmware),
        date(m.installed),
        date(m.last_verified),
        text(&m.estimated_time),
        sheet::list_cell(&m.tools),
        sheet::list_cell(&m.warnings),
        sheet::contacts_cell(&m.contacts),
        text(&m.manual),
        if m.sensitive { "yes" } else { "no" }.to_string(),
        sheet::list_cell(&m.audiences),
        text(&m.slug),
        text(&m.description),
        sheet::revisions_cell(&m.revisions),
        if m.extra.is_empty() {
            String::new()
        } else {
            Value::Object(m.extra.clone()).to_string()
        },
        e.body.clone(),
    ]
}

fn csv(rows: &[Exported]) -> Result<Vec<u8>, Failure> {
    let mut w = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
    let io = |e: csv::Error| Failure::Io(anyhow::anyhow!("writing the CSV: {e}"));
    w.write_record(sheet::COLUMNS).map_err(io)?;
    for row in rows {
        let guarded: Vec<String> = cells(row).iter().map(|c| sheet::guard(c)).collect();
        w.write_record(&guarded).map_err(io)?;
    }
    w.into_inner()
        .map_err(|e| Failure::Io(anyhow::anyhow!("writing the CSV: {e}")))
}

fn json_bytes(rows: &[Exported]) -> Vec<u8> {
    let list: Vec<Value> = rows
        .iter()
        .map(|e| {
            let m = e.meta;
            json!({
                "file": e.rel,
                "title": m.title,
                "brand": m.brand,
                "model": m.model,
                "lock_type": m.lock_type,
                "location": m.location,
                "serial": m.serial,
                "firmware": m.firmware,
                "installed": m.installed.map(|d| d.to_string()),
                "last_verified": m.last_verified.map(|d| d.to_string()),
                "estimated_time": m.estimated_time,
                "tools": m.tools,
                "warnings": m.warnings,
                "contacts": m.contacts.iter().map(|c| json!({
                    "name": c.name, "role": c.role, "phone": c.phone, "email": c.email, "url": c.url,
                })).collect::<Vec<_>>(),
                "manual": m.manual,
                "sensitive": m.sensitive,
                "audiences": m.audiences,
                "slug": m.slug,
                "description": m.description,
                "revisions": m.revisions.iter().map(|r| json!({
                    "date": r.date.to_string(), "note": r.note, "author": r.author,
                })).collect::<Vec<_>>(),
                "extra": m.extra,
                "body": e.body,
            })
        })
        .collect();
    let mut out = serde_json::to_vec_pretty(&Value::Array(list)).unwrap_or_default();
    out.push(b'\n');
    out
}
