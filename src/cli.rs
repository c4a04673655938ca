//! Command line: `lockgen build | serve | check`.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Args, Parser, Subcommand};

use crate::diag::{self, Diagnostic};
use crate::pipeline::{self, Failure, Options};

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
struct Common {
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
struct BuildArgs {
    #[command(flatten)]
    common: Common,
    /// Output folder (default: output_dir, or private_output_dir with --private)
    #[arg(long, value_name = "DIR")]
    output: Option<PathBuf>,
    /// Override site.toml's base_url
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Also write handbook.pdf: the print page (/print/) printed by headless Chromium
    #[arg(long)]
    pdf: bool,
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

fn options(common: &Common) -> Options {
    Options {
        root: common.root.clone(),
        private: common.private,
        ..Options::default()
    }
}

/// A line about a long step (`build --pdf`), unless `--quiet`.
fn progress(line: &str) {
    say!("{line}");
}

fn run_build(args: BuildArgs) -> ExitCode {
    let started = Instant::now();
    let opts = Options {
        output: args.output.clone(),
        base_url: args.base_url.clone(),
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
                    if opts.private {
                        " (none: private build)"
                    } else {
                        ""
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
                    "checked {} entries and {} guide pages: no errors, {} stale, {} without revisions, {} risky without warnings, {} near-miss lock types, {} brand spellings to merge",
                    loaded.site.entries.len(),
                    loaded.site.guides.len(),
                    report.stale,
                    report.unrevised,
                    report.risky,
                    report.near_misses,
                    report.brand_spellings,
                );
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

fn report_failure(f: Failure) -> ExitCode {
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

fn print_timings(timings: &[(&str, std::time::Duration)]) {
    let mut err = std::io::stderr().lock();
    for (stage, t) in timings {
        let _ = writeln!(err, "  {stage:<14} {:>8.1} ms", t.as_secs_f64() * 1000.0);
    }
}

fn print_diags(diags: &[Diagnostic]) {
    let mut err = std::io::stderr().lock();
    for d in diags {
        let _ = writeln!(err, "{d}");
    }
}
