//! AWS IAM: roles, inline and managed policies. IAM is global: these resources are not
//! generic over a region and any provider may create them.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`iam:PassRole`).

use std::collections::BTreeMap;

use crate::policy::PolicyDocument;
use crate::{Arn, Block, Id, Resource, Text};

/// The generated `iam` types this module does not define (feature `iam`).
#[cfg(feature = "iam")]
pub use super::generated::iam::*;

/// A role (`aws_iam_role`).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::iam, policy::{PolicyDocument, Principal}};
/// let stack = Stack::new();
/// let role = stack.aws::<UsEast1>("primary").add("exec", iam::Role {
///     assume_role_policy: PolicyDocument::trust(Principal::service("lambda.amazonaws.com")),
///     opts: iam::RoleOpts { name: Some("payment-dev-exec".into()), ..Default::default() },
/// });
/// let _arn: infra_core::Arn<iam::Role> = role.arn();
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_iam_role", exports(arn: Arn<Self>, id: Id<Self>, name: Text, unique_id: Text))]
pub struct Role {
    /// Who may assume the role.
    pub assume_role_policy: PolicyDocument,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: RoleOpts,
}

/// Optional arguments of [`Role`].
#[derive(Block, Debug, Clone, Default)]
pub struct RoleOpts {
    /// The role's name.
    pub name: Option<Text>,
    /// What the role is for.
    pub description: Option<Text>,
    /// The IAM path.
    pub path: Option<Text>,
    /// Maximum session duration in seconds.
    pub max_session_duration: Option<u32>,
    /// A permissions boundary.
    pub permissions_boundary: Option<Arn<ManagedPolicy>>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
}

/// An inline policy of a role (`aws_iam_role_policy`).
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_iam_role_policy", exports(id: Id<Self>))]
pub struct RolePolicy {
    /// The role (its name, as `role.id()` gives it).
    pub role: Id<Role>,
    /// The policy's name.
    pub name: Text,
    /// The policy document.
    pub policy: PolicyDocument,
}

/// A managed policy (`aws_iam_policy`).
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_iam_policy", exports(arn: Arn<ManagedPolicy>, id: Id<Self>))]
pub struct Policy {
    /// The policy's name.
    pub name: Text,
    /// The policy document.
    pub policy: PolicyDocument,
    /// What the policy is for.
    pub description: Option<Text>,
}

/// Attaches a managed policy to a role (`aws_iam_role_policy_attachment`).
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_iam_role_policy_attachment", exports(id: Id<Self>))]
pub struct RolePolicyAttachment {
    /// The role's name.
    pub role: Id<Role>,
    /// The managed policy.
    pub policy_arn: Arn<ManagedPolicy>,
}

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
