//! Amazon DynamoDB: tables (with global-table replicas), and the DynamoDB IAM actions.
//!
//! A replica lives in another region and is encrypted with a key of *that* region:
//! [`Replica::in_region`] takes the replica's key and derives the region from its type, and a
//! replica in the table's own region does not compile.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`dynamodb:PutItem`).

use std::marker::PhantomData;

use crate::aws::kms;
use crate::{Arn, Block, Name, OtherRegion, Region, Text, string_enum};

/// The overlay-typed types (`infra-core/overlay/types/dynamodb.toml`): `Table`.
pub use super::generated::overlay::dynamodb::*;

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
    /// How a global table's replicas are kept consistent (`consistency_mode` of a replica).
    pub enum ConsistencyMode {
        /// Eventually consistent across regions (the default).
        Eventual = "EVENTUAL",
        /// Multi-region strong consistency: every replica of the table must say so, and the
        /// table needs two replicas, or one and a witness (`global_table_witness`).
        Strong = "STRONG",
    }
}

string_enum! {
    /// Which attributes an index projects (`projection_type` of an index).
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

impl table::GlobalSecondaryIndex {
    /// An index named `name` on the partition key `hash_key`, projecting `projection`; the
    /// other fields (a sort key, capacities) are unset.
    ///
    /// ```
    /// use infra_core::aws::dynamodb::{Projection, table::GlobalSecondaryIndex};
    /// let index = GlobalSecondaryIndex {
    ///     range_key: Some("timestamp".into()),
    ///     ..GlobalSecondaryIndex::new("status-index", "status", Projection::All)
    /// };
    /// # let _ = index;
    /// ```
    pub fn new(name: &str, hash_key: &str, projection: Projection) -> Self {
        Self {
            name: name.into(),
            projection_type: projection,
            hash_key: Some(hash_key.into()),
            key_schema: Vec::new(),
            non_key_attributes: Vec::new(),
            on_demand_throughput: None,
            range_key: None,
            read_capacity: None,
            warm_throughput: None,
            write_capacity: None,
        }
    }
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
    consistency_mode: Option<ConsistencyMode>,
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
            consistency_mode: None,
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

    /// Sets how the replica is kept consistent with the table ([`ConsistencyMode::Strong`] for
    /// multi-region strong consistency).
    ///
    /// ```
    /// use infra_core::{Arn, Text, UsEast1, UsWest2, aws::{dynamodb::{ConsistencyMode, Replica}, kms}};
    /// let west_key: Arn<kms::Key<UsWest2>> = Arn::from_text(Text::expression("aws_kms_key.w.arn"));
    /// let replica: Replica<UsEast1> = Replica::in_region(west_key).consistency(ConsistencyMode::Strong);
    /// # let _ = replica;
    /// ```
    pub fn consistency(mut self, mode: ConsistencyMode) -> Self {
        self.consistency_mode = Some(mode);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Argument, UsEast1, UsWest2};

    #[test]
    fn a_replica_writes_its_consistency_only_when_set() {
        let key: Arn<kms::Key<UsWest2>> = Arn::from_text(Text::expression("aws_kms_key.w.arn"));
        let eventual: Replica<UsEast1> = Replica::in_region(key.clone());
        assert!(
            eventual
                .to_value()
                .unwrap()
                .get("consistency_mode")
                .is_none()
        );
        let strong: Replica<UsEast1> = Replica::in_region(key).consistency(ConsistencyMode::Strong);
        let value = strong.to_value().unwrap();
        assert_eq!(value["consistency_mode"], "STRONG");
        assert_eq!(value["region_name"], "us-west-2");
    }
}
