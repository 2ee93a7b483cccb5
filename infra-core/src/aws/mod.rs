//! AWS resource types, one module per service.
//!
//! Argument names, types and block shapes follow the AWS provider schema (checked against the
//! committed schema subset by the conformance test). Regional resources are generic over their
//! region `R`; global ones (IAM, Route 53) are not. Optional arguments are `Option`s; resources
//! with required arguments keep their optional ones in an `opts` block so that `..Default::default()`
//! can never silently fill in a required argument.
//!
//! IAM actions live beside the resources they act on (`dynamodb::PutItem`, `s3::PutObject`),
//! as constants named like the IAM actions themselves.
//!
//! Every other resource and data source of the provider is generated from its schema
//! (`tools/codegen`, output in `aws/generated/`), one module per service behind the Cargo
//! feature of the service's name (`sqs`, `ecs`, `rds`, …; `full` enables all). A hand-written
//! module of the same name wins: it re-exports the generated types it does not define itself,
//! so `aws::sqs::QueueRedrivePolicy` (feature `sqs`) sits beside the hand-written `aws::sqs::Queue`.

pub mod acm;
pub mod apigateway;
pub mod cloudwatch;
pub mod data;
pub mod dynamodb;
pub mod ec2;
pub mod events;
pub mod iam;
pub mod kms;
pub mod lambda;
pub mod route53;
pub mod s3;
pub mod signer;
pub mod sns;
pub mod sqs;
pub mod ssm;
pub mod wafv2;
pub mod xray;

// Generated code, never formatted or edited by hand (its first line says how to regenerate it).
#[rustfmt::skip]
mod generated;
// The generated services; a hand-written module above of the same name shadows its glob entry.
pub use generated::*;
