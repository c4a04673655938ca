//! `build --private --encrypt`: every audience's plain build in memory, the
//! encryption stage over its finished files, the ciphertext audit on every
//! encrypted file, then the same atomic swap as any build.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use super::needles::{Found, Needles};
use super::passphrase::{self, Sources};
use super::seal::Sealer;
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::output::{self, Staging};
use crate::pipeline::{self, Failure, Options};
use crate::produce::{Memory, Plan, produce};
use crate::render::{CopySource, Output, Renderer};

/// What an encrypted build did.
pub struct Sealed {
    /// Audience names (`None`: the one audience of a site without audiences).
    pub audiences: Vec<Option<String>>,
    /// Pages of the plain builds, summed over audiences.
    pub pages: usize,
    pub files: usize,
    pub bytes: u64,
    pub output: PathBuf,
    pub previous: Option<PathBuf>,
    pub warnings: Vec<Diagnostic>,
    pub timings: Vec<(&'static str, Duration)>,
}

/// The output folder: `--output`, else `private_output_dir` with
/// `-encrypted` added (`private-encrypted`, or `private-NAME-encrypted` for
/// one audience's), never a plain build's folder.
fn destination(opts: &Options, config: &Config) -> PathBuf {
    if let Some(o) = &opts.output {
        return opts.root.join(o);
    }
    let mut name = config
        .private_output_dir
        .file_name()
        .unwrap_or_default()
        .to_os_string();
    if let Some(a) = &opts.audience {
        name.push(format!("-{a}"));
    }
    name.push("-encrypted");
    config.private_output_dir.with_file_name(name)
}

/// The audiences to encrypt for: `--audience`'s, else site.toml's, else the one implicit audience.
fn audiences(opts: &Options, config: &Config) -> Result<Vec<Option<String>>, Diagnostic> {
    match &opts.audience {
        Some(a) => Ok(vec![Some(config.audience(a)?.name.clone())]),
        None if config.audiences.is_empty() => Ok(vec![None]),
        None => Ok(config
            .audiences
            .iter()
            .map(|a| Some(a.name.clone()))
            .collect()),
    }
}

/// The passphrase of each audience, judged; warnings are returned.
fn passphrases(
    opts: &Options,
    targets: &[Option<String>],
    sources: &Sources,
) -> Result<(Vec<String>, Vec<Diagnostic>), Failure> {
    let file = match &sources.file {
        Some(f) => Some(passphrase::read_file(f, &opts.root).map_err(|d| vec![d])?),
        None => None,
    };
    let mut found = Vec::new();
    let mut diags = Vec::new();
    for t in targets {
        match passphrase::find(t.as_deref(), file.as_ref(), true) {
            Ok(p) => found.push((t.clone(), p)),
            Err(d) => diags.push(d),
        }
    }
    diags.extend(passphrase::judge(&found, sources.allow_weak));
    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags.into());
    }
    Ok((found.into_iter().map(|(_, p)| p).collect(), diags))
}

/// Builds the encrypted site.
pub fn build(opts: &Options, sources: &Sources) -> Result<Sealed, Failure> {
    let mut timings = Vec::new();
    if opts.pdf {
        return Err(vec![Diagnostic::error(
            "--pdf",
            0,
            0,
            "--pdf with --encrypt would publish the handbook as a plain PDF",
        )
        .with_hint("build the PDF from a plain private build (without --encrypt), and keep it as carefully as the passphrases")]
        .into());
    }
    let config = Config::load(&opts.root)?;
    let targets = audiences(opts, &config).map_err(|d| vec![d])?;
    let (secrets, warnings) = passphrases(opts, &targets, sources)?;
    let dest = destination(opts, &config);
    if [&config.output_dir, &config.private_output_dir]
        .iter()
        .any(|d| pipeline::overlaps(&dest, d))
    {
        return Err(vec![Diagnostic::error(
            "--output",
            0,
            0,
            "an encrypted build must not write to output_dir or private_output_dir, or inside them",
        )]
        .into());
    }
    output::check_destination(&config.root, &dest).map_err(Failure::Io)?;
    let out_name = pipeline::display_rel(&config.root, &dest);
    let staging = Staging::new(&dest).map_err(Failure::Io)?;

    let mut sealer: Option<(Sealer, Needles)> = None;
    let mut tally = Tally::default();
    for (target, secret) in targets.iter().zip(&secrets) {
        let t = Instant::now();
        let (loaded, docs, plain, rendered) = plain_build(opts, target, &out_name)?;
        tally.pages += rendered;
        timings.push(("plain build", t.elapsed()));
        let t = Instant::now();
        if sealer.is_none() {
            sealer = Some(start(&loaded, &docs)?);
        }
        let Some((sealer, needles)) = sealer.as_mut() else {
            unreachable!("set just above")
        };
        let salt = super::random::<16>().map_err(Failure::Io)?;
        let sealed = sealer
            .add(target.clone(), secret, salt, super::ITERATIONS, plain)
            .map_err(Failure::Io)?;
        tally.publish(sealed, needles, &staging)?;
        timings.push(("encrypt", t.elapsed()));
    }
    let Some((sealer, needles)) = sealer else {
        unreachable!("at least one audience")
    };
    let last = vec![
        sealer.finish(super::ITERATIONS).map_err(Failure::Io)?,
        shell_page(&config),
        Output {
            rel_path: "robots.txt".to_string(),
            bytes: b"User-agent: *\nDisallow: /\n".to_vec(),
        },
    ];
    tally.publish(last, &needles, &staging)?;
    let Tally {
        pages,
        files,
        bytes,
        found,
    } = tally;
    if !found.is_empty() {
        return Err(found
            .into_iter()
            .map(|f| {
                Diagnostic::error(
                    format!("{out_name}/{}", f.file),
                    1,
                    1,
                    format!("leak: the encrypted output shows the {} '{}' in clear", f.what, f.needle),
                )
                .with_hint("a clear file (theme, shell) or a file name holds page text; nothing was written")
            })
            .collect::<Vec<_>>()
            .into());
    }
    let previous = staging.commit().map_err(Failure::Io)?;
    Ok(Sealed {
        audiences: targets,
        pages,
        files,
        bytes,
        output: dest,
        previous,
        warnings,
        timings,
    })
}

/// Counts of the published encrypted files, and what the ciphertext audit found in them.
#[derive(Default)]
struct Tally {
    pages: usize,
    files: usize,
    bytes: u64,
    found: Vec<Found>,
}

impl Tally {
    /// Audits each file (name and bytes) and stages it.
    fn publish(
        &mut self,
        outs: Vec<Output>,
        needles: &Needles,
        staging: &Staging,
    ) -> Result<(), Failure> {
        let found: Vec<Vec<Found>> = outs
            .par_iter()
            .map(|out| {
                staging.write(out)?;
                Ok(needles.scan(&out.rel_path, &out.bytes))
            })
            .collect::<anyhow::Result<_>>()
            .map_err(Failure::Io)?;
        self.found.extend(found.into_iter().flatten());
        self.files += outs.len();
        self.bytes += outs.iter().map(|o| o.bytes.len() as u64).sum::<u64>();
        Ok(())
    }
}

/// One audience's plain private build, in memory, sorted by path: the
/// ordinary pipeline (sensitive filter, leak audit) with a Memory sink.
/// Also its loaded site, every doc (for the needles), and its page count.
type PlainBuild = (
    pipeline::Loaded,
    Vec<crate::doc::Doc>,
    Vec<(String, Arc<[u8]>)>,
    usize,
);

fn plain_build(
    opts: &Options,
    target: &Option<String>,
    out_name: &str,
) -> Result<PlainBuild, Failure> {
    let plain_opts = Options {
        private: true,
        audience: target.clone(),
        pdf: false,
        ..opts.clone()
    };
    let (loaded, docs) = pipeline::load_with_docs(&plain_opts)?;
    let renderer = Renderer::new(&loaded.config, &loaded.site, &loaded.theme)?;
    let memory = Memory::default();
    let produced = produce(
        &loaded.config,
        &loaded.site,
        &renderer,
        &loaded.theme,
        &memory,
        out_name,
        Plan::Everything,
    );
    drop(renderer);
    if !produced.problems.is_empty() {
        return Err(produced.problems.into());
    }
    let (files, _) = memory.into_parts();
    let mut files: Vec<(String, Arc<[u8]>)> =
        files.into_iter().map(|(k, v)| (k.to_string(), v)).collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok((loaded, docs, files, produced.pages))
}

/// The sealer and the ciphertext audit, from the first audience's build:
/// the theme's files may stay clear, and every doc gives needles.
fn start(
    loaded: &pipeline::Loaded,
    docs: &[crate::doc::Doc],
) -> Result<(Sealer, Needles), Failure> {
    let themes = loaded.config.root.join("themes");
    let clear: Vec<&crate::render::Copy> = loaded
        .theme
        .files
        .iter()
        .filter(|c| match &c.source {
            CopySource::Embedded(_) => true,
            CopySource::Disk(p) => p.starts_with(&themes),
        })
        .collect();
    // Only the built-in theme's words are excused: a site's own theme file
    // that prints a page's title is a leak like any other.
    let mut clear_texts: Vec<Vec<u8>> = clear
        .iter()
        .filter_map(|c| match &c.source {
            CopySource::Embedded(b) => Some(b.to_vec()),
            CopySource::Disk(_) => None,
        })
        .collect();
    clear_texts.push(super::shell::FIXED_TEXT.as_bytes().to_vec());
    clear_texts.push(loaded.config.title.as_bytes().to_vec());
    let refs: Vec<&[u8]> = clear_texts.iter().map(Vec::as_slice).collect();
    let needles = Needles::new(docs, &refs).map_err(|e| {
        vec![Diagnostic::error(
            "content",
            0,
            0,
            format!("cannot prepare the ciphertext audit: {e}"),
        )]
    })?;
    let paths: BTreeSet<String> = clear.iter().map(|c| c.rel_path.clone()).collect();
    let sealer = Sealer::new(paths, loaded.config.base_path()).map_err(Failure::Io)?;
    Ok((sealer, needles))
}

fn shell_page(config: &Config) -> Output {
    Output {
        rel_path: "index.html".to_string(),
        bytes: super::shell::page(&config.title, &config.language).into_bytes(),
    }
}
