//! The multi-region AWS payment platform, defined with `infra-core`.
//!
//! [`build`] returns the whole platform as one [`Stack`]: two providers (us-east-1 primary,
//! us-west-2 secondary), one module per part of the diagram in docs/architecture.md: the
//! [`keys`], the data tier in [`storage`], and the per-region half written once in
//! [`regional`] and run for both ([`network`], [`processor`], [`api`], [`firewall`],
//! [`observability`], [`reconcile`]), then DNS in [`dns`] and the [`outputs`]. The binary
//! (`cargo run -p payment-stack`) parses arguments and writes the stack; it has no
//! serialization logic of its own.
//!
//! ```
//! use payment_stack::{Config, build};
//! let stack = build(&Config::new("dev", "payments.example.com").unwrap());
//! let doc = stack.synth().unwrap();
//! assert_eq!(infra_core::testing::count(&doc, "aws_dynamodb_table"), 1);
//! ```

// No function over 80 lines (clippy.toml): each part of the platform is a named function.
#![warn(clippy::too_many_lines)]

pub mod api;
pub mod compliance;
pub mod config;
pub mod dns;
pub mod firewall;
pub mod keys;
pub mod network;
pub mod observability;
pub mod outputs;
pub mod processor;
pub mod reconcile;
pub mod regional;
pub mod storage;

pub use config::{Config, ConfigError, EnvironmentKind};

use infra_core::{Stack, UsEast1, UsWest2};

use crate::keys::Keys;

/// The provider alias of the primary region.
pub const PRIMARY: &str = "primary";
/// The provider alias of the secondary region.
pub const SECONDARY: &str = "secondary";

/// Builds the platform for one environment, in the order of docs/architecture.md: keys per
/// region, the global table, the audit buckets and their two-way replication, the zone, each
/// region's serving half, DNS routing over both, and the outputs.
pub fn build(cfg: &Config) -> Stack {
    let app = Stack::new();
    app.default_tags(cfg.tags());
    let east = app.aws::<UsEast1>(PRIMARY);
    let west = app.aws::<UsWest2>(SECONDARY);
    let (east_keys, west_keys) = (Keys::new(&east, cfg), Keys::new(&west, cfg));

    let table = storage::table(&east, cfg, &east_keys.data, &west_keys.data);
    let east_buckets = storage::buckets(&east, cfg, &east_keys, "audit");
    let west_buckets = storage::buckets(&west, cfg, &west_keys, "audit-replica");
    let replication = storage::replication_role(
        &east,
        cfg,
        (&east_buckets, &east_keys),
        (&west_buckets, &west_keys),
    );
    let east_to_west = storage::replicate(
        &east,
        &replication,
        &east_buckets,
        &west_buckets,
        &west_keys,
    );
    let west_to_east = storage::replicate(
        &west,
        &replication,
        &west_buckets,
        &east_buckets,
        &east_keys,
    );

    let zone = dns::zone(&east, cfg, &east_keys);
    let primary = regional::serve(&east, cfg, east_keys, &table, &east_buckets, &zone);
    let secondary = regional::serve(&west, cfg, west_keys, &table, &west_buckets, &zone);
    regional::share_api_key(&app, &primary, &secondary);
    let (east_replication, west_replication) = (
        storage::replication_alarm(east_to_west),
        storage::replication_alarm(west_to_east),
    );
    observability::alarm(&east, cfg, &primary.alarms, east_replication);
    observability::alarm(&west, cfg, &secondary.alarms, west_replication);

    dns::routing(&east, cfg, &zone, &primary, &secondary);
    let buckets = (&east_buckets, &west_buckets);
    outputs::declare(&app, cfg, &table, buckets, &primary, &secondary);
    compliance::enable(&app);
    app
}
