//! Command line: `lockgen build | serve | check | init | new | import | export`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use crate::diag::{self, Diagnostic};
use crate::pipeline::{self, Failure, Options};

mod authoring;
mod crypt;

#[derive(Parser, Debug)]
#[command(
    name = "lockgen",
    version,
    about = "Builds a static handbook of electronic locks and their reset procedures"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into output_dir (or private_output_dir with --private)
    Build(BuildArgs),
    /// Serve a live preview from memory, rebuilding and reloading on every change
    Serve(ServeArgs),
    /// Check the site as a build would, without writing anything
    Check(CheckArgs),
    /// Start a new site in DIR: site.toml, a guide page, two example entries, .gitignore
    Init(authoring::InitArgs),
    /// Write a new lock entry with every front matter key, and print its path
    New(authoring::NewArgs),
    /// Turn a spreadsheet (CSV or TSV) into entries, one a row; a dry run unless --write
    Import(authoring::ImportArgs),
    /// Every entry as a CSV or JSON row, with every field (public entries unless --private)
    Export(authoring::ExportArgs),
    /// Restore, from a build --encrypt folder, the plain build one passphrase opens
    Decrypt(crypt::DecryptArgs),
}

#[derive(Args, Debug)]
struct ServeArgs {
    #[command(flatten)]
    common: Common,
    /// Port to listen on; the next free one is used if it is taken
    #[arg(long, default_value_t = 1111)]
    port: u16,
    /// Address to listen on; anything but a loopback address exposes the preview to the network
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    bind: std::net::IpAddr,
    /// Open the preview in the default browser
    #[arg(long)]
    open: bool,
}

#[derive(Args, Debug, Clone)]
pub(crate) struct Common {
    /// The site folder, holding site.toml
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Include sensitive pages and private blocks (marked), for internal use only
    #[arg(long)]
    private: bool,
    /// Print errors only
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Print each stage's timing
    #[arg(long, short)]
    verbose: bool,
}

#[derive(Args, Debug)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    common: Common,
    /// Output folder (default: output_dir, or private_output_dir with --private, or private_output_dir-NAME with --audience NAME)
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// With --private: only what this audience of site.toml may read
    #[arg(long, value_name = "NAME", requires = "private")]
    audience: Option<String>,
    /// Override site.toml's base_url
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Also write handbook.pdf: the print page (/print/) printed by headless Chromium
    #[arg(long)]
    pdf: bool,
    /// With --private: one encrypted site in which each audience's passphrase opens its pages
    #[arg(long, requires = "private")]
    encrypt: bool,
    /// With --encrypt: a TOML file outside the site, one line per audience: NAME = "passphrase"
    #[arg(long, value_name = "FILE", requires = "encrypt")]
    passphrases: Option<PathBuf>,
    /// With --encrypt: accept passphrases shorter than 12 characters
    #[arg(long, requires = "encrypt")]
    allow_weak_passphrase: bool,
}

#[derive(Args, Debug)]
struct CheckArgs {
    #[command(flatten)]
    common: Common,
    /// Treat warnings (stale entries, entries without revisions, near-miss lock types, risky lock types without warnings, brand spellings) as errors
    #[arg(long)]
    strict: bool,
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => run_build(args),
        Command::Serve(args) => run_serve(args),
        Command::Check(args) => run_check(args),
        Command::Init(args) => args.run(),
        Command::New(args) => args.run(),
        Command::Import(args) => args.run(),
        Command::Export(args) => args.run(),
        Command::Decrypt(args) => args.run(),
    }
}

fn run_serve(args: ServeArgs) -> ExitCode {
    let opts = crate::serve::Options {
        root: args.common.root,
        private: args.common.private,
        port: args.port,
        bind: args.bind,
        open: args.open,
        quiet: args.common.quiet,
        verbose: args.common.verbose,
    };
    match crate::serve::run(opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            say!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

pub(crate) fn options(common: &Common) -> Options {
    Options {
        root: common.root.clone(),
        private: common.private,
        ..Options::default()
    }
}

/// A line about a long step (`build --pdf`), unless `--quiet`.
pub(crate) fn progress(line: &str) {
    say!("{line}");
}

fn run_build(args: BuildArgs) -> ExitCode {
    let started = Instant::now();
    if args.encrypt {
        return crypt::run_build(&args, started);
    }
    let opts = Options {
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        audience: args.audience.clone(),
        pdf: args.pdf,
        progress: (!args.common.quiet).then_some(progress as fn(&str)),
        ..options(&args.common)
    };
    match pipeline::build(&opts) {
        Ok(summary) => {
            let mut err = std::io::stderr().lock();
            if args.common.verbose {
                print_timings(&summary.timings);
            }
            if !args.common.quiet {
                let _ = writeln!(
                    err,
                    "built {} pages ({} entries, {} brands) into {}: {} sensitive left out{}, {} stale; {:.0} ms",
                    summary.pages,
                    summary.entries,
                    summary.brands,
                    pipeline::display_rel(&opts.root, &summary.output),
                    summary.withheld,
                    match (&opts.audience, opts.private) {
                        (Some(a), _) => format!(" (the pages audience '{a}' may not read)"),
                        (None, true) => " (none: private build)".to_string(),
                        (None, false) => String::new(),
                    },
                    summary.stale,
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            if let Some(old) = summary.previous {
                let _ = std::fs::remove_dir_all(old);
            }
            ExitCode::SUCCESS
        }
        Err(f) => report_failure(f),
    }
}

fn run_check(args: CheckArgs) -> ExitCode {
    let opts = options(&args.common);
    match pipeline::check(&opts) {
        Ok(loaded) => {
            let report = crate::check::report(&loaded);
            let mut warnings = report.warnings;
            diag::sort(&mut warnings);
            if !args.common.quiet {
                print_diags(&warnings);
            }
            if args.common.verbose {
                print_timings(&loaded.timings);
            }
            if !args.common.quiet {
                say!(
                    "checked {} entries and {} guide pages: no errors, {} stale, {} without revisions, {} risky without warnings, {} near-miss lock types, {} brand spellings to merge{}",
                    loaded.site.entries.len(),
                    loaded.site.guides.len(),
                    report.stale,
                    report.unrevised,
                    report.risky,
                    report.near_misses,
                    report.brand_spellings,
                    if loaded.config.audiences.is_empty() || !opts.private {
                        String::new()
                    } else {
                        format!(", {} audience findings", report.audiences)
                    },
                );
                let tally = crate::status::tally(&loaded.site, loaded.config.stale_after_days);
                let summary =
                    crate::status::summary(&loaded.site, &tally, loaded.config.stale_after_days);
                for line in summary {
                    say!("{line}");
                }
                if loaded.site.withheld > 0 {
                    say!(
                        "  note: {} sensitive page{} not checked for these reports; `lockgen check --private` includes them",
                        loaded.site.withheld,
                        if loaded.site.withheld == 1 {
                            " was"
                        } else {
                            "s were"
                        }
                    );
                }
            }
            if args.strict && !warnings.is_empty() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(f) => report_failure(f),
    }
}

pub(crate) fn report_failure(f: Failure) -> ExitCode {
    match f {
        Failure::Site(mut diags) => {
            diag::sort(&mut diags);
            print_diags(&diags);
            let errors = diags.iter().filter(|d| d.is_error()).count();
            say!(
                "{errors} error{}; nothing was written",
                if errors == 1 { "" } else { "s" }
            );
        }
        Failure::Io(e) => say!("error: {e:#}"),
    }
    ExitCode::from(1)
}

pub(crate) fn print_timings(timings: &[(&str, std::time::Duration)]) {
    let mut err = std::io::stderr().lock();
    for (stage, t) in timings {
        let _ = writeln!(err, "  {stage:<14} {:>8.1} ms", t.as_secs_f64() * 1000.0);
    }
}

pub(crate) fn print_diags(diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
}
