//! The commands that write a site's sources rather than build it:
//! `init`, `new`, `import`, `export`. Each has its args struct and `run`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::diag::Diagnostic;
use crate::pipeline;

/// Exit status 1 (the site's files are in the way, or bad), after the diagnostic.
fn fail(d: &Diagnostic) -> ExitCode {
    say!("{d}");
    ExitCode::from(1)
}

/// "Today" for new revisions: the build's date, so `SOURCE_DATE_EPOCH` fixes it too.
fn today() -> Result<jiff::civil::Date, ExitCode> {
    pipeline::build_date().map_err(|d| {
        say!("{d}");
        ExitCode::from(2)
    })
}

#[derive(Args, Debug)]
pub(super) struct InitArgs {
    /// The folder of the new site (made if missing; default: the current folder)
    #[arg(default_value = ".", value_name = "DIR")]
    dir: PathBuf,
    /// Write into a folder that is not empty (existing files are still never overwritten)
    #[arg(long)]
    force: bool,
    /// Print errors only
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more
    #[arg(long, short)]
    verbose: bool,
}

impl InitArgs {
    pub(super) fn run(self) -> ExitCode {
        let today = match today() {
            Ok(t) => t,
            Err(code) => return code,
        };
        match crate::init::write(&self.dir, self.force, today) {
            Ok(written) => {
                if !self.quiet {
                    for p in &written {
                        say!("created {}", p.display());
                    }
                    let cd = if self.dir == std::path::Path::new(".") {
                        String::new()
                    } else {
                        format!("cd {} && ", self.dir.display())
                    };
                    say!(
                        "a new handbook: next, {cd}lockgen build (public) or lockgen build --private"
                    );
                }
                ExitCode::SUCCESS
            }
            Err(d) => fail(&d),
        }
    }
}

#[derive(Args, Debug)]
pub(super) struct NewArgs {
    /// "Brand Model": the first word is the brand, the rest the model (see --brand, --model)
    #[arg(value_name = "BRAND MODEL")]
    name: String,
    /// The brand, when it has several words ("Acme Locks"); the name's rest is then the model
    #[arg(long)]
    brand: Option<String>,
    /// The model, when the name holds more than brand and model
    #[arg(long)]
    model: Option<String>,
    /// The entry's title (default: "Brand Model")
    #[arg(long)]
    title: Option<String>,
    /// Where it is installed: "Building / Floor / Room"
    #[arg(long)]
    location: Option<String>,
    /// The lock type: electronic-deadbolt, keypad, smart-lock, biometric, safe, cabinet, …
    #[arg(long = "type", value_name = "TYPE")]
    lock_type: Option<String>,
    /// Mark the entry sensitive: left out of public builds
    #[arg(long)]
    sensitive: bool,
    /// Write a bundle, <model>/index.md, to keep photos and the manual beside it
    #[arg(long)]
    bundle: bool,
    /// The site folder, holding site.toml
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Print errors only
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more
    #[arg(long, short)]
    verbose: bool,
}

impl NewArgs {
    pub(super) fn run(self) -> ExitCode {
        let today = match today() {
            Ok(t) => t,
            Err(code) => return code,
        };
        let req = crate::new::Request {
            name: self.name,
            brand: self.brand,
            model: self.model,
            title: self.title,
            location: self.location,
            lock_type: self.lock_type,
            sensitive: self.sensitive,
            bundle: self.bundle,
        };
        match crate::new::write(&self.root, &req, today) {
            Ok(rel) => {
                // The path is the command's output: on stdout, for `$EDITOR $(lockgen new …)`.
                #[allow(clippy::print_stdout)]
                {
                    if self.root == std::path::Path::new(".") {
                        println!("{rel}");
                    } else {
                        println!("{}", self.root.join(&rel).display());
                    }
                }
                ExitCode::SUCCESS
            }
            Err(d) if d.path.is_empty() => {
                say!("{d}");
                ExitCode::from(2)
            }
            Err(d) => fail(&d),
        }
    }
}

#[derive(Args, Debug)]
pub(super) struct ImportArgs {
    /// The spreadsheet: .csv (`,` or `;` separated, detected), or .tsv
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Write the entries (without it, a dry run: print what would be written)
    #[arg(long)]
    write: bool,
    /// Replace entry files that are there already
    #[arg(long)]
    force: bool,
    /// Fill FIELD from the column HEADER (repeatable); FIELD `ignore` drops the column
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    maps: Vec<String>,
    /// How numeric dates are written: DD/MM/YYYY, MM/DD/YYYY, D.M.YY, …
    #[arg(long, value_name = "FORMAT")]
    date_format: Option<String>,
    /// The site folder, holding site.toml
    #[arg(long, default_value = ".", value_name = "DIR")]
    root: PathBuf,
    /// Print errors only
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print each file that would be written, in full
    #[arg(long, short)]
    verbose: bool,
}

impl ImportArgs {
    pub(super) fn run(self) -> ExitCode {
        let usage = |m: String| {
            say!("error: {m}");
            ExitCode::from(2)
        };
        let maps: Result<Vec<_>, String> = self
            .maps
            .iter()
            .map(|m| crate::import::parse_map(m))
            .collect();
        let maps = match maps {
            Ok(m) => m,
            Err(m) => return usage(m),
        };
        let date_format = match self
            .date_format
            .as_deref()
            .map(crate::import::dates::Format::parse)
        {
            Some(Err(m)) => return usage(m),
            Some(Ok(f)) => Some(f),
            None => None,
        };
        if !self.root.join(crate::config::FILE).is_file() {
            return usage(format!(
                "no {} in {}: pass --root DIR, or start a site with `lockgen init`",
                crate::config::FILE,
                self.root.display()
            ));
        }
        let today = match today() {
            Ok(t) => t,
            Err(code) => return code,
        };
        let opts = crate::import::Options {
            file: self.file.clone(),
            root: self.root.clone(),
            write: self.write,
            force: self.force,
            maps,
            date_format,
            today,
        };
        let report = match crate::import::run(&opts) {
            Ok(r) => r,
            Err(mut diags) => {
                crate::diag::sort(&mut diags);
                for d in &diags {
                    say!("{d}");
                }
                say!("nothing was imported");
                return ExitCode::from(1);
            }
        };
        self.print(&report)
    }

    fn print(&self, report: &crate::import::Report) -> ExitCode {
        let mut problems = report.problems.clone();
        crate::diag::sort(&mut problems);
        for d in problems.iter().filter(|d| !self.quiet || d.is_error()) {
            say!("{d}");
        }
        let errors = report.errors();
        let written = self.write && errors == 0;
        let doing = if written { "created" } else { "would create" };
        let new: Vec<_> = report.planned.iter().filter(|p| !p.exists).collect();
        if !self.quiet {
            for p in &new {
                say!("{doing} {} (row {})", p.rel, p.row);
                if self.verbose {
                    say!("{}", p.text);
                }
            }
        }
        let created = if written { new.len() } else { 0 };
        let what = if written {
            String::new()
        } else if errors > 0 {
            "; nothing was written: fix the errors and import again".to_string()
        } else {
            format!(
                "; dry run, nothing was written: add --write to create the {} files",
                new.len()
            )
        };
        if !self.quiet || errors > 0 {
            say!(
                "{created} created, {} skipped, {errors} error{} ({} rows not imported, {} blank rows){what}",
                report.skipped,
                if errors == 1 { "" } else { "s" },
                report.failed,
                report.blank,
            );
        }
        if errors > 0 {
            ExitCode::from(1)
        } else {
            ExitCode::SUCCESS
        }
    }
}

#[derive(Args, Debug)]
pub(super) struct ExportArgs {
    #[command(flatten)]
    common: super::Common,
    /// csv (UTF-8 with a byte order mark, for Excel) or json
    #[arg(long, value_enum, default_value = "csv")]
    format: crate::export::Format,
    /// Write to this file instead of stdout
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

impl ExportArgs {
    pub(super) fn run(self) -> ExitCode {
        let opts = pipeline::Options {
            root: self.common.root.clone(),
            private: self.common.private,
            ..pipeline::Options::default()
        };
        let bytes = match crate::export::export(&opts, self.format) {
            Ok(b) => b,
            Err(f) => return super::report_failure(f),
        };
        let written = match &self.out {
            Some(path) => std::fs::write(path, &bytes),
            None => {
                use std::io::Write as _;
                let mut out = std::io::stdout().lock();
                out.write_all(&bytes).and_then(|()| out.flush())
            }
        };
        match written {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                say!("error: cannot write the export: {e}");
                ExitCode::from(1)
            }
        }
    }
}
