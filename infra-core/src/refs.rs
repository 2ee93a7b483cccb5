//! Typed references between resources: `Arn<K>`, `Id<K>` and the handle `Ref<T>`.
//!
//! A reference renders as `${aws_type.name.attribute}`. Its type says what it points at
//! (`Arn<kms::Key<UsEast1>>` is the ARN of a KMS key in us-east-1), so a field that needs an IAM
//! role ARN accepts nothing else. References do not implement `Display`: the only ways to put one
//! into a string are the typed [`interpolate!`](crate::interpolate) and the methods of this crate.

use std::fmt;
use std::marker::PhantomData;
use std::ops::Deref;

use crate::resource::Resource;
use crate::text::{Interpolate, Text};

/// Whether a node is a managed resource or a data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeKind {
    /// A `resource` block.
    Resource,
    /// A `data` block.
    Data,
}

/// The address of a resource or data source in the stack (`aws_kms_key.primary_data_key`).
///
/// ```
/// use infra_core::{Node, NodeKind};
/// let node = Node::new(NodeKind::Data, "aws_region", "current");
/// assert_eq!(node.address(), "data.aws_region.current");
/// assert_eq!(node.attribute("name").render(), "${data.aws_region.current.name}");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Node {
    kind: NodeKind,
    type_name: &'static str,
    name: String,
}

impl Node {
    /// A node address.
    pub fn new(kind: NodeKind, type_name: &'static str, name: impl Into<String>) -> Self {
        Self {
            kind,
            type_name,
            name: name.into(),
        }
    }

    /// Resource or data source.
    pub fn kind(&self) -> NodeKind {
        self.kind
    }

    /// The Terraform type (`aws_kms_key`).
    pub fn type_name(&self) -> &'static str {
        self.type_name
    }

    /// The logical name (`primary_data_key`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The address as Terraform writes it in `depends_on`.
    pub fn address(&self) -> String {
        match self.kind {
            NodeKind::Resource => format!("{}.{}", self.type_name, self.name),
            NodeKind::Data => format!("data.{}.{}", self.type_name, self.name),
        }
    }

    /// A reference to one of the node's attributes.
    pub fn attribute(&self, attribute: &str) -> Text {
        Text::expression(format!("{}.{}", self.address(), attribute))
    }
}

/// The ARN of a `K`: a resource type (`Arn<iam::Role>`) or a part of one (`Arn<s3::Objects<R>>`).
///
/// ```
/// use infra_core::{Arn, aws::iam};
/// let policy: Arn<iam::ManagedPolicy> = iam::ManagedPolicy::aws("AWSXRayDaemonWriteAccess");
/// assert_eq!(policy.text().render(), "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess");
/// ```
///
/// It has no `Display`, and its `Debug` form is a debugging dump that reads as one: use
/// [`interpolate!`](crate::interpolate) to put a reference into a string.
///
/// ```
/// use infra_core::{interpolate, Stack, UsEast1, aws::kms};
/// let stack = Stack::new();
/// let key = stack.aws::<UsEast1>("primary").add("key", kms::Key::default());
/// assert_eq!(
///     format!("{:?}", key.arn()),
///     "Arn<kms::Key<UsEast1>> { reference: ${aws_kms_key.primary_key.arn} }"
/// );
/// assert_eq!(interpolate!("{}/*", key.arn()).render(), "${aws_kms_key.primary_key.arn}/*");
/// ```
pub struct Arn<K> {
    text: Text,
    kind: PhantomData<fn() -> K>,
}

/// The identifier of a `K` (a KMS key ID, a REST API ID, a zone ID…).
///
/// ```
/// use infra_core::{Id, Node, NodeKind, aws::kms};
/// # use infra_core::{__private, UsEast1};
/// let node = Node::new(NodeKind::Resource, "aws_kms_key", "data_key");
/// let id: Id<kms::Key<UsEast1>> = Id::from_attribute(&node, "key_id");
/// assert_eq!(id.text().render(), "${aws_kms_key.data_key.key_id}");
/// ```
pub struct Id<K> {
    text: Text,
    kind: PhantomData<fn() -> K>,
}

/// The name of a `K`, where AWS refers to a resource by name (a function name, a log group
/// name, a table name in a metric dimension…). A `Name<LogGroup<UsEast1>>` is not the name of
/// another region's group, nor of a function.
///
/// ```
/// use infra_core::{Name, Node, NodeKind, aws::cloudwatch};
/// # use infra_core::UsEast1;
/// let node = Node::new(NodeKind::Resource, "aws_cloudwatch_log_group", "api_logs");
/// let name: Name<cloudwatch::LogGroup<UsEast1>> = Name::from_attribute(&node, "name");
/// assert_eq!(name.text().render(), "${aws_cloudwatch_log_group.api_logs.name}");
/// ```
pub struct Name<K> {
    text: Text,
    kind: PhantomData<fn() -> K>,
}

/// The URL of a `K`, where AWS refers to a resource by URL (an SQS queue URL…).
///
/// ```
/// use infra_core::{Url, Node, NodeKind, aws::sqs};
/// # use infra_core::UsEast1;
/// let node = Node::new(NodeKind::Resource, "aws_sqs_queue", "jobs");
/// let url: Url<sqs::Queue<UsEast1>> = Url::from_attribute(&node, "url");
/// assert_eq!(url.text().render(), "${aws_sqs_queue.jobs.url}");
/// ```
pub struct Url<K> {
    text: Text,
    kind: PhantomData<fn() -> K>,
}

macro_rules! typed_text {
    ($name:ident, $what:literal) => {
        impl<K> $name<K> {
            #[doc = concat!("The ", $what, " held by attribute `attribute` of `node`.")]
            pub fn from_attribute(node: &Node, attribute: &str) -> Self {
                Self::from_text(node.attribute(attribute))
            }

            #[doc = concat!("A ", $what, " from text the caller vouches for (an escape hatch for ")]
            /// values this crate does not model; prefer typed accessors).
            pub fn from_text(text: Text) -> Self {
                Self {
                    text,
                    kind: PhantomData,
                }
            }

            /// The underlying text.
            pub fn text(&self) -> &Text {
                &self.text
            }
        }

        impl<K> Clone for $name<K> {
            fn clone(&self) -> Self {
                Self::from_text(self.text.clone())
            }
        }

        impl<K> PartialEq for $name<K> {
            fn eq(&self, other: &Self) -> bool {
                self.text == other.text
            }
        }

        /// A Rust debugging form, `Arn<kms::Key<UsEast1>> { reference: ${…} }`, never a value:
        /// pasted into a string it is literal text, which [`Stack::synth`](crate::Stack::synth)
        /// and the schema validator report as a pasted reference. Interpolate references with
        /// [`interpolate!`](crate::interpolate).
        impl<K> fmt::Debug for $name<K> {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                let name = format!("{}<{}>", stringify!($name), short_type_name::<K>());
                f.debug_struct(&name)
                    .field("reference", &format_args!("{}", self.text.render()))
                    .finish()
            }
        }

        impl<K> Interpolate for $name<K> {
            fn to_text(&self) -> Text {
                self.text.clone()
            }
        }

        impl<K> From<$name<K>> for Text {
            fn from(value: $name<K>) -> Text {
                value.text
            }
        }
    };
}

typed_text!(Arn, "ARN");
typed_text!(Id, "identifier");
typed_text!(Name, "name");
typed_text!(Url, "URL");

/// A value of an attribute a resource exports (`arn`, `id`, `name`…).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be the type of an exported attribute",
    note = "exported attributes are `Arn<_>`, `Id<_>`, `Name<_>`, `Url<_>`, `Text` or `Sensitive<Text>`"
)]
pub trait FromAttribute {
    /// The value of `attribute` on `node`.
    fn from_attribute(node: &Node, attribute: &str) -> Self;
}

impl<K> FromAttribute for Arn<K> {
    fn from_attribute(node: &Node, attribute: &str) -> Self {
        Arn::from_attribute(node, attribute)
    }
}
impl<K> FromAttribute for Id<K> {
    fn from_attribute(node: &Node, attribute: &str) -> Self {
        Id::from_attribute(node, attribute)
    }
}
impl<K> FromAttribute for Name<K> {
    fn from_attribute(node: &Node, attribute: &str) -> Self {
        Name::from_attribute(node, attribute)
    }
}
impl<K> FromAttribute for Url<K> {
    fn from_attribute(node: &Node, attribute: &str) -> Self {
        Url::from_attribute(node, attribute)
    }
}
impl FromAttribute for Text {
    fn from_attribute(node: &Node, attribute: &str) -> Self {
        node.attribute(attribute)
    }
}

/// The accessors of a resource's exported attributes, generated by `#[derive(Resource)]`.
pub trait Attributes {
    /// Accessors for `node`.
    fn for_node(node: Node) -> Self;
    /// The node the accessors read.
    fn node(&self) -> &Node;
}

/// A handle to a resource or data source declared in a stack.
///
/// It dereferences to the resource's attribute accessors, so `table.arn()` is an
/// `Arn<dynamodb::Table<R>>`.
pub struct Ref<T: Resource> {
    attrs: T::Attrs,
}

impl<T: Resource> Ref<T> {
    /// A handle for a node (used by stacks and tests).
    pub fn new(node: Node) -> Self {
        Self {
            attrs: T::Attrs::for_node(node),
        }
    }

    /// The node's address, for `depends_on`.
    pub fn node(&self) -> &Node {
        self.attrs.node()
    }
}

impl<T: Resource> Clone for Ref<T> {
    fn clone(&self) -> Self {
        Self::new(self.node().clone())
    }
}

/// A Rust debugging form, `Ref<kms::Key<UsEast1>> { address: aws_kms_key.primary_key }`.
impl<T: Resource> fmt::Debug for Ref<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = format!("Ref<{}>", short_type_name::<T>());
        f.debug_struct(&name)
            .field("address", &format_args!("{}", self.node().address()))
            .finish()
    }
}

/// A type's name without this crate's module paths: `kms::Key<UsEast1>` for
/// `infra_core::aws::kms::Key<infra_core::region::UsEast1>`.
fn short_type_name<T: ?Sized>() -> String {
    std::any::type_name::<T>()
        // Generated and overlay-typed types are re-exported by their service's module.
        .replace("infra_core::aws::generated::overlay::", "")
        .replace("infra_core::aws::generated::", "")
        .replace("infra_core::aws::", "")
        .replace("infra_core::region::", "")
        .replace("infra_core::", "")
}

impl<T: Resource> Deref for Ref<T> {
    type Target = T::Attrs;
    fn deref(&self) -> &T::Attrs {
        &self.attrs
    }
}
