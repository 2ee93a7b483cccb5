//! The multi-region AWS payment platform, defined with `infra-core`.
//!
//! [`build`] returns the whole platform as one [`Stack`]: two providers (us-east-1 primary,
//! us-west-2 secondary), the per-region half written once in [`regional`] and run for both,
//! the data tier in [`storage`], DNS in [`dns`] and the scheduled audit reconciliation in
//! [`reconcile`]. The binary (`cargo run -p payment-stack`)
//! parses arguments and writes the stack; it has no serialization logic of its own.
//!
//! ```
//! use payment_stack::{Config, build};
//! let stack = build(&Config::new("dev", "payments.example.com").unwrap());
//! let doc = stack.synth().unwrap();
//! assert_eq!(infra_core::testing::count(&doc, "aws_dynamodb_table"), 1);
//! ```

pub mod compliance;
pub mod config;
pub mod dns;
pub mod outputs;
pub mod reconcile;
pub mod regional;
pub mod storage;

pub use config::{Config, ConfigError, EnvironmentKind};

use infra_core::aws::data::CallerIdentity;
use infra_core::{Stack, UsEast1, UsWest2};

use crate::regional::Shared;
use crate::storage::STATUS_INDEX;

/// The provider alias of the primary region.
pub const PRIMARY: &str = "primary";
/// The provider alias of the secondary region.
pub const SECONDARY: &str = "secondary";

/// Builds the platform for one environment.
pub fn build(cfg: &Config) -> Stack {
    let app = Stack::new();
    app.default_tags(cfg.tags());
    let east = app.aws::<UsEast1>(PRIMARY);
    let west = app.aws::<UsWest2>(SECONDARY);
    let caller = east.data("caller", CallerIdentity {});
    let account_id = caller.account_id();

    let east_keys = regional::keys(&east, cfg, &account_id);
    let west_keys = regional::keys(&west, cfg, &account_id);

    let table = storage::table(&east, cfg, &east_keys.data, &west_keys.data);
    let east_buckets = storage::buckets(&east, cfg, &account_id, &east_keys, "audit");
    let west_buckets = storage::buckets(&west, cfg, &account_id, &west_keys, "audit-replica");
    let replication_role = storage::replication_role(
        &east,
        cfg,
        (&east_buckets, &east_keys),
        (&west_buckets, &west_keys),
    );
    let east_replication = storage::replicate(
        &east,
        &replication_role,
        &east_buckets,
        &west_buckets,
        &west_keys,
    );
    let west_replication = storage::replicate(
        &west,
        &replication_role,
        &west_buckets,
        &east_buckets,
        &east_keys,
    );

    let zone = dns::zone(&east, cfg, &account_id, &east_keys);

    let primary = regional::serve(
        &east,
        cfg,
        east_keys,
        &Shared {
            account_id: &account_id,
            table: table.arn(),
            status_index: table.index_arn(STATUS_INDEX),
            table_name: table.name(),
            audit_bucket: east_buckets.audit.arn(),
            audit_bucket_name: east_buckets.audit.bucket().into(),
            replication_dimensions: east_replication,
            api_key_value: None,
        },
        &zone,
    );
    let secondary = regional::serve(
        &west,
        cfg,
        west_keys,
        &Shared {
            account_id: &account_id,
            table: table.replica_arn::<UsWest2>(),
            status_index: table.replica_index_arn::<UsWest2>(STATUS_INDEX),
            table_name: table.replica_name::<UsWest2>(),
            audit_bucket: west_buckets.audit.arn(),
            audit_bucket_name: west_buckets.audit.bucket().into(),
            replication_dimensions: west_replication,
            api_key_value: Some(primary.api_key.value()),
        },
        &zone,
    );
    storage::bucket_policies(&east, &east_buckets, primary.role.arn(), &account_id);
    storage::bucket_policies(&west, &west_buckets, secondary.role.arn(), &account_id);
    dns::routing(&east, cfg, &zone, &primary, &secondary);
    outputs::declare(
        &app,
        cfg,
        &table,
        &east_buckets,
        &west_buckets,
        &primary,
        &secondary,
    );
    compliance::enable(&app);
    app
}
