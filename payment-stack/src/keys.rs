//! The platform's keys in one region, one per purpose, each a [`Key`] component: rotation on,
//! a 30-day deletion window, an alias following the naming rule and a policy that delegates use
//! to IAM. The operations key's policy also admits CloudWatch Logs (this account's log groups
//! in the key's region) and CloudWatch alarms (publishing to the encrypted alarm topic).

use infra_core::components::{Key, KeyConfig};
use infra_core::{Aws, Region, Text};

use crate::Config;

/// The platform's keys in one region.
#[derive(Debug)]
pub struct Keys<'s, R: Region> {
    /// Payment data: the table (or its replica) and SSM parameters.
    pub data: Key<'s, R>,
    /// S3 objects: audit and replica buckets.
    pub s3: Key<'s, R>,
    /// The function's environment variables.
    pub lambda: Key<'s, R>,
    /// Operations: log groups, the alarm topic and the dead-letter queue.
    pub ops: Key<'s, R>,
}

impl<'s, R: Region> Keys<'s, R> {
    /// The four keys of region `R` (`<alias>_data_key`, `<alias>_s3_key`…).
    pub fn new(aws: &Aws<'s, R>, cfg: &Config) -> Self {
        let key = |scope: &str, purpose: &str| {
            let key = Key::with(
                &aws.scope(scope),
                KeyConfig {
                    alias: Some(cfg.name(scope)),
                    description: Some(format!(
                        "{} {purpose} key ({})",
                        cfg.name("payments"),
                        R::NAME
                    )),
                },
            );
            // The alias was `<alias>_<purpose>_key_alias` before the stack used the component:
            // moved, not destroyed and created again under the same alias name.
            let old = aws.logical_name(&format!("{scope}_key_alias"));
            aws.stack().moved_from(&old, &key.alias);
            key
        };
        let ops = key("ops", "operations");
        ops.allow_logs();
        ops.allow_alarms();
        Self {
            data: key("data", "data"),
            s3: key("s3", "s3"),
            lambda: key("lambda", "lambda environment"),
            ops,
        }
    }

    /// The account ID the key policies name (read once per provider).
    pub fn account_id(&self) -> &Text {
        &self.data.account_id
    }
}
