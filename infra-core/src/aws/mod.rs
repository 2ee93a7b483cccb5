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
