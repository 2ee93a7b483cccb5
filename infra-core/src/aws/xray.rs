//! AWS X-Ray: the IAM actions a traced function needs. They have no resource-level
//! permissions, so they are granted through `allow_unscoped` (or `allow_any_resource` with a reason).

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`xray:PutTraceSegments`).

/// The generated `xray` types this module does not define (feature `xray`).
#[cfg(feature = "xray")]
pub use super::generated::xray::*;

/// The `xray` IAM actions, generated from AWS's authorization data.
pub use crate::iam::xray::*;
