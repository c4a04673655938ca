//! lockgen: a static handbook generator for electronic locks.
//!
//! The pipeline, one module a stage (see each module's doc):
//! `source` (walk and read) → `doc` (front matter via `frontmatter`, private
//! blocks via `private`) → `site` (URLs, the sensitive filter, Markdown via
//! `markdown` and `links`, brands, order; one submodule a step) → `theme`
//! (templates, static files, read once) → `render` (Tera; what each page
//! lists is bounded by `nav`) → `produce` (finish, audit via `audit`, hand
//! to a sink) → `output` (atomic write), and with `build --pdf`, `pdf`
//! (the print page printed by Chromium, its text audited, before the swap). `pipeline` runs it for `lockgen
//! build` and `lockgen check`, `serve` for the live preview; `cli` is the
//! command line. (The `build.rs` at the repository's root is Cargo's build
//! script, which only tells Cargo to rebuild when the embedded theme changes.)
#![warn(clippy::print_stdout)]

/// Writes a line to stderr, ignoring failure: a closed stderr (`lockgen check 2>&1 | head -1`)
/// must not turn a run into a panic and change its exit status.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

pub mod audit;
pub mod check;
pub mod cli;
pub mod config;
pub mod crypt;
pub mod diag;
pub mod doc;
pub mod export;
pub mod frontmatter;
pub mod import;
pub mod init;
pub mod links;
pub mod location;
pub mod lock_type;
pub mod markdown;
pub mod nav;
pub mod new;
pub mod output;
pub mod pdf;
pub mod pipeline;
pub mod private;
pub mod produce;
pub mod reader;
pub mod render;
pub mod search;
pub mod serve;
pub mod sheet;
pub mod site;
pub mod slug;
pub mod source;
pub mod status;
pub mod theme;
pub mod url;
