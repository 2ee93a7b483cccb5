//! The [`Resource`] trait that `#[derive(Resource)]` implements, and the region rule.

use crate::args::Args;
use crate::refs::{Attributes, NodeKind};
use crate::region::Region;
use crate::shape::BlockShape;

/// A Terraform resource or data source type.
///
/// Implemented by `#[derive(Resource)]`; see the crate documentation for the attribute syntax.
pub trait Resource: 'static {
    /// The Terraform type name (`aws_kms_key`).
    const TYPE: &'static str;
    /// Managed resource or data source.
    const KIND: NodeKind;
    /// The accessors of the attributes it exports.
    type Attrs: Attributes;
    /// Writes the arguments.
    fn write_args(&self, args: &mut Args);
    /// The static shape of the arguments.
    fn shape() -> BlockShape;
}

/// Holds when a provider of region `R` may create `Self`.
///
/// A regional resource (`kms::Key<R>`) is created only by a provider of its own region; a global
/// one (`iam::Role`) by any provider.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be created by the `{R}` provider",
    label = "this resource, or a reference it holds, belongs to another region",
    note = "every regional reference in a resource (KMS key, topic, bucket, table…) must come from the same region as the provider that creates it; create the referenced resource with the `{R}` provider, or use the explicit cross-region constructors (`Replica::in_region`, `ReplicationDestination::new`)"
)]
pub trait InRegion<R: Region> {}

/// Marker for managed resources (`resource` blocks).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is a data source, not a managed resource",
    note = "read data sources with `data(…)`, not `add(…)`"
)]
pub trait Managed: Resource {}

/// Marker for data sources (`data` blocks).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is a managed resource, not a data source",
    note = "declare managed resources with `add(…)`, not `data(…)`"
)]
pub trait DataSource: Resource {}
