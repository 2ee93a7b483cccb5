//! The lazy resource graph: every resource and data source of a stack stays a typed node until
//! [`Stack::synth`](crate::Stack::synth).
//!
//! [`Aws::add`](crate::Aws::add) stores the resource itself (its Rust value, not its JSON), with
//! its meta-arguments and the place in the user's code that added it. Until synthesis, a handle
//! can still change its node ([`Stack::amend`](crate::Stack::amend)): a grant appends a
//! statement to a role's policy, a bucket gains a policy statement. Synthesis writes each node's
//! arguments once, in address order, so the output is byte-stable whatever order the nodes were
//! amended in, and its cost is one `write_args` per node.

use std::any::Any;
use std::fmt;
use std::panic::Location;

use serde_json::{Value, json};

use crate::args::Args;
use crate::refs::Node;
use crate::resource::Resource;
use crate::stack::Meta;

/// A resource of any type, as the graph stores it (boxed by the caller, so that the graph's
/// code is compiled once rather than once per resource type).
pub(crate) trait Typed: 'static {
    fn write_args(&self, args: &mut Args);
    fn as_any(&self) -> &dyn Any;
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Resource> Typed for T {
    fn write_args(&self, args: &mut Args) {
        Resource::write_args(self, args);
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// One node of the graph: the typed resource, its provider, its meta-arguments and where the
/// user's code added it.
pub(crate) struct Entry {
    resource: Box<dyn Typed>,
    provider: String,
    pub(crate) meta: Meta,
    pub(crate) location: &'static Location<'static>,
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entry")
            .field("provider", &self.provider)
            .field("location", &format_args!("{}", self.location))
            .finish_non_exhaustive()
    }
}

impl Entry {
    /// A node for `resource`, created by provider `provider` (its alias).
    pub(crate) fn new(
        resource: Box<dyn Typed>,
        provider: &str,
        meta: Meta,
        location: &'static Location<'static>,
    ) -> Self {
        Self {
            resource,
            provider: provider.to_owned(),
            meta,
            location,
        }
    }

    /// The typed resource, when it is a `T`.
    pub(crate) fn get<T: Resource>(&self) -> Option<&T> {
        self.resource.as_any().downcast_ref()
    }

    /// The typed resource, mutably, when it is a `T`.
    pub(crate) fn get_mut<T: Resource>(&mut self) -> Option<&mut T> {
        self.resource.as_any_mut().downcast_mut()
    }

    /// The node's JSON body: its arguments, `provider`, `depends_on` and `lifecycle`. Raw
    /// overrides are applied by the caller, which reports the ones that do not fit.
    pub(crate) fn body(&self) -> Value {
        let mut args = Args::new();
        self.resource.write_args(&mut args);
        let mut body = args.into_map();
        body.insert("provider".into(), json!(format!("aws.{}", self.provider)));
        let meta = &self.meta;
        if !meta.depends_on.is_empty() {
            let deps: Vec<String> = meta.depends_on.iter().map(Node::address).collect();
            body.insert("depends_on".into(), json!(deps));
        }
        let mut lifecycle = serde_json::Map::new();
        if meta.create_before_destroy {
            lifecycle.insert("create_before_destroy".into(), json!(true));
        }
        if meta.prevent_destroy {
            lifecycle.insert("prevent_destroy".into(), json!(true));
        }
        if !meta.ignore_changes.is_empty() {
            lifecycle.insert("ignore_changes".into(), json!(meta.ignore_changes));
        }
        if !lifecycle.is_empty() {
            body.insert("lifecycle".into(), Value::Object(lifecycle));
        }
        Value::Object(body.into_iter().collect())
    }
}
