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
use crate::policy::PolicyDocument;
use crate::{Arn, Block, Id, Region, Resource, Text, string_enum};

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

/// A VPC (`aws_vpc`).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::ec2};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let vpc = east.add("vpc", ec2::Vpc {
///     cidr_block: "10.0.0.0/16".into(),
///     opts: ec2::VpcOpts {
///         enable_dns_support: Some(true),
///         enable_dns_hostnames: Some(true),
///         ..Default::default()
///     },
/// });
/// let subnet = east.add("private_a", ec2::Subnet {
///     vpc_id: vpc.id(),
///     cidr_block: "10.0.1.0/24".into(),
///     opts: ec2::SubnetOpts {
///         map_public_ip_on_launch: Some(false),
///         ..Default::default()
///     },
/// });
/// let _sg = east.add("default_sg", ec2::DefaultSecurityGroup {
///     vpc_id: vpc.id(),
///     opts: Default::default(),
/// });
/// let json = stack.synth().unwrap();
/// let subnet_json = &json.value()["resource"]["aws_subnet"]["primary_private_a"];
/// assert_eq!(subnet_json["vpc_id"], "${aws_vpc.primary_vpc.id}");
/// assert_eq!(subnet_json["map_public_ip_on_launch"], false);
/// # let _ = subnet;
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_vpc",
    exports(
        arn: Arn<Self>,
        id: Id<Self>,
        default_security_group_id: Id<SecurityGroup<R>>,
        default_route_table_id: Id<RouteTable<R>>,
        main_route_table_id: Id<RouteTable<R>>
    )
)]
pub struct Vpc<R: Region> {
    /// The IPv4 CIDR block (`10.0.0.0/16`).
    pub cidr_block: Text,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: VpcOpts<R>,
}

/// Optional arguments of [`Vpc`].
#[derive(Block, Debug, Clone, Default)]
pub struct VpcOpts<R: Region> {
    /// DNS resolution through the Amazon-provided server (needed by interface endpoints).
    pub enable_dns_support: Option<bool>,
    /// DNS hostnames for instances (needed by interface endpoints with private DNS).
    pub enable_dns_hostnames: Option<bool>,
    /// `default` or `dedicated`.
    pub instance_tenancy: Option<Text>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
    /// The region the VPC lives in.
    pub _region: PhantomData<R>,
}

/// A subnet (`aws_subnet`).
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_subnet",
    exports(arn: Arn<Self>, id: Id<Self>, availability_zone: Text)
)]
pub struct Subnet<R: Region> {
    /// The VPC.
    pub vpc_id: Id<Vpc<R>>,
    /// The IPv4 CIDR block, inside the VPC's.
    pub cidr_block: Text,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: SubnetOpts,
}

/// Optional arguments of [`Subnet`].
#[derive(Block, Debug, Clone, Default)]
pub struct SubnetOpts {
    /// The availability zone (`zones.name(0)` of [`crate::aws::data::AvailabilityZones`]).
    pub availability_zone: Option<Text>,
    /// Whether instances get a public IP. The secure choice for private subnets is `Some(false)`.
    pub map_public_ip_on_launch: Option<bool>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
}

/// A security group (`aws_security_group`), without inline rules: add
/// [`SecurityGroupIngressRule`] and [`SecurityGroupEgressRule`] resources.
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_security_group",
    exports(arn: Arn<Self>, id: Id<Self>, name: Text)
)]
pub struct SecurityGroup<R: Region> {
    /// The VPC (required here: without it the group lands in the default VPC).
    pub vpc_id: Id<Vpc<R>>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: SecurityGroupOpts,
}

/// Optional arguments of [`SecurityGroup`].
#[derive(Block, Debug, Clone, Default)]
pub struct SecurityGroupOpts {
    /// The group's name.
    pub name: Option<Text>,
    /// What the group is for (cannot change without replacing the group).
    pub description: Option<Text>,
    /// Revoke the group's rules before deleting it (breaks cycles between groups).
    pub revoke_rules_on_delete: Option<bool>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
}

/// The VPC's default security group (`aws_default_security_group`).
///
/// It declares no rules, so Terraform removes every ingress and egress rule of the default group
/// when it adopts it: resources left in the default group can reach nothing.
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_default_security_group", exports(arn: Arn<Self>, id: Id<SecurityGroup<R>>))]
pub struct DefaultSecurityGroup<R: Region> {
    /// The VPC whose default group to restrict.
    pub vpc_id: Id<Vpc<R>>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: DefaultSecurityGroupOpts,
}

/// Optional arguments of [`DefaultSecurityGroup`].
#[derive(Block, Debug, Clone, Default)]
pub struct DefaultSecurityGroupOpts {
    /// Revoke the group's rules on delete.
    pub revoke_rules_on_delete: Option<bool>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
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

/// Optional arguments of a security group rule.
#[derive(Block, Debug, Clone, Default)]
pub struct RuleOpts {
    /// What the rule is for.
    pub description: Option<Text>,
    /// First port (or ICMP type); leave unset with [`IpProtocol::All`].
    pub from_port: Option<i32>,
    /// Last port (or ICMP code); leave unset with [`IpProtocol::All`].
    pub to_port: Option<i32>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
}

/// An inbound rule of a security group (`aws_vpc_security_group_ingress_rule`).
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_vpc_security_group_ingress_rule",
    exports(arn: Arn<Self>, id: Id<Self>, security_group_rule_id: Id<Self>)
)]
pub struct SecurityGroupIngressRule<R: Region> {
    /// The group the rule belongs to.
    pub security_group_id: Id<SecurityGroup<R>>,
    /// The protocol.
    pub ip_protocol: IpProtocol,
    /// Where traffic may come from.
    #[resource(flatten)]
    pub peer: Peer<R>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: RuleOpts,
}

/// An outbound rule of a security group (`aws_vpc_security_group_egress_rule`).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::ec2};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let vpc = east.add("vpc", ec2::Vpc { cidr_block: "10.0.0.0/16".into(), opts: Default::default() });
/// let sg = east.add("lambda", ec2::SecurityGroup {
///     vpc_id: vpc.id(),
///     opts: ec2::SecurityGroupOpts { description: Some("payment lambda".into()), ..Default::default() },
/// });
/// east.add("lambda_https_out", ec2::SecurityGroupEgressRule {
///     security_group_id: sg.id(),
///     ip_protocol: ec2::IpProtocol::Tcp,
///     peer: ec2::Peer::cidr_ipv4("10.0.0.0/16"),
///     opts: ec2::RuleOpts {
///         description: Some("HTTPS to interface endpoints".into()),
///         from_port: Some(443),
///         to_port: Some(443),
///         ..Default::default()
///     },
/// });
/// let json = stack.synth().unwrap();
/// let rule = &json.value()["resource"]["aws_vpc_security_group_egress_rule"]["primary_lambda_https_out"];
/// assert_eq!(rule["cidr_ipv4"], "10.0.0.0/16");
/// assert_eq!(rule["ip_protocol"], "tcp");
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_vpc_security_group_egress_rule",
    exports(arn: Arn<Self>, id: Id<Self>, security_group_rule_id: Id<Self>)
)]
pub struct SecurityGroupEgressRule<R: Region> {
    /// The group the rule belongs to.
    pub security_group_id: Id<SecurityGroup<R>>,
    /// The protocol.
    pub ip_protocol: IpProtocol,
    /// Where traffic may go.
    #[resource(flatten)]
    pub peer: Peer<R>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: RuleOpts,
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

/// A VPC endpoint (`aws_vpc_endpoint`).
///
/// ```
/// use infra_core::{Stack, UsWest2, aws::ec2};
/// let stack = Stack::new();
/// let west = stack.aws::<UsWest2>("secondary");
/// let vpc = west.add("vpc", ec2::Vpc { cidr_block: "10.1.0.0/16".into(), opts: Default::default() });
/// let rt = west.add("private", ec2::RouteTable { vpc_id: vpc.id(), opts: Default::default() });
/// let ddb = west.add("dynamodb", ec2::VpcEndpoint {
///     vpc_id: vpc.id(),
///     service_name: ec2::service_name::<UsWest2>("dynamodb"),
///     opts: ec2::VpcEndpointOpts {
///         vpc_endpoint_type: Some(ec2::VpcEndpointType::Gateway),
///         route_table_ids: vec![rt.id()],
///         ..Default::default()
///     },
/// });
/// let _pl: infra_core::Id<ec2::PrefixList<UsWest2>> = ddb.prefix_list_id();
/// let json = stack.synth().unwrap();
/// let ep = &json.value()["resource"]["aws_vpc_endpoint"]["secondary_dynamodb"];
/// assert_eq!(ep["service_name"], "com.amazonaws.us-west-2.dynamodb");
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_vpc_endpoint",
    exports(arn: Arn<Self>, id: Id<Self>, prefix_list_id: Id<PrefixList<R>>)
)]
pub struct VpcEndpoint<R: Region> {
    /// The VPC.
    pub vpc_id: Id<Vpc<R>>,
    /// The service (`service_name::<R>("dynamodb")`).
    pub service_name: Text,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: VpcEndpointOpts<R>,
}

/// Optional arguments of [`VpcEndpoint`].
#[derive(Block, Debug, Clone, Default)]
pub struct VpcEndpointOpts<R: Region> {
    /// Gateway or Interface (the provider defaults to Gateway).
    pub vpc_endpoint_type: Option<VpcEndpointType>,
    /// Route tables of a gateway endpoint.
    pub route_table_ids: Vec<Id<RouteTable<R>>>,
    /// Subnets of an interface endpoint.
    pub subnet_ids: Vec<Id<Subnet<R>>>,
    /// Security groups of an interface endpoint.
    pub security_group_ids: Vec<Id<SecurityGroup<R>>>,
    /// Private DNS for an interface endpoint.
    pub private_dns_enabled: Option<bool>,
    /// The endpoint policy (the default allows everything).
    pub policy: Option<PolicyDocument>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
}

/// A route table (`aws_route_table`), without inline routes.
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_route_table", exports(arn: Arn<Self>, id: Id<Self>))]
pub struct RouteTable<R: Region> {
    /// The VPC.
    pub vpc_id: Id<Vpc<R>>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: RouteTableOpts,
}

/// Optional arguments of [`RouteTable`].
#[derive(Block, Debug, Clone, Default)]
pub struct RouteTableOpts {
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
}

/// Associates a subnet with a route table (`aws_route_table_association`).
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_route_table_association", exports(id: Id<Self>))]
pub struct RouteTableAssociation<R: Region> {
    /// The route table.
    pub route_table_id: Id<RouteTable<R>>,
    /// The subnet.
    pub subnet_id: Id<Subnet<R>>,
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

/// A VPC flow log (`aws_flow_log`).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::{cloudwatch, ec2, iam}};
/// use infra_core::policy::{PolicyDocument, service};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let vpc = east.add("vpc", ec2::Vpc { cidr_block: "10.0.0.0/16".into(), opts: Default::default() });
/// let group = east.add("flow", cloudwatch::LogGroup::default());
/// let role = east.add("flow", iam::Role {
///     assume_role_policy: PolicyDocument::trust(service::VpcFlowLogs),
///     opts: Default::default(),
/// });
/// east.add("vpc", ec2::FlowLog {
///     vpc_id: vpc.id(),
///     traffic_type: ec2::TrafficType::All,
///     destination: ec2::FlowLogDestination::cloudwatch(group.arn(), role.arn()),
///     opts: Default::default(),
/// });
/// let json = stack.synth().unwrap();
/// let log = &json.value()["resource"]["aws_flow_log"]["primary_vpc"];
/// assert_eq!(log["log_destination_type"], "cloud-watch-logs");
/// assert_eq!(log["iam_role_arn"], "${aws_iam_role.primary_flow.arn}");
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_flow_log", exports(arn: Arn<Self>, id: Id<Self>))]
pub struct FlowLog<R: Region> {
    /// The VPC to record.
    pub vpc_id: Id<Vpc<R>>,
    /// Which traffic to record.
    pub traffic_type: TrafficType,
    /// Where to deliver the records.
    #[resource(flatten)]
    pub destination: FlowLogDestination<R>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: FlowLogOpts,
}

/// Optional arguments of [`FlowLog`].
#[derive(Block, Debug, Clone, Default)]
pub struct FlowLogOpts {
    /// A custom record format.
    pub log_format: Option<Text>,
    /// 60 or 600 seconds.
    pub max_aggregation_interval: Option<u32>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
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
