//! The `grant_*` methods of resource handles. Each reads the granted resource's typed node (its
//! key, its indexes) in the grantee's stack, builds the statements with [`super::statements`]
//! and hands them to the grantee.

use serde_json::Value;

use super::{Grantee, ViaService, statements};
use crate::args::Args;
use crate::aws::{cloudwatch, dynamodb, kms, sns, sqs};
use crate::policy::Action;
use crate::refs::{Arn, Ref};
use crate::region::Region;
use crate::resource::Resource;
use crate::stack::StackProblem;
use crate::text::Text;

/// The arguments of `resource`'s node, as synthesis would write them; `None` (and a
/// [`StackProblem::NotInStack`]) when the grantee's stack does not hold it.
fn node_args<T: Resource, R: Region>(resource: &Ref<T>, to: &impl Grantee<R>) -> Option<Value> {
    let args = to.stack().inspect(resource, |r| {
        let mut args = Args::new();
        r.write_args(&mut args);
        args.into_value()
    });
    if args.is_none() {
        to.stack().report(StackProblem::NotInStack {
            address: resource.node().address(),
        });
    }
    args
}

/// The key an encryption argument names, as a key ARN of `R`: the argument's Rust type is a
/// reference to a key of the resource's region, so the region is right by construction. An
/// AWS managed key (`alias/aws/…`) needs no grant (its key policy admits the account through
/// its service); any other value is reported, since the grant could not be scoped to it.
fn key_of<T: Resource, R: Region>(
    resource: &Ref<T>,
    to: &impl Grantee<R>,
    value: &Value,
) -> Option<Arn<kms::Key<R>>> {
    let text = value.as_str()?;
    if text.starts_with("alias/aws/") {
        return None;
    }
    let expression = Text::parse(text).ok();
    let node = expression
        .as_ref()
        .and_then(Text::as_expression)
        .and_then(|e| {
            let rest = e.strip_prefix("aws_kms_key.")?;
            let (name, attribute) = rest.split_once('.')?;
            matches!(attribute, "arn" | "key_id" | "id").then(|| name.to_owned())
        });
    match node {
        Some(name) => Some(Arn::from_text(Text::expression(format!(
            "aws_kms_key.{name}.arn"
        )))),
        None => {
            to.stack().report(StackProblem::Grant {
                address: resource.node().address(),
                why: format!(
                    "its key `{text}` is not a key of this stack, so the KMS permissions cannot be scoped to it: encrypt it with a `kms::Key` added to the stack"
                ),
            });
            None
        }
    }
}

/// The key of a queue's or topic's `kms_master_key_id`.
fn master_key<T: Resource, R: Region>(
    resource: &Ref<T>,
    to: &impl Grantee<R>,
) -> Option<Arn<kms::Key<R>>> {
    let args = node_args(resource, to).unwrap_or_default();
    key_of(resource, to, &args["kms_master_key_id"])
}

/// Grants on a DynamoDB table: item and query actions on the table and its indexes (read
/// from the table's node), and its key's use through DynamoDB.
pub trait TableGrants<R: Region> {
    /// `GetItem`, `BatchGetItem`, `Query` on the table and every index.
    #[track_caller]
    fn grant_read(&self, to: &impl Grantee<R>);
    /// `PutItem`, `UpdateItem`, `DeleteItem`, `BatchWriteItem`, `ConditionCheckItem`.
    #[track_caller]
    fn grant_write(&self, to: &impl Grantee<R>);
    /// Both.
    #[track_caller]
    fn grant_read_write(&self, to: &impl Grantee<R>);
}

/// A table's ARN, the ARNs of its indexes, and its key.
type TableParts<R> = (
    Arn<dynamodb::Table<R>>,
    Vec<Arn<dynamodb::Index<R>>>,
    Option<Arn<kms::Key<R>>>,
);

/// A table's ARN, index ARNs and key, read from its node.
fn table_parts<R: Region>(table: &Ref<dynamodb::Table<R>>, to: &impl Grantee<R>) -> TableParts<R> {
    let args = node_args(table, to).unwrap_or_default();
    let indexes = args["global_secondary_index"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|index| index["name"].as_str())
        .filter_map(|name| Text::parse(name).ok()?.as_literal())
        .map(|name| table.index_arn(&name))
        .collect();
    let key = key_of(table, to, &args["server_side_encryption"]["kms_key_arn"]);
    (table.arn(), indexes, key)
}

impl<R: Region> TableGrants<R> for Ref<dynamodb::Table<R>> {
    #[track_caller]
    fn grant_read(&self, to: &impl Grantee<R>) {
        let (table, indexes, key) = table_parts(self, to);
        to.grant(statements::table_read(table, indexes, key));
    }
    #[track_caller]
    fn grant_write(&self, to: &impl Grantee<R>) {
        let (table, _, key) = table_parts(self, to);
        to.grant(statements::table_write(table, key));
    }
    #[track_caller]
    fn grant_read_write(&self, to: &impl Grantee<R>) {
        let (table, indexes, key) = table_parts(self, to);
        to.grant(statements::table_read_write(table, indexes, key));
    }
}

/// Grants on an SQS queue, with its key's use through SQS.
pub trait QueueGrants<R: Region> {
    /// `SendMessage` (a producer, a dead-letter source).
    #[track_caller]
    fn grant_send(&self, to: &impl Grantee<R>);
    /// Receive, delete, change visibility, read attributes (a consumer).
    #[track_caller]
    fn grant_consume(&self, to: &impl Grantee<R>);
}

impl<R: Region> QueueGrants<R> for Ref<sqs::Queue<R>> {
    #[track_caller]
    fn grant_send(&self, to: &impl Grantee<R>) {
        let key = master_key(self, to);
        to.grant(statements::queue_send(self.arn(), key));
    }
    #[track_caller]
    fn grant_consume(&self, to: &impl Grantee<R>) {
        let key = master_key(self, to);
        to.grant(statements::queue_consume(self.arn(), key));
    }
}

/// Grants on an SNS topic, with its key's use through SNS.
pub trait TopicGrants<R: Region> {
    /// `Publish`.
    #[track_caller]
    fn grant_publish(&self, to: &impl Grantee<R>);
}

impl<R: Region> TopicGrants<R> for Ref<sns::Topic<R>> {
    #[track_caller]
    fn grant_publish(&self, to: &impl Grantee<R>) {
        let key = master_key(self, to);
        to.grant(statements::topic_publish(self.arn(), key));
    }
}

/// Grants on a log group.
pub trait LogGroupGrants<R: Region> {
    /// `CreateLogStream`, `PutLogEvents` on the group's streams.
    #[track_caller]
    fn grant_write(&self, to: &impl Grantee<R>);
}

impl<R: Region> LogGroupGrants<R> for Ref<cloudwatch::LogGroup<R>> {
    #[track_caller]
    fn grant_write(&self, to: &impl Grantee<R>) {
        to.grant(statements::log_write(self.streams_arn()));
    }
}

/// Grants on a KMS key, for direct use or use through a service (`kms:ViaService`).
pub trait KeyGrants<R: Region> {
    /// `kms:Decrypt`, directly.
    #[track_caller]
    fn grant_decrypt(&self, to: &impl Grantee<R>);
    /// `kms:Encrypt`, `kms:Decrypt`, `kms:GenerateDataKey`, directly.
    #[track_caller]
    fn grant_encrypt_decrypt(&self, to: &impl Grantee<R>);
    /// `actions`, only through `service` in the key's region.
    #[track_caller]
    fn grant_via<const N: usize>(
        &self,
        to: &impl Grantee<R>,
        service: ViaService,
        actions: [Action<kms::KeyActions>; N],
    );
}

impl<R: Region> KeyGrants<R> for Ref<kms::Key<R>> {
    #[track_caller]
    fn grant_decrypt(&self, to: &impl Grantee<R>) {
        to.grant(statements::key_use(self.arn(), None, [kms::Decrypt]));
    }
    #[track_caller]
    fn grant_encrypt_decrypt(&self, to: &impl Grantee<R>) {
        to.grant(statements::key_use(
            self.arn(),
            None,
            [kms::Encrypt, kms::Decrypt, kms::GenerateDataKey],
        ));
    }
    #[track_caller]
    fn grant_via<const N: usize>(
        &self,
        to: &impl Grantee<R>,
        service: ViaService,
        actions: [Action<kms::KeyActions>; N],
    ) {
        to.grant(statements::key_use(self.arn(), Some(service), actions));
    }
}
