//! AWS service principals, one type per service (`service::Lambda` is `lambda.amazonaws.com`).
//!
//! A service principal is written as a value of its type, `Principal::service(service::Lambda)`,
//! so a misspelt service does not compile and the type can say more than the string: a role
//! trusted by `service::VpcFlowLogs` is an `iam::Role<VpcFlowLogs>`, which no Lambda function
//! accepts. CloudWatch Logs' principal is regional (`logs.<region>.amazonaws.com`), so it is
//! typed by its region: `service::Logs(UsEast1)`.
//!
//! A service this crate does not type yet is named with
//! [`Principal::untyped_service`](super::Principal::untyped_service), which takes a reason.

use crate::Region;
use crate::text::Text;

/// An AWS service that can be a principal: a policy may grant it, a role may trust it.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a typed AWS service principal",
    label = "expected a service type such as `service::Lambda`",
    note = "write the service as its type: `Principal::service(service::Lambda)`, `PolicyDocument::trust(service::S3)` (from `infra_core::policy::service`); a service this crate does not type yet: `Principal::untyped_service(\"name.amazonaws.com\", because(\"why\"))`"
)]
pub trait Service: 'static {
    /// The principal's name (`lambda.amazonaws.com`).
    fn name(&self) -> Text;
}

macro_rules! services {
    ($($(#[$doc:meta])* $ty:ident = $name:literal,)*) => {
        $(
            $(#[$doc])*
            #[doc = concat!("\n\nThe `", $name, "` service principal.")]
            #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
            pub struct $ty;
            impl Service for $ty {
                fn name(&self) -> Text {
                    Text::literal($name)
                }
            }
            impl crate::aws::iam::Trust for $ty {}
            impl From<crate::Arn<crate::aws::iam::Role<$ty>>> for crate::Arn<crate::aws::iam::Role> {
                fn from(arn: crate::Arn<crate::aws::iam::Role<$ty>>) -> Self {
                    crate::Arn::from_text(arn.text().clone())
                }
            }
        )*
    };
}

services! {
    /// AWS Lambda: it assumes a function's execution role.
    Lambda = "lambda.amazonaws.com",
    /// Amazon API Gateway: it invokes integrated functions and writes logs with a role.
    ApiGateway = "apigateway.amazonaws.com",
    /// Amazon EventBridge: rules invoke their targets.
    Events = "events.amazonaws.com",
    /// EventBridge Scheduler.
    Scheduler = "scheduler.amazonaws.com",
    /// Amazon CloudWatch: alarms publish to topics.
    CloudWatch = "cloudwatch.amazonaws.com",
    /// Amazon S3: it assumes the replication role and publishes bucket notifications.
    S3 = "s3.amazonaws.com",
    /// S3 server access logging: it writes log objects into the target bucket.
    S3Logging = "logging.s3.amazonaws.com",
    /// VPC flow logs: they assume a role to write to CloudWatch Logs.
    VpcFlowLogs = "vpc-flow-logs.amazonaws.com",
    /// Route 53 DNSSEC: it signs with the key-signing key's KMS key.
    DnssecRoute53 = "dnssec-route53.amazonaws.com",
    /// Amazon Route 53: query logging writes to CloudWatch Logs.
    Route53 = "route53.amazonaws.com",
    /// The log delivery service of vended logs (WAF, VPC flow logs to S3…).
    DeliveryLogs = "delivery.logs.amazonaws.com",
    /// Amazon SNS.
    Sns = "sns.amazonaws.com",
    /// Amazon SQS.
    Sqs = "sqs.amazonaws.com",
    /// Amazon EC2: instance profiles' roles.
    Ec2 = "ec2.amazonaws.com",
    /// Amazon ECS tasks: task roles.
    EcsTasks = "ecs-tasks.amazonaws.com",
    /// AWS Step Functions: state machines' roles.
    States = "states.amazonaws.com",
    /// Amazon Data Firehose: delivery streams' roles.
    Firehose = "firehose.amazonaws.com",
    /// AWS CodeBuild: projects' service roles.
    CodeBuild = "codebuild.amazonaws.com",
    /// AWS Glue: jobs' and crawlers' roles.
    Glue = "glue.amazonaws.com",
}

/// CloudWatch Logs of region `R` (`logs.<region>.amazonaws.com`): it uses the KMS key of an
/// encrypted log group of that region.
///
/// ```
/// use infra_core::{UsWest2, policy::service::{self, Service}};
/// assert_eq!(service::Logs(UsWest2).name().render(), "logs.us-west-2.amazonaws.com");
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Logs<R: Region>(pub R);

impl<R: Region> Service for Logs<R> {
    fn name(&self) -> Text {
        Text::literal(format!("logs.{}.amazonaws.com", R::NAME))
    }
}
