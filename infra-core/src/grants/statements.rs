//! The statements of every grant, in one place: plain functions from typed ARNs to
//! [`Statement`]s. Each names exact actions, scopes them to the resource, and conditions the
//! KMS permissions an encrypted resource needs on `kms:ViaService`.
//!
//! ```
//! use infra_core::{Stack, UsEast1, aws::{kms, s3}, grants::statements};
//! let stack = Stack::new();
//! let east = stack.aws::<UsEast1>("primary");
//! let key = east.add("key", kms::Key::default());
//! let bucket = east.add("uploads", s3::Bucket::default());
//! let put = statements::s3_put(bucket.objects("incoming/*"), Some(key.arn()));
//! assert_eq!(put.len(), 2); // s3:PutObject on the objects, kms:GenerateDataKey via S3
//! ```

use super::ViaService;
use crate::aws::{cloudwatch, dynamodb, kms, s3, sns, sqs, ssm, xray};
use crate::policy::{Action, Condition, Statement, because};
use crate::refs::Arn;
use crate::region::Region;

/// `actions` on `key`, only through `service` in the key's region (`kms:ViaService`).
pub fn kms_via<R: Region, const N: usize>(
    key: Arn<kms::Key<R>>,
    service: ViaService,
    actions: [Action<kms::KeyActions>; N],
) -> Statement {
    Statement::allow_when(
        actions,
        key,
        Condition::string_equals(kms::conditions::ViaService, service.via::<R>()),
    )
}

/// `kms_via` when there is a key.
fn with_key<R: Region, const N: usize>(
    mut statements: Vec<Statement>,
    key: Option<Arn<kms::Key<R>>>,
    service: ViaService,
    actions: [Action<kms::KeyActions>; N],
) -> Vec<Statement> {
    statements.extend(key.map(|key| kms_via(key, service, actions)));
    statements
}

/// Put objects under `objects`; with an SSE-KMS key, `kms:GenerateDataKey` through S3 (what a
/// single-part `PutObject` needs; multipart uploads also need [`s3_read_write`]'s `Decrypt`).
pub fn s3_put<R: Region>(
    objects: Arn<s3::Objects<R>>,
    key: Option<Arn<kms::Key<R>>>,
) -> Vec<Statement> {
    let put = Statement::allow([s3::PutObject], objects);
    with_key(vec![put], key, ViaService::S3, [kms::GenerateDataKey])
}

/// Read objects under `objects`; with a key, `kms:Decrypt` through S3.
pub fn s3_read<R: Region>(
    objects: Arn<s3::Objects<R>>,
    key: Option<Arn<kms::Key<R>>>,
) -> Vec<Statement> {
    let get = Statement::allow([s3::GetObject], objects);
    with_key(vec![get], key, ViaService::S3, [kms::Decrypt])
}

/// Read and put objects under `objects`; with a key, `kms:Decrypt` and
/// `kms:GenerateDataKey` through S3.
pub fn s3_read_write<R: Region>(
    objects: Arn<s3::Objects<R>>,
    key: Option<Arn<kms::Key<R>>>,
) -> Vec<Statement> {
    let rw = Statement::allow([s3::GetObject, s3::PutObject], objects);
    with_key(
        vec![rw],
        key,
        ViaService::S3,
        [kms::Decrypt, kms::GenerateDataKey],
    )
}

/// What DynamoDB needs of a table's customer-managed key for any item access.
const DYNAMODB_KEY_USE: [Action<kms::KeyActions>; 2] = [kms::Decrypt, kms::DescribeKey];

/// `Query` on the table and on each of its indexes.
fn query<R: Region>(
    table: &Arn<dynamodb::Table<R>>,
    indexes: Vec<Arn<dynamodb::Index<R>>>,
) -> Vec<Statement> {
    let mut out = vec![Statement::allow([dynamodb::Query], table.clone())];
    if !indexes.is_empty() {
        out.push(Statement::allow([dynamodb::Query], indexes));
    }
    out
}

/// Read items: `GetItem`, `BatchGetItem` on the table, `Query` on it and its `indexes`; with a
/// key, `kms:Decrypt` and `kms:DescribeKey` through DynamoDB.
pub fn table_read<R: Region>(
    table: Arn<dynamodb::Table<R>>,
    indexes: Vec<Arn<dynamodb::Index<R>>>,
    key: Option<Arn<kms::Key<R>>>,
) -> Vec<Statement> {
    let mut out = vec![Statement::allow(
        [dynamodb::GetItem, dynamodb::BatchGetItem],
        table.clone(),
    )];
    out.extend(query(&table, indexes));
    with_key(out, key, ViaService::DynamoDb, DYNAMODB_KEY_USE)
}

/// Write items: `PutItem`, `UpdateItem`, `DeleteItem`, `BatchWriteItem`, `ConditionCheckItem`
/// on the table; with a key, `kms:Decrypt` and `kms:DescribeKey` through DynamoDB.
pub fn table_write<R: Region>(
    table: Arn<dynamodb::Table<R>>,
    key: Option<Arn<kms::Key<R>>>,
) -> Vec<Statement> {
    let write = Statement::allow(
        [
            dynamodb::PutItem,
            dynamodb::UpdateItem,
            dynamodb::DeleteItem,
            dynamodb::BatchWriteItem,
            dynamodb::ConditionCheckItem,
        ],
        table,
    );
    with_key(vec![write], key, ViaService::DynamoDb, DYNAMODB_KEY_USE)
}

/// [`table_read`] and [`table_write`] in one item statement, one query statement (two with
/// indexes) and one key statement.
pub fn table_read_write<R: Region>(
    table: Arn<dynamodb::Table<R>>,
    indexes: Vec<Arn<dynamodb::Index<R>>>,
    key: Option<Arn<kms::Key<R>>>,
) -> Vec<Statement> {
    let mut out = vec![Statement::allow(
        [
            dynamodb::GetItem,
            dynamodb::BatchGetItem,
            dynamodb::PutItem,
            dynamodb::UpdateItem,
            dynamodb::DeleteItem,
            dynamodb::BatchWriteItem,
            dynamodb::ConditionCheckItem,
        ],
        table.clone(),
    )];
    out.extend(query(&table, indexes));
    with_key(out, key, ViaService::DynamoDb, DYNAMODB_KEY_USE)
}

/// Send messages to `queue`; with a key, `kms:GenerateDataKey` and `kms:Decrypt` through SQS
/// (what a producer of an SSE-KMS queue needs).
pub fn queue_send<R: Region>(
    queue: Arn<sqs::Queue<R>>,
    key: Option<Arn<kms::Key<R>>>,
) -> Vec<Statement> {
    let send = Statement::allow([sqs::SendMessage], queue);
    with_key(
        vec![send],
        key,
        ViaService::Sqs,
        [kms::GenerateDataKey, kms::Decrypt],
    )
}

/// Consume messages from `queue` (receive, delete, change visibility, read attributes); with a
/// key, `kms:Decrypt` through SQS.
pub fn queue_consume<R: Region>(
    queue: Arn<sqs::Queue<R>>,
    key: Option<Arn<kms::Key<R>>>,
) -> Vec<Statement> {
    let consume = Statement::allow(
        [
            sqs::ReceiveMessage,
            sqs::DeleteMessage,
            sqs::ChangeMessageVisibility,
            sqs::GetQueueAttributes,
        ],
        queue,
    );
    with_key(vec![consume], key, ViaService::Sqs, [kms::Decrypt])
}

/// Publish to `topic`; with a key, `kms:GenerateDataKey` and `kms:Decrypt` through SNS.
pub fn topic_publish<R: Region>(
    topic: Arn<sns::Topic<R>>,
    key: Option<Arn<kms::Key<R>>>,
) -> Vec<Statement> {
    let publish = Statement::allow([sns::Publish], topic);
    with_key(
        vec![publish],
        key,
        ViaService::Sns,
        [kms::GenerateDataKey, kms::Decrypt],
    )
}

/// Write to a log group's streams (`CreateLogStream`, `PutLogEvents`). A group encrypted with
/// a key needs nothing of the key from the writer: CloudWatch Logs uses it under the key
/// policy ([`crate::components::Key::allow_logs`]).
pub fn log_write<R: Region>(streams: Arn<cloudwatch::LogStreams<R>>) -> Vec<Statement> {
    vec![Statement::allow(
        [cloudwatch::CreateLogStream, cloudwatch::PutLogEvents],
        streams,
    )]
}

/// Submit X-Ray traces. The two actions have no resource-level permissions: the one statement
/// of a grant on `*`, with its reason.
pub fn xray_write() -> Vec<Statement> {
    vec![Statement::allow_any_resource(
        [xray::PutTraceSegments, xray::PutTelemetryRecords],
        because("X-Ray trace submission has no resource-level permissions"),
    )]
}

/// Read parameters (`GetParameter`, `GetParameters`); with the key of `SecureString`
/// parameters, `kms:Decrypt` through SSM.
pub fn parameters_read<R: Region>(
    parameters: Vec<Arn<ssm::Parameter<R>>>,
    key: Option<Arn<kms::Key<R>>>,
) -> Vec<Statement> {
    let read = Statement::allow([ssm::GetParameter, ssm::GetParameters], parameters);
    with_key(vec![read], key, ViaService::Ssm, [kms::Decrypt])
}

/// Use `key` directly or through `via`: `actions` on the key, conditioned on `kms:ViaService`
/// when `via` is given.
pub fn key_use<R: Region, const N: usize>(
    key: Arn<kms::Key<R>>,
    via: Option<ViaService>,
    actions: [Action<kms::KeyActions>; N],
) -> Vec<Statement> {
    vec![match via {
        Some(service) => kms_via(key, service, actions),
        None => Statement::allow(actions, key),
    }]
}
