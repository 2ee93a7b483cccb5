//! Typed infrastructure as code.
pub use infra_macros::*;
