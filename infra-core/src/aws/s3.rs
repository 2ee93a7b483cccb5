//! Amazon S3: buckets and their configuration resources, and the S3 IAM actions.
//!
//! Bucket actions act on a bucket ARN (`bucket.arn()`), object actions on an object ARN
//! (`bucket.objects("audit/*")`). A replication destination is a bucket *and* key of one other
//! region, built by [`ReplicationDestination::new`].

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`s3:PutObject`).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::aws::{kms, sns};
use crate::{Arn, Block, Id, OtherRegion, Region, Text, string_enum};

/// The overlay-typed types (`infra-core/overlay/types/s3.toml`): `Bucket`, `Versioning`,
/// `ServerSideEncryptionConfiguration`, `PublicAccessBlock`, `BucketPolicy`,
/// `OwnershipControls`, `Logging`, `Notification`, `LifecycleConfiguration`,
/// `ReplicationConfiguration`.
pub use super::generated::overlay::s3::*;

/// The generated `s3` types this module does not define (feature `s3`).
#[cfg(feature = "s3")]
pub use super::generated::s3::*;

/// Objects in a bucket (what object actions act on).
#[derive(Debug)]
pub struct Objects<R>(PhantomData<R>);

impl<R: Region> BucketAttrs<R> {
    /// The ARN of objects under a key pattern (`<bucket arn>/audit/*`).
    pub fn objects(&self, pattern: &str) -> Arn<Objects<R>> {
        let mut t = self.arn().text().clone();
        t.push_str("/");
        t.push_str(pattern);
        Arn::from_text(t)
    }
}

string_enum! {
    /// A bucket's versioning state.
    pub enum VersioningStatus {
        /// On.
        Enabled = "Enabled",
        /// Paused.
        Suspended = "Suspended",
    }
}

string_enum! {
    /// Whether deleting a version or changing the versioning state needs MFA.
    pub enum MfaDelete {
        /// MFA required (set by the root user, with the `mfa` argument).
        Enabled = "Enabled",
        /// MFA not required.
        Disabled = "Disabled",
    }
}

/// The versioning block.
#[derive(Block, Debug, Clone)]
pub struct VersioningConfiguration {
    /// The state.
    pub status: VersioningStatus,
    /// MFA delete (unchanged when unset).
    pub mfa_delete: Option<MfaDelete>,
}

impl VersioningConfiguration {
    /// Versioning on, MFA delete unchanged.
    ///
    /// ```
    /// use infra_core::aws::s3::{VersioningConfiguration, VersioningStatus};
    /// assert_eq!(VersioningConfiguration::enabled().status, VersioningStatus::Enabled);
    /// ```
    pub fn enabled() -> Self {
        Self {
            status: VersioningStatus::Enabled,
            mfa_delete: None,
        }
    }
}

string_enum! {
    /// A server-side encryption algorithm.
    pub enum SseAlgorithm {
        /// SSE-KMS.
        Kms = "aws:kms",
        /// SSE-KMS, dual-layer.
        KmsDsse = "aws:kms:dsse",
        /// SSE-S3.
        Aes256 = "AES256",
    }
}

/// Default encryption of new objects.
#[derive(Block, Debug, Clone)]
pub struct SseByDefault<R: Region> {
    sse_algorithm: SseAlgorithm,
    kms_master_key_id: Option<Arn<kms::Key<R>>>,
}

string_enum! {
    /// A kind of encryption a bucket can refuse on writes (`blocked_encryption_types`).
    pub enum BlockedEncryption {
        /// Customer-provided keys (SSE-C).
        SseC = "SSE-C",
        /// Nothing blocked (clears an earlier setting).
        None = "NONE",
    }
}

/// One default-encryption rule.
#[derive(Block, Debug, Clone)]
pub struct SseRule<R: Region> {
    apply_server_side_encryption_by_default: Option<SseByDefault<R>>,
    bucket_key_enabled: Option<bool>,
    blocked_encryption_types: Vec<BlockedEncryption>,
}

impl<R: Region> SseRule<R> {
    /// SSE-KMS with a key of the bucket's region and S3 bucket keys on (fewer KMS calls).
    pub fn kms(key: Arn<kms::Key<R>>) -> Self {
        Self {
            apply_server_side_encryption_by_default: Some(SseByDefault {
                sse_algorithm: SseAlgorithm::Kms,
                kms_master_key_id: Some(key),
            }),
            bucket_key_enabled: Some(true),
            blocked_encryption_types: Vec::new(),
        }
    }

    /// SSE-S3 (`AES256`): for buckets that receive S3 server access logs, which S3 delivers
    /// only to buckets without a KMS default key.
    pub fn s3_managed() -> Self {
        Self {
            apply_server_side_encryption_by_default: Some(SseByDefault {
                sse_algorithm: SseAlgorithm::Aes256,
                kms_master_key_id: None,
            }),
            bucket_key_enabled: None,
            blocked_encryption_types: Vec::new(),
        }
    }

    /// Refuses writes that ask for these kinds of encryption (provider 6.x):
    /// `[BlockedEncryption::SseC]` refuses customer-provided keys.
    ///
    /// ```
    /// use infra_core::{Arn, Text, UsEast1, aws::{kms, s3::{BlockedEncryption, SseRule}}};
    /// let key: Arn<kms::Key<UsEast1>> = Arn::from_text(Text::expression("aws_kms_key.k.arn"));
    /// let rule = SseRule::kms(key).blocking([BlockedEncryption::SseC].into());
    /// # let _ = rule;
    /// ```
    pub fn blocking(mut self, types: crate::OneOrMore<BlockedEncryption>) -> Self {
        self.blocked_encryption_types = types.into_vec();
        self
    }
}

impl<R: Region> PublicAccessBlock<R> {
    /// Everything blocked: the only setting this platform uses.
    pub fn all(bucket: Id<Bucket<R>>) -> Self {
        Self {
            bucket,
            block_public_acls: true,
            block_public_policy: true,
            ignore_public_acls: true,
            restrict_public_buckets: true,
            opts: PublicAccessBlockOpts::default(),
        }
    }
}

/// The object ownership rule.
#[derive(Block, Debug, Clone)]
pub struct OwnershipRule {
    /// `BucketOwnerEnforced` disables ACLs.
    pub object_ownership: Text,
}

/// Date-partitioned access log keys.
#[derive(Block, Debug, Clone)]
pub struct PartitionedPrefix {
    /// `EventTime` or `DeliveryTime`.
    pub partition_date_source: Text,
}

/// Simple access log keys (`[prefix]YYYY-mm-DD-HH-MM-SS-UniqueString`), written as `{}`.
#[derive(Block, Debug, Clone, Default, PartialEq)]
pub struct SimplePrefix {}

/// The key format of access logs: set one of the two.
#[derive(Block, Debug, Clone, Default)]
pub struct TargetObjectKeyFormat {
    /// Date-partitioned keys.
    pub partitioned_prefix: Option<PartitionedPrefix>,
    /// Simple keys.
    pub simple_prefix: Option<SimplePrefix>,
}

/// A topic notified of bucket events.
#[derive(Block, Debug, Clone)]
pub struct TopicNotification<R: Region> {
    /// The topic (same region).
    pub topic_arn: Arn<sns::Topic<R>>,
    /// Events (`s3:ObjectRemoved:*`).
    pub events: crate::OneOrMore<Text>,
    /// Key prefix filter.
    pub filter_prefix: Option<Text>,
    /// Key suffix filter (`.json`).
    pub filter_suffix: Option<Text>,
    /// The notification's ID (generated when unset).
    pub id: Option<Text>,
}

/// One object tag a filter matches (`tag` block).
#[derive(Block, Debug, Clone)]
pub struct Tag {
    /// The tag's key.
    pub key: Text,
    /// Its value.
    pub value: Text,
}

/// Several conditions of a lifecycle filter, all of which must hold (`and` block).
#[derive(Block, Debug, Clone, Default)]
pub struct LifecycleFilterAnd {
    /// Key prefix.
    pub prefix: Option<Text>,
    /// Tags the object must have.
    pub tags: BTreeMap<String, Text>,
    /// Only objects larger than this many bytes.
    pub object_size_greater_than: Option<u64>,
    /// Only objects smaller than this many bytes.
    pub object_size_less_than: Option<u64>,
}

/// A lifecycle filter: one condition, or several in `and` (empty: every object).
#[derive(Block, Debug, Clone, Default)]
pub struct LifecycleFilter {
    /// Key prefix.
    pub prefix: Option<Text>,
    /// One object tag.
    pub tag: Option<Tag>,
    /// Only objects larger than this many bytes.
    pub object_size_greater_than: Option<u64>,
    /// Only objects smaller than this many bytes.
    pub object_size_less_than: Option<u64>,
    /// Several conditions together.
    pub and: Option<LifecycleFilterAnd>,
}

/// Expire current objects (`expiration` block): after some days, on a date, or remove expired
/// delete markers.
#[derive(Block, Debug, Clone, Default)]
pub struct Expiration {
    /// Days after creation.
    pub days: Option<u32>,
    /// A date (RFC 3339, midnight UTC: `2027-01-01T00:00:00Z`).
    pub date: Option<Text>,
    /// Remove delete markers with no noncurrent versions left.
    pub expired_object_delete_marker: Option<bool>,
}

/// Move objects to another storage class after some days, or on a date.
#[derive(Block, Debug, Clone)]
pub struct Transition {
    /// Days after creation.
    pub days: Option<u32>,
    /// A date instead of days (RFC 3339, midnight UTC).
    pub date: Option<Text>,
    /// `STANDARD_IA`, `GLACIER_IR`, `GLACIER`, `DEEP_ARCHIVE`…
    pub storage_class: Text,
}

impl Transition {
    /// Objects move to `storage_class` `days` after creation.
    ///
    /// ```
    /// use infra_core::aws::s3::Transition;
    /// let to_glacier = Transition::after_days(90, "GLACIER_IR");
    /// assert_eq!(to_glacier.days, Some(90));
    /// ```
    pub fn after_days(days: u32, storage_class: &str) -> Self {
        Self {
            days: Some(days),
            date: None,
            storage_class: storage_class.into(),
        }
    }
}

/// Move noncurrent versions to another storage class.
#[derive(Block, Debug, Clone)]
pub struct NoncurrentVersionTransition {
    /// Days after becoming noncurrent.
    pub noncurrent_days: u32,
    /// The storage class.
    pub storage_class: Text,
    /// Keep this many newer noncurrent versions where they are.
    pub newer_noncurrent_versions: Option<u32>,
}

/// Expire noncurrent versions.
#[derive(Block, Debug, Clone)]
pub struct NoncurrentVersionExpiration {
    /// Days after becoming noncurrent.
    pub noncurrent_days: u32,
    /// Keep this many newer noncurrent versions.
    pub newer_noncurrent_versions: Option<u32>,
}

/// Abort multipart uploads left incomplete.
#[derive(Block, Debug, Clone)]
pub struct AbortIncompleteMultipartUpload {
    /// Days after initiation.
    pub days_after_initiation: Option<u32>,
}

/// One lifecycle rule.
#[derive(Block, Debug, Clone)]
pub struct LifecycleRule {
    /// The rule's ID.
    pub id: Text,
    /// `Enabled` or `Disabled`.
    pub status: Text,
    /// Which objects.
    pub filter: Option<LifecycleFilter>,
    /// The key prefix of the objects, the old way (deprecated by the provider: use `filter`).
    pub prefix: Option<Text>,
    /// Expiry of current objects.
    pub expiration: Option<Expiration>,
    /// Storage class transitions.
    pub transition: Vec<Transition>,
    /// Noncurrent version transitions.
    pub noncurrent_version_transition: Vec<NoncurrentVersionTransition>,
    /// Noncurrent version expiry.
    pub noncurrent_version_expiration: Option<NoncurrentVersionExpiration>,
    /// Abort incomplete uploads.
    pub abort_incomplete_multipart_upload: Option<AbortIncompleteMultipartUpload>,
}

/// A status block (`{ status = "Enabled" }`).
#[derive(Block, Debug, Clone)]
pub struct Status {
    /// `Enabled` or `Disabled`.
    pub status: Text,
}

impl Status {
    /// `Enabled`.
    pub fn enabled() -> Self {
        Self {
            status: "Enabled".into(),
        }
    }
}

/// The key that encrypts replicas.
#[derive(Block, Debug, Clone)]
struct ReplicaEncryption {
    replica_kms_key_id: Text,
}

/// Who owns replicas (`access_control_translation` block).
#[derive(Block, Debug, Clone)]
struct AccessControlTranslation {
    owner: Text,
}

/// How long replication may take (S3 Replication Time Control).
#[derive(Block, Debug, Clone)]
struct ReplicationMinutes {
    minutes: u32,
}

/// Replication time control.
#[derive(Block, Debug, Clone)]
struct ReplicationTime {
    status: Text,
    time: ReplicationMinutes,
}

/// Replication metrics.
#[derive(Block, Debug, Clone)]
struct ReplicationMetrics {
    status: Text,
    event_threshold: ReplicationMinutes,
}

/// Where a bucket of `Home` replicates to: a bucket and a KMS key of one other region.
#[derive(Block, Debug, Clone)]
pub struct ReplicationDestination<Home: Region> {
    bucket: Text,
    account: Option<Text>,
    access_control_translation: Option<AccessControlTranslation>,
    storage_class: Option<Text>,
    encryption_configuration: Option<ReplicaEncryption>,
    replication_time: Option<ReplicationTime>,
    metrics: Option<ReplicationMetrics>,
    home: PhantomData<Home>,
}

impl<Home: Region> ReplicationDestination<Home> {
    /// Replicates into `bucket`, encrypting replicas with `key`; both of region `R2`, which
    /// must differ from the source's.
    pub fn new<R2: OtherRegion<Home>>(bucket: Arn<Bucket<R2>>, key: Arn<kms::Key<R2>>) -> Self {
        Self {
            bucket: bucket.text().clone(),
            account: None,
            access_control_translation: None,
            storage_class: None,
            encryption_configuration: Some(ReplicaEncryption {
                replica_kms_key_id: key.text().clone(),
            }),
            replication_time: None,
            metrics: None,
            home: PhantomData,
        }
    }

    /// Replicates SSE-S3 objects into `bucket` of another region (no KMS key involved).
    pub fn s3_managed<R2: OtherRegion<Home>>(bucket: Arn<Bucket<R2>>) -> Self {
        Self {
            bucket: bucket.text().clone(),
            account: None,
            access_control_translation: None,
            storage_class: None,
            encryption_configuration: None,
            replication_time: None,
            metrics: None,
            home: PhantomData,
        }
    }

    /// Replicas are owned by the destination bucket's account `account` (a bucket of another
    /// account), not by the source's.
    ///
    /// ```
    /// use infra_core::{Arn, Text, UsEast1, UsWest2, aws::s3::{Bucket, ReplicationDestination}};
    /// let west: Arn<Bucket<UsWest2>> = Arn::from_text(Text::expression("aws_s3_bucket.w.arn"));
    /// let to_other_account: ReplicationDestination<UsEast1> =
    ///     ReplicationDestination::s3_managed(west).owned_by("111122223333");
    /// # let _ = to_other_account;
    /// ```
    pub fn owned_by(mut self, account: impl Into<Text>) -> Self {
        self.account = Some(account.into());
        self.access_control_translation = Some(AccessControlTranslation {
            owner: "Destination".into(),
        });
        self
    }

    /// Replication Time Control (15 minutes) with metrics, so replication latency can alarm.
    pub fn with_time_control(mut self) -> Self {
        self.replication_time = Some(ReplicationTime {
            status: "Enabled".into(),
            time: ReplicationMinutes { minutes: 15 },
        });
        self.metrics = Some(ReplicationMetrics {
            status: "Enabled".into(),
            event_threshold: ReplicationMinutes { minutes: 15 },
        });
        self
    }
}

/// Which KMS-encrypted objects and replica changes are replicated.
#[derive(Block, Debug, Clone, Default)]
pub struct SourceSelectionCriteria {
    /// Replicate SSE-KMS objects.
    pub sse_kms_encrypted_objects: Option<Status>,
    /// Replicate changes to replicas' metadata back (two-way replication).
    pub replica_modifications: Option<Status>,
}

/// Several conditions of a replication filter, all of which must hold (`and` block).
#[derive(Block, Debug, Clone, Default)]
pub struct ReplicationFilterAnd {
    /// Key prefix.
    pub prefix: Option<Text>,
    /// Tags the object must have.
    pub tags: BTreeMap<String, Text>,
}

/// A replication filter: a prefix, a tag, or both in `and` (empty: every object).
#[derive(Block, Debug, Clone, Default)]
pub struct ReplicationFilter {
    /// Key prefix.
    pub prefix: Option<Text>,
    /// One object tag.
    pub tag: Option<Tag>,
    /// Several conditions together.
    pub and: Option<ReplicationFilterAnd>,
}

/// One replication rule.
#[derive(Block, Debug, Clone)]
pub struct ReplicationRule<Home: Region> {
    /// The rule's ID.
    pub id: Option<Text>,
    /// `Enabled` or `Disabled`.
    pub status: Text,
    /// Priority among rules.
    pub priority: Option<u32>,
    /// Which objects.
    pub filter: Option<ReplicationFilter>,
    /// The key prefix of the objects, the old way (deprecated by the provider: use `filter`).
    pub prefix: Option<Text>,
    /// Replicate delete markers.
    pub delete_marker_replication: Option<Status>,
    /// Replicate the objects that existed before the rule (ask AWS Support to enable it).
    pub existing_object_replication: Option<Status>,
    /// The destination.
    pub destination: ReplicationDestination<Home>,
    /// KMS-encrypted object selection.
    pub source_selection_criteria: Option<SourceSelectionCriteria>,
}

/// The `s3` IAM actions, generated from AWS's authorization data.
pub use crate::iam::s3::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Argument, UsEast1, UsWest2};

    #[test]
    fn a_destination_of_another_account_owns_its_replicas() {
        let west: Arn<Bucket<UsWest2>> = Arn::from_text(Text::expression("aws_s3_bucket.w.arn"));
        let to: ReplicationDestination<UsEast1> =
            ReplicationDestination::s3_managed(west.clone()).owned_by("111122223333");
        let value = to.to_value().unwrap();
        assert_eq!(value["account"], "111122223333");
        assert_eq!(
            value["access_control_translation"],
            serde_json::json!({"owner": "Destination"})
        );
        // Same account: neither is written.
        let same = ReplicationDestination::<UsEast1>::s3_managed(west)
            .to_value()
            .unwrap();
        assert!(same.get("account").is_none());
        assert!(same.get("access_control_translation").is_none());
    }

    #[test]
    fn a_rule_blocks_the_encryption_types_it_is_given_and_none_by_default() {
        let key: Arn<kms::Key<UsEast1>> = Arn::from_text(Text::expression("aws_kms_key.k.arn"));
        let plain = SseRule::kms(key.clone()).to_value().unwrap();
        assert!(plain.get("blocked_encryption_types").is_none());
        let blocking = SseRule::kms(key)
            .blocking([BlockedEncryption::SseC].into())
            .to_value()
            .unwrap();
        assert_eq!(
            blocking["blocked_encryption_types"],
            serde_json::json!(["SSE-C"])
        );
    }
}
