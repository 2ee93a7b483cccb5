//! Procedural macros for [`infra-core`](https://docs.rs/infra-core): `#[derive(Resource)]`,
//! `#[derive(Block)]` and `stack!`.
//!
//! Use them through `infra_core`, which re-exports them. This crate only parses, checks and
//! generates code; the types the generated code names live in `infra_core`.
//!
//! Layout (as in serde_derive): `attr` parses `#[resource(...)]`, `ast` is the validated
//! model with pointers back to the user's tokens, `check` holds the cross-field rules,
//! `expand` generates the derives, `stack` parses and expands `stack!`, and `ctxt`
//! collects every error so one build reports all of them.

mod ast;
mod attr;
mod check;
mod ctxt;
mod expand;
mod stack;

use proc_macro::TokenStream;

/// Turns a struct into a Terraform resource or data source.
///
/// Container attribute `#[resource(...)]` keys:
/// - `type = "aws_kms_key"`: the managed resource type (or `data = "aws_region"` for a data source);
/// - `exports(arn: Arn<Self>, key_id: Id<Self>, name: Text)`: the attributes it exports, each
///   becoming a typed accessor on the handle `Ref<Self>` (`key.arn()`).
///
/// Field attribute `#[resource(...)]` keys: `rename = "name"` (the Terraform argument name
/// when the Rust name cannot be it) and `flatten` (a `#[derive(Block)]` struct whose arguments
/// are written inline, used for a resource's optional arguments). Fields typed `PhantomData`
/// are skipped. A struct with one type parameter is regional in it (the parameter must be the
/// region); a struct without one is global (IAM, Route 53).
///
/// ```
/// use infra_core::{Arn, Id, Region, Resource, Text};
/// use std::marker::PhantomData;
///
/// /// A queue (illustration).
/// #[derive(Resource, Default)]
/// #[resource(type = "aws_sqs_queue", exports(arn: Arn<Self>, id: Id<Self>))]
/// pub struct Queue<R: Region> {
///     /// The queue's name.
///     pub name: Option<Text>,
///     /// The region the queue lives in.
///     pub _region: PhantomData<R>,
/// }
/// assert_eq!(<Queue<infra_core::UsEast1> as infra_core::Resource>::TYPE, "aws_sqs_queue");
/// ```
#[proc_macro_derive(Resource, attributes(resource))]
pub fn derive_resource(input: TokenStream) -> TokenStream {
    expand::expand_resource(input.into()).into()
}

/// Turns a struct into a nested Terraform block (an object of arguments).
///
/// Fields follow the same rules as `#[derive(Resource)]`.
///
/// ```
/// use infra_core::{Block, Text};
///
/// /// A key attribute of a table.
/// #[derive(Block)]
/// pub struct Attribute {
///     /// The attribute's name.
///     pub name: Text,
///     /// `S`, `N` or `B`.
///     #[resource(rename = "type")]
///     pub kind: Text,
/// }
/// let mut args = infra_core::Args::new();
/// Attribute { name: "id".into(), kind: "S".into() }.write_args(&mut args);
/// assert_eq!(args.into_value(), serde_json::json!({"name": "id", "type": "S"}));
/// ```
#[proc_macro_derive(Block, attributes(resource))]
pub fn derive_block(input: TokenStream) -> TokenStream {
    expand::expand_block(input.into()).into()
}

/// Declares resources, data sources and outputs in a scope, naming each after its Rust binding.
///
/// ```
/// use infra_core::{stack, Stack, UsEast1, aws::{kms, sns}};
///
/// let app = Stack::new();
/// let east = app.aws::<UsEast1>("primary");
/// stack! {
///     in east;
///     data_key = kms::Key { enable_key_rotation: Some(true), ..Default::default() };
///     alarms = sns::Topic { kms_master_key_id: Some(data_key.key_id()), ..Default::default() };
///     output alarm_topic_arn = alarms.arn();
/// }
/// let json = app.synth().unwrap();
/// assert!(json.value()["resource"]["aws_sns_topic"]["primary_alarms"].is_object());
/// assert!(json.value()["output"]["primary_alarm_topic_arn"].is_object());
/// ```
///
/// Items, each ending with `;`:
/// - `name = <resource>;` or `name = <resource> with <Meta>;` adds a managed resource and binds
///   its handle to `name`;
/// - `data name = <data source>;` reads a data source;
/// - `output name = <value>;` or `output name: Type = <value>;` declares a plain output;
/// - `sensitive output name = <value>;` declares a sensitive output.
///
/// A name used twice is a compile error.
#[proc_macro]
pub fn stack(input: TokenStream) -> TokenStream {
    stack::expand_stack(input.into()).into()
}
