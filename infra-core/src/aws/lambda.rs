//! AWS Lambda: functions, permissions, event invoke configs and code signing configs, and the
//! Lambda IAM actions.
//!
//! A function's references are typed: its role is an `Arn<iam::Role>`, its KMS key, dead-letter
//! target, subnets and security groups must come from the function's own region, and its
//! environment variables accept only plain values ([`Environment::var`] takes
//! `impl PlainValue`), so a [`Sensitive`](crate::Sensitive) secret cannot end up in plain text in
//! the function's configuration.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`lambda:InvokeFunction`).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::aws::{cloudwatch, ec2, iam, kms, signer, sns, sqs};

mod invoker;
use crate::{Arn, Block, Id, Name, OneOrMore, PlainValue, Region, Resource, Text, string_enum};
pub use invoker::{IntegrationRoute, Invoker};

/// The generated `lambda` types this module does not define (feature `lambda`).
#[cfg(feature = "lambda")]
pub use super::generated::lambda::*;

/// The invoke ARN of a function in region `R` (what an API Gateway `AWS_PROXY` integration
/// calls): `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`.
#[derive(Debug)]
pub struct Invoke<R>(PhantomData<R>);

string_enum! {
    /// A function runtime.
    pub enum Runtime {
        /// The OS-only runtime on Amazon Linux 2023 (Rust, Go: a `bootstrap` binary).
        ProvidedAl2023 = "provided.al2023",
        /// The OS-only runtime on Amazon Linux 2.
        ProvidedAl2 = "provided.al2",
        /// Python 3.13.
        Python313 = "python3.13",
        /// Node.js 22.
        Nodejs22x = "nodejs22.x",
    }
}

string_enum! {
    /// The instruction set of a function.
    pub enum Architecture {
        /// 64-bit ARM (Graviton).
        Arm64 = "arm64",
        /// 64-bit x86.
        X86_64 = "x86_64",
    }
}

/// A function's environment variables: only plain values can be added.
///
/// ```
/// use infra_core::{Text, aws::lambda::Environment};
/// let env = Environment::new()
///     .var("TABLE_NAME", "payments")
///     .var("REGION", Text::from("us-east-1"));
/// let mut args = infra_core::Args::new();
/// infra_core::Block::write_args(&env, &mut args);
/// assert_eq!(
///     args.into_value(),
///     serde_json::json!({"variables": {"REGION": "us-east-1", "TABLE_NAME": "payments"}})
/// );
/// ```
///
/// A sensitive value does not compile (`Sensitive<Text>` cannot be used as a plain value):
///
/// ```compile_fail
/// use infra_core::{Sensitive, Text, aws::lambda::Environment};
/// let secret = Sensitive::new(Text::expression("aws_api_gateway_api_key.k.value"));
/// let _env = Environment::new().var("API_KEY", secret);
/// ```
#[derive(Block, Debug, Clone, Default, PartialEq)]
pub struct Environment {
    variables: BTreeMap<String, Text>,
}

impl Environment {
    /// No variables.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds (or replaces) variable `name`; the value must be plain, never `Sensitive`.
    pub fn var(mut self, name: impl Into<String>, value: impl PlainValue) -> Self {
        self.variables.insert(name.into(), value.plain_text());
        self
    }

    /// The variables.
    pub fn variables(&self) -> &BTreeMap<String, Text> {
        &self.variables
    }
}

/// Where failed events go: an SQS queue or SNS topic of the function's own region.
///
/// ```
/// use infra_core::{Arn, Text, UsEast1, aws::{lambda, sqs}};
/// let queue: Arn<sqs::Queue<UsEast1>> = Arn::from_text(Text::expression("aws_sqs_queue.dlq.arn"));
/// let dlq = lambda::DeadLetterConfig::queue(queue);
/// assert_eq!(dlq.target_arn().render(), "${aws_sqs_queue.dlq.arn}");
/// ```
#[derive(Block, Debug, Clone)]
pub struct DeadLetterConfig<R: Region> {
    target_arn: Text,
    _region: PhantomData<R>,
}

impl<R: Region> DeadLetterConfig<R> {
    /// An SQS queue.
    pub fn queue(queue: Arn<sqs::Queue<R>>) -> Self {
        Self {
            target_arn: queue.into(),
            _region: PhantomData,
        }
    }

    /// An SNS topic.
    pub fn topic(topic: Arn<sns::Topic<R>>) -> Self {
        Self {
            target_arn: topic.into(),
            _region: PhantomData,
        }
    }

    /// The target's ARN.
    pub fn target_arn(&self) -> &Text {
        &self.target_arn
    }
}

string_enum! {
    /// X-Ray tracing of a function.
    pub enum TracingMode {
        /// Sample and trace incoming requests.
        Active = "Active",
        /// Trace only requests that arrive with a sampled trace header.
        PassThrough = "PassThrough",
    }
}

/// X-Ray tracing settings.
#[derive(Block, Debug, Clone)]
pub struct TracingConfig {
    /// The tracing mode.
    pub mode: TracingMode,
}

string_enum! {
    /// The format of a function's logs.
    pub enum LogFormat {
        /// Structured JSON (needed for log levels).
        Json = "JSON",
        /// Plain text.
        Text = "Text",
    }
}

string_enum! {
    /// The least severe application log level sent to CloudWatch.
    pub enum ApplicationLogLevel {
        /// Everything.
        Trace = "TRACE",
        /// Debug and above.
        Debug = "DEBUG",
        /// Info and above.
        Info = "INFO",
        /// Warnings and above.
        Warn = "WARN",
        /// Errors and above.
        Error = "ERROR",
        /// Fatal only.
        Fatal = "FATAL",
    }
}

string_enum! {
    /// The least severe Lambda platform log level sent to CloudWatch.
    pub enum SystemLogLevel {
        /// Debug and above.
        Debug = "DEBUG",
        /// Info and above.
        Info = "INFO",
        /// Warnings only.
        Warn = "WARN",
    }
}

/// Where and how a function logs.
#[derive(Block, Debug, Clone)]
pub struct LoggingConfig<R: Region> {
    /// JSON or Text.
    pub log_format: LogFormat,
    /// The log group's *name* (`group.name()`), of a group in the function's own region;
    /// defaults to `/aws/lambda/<function>`.
    pub log_group: Option<Name<cloudwatch::LogGroup<R>>>,
    /// Application log level (JSON format only).
    pub application_log_level: Option<ApplicationLogLevel>,
    /// System log level (JSON format only).
    pub system_log_level: Option<SystemLogLevel>,
}

/// The subnets and security groups of a function attached to a VPC, all of its own region.
#[derive(Block, Debug, Clone)]
pub struct VpcConfig<R: Region> {
    /// The subnets (one per availability zone).
    pub subnet_ids: OneOrMore<Id<ec2::Subnet<R>>>,
    /// The security groups.
    pub security_group_ids: OneOrMore<Id<ec2::SecurityGroup<R>>>,
}

/// A function (`aws_lambda_function`).
///
/// ```
/// use infra_core::{Stack, UsEast1, Text, aws::{iam, kms, lambda, sqs}};
/// use infra_core::policy::{PolicyDocument, service};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let key = east.add("data_key", kms::Key { enable_key_rotation: Some(true), ..Default::default() });
/// let dlq = east.add("dlq", sqs::Queue { kms_master_key_id: Some(key.key_id()), ..Default::default() });
/// let role = east.add("exec", iam::Role {
///     assume_role_policy: PolicyDocument::trust(service::Lambda),
///     opts: Default::default(),
/// });
/// let function = east.add("api", lambda::Function {
///     function_name: "payment-api".into(),
///     role: role.arn(),
///     opts: lambda::FunctionOpts {
///         runtime: Some(lambda::Runtime::ProvidedAl2023),
///         handler: Some("bootstrap".into()),
///         filename: Some("lambda.zip".into()),
///         source_code_hash: Some(Text::expression("filebase64sha256(\"lambda.zip\")")),
///         architectures: vec![lambda::Architecture::Arm64],
///         memory_size: Some(512),
///         timeout: Some(10),
///         environment: Some(lambda::Environment::new().var("DLQ_URL", dlq.url())),
///         kms_key_arn: Some(key.arn()),
///         tracing_config: Some(lambda::TracingConfig { mode: lambda::TracingMode::Active }),
///         dead_letter_config: Some(lambda::DeadLetterConfig::queue(dlq.arn())),
///         ..Default::default()
///     },
/// });
/// let _invoke: infra_core::Arn<lambda::Invoke<UsEast1>> = function.invoke_arn();
/// let json = stack.synth().unwrap();
/// let f = &json.value()["resource"]["aws_lambda_function"]["primary_api"];
/// assert_eq!(f["runtime"], "provided.al2023");
/// assert_eq!(f["architectures"], serde_json::json!(["arm64"]));
/// assert_eq!(f["dead_letter_config"]["target_arn"], "${aws_sqs_queue.primary_dlq.arn}");
/// assert_eq!(f["environment"]["variables"]["DLQ_URL"], "${aws_sqs_queue.primary_dlq.url}");
/// ```
///
/// A KMS key of another region does not compile:
///
/// ```compile_fail
/// use infra_core::{Stack, UsEast1, UsWest2, aws::{iam, kms, lambda}};
/// use infra_core::policy::{PolicyDocument, service};
/// let stack = Stack::new();
/// let west_key = stack.aws::<UsWest2>("secondary").add("k", kms::Key::default());
/// let east = stack.aws::<UsEast1>("primary");
/// let role = east.add("exec", iam::Role {
///     assume_role_policy: PolicyDocument::trust(service::Lambda),
///     opts: Default::default(),
/// });
/// east.add("api", lambda::Function {
///     function_name: "payment-api".into(),
///     role: role.arn(),
///     opts: lambda::FunctionOpts { kms_key_arn: Some(west_key.arn()), ..Default::default() },
/// });
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_lambda_function",
    exports(
        arn: Arn<Self>,
        id: Id<Self>,
        function_name: Name<Self>,
        invoke_arn: Arn<Invoke<R>>,
        qualified_arn: Arn<Self>,
        qualified_invoke_arn: Arn<Invoke<R>>,
        version: Text
    )
)]
pub struct Function<R: Region> {
    /// The function's name.
    pub function_name: Text,
    /// The execution role: a role Lambda may assume (made with
    /// `PolicyDocument::trust(service::Lambda)`).
    pub role: Arn<iam::Role<crate::policy::service::Lambda>>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: FunctionOpts<R>,
}

/// Optional arguments of [`Function`].
#[derive(Block, Debug, Clone, Default)]
pub struct FunctionOpts<R: Region> {
    /// What the function does.
    pub description: Option<Text>,
    /// The runtime (zip packages).
    pub runtime: Option<Runtime>,
    /// The handler (`bootstrap` for OS-only runtimes).
    pub handler: Option<Text>,
    /// The local zip file.
    pub filename: Option<Text>,
    /// The package's base64 SHA-256 (`filebase64sha256("…")`), to redeploy when it changes.
    pub source_code_hash: Option<Text>,
    /// Memory in MB (128 to 10240).
    pub memory_size: Option<u32>,
    /// Timeout in seconds (up to 900).
    pub timeout: Option<u32>,
    /// The instruction set (one item).
    pub architectures: Vec<Architecture>,
    /// Reserved concurrency (`-1` removes the reservation).
    pub reserved_concurrent_executions: Option<i64>,
    /// Publish a version on each change.
    pub publish: Option<bool>,
    /// Environment variables (plain values only).
    pub environment: Option<Environment>,
    /// The KMS key that encrypts the environment, of the function's own region.
    pub kms_key_arn: Option<Arn<kms::Key<R>>>,
    /// X-Ray tracing.
    pub tracing_config: Option<TracingConfig>,
    /// Where failed asynchronous invocations go.
    pub dead_letter_config: Option<DeadLetterConfig<R>>,
    /// Subnets and security groups, when the function runs in a VPC.
    pub vpc_config: Option<VpcConfig<R>>,
    /// The code signing config that checks the package's signature.
    pub code_signing_config_arn: Option<Arn<CodeSigningConfig<R>>>,
    /// Log format and destination.
    pub logging_config: Option<LoggingConfig<R>>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
    /// The region the function lives in.
    pub _region: PhantomData<R>,
}

string_enum! {
    /// The action a [`Permission`] grants.
    pub enum PermissionAction {
        /// `lambda:InvokeFunction`.
        InvokeFunction = "lambda:InvokeFunction",
        /// `lambda:InvokeFunctionUrl`.
        InvokeFunctionUrl = "lambda:InvokeFunctionUrl",
    }
}

/// A statement of a function's resource-based policy (`aws_lambda_permission`).
///
/// Who may invoke is an [`Invoker`]: the service and the one resource of it that may, typed
/// together, so the principal cannot be another service than the one whose resource is named,
/// and the `source_arn` cannot be left out. A permission for API Gateway is made whole by
/// [`Permission::api_gateway`] from the route of the integration that calls the function.
///
/// ```
/// use infra_core::{Arn, Stack, Text, UsEast1, aws::{events, lambda}};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// # let function: infra_core::Ref<lambda::Function<UsEast1>> =
/// #     infra_core::Ref::new(infra_core::Node::new(infra_core::NodeKind::Resource, "aws_lambda_function", "primary_job"));
/// let rule = east.add("nightly", events::Rule::default());
/// east.add("nightly_invoke", lambda::Permission {
///     action: lambda::PermissionAction::InvokeFunction,
///     function_name: function.function_name(),
///     invoker: lambda::Invoker::events_rule(rule.arn()),
///     opts: lambda::PermissionOpts {
///         statement_id: Some("AllowNightlyRule".into()),
///         ..Default::default()
///     },
/// });
/// // A fragment that refers to resources it does not declare: the rules would report
/// // them (`IC-REF-001`), so it is synthesized unchecked.
/// let json = stack.synth_unchecked().unwrap();
/// let p = &json.value()["resource"]["aws_lambda_permission"]["primary_nightly_invoke"];
/// assert_eq!(p["action"], "lambda:InvokeFunction");
/// assert_eq!(p["principal"], "events.amazonaws.com");
/// assert_eq!(p["source_arn"], "${aws_cloudwatch_event_rule.primary_nightly.arn}");
/// assert_eq!(p["function_name"], "${aws_lambda_function.primary_job.function_name}");
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_lambda_permission", exports(id: Id<Self>))]
pub struct Permission<R: Region> {
    /// The action granted.
    pub action: PermissionAction,
    /// The function's name (`function.function_name()`), of a function in the permission's
    /// own region.
    pub function_name: Name<Function<R>>,
    /// Who invokes, and from where (`principal` and `source_arn`):
    /// `Invoker::events_rule(rule.arn())`; for API Gateway use [`Permission::api_gateway`].
    #[resource(flatten)]
    pub invoker: Invoker<R>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: PermissionOpts<R>,
}

/// Optional arguments of [`Permission`].
#[derive(Block, Debug, Clone, Default)]
pub struct PermissionOpts<R: Region> {
    /// The statement's ID.
    pub statement_id: Option<Text>,
    /// The account allowed to invoke.
    pub source_account: Option<Text>,
    /// A version or alias.
    pub qualifier: Option<Text>,
    /// The region of the function.
    pub _region: PhantomData<R>,
}

/// Where an asynchronous invocation's record goes: a queue, topic or function of the same region.
#[derive(Block, Debug, Clone)]
pub struct Destination<R: Region> {
    destination: Text,
    _region: PhantomData<R>,
}

impl<R: Region> Destination<R> {
    /// An SQS queue.
    pub fn queue(queue: Arn<sqs::Queue<R>>) -> Self {
        Self {
            destination: queue.into(),
            _region: PhantomData,
        }
    }

    /// An SNS topic.
    pub fn topic(topic: Arn<sns::Topic<R>>) -> Self {
        Self {
            destination: topic.into(),
            _region: PhantomData,
        }
    }

    /// Another function.
    pub fn function(function: Arn<Function<R>>) -> Self {
        Self {
            destination: function.into(),
            _region: PhantomData,
        }
    }

    /// The destination's ARN.
    pub fn arn(&self) -> &Text {
        &self.destination
    }
}

/// Destinations of asynchronous invocations.
#[derive(Block, Debug, Clone, Default)]
pub struct DestinationConfig<R: Region> {
    /// Where failed invocations go.
    pub on_failure: Option<Destination<R>>,
    /// Where successful invocations go.
    pub on_success: Option<Destination<R>>,
}

/// Asynchronous invocation settings of a function (`aws_lambda_function_event_invoke_config`).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::{iam, lambda, sqs}};
/// use infra_core::policy::{PolicyDocument, service};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let role = east.add("exec", iam::Role {
///     assume_role_policy: PolicyDocument::trust(service::Lambda),
///     opts: Default::default(),
/// });
/// let api = east.add("api", lambda::Function {
///     function_name: "payment-api".into(),
///     role: role.arn(),
///     opts: Default::default(),
/// });
/// let dlq = east.add("dlq", sqs::Queue::default());
/// east.add("api_async", lambda::FunctionEventInvokeConfig {
///     function_name: api.function_name(),
///     opts: lambda::FunctionEventInvokeConfigOpts {
///         maximum_retry_attempts: Some(2),
///         destination_config: Some(lambda::DestinationConfig {
///             on_failure: Some(lambda::Destination::queue(dlq.arn())),
///             ..Default::default()
///         }),
///         ..Default::default()
///     },
/// });
/// let json = stack.synth().unwrap();
/// let c = &json.value()["resource"]["aws_lambda_function_event_invoke_config"]["primary_api_async"];
/// assert_eq!(c["destination_config"]["on_failure"]["destination"], "${aws_sqs_queue.primary_dlq.arn}");
/// assert_eq!(c["function_name"], "${aws_lambda_function.primary_api.function_name}");
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_lambda_function_event_invoke_config", exports(id: Id<Self>))]
pub struct FunctionEventInvokeConfig<R: Region> {
    /// The function's name (`function.function_name()`), of a function in the config's own
    /// region.
    pub function_name: Name<Function<R>>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: FunctionEventInvokeConfigOpts<R>,
}

/// Optional arguments of [`FunctionEventInvokeConfig`].
#[derive(Block, Debug, Clone, Default)]
pub struct FunctionEventInvokeConfigOpts<R: Region> {
    /// Retries (0 to 2).
    pub maximum_retry_attempts: Option<u32>,
    /// Maximum age of an event in seconds (60 to 21600).
    pub maximum_event_age_in_seconds: Option<u32>,
    /// A version or alias.
    pub qualifier: Option<Text>,
    /// Where records go.
    pub destination_config: Option<DestinationConfig<R>>,
    /// The region of the function.
    pub _region: PhantomData<R>,
}

/// The signing profiles a code signing config trusts, of its own region.
#[derive(Block, Debug, Clone)]
pub struct AllowedPublishers<R: Region> {
    /// Profile version ARNs (`profile.version_arn()`).
    pub signing_profile_version_arns: OneOrMore<Arn<signer::ProfileVersion<R>>>,
}

string_enum! {
    /// What Lambda does with a package whose signature does not check.
    pub enum UntrustedArtifact {
        /// Reject the deployment (the secure choice).
        Enforce = "Enforce",
        /// Deploy and log a warning.
        Warn = "Warn",
    }
}

/// The code signing policy.
#[derive(Block, Debug, Clone)]
pub struct CodeSigningPolicies {
    /// What to do with an untrusted package.
    pub untrusted_artifact_on_deployment: UntrustedArtifact,
}

/// A code signing config (`aws_lambda_code_signing_config`).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::{lambda, signer}};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let profile = east.add("lambda", signer::SigningProfile {
///     platform_id: signer::Platform::AwsLambdaSha384Ecdsa,
///     opts: Default::default(),
/// });
/// let csc = east.add("payment", lambda::CodeSigningConfig {
///     allowed_publishers: lambda::AllowedPublishers {
///         signing_profile_version_arns: [profile.version_arn()].into(),
///     },
///     opts: lambda::CodeSigningConfigOpts {
///         policies: Some(lambda::CodeSigningPolicies {
///             untrusted_artifact_on_deployment: lambda::UntrustedArtifact::Enforce,
///         }),
///         ..Default::default()
///     },
/// });
/// let _arn: infra_core::Arn<lambda::CodeSigningConfig<UsEast1>> = csc.arn();
/// let json = stack.synth().unwrap();
/// let c = &json.value()["resource"]["aws_lambda_code_signing_config"]["primary_payment"];
/// assert_eq!(
///     c["allowed_publishers"]["signing_profile_version_arns"],
///     serde_json::json!(["${aws_signer_signing_profile.primary_lambda.version_arn}"])
/// );
/// assert_eq!(c["policies"]["untrusted_artifact_on_deployment"], "Enforce");
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_lambda_code_signing_config",
    exports(arn: Arn<Self>, id: Id<Self>, config_id: Id<Self>)
)]
pub struct CodeSigningConfig<R: Region> {
    /// The trusted signing profiles.
    pub allowed_publishers: AllowedPublishers<R>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: CodeSigningConfigOpts,
}

/// Optional arguments of [`CodeSigningConfig`].
#[derive(Block, Debug, Clone, Default)]
pub struct CodeSigningConfigOpts {
    /// What the config is for.
    pub description: Option<Text>,
    /// The signing policy (Lambda defaults to `Warn`).
    pub policies: Option<CodeSigningPolicies>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
}

/// The `lambda` IAM actions, generated from AWS's authorization data.
pub use crate::iam::lambda::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UsEast1;
    use crate::policy::PolicyDocument;
    use crate::testing::assert_conforms as conforms;

    #[test]
    fn shapes_conform_to_the_provider_schema() {
        conforms::<Function<UsEast1>>();
        conforms::<Permission<UsEast1>>();
        conforms::<FunctionEventInvokeConfig<UsEast1>>();
        conforms::<CodeSigningConfig<UsEast1>>();
    }

    #[test]
    fn invoke_function_acts_on_a_function() {
        let f: Arn<Function<UsEast1>> =
            Arn::from_text(Text::expression("aws_lambda_function.f.arn"));
        let doc = PolicyDocument::new().allow([InvokeFunction], f);
        assert!(doc.to_json().contains("lambda:InvokeFunction"));
    }
}
