//! Amazon VPC (the `ec2` service): VPCs, subnets, security groups and their rules, route tables,
//! VPC endpoints and flow logs.
//!
//! Every resource here is regional: a subnet takes an `Id<Vpc<R>>` of its own region, a rule an
//! `Id<SecurityGroup<R>>`, so wiring across regions does not compile. Security group rules are
//! separate resources (`aws_vpc_security_group_ingress_rule` / `_egress_rule`), never inline
//! `ingress`/`egress` arguments, and a [`DefaultSecurityGroup`] declares no rules, which makes
//! Terraform remove every rule of the VPC's default group.

use std::collections::BTreeMap;
use std::marker::PhantomData;

use crate::aws::{cloudwatch, iam, s3};
use crate::{Arn, Block, Id, Region, Text, string_enum};

/// The overlay-typed types (`infra-core/overlay/types/ec2.toml`): `Vpc`, `Subnet`,
/// `SecurityGroup`, `DefaultSecurityGroup`, `SecurityGroupIngressRule`,
/// `SecurityGroupEgressRule`, `VpcEndpoint`, `RouteTable`, `RouteTableAssociation`, `FlowLog`.
pub use super::generated::overlay::ec2::*;

/// The generated `ec2` types this module does not define (feature `ec2`).
#[cfg(feature = "ec2")]
pub use super::generated::ec2::*;

/// The name of an AWS service endpoint in region `R`, for [`VpcEndpoint::service_name`].
///
/// ```
/// use infra_core::{UsEast1, aws::ec2};
/// assert_eq!(
///     ec2::service_name::<UsEast1>("dynamodb").render(),
///     "com.amazonaws.us-east-1.dynamodb"
/// );
/// ```
pub fn service_name<R: Region>(service: &str) -> Text {
    Text::literal(format!("com.amazonaws.{}.{service}", R::NAME))
}

string_enum! {
    /// The IP protocol of a security group rule.
    pub enum IpProtocol {
        /// TCP.
        Tcp = "tcp",
        /// UDP.
        Udp = "udp",
        /// ICMP.
        Icmp = "icmp",
        /// Every protocol and port (`-1`).
        All = "-1",
    }
}

/// The managed prefix list of a gateway endpoint's service (what its `prefix_list_id` names).
#[derive(Debug)]
pub struct PrefixList<R>(PhantomData<R>);

/// The other side of a security group rule: exactly one CIDR block, prefix list or group.
///
/// ```
/// use infra_core::{Id, Node, NodeKind, UsEast1, aws::ec2};
/// let endpoint = Node::new(NodeKind::Resource, "aws_vpc_endpoint", "dynamodb");
/// let peer = ec2::Peer::<UsEast1>::prefix_list(Id::from_attribute(&endpoint, "prefix_list_id"));
/// let mut args = infra_core::Args::new();
/// infra_core::Block::write_args(&peer, &mut args);
/// assert_eq!(
///     args.into_value(),
///     serde_json::json!({"prefix_list_id": "${aws_vpc_endpoint.dynamodb.prefix_list_id}"})
/// );
/// ```
#[derive(Block, Debug, Clone)]
pub struct Peer<R: Region> {
    cidr_ipv4: Option<Text>,
    cidr_ipv6: Option<Text>,
    prefix_list_id: Option<Id<PrefixList<R>>>,
    referenced_security_group_id: Option<Id<SecurityGroup<R>>>,
}

impl<R: Region> Peer<R> {
    fn empty() -> Self {
        Self {
            cidr_ipv4: None,
            cidr_ipv6: None,
            prefix_list_id: None,
            referenced_security_group_id: None,
        }
    }

    /// An IPv4 CIDR block (`10.0.0.0/16`).
    pub fn cidr_ipv4(cidr: impl Into<Text>) -> Self {
        Self {
            cidr_ipv4: Some(cidr.into()),
            ..Self::empty()
        }
    }

    /// An IPv6 CIDR block.
    pub fn cidr_ipv6(cidr: impl Into<Text>) -> Self {
        Self {
            cidr_ipv6: Some(cidr.into()),
            ..Self::empty()
        }
    }

    /// A managed prefix list, such as a gateway endpoint's (`endpoint.prefix_list_id()`).
    pub fn prefix_list(id: Id<PrefixList<R>>) -> Self {
        Self {
            prefix_list_id: Some(id),
            ..Self::empty()
        }
    }

    /// Another security group of the same region.
    pub fn security_group(id: Id<SecurityGroup<R>>) -> Self {
        Self {
            referenced_security_group_id: Some(id),
            ..Self::empty()
        }
    }
}

/// Optional arguments of a security group rule, the same for [`SecurityGroupIngressRule`] and
/// [`SecurityGroupEgressRule`] (whole port numbers, `-1` for ICMP's "any").
#[derive(Block, Debug, Clone, Default)]
pub struct RuleOpts {
    /// What the rule is for.
    pub description: Option<Text>,
    /// First port (or ICMP type); leave unset with [`IpProtocol::All`].
    pub from_port: Option<i32>,
    /// Last port (or ICMP code); leave unset with [`IpProtocol::All`].
    pub to_port: Option<i32>,
    /// Resource tags.
    pub tags: BTreeMap<String, Text>,
}

string_enum! {
    /// The kind of a VPC endpoint.
    pub enum VpcEndpointType {
        /// A gateway endpoint (S3, DynamoDB), routed through route tables.
        Gateway = "Gateway",
        /// An interface endpoint (an ENI in each subnet).
        Interface = "Interface",
    }
}

string_enum! {
    /// Which traffic a flow log records.
    pub enum TrafficType {
        /// Accepted and rejected traffic.
        All = "ALL",
        /// Accepted traffic.
        Accept = "ACCEPT",
        /// Rejected traffic.
        Reject = "REJECT",
    }
}

/// Where a flow log delivers: a log group (with the role that writes to it) or a bucket, of the
/// flow log's own region.
#[derive(Block, Debug, Clone)]
pub struct FlowLogDestination<R: Region> {
    log_destination: Text,
    log_destination_type: Text,
    iam_role_arn: Option<Arn<iam::Role>>,
    _region: PhantomData<R>,
}

impl<R: Region> FlowLogDestination<R> {
    /// A CloudWatch Logs group, written by `role`, a role that VPC flow logs may assume.
    pub fn cloudwatch(
        group: Arn<cloudwatch::LogGroup<R>>,
        role: Arn<iam::Role<crate::policy::service::VpcFlowLogs>>,
    ) -> Self {
        Self {
            log_destination: group.into(),
            log_destination_type: "cloud-watch-logs".into(),
            iam_role_arn: Some(role.into()),
            _region: PhantomData,
        }
    }

    /// An S3 bucket.
    pub fn s3(bucket: Arn<s3::Bucket<R>>) -> Self {
        Self {
            log_destination: bucket.into(),
            log_destination_type: "s3".into(),
            iam_role_arn: None,
            _region: PhantomData,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UsEast1;
    use crate::testing::assert_conforms as conforms;

    #[test]
    fn shapes_conform_to_the_provider_schema() {
        conforms::<Vpc<UsEast1>>();
        conforms::<Subnet<UsEast1>>();
        conforms::<SecurityGroup<UsEast1>>();
        conforms::<DefaultSecurityGroup<UsEast1>>();
        conforms::<SecurityGroupIngressRule<UsEast1>>();
        conforms::<SecurityGroupEgressRule<UsEast1>>();
        conforms::<VpcEndpoint<UsEast1>>();
        conforms::<RouteTable<UsEast1>>();
        conforms::<RouteTableAssociation<UsEast1>>();
        conforms::<FlowLog<UsEast1>>();
    }
}
