//! Procedural macros for `infra-core`.
