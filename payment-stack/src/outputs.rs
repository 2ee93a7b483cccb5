//! The stack's outputs, and the conversion of `terraform output -json` into the flat file the
//! integration tests read (`cfn-outputs/flat-outputs.json`).

use std::collections::BTreeMap;

use infra_core::aws::dynamodb::Table;
use infra_core::{Ref, Stack, UsEast1, UsWest2, interpolate};
use serde_json::Value;
use thiserror::Error;

use crate::Config;
use crate::regional::{Regional, STAGE};
use crate::storage::Buckets;

/// Declares every output. Only the API key is sensitive.
pub fn declare(
    app: &Stack,
    cfg: &Config,
    table: &Ref<Table<UsEast1>>,
    (east_buckets, west_buckets): (&Buckets<'_, UsEast1>, &Buckets<'_, UsWest2>),
    primary: &Regional<'_, UsEast1>,
    secondary: &Regional<'_, UsWest2>,
) {
    app.output_described(
        "api_url",
        format!("https://{}", cfg.api_host()),
        "the API behind failover routing",
    );
    app.output_described(
        "api_latency_url",
        format!("https://{}", cfg.latency_host()),
        "the API behind latency routing",
    );
    app.output(
        "api_endpoint_primary",
        interpolate!(
            "https://{}.execute-api.us-east-1.amazonaws.com/{}",
            primary.api.id(),
            STAGE
        ),
    );
    app.output(
        "api_endpoint_secondary",
        interpolate!(
            "https://{}.execute-api.us-west-2.amazonaws.com/{}",
            secondary.api.id(),
            STAGE
        ),
    );
    app.sensitive_output("api_key", primary.api_key.value());
    app.sensitive_output("api_key_secondary", secondary.api_key.value());
    app.output("table_name", table.name());
    app.output("table_arn", table.arn());
    app.output("audit_bucket_name", east_buckets.audit.bucket());
    app.output("replica_bucket_name", west_buckets.audit.bucket());
    app.output("function_name_primary", primary.function.function_name());
    app.output("function_arn_primary", primary.function.arn());
    app.output(
        "function_name_secondary",
        secondary.function.function_name(),
    );
    app.output("function_arn_secondary", secondary.function.arn());
    app.output("data_key_id_primary", primary.keys.data.key_id());
    app.output("data_key_id_secondary", secondary.keys.data.key_id());
    app.output("log_group_primary", primary.function_logs.name());
    app.output("log_group_secondary", secondary.function_logs.name());
    app.output("alarm_topic_primary", primary.alarms.arn());
    app.output("alarm_topic_secondary", secondary.alarms.arn());
    app.output("stage_arn_primary", primary.stage.arn());
}

/// Why `terraform output -json` could not be flattened.
#[derive(Debug, Error)]
pub enum FlattenError {
    /// The input is not JSON.
    #[error("the input is not JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The input is not what `terraform output -json` prints.
    #[error("expected `terraform output -json` (an object of {{\"value\": …}} entries), found {0}")]
    Shape(String),
}

/// `{"name": {"value": v, "sensitive": …, "type": …}}` → `{"name": "v"}` (strings as they are,
/// other values as JSON text).
///
/// ```
/// let flat = payment_stack::outputs::flatten(r#"{"table_name": {"value": "t", "type": "string", "sensitive": false}}"#).unwrap();
/// assert_eq!(flat["table_name"], "t");
/// ```
pub fn flatten(terraform_output_json: &str) -> Result<BTreeMap<String, String>, FlattenError> {
    let v: Value = serde_json::from_str(terraform_output_json)?;
    let Value::Object(map) = v else {
        return Err(FlattenError::Shape("a non-object".into()));
    };
    map.into_iter()
        .map(|(name, entry)| match entry.get("value") {
            Some(Value::String(s)) => Ok((name, s.clone())),
            Some(other) => Ok((name, other.to_string())),
            None => Err(FlattenError::Shape(format!("`{name}` without a `value`"))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flatten_keeps_strings_and_encodes_the_rest() {
        let flat = flatten(
            r#"{"a": {"value": "x"}, "b": {"value": 3, "sensitive": true}, "c": {"value": ["l"]}}"#,
        )
        .unwrap();
        assert_eq!(flat["a"], "x");
        assert_eq!(flat["b"], "3");
        assert_eq!(flat["c"], "[\"l\"]");
    }

    #[test]
    fn flatten_rejects_other_shapes() {
        assert!(matches!(flatten("[1]"), Err(FlattenError::Shape(_))));
        assert!(matches!(
            flatten(r#"{"a": 1}"#),
            Err(FlattenError::Shape(_))
        ));
        assert!(matches!(flatten("{"), Err(FlattenError::Json(_))));
    }
}
