//! The static shape of a resource's arguments, as its Rust type declares them.
//!
//! `#[derive(Resource)]` and `#[derive(Block)]` describe every field here, so that a test can
//! compare what the Rust model would emit with the real provider schema
//! (see [`crate::schema`]) without synthesizing a stack.

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
    /// A nested block: `repeated` when the Rust field is a `Vec` of blocks.
    Block {
        /// Whether several instances may be given.
        repeated: bool,
        /// The block's own arguments.
        shape: BlockShape,
    },
}
