//! `infra-iamgen`: generates infra-core's typed IAM actions (`infra-core/src/iam/`) from AWS's
//! Service Authorization Reference, as `tools/iam/extract.py` cuts it.
//!
//! Layout: [`data`] reads the authorization data and the resource layer's types, [`overrides`]
//! the override file, [`model`] maps resource types to kinds and decides names and classes,
//! [`emit`] writes the text. `main` only reads arguments and files, and writes or compares the
//! output (`--check`). No network; nothing but the given files is read.

mod data;
mod emit;
mod model;
mod overrides;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use generated_files::Output;

/// The name the tool reports under.
const TOOL: &str = "infra-iamgen";

/// Generates `infra-core/src/iam/`, the `iam-*` features of `infra-core/Cargo.toml` and the
/// coverage example's IAM table from AWS's authorization data.
#[derive(Parser, Debug)]
#[command(name = "infra-iamgen", version, about, long_about = None)]
struct Cli {
    /// The authorization data (`.json` or `.json.gz`), as `tools/iam/extract.py` writes it.
    #[arg(long, default_value = "tools/iam/iam-data-0.21.202609231.json.gz")]
    data: PathBuf,
    /// The overrides of the automatic resource-type mapping.
    #[arg(long, default_value = "tools/iam/overrides.txt")]
    overrides: PathBuf,
    /// The hand-written resource types (`<module> <RustType> <terraform type>` lines).
    #[arg(long, default_value = "infra-core/overlay/handwritten.txt")]
    handwritten: PathBuf,
    /// The generated resource layer, whose modules list their types in `__types()`.
    #[arg(long, default_value = "infra-core/src/aws/generated")]
    generated: PathBuf,
    /// The workspace root; every path above and every output path is relative to it.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Compare instead of writing: exit 1 and name every file that differs from what the
    /// generator would write.
    #[arg(long)]
    check: bool,
}

fn read_text(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))
}

fn generate(cli: &Cli) -> Result<Output, String> {
    let at = |p: &Path| cli.root.join(p);
    let data = data::parse(&data::read(&at(&cli.data))?)
        .map_err(|e| format!("{}: {e}", cli.data.display()))?;
    let mut types = data::TfTypes::default();
    let dir = at(&cli.generated);
    for path in &rs_files(&dir)? {
        types
            .add_generated(&read_text(path)?, true)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    // The overlay-typed types (`generated/overlay/`), compiled without any feature.
    for path in &rs_files(&dir.join("overlay"))? {
        types
            .add_generated(&read_text(path)?, false)
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    types
        .add_handwritten(&read_text(&at(&cli.handwritten))?)
        .map_err(|e| format!("{}: {e}", cli.handwritten.display()))?;
    let overrides = overrides::Overrides::parse(&read_text(&at(&cli.overrides))?)
        .map_err(|e| format!("{}:\n{e}", cli.overrides.display()))?;
    let model = model::build(&data, &types, &overrides)
        .map_err(|e| format!("{}:\n{e}", cli.overrides.display()))?;
    let mut files: Vec<(PathBuf, Vec<u8>)> = emit::files(&model, &cli.data.display().to_string())
        .into_iter()
        .map(|(p, t)| (PathBuf::from(p), t.into_bytes()))
        .collect();
    let cargo = PathBuf::from("infra-core/Cargo.toml");
    let spliced = emit::splice_features(&read_text(&at(&cargo))?, &emit::features(&model))
        .map_err(|e| format!("{}: {e}", cargo.display()))?;
    files.push((cargo, spliced.into_bytes()));

    Ok(Output::new(files).with_stale_in(&cli.root, &["infra-core/src/iam"]))
}

fn run(cli: &Cli) -> Result<ExitCode, String> {
    let out = generate(cli)?;
    if cli.check {
        return Ok(out.check(&cli.root, TOOL));
    }
    // Everything is generated in memory first: a failure above writes nothing.
    out.write(&cli.root, TOOL)
}

/// The `.rs` files directly in `dir`, sorted (a generated layer's modules).
fn rs_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .collect();
    files.sort();
    Ok(files)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("{TOOL}: error: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workspace() -> Cli {
        Cli::parse_from([
            "infra-iamgen",
            "--root",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../.."),
        ])
    }

    /// The committed output is what the generator writes, and generating twice gives the same
    /// bytes (as `--check` in scripts/test, but also under `cargo test`).
    #[test]
    fn committed_output_is_up_to_date_and_reproducible() {
        let cli = workspace();
        let first = generate(&cli).unwrap();
        let second = generate(&cli).unwrap();
        assert_eq!(first.files, second.files);
        let differ = first.differing(&cli.root);
        assert!(
            differ.is_empty(),
            "run `cargo run -p infra-iamgen`: {differ:?}"
        );
    }

    #[test]
    fn a_bad_input_is_an_error_not_a_panic() {
        let mut cli = workspace();
        cli.data = PathBuf::from("no/such/data.json.gz");
        let err = generate(&cli).err().unwrap();
        assert!(err.contains("cannot read `"), "{err}");
    }
}
