//! [`Function`]: a Lambda function with everything it needs to run and be operated.

use std::ops::Deref;

use super::Role;
use super::key::Key;
use crate::aws::{cloudwatch, kms, lambda, signer, sqs};
use crate::grants::{Grantee, LogGroupGrants, QueueGrants, ViaService, statements};
use crate::policy::{Statement, service};
use crate::refs::Ref;
use crate::region::Region;
use crate::stack::{Aws, Meta, Stack};
use crate::text::Text;

/// A function's deployment package: a zip file, and its hash so that Terraform redeploys the
/// function when the file changes.
#[derive(Debug, Clone)]
pub struct Artifact {
    filename: Text,
    source_code_hash: Text,
}

impl Artifact {
    /// A local zip file. A relative path is relative to the output directory (written as
    /// `${path.module}/…`, so the document can move with its package); the hash is
    /// `filebase64sha256` of the same file.
    ///
    /// ```
    /// use infra_core::components::Artifact;
    /// let zip = Artifact::zip("dist/ingest.zip");
    /// assert_eq!(zip.filename().render(), "${path.module}/dist/ingest.zip");
    /// assert_eq!(zip.source_code_hash().render(), "${filebase64sha256(\"${path.module}/dist/ingest.zip\")}");
    /// ```
    pub fn zip(path: &str) -> Self {
        let quoted = Text::literal(path).hcl_quoted();
        if std::path::Path::new(path).is_absolute() {
            Self {
                filename: Text::from(path),
                source_code_hash: Text::expression(format!("filebase64sha256({quoted})")),
            }
        } else {
            let mut filename = Text::expression("path.module");
            filename.push_str("/");
            filename.push_str(path);
            let inner = &quoted[1..];
            Self {
                filename,
                source_code_hash: Text::expression(format!(
                    "filebase64sha256(\"${{path.module}}/{inner})"
                )),
            }
        }
    }

    /// The `filename` argument.
    pub fn filename(&self) -> &Text {
        &self.filename
    }

    /// The `source_code_hash` argument.
    pub fn source_code_hash(&self) -> &Text {
        &self.source_code_hash
    }
}

/// What a [`Function`] may change from its defaults.
#[derive(Debug, Clone)]
pub struct FunctionConfig {
    /// The runtime (default `provided.al2023`, a `bootstrap` binary).
    pub runtime: lambda::Runtime,
    /// The handler (default `bootstrap`).
    pub handler: Text,
    /// Memory in MB (default 512).
    pub memory_size: u32,
    /// Timeout in seconds (default 10).
    pub timeout: u32,
    /// Days the log group keeps events (default 365).
    pub log_retention_days: u32,
    /// Days the dead-letter queue keeps failed events (default 14, SQS's longest).
    pub dead_letter_retention_days: u32,
    /// Environment variables, encrypted with the function's key (default none).
    pub environment: Option<lambda::Environment>,
    /// The function's name (default: its scope's path, `primary-ingest`).
    pub name: Option<Text>,
    /// Reserved concurrency (default none: a new account's limit of 10 must stay unreserved).
    pub reserved_concurrency: Option<i64>,
}

impl Default for FunctionConfig {
    fn default() -> Self {
        Self {
            runtime: lambda::Runtime::ProvidedAl2023,
            handler: "bootstrap".into(),
            memory_size: 512,
            timeout: 10,
            log_retention_days: 365,
            dead_letter_retention_days: 14,
            environment: None,
            name: None,
            reserved_concurrency: None,
        }
    }
}

/// A Lambda function with its execution [`Role`] (trusting Lambda for this account only), a
/// log group encrypted with `key` and kept [`FunctionConfig::log_retention_days`], its
/// `source_code_hash` from the [`Artifact`], a dead-letter queue encrypted with `key`, X-Ray
/// tracing, code signing (in `Warn` mode: a local zip is unsigned), JSON logs, and its
/// environment encrypted with `key`. The role holds exactly what this needs: writing its
/// log streams, sending to its queue, traces, and decrypting its environment through Lambda.
///
/// ```
/// use infra_core::{Stack, UsEast1, components::{Artifact, Function, FunctionConfig, Key}};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let key = Key::new(&east.scope("ops"));
/// let api = Function::with(&east.scope("api"), &key, Artifact::zip("api.zip"), FunctionConfig {
///     memory_size: 1024,
///     ..Default::default()
/// });
/// let doc = stack.synth().unwrap();
/// let f = infra_core::testing::resource(&doc, "aws_lambda_function", "primary_api_function").unwrap();
/// assert_eq!(f["memory_size"], 1024);
/// assert_eq!(f["tracing_config"]["mode"], "Active");
/// assert_eq!(api.role.arn().text().render(), "${aws_iam_role.primary_api_role.arn}");
/// ```
#[derive(Debug)]
pub struct Function<'s, R: Region> {
    /// The function.
    pub function: Ref<lambda::Function<R>>,
    /// Its execution role; grants to the function go here.
    pub role: Role<'s, R, service::Lambda>,
    /// Its log group.
    pub logs: Ref<cloudwatch::LogGroup<R>>,
    /// Its dead-letter queue.
    pub dead_letters: Ref<sqs::Queue<R>>,
}

impl<'s, R: Region> Function<'s, R> {
    /// A function in `scope` with the default [`FunctionConfig`].
    #[track_caller]
    pub fn new(scope: &Aws<'s, R>, key: &Key<'s, R>, artifact: Artifact) -> Self {
        Self::with(scope, key, artifact, FunctionConfig::default())
    }

    /// A function in `scope` configured by `config`.
    #[track_caller]
    pub fn with(
        scope: &Aws<'s, R>,
        key: &Key<'s, R>,
        artifact: Artifact,
        config: FunctionConfig,
    ) -> Self {
        let name = config.name.unwrap_or_else(|| super::aws_name(scope).into());
        let role = Role::for_service(scope, service::Lambda);
        let mut log_name = Text::from("/aws/lambda/");
        log_name.push(name.clone());
        let logs = scope.add(
            "logs",
            cloudwatch::LogGroup {
                name: Some(log_name),
                retention_in_days: Some(config.log_retention_days),
                kms_key_id: Some(key.arn()),
                ..Default::default()
            },
        );
        key.allow_logs();
        let dead_letters = scope.add(
            "dead_letters",
            sqs::Queue {
                kms_master_key_id: Some(key.key_id()),
                message_retention_seconds: Some(config.dead_letter_retention_days * 86_400),
                ..Default::default()
            },
        );
        logs.grant_write(&role);
        dead_letters.grant_send(&role);
        role.grant(statements::xray_write());
        let encrypted_environment = config.environment.is_some();
        if encrypted_environment {
            role.grant(statements::key_use(
                key.arn(),
                Some(ViaService::Lambda),
                [kms::Decrypt],
            ));
        }
        let code_signing = code_signing(scope);
        let policy = role.policy().expect("the grants above created the policy");
        let function = scope.add_with(
            "function",
            lambda::Function {
                function_name: name,
                role: role.arn(),
                opts: lambda::FunctionOpts {
                    runtime: Some(config.runtime),
                    handler: Some(config.handler),
                    filename: Some(artifact.filename),
                    source_code_hash: Some(artifact.source_code_hash),
                    memory_size: Some(config.memory_size),
                    reserved_concurrent_executions: config.reserved_concurrency,
                    timeout: Some(config.timeout),
                    environment: config.environment,
                    kms_key_arn: encrypted_environment.then(|| key.arn()),
                    tracing_config: Some(lambda::TracingConfig {
                        mode: lambda::TracingMode::Active,
                    }),
                    dead_letter_config: Some(lambda::DeadLetterConfig::queue(dead_letters.arn())),
                    code_signing_config_arn: Some(code_signing.arn()),
                    logging_config: Some(lambda::LoggingConfig {
                        log_format: lambda::LogFormat::Json,
                        log_group: Some(logs.name()),
                        application_log_level: None,
                        system_log_level: None,
                    }),
                    ..Default::default()
                },
            },
            // The role's permissions and the log group exist before the first invocation.
            Meta::new().depends_on(&logs).depends_on(&policy),
        );
        Self {
            function,
            role,
            logs,
            dead_letters,
        }
    }
}

/// A signing profile and a code signing config that warns about unsigned packages.
#[track_caller]
fn code_signing<R: Region>(scope: &Aws<'_, R>) -> Ref<lambda::CodeSigningConfig<R>> {
    let profile = scope.add(
        "signing",
        signer::SigningProfile {
            platform_id: signer::Platform::AwsLambdaSha384Ecdsa,
            opts: Default::default(),
        },
    );
    scope.add(
        "code_signing",
        lambda::CodeSigningConfig {
            allowed_publishers: lambda::AllowedPublishers {
                signing_profile_version_arns: crate::OneOrMore::new(profile.version_arn()),
            },
            opts: lambda::CodeSigningConfigOpts {
                description: Some(scope.path().into()),
                // Warn, not Enforce: a package deployed from a local file is unsigned.
                policies: Some(lambda::CodeSigningPolicies {
                    untrusted_artifact_on_deployment: lambda::UntrustedArtifact::Warn,
                }),
                ..Default::default()
            },
        },
    )
}

impl<R: Region> Grantee<R> for Function<'_, R> {
    fn stack(&self) -> &Stack {
        self.role.stack()
    }

    #[track_caller]
    fn grant(&self, statements: Vec<Statement>) {
        self.role.grant(statements);
    }
}

impl<R: Region> Deref for Function<'_, R> {
    type Target = Ref<lambda::Function<R>>;
    fn deref(&self) -> &Ref<lambda::Function<R>> {
        &self.function
    }
}
