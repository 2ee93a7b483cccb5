//! Where Terraform keeps state: a local file by default, or an S3 bucket with locking.
//!
//! Terraform reads every setting of the `terraform` block literally (no templates, no
//! references), so backend strings are written as given, without escaping.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use thiserror::Error;

/// The state backend of a stack.
///
/// ```
/// use infra_core::{Backend, S3Backend};
/// let s3 = S3Backend::new("acme-terraform-state", "payments/dev.tfstate", "us-east-1").unwrap();
/// let backend = Backend::S3(s3);
/// assert_eq!(backend.to_value()["s3"]["use_lockfile"], true);
/// assert_eq!(Backend::default().to_value()["local"]["path"], "terraform.tfstate");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// State in a local file, relative to the output directory.
    Local {
        /// The state file's path.
        path: String,
    },
    /// State in S3, encrypted, with S3-native locking.
    S3(S3Backend),
}

impl Default for Backend {
    fn default() -> Self {
        Backend::Local {
            path: "terraform.tfstate".to_owned(),
        }
    }
}

impl Backend {
    /// The `terraform.backend` JSON object.
    pub fn to_value(&self) -> Value {
        match self {
            Backend::Local { path } => json!({ "local": { "path": path } }),
            Backend::S3(s3) => {
                let mut m = BTreeMap::new();
                m.insert("bucket", json!(s3.bucket));
                m.insert("key", json!(s3.key));
                m.insert("region", json!(s3.region));
                m.insert("encrypt", json!(true));
                m.insert("use_lockfile", json!(true));
                if let Some(k) = &s3.kms_key_id {
                    m.insert("kms_key_id", json!(k));
                }
                json!({ "s3": m })
            }
        }
    }
}

/// An S3 backend, validated when built. State is always encrypted and locked with a lock file
/// (Terraform 1.10 or later), so no DynamoDB lock table is needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Backend {
    bucket: String,
    key: String,
    region: String,
    kms_key_id: Option<String>,
}

/// Why a backend configuration was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BackendError {
    /// The bucket name breaks the S3 naming rules.
    #[error(
        "invalid state bucket `{0}`: expected 3 to 63 lowercase letters, digits, `-` or `.`, starting and ending with a letter or digit"
    )]
    Bucket(String),
    /// The state key is empty or malformed.
    #[error("invalid state key `{0}`: expected a non-empty path without a leading `/`")]
    Key(String),
    /// The region is not an AWS region name.
    #[error("invalid state region `{0}`: expected a region name such as `us-east-1`")]
    Region(String),
    /// The KMS key is not an ARN or alias.
    #[error("invalid state KMS key `{0}`: expected a key ARN or `alias/…`")]
    KmsKey(String),
}

impl S3Backend {
    /// A backend in `bucket` at `key`, in `region`.
    pub fn new(
        bucket: impl Into<String>,
        key: impl Into<String>,
        region: impl Into<String>,
    ) -> Result<Self, BackendError> {
        let (bucket, key, region) = (bucket.into(), key.into(), region.into());
        if !valid_bucket_name(&bucket) {
            return Err(BackendError::Bucket(bucket));
        }
        if key.is_empty() || key.starts_with('/') || key.ends_with('/') || key.contains("//") {
            return Err(BackendError::Key(key));
        }
        if !valid_region_name(&region) {
            return Err(BackendError::Region(region));
        }
        Ok(Self {
            bucket,
            key,
            region,
            kms_key_id: None,
        })
    }

    /// Encrypts state with a customer-managed KMS key (`arn:aws:kms:…` or `alias/…`).
    pub fn kms_key(mut self, key: impl Into<String>) -> Result<Self, BackendError> {
        let key = key.into();
        if !(key.starts_with("arn:aws:kms:") || key.starts_with("alias/")) {
            return Err(BackendError::KmsKey(key));
        }
        self.kms_key_id = Some(key);
        Ok(self)
    }
}

/// S3 bucket naming rules (general purpose buckets).
pub fn valid_bucket_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    (3..=63).contains(&bytes.len())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-' || *b == b'.')
        && bytes[0].is_ascii_alphanumeric()
        && bytes[bytes.len() - 1].is_ascii_alphanumeric()
        && !name.contains("..")
        && !name.starts_with("xn--")
        && !name.ends_with("-s3alias")
        && name.parse::<std::net::Ipv4Addr>().is_err()
}

/// `true` for names shaped like AWS regions (`us-east-1`, `us-gov-west-1`).
pub fn valid_region_name(name: &str) -> bool {
    let parts: Vec<&str> = name.split('-').collect();
    parts.len() >= 3
        && parts.len() <= 4
        && parts[..parts.len() - 1]
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].parse::<u8>().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn s3_backend_validates_its_parts() {
        assert!(S3Backend::new("ok-bucket", "a/b.tfstate", "us-west-2").is_ok());
        assert_eq!(
            S3Backend::new("Bad_Bucket", "k", "us-east-1"),
            Err(BackendError::Bucket("Bad_Bucket".into()))
        );
        assert_eq!(
            S3Backend::new("ok-bucket", "/k", "us-east-1"),
            Err(BackendError::Key("/k".into()))
        );
        assert_eq!(
            S3Backend::new("ok-bucket", "k", "mars"),
            Err(BackendError::Region("mars".into()))
        );
        assert!(
            S3Backend::new("ok-bucket", "k", "us-east-1")
                .unwrap()
                .kms_key("nope")
                .is_err()
        );
    }

    #[test]
    fn s3_backend_is_encrypted_and_locked() {
        let b = S3Backend::new("state-bucket", "k.tfstate", "us-east-1")
            .unwrap()
            .kms_key("alias/state")
            .unwrap();
        assert_eq!(
            Backend::S3(b).to_value(),
            json!({"s3": {"bucket": "state-bucket", "key": "k.tfstate", "region": "us-east-1",
                          "encrypt": true, "use_lockfile": true, "kms_key_id": "alias/state"}})
        );
    }

    #[test]
    fn bucket_names() {
        for bad in [
            "ab",
            "a..b",
            "-ab",
            "ab-",
            "192.168.1.1",
            "UPPER",
            &"a".repeat(64),
        ] {
            assert!(!valid_bucket_name(bad), "{bad}");
        }
        assert!(valid_bucket_name("payment-dev-audit-123456789012"));
    }
}
