//! The data tier: the DynamoDB global table and the audit buckets with two-way replication.

use infra_core::aws::cloudwatch::Dimensions;
use infra_core::aws::dynamodb::*;
use infra_core::aws::{iam, kms, s3};
use infra_core::policy::{Condition, PolicyDocument, Principal, Statement, global, service};
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
                global_secondary_index: vec![GlobalSecondaryIndex {
                    name: STATUS_INDEX.into(),
                    hash_key: Some("status".into()),
                    range_key: Some("timestamp".into()),
                    projection_type: Projection::All,
                    non_key_attributes: vec![],
                }],
                point_in_time_recovery: Some(PointInTimeRecovery { enabled: true }),
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
pub struct Buckets<R: Region> {
    /// Audit records (SSE-KMS with the region's S3 key).
    pub audit: Ref<s3::Bucket<R>>,
    /// Server access logs (SSE-S3: S3 delivers access logs only to such buckets).
    pub access_logs: Ref<s3::Bucket<R>>,
    /// The audit bucket's policy (TLS only; the region's function adds itself).
    pub audit_policy: Ref<s3::BucketPolicy<R>>,
    /// The versioning resources replication must wait for.
    versioning: Vec<Ref<s3::Versioning<R>>>,
}

/// A globally unique bucket name that still follows the naming rule.
fn bucket_name<R: Region>(cfg: &Config, purpose: &str, account_id: &Text) -> Text {
    interpolate!("{}-{}-{}", cfg.name(purpose), account_id, R::NAME)
}

/// `force_destroy` of a bucket: only a non-production bucket is emptied by `terraform destroy`
/// (a production bucket holding objects stays, and so do its audit records).
fn disposable(cfg: &Config) -> Option<bool> {
    (!cfg.is_production()).then_some(true)
}

/// Creates one region's buckets with versioning, encryption, lifecycle, notifications,
/// TLS-only policies and the audit bucket's access logging.
pub fn buckets<R: Region>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    keys: &Keys<'_, R>,
    audit_purpose: &str,
) -> Buckets<R> {
    let account_id = keys.account_id();
    let audit = aws.add(
        "audit",
        s3::Bucket {
            bucket: Some(bucket_name::<R>(cfg, audit_purpose, account_id)),
            force_destroy: disposable(cfg),
            ..Default::default()
        },
    );
    let access_logs = aws.add(
        "access_logs",
        s3::Bucket {
            bucket: Some(bucket_name::<R>(cfg, "access-logs", account_id)),
            force_destroy: disposable(cfg),
            ..Default::default()
        },
    );
    let versioning = protect(aws, keys, &audit, &access_logs);
    let audit_policy = policies(aws, &audit, &access_logs, account_id);
    Buckets {
        audit,
        access_logs,
        audit_policy,
        versioning,
    }
}

/// Versioning, default encryption (the S3 key for audit records, SSE-S3 for access logs),
/// public access blocked, ACLs off, events to EventBridge and the lifecycle, on both buckets.
fn protect<R: Region>(
    aws: &Aws<'_, R>,
    keys: &Keys<'_, R>,
    audit: &Ref<s3::Bucket<R>>,
    access_logs: &Ref<s3::Bucket<R>>,
) -> Vec<Ref<s3::Versioning<R>>> {
    let mut versioning = Vec::new();
    for (name, bucket, rule) in [
        ("audit", audit, s3::SseRule::kms(keys.s3.arn())),
        ("access_logs", access_logs, s3::SseRule::s3_managed()),
    ] {
        versioning.push(aws.add(
            &format!("{name}_versioning"),
            s3::Versioning {
                bucket: bucket.id(),
                versioning_configuration: s3::VersioningConfiguration {
                    status: s3::VersioningStatus::Enabled,
                },
            },
        ));
        aws.add(
            &format!("{name}_encryption"),
            s3::ServerSideEncryptionConfiguration {
                bucket: bucket.id(),
                rule: vec![rule],
            },
        );
        aws.add(
            &format!("{name}_public_access"),
            s3::PublicAccessBlock::all(bucket.id()),
        );
        aws.add(
            &format!("{name}_ownership"),
            s3::OwnershipControls {
                bucket: bucket.id(),
                rule: s3::OwnershipRule {
                    object_ownership: "BucketOwnerEnforced".into(),
                },
            },
        );
        aws.add(
            &format!("{name}_notifications"),
            s3::Notification {
                bucket: bucket.id(),
                eventbridge: Some(true),
                topic: vec![],
            },
        );
        aws.add(
            &format!("{name}_lifecycle"),
            s3::LifecycleConfiguration {
                bucket: bucket.id(),
                rule: vec![lifecycle_rule()],
            },
        );
    }
    versioning
}

/// Cheaper storage as records age; old versions expire; abandoned uploads are cleaned up.
fn lifecycle_rule() -> s3::LifecycleRule {
    s3::LifecycleRule {
        id: "age-out".into(),
        status: "Enabled".into(),
        filter: Some(s3::LifecycleFilter::default()),
        transition: vec![
            s3::Transition {
                days: Some(30),
                storage_class: "STANDARD_IA".into(),
            },
            s3::Transition {
                days: Some(90),
                storage_class: "GLACIER_IR".into(),
            },
        ],
        noncurrent_version_transition: vec![s3::NoncurrentVersionTransition {
            noncurrent_days: 30,
            storage_class: "GLACIER_IR".into(),
        }],
        noncurrent_version_expiration: Some(s3::NoncurrentVersionExpiration {
            noncurrent_days: 365,
        }),
        abort_incomplete_multipart_upload: Some(s3::AbortIncompleteMultipartUpload {
            days_after_initiation: Some(7),
        }),
    }
}

/// The least-privilege role S3 assumes to replicate between the two regions' buckets.
pub fn replication_role(
    east: &Aws<UsEast1>,
    cfg: &Config,
    e: (&Buckets<UsEast1>, &Keys<'_, UsEast1>),
    w: (&Buckets<UsWest2>, &Keys<'_, UsWest2>),
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
        },
    );
    role
}

/// What replication needs on one region's buckets and S3 key, as source and as destination.
fn replication_grants<R: Region>(
    policy: PolicyDocument,
    buckets: &Buckets<R>,
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
    from: &Buckets<R>,
    to: &Buckets<R2>,
    to_keys: &Keys<'_, R2>,
) -> Dimensions<R> {
    let rule =
        |id: &str, destination: s3::ReplicationDestination<R>, kms: bool| s3::ReplicationRule {
            id: Some(id.into()),
            status: "Enabled".into(),
            priority: Some(1),
            filter: Some(s3::LifecycleFilter::default()),
            delete_marker_replication: Some(s3::Status::enabled()),
            destination,
            source_selection_criteria: kms.then(|| s3::SourceSelectionCriteria {
                sse_kms_encrypted_objects: Some(s3::Status::enabled()),
            }),
        };
    // S3 checks at `PutBucketReplication` that versioning is on in the source bucket and in
    // the destination bucket.
    let mut meta = Meta::new();
    for v in &from.versioning {
        meta = meta.depends_on(v);
    }
    for v in &to.versioning {
        meta = meta.depends_on(v);
    }
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
        },
        meta,
    );
    Dimensions::s3_replication(from.audit.bucket(), to.audit.bucket(), REPLICATION_RULE)
}

/// Bucket policies: TLS only; S3 may deliver access logs. Then the audit bucket's access
/// logging, which needs that policy. The region's function adds itself to the audit bucket's
/// policy ([`Buckets::admit_writer`]).
fn policies<R: Region>(
    aws: &Aws<'_, R>,
    audit: &Ref<s3::Bucket<R>>,
    access_logs: &Ref<s3::Bucket<R>>,
    account_id: &Text,
) -> Ref<s3::BucketPolicy<R>> {
    let tls_only = |bucket: &Ref<s3::Bucket<R>>| {
        let objects = bucket.objects("*");
        Statement::deny_insecure_transport(vec![
            bucket.arn().text().clone(),
            objects.text().clone(),
        ])
    };
    let audit_policy = aws.add(
        "audit_policy",
        s3::BucketPolicy {
            bucket: audit.id(),
            policy: PolicyDocument::new().statement(tls_only(audit)),
        },
    );
    let access_logs_policy = aws.add(
        "access_logs_policy",
        s3::BucketPolicy {
            bucket: access_logs.id(),
            policy: PolicyDocument::new()
                .statement(tls_only(access_logs))
                .statement(
                    Statement::allow([s3::PutObject], access_logs.objects("*"))
                        .sid("S3ServerAccessLogDelivery")
                        .principal(Principal::service(service::S3Logging))
                        .condition(Condition::string_equals(
                            global::SourceAccount,
                            account_id.clone(),
                        )),
                ),
        },
    );
    // S3 checks at `PutBucketLogging` that the target bucket lets the logging service write
    // (with `BucketOwnerEnforced`, only its policy can): the policy must exist first.
    aws.add_with(
        "audit_logging",
        s3::Logging {
            bucket: audit.id(),
            target_bucket: access_logs.id(),
            target_prefix: "audit-bucket/".into(),
            target_object_key_format: Some(s3::TargetObjectKeyFormat {
                partitioned_prefix: Some(s3::PartitionedPrefix {
                    partition_date_source: "EventTime".into(),
                }),
            }),
        },
        Meta::new().depends_on(&access_logs_policy),
    );
    audit_policy
}

impl<R: Region> Buckets<R> {
    /// Lets the region's function write audit records, and nothing else, through the audit
    /// bucket's policy (its role also holds the grant).
    pub fn admit_writer(&self, aws: &Aws<'_, R>, role: Arn<ExecutionRole>) {
        let objects = self
            .audit
            .objects(&format!("{}*", crate::regional::AUDIT_PREFIX));
        aws.stack().amend(&self.audit_policy, |p| {
            p.policy = std::mem::take(&mut p.policy).statement(
                Statement::allow([s3::PutObject], objects)
                    .sid("PaymentProcessorWritesAuditRecords")
                    .principal(Principal::arn(role)),
            );
        });
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
