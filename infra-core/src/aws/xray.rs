//! AWS X-Ray: the IAM actions a traced function needs. They have no resource-level
//! permissions, so they are granted only through `allow_any_resource` with a reason.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`xray:PutTraceSegments`).

use crate::policy::Action;

/// The generated `xray` types this module does not define (feature `xray`).
#[cfg(feature = "xray")]
pub use super::generated::xray::*;

/// Trace submission actions (no resource-level permissions).
#[derive(Debug)]
pub struct TraceActions;

/// `xray:PutTraceSegments`.
pub const PutTraceSegments: Action<TraceActions> = crate::action!("xray:PutTraceSegments");
/// `xray:PutTelemetryRecords`.
pub const PutTelemetryRecords: Action<TraceActions> = crate::action!("xray:PutTelemetryRecords");
