//! AWS IAM: roles, inline and managed policies. IAM is global: these resources are not
//! generic over a region and any provider may create them.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`iam:PassRole`).

use std::marker::PhantomData;

pub use crate::policy::{AnyTrust, Trust, TrustPolicy};
use crate::{Arn, Block, Id, Resource, Text};

/// The overlay-typed types (`infra-core/overlay/types/iam.toml`): `Role` (whose `Resource`
/// impl and attributes are below), `RolePolicy`, `Policy`, `RolePolicyAttachment`.
pub use super::generated::overlay::iam::*;

/// The generated `iam` types this module does not define (feature `iam`).
#[cfg(feature = "iam")]
pub use super::generated::iam::*;

/// The attributes [`Role`] exports, read through its handle `Ref<Role<T>>`.
#[derive(Debug, Clone)]
pub struct RoleAttrs<T> {
    node: crate::Node,
    trust: PhantomData<fn() -> T>,
}

impl<T> crate::Attributes for RoleAttrs<T> {
    fn for_node(node: crate::Node) -> Self {
        Self {
            node,
            trust: PhantomData,
        }
    }
    fn node(&self) -> &crate::Node {
        &self.node
    }
}

impl<T: Trust> RoleAttrs<T> {
    /// The `arn` attribute: the ARN of a role that `T` may assume.
    pub fn arn(&self) -> Arn<Role<T>> {
        Arn::from_attribute(&self.node, "arn")
    }
    /// The `id` attribute (the role's name), which inline policies and attachments take.
    pub fn id(&self) -> Id<Role> {
        Id::from_attribute(&self.node, "id")
    }
    /// The `name` attribute.
    pub fn name(&self) -> Text {
        self.node.attribute("name")
    }
    /// The `unique_id` attribute.
    pub fn unique_id(&self) -> Text {
        self.node.attribute("unique_id")
    }
}

// Written by hand rather than derived: the derive reads a resource's type parameter as its
// region, and a role is global, typed by its trust instead.
impl<T: Trust> Resource for Role<T> {
    const TYPE: &'static str = "aws_iam_role";
    const KIND: crate::NodeKind = crate::NodeKind::Resource;
    type Attrs = RoleAttrs<T>;
    fn write_args(&self, args: &mut crate::Args) {
        Block::write_args(self, args)
    }
    fn shape() -> crate::shape::BlockShape {
        <Self as Block>::shape()
    }
}

impl<T: Trust> crate::Managed for Role<T> {}
impl<T: Trust, R: crate::Region> crate::InRegion<R> for Role<T> {}

/// A managed policy, AWS's or the account's; only its ARN is used.
#[derive(Debug, Clone, Copy)]
pub struct ManagedPolicy;

impl ManagedPolicy {
    /// An AWS managed policy by name (`AWSXRayDaemonWriteAccess`).
    pub fn aws(name: &str) -> Arn<ManagedPolicy> {
        Arn::from_text(Text::literal(format!("arn:aws:iam::aws:policy/{name}")))
    }

    /// An AWS managed service-role policy (`service-role/AmazonAPIGatewayPushToCloudWatchLogs`).
    pub fn aws_service_role(name: &str) -> Arn<ManagedPolicy> {
        Arn::from_text(Text::literal(format!(
            "arn:aws:iam::aws:policy/service-role/{name}"
        )))
    }
}

/// The `iam` IAM actions, generated from AWS's authorization data.
pub use crate::iam::iam::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{PolicyDocument, service};
    use crate::testing::assert_conforms as conforms;
    use crate::{Stack, UsEast1};

    #[test]
    fn a_role_of_any_trust_conforms_to_the_provider_schema() {
        conforms::<Role>();
        conforms::<Role<service::Lambda>>();
    }

    #[test]
    fn a_typed_role_renders_its_trust_and_converts_to_some_role() {
        let stack = Stack::new();
        let role = stack.aws::<UsEast1>("primary").add(
            "exec",
            Role {
                assume_role_policy: PolicyDocument::trust(service::Lambda),
                opts: RoleOpts::default(),
            },
        );
        let typed: Arn<Role<service::Lambda>> = role.arn();
        let some: Arn<Role> = typed.clone().into();
        assert_eq!(some.text(), typed.text());
        assert_eq!(role.id().text().render(), "${aws_iam_role.primary_exec.id}");
        let json = stack.synth_unchecked().unwrap();
        let trust: serde_json::Value = serde_json::from_str(
            json.value()["resource"]["aws_iam_role"]["primary_exec"]["assume_role_policy"]
                .as_str()
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            trust["Statement"][0]["Principal"]["Service"],
            serde_json::json!(["lambda.amazonaws.com"])
        );
    }
}
