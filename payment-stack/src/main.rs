//! `payment-stack`: synthesizes the payment platform into a Terraform-ready directory.
//!
//! Exit codes: 0 success; 2 invalid arguments or configuration (nothing written);
//! 1 synthesis or write failure (nothing written).

// No function over 80 lines (clippy.toml), as in the library.
#![warn(clippy::too_many_lines)]

use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use infra_core::{Backend, S3Backend};
use payment_stack::{Config, EnvironmentKind, build, outputs};

/// Synthesize the multi-region payment platform as Terraform JSON.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    synth: SynthArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Turn `terraform output -json` into `cfn-outputs/flat-outputs.json` for integration tests.
    FlattenOutputs {
        /// The file `terraform output -json` wrote (`-` for standard input).
        #[arg(long, default_value = "-")]
        input: PathBuf,
        /// Where to write the flat outputs.
        #[arg(long, default_value = "cfn-outputs/flat-outputs.json")]
        out: PathBuf,
    },
}

#[derive(clap::Args, Debug)]
struct SynthArgs {
    /// Output directory (created if missing); `main.tf.json` is written there.
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// Environment suffix in every resource name (`payment-{suffix}-…`).
    #[arg(long, env = "ENVIRONMENT_SUFFIX", default_value = "dev")]
    env_suffix: String,
    /// How the environment may be torn down. `production` keeps the payments table
    /// (`prevent_destroy`, deletion protection) and any bucket holding objects through
    /// `terraform destroy`; `non-production` lets `terraform destroy` remove everything, data
    /// included (`force_destroy` on the buckets), with no manual step.
    #[arg(long, value_enum, default_value_t = KindArg::Production)]
    environment_kind: KindArg,
    /// The DNS zone the platform owns (delegate it from the parent zone after the first apply).
    #[arg(long, default_value = "payments.example.com")]
    domain: String,
    /// The one origin browsers may call the API from (default `https://<domain>`).
    #[arg(long)]
    cors_origin: Option<String>,
    /// An email address subscribed to both regions' alarm topics.
    #[arg(long)]
    alarm_email: Option<String>,
    /// The Lambda deployment zip (built by `scripts/lambda-package.sh`).
    #[arg(long, default_value = "dist/payment-processor.zip")]
    lambda_zip: PathBuf,
    /// Where Terraform keeps state.
    #[arg(long, value_enum, default_value_t = BackendKind::Local)]
    backend: BackendKind,
    /// S3 backend: the state bucket.
    #[arg(long, required_if_eq("backend", "s3"))]
    state_bucket: Option<String>,
    /// S3 backend: the state object key.
    #[arg(long, default_value = "payment-platform/terraform.tfstate")]
    state_key: String,
    /// S3 backend: the state bucket's region.
    #[arg(long, default_value = "us-east-1")]
    state_region: String,
    /// S3 backend: a KMS key (ARN or `alias/…`) encrypting the state.
    #[arg(long)]
    state_kms_key: Option<String>,
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum KindArg {
    /// Data protected from `terraform destroy` (the default).
    Production,
    /// Disposable: `terraform destroy` removes everything.
    NonProduction,
}

impl From<KindArg> for EnvironmentKind {
    fn from(kind: KindArg) -> Self {
        match kind {
            KindArg::Production => EnvironmentKind::Production,
            KindArg::NonProduction => EnvironmentKind::NonProduction,
        }
    }
}

#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum BackendKind {
    /// A local state file in the output directory.
    Local,
    /// An S3 bucket, encrypted, with S3-native locking.
    S3,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Some(Command::FlattenOutputs { input, out }) => flatten_outputs(&input, &out),
        None => synth(&cli.synth),
    }
}

fn fail(code: u8, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(code)
}

fn synth(args: &SynthArgs) -> ExitCode {
    let cfg = Config::new(&args.env_suffix, &args.domain)
        .and_then(|cfg| match &args.alarm_email {
            Some(email) => cfg.with_alarm_email(email),
            None => Ok(cfg),
        })
        .and_then(|cfg| match &args.cors_origin {
            Some(origin) => cfg.with_cors_origin(origin),
            None => Ok(cfg),
        });
    let cfg = match cfg {
        Ok(cfg) => cfg
            .with_lambda_zip(&zip_relative_to(&args.out, &args.lambda_zip))
            .with_environment_kind(args.environment_kind.into()),
        Err(e) => return fail(2, e),
    };
    let backend = match args.backend {
        BackendKind::Local => Backend::default(),
        BackendKind::S3 => {
            let bucket = args.state_bucket.clone().unwrap_or_default();
            let s3 =
                S3Backend::new(bucket, &args.state_key, &args.state_region).and_then(
                    |b| match &args.state_kms_key {
                        Some(k) => b.kms_key(k),
                        None => Ok(b),
                    },
                );
            match s3 {
                Ok(s3) => Backend::S3(s3),
                Err(e) => return fail(2, e),
            }
        }
    };
    let stack = build(&cfg);
    stack.backend(backend);
    match stack.write(&args.out) {
        Ok(path) => {
            eprintln!("wrote {}", path.display());
            eprintln!(
                "next: scripts/lambda-package.sh && terraform -chdir={dir} init && terraform -chdir={dir} plan",
                dir = args.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(1, e),
    }
}

/// The zip's path as Terraform sees it from the output directory (`${path.module}/…`).
fn zip_relative_to(out: &Path, zip: &Path) -> String {
    let simple = |p: &Path| p.components().all(|c| matches!(c, Component::Normal(_)));
    if out.is_relative() && zip.is_relative() && simple(out) && simple(zip) {
        let up = "../".repeat(out.components().count());
        format!("{up}{}", zip.display())
    } else {
        let cwd = std::env::current_dir().unwrap_or_default();
        let abs = |p: &Path| {
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                cwd.join(p)
            }
        };
        abs(zip).display().to_string()
    }
}

fn flatten_outputs(input: &Path, out: &Path) -> ExitCode {
    let text = if input == Path::new("-") {
        std::io::read_to_string(std::io::stdin())
    } else {
        std::fs::read_to_string(input)
    };
    let text = match text {
        Ok(t) => t,
        Err(e) => return fail(2, format!("cannot read `{}`: {e}", input.display())),
    };
    let flat = match outputs::flatten(&text) {
        Ok(f) => f,
        Err(e) => return fail(2, e),
    };
    let mut json = serde_json::to_string_pretty(&flat).unwrap_or_default();
    json.push('\n');
    match infra_core::document::write_atomically(out, json.as_bytes()) {
        Ok(path) => {
            eprintln!("wrote {} ({} outputs)", path.display(), flat.len());
            ExitCode::SUCCESS
        }
        Err(e) => fail(1, e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zip_path_is_relative_to_the_output_directory() {
        assert_eq!(
            zip_relative_to(Path::new("out"), Path::new("dist/x.zip")),
            "../dist/x.zip"
        );
        assert_eq!(
            zip_relative_to(Path::new("a/b"), Path::new("dist/x.zip")),
            "../../dist/x.zip"
        );
        assert!(zip_relative_to(Path::new("/tmp/o"), Path::new("dist/x.zip")).starts_with('/'));
    }

    #[test]
    fn cli_is_well_formed() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
