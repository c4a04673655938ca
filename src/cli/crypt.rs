//! `build --private --encrypt` and `lockgen decrypt DIR --out PLAIN`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use super::{BuildArgs, Common, print_diags, print_timings, report_failure};
use crate::crypt::passphrase::{self, Sources};
use crate::diag;
use crate::pipeline::{self, Failure, Options};

#[derive(Args, Debug)]
pub struct DecryptArgs {
    /// The folder `build --private --encrypt` wrote
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Where to write the plain build the passphrase opens (replaced atomically)
    #[arg(long, value_name = "PLAIN")]
    out: PathBuf,
    /// The audience whose passphrase to use (LOCKGEN_PASSPHRASE_<NAME>, its line in --passphrases); it must be the one the passphrase opens
    #[arg(long, value_name = "NAME")]
    audience: Option<String>,
    /// A TOML file of passphrases, NAME = "passphrase" (as for build --encrypt)
    #[arg(long, value_name = "FILE")]
    passphrases: Option<PathBuf>,
    /// Print errors only
    #[arg(long, short, conflicts_with = "verbose")]
    quiet: bool,
    /// Print more
    #[arg(long, short)]
    verbose: bool,
}

pub fn run_build(args: &BuildArgs, started: Instant) -> ExitCode {
    let opts = Options {
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        audience: args.audience.clone(),
        pdf: args.pdf,
        ..super::options(&args.common)
    };
    let sources = Sources {
        file: args.passphrases.clone(),
        allow_weak: args.allow_weak_passphrase,
    };
    let common: &Common = &args.common;
    match crate::crypt::build::build(&opts, &sources) {
        Ok(sealed) => {
            let mut warnings = sealed.warnings;
            diag::sort(&mut warnings);
            if !common.quiet {
                print_diags(&warnings);
            }
            if common.verbose {
                print_timings(&sealed.timings);
            }
            if !common.quiet {
                let names: Vec<&str> = sealed
                    .audiences
                    .iter()
                    .map(|a| a.as_deref().unwrap_or(passphrase::EVERYONE))
                    .collect();
                say!(
                    "built an encrypted handbook for {} audience{} ({}) into {}: {} pages encrypted as {} files, {:.1} MB; {:.0} ms",
                    names.len(),
                    if names.len() == 1 { "" } else { "s" },
                    names.join(", "),
                    pipeline::display_rel(&opts.root, &sealed.output),
                    sealed.pages,
                    sealed.files,
                    sealed.bytes as f64 / 1e6,
                    started.elapsed().as_secs_f64() * 1000.0
                );
            }
            if let Some(old) = sealed.previous {
                let _ = std::fs::remove_dir_all(old);
            }
            ExitCode::SUCCESS
        }
        Err(f) => report_failure(f),
    }
}

impl DecryptArgs {
    pub fn run(self) -> ExitCode {
        let started = Instant::now();
        let file = match &self.passphrases {
            Some(f) => match passphrase::read_file(f, &self.dir) {
                Ok(entries) => Some(entries),
                Err(d) => return report_failure(Failure::Site(vec![d])),
            },
            None => None,
        };
        // Without --audience, a passphrase file of one line names its audience.
        let audience = self.audience.clone().or_else(|| match &file {
            Some(f) if f.len() == 1 => f
                .keys()
                .next()
                .filter(|k| *k != passphrase::EVERYONE)
                .cloned(),
            _ => None,
        });
        let secret = match passphrase::find(audience.as_deref(), file.as_ref(), false) {
            Ok(p) => p,
            Err(d) => return report_failure(Failure::Site(vec![d])),
        };
        match crate::crypt::open::decrypt_to(
            &self.dir,
            &self.out,
            &secret,
            self.audience.as_deref(),
        ) {
            Ok((opened, files)) => {
                if !self.quiet {
                    say!(
                        "decrypted {files} files of audience {} into {}; {:.0} ms",
                        opened.as_deref().unwrap_or(passphrase::EVERYONE),
                        self.out.display(),
                        started.elapsed().as_secs_f64() * 1000.0
                    );
                }
                ExitCode::SUCCESS
            }
            Err(f) => report_failure(f),
        }
    }
}
