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

use crate::aws::{cloudwatch, ec2, signer, sns, sqs};

mod invoker;
use crate::{Arn, Block, Id, Name, OneOrMore, PlainValue, Region, Text, string_enum};
pub use invoker::{IntegrationRoute, Invoker};

/// The overlay-typed types (`infra-core/overlay/types/lambda.toml`): `Function`, `Permission`,
/// `FunctionEventInvokeConfig`, `CodeSigningConfig`.
pub use super::generated::overlay::lambda::*;

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
    /// Allow IPv6 traffic of a function in dual-stack subnets.
    pub ipv6_allowed_for_dual_stack: Option<bool>,
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
