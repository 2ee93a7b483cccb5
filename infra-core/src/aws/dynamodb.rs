//! Amazon DynamoDB: tables (with global-table replicas), and the DynamoDB IAM actions.
//!
//! A replica lives in another region and is encrypted with a key of *that* region:
//! [`Replica::in_region`] takes the replica's key and derives the region from its type, and a
//! replica in the table's own region does not compile.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`dynamodb:PutItem`).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::aws::kms;
use crate::{Arn, Block, Id, Name, OtherRegion, Region, Resource, Text, string_enum};

/// The generated `dynamodb` types this module does not define (feature `dynamodb`).
#[cfg(feature = "dynamodb")]
pub use super::generated::dynamodb::*;

string_enum! {
    /// The type of a key attribute.
    pub enum AttributeType {
        /// String.
        S = "S",
        /// Number.
        N = "N",
        /// Binary.
        B = "B",
    }
}

string_enum! {
    /// How a table is billed.
    pub enum BillingMode {
        /// On-demand capacity.
        PayPerRequest = "PAY_PER_REQUEST",
        /// Provisioned capacity.
        Provisioned = "PROVISIONED",
    }
}

string_enum! {
    /// What a stream record holds.
    pub enum StreamViewType {
        /// Old and new item images.
        NewAndOldImages = "NEW_AND_OLD_IMAGES",
        /// The new image.
        NewImage = "NEW_IMAGE",
        /// The old image.
        OldImage = "OLD_IMAGE",
        /// Keys only.
        KeysOnly = "KEYS_ONLY",
    }
}

string_enum! {
    /// Which attributes an index projects.
    pub enum Projection {
        /// Every attribute.
        All = "ALL",
        /// Keys only.
        KeysOnly = "KEYS_ONLY",
        /// Keys and `non_key_attributes`.
        Include = "INCLUDE",
    }
}

/// A key attribute definition.
#[derive(Block, Debug, Clone)]
pub struct Attribute {
    /// The attribute's name.
    pub name: Text,
    /// Its type.
    #[resource(rename = "type")]
    pub attribute_type: AttributeType,
}

impl Attribute {
    /// An attribute definition.
    pub fn new(name: &str, attribute_type: AttributeType) -> Self {
        Self {
            name: name.into(),
            attribute_type,
        }
    }
}

/// A global secondary index.
#[derive(Block, Debug, Clone)]
pub struct GlobalSecondaryIndex {
    /// The index's name.
    pub name: Text,
    /// The partition key.
    pub hash_key: Option<Text>,
    /// The sort key.
    pub range_key: Option<Text>,
    /// What it projects.
    pub projection_type: Projection,
    /// Projected non-key attributes (with `Include`).
    pub non_key_attributes: Vec<Text>,
}

/// Point-in-time recovery.
#[derive(Block, Debug, Clone)]
pub struct PointInTimeRecovery {
    /// Whether it is on.
    pub enabled: bool,
}

/// Server-side encryption of a table in region `R`, with a key of `R`.
#[derive(Block, Debug, Clone)]
pub struct ServerSideEncryption<R: Region> {
    enabled: bool,
    kms_key_arn: Option<Arn<kms::Key<R>>>,
}

impl<R: Region> ServerSideEncryption<R> {
    /// Encryption with a customer-managed key of the table's region.
    pub fn kms(key: Arn<kms::Key<R>>) -> Self {
        Self {
            enabled: true,
            kms_key_arn: Some(key),
        }
    }
}

/// A global-table replica of a table whose home region is `Home`.
#[derive(Block, Debug, Clone)]
pub struct Replica<Home: Region> {
    region_name: Text,
    kms_key_arn: Option<Text>,
    point_in_time_recovery: Option<bool>,
    propagate_tags: Option<bool>,
    deletion_protection_enabled: Option<bool>,
    home: PhantomData<Home>,
}

impl<Home: Region> Replica<Home> {
    /// A replica in the region of `key`, encrypted with `key`. The region must differ from the
    /// table's.
    ///
    /// ```
    /// use infra_core::{Arn, Text, UsEast1, UsWest2, aws::{dynamodb::Replica, kms}};
    /// let west_key: Arn<kms::Key<UsWest2>> = Arn::from_text(Text::expression("aws_kms_key.w.arn"));
    /// let replica: Replica<UsEast1> = Replica::in_region(west_key);
    /// # let _ = replica;
    /// ```
    pub fn in_region<R2: OtherRegion<Home>>(key: Arn<kms::Key<R2>>) -> Self {
        Self {
            region_name: R2::NAME.into(),
            kms_key_arn: Some(key.text().clone()),
            point_in_time_recovery: None,
            propagate_tags: None,
            deletion_protection_enabled: None,
            home: PhantomData,
        }
    }

    /// Turns on point-in-time recovery for the replica.
    pub fn point_in_time_recovery(mut self) -> Self {
        self.point_in_time_recovery = Some(true);
        self
    }

    /// Copies the table's tags to the replica.
    pub fn propagate_tags(mut self) -> Self {
        self.propagate_tags = Some(true);
        self
    }

    /// Protects the replica from deletion.
    pub fn deletion_protection(mut self) -> Self {
        self.deletion_protection_enabled = Some(true);
        self
    }
}

/// Time to live.
#[derive(Block, Debug, Clone)]
pub struct Ttl {
    /// The attribute holding the expiry time.
    pub attribute_name: Option<Text>,
    /// Whether TTL is on.
    pub enabled: Option<bool>,
}

/// A table (`aws_dynamodb_table`).
///
/// ```
/// use infra_core::{Stack, UsEast1, UsWest2, aws::{dynamodb::{self, *}, kms}};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let west = stack.aws::<UsWest2>("secondary");
/// let east_key = east.add("key", kms::Key::default());
/// let west_key = west.add("key", kms::Key::default());
/// let table = east.add("payments", Table {
///     name: "payments".into(),
///     hash_key: "payment_id".into(),
///     attribute: vec![Attribute::new("payment_id", AttributeType::S)],
///     opts: TableOpts {
///         billing_mode: Some(BillingMode::PayPerRequest),
///         server_side_encryption: Some(ServerSideEncryption::kms(east_key.arn())),
///         replica: vec![Replica::in_region(west_key.arn())],
///         ..Default::default()
///     },
/// });
/// assert!(table.index_arn("status-index").text().render().ends_with("/index/status-index"));
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_dynamodb_table",
    exports(arn: Arn<Self>, id: Id<Self>, name: Name<Self>, stream_arn: Arn<Stream<R>>)
)]
pub struct Table<R: Region> {
    /// The table's name.
    pub name: Text,
    /// The partition key attribute.
    pub hash_key: Text,
    /// Key attribute definitions (table and index keys).
    pub attribute: Vec<Attribute>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: TableOpts<R>,
}

/// Optional arguments of [`Table`].
#[derive(Block, Debug, Clone, Default)]
pub struct TableOpts<R: Region> {
    /// The sort key attribute.
    pub range_key: Option<Text>,
    /// Billing mode.
    pub billing_mode: Option<BillingMode>,
    /// Streams on.
    pub stream_enabled: Option<bool>,
    /// What stream records hold.
    pub stream_view_type: Option<StreamViewType>,
    /// Protects the table from deletion.
    pub deletion_protection_enabled: Option<bool>,
    /// Global secondary indexes.
    pub global_secondary_index: Vec<GlobalSecondaryIndex>,
    /// Point-in-time recovery.
    pub point_in_time_recovery: Option<PointInTimeRecovery>,
    /// Encryption at rest with a key of the table's region.
    pub server_side_encryption: Option<ServerSideEncryption<R>>,
    /// Global-table replicas in other regions.
    pub replica: Vec<Replica<R>>,
    /// Time to live.
    pub ttl: Option<Ttl>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
}

/// A table's stream (what `stream_arn` names).
#[derive(Debug)]
pub struct Stream<R>(PhantomData<R>);

/// A table's index (what `index_arn` names).
#[derive(Debug)]
pub struct Index<R>(PhantomData<R>);

impl<R: Region> TableAttrs<R> {
    /// The ARN of one of the table's indexes (`<table arn>/index/<name>`).
    pub fn index_arn(&self, index: &str) -> Arn<Index<R>> {
        let mut t = self.arn().text().clone();
        t.push_str(&format!("/index/{index}"));
        Arn::from_text(t)
    }

    /// The ARN of the table's replica in `R2` (a global table has the same name everywhere).
    pub fn replica_arn<R2: OtherRegion<R>>(&self) -> Arn<Table<R2>> {
        Arn::from_text(self.replica_expression::<R2>(""))
    }

    /// The name of the table's replica in `R2`: a global table has the same name everywhere,
    /// so this is the table's own name, typed for the replica's region (for its metrics'
    /// dimensions and its configuration there).
    pub fn replica_name<R2: OtherRegion<R>>(&self) -> Name<Table<R2>> {
        Name::from_text(self.name().text().clone())
    }

    /// The ARN of an index of the replica in `R2`.
    pub fn replica_index_arn<R2: OtherRegion<R>>(&self, index: &str) -> Arn<Index<R2>> {
        Arn::from_text(self.replica_expression::<R2>(&format!("/index/{index}")))
    }

    fn replica_expression<R2: Region>(&self, suffix: &str) -> Text {
        let arn = self
            .arn()
            .text()
            .as_expression()
            .map(str::to_owned)
            .unwrap_or_default();
        let mut t = Text::expression(format!(
            "replace({arn}, \":{}:\", \":{}:\")",
            R::NAME,
            R2::NAME
        ));
        t.push_str(suffix);
        t
    }
}

/// The `dynamodb` IAM actions, generated from AWS's authorization data.
pub use crate::iam::dynamodb::*;

/// The class of the single-item actions (`GetItem`, `PutItem`…), by its former name.
pub type ItemActions = TableActions;
/// The class of `Query` and `Scan` (a table or its indexes), by its former name.
pub type QueryActions = IndexTableActions;
