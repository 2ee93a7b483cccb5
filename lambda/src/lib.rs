//! The payment processor AWS Lambda function (`provided.al2023`, x86_64).
//!
//! The binary (`bootstrap`) serves three routes behind an API Gateway REST proxy integration:
//! `POST /payments`, `GET /payments/{payment_id}` and `GET /health`. Everything the handler
//! does is reachable from this library so that tests can drive it without the Lambda runtime:
//!
//! - [`config`] reads and validates the environment once at start-up;
//! - [`validation`] (with [`pan`] and [`currency`]) turns an untrusted body into a [`model::PaymentRequest`];
//! - [`store`] writes payments to DynamoDB idempotently and reads them back;
//! - [`audit`] writes the SSE-KMS audit object to S3;
//! - [`metrics`] emits CloudWatch metrics in the embedded metric format;
//! - [`handler`] ties them together and maps every outcome to an HTTP response, within the
//!   invocation's [`deadline`];
//! - [`reconcile`] repairs payments whose audit object is missing (scheduled by the stack).
//!
//! See `lambda/README.md` for the write-order decision and how to build, package and test.

pub mod audit;
pub mod aws;
pub mod config;
pub mod currency;
pub mod deadline;
pub mod handler;
pub mod logging;
pub mod metrics;
pub mod model;
pub mod pan;
pub mod reconcile;
pub mod store;
pub mod time;
pub mod validation;
