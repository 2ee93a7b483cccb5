// The correct versions of the compile-fail cases: the same wiring, done right.
use infra_core::aws::cloudwatch::{self, Comparison, MetricAlarm, MetricAlarmOpts};
use infra_core::aws::dynamodb::{self, *};
use infra_core::aws::{iam, kms, s3, sns};
use infra_core::policy::{KeyPolicy, PolicyDocument, Principal, Statement, because, service};
use infra_core::{Aws, Region, Stack, UsEast1, UsWest2, Variable, interpolate, stack};

struct Regional<R: Region> {
    key: infra_core::Ref<kms::Key<R>>,
    topic: infra_core::Ref<sns::Topic<R>>,
    bucket: infra_core::Ref<s3::Bucket<R>>,
}

/// The account administers the key; CloudWatch Logs and alarms of the region may use it (the
/// rules at synth check both).
fn key_policy<R: Region>() -> KeyPolicy {
    let admin = Statement::on_this_key([kms::AllKeyActions]).principal(Principal::account_root("111122223333"));
    let use_it = |service: Principal| {
        Statement::on_this_key([kms::Encrypt, kms::Decrypt, kms::GenerateDataKey, kms::DescribeKey]).principal(service)
    };
    KeyPolicy::new()
        .statement(admin)
        .statement(use_it(Principal::service(service::Logs(R::default()))))
        .statement(use_it(Principal::service(service::CloudWatch)))
}

fn regional<R: Region>(aws: &Aws<R>) -> Regional<R> {
    stack! {
        in aws;
        key = kms::Key { enable_key_rotation: Some(true), policy: Some(key_policy::<R>()), ..Default::default() };
        topic = sns::Topic { kms_master_key_id: Some(key.key_id()), ..Default::default() };
        bucket = s3::Bucket::default();
        versioning = s3::Versioning {
            bucket: bucket.id(),
            versioning_configuration: s3::VersioningConfiguration::enabled(),
            opts: Default::default(),
        };
        bucket_sse = s3::ServerSideEncryptionConfiguration { bucket: bucket.id(), rule: vec![s3::SseRule::kms(key.arn())], opts: Default::default() };
        logs = cloudwatch::LogGroup { kms_key_id: Some(key.arn()), retention_in_days: Some(7), ..Default::default() };
        errors = MetricAlarm {
            alarm_name: "errors".into(),
            comparison_operator: Comparison::GreaterThanThreshold,
            evaluation_periods: 1,
            opts: MetricAlarmOpts { alarm_actions: vec![topic.arn()], ..Default::default() },
        };
        output topic_arn: infra_core::Arn<sns::Topic<R>> = topic.arn();
    }
    Regional { key, topic, bucket }
}

fn main() {
    let app = Stack::new();
    let east_aws = app.aws::<UsEast1>("primary");
    let west_aws = app.aws::<UsWest2>("secondary");
    let east = regional(&east_aws);
    let west = regional(&west_aws);
    let _ = (&east.topic, &west.topic);

    let table = east_aws.add("t", Table {
        name: "t".into(),
        hash_key: "id".into(),
        attribute: vec![Attribute::new("id", AttributeType::S)],
        opts: TableOpts {
            server_side_encryption: Some(ServerSideEncryption::kms(east.key.arn())),
            replica: vec![Replica::in_region(west.key.arn()).point_in_time_recovery()],
            ..Default::default()
        },
    });
    let _ = table.stream_arn();

    let role = east_aws.add("replication", iam::Role {
        assume_role_policy: PolicyDocument::trust(service::S3),
        opts: iam::RoleOpts::default(),
    });
    east_aws.add("replication_config", s3::ReplicationConfiguration {
        bucket: east.bucket.id(),
        role: role.arn(),
        rule: vec![s3::ReplicationRule {
            id: Some("all".into()),
            status: "Enabled".into(),
            priority: None,
            filter: None,
            prefix: None,
            delete_marker_replication: None,
            existing_object_replication: None,
            destination: s3::ReplicationDestination::new(west.bucket.arn(), west.key.arn()),
            source_selection_criteria: None,
        }],
        opts: Default::default(),
    });

    let _policy = PolicyDocument::new()
        .allow([dynamodb::PutItem, dynamodb::GetItem], table.arn())
        .allow([dynamodb::Query], (table.arn(), table.index_arn("status-index")))
        .allow([dynamodb::Query], table.replica_index_arn::<UsWest2>("status-index"))
        .allow([s3::PutObject], east.bucket.objects("audit/*"))
        .allow([s3::ListBucket], east.bucket.arn())
        .allow([kms::Decrypt, kms::GenerateDataKey], [east.key.arn()])
        .allow_any_resource([cloudwatch::PutMetricData], because("no resource-level permissions"));

    let secret = app.sensitive_variable("api_secret", Variable::string("a secret"));
    app.sensitive_output("api_secret", secret);
    app.output("objects", interpolate!("{}/audit", east.bucket.arn()));
    app.synth().unwrap();
}
