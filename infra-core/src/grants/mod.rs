//! Grants: least-privilege IAM statements computed from the types of what is granted.
//!
//! `table.grant_read_write(&role)`, `bucket.grant_put(&function, "incoming/*")`,
//! `key.grant_decrypt(&role)`… append statements to the grantee's policy (through the lazy
//! graph, so a grant may come after the role and the function were added). Every grant names
//! exact actions (never `s3:GetObject*`-style patterns), scopes them to the resource's ARN
//! (objects under a prefix, a table and its indexes, a log group's streams), and adds the KMS
//! permissions an encrypted resource needs, conditioned on `kms:ViaService` so the key can be
//! used only through the service that encrypts with it.
//!
//! The statements of every grant are built in one place, [`statements`], as plain functions a
//! test (or a hand-written policy) can call; the methods only find the resource's key and hand
//! the statements to the grantee.
//!
//! Grants are typed: a grantee is an IAM identity of the resource's region ([`Grantee<R>`]), so
//! granting a bucket of `UsEast1` to a function of `UsWest2`, or granting to something that is
//! not an identity (a key, a bucket), does not compile.
//!
//! ```
//! use infra_core::{Stack, UsEast1, aws::{dynamodb, kms}, components::Role, grants::{KeyGrants, TableGrants}};
//! use infra_core::policy::service;
//! let stack = Stack::new();
//! let east = stack.aws::<UsEast1>("primary");
//! let key = east.add("key", kms::Key { enable_key_rotation: Some(true), ..Default::default() });
//! let table = east.add("orders", dynamodb::Table {
//!     name: "orders".into(),
//!     hash_key: "id".into(),
//!     attribute: vec![dynamodb::Attribute::new("id", dynamodb::AttributeType::S)],
//!     opts: dynamodb::TableOpts {
//!         server_side_encryption: Some(dynamodb::ServerSideEncryption::kms(key.arn())),
//!         ..Default::default()
//!     },
//! });
//! let role = Role::for_service(&east.scope("worker"), service::Lambda);
//! table.grant_read_write(&role);
//! let doc = stack.synth().unwrap();
//! let policy = &doc.value()["resource"]["aws_iam_role_policy"]["primary_worker_policy"]["policy"];
//! let policy = policy.as_str().unwrap();
//! assert!(policy.contains("dynamodb:PutItem") && policy.contains("kms:ViaService"));
//! assert!(!policy.contains('*'), "no wildcard: {policy}");
//! ```
//!
//! A grant to a function of another region does not compile:
//!
//! ```compile_fail
//! use infra_core::{Stack, UsEast1, UsWest2, aws::sqs, components::Role, grants::QueueGrants, policy::service};
//! let stack = Stack::new();
//! let queue = stack.aws::<UsEast1>("primary").add("q", sqs::Queue::default());
//! let west = Role::for_service(&stack.aws::<UsWest2>("secondary"), service::Lambda);
//! queue.grant_send(&west);
//! ```

use crate::Stack;
use crate::policy::Statement;
use crate::region::Region;

mod resources;
pub mod statements;

pub use resources::{KeyGrants, LogGroupGrants, QueueGrants, TableGrants, TopicGrants};

/// An IAM identity that can hold grants on resources of region `R`: a role made for a workload
/// of `R` ([`crate::components::Role`]) or a function of `R` ([`crate::components::Function`]).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot hold a grant on a resource in `{R}`",
    label = "not an IAM identity of `{R}`",
    note = "grants go to an IAM identity of the resource's own region: a `components::Role` or `components::Function` made with the `{R}` provider; a key, a bucket or a table is not an identity, and a role made for another region's workload cannot be granted this region's resources"
)]
pub trait Grantee<R: Region> {
    /// The stack the identity belongs to (grants read the granted resource's node there).
    fn stack(&self) -> &Stack;

    /// Appends `statements` to the identity's policy. The caller's location is where the
    /// policy is created if this is its first grant.
    #[track_caller]
    fn grant(&self, statements: Vec<Statement>);
}

/// An AWS service that uses a KMS key on a caller's behalf: what `kms:ViaService` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ViaService {
    /// Amazon S3 (`s3.<region>.amazonaws.com`).
    S3,
    /// Amazon DynamoDB.
    DynamoDb,
    /// Amazon SQS.
    Sqs,
    /// Amazon SNS.
    Sns,
    /// AWS Lambda (environment variables).
    Lambda,
    /// AWS Systems Manager (`SecureString` parameters).
    Ssm,
    /// CloudWatch Logs.
    Logs,
}

impl ViaService {
    /// The service's endpoint prefix (`s3`, `dynamodb`…).
    pub fn prefix(self) -> &'static str {
        match self {
            ViaService::S3 => "s3",
            ViaService::DynamoDb => "dynamodb",
            ViaService::Sqs => "sqs",
            ViaService::Sns => "sns",
            ViaService::Lambda => "lambda",
            ViaService::Ssm => "ssm",
            ViaService::Logs => "logs",
        }
    }

    /// The value `kms:ViaService` takes for this service in region `R`
    /// (`s3.us-east-1.amazonaws.com`).
    pub fn via<R: Region>(self) -> String {
        format!("{}.{}.amazonaws.com", self.prefix(), R::NAME)
    }
}
