//! Typed infrastructure as code for Rust: wiring mistakes fail `cargo build`, not `terraform apply`.
//!
//! A [`Stack`] is a Terraform root module. Resources are plain structs deriving [`Resource`];
//! adding one through a provider handle [`Aws<R>`] returns a [`Ref`] whose accessors return typed
//! references: `key.arn()` is an `Arn<kms::Key<UsEast1>>`, which no field wanting an
//! `Arn<iam::Role>` accepts, and which no resource of `UsWest2` can hold. IAM statements are
//! typed by service ([`policy`]), secrets by [`Sensitive`]. [`Stack::synth`] produces
//! byte-stable Terraform JSON; [`Stack::write`] writes it atomically.
//!
//! ```
//! use infra_core::{stack, Stack, UsEast1, UsWest2, Region, Aws, Ref};
//! use infra_core::aws::{kms, sns};
//!
//! /// Everything one region needs, written once.
//! fn regional<R: Region>(aws: &Aws<R>) -> Ref<sns::Topic<R>> {
//!     stack! {
//!         in aws;
//!         key = kms::Key { enable_key_rotation: Some(true), ..Default::default() };
//!         alarms = sns::Topic { kms_master_key_id: Some(key.key_id()), ..Default::default() };
//!     }
//!     alarms
//! }
//!
//! let app = Stack::new();
//! let east = regional(&app.aws::<UsEast1>("primary"));
//! let west = regional(&app.aws::<UsWest2>("secondary"));
//! app.output("east_alarms", east.arn());
//! app.output("west_alarms", west.arn());
//! let doc = app.synth().unwrap();
//! assert_eq!(doc.to_json_string(), app.synth().unwrap().to_json_string());
//! ```
//!
//! The modules: [`text`] (strings and escaping), [`refs`] (typed references), [`region`],
//! [`args`] (how fields become arguments), [`resource`], [`stack`](mod@stack), [`document`] (JSON and
//! atomic writes), [`backend`], [`policy`] (IAM), [`sensitive`], [`aws`] (the resource types),
//! [`schema`] (validation against the provider schema), [`rules`] (checks at synth and rule
//! packs with evidence reports), [`shape`] and [`testing`].

// Lets generated code name `::infra_core` inside this crate too.
extern crate self as infra_core;

pub mod args;
pub mod aws;
pub mod backend;
pub mod components;
pub mod document;
pub mod grants;
mod graph;
// Generated code, never formatted or edited by hand (its first line says how to regenerate it).
#[rustfmt::skip]
pub mod iam;
pub mod policy;
pub mod refs;
pub mod region;
pub mod resource;
pub mod rules;
pub mod schema;
pub mod sensitive;
pub mod shape;
pub mod stack;
mod template;
pub mod testing;
pub mod text;

pub use args::{Args, Argument, Block, OneOrMore};
pub use backend::{Backend, BackendError, S3Backend};
pub use document::Document;
pub use infra_macros::{Block, Resource, stack};
pub use refs::{Arn, Attributes, FromAttribute, Id, Name, Node, NodeKind, Ref, Url};
pub use region::{ALL_REGIONS, OtherRegion, Region, UsEast1, UsEast2, UsWest1, UsWest2};
pub use resource::{DataSource, InRegion, Managed, Resource};
pub use sensitive::{PlainValue, Sensitive};
pub use stack::{Aws, Meta, Stack, StackProblem, SynthError, Variable};
pub use text::{Interpolate, TemplateError, Text, TextPart};

/// A JSON value: the Rust type of `dynamic` arguments (and, in the generated layer, of object
/// arguments the model does not break down yet).
pub use serde_json::Value as JsonValue;

/// The workspace README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;

/// What generated code needs and users must not touch.
#[doc(hidden)]
pub mod __private {
    pub use serde_json::Value;

    use crate::args::{Args, Argument, Block};
    use crate::refs::{Attributes, Node};
    use crate::shape::{ArgShape, BlockShape};
    use crate::text::{Interpolate, Text};

    /// What a derive's generated field visit calls, once per field (spanned on its type).
    pub trait FieldVisitor {
        /// An argument; `value` is `None` when only the shape is wanted.
        fn field<A: Argument>(&mut self, name: &str, value: Option<&A>);
        /// A flattened block.
        fn flatten<B: Block>(&mut self, value: Option<&B>);
    }

    /// Writes each visited field into `Args`.
    pub struct WriteArgs<'a>(pub &'a mut Args);

    impl FieldVisitor for WriteArgs<'_> {
        fn field<A: Argument>(&mut self, name: &str, value: Option<&A>) {
            if let Some(value) = value {
                self.0.put(name, value);
            }
        }
        fn flatten<B: Block>(&mut self, value: Option<&B>) {
            if let Some(value) = value {
                value.write_args(self.0);
            }
        }
    }

    /// Collects the shape of each visited field.
    #[derive(Default)]
    pub struct CollectShape(Vec<ArgShape>);

    impl CollectShape {
        /// The collected shape.
        pub fn into_shape(self) -> BlockShape {
            BlockShape { args: self.0 }
        }
    }

    impl FieldVisitor for CollectShape {
        fn field<A: Argument>(&mut self, name: &str, _: Option<&A>) {
            self.0.push(crate::args::arg_shape::<A>(name));
        }
        fn flatten<B: Block>(&mut self, _: Option<&B>) {
            self.0.extend(B::shape().args);
        }
    }

    /// Implementation of `interpolate!`.
    pub fn interpolate(format: &str, args: &[&dyn Interpolate]) -> Text {
        crate::text::interpolate_parts(format, args)
    }

    /// Attributes of a type whose derive failed (keeps follow-up errors away).
    #[derive(Debug, Clone)]
    pub struct NoAttrs(Node);

    impl Attributes for NoAttrs {
        fn for_node(node: Node) -> Self {
            NoAttrs(node)
        }
        fn node(&self) -> &Node {
            &self.0
        }
    }
}
