//! `infra-codegen`: generates infra-core's AWS resource layer from a provider schema in the
//! standard `terraform providers schema -json` format.
//!
//! Layout: [`schema`] parses (and enriches) the schema, [`handwritten`] reads the list of
//! hand-written types the output must leave out, [`model`] decides names, services and Rust
//! types, [`emit`] writes the text, [`index`] the validator's schema index. `main` only reads arguments and files, and writes or
//! compares the output (`--check`). No network; nothing but the given files is read.

mod emit;
mod handwritten;
mod index;
mod model;
mod not_references;
mod overlay;
mod references;
mod schema;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use generated_files::Output;

/// The name the tool reports under.
const TOOL: &str = "infra-codegen";

/// Generates `infra-core/src/aws/generated/`, the `[features]` of `infra-core/Cargo.toml` and the
/// coverage example's table from a provider schema.
#[derive(Parser, Debug)]
#[command(name = "infra-codegen", version, about, long_about = None)]
struct Cli {
    /// The schema to generate from (`.json`, or `.json.gz`), in `terraform providers schema -json` format.
    #[arg(long, default_value = "tools/schema/aws-6.66.0.json.gz")]
    schema: PathBuf,
    /// A schema of another version to take what the first cannot tell (sensitive flags,
    /// descriptions, item limits) from, for the types both have; `none` to use none.
    #[arg(long, default_value = "tools/schema/aws-5.100.0.json.gz")]
    enrich: String,
    /// The provider address inside the schema files.
    #[arg(long, default_value = "registry.terraform.io/hashicorp/aws")]
    provider: String,
    /// The provider and version the schema describes, as the docs name it.
    #[arg(long, default_value = "hashicorp/aws 6.66.0")]
    provider_name: String,
    /// The list of hand-written types, which the output leaves out.
    #[arg(long, default_value = "infra-core/overlay/handwritten.txt")]
    handwritten: PathBuf,
    /// The overlay: one `<module>.toml` of typing decisions per module of `infra_core::aws`.
    #[arg(long, default_value = "infra-core/overlay/types")]
    overlay: PathBuf,
    /// The typed-reference rules (`references.rs`).
    #[arg(long, default_value = "infra-core/overlay/references.toml")]
    references: PathBuf,
    /// The reviewed non-references and the services whose reference arguments are complete
    /// (`not_references.rs`).
    #[arg(long, default_value = "infra-core/overlay/not-references.toml")]
    not_references: PathBuf,
    /// The workspace root; every path above and every output path is relative to it.
    #[arg(long, default_value = ".")]
    root: PathBuf,
    /// Compare instead of writing: exit 1 and name every file that differs from what the
    /// generator would write.
    #[arg(long)]
    check: bool,
}

/// Where the validator's schema index is written ([`index`]).
const INDEX: &str = "infra-core/src/aws/generated/schema.idx";

fn generate(cli: &Cli) -> Result<Output, String> {
    let at = |p: &Path| cli.root.join(p);
    let text = schema::read(&at(&cli.schema)).map_err(|e| e.to_string())?;
    let mut target = schema::parse(&text, &cli.provider)
        .map_err(|e| format!("{}: {e}", cli.schema.display()))?;
    let enriched_from = if cli.enrich == "none" {
        None
    } else {
        let path = PathBuf::from(&cli.enrich);
        let text = schema::read(&at(&path)).map_err(|e| e.to_string())?;
        let source =
            schema::parse(&text, &cli.provider).map_err(|e| format!("{}: {e}", path.display()))?;
        let taken = schema::enrich(&mut target, &source);
        eprintln!(
            "infra-codegen: took {taken} details from {}",
            path.display()
        );
        Some(cli.enrich.clone())
    };
    let list_path = at(&cli.handwritten);
    let list = std::fs::read_to_string(&list_path)
        .map_err(|e| format!("cannot read `{}`: {e}", list_path.display()))?;
    let mut hand = handwritten::HandWritten::parse(&list, &target)
        .map_err(|e| format!("{}:\n{e}", cli.handwritten.display()))?;
    let overlay = read_overlay(cli, &target)?;
    // The public names of the modules holding hand-written or overlay-typed types, which their
    // generated rest must not reuse (a glob re-export would be hidden by the module's own item:
    // `dynamodb::GlobalSecondaryIndex`, the table's block, hid the generated resource).
    let mut modules: Vec<String> = hand.modules().into_iter().map(str::to_owned).collect();
    modules.extend(overlay.uses.keys().cloned());
    modules.sort();
    modules.dedup();
    for module in modules {
        let path = PathBuf::from(format!("infra-core/src/aws/{module}.rs"));
        let source = std::fs::read_to_string(at(&path))
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        hand.add_module_source(&module, &source);
    }
    let mut model = model::build(&target, &hand, &overlay).map_err(|e| e.to_string())?;
    let rules_path = at(&cli.references);
    let rules = std::fs::read_to_string(&rules_path)
        .map_err(|e| format!("cannot read `{}`: {e}", rules_path.display()))
        .and_then(|t| {
            references::parse(&t).map_err(|e| format!("{}: {e}", cli.references.display()))
        })?;
    let mut rules = rules;
    let services_path = at(std::path::Path::new("infra-core/src/policy/service.rs"));
    rules.trusts = references::service_types(
        &std::fs::read_to_string(&services_path)
            .map_err(|e| format!("cannot read `{}`: {e}", services_path.display()))?,
    );
    let applied = references::apply(&mut model, &rules, &target, &hand)
        .map_err(|e| format!("{}:\n{e}", cli.references.display()))?;
    eprintln!(
        "infra-codegen: typed {} reference arguments ({} left as text: global types naming a regional kind)",
        applied.typed.values().sum::<usize>(),
        applied.left_as_text
    );
    let list_path = at(&cli.not_references);
    let list = std::fs::read_to_string(&list_path)
        .map_err(|e| format!("cannot read `{}`: {e}", list_path.display()))
        .and_then(|t| {
            not_references::parse(&t).map_err(|e| format!("{}: {e}", cli.not_references.display()))
        })?;
    let reviewed = not_references::apply(&mut model, &list, &target)
        .map_err(|e| format!("{}:\n{e}", cli.not_references.display()))?;
    eprintln!(
        "infra-codegen: {} reviewed non-references (own {}, value {}); {} reference-shaped text arguments open in services not complete",
        reviewed.own + reviewed.value,
        reviewed.own,
        reviewed.value,
        reviewed.open
    );
    let origin = emit::Origin {
        schema: cli.schema.display().to_string(),
        enriched_from,
        provider: cli.provider_name.clone(),
    };
    let mut files: Vec<(PathBuf, Vec<u8>)> = emit::files(&model, &origin)
        .into_iter()
        .map(|(p, t)| (PathBuf::from(p), t.into_bytes()))
        .collect();
    let version = cli
        .provider_name
        .rsplit(' ')
        .next()
        .unwrap_or(&cli.provider_name);
    let index = index::write(&text, &cli.provider, version)
        .map_err(|e| format!("{}: {e}", cli.schema.display()))?;
    files.push((PathBuf::from(INDEX), index));
    let cargo = PathBuf::from("infra-core/Cargo.toml");
    let current = std::fs::read_to_string(at(&cargo))
        .map_err(|e| format!("cannot read `{}`: {e}", cargo.display()))?;
    let spliced = emit::splice_features(&current, &emit::features(&model))
        .map_err(|e| format!("{}: {e}", cargo.display()))?;
    files.push((cargo, spliced.into_bytes()));

    // The schema index is binary: the files are bytes.
    Ok(Output::new(files).with_stale_in(
        &cli.root,
        &[
            "infra-core/src/aws/generated",
            "infra-core/src/aws/generated/overlay",
        ],
    ))
}

/// Reads and checks every overlay file (sorted by name), and that each module re-exports its
/// overlay-typed types.
fn read_overlay(cli: &Cli, schema: &schema::ProviderSchema) -> Result<overlay::Overlay, String> {
    let dir = cli.root.join(&cli.overlay);
    let mut files = Vec::new();
    let entries = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read `{}`: {e}", cli.overlay.display()))?;
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    for path in paths {
        let module = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let shown = cli.overlay.join(path.file_name().unwrap_or_default());
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read `{}`: {e}", shown.display()))?;
        files.push((shown.display().to_string(), module, text));
    }
    let overlay = overlay::Overlay::parse(&files, schema)?;
    let mut errors = Vec::new();
    for module in overlay.uses.keys() {
        let path = PathBuf::from(format!("infra-core/src/aws/{module}.rs"));
        let source = std::fs::read_to_string(cli.root.join(&path)).unwrap_or_default();
        let wanted = format!("pub use super::generated::overlay::{module}::*;");
        if !source.contains(&wanted) {
            errors.push(format!(
                "{}: the module `{}` must exist and re-export its overlay-typed types with `{wanted}`",
                cli.overlay.join(format!("{module}.toml")).display(),
                path.display()
            ));
        }
    }
    if errors.is_empty() {
        Ok(overlay)
    } else {
        Err(errors.join("\n"))
    }
}

fn run(cli: &Cli) -> Result<ExitCode, String> {
    let out = generate(cli)?;
    if cli.check {
        return Ok(out.check(&cli.root, TOOL));
    }
    // Everything is generated in memory first: a failure above writes nothing.
    out.write(&cli.root, TOOL)
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
            "infra-codegen",
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
        assert!(first.stale.is_empty(), "stale: {:?}", first.stale);
        let differ = first.differing(&cli.root);
        assert!(
            differ.is_empty(),
            "run `cargo run -p infra-codegen`: {differ:?}"
        );
        assert!(first.files.iter().all(|(p, bytes)| {
            p.ends_with("Cargo.toml")
                || (p.ends_with(INDEX) && bytes.starts_with(index::MAGIC.as_bytes()))
                || bytes.starts_with(
                    b"// @generated by infra-codegen from tools/schema/aws-6.66.0.json.gz",
                )
        }));
    }

    /// A module of `infra_core::aws` glob re-exports its generated service: an item of the
    /// module's own with a generated type's name would hide that type. Migrated modules (no
    /// hand-written type left) are read too: `dynamodb::GlobalSecondaryIndex`, the table's
    /// block, hid the generated `aws_dynamodb_global_secondary_index` when only the hand-written
    /// list's modules were read.
    #[test]
    fn no_generated_type_is_hidden_by_an_item_of_its_module() {
        let cli = workspace();
        let out = generate(&cli).unwrap();
        let mut hidden = Vec::new();
        for (path, bytes) in &out.files {
            let text = String::from_utf8_lossy(bytes);
            let Some(module) = path
                .strip_prefix("infra-core/src/aws/generated")
                .ok()
                .and_then(|p| p.to_str())
                .and_then(|p| p.strip_suffix(".rs"))
            else {
                continue;
            };
            let Ok(source) =
                std::fs::read_to_string(cli.root.join(format!("infra-core/src/aws/{module}.rs")))
            else {
                continue;
            };
            let mut names = handwritten::HandWritten::default();
            names.add_module_source(module, &source);
            for line in text.lines() {
                if let Some(name) = line
                    .strip_prefix("pub struct ")
                    .and_then(|r| r.split(['<', ' ', '{', '(']).next())
                    && names.module_has(module, name)
                {
                    hidden.push(format!("{module}::{name}"));
                }
            }
        }
        assert!(
            hidden.is_empty(),
            "hidden by the module's own items: {hidden:?}"
        );
    }

    #[test]
    fn a_bad_input_is_an_error_not_a_panic() {
        let mut cli = workspace();
        cli.schema = PathBuf::from("no/such/schema.json");
        let err = generate(&cli).err().unwrap();
        assert!(err.contains("cannot read `"), "{err}");
        let mut cli = workspace();
        cli.provider = "registry.terraform.io/hashicorp/azurerm".to_owned();
        let err = generate(&cli).err().unwrap();
        assert!(
            err.contains("has no provider `registry.terraform.io/hashicorp/azurerm`"),
            "{err}"
        );
    }
}
