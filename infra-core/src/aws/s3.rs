//! Amazon S3: buckets and their configuration resources, and the S3 IAM actions.
//!
//! Bucket actions act on a bucket ARN (`bucket.arn()`), object actions on an object ARN
//! (`bucket.objects("audit/*")`). A replication destination is a bucket *and* key of one other
//! region, built by [`ReplicationDestination::new`].

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`s3:PutObject`).

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

/// The versioning block.
#[derive(Block, Debug, Clone)]
pub struct VersioningConfiguration {
    /// The state.
    pub status: VersioningStatus,
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

/// One default-encryption rule.
#[derive(Block, Debug, Clone)]
pub struct SseRule<R: Region> {
    apply_server_side_encryption_by_default: Option<SseByDefault<R>>,
    bucket_key_enabled: Option<bool>,
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
        }
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

/// The key format of access logs.
#[derive(Block, Debug, Clone)]
pub struct TargetObjectKeyFormat {
    /// Date-partitioned keys.
    pub partitioned_prefix: Option<PartitionedPrefix>,
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
}

/// A lifecycle filter.
#[derive(Block, Debug, Clone, Default)]
pub struct LifecycleFilter {
    /// Key prefix (empty: every object).
    pub prefix: Option<Text>,
}

/// Move objects to another storage class after some days.
#[derive(Block, Debug, Clone)]
pub struct Transition {
    /// Days after creation.
    pub days: Option<u32>,
    /// `STANDARD_IA`, `GLACIER_IR`, `GLACIER`, `DEEP_ARCHIVE`…
    pub storage_class: Text,
}

/// Move noncurrent versions to another storage class.
#[derive(Block, Debug, Clone)]
pub struct NoncurrentVersionTransition {
    /// Days after becoming noncurrent.
    pub noncurrent_days: u32,
    /// The storage class.
    pub storage_class: Text,
}

/// Expire noncurrent versions.
#[derive(Block, Debug, Clone)]
pub struct NoncurrentVersionExpiration {
    /// Days after becoming noncurrent.
    pub noncurrent_days: u32,
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
            storage_class: None,
            encryption_configuration: None,
            replication_time: None,
            metrics: None,
            home: PhantomData,
        }
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

/// Which KMS-encrypted objects are replicated.
#[derive(Block, Debug, Clone)]
pub struct SourceSelectionCriteria {
    /// Replicate SSE-KMS objects.
    pub sse_kms_encrypted_objects: Option<Status>,
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
    pub filter: Option<LifecycleFilter>,
    /// Replicate delete markers.
    pub delete_marker_replication: Option<Status>,
    /// The destination.
    pub destination: ReplicationDestination<Home>,
    /// KMS-encrypted object selection.
    pub source_selection_criteria: Option<SourceSelectionCriteria>,
}

/// The `s3` IAM actions, generated from AWS's authorization data.
pub use crate::iam::s3::*;
