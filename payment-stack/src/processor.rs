//! The payment processor of one region: the function, its execution role, its log group,
//! dead-letter queue, code signing and the configuration parameters it may read.

use infra_core::aws::cloudwatch::{self, LogGroup};
use infra_core::aws::dynamodb::Table;
use infra_core::aws::lambda::{self, Environment, Function, FunctionOpts};
use infra_core::aws::{dynamodb, iam, kms, s3, signer, sqs, ssm, xray};
use infra_core::components::Artifact;
use infra_core::policy::{Condition, PolicyDocument, because, global, service};
use infra_core::{Arn, Aws, Meta, OneOrMore, Ref, Region, Sensitive, Text, UsEast1, interpolate};

use crate::Config;
use crate::keys::Keys;
use crate::network::Network;
use crate::observability::log_group;
use crate::regional::{AUDIT_PREFIX, FUNCTION_LOG_DAYS};
use crate::storage::{Buckets, TableRegion};

/// The function's execution role: a role that Lambda, and only Lambda, may assume.
pub type ExecutionRole = iam::Role<service::Lambda>;

/// The payment processor of one region.
pub struct Processor<R: Region> {
    /// The function.
    pub function: Ref<Function<R>>,
    /// Its log group.
    pub logs: Ref<LogGroup<R>>,
    /// Its execution role.
    pub role: Ref<ExecutionRole>,
}

/// What the function works on in region `R`: the table (or its replica), its audit bucket,
/// and the keys, log group, queue and parameters made for it.
struct Parts<'a, 'k, R: Region> {
    keys: &'a Keys<'k, R>,
    table: Arn<dynamodb::Table<R>>,
    status_index: Arn<dynamodb::Index<R>>,
    table_name: Text,
    audit: &'a Buckets<'k, R>,
    logs: Ref<LogGroup<R>>,
    dead_letters: Ref<sqs::Queue<R>>,
    parameters: Vec<Arn<ssm::Parameter<R>>>,
}

/// The function of region `R`, working on `table` (its replica outside us-east-1) and on the
/// region's `audit` bucket, in the private `network`. The audit bucket's policy admits it.
pub fn processor<R: TableRegion>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    keys: &Keys<'_, R>,
    table: &Ref<Table<UsEast1>>,
    audit: &Buckets<'_, R>,
    network: &Network<R>,
) -> Processor<R> {
    let table_name: Text = R::table_name(table).into();
    let parts = Parts {
        keys,
        table: R::table_arn(table),
        status_index: R::status_index_arn(table),
        parameters: parameters(aws, cfg, keys, &table_name, audit),
        table_name,
        audit,
        logs: log_group(
            aws,
            keys,
            "function_logs",
            format!("/aws/lambda/{}", cfg.name("processor")),
            FUNCTION_LOG_DAYS,
        ),
        dead_letters: aws.add(
            "dead_letters",
            sqs::Queue {
                name: Some(cfg.name("processor-dlq").into()),
                kms_master_key_id: Some(keys.ops.key_id()),
                message_retention_seconds: Some(1_209_600),
                ..Default::default()
            },
        ),
    };
    let role = execution_role(aws, cfg, keys.account_id());
    let policy = aws.add(
        "role_policy",
        iam::RolePolicy {
            role: role.id(),
            name: cfg.name("processor").into(),
            policy: parts.policy(),
            opts: Default::default(),
        },
    );
    let vpc_access = aws.add(
        "vpc_access",
        iam::RolePolicyAttachment {
            role: role.id(),
            policy_arn: iam::ManagedPolicy::aws_service_role("AWSLambdaVPCAccessExecutionRole"),
        },
    );
    audit.admit_writer(role.arn());
    let code_signing = code_signing(aws, cfg);
    // The role's permissions, its VPC access and the log group exist before the first run.
    let meta = Meta::new()
        .depends_on(&parts.logs)
        .depends_on(&policy)
        .depends_on(&vpc_access);
    let definition = parts.function(cfg, network, &role, &code_signing);
    let function = aws.add_with("function", definition, meta);
    failures_to_dead_letters(aws, &function, &parts.dead_letters);
    Processor {
        function,
        logs: parts.logs,
        role,
    }
}

/// The configuration the function may read from SSM, as `SecureString`s under the data key.
fn parameters<R: Region>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    keys: &Keys<'_, R>,
    table_name: &Text,
    audit: &Buckets<'_, R>,
) -> Vec<Arn<ssm::Parameter<R>>> {
    [
        ("table_name_parameter", "table-name", table_name.clone()),
        (
            "bucket_name_parameter",
            "audit-bucket",
            audit.audit.bucket().into(),
        ),
        (
            "audit_prefix_parameter",
            "audit-prefix",
            AUDIT_PREFIX.into(),
        ),
    ]
    .into_iter()
    .map(|(name, parameter, value)| {
        aws.add(
            name,
            ssm::Parameter::secure(
                config_parameter(cfg, parameter),
                Sensitive::new(value),
                keys.data.arn(),
            ),
        )
        .arn()
    })
    .collect()
}

/// The name of one of the function's configuration parameters (`/payment-dev-config/table-name`).
pub fn config_parameter(cfg: &Config, name: &str) -> String {
    format!("/{}/{name}", cfg.name("config"))
}

/// The role Lambda assumes for this account only (`aws:SourceAccount`).
fn execution_role<R: Region>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    account_id: &Text,
) -> Ref<ExecutionRole> {
    aws.add(
        "role",
        iam::Role {
            assume_role_policy: PolicyDocument::trust(service::Lambda).condition(
                Condition::string_equals(global::SourceAccount, account_id.clone()),
            ),
            opts: iam::RoleOpts {
                name: Some(format!("{}-{}", cfg.name("processor"), R::NAME).into()),
                description: Some("payment processor execution role".into()),
                ..Default::default()
            },
        },
    )
}

/// A signing profile and a code signing config that warns about unsigned packages.
fn code_signing<R: Region>(aws: &Aws<'_, R>, cfg: &Config) -> Ref<lambda::CodeSigningConfig<R>> {
    let signing = aws.add(
        "signing",
        signer::SigningProfile {
            platform_id: signer::Platform::AwsLambdaSha384Ecdsa,
            opts: signer::SigningProfileOpts {
                name_prefix: Some(format!("payment{}", cfg.suffix()).into()),
                ..Default::default()
            },
        },
    );
    aws.add(
        "code_signing",
        lambda::CodeSigningConfig {
            allowed_publishers: lambda::AllowedPublishers {
                signing_profile_version_arns: OneOrMore::new(signing.version_arn()),
            },
            opts: lambda::CodeSigningConfigOpts {
                description: Some(cfg.name("processor").into()),
                // Warn, not Enforce: the zip is deployed from a local file, and unsigned local
                // artifacts would be refused. Switch to Enforce with an S3 signing pipeline.
                policies: Some(lambda::CodeSigningPolicies {
                    untrusted_artifact_on_deployment: lambda::UntrustedArtifact::Warn,
                }),
                ..Default::default()
            },
        },
    )
}

/// Asynchronous invocations (the reconcile schedule) retry twice, then go to the queue.
fn failures_to_dead_letters<R: Region>(
    aws: &Aws<'_, R>,
    function: &Ref<Function<R>>,
    dead_letters: &Ref<sqs::Queue<R>>,
) {
    aws.add(
        "async_failures",
        lambda::FunctionEventInvokeConfig {
            function_name: function.function_name(),
            opts: lambda::FunctionEventInvokeConfigOpts {
                maximum_retry_attempts: Some(2),
                destination_config: Some(lambda::DestinationConfig {
                    on_failure: Some(lambda::Destination::queue(dead_letters.arn())),
                    on_success: None,
                }),
                ..Default::default()
            },
        },
    );
}

impl<R: Region> Parts<'_, '_, R> {
    /// Exactly what the function does: items and queries on its table, create-only audit
    /// writes under the prefix, the keys behind them, its logs, parameters, queue and traces.
    fn policy(&self) -> PolicyDocument {
        let keys = self.keys;
        let audit_objects = Arn::<s3::Objects<R>>::from_text(interpolate!(
            "{}/{}*",
            self.audit.audit.arn(),
            AUDIT_PREFIX
        ));
        let item_actions = [
            dynamodb::GetItem,
            dynamodb::PutItem,
            dynamodb::UpdateItem,
            dynamodb::ConditionCheckItem,
        ];
        PolicyDocument::new()
            .allow(item_actions, self.table.clone())
            .allow(
                [dynamodb::Query],
                (self.table.clone(), self.status_index.clone()),
            )
            .allow([s3::PutObject], audit_objects)
            .allow([kms::GenerateDataKey, kms::Decrypt], keys.s3.arn())
            .allow([kms::Decrypt], keys.lambda.arn())
            .allow([kms::Decrypt, kms::DescribeKey], keys.data.arn())
            .allow(
                [cloudwatch::CreateLogStream, cloudwatch::PutLogEvents],
                self.logs.streams_arn(),
            )
            .allow(
                [ssm::GetParameter, ssm::GetParameters],
                self.parameters.clone(),
            )
            .allow([sqs::SendMessage], self.dead_letters.arn())
            .allow([kms::GenerateDataKey, kms::Decrypt], keys.ops.arn())
            .allow_any_resource(
                [xray::PutTraceSegments, xray::PutTelemetryRecords],
                because("X-Ray trace submission has no resource-level permissions"),
            )
    }

    /// The function's environment: where its data is, and how it reports.
    fn environment(&self, cfg: &Config) -> Environment {
        Environment::new()
            .var("TABLE_NAME", self.table_name.clone())
            .var("AUDIT_BUCKET", self.audit.audit.bucket())
            .var("AUDIT_PREFIX", AUDIT_PREFIX)
            .var("AUDIT_KMS_KEY_ARN", self.keys.s3.arn())
            .var("METRICS_NAMESPACE", "Payments")
            .var("ENVIRONMENT", cfg.suffix())
            .var("LOG_LEVEL", "info")
            // Writes go through the failover host only (one region, one idempotency check);
            // the latency host serves reads.
            .var("READ_ONLY_HOSTS", cfg.latency_host())
    }

    /// The function itself: `provided.al2023`, x86_64, 512 MB, 10 s, in the private subnets,
    /// traced, its environment encrypted with the lambda key and its failures queued.
    fn function(
        &self,
        cfg: &Config,
        network: &Network<R>,
        role: &Ref<ExecutionRole>,
        code_signing: &Ref<lambda::CodeSigningConfig<R>>,
    ) -> Function<R> {
        let zip = Artifact::zip(cfg.lambda_zip());
        let [subnet_a, subnet_b] = &network.subnets;
        Function {
            function_name: cfg.name("processor").into(),
            role: role.arn(),
            opts: FunctionOpts {
                description: Some("payment processor".into()),
                runtime: Some(lambda::Runtime::ProvidedAl2023),
                handler: Some("bootstrap".into()),
                filename: Some(zip.filename().clone()),
                source_code_hash: Some(zip.source_code_hash().clone()),
                memory_size: Some(512),
                timeout: Some(10),
                architectures: vec![lambda::Architecture::X86_64],
                environment: Some(self.environment(cfg)),
                kms_key_arn: Some(self.keys.lambda.arn()),
                tracing_config: Some(lambda::TracingConfig {
                    mode: lambda::TracingMode::Active,
                }),
                dead_letter_config: Some(lambda::DeadLetterConfig::queue(self.dead_letters.arn())),
                vpc_config: Some(lambda::VpcConfig {
                    subnet_ids: OneOrMore::new(subnet_a.id()).and(subnet_b.id()),
                    security_group_ids: OneOrMore::new(network.function_sg.id()),
                    ipv6_allowed_for_dual_stack: None,
                }),
                code_signing_config_arn: Some(code_signing.arn()),
                logging_config: Some(lambda::LoggingConfig {
                    log_format: lambda::LogFormat::Json,
                    log_group: Some(self.logs.name()),
                    application_log_level: None,
                    system_log_level: None,
                }),
                ..Default::default()
            },
        }
    }
}
