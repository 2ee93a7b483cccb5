//! The data tier: the DynamoDB global table and the audit buckets with two-way replication.

use infra_core::aws::cloudwatch::Dimensions;
use infra_core::aws::dynamodb::*;
use infra_core::aws::{iam, kms, s3};
use infra_core::components::{AccessLogBucket, BucketConfig, SecureBucket};
use infra_core::policy::{Condition, PolicyDocument, Principal, Statement, service};
use infra_core::{
    Arn, Aws, Meta, Name, OtherRegion, Ref, Region, Text, UsEast1, UsWest2, interpolate,
};

use crate::Config;
use crate::keys::Keys;
use crate::observability::Alarm;
use crate::processor::ExecutionRole;

/// The table's status index.
pub const STATUS_INDEX: &str = "status-index";

/// The payments table in the primary region, replicated to the secondary.
pub fn table(
    east: &Aws<UsEast1>,
    cfg: &Config,
    east_key: &Ref<kms::Key<UsEast1>>,
    west_key: &Ref<kms::Key<UsWest2>>,
) -> Ref<Table<UsEast1>> {
    let replica = Replica::in_region(west_key.arn())
        .point_in_time_recovery()
        .propagate_tags();
    east.add_with(
        "payments",
        Table {
            name: cfg.name("payments").into(),
            hash_key: "payment_id".into(),
            attribute: vec![
                Attribute::new("payment_id", AttributeType::S),
                Attribute::new("timestamp", AttributeType::N),
                Attribute::new("status", AttributeType::S),
            ],
            opts: TableOpts {
                range_key: Some("timestamp".into()),
                billing_mode: Some(BillingMode::PayPerRequest),
                stream_enabled: Some(true),
                stream_view_type: Some(StreamViewType::NewAndOldImages),
                deletion_protection_enabled: Some(cfg.is_production()),
                global_secondary_index: vec![table::GlobalSecondaryIndex {
                    range_key: Some("timestamp".into()),
                    ..table::GlobalSecondaryIndex::new(STATUS_INDEX, "status", Projection::All)
                }],
                point_in_time_recovery: Some(table::PointInTimeRecovery {
                    enabled: true,
                    recovery_period_in_days: None,
                }),
                server_side_encryption: Some(ServerSideEncryption::kms(east_key.arn())),
                // The replica's region comes from its key's type: a us-west-2 key.
                replica: vec![if cfg.is_production() {
                    replica.deletion_protection()
                } else {
                    replica
                }],
                ..Default::default()
            },
        },
        if cfg.is_production() {
            Meta::new().prevent_destroy()
        } else {
            Meta::new()
        },
    )
}

/// A region that serves payments from the table: us-east-1 holds the table, us-west-2 its
/// replica. What a region's function works on follows from the region's type.
pub trait TableRegion: Region {
    /// The table's ARN in this region (the replica's outside us-east-1).
    fn table_arn(table: &Ref<Table<UsEast1>>) -> Arn<Table<Self>>;
    /// The ARN of its [`STATUS_INDEX`] in this region.
    fn status_index_arn(table: &Ref<Table<UsEast1>>) -> Arn<Index<Self>>;
    /// Its name in this region (a global table has one name everywhere).
    fn table_name(table: &Ref<Table<UsEast1>>) -> Name<Table<Self>>;
}

impl TableRegion for UsEast1 {
    fn table_arn(table: &Ref<Table<UsEast1>>) -> Arn<Table<Self>> {
        table.arn()
    }
    fn status_index_arn(table: &Ref<Table<UsEast1>>) -> Arn<Index<Self>> {
        table.index_arn(STATUS_INDEX)
    }
    fn table_name(table: &Ref<Table<UsEast1>>) -> Name<Table<Self>> {
        table.name()
    }
}

impl TableRegion for UsWest2 {
    fn table_arn(table: &Ref<Table<UsEast1>>) -> Arn<Table<Self>> {
        table.replica_arn()
    }
    fn status_index_arn(table: &Ref<Table<UsEast1>>) -> Arn<Index<Self>> {
        table.replica_index_arn(STATUS_INDEX)
    }
    fn table_name(table: &Ref<Table<UsEast1>>) -> Name<Table<Self>> {
        table.replica_name()
    }
}

/// One region's buckets: audit records and the S3 server access logs of the audit bucket.
pub struct Buckets<'s, R: Region> {
    /// Audit records (SSE-KMS with the region's S3 key).
    pub audit: SecureBucket<'s, R>,
    /// Server access logs (SSE-S3: S3 delivers access logs only to such buckets).
    pub access_logs: AccessLogBucket<R>,
}

/// A globally unique bucket name that still follows the naming rule.
fn bucket_name<R: Region>(cfg: &Config, purpose: &str, account_id: &Text) -> Text {
    interpolate!("{}-{}-{}", cfg.name(purpose), account_id, R::NAME)
}

/// One region's buckets, both [`SecureBucket`] components (versioned, encrypted, public access
/// blocked, ACLs off, TLS only, events to EventBridge, old versions and abandoned uploads
/// cleaned up), named by the naming rule. Records move to cheaper storage as they age; only a
/// non-production bucket is emptied by `terraform destroy` (a production bucket holding
/// objects stays, and so do its audit records).
pub fn buckets<'s, R: Region>(
    aws: &Aws<'s, R>,
    cfg: &Config,
    keys: &Keys<'s, R>,
    audit_purpose: &str,
) -> Buckets<'s, R> {
    let config = |purpose: &str| BucketConfig {
        name: Some(bucket_name::<R>(cfg, purpose, keys.account_id())),
        force_destroy: !cfg.is_production(),
        transitions: vec![
            s3::Transition::after_days(30, "STANDARD_IA"),
            s3::Transition::after_days(90, "GLACIER_IR"),
        ],
        noncurrent_transitions: vec![s3::NoncurrentVersionTransition {
            noncurrent_days: 30,
            storage_class: "GLACIER_IR".into(),
            newer_noncurrent_versions: None,
        }],
        log_prefix: Some("audit-bucket/".into()),
    };
    let access_logs = AccessLogBucket::with(&aws.scope("access_logs"), config("access-logs"));
    let audit = SecureBucket::with(
        &aws.scope("audit"),
        &keys.s3,
        &access_logs,
        config(audit_purpose),
    );
    // Before the components, each bucket was `<alias>_audit` and `<alias>_access_logs`; its
    // companions already had the names the components give them.
    aws.stack()
        .moved_from(&aws.logical_name("audit"), &audit.bucket);
    aws.stack()
        .moved_from(&aws.logical_name("access_logs"), &access_logs.bucket);
    Buckets { audit, access_logs }
}

/// The least-privilege role S3 assumes to replicate between the two regions' buckets.
pub fn replication_role(
    east: &Aws<UsEast1>,
    cfg: &Config,
    e: (&Buckets<'_, UsEast1>, &Keys<'_, UsEast1>),
    w: (&Buckets<'_, UsWest2>, &Keys<'_, UsWest2>),
) -> Ref<iam::Role<service::S3>> {
    let role = east.add(
        "replication",
        iam::Role {
            assume_role_policy: PolicyDocument::trust(service::S3),
            opts: iam::RoleOpts {
                name: Some(cfg.name("replication").into()),
                description: Some("S3 cross-region replication of the audit buckets".into()),
                ..Default::default()
            },
        },
    );
    let policy = replication_grants(
        replication_grants(PolicyDocument::new(), e.0, e.1),
        w.0,
        w.1,
    );
    east.add(
        "replication_policy",
        iam::RolePolicy {
            role: role.id(),
            name: cfg.name("replication").into(),
            policy,
            opts: Default::default(),
        },
    );
    role
}

/// What replication needs on one region's buckets and S3 key, as source and as destination.
fn replication_grants<R: Region>(
    policy: PolicyDocument,
    buckets: &Buckets<'_, R>,
    keys: &Keys<'_, R>,
) -> PolicyDocument {
    policy
        // Tuples: AWS lets `ListBucket` and `GetObjectVersionAcl` also act on access points, so
        // their classes differ from their neighbours'; a tuple acts on what all of them act on.
        .allow(
            (s3::GetReplicationConfiguration, s3::ListBucket),
            (buckets.audit.arn(), buckets.access_logs.arn()),
        )
        .allow(
            (
                s3::GetObjectVersionForReplication,
                s3::GetObjectVersionAcl,
                s3::GetObjectVersionTagging,
                s3::ReplicateObject,
                s3::ReplicateDelete,
                s3::ReplicateTags,
            ),
            (buckets.audit.objects("*"), buckets.access_logs.objects("*")),
        )
        // `allow_when`: the condition's key is checked to be a `kms` (or global) key.
        .statement(Statement::allow_when(
            [kms::Decrypt, kms::Encrypt, kms::GenerateDataKey],
            keys.s3.arn(),
            Condition::string_equals(
                kms::conditions::ViaService,
                format!("s3.{}.amazonaws.com", R::NAME),
            ),
        ))
}

/// The replication rule ID (also a dimension of the replication latency metric).
pub const REPLICATION_RULE: &str = "audit-to-other-region";

/// Replicates `from`'s buckets into `to`'s: audit records re-encrypted with `to`'s S3 key.
pub fn replicate<R: Region, R2: OtherRegion<R>>(
    aws: &Aws<R>,
    role: &Ref<iam::Role<service::S3>>,
    from: &Buckets<'_, R>,
    to: &Buckets<'_, R2>,
    to_keys: &Keys<'_, R2>,
) -> Dimensions<R> {
    let rule =
        |id: &str, destination: s3::ReplicationDestination<R>, kms: bool| s3::ReplicationRule {
            id: Some(id.into()),
            status: "Enabled".into(),
            priority: Some(1),
            filter: Some(s3::ReplicationFilter::default()),
            prefix: None,
            delete_marker_replication: Some(s3::Status::enabled()),
            existing_object_replication: None,
            destination,
            source_selection_criteria: kms.then(|| s3::SourceSelectionCriteria {
                sse_kms_encrypted_objects: Some(s3::Status::enabled()),
                ..Default::default()
            }),
        };
    // S3 checks at `PutBucketReplication` that versioning is on in the source bucket and in
    // the destination bucket.
    let meta = Meta::new()
        .depends_on(&from.audit.versioning)
        .depends_on(&from.access_logs.versioning)
        .depends_on(&to.audit.versioning)
        .depends_on(&to.access_logs.versioning);
    aws.add_with(
        "audit_replication",
        s3::ReplicationConfiguration {
            bucket: from.audit.id(),
            role: role.arn(),
            rule: vec![rule(
                REPLICATION_RULE,
                s3::ReplicationDestination::new(to.audit.arn(), to_keys.s3.arn())
                    .with_time_control(),
                true,
            )],
            opts: Default::default(),
        },
        meta.clone(),
    );
    aws.add_with(
        "access_logs_replication",
        s3::ReplicationConfiguration {
            bucket: from.access_logs.id(),
            role: role.arn(),
            rule: vec![rule(
                "access-logs-to-other-region",
                s3::ReplicationDestination::s3_managed(to.access_logs.arn()),
                false,
            )],
            opts: Default::default(),
        },
        meta,
    );
    Dimensions::s3_replication(from.audit.bucket(), to.audit.bucket(), REPLICATION_RULE)
}

impl<R: Region> Buckets<'_, R> {
    /// Lets the region's function write audit records, and nothing else, through the audit
    /// bucket's policy (its role also holds the grant).
    pub fn admit_writer(&self, role: Arn<ExecutionRole>) {
        let objects = self
            .audit
            .objects(&format!("{}*", crate::regional::AUDIT_PREFIX));
        self.audit.allow(
            Statement::allow([s3::PutObject], objects)
                .sid("PaymentProcessorWritesAuditRecords")
                .principal(Principal::arn(role)),
        );
    }
}

/// The alarm on `from`'s audit replication taking longer than RTC's 15 minutes.
pub fn replication_alarm<R: Region>(replication: Dimensions<R>) -> Alarm<R> {
    Alarm {
        name: "replication-latency",
        description: "audit replication slower than 15 minutes",
        namespace: "AWS/S3",
        metric: "ReplicationLatency",
        statistic: "Maximum",
        threshold: 900.0,
        dimensions: replication,
    }
}
