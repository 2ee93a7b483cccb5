//! `payment-stack`: synthesizes the payment platform into a Terraform-ready directory.
//!
//! Exit codes: 0 success; 2 invalid arguments or configuration (nothing written);
//! 1 synthesis or write failure (nothing written).

// No function over 80 lines (clippy.toml), as in the library.
#![warn(clippy::too_many_lines)]

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;

use infra_core::{Backend, S3Backend};
use payment_stack::{Config, EnvironmentKind, build, outputs};

/// One option of a command: its name, its value's placeholder, what it does, its default.
struct Opt {
    name: &'static str,
    value: &'static str,
    help: &'static str,
    default: Option<&'static str>,
    /// The environment variable read when the option is not given.
    env: Option<&'static str>,
    /// The values the option accepts, each with its meaning (empty: any value).
    choices: &'static [(&'static str, &'static str)],
}

impl Opt {
    const fn new(name: &'static str, value: &'static str, help: &'static str) -> Self {
        Self {
            name,
            value,
            help,
            default: None,
            env: None,
            choices: &[],
        }
    }

    const fn default(self, default: &'static str) -> Self {
        Self {
            default: Some(default),
            ..self
        }
    }
}

const ABOUT: &str = "Synthesize the multi-region payment platform as Terraform JSON.";

/// The synth command's options, in the order `--help` lists them (the help is made from this
/// table, so the two cannot disagree).
const SYNTH: &[Opt] = &[
    Opt::new(
        "out",
        "DIR",
        "Output directory (created if missing); `main.tf.json` is written there.",
    )
    .default("out"),
    Opt {
        env: Some("ENVIRONMENT_SUFFIX"),
        ..Opt::new(
            "env-suffix",
            "SUFFIX",
            "Environment suffix in every resource name (`payment-{suffix}-…`).",
        )
        .default("dev")
    },
    Opt {
        choices: &[
            (
                "production",
                "data protected from `terraform destroy` (the default)",
            ),
            (
                "non-production",
                "disposable: `terraform destroy` removes everything",
            ),
        ],
        ..Opt::new(
            "environment-kind",
            "KIND",
            "How the environment may be torn down. `production` keeps the payments table \
             (`prevent_destroy`, deletion protection) and any bucket holding objects through \
             `terraform destroy`; `non-production` lets `terraform destroy` remove everything, \
             data included (`force_destroy` on the buckets), with no manual step.",
        )
        .default("production")
    },
    Opt::new(
        "domain",
        "ZONE",
        "The DNS zone the platform owns (delegate it from the parent zone after the first apply).",
    )
    .default("payments.example.com"),
    Opt::new(
        "cors-origin",
        "ORIGIN",
        "The one origin browsers may call the API from (default `https://<domain>`).",
    ),
    Opt::new(
        "alarm-email",
        "EMAIL",
        "An email address subscribed to both regions' alarm topics.",
    ),
    Opt::new(
        "lambda-zip",
        "FILE",
        "The Lambda deployment zip (built by `scripts/lambda-package.sh`).",
    )
    .default("dist/payment-processor.zip"),
    Opt {
        choices: &[
            ("local", "a local state file in the output directory"),
            ("s3", "an S3 bucket, encrypted, with S3-native locking"),
        ],
        ..Opt::new("backend", "KIND", "Where Terraform keeps state.").default("local")
    },
    Opt::new(
        "state-bucket",
        "BUCKET",
        "S3 backend: the state bucket (required with `--backend s3`).",
    ),
    Opt::new("state-key", "KEY", "S3 backend: the state object key.")
        .default("payment-platform/terraform.tfstate"),
    Opt::new(
        "state-region",
        "REGION",
        "S3 backend: the state bucket's region.",
    )
    .default("us-east-1"),
    Opt::new(
        "state-kms-key",
        "KEY",
        "S3 backend: a KMS key (ARN or `alias/…`) encrypting the state.",
    ),
];

const FLATTEN: &str = "flatten-outputs";
const FLATTEN_ABOUT: &str =
    "Turn `terraform output -json` into `cfn-outputs/flat-outputs.json` for integration tests.";
const FLATTEN_OPTIONS: &[Opt] = &[
    Opt::new(
        "input",
        "FILE",
        "The file `terraform output -json` wrote (`-` for standard input).",
    )
    .default("-"),
    Opt::new("out", "FILE", "Where to write the flat outputs.")
        .default("cfn-outputs/flat-outputs.json"),
];

/// The two commands: synthesize (no command word) and `flatten-outputs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Command {
    Synth,
    FlattenOutputs,
}

impl Command {
    fn options(self) -> &'static [Opt] {
        match self {
            Command::Synth => SYNTH,
            Command::FlattenOutputs => FLATTEN_OPTIONS,
        }
    }
}

/// What the command line asks for.
#[derive(Debug)]
enum Invocation {
    Help(String),
    Version,
    Synth(SynthArgs),
    FlattenOutputs { input: PathBuf, out: PathBuf },
}

#[derive(Debug)]
struct SynthArgs {
    out: PathBuf,
    env_suffix: String,
    environment_kind: EnvironmentKind,
    domain: String,
    cors_origin: Option<String>,
    alarm_email: Option<String>,
    lambda_zip: PathBuf,
    /// `Some(bucket)` for the S3 backend, `None` for local state.
    state_bucket: Option<String>,
    state_key: String,
    state_region: String,
    state_kms_key: Option<String>,
}

/// The options given on the command line to `command`, by name.
struct Given {
    command: Command,
    values: BTreeMap<&'static str, OsString>,
}

impl Given {
    fn set(&mut self, name: &str, value: OsString) -> Result<(), String> {
        let opt = self
            .command
            .options()
            .iter()
            .find(|o| o.name == name)
            .ok_or_else(|| format!("unexpected argument '--{name}'"))?;
        if !opt.choices.is_empty() && !opt.choices.iter().any(|(c, _)| value == *c) {
            let values: Vec<&str> = opt.choices.iter().map(|(c, _)| *c).collect();
            return Err(format!(
                "invalid value '{}' for '--{} <{}>' (possible values: {})",
                value.to_string_lossy(),
                opt.name,
                opt.value,
                values.join(", ")
            ));
        }
        if self.values.insert(opt.name, value).is_some() {
            return Err(format!(
                "the argument '--{} <{}>' cannot be used more than once",
                opt.name, opt.value
            ));
        }
        Ok(())
    }

    /// The option's value, its environment variable's, or its default.
    fn get(&self, name: &str, env: &dyn Fn(&str) -> Option<OsString>) -> Option<OsString> {
        let opt = self.command.options().iter().find(|o| o.name == name)?;
        self.values
            .get(name)
            .cloned()
            .or_else(|| opt.env.and_then(env))
            .or_else(|| opt.default.map(OsString::from))
    }

    fn text(
        &self,
        name: &str,
        env: &dyn Fn(&str) -> Option<OsString>,
    ) -> Result<Option<String>, String> {
        self.get(name, env)
            .map(|v| {
                v.into_string().map_err(|v| {
                    format!(
                        "the value of '--{name}' is not UTF-8: {}",
                        v.to_string_lossy()
                    )
                })
            })
            .transpose()
    }
}

/// Parses the arguments after the program's name; `env` reads an environment variable.
fn parse(
    args: impl IntoIterator<Item = OsString>,
    env: &dyn Fn(&str) -> Option<OsString>,
) -> Result<Invocation, String> {
    use lexopt::Arg::{Long, Short, Value};
    let mut parser = lexopt::Parser::from_args(args);
    let mut given = Given {
        command: Command::Synth,
        values: BTreeMap::new(),
    };
    while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
        match arg {
            Short('h') | Long("help") => return Ok(Invocation::Help(help(given.command))),
            Short('V') | Long("version") if given.command == Command::Synth => {
                return Ok(Invocation::Version);
            }
            Long(name) => {
                let name = name.to_owned();
                let value = option_value(&mut parser, &name)?;
                given.set(&name, value)?;
            }
            Value(v)
                if v == FLATTEN && given.command == Command::Synth && given.values.is_empty() =>
            {
                given.command = Command::FlattenOutputs;
            }
            Value(v) if v == FLATTEN => {
                return Err(format!(
                    "`{FLATTEN}` comes first (`payment-stack {FLATTEN} [OPTIONS]`), and the \
                     synth options do not apply to it"
                ));
            }
            Value(v) => return Err(format!("unexpected argument '{}'", v.to_string_lossy())),
            Short(c) => return Err(format!("unexpected argument '-{c}'")),
        }
    }
    match given.command {
        Command::FlattenOutputs => Ok(Invocation::FlattenOutputs {
            input: given
                .get("input", env)
                .map(PathBuf::from)
                .unwrap_or_default(),
            out: given.get("out", env).map(PathBuf::from).unwrap_or_default(),
        }),
        Command::Synth => synth_args(&given, env).map(Invocation::Synth),
    }
}

/// An option's value: `--name=value`, or the next argument unless that is another option.
fn option_value(parser: &mut lexopt::Parser, name: &str) -> Result<OsString, String> {
    if let Some(value) = parser.optional_value() {
        return Ok(value);
    }
    let missing = || format!("a value is required for '--{name}' but none was supplied");
    match parser.value() {
        Ok(v) if v.to_string_lossy().starts_with("--") => Err(format!(
            "{}, found the option '{}' (write `--{name}=VALUE` for a value that starts with `--`)",
            missing(),
            v.to_string_lossy()
        )),
        Ok(v) => Ok(v),
        Err(_) => Err(missing()),
    }
}

fn synth_args(given: &Given, env: &dyn Fn(&str) -> Option<OsString>) -> Result<SynthArgs, String> {
    let text = |name| given.text(name, env);
    let required = |name| text(name).map(Option::unwrap_or_default);
    let path = |name| given.get(name, env).map(PathBuf::from).unwrap_or_default();
    // `Given::set` admitted only the table's choices; each is mapped here, and a choice the
    // table gains without a mapping is refused rather than taken for another.
    let unmapped = |name: &str, value: &str| format!("'--{name}' has no meaning for '{value}'");
    let environment_kind = match required("environment-kind")?.as_str() {
        "production" => EnvironmentKind::Production,
        "non-production" => EnvironmentKind::NonProduction,
        other => return Err(unmapped("environment-kind", other)),
    };
    let state_bucket = match (required("backend")?.as_str(), text("state-bucket")?) {
        ("local", _) => None,
        ("s3", None) => {
            return Err(
                "the following required argument was not provided: '--state-bucket \
                 <BUCKET>' (`--backend s3` needs it)"
                    .to_owned(),
            );
        }
        ("s3", bucket) => bucket,
        (other, _) => return Err(unmapped("backend", other)),
    };
    Ok(SynthArgs {
        out: path("out"),
        env_suffix: required("env-suffix")?,
        environment_kind,
        domain: required("domain")?,
        cors_origin: text("cors-origin")?,
        alarm_email: text("alarm-email")?,
        lambda_zip: path("lambda-zip"),
        state_bucket,
        state_key: required("state-key")?,
        state_region: required("state-region")?,
        state_kms_key: text("state-kms-key")?,
    })
}

/// A command's help.
fn help(command: Command) -> String {
    let mut out = String::new();
    let (about, usage) = match command {
        Command::FlattenOutputs => (FLATTEN_ABOUT, format!("payment-stack {FLATTEN} [OPTIONS]")),
        Command::Synth => (
            ABOUT,
            format!("payment-stack [OPTIONS]\n       payment-stack {FLATTEN} [OPTIONS]"),
        ),
    };
    out.push_str(&format!("{about}\n\nUsage: {usage}\n\n"));
    if command == Command::Synth {
        out.push_str(&format!("Commands:\n  {FLATTEN}\n"));
        wrap(&mut out, 6, FLATTEN_ABOUT);
        out.push('\n');
    }
    out.push_str("Options:\n");
    for opt in command.options() {
        out.push_str(&format!("  --{} <{}>\n", opt.name, opt.value));
        wrap(&mut out, 6, opt.help);
        for (value, meaning) in opt.choices {
            wrap(&mut out, 6, &format!("- {value}: {meaning}"));
        }
        if let Some(env) = opt.env {
            wrap(&mut out, 6, &format!("[env: {env}]"));
        }
        if let Some(default) = opt.default {
            wrap(&mut out, 6, &format!("[default: {default}]"));
        }
        out.push('\n');
    }
    out.push_str("  -h, --help\n      Print this help.\n");
    if command == Command::Synth {
        out.push_str("  -V, --version\n      Print the version.\n\n");
        wrap(
            &mut out,
            0,
            "Exit codes: 0 written; 2 invalid arguments or configuration, nothing written; 1 \
             synthesis or write failure, nothing written.",
        );
    }
    out
}

/// Appends `text` indented by `indent` spaces, its lines at most 96 columns wide.
fn wrap(out: &mut String, indent: usize, text: &str) {
    let pad = " ".repeat(indent);
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent + line.chars().count() + 1 + word.chars().count() > 96 {
            out.push_str(&format!("{pad}{line}\n"));
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    out.push_str(&format!("{pad}{line}\n"));
}

fn main() -> ExitCode {
    let env = |name: &str| std::env::var_os(name);
    match parse(std::env::args_os().skip(1), &env) {
        Ok(Invocation::Help(text)) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Ok(Invocation::Version) => {
            println!("payment-stack {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Ok(Invocation::FlattenOutputs { input, out }) => flatten_outputs(&input, &out),
        Ok(Invocation::Synth(args)) => synth(&args),
        Err(message) => fail(
            2,
            format!("{message}\n\nFor more information, try '--help'."),
        ),
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
            .with_environment_kind(args.environment_kind),
        Err(e) => return fail(2, e),
    };
    let backend = match &args.state_bucket {
        None => Backend::default(),
        Some(bucket) => {
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

    fn no_env(_: &str) -> Option<OsString> {
        None
    }

    fn parse_args(
        args: &[&str],
        env: &dyn Fn(&str) -> Option<OsString>,
    ) -> Result<Invocation, String> {
        parse(args.iter().map(OsString::from), env)
    }

    fn synth_of(args: &[&str]) -> SynthArgs {
        match parse_args(args, &no_env) {
            Ok(Invocation::Synth(args)) => args,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    fn error_of(args: &[&str]) -> String {
        match parse_args(args, &no_env) {
            Err(e) => e,
            other => panic!("{args:?} parsed: {other:?}"),
        }
    }

    #[test]
    fn no_argument_means_every_default() {
        let a = synth_of(&[]);
        assert_eq!(a.out, Path::new("out"));
        assert_eq!(a.env_suffix, "dev");
        assert_eq!(a.environment_kind, EnvironmentKind::Production);
        assert_eq!(a.domain, "payments.example.com");
        assert_eq!(a.lambda_zip, Path::new("dist/payment-processor.zip"));
        assert_eq!(
            (a.cors_origin, a.alarm_email, a.state_bucket),
            (None, None, None)
        );
        assert_eq!(a.state_key, "payment-platform/terraform.tfstate");
        assert_eq!(a.state_region, "us-east-1");
    }

    #[test]
    fn options_take_their_value_separately_or_after_an_equals_sign() {
        let a = synth_of(&[
            "--out=o",
            "--env-suffix",
            "qa",
            "--environment-kind=non-production",
        ]);
        assert_eq!(a.out, Path::new("o"));
        assert_eq!(a.env_suffix, "qa");
        assert_eq!(a.environment_kind, EnvironmentKind::NonProduction);
        let a = synth_of(&[
            "--backend",
            "s3",
            "--state-bucket",
            "b",
            "--state-kms-key",
            "alias/k",
        ]);
        assert_eq!(a.state_bucket.as_deref(), Some("b"));
        assert_eq!(a.state_kms_key.as_deref(), Some("alias/k"));
        // A bucket given with local state is not used.
        assert_eq!(synth_of(&["--state-bucket", "b"]).state_bucket, None);
    }

    #[test]
    fn every_option_and_every_choice_reaches_its_field() {
        let a = synth_of(&[
            "--out=o",
            "--env-suffix=s",
            "--environment-kind=production",
            "--domain=d",
            "--cors-origin=c",
            "--alarm-email=e",
            "--lambda-zip=z",
            "--backend=s3",
            "--state-bucket=b",
            "--state-key=k",
            "--state-region=r",
            "--state-kms-key=m",
        ]);
        assert_eq!(
            (a.out, a.lambda_zip),
            (PathBuf::from("o"), PathBuf::from("z"))
        );
        let texts = [a.env_suffix, a.domain, a.state_key, a.state_region];
        assert_eq!(texts, ["s", "d", "k", "r"]);
        let optional = [
            a.cors_origin,
            a.alarm_email,
            a.state_bucket,
            a.state_kms_key,
        ];
        assert_eq!(
            optional.map(Option::unwrap_or_default),
            ["c", "e", "b", "m"]
        );
        // Every choice the table lists parses (none falls through to an error).
        for opt in SYNTH {
            for (choice, _) in opt.choices {
                let arg = format!("--{}={choice}", opt.name);
                let args = [arg.as_str(), "--state-bucket", "b"];
                assert!(parse_args(&args, &no_env).is_ok(), "{arg}");
            }
        }
    }

    #[test]
    fn the_environment_suffix_comes_from_the_option_then_the_environment_then_the_default() {
        let env = |name: &str| (name == "ENVIRONMENT_SUFFIX").then(|| OsString::from("ci"));
        let suffix = |args: &[&str]| match parse_args(args, &env) {
            Ok(Invocation::Synth(a)) => a.env_suffix,
            other => panic!("{other:?}"),
        };
        assert_eq!(suffix(&[]), "ci");
        assert_eq!(suffix(&["--env-suffix", "qa"]), "qa");
    }

    #[test]
    fn bad_arguments_are_refused_with_what_was_expected() {
        let cases: &[(&[&str], &str)] = &[
            (&["--ot", "x"], "unexpected argument '--ot'"),
            (&["-x"], "unexpected argument '-x'"),
            (&["extra"], "unexpected argument 'extra'"),
            (
                &["--out", "a", "--out", "b"],
                "'--out <DIR>' cannot be used more than once",
            ),
            (&["--out"], "a value is required for '--out'"),
            (&["--out", "--domain", "d"], "found the option '--domain'"),
            (
                &["--environment-kind", "staging"],
                "possible values: production, non-production",
            ),
            (&["--backend", "gcs"], "possible values: local, s3"),
            (&["--backend", "s3"], "'--state-bucket <BUCKET>'"),
            (&["--out", "o", FLATTEN], "`flatten-outputs` comes first"),
            (
                &[FLATTEN, "--domain", "d"],
                "unexpected argument '--domain'",
            ),
        ];
        for (args, expected) in cases {
            let e = error_of(args);
            assert!(e.contains(expected), "{args:?}: {e}");
        }
    }

    #[test]
    fn flatten_outputs_reads_standard_input_into_the_integration_test_file_by_default() {
        match parse_args(&[FLATTEN], &no_env) {
            Ok(Invocation::FlattenOutputs { input, out }) => {
                assert_eq!(input, Path::new("-"));
                assert_eq!(out, Path::new("cfn-outputs/flat-outputs.json"));
            }
            other => panic!("{other:?}"),
        }
        match parse_args(&[FLATTEN, "--input", "tf.json", "--out=f.json"], &no_env) {
            Ok(Invocation::FlattenOutputs { input, out }) => {
                assert_eq!(
                    (input, out),
                    (PathBuf::from("tf.json"), PathBuf::from("f.json"))
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn help_lists_every_option_its_values_and_its_default() {
        for (args, options) in [
            (&["--help"][..], SYNTH),
            (&[FLATTEN, "-h"][..], FLATTEN_OPTIONS),
        ] {
            let text = match parse_args(args, &no_env) {
                Ok(Invocation::Help(text)) => text,
                other => panic!("{other:?}"),
            };
            for opt in options {
                assert!(
                    text.contains(&format!("--{} <{}>", opt.name, opt.value)),
                    "{text}"
                );
                for (value, _) in opt.choices {
                    assert!(text.contains(&format!("- {value}: ")), "{text}");
                }
                if let Some(default) = opt.default {
                    assert!(text.contains(&format!("[default: {default}]")), "{text}");
                }
            }
            assert!(text.lines().all(|l| l.chars().count() <= 96), "{text}");
        }
        assert!(matches!(
            parse_args(&["-V"], &no_env),
            Ok(Invocation::Version)
        ));
    }
}
