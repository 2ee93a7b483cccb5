//! [`SecureBucket`] and [`AccessLogBucket`]: S3 buckets with every protection on.

use std::ops::Deref;

use super::key::Key;
use crate::aws::s3;
use crate::grants::{Grantee, statements};
use crate::policy::{Condition, PolicyDocument, Principal, Statement, global, service};
use crate::refs::{Name, Ref};
use crate::region::Region;
use crate::stack::{Aws, Meta, Stack};
use crate::text::Text;

/// What a [`SecureBucket`] or an [`AccessLogBucket`] may change from its defaults. The
/// protections themselves (encryption, versioning, blocked public access, TLS only, logging)
/// are not optional.
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::s3, components::{AccessLogBucket, BucketConfig, Key, SecureBucket}};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let key = Key::new(&east.scope("data"));
/// let logs = AccessLogBucket::new(&east.scope("logs"));
/// let archive = SecureBucket::with(&east.scope("archive"), &key, &logs, BucketConfig {
///     name: Some("acme-archive-prod".into()),
///     transitions: vec![s3::Transition::after_days(90, "GLACIER_IR")],
///     log_prefix: Some("archive/".into()),
///     ..Default::default()
/// });
/// let doc = stack.synth().unwrap();
/// let bucket = infra_core::testing::resource(&doc, "aws_s3_bucket", "primary_archive_bucket").unwrap();
/// assert_eq!(bucket["bucket"], "acme-archive-prod");
/// assert!(bucket.get("force_destroy").is_none(), "kept by `terraform destroy` unless asked");
/// let rule = &infra_core::testing::resource(&doc, "aws_s3_bucket_lifecycle_configuration", "primary_archive_lifecycle").unwrap()["rule"][0];
/// assert_eq!(rule["transition"][0]["storage_class"], "GLACIER_IR");
/// assert_eq!(rule["noncurrent_version_expiration"]["noncurrent_days"], 365);
/// infra_core::testing::assert_every_bucket_denies_insecure_transport(&doc);
/// # let _ = archive;
/// ```
#[derive(Debug, Clone, Default)]
pub struct BucketConfig {
    /// The bucket's name (default: one Terraform generates).
    pub name: Option<Text>,
    /// Whether `terraform destroy` empties and removes it (default `false`: a bucket holding
    /// objects survives a destroy).
    pub force_destroy: bool,
    /// Moves of current objects to cheaper storage as they age (default none).
    pub transitions: Vec<s3::Transition>,
    /// Moves of noncurrent versions to cheaper storage (default none; they expire after 365
    /// days either way).
    pub noncurrent_transitions: Vec<s3::NoncurrentVersionTransition>,
    /// The prefix of a [`SecureBucket`]'s access logs in its log bucket (default: the scope's
    /// path and `/`).
    pub log_prefix: Option<Text>,
}

/// The bucket itself, as `config` names it.
#[track_caller]
fn bucket<R: Region>(scope: &Aws<'_, R>, config: &BucketConfig) -> Ref<s3::Bucket<R>> {
    scope.add(
        "bucket",
        s3::Bucket {
            bucket: config.name.clone(),
            force_destroy: config.force_destroy.then_some(true),
            ..Default::default()
        },
    )
}

/// The protections every bucket gets: versioning, default encryption, public access blocked,
/// ACLs off (`BucketOwnerEnforced`), object events to EventBridge, aged-out noncurrent
/// versions and abandoned uploads, and a policy that starts with a TLS-only deny.
#[track_caller]
fn protect<'s, R: Region>(
    scope: &Aws<'s, R>,
    bucket: &Ref<s3::Bucket<R>>,
    encryption: s3::SseRule<R>,
    config: &BucketConfig,
) -> (Ref<s3::BucketPolicy<R>>, Ref<s3::Versioning<R>>) {
    let versioning = scope.add(
        "versioning",
        s3::Versioning {
            bucket: bucket.id(),
            versioning_configuration: s3::VersioningConfiguration::enabled(),
            opts: Default::default(),
        },
    );
    scope.add(
        "encryption",
        s3::ServerSideEncryptionConfiguration {
            bucket: bucket.id(),
            rule: vec![encryption],
            opts: Default::default(),
        },
    );
    scope.add("public_access", s3::PublicAccessBlock::all(bucket.id()));
    scope.add(
        "ownership",
        s3::OwnershipControls {
            bucket: bucket.id(),
            rule: s3::OwnershipRule {
                object_ownership: "BucketOwnerEnforced".into(),
            },
        },
    );
    // Object events go to EventBridge, where any rule can pick them up.
    scope.add(
        "notifications",
        s3::Notification {
            bucket: bucket.id(),
            opts: s3::NotificationOpts {
                eventbridge: Some(true),
                topic: vec![],
                ..Default::default()
            },
        },
    );
    scope.add(
        "lifecycle",
        s3::LifecycleConfiguration {
            bucket: bucket.id(),
            rule: vec![s3::LifecycleRule {
                id: "age-out".into(),
                status: "Enabled".into(),
                filter: Some(s3::LifecycleFilter::default()),
                prefix: None,
                expiration: None,
                transition: config.transitions.clone(),
                noncurrent_version_transition: config.noncurrent_transitions.clone(),
                noncurrent_version_expiration: Some(s3::NoncurrentVersionExpiration {
                    noncurrent_days: 365,
                    newer_noncurrent_versions: None,
                }),
                abort_incomplete_multipart_upload: Some(s3::AbortIncompleteMultipartUpload {
                    days_after_initiation: Some(7),
                }),
            }],
            opts: Default::default(),
        },
    );
    let objects = bucket.objects("*");
    let policy = scope.add(
        "policy",
        s3::BucketPolicy {
            bucket: bucket.id(),
            policy: PolicyDocument::new().statement(Statement::deny_insecure_transport(vec![
                bucket.arn().text().clone(),
                objects.text().clone(),
            ])),
        },
    );
    (policy, versioning)
}

/// A bucket that receives S3 server access logs: versioned, public access blocked, TLS only,
/// SSE-S3 (S3 delivers access logs only to buckets without a KMS default key), and a policy
/// letting the logging service of this account write into it. Several [`SecureBucket`]s may
/// share one ([`SecureBucket::logging_to`]).
#[derive(Debug)]
pub struct AccessLogBucket<R: Region> {
    /// The bucket.
    pub bucket: Ref<s3::Bucket<R>>,
    /// Its policy.
    pub policy: Ref<s3::BucketPolicy<R>>,
    /// Its versioning (replication waits for it).
    pub versioning: Ref<s3::Versioning<R>>,
}

impl<R: Region> AccessLogBucket<R> {
    /// An access-log bucket in `scope` (`<scope>_bucket`…).
    #[track_caller]
    pub fn new(scope: &Aws<'_, R>) -> Self {
        Self::with(scope, BucketConfig::default())
    }

    /// An access-log bucket in `scope` configured by `config` (its `log_prefix` does not
    /// apply: the bucket logs nothing itself).
    #[track_caller]
    pub fn with(scope: &Aws<'_, R>, config: BucketConfig) -> Self {
        let bucket = bucket(scope, &config);
        let (policy, versioning) = protect(scope, &bucket, s3::SseRule::s3_managed(), &config);
        let account_id = super::account_id(scope);
        scope.stack().amend(&policy, |p| {
            p.policy = std::mem::take(&mut p.policy).statement(
                Statement::allow([s3::PutObject], bucket.objects("*"))
                    .sid("S3ServerAccessLogDelivery")
                    .principal(Principal::service(service::S3Logging))
                    .condition(Condition::string_equals(global::SourceAccount, account_id)),
            );
        });
        Self {
            bucket,
            policy,
            versioning,
        }
    }
}

impl<R: Region> Deref for AccessLogBucket<R> {
    type Target = Ref<s3::Bucket<R>>;
    fn deref(&self) -> &Ref<s3::Bucket<R>> {
        &self.bucket
    }
}

/// An S3 bucket with every protection on: SSE-KMS with a [`Key`] (and S3 bucket keys),
/// versioning, public access blocked, ACLs off, a TLS-only policy, lifecycle clean-up, and
/// server access logs delivered to an [`AccessLogBucket`].
///
/// ```
/// use infra_core::{Stack, UsEast1, components::{Key, Role, SecureBucket}, policy::service};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let key = Key::new(&east.scope("data"));
/// let audit = SecureBucket::new(&east.scope("audit"), &key);
/// let writer = Role::for_service(&east.scope("writer"), service::Lambda);
/// audit.grant_put(&writer, "audit/*");
/// let doc = stack.synth().unwrap();
/// infra_core::testing::assert_every_bucket_denies_insecure_transport(&doc);
/// assert_eq!(infra_core::testing::count(&doc, "aws_s3_bucket"), 2); // the bucket and its log bucket
/// ```
#[derive(Debug)]
pub struct SecureBucket<'s, R: Region> {
    stack: &'s Stack,
    /// The bucket.
    pub bucket: Ref<s3::Bucket<R>>,
    /// Its policy (TLS-only deny first; [`SecureBucket::allow`] adds to it).
    pub policy: Ref<s3::BucketPolicy<R>>,
    /// The key of its default encryption.
    pub key: Ref<crate::aws::kms::Key<R>>,
    /// Its versioning (replication waits for it).
    pub versioning: Ref<s3::Versioning<R>>,
}

impl<'s, R: Region> SecureBucket<'s, R> {
    /// A bucket in `scope` encrypted with `key`, logging to its own access-log bucket in
    /// `scope.scope("logs")`.
    #[track_caller]
    pub fn new(scope: &Aws<'s, R>, key: &Key<'s, R>) -> Self {
        let logs = AccessLogBucket::new(&scope.scope("logs"));
        Self::logging_to(scope, key, &logs)
    }

    /// A bucket in `scope` encrypted with `key`, logging to `logs` under `<scope path>/`.
    #[track_caller]
    pub fn logging_to(scope: &Aws<'s, R>, key: &Key<'s, R>, logs: &AccessLogBucket<R>) -> Self {
        Self::with(scope, key, logs, BucketConfig::default())
    }

    /// A bucket in `scope` encrypted with `key`, logging to `logs`, configured by `config`
    /// (its name, `force_destroy`, lifecycle transitions, log prefix).
    #[track_caller]
    pub fn with(
        scope: &Aws<'s, R>,
        key: &Key<'s, R>,
        logs: &AccessLogBucket<R>,
        config: BucketConfig,
    ) -> Self {
        let bucket = bucket(scope, &config);
        let (policy, versioning) = protect(scope, &bucket, s3::SseRule::kms(key.arn()), &config);
        let log_prefix = config
            .log_prefix
            .unwrap_or_else(|| format!("{}/", scope.path()).into());
        // S3 checks at `PutBucketLogging` that the target's policy lets the logging service
        // write (with `BucketOwnerEnforced`, only a policy can): it must exist first.
        scope.add_with(
            "logging",
            s3::Logging {
                bucket: bucket.id(),
                target_bucket: logs.bucket.id(),
                target_prefix: log_prefix,
                opts: s3::LoggingOpts {
                    target_object_key_format: Some(s3::TargetObjectKeyFormat {
                        partitioned_prefix: Some(s3::PartitionedPrefix {
                            partition_date_source: "EventTime".into(),
                        }),
                        simple_prefix: None,
                    }),
                    ..Default::default()
                },
            },
            Meta::new().depends_on(&logs.policy),
        );
        Self {
            stack: scope.stack(),
            bucket,
            policy,
            key: key.key.clone(),
            versioning,
        }
    }

    /// The bucket's name.
    pub fn name(&self) -> Name<s3::Bucket<R>> {
        self.bucket.bucket()
    }

    /// Adds a statement to the bucket policy (a service principal, another account).
    pub fn allow(&self, statement: Statement) {
        self.stack.amend(&self.policy, |p| {
            p.policy = std::mem::take(&mut p.policy).statement(statement);
        });
    }

    /// Lets `to` put objects under `pattern` (`incoming/*`): `s3:PutObject` on those objects
    /// and `kms:GenerateDataKey` on the bucket's key, through S3 in its region only.
    #[track_caller]
    pub fn grant_put(&self, to: &impl Grantee<R>, pattern: &str) {
        to.grant(statements::s3_put(
            self.bucket.objects(pattern),
            Some(self.key.arn()),
        ));
    }

    /// Lets `to` read objects under `pattern`: `s3:GetObject` and `kms:Decrypt` through S3.
    #[track_caller]
    pub fn grant_read(&self, to: &impl Grantee<R>, pattern: &str) {
        to.grant(statements::s3_read(
            self.bucket.objects(pattern),
            Some(self.key.arn()),
        ));
    }

    /// Both, with `kms:Decrypt` and `kms:GenerateDataKey` through S3.
    #[track_caller]
    pub fn grant_read_write(&self, to: &impl Grantee<R>, pattern: &str) {
        to.grant(statements::s3_read_write(
            self.bucket.objects(pattern),
            Some(self.key.arn()),
        ));
    }
}

impl<R: Region> Deref for SecureBucket<'_, R> {
    type Target = Ref<s3::Bucket<R>>;
    fn deref(&self) -> &Ref<s3::Bucket<R>> {
        &self.bucket
    }
}
