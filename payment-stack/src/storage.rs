//! The data tier: the DynamoDB global table and the audit buckets with two-way replication.

use infra_core::aws::cloudwatch::Dimensions;
use infra_core::aws::dynamodb::*;
use infra_core::aws::{iam, kms, s3};
use infra_core::policy::{Condition, PolicyDocument, Principal, Statement, global, service};
use infra_core::{Arn, Aws, Meta, OtherRegion, Ref, Region, Text, UsEast1, UsWest2, interpolate};

use crate::Config;
use crate::regional::Keys;

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

/// One region's buckets: audit records and the S3 server access logs of the audit bucket.
pub struct Buckets<R: Region> {
    /// Audit records (SSE-KMS with the region's S3 key).
    pub audit: Ref<s3::Bucket<R>>,
    /// Server access logs (SSE-S3: S3 delivers access logs only to such buckets).
    pub access_logs: Ref<s3::Bucket<R>>,
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

/// Creates one region's buckets with versioning, encryption, lifecycle, logging and notifications.
pub fn buckets<R: Region>(
    aws: &Aws<R>,
    cfg: &Config,
    account_id: &Text,
    keys: &Keys<R>,
    audit_purpose: &str,
) -> Buckets<R> {
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
    let mut versioning = Vec::new();
    for (name, bucket, rule) in [
        ("audit", &audit, s3::SseRule::kms(keys.s3.arn())),
        ("access_logs", &access_logs, s3::SseRule::s3_managed()),
    ] {
        versioning.push(aws.add(
            &format!("{name}_versioning"),
            s3::Versioning {
                bucket: bucket.id(),
                versioning_configuration: s3::VersioningConfiguration {
                    status: s3::VersioningStatus::Enabled,
                },
                opts: Default::default(),
            },
        ));
        aws.add(
            &format!("{name}_encryption"),
            s3::ServerSideEncryptionConfiguration {
                bucket: bucket.id(),
                rule: vec![rule],
                opts: Default::default(),
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
                opts: s3::NotificationOpts {
                    eventbridge: Some(true),
                    topic: vec![],
                    ..Default::default()
                },
            },
        );
        aws.add(
            &format!("{name}_lifecycle"),
            s3::LifecycleConfiguration {
                bucket: bucket.id(),
                rule: vec![lifecycle_rule()],
                opts: Default::default(),
            },
        );
    }
    Buckets {
        audit,
        access_logs,
        versioning,
    }
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
    e: (&Buckets<UsEast1>, &Keys<UsEast1>),
    w: (&Buckets<UsWest2>, &Keys<UsWest2>),
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
    buckets: &Buckets<R>,
    keys: &Keys<R>,
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
    to_keys: &Keys<R2>,
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

/// Bucket policies: TLS only; the region's function may write audit records and nothing else;
/// S3 may deliver access logs. Then the audit bucket's access logging, which needs that policy.
pub fn bucket_policies<R: Region>(
    aws: &Aws<R>,
    buckets: &Buckets<R>,
    function_role: Arn<iam::Role<service::Lambda>>,
    account_id: &Text,
) {
    let tls_only = |bucket: &Ref<s3::Bucket<R>>| {
        let objects = bucket.objects("*");
        Statement::deny_insecure_transport(vec![
            bucket.arn().text().clone(),
            objects.text().clone(),
        ])
    };
    aws.add(
        "audit_policy",
        s3::BucketPolicy {
            bucket: buckets.audit.id(),
            policy: PolicyDocument::new()
                .statement(tls_only(&buckets.audit))
                .statement(
                    Statement::allow(
                        [s3::PutObject],
                        buckets
                            .audit
                            .objects(&format!("{}*", crate::regional::AUDIT_PREFIX)),
                    )
                    .sid("PaymentProcessorWritesAuditRecords")
                    .principal(Principal::arn(function_role)),
                ),
        },
    );
    let access_logs_policy = aws.add(
        "access_logs_policy",
        s3::BucketPolicy {
            bucket: buckets.access_logs.id(),
            policy: PolicyDocument::new()
                .statement(tls_only(&buckets.access_logs))
                .statement(
                    Statement::allow([s3::PutObject], buckets.access_logs.objects("*"))
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
            bucket: buckets.audit.id(),
            target_bucket: buckets.access_logs.id(),
            target_prefix: "audit-bucket/".into(),
            opts: s3::LoggingOpts {
                target_object_key_format: Some(s3::TargetObjectKeyFormat {
                    partitioned_prefix: Some(s3::PartitionedPrefix {
                        partition_date_source: "EventTime".into(),
                    }),
                }),
                ..Default::default()
            },
        },
        Meta::new().depends_on(&access_logs_policy),
    );
}
