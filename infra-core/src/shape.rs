//! The static shape of a resource's arguments, as its Rust type declares them.
//!
//! `#[derive(Resource)]` and `#[derive(Block)]` describe every field here, so that a test can
//! compare what the Rust model would emit with the real provider schema
//! (see [`crate::schema`]) without synthesizing a stack.

use crate::refs::NodeKind;
use crate::resource::Resource;

/// The arguments of a resource, a data source or a nested block.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BlockShape {
    /// One entry per Terraform argument or nested block, in declaration order.
    pub args: Vec<ArgShape>,
}

/// One argument or nested block of a [`BlockShape`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArgShape {
    /// The Terraform name, verbatim (`kms_master_key_id`).
    pub name: String,
    /// `true` when the Rust type forces a value (a plain field, not an `Option` or a `Vec`).
    pub required: bool,
    /// What the value is.
    pub kind: ArgKind,
    /// `true` when the Rust type is a typed reference (`Arn<K>`, `Id<K>`, or a collection of
    /// them) rather than plain text: the coverage report counts these.
    pub reference: bool,
}

/// The kind of value an argument holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ArgKind {
    /// A string (literal or `${…}` expression).
    String,
    /// A number.
    Number,
    /// A boolean.
    Bool,
    /// A list or set of values of one kind.
    List(Box<ArgKind>),
    /// A map from string keys to values of one kind.
    Map(Box<ArgKind>),
    /// Any JSON value (a `dynamic` argument, or an object the model does not break down).
    Json,
    /// A nested block: `repeated` when the Rust field is a `Vec` of blocks.
    Block {
        /// Whether several instances may be given.
        repeated: bool,
        /// The block's own arguments.
        shape: BlockShape,
    },
}

/// A generated resource or data source type, as the generator registered it
/// (`infra_core::aws::generated_types()` lists the ones of the enabled features).
///
/// ```
/// use infra_core::{NodeKind, UsEast1, aws::sqs, shape::TypeEntry};
/// let entry = TypeEntry::of::<sqs::Queue<UsEast1>>(NodeKind::Resource, "aws_sqs_queue", "sqs::Queue");
/// assert_eq!(entry.declared_type, "aws_sqs_queue");
/// assert!((entry.shape)().args.iter().any(|a| a.name == "kms_master_key_id"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct TypeEntry {
    /// The Terraform type the generator wrote the Rust type for.
    pub type_name: &'static str,
    /// The kind the generator wrote it as.
    pub kind: NodeKind,
    /// The Rust path below `infra_core::aws` (`sqs::Queue`).
    pub rust_path: &'static str,
    /// The Terraform type the Rust type declares (`Resource::TYPE`); differs from `type_name`
    /// only if another type took the generated one's path.
    pub declared_type: &'static str,
    /// The kind the Rust type declares (`Resource::KIND`).
    pub declared_kind: NodeKind,
    /// The Rust type's shape (`Resource::shape`).
    pub shape: fn() -> BlockShape,
}

impl TypeEntry {
    /// The entry of `T`, generated for `type_name`.
    pub fn of<T: Resource>(
        kind: NodeKind,
        type_name: &'static str,
        rust_path: &'static str,
    ) -> Self {
        TypeEntry {
            type_name,
            kind,
            rust_path,
            declared_type: T::TYPE,
            declared_kind: T::KIND,
            shape: T::shape,
        }
    }
}
