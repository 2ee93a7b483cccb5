//! The function's private network in one region: a VPC with two subnets and no internet
//! route, security groups that allow only HTTPS to AWS services, gateway endpoints for S3 and
//! DynamoDB, interface endpoints for KMS, SSM, CloudWatch Logs and CloudWatch, and flow logs
//! of all traffic.

use std::collections::BTreeMap;

use infra_core::aws::cloudwatch;
use infra_core::aws::{ec2, iam};
use infra_core::policy::{PolicyDocument, service};
use infra_core::{Aws, Ref, Region, Text};

use crate::Config;
use crate::keys::Keys;
use crate::observability::log_group;
use crate::regional::AUDIT_LOG_DAYS;

/// What the function needs of the network: its subnets and its security group.
pub struct Network<R: Region> {
    /// The two private subnets.
    pub subnets: [Ref<ec2::Subnet<R>>; 2],
    /// The function's security group (HTTPS to the endpoints only).
    pub function_sg: Ref<ec2::SecurityGroup<R>>,
}

/// The VPC's address range (the same in each region: the VPCs are never peered).
pub const VPC_CIDR: &str = "10.40.0.0/16";

/// The services reached through interface endpoints (private DNS, both subnets).
const INTERFACE_ENDPOINTS: [&str; 4] = ["kms", "ssm", "logs", "monitoring"];

/// The `Name` tag of a network resource.
fn tags(cfg: &Config, name: &str) -> BTreeMap<String, Text> {
    BTreeMap::from([("Name".to_owned(), Text::from(cfg.name(name)))])
}

/// The network of region `R`.
pub fn network<R: Region>(aws: &Aws<'_, R>, cfg: &Config, keys: &Keys<'_, R>) -> Network<R> {
    let vpc = aws.add(
        "vpc",
        ec2::Vpc {
            cidr_block: VPC_CIDR.into(),
            opts: ec2::VpcOpts {
                enable_dns_support: Some(true),
                enable_dns_hostnames: Some(true),
                tags: tags(cfg, "vpc"),
                ..Default::default()
            },
        },
    );
    // The default group is taken over with no rules, so nothing can use it.
    aws.add(
        "default_sg",
        ec2::DefaultSecurityGroup {
            vpc_id: vpc.id(),
            opts: Default::default(),
        },
    );
    let subnets = [("a", "10.40.1.0/24"), ("b", "10.40.2.0/24")].map(|(zone, cidr)| {
        aws.add(
            &format!("subnet_{zone}"),
            ec2::Subnet {
                vpc_id: vpc.id(),
                cidr_block: cidr.into(),
                opts: ec2::SubnetOpts {
                    availability_zone: Some(format!("{}{zone}", R::NAME).into()),
                    map_public_ip_on_launch: Some(false),
                    tags: tags(cfg, &format!("private-{zone}")),
                    ..Default::default()
                },
            },
        )
    });
    let routes = aws.add(
        "routes",
        ec2::RouteTable {
            vpc_id: vpc.id(),
            opts: ec2::RouteTableOpts {
                tags: tags(cfg, "private"),
                ..Default::default()
            },
        },
    );
    for (zone, subnet) in ["a", "b"].iter().zip(&subnets) {
        aws.add(
            &format!("routes_{zone}"),
            ec2::RouteTableAssociation {
                route_table_id: routes.id(),
                subnet_id: subnet.id(),
                opts: Default::default(),
            },
        );
    }
    let function_sg = endpoints(aws, cfg, &vpc, &routes, &subnets);
    flow_logs(aws, cfg, keys, &vpc);
    Network {
        subnets,
        function_sg,
    }
}

/// HTTPS on port 443, described.
fn https(description: &str) -> ec2::RuleOpts {
    ec2::RuleOpts {
        description: Some(description.into()),
        from_port: Some(443),
        to_port: Some(443),
        ..Default::default()
    }
}

/// The endpoints and the security groups between the function and them; returns the
/// function's group.
fn endpoints<R: Region>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    vpc: &Ref<ec2::Vpc<R>>,
    routes: &Ref<ec2::RouteTable<R>>,
    subnets: &[Ref<ec2::Subnet<R>>; 2],
) -> Ref<ec2::SecurityGroup<R>> {
    let group = |name: &str, purpose: &str, description: &str| {
        aws.add(
            name,
            ec2::SecurityGroup {
                vpc_id: vpc.id(),
                opts: ec2::SecurityGroupOpts {
                    name: Some(cfg.name(purpose).into()),
                    description: Some(description.into()),
                    ..Default::default()
                },
            },
        )
    };
    let function_sg = group(
        "function_sg",
        "processor",
        "payment processor: HTTPS to VPC endpoints only",
    );
    let endpoint_sg = group(
        "endpoint_sg",
        "endpoints",
        "interface endpoints: HTTPS from the payment processor",
    );
    aws.add(
        "endpoint_ingress",
        ec2::SecurityGroupIngressRule {
            security_group_id: endpoint_sg.id(),
            ip_protocol: ec2::IpProtocol::Tcp,
            peer: ec2::Peer::security_group(function_sg.id()),
            opts: https("HTTPS from the payment processor"),
        },
    );
    let egress = |name: &str, peer: ec2::Peer<R>, description: &str| {
        aws.add(
            name,
            ec2::SecurityGroupEgressRule {
                security_group_id: function_sg.id(),
                ip_protocol: ec2::IpProtocol::Tcp,
                peer,
                opts: https(description),
            },
        );
    };
    egress(
        "egress_endpoints",
        ec2::Peer::security_group(endpoint_sg.id()),
        "HTTPS to interface endpoints",
    );
    for (service, name) in [("dynamodb", "DynamoDB"), ("s3", "S3")] {
        let gateway = aws.add(
            &format!("{service}_endpoint"),
            ec2::VpcEndpoint {
                vpc_id: vpc.id(),
                service_name: ec2::service_name::<R>(service),
                opts: ec2::VpcEndpointOpts {
                    vpc_endpoint_type: Some(ec2::VpcEndpointType::Gateway),
                    route_table_ids: vec![routes.id()],
                    ..Default::default()
                },
            },
        );
        egress(
            &format!("egress_{service}"),
            ec2::Peer::prefix_list(gateway.prefix_list_id()),
            &format!("HTTPS to {name} through its gateway endpoint"),
        );
    }
    interface_endpoints(aws, vpc, subnets, &endpoint_sg);
    function_sg
}

/// The interface endpoints of [`INTERFACE_ENDPOINTS`]: private DNS, in both subnets, behind
/// the endpoint security group.
fn interface_endpoints<R: Region>(
    aws: &Aws<'_, R>,
    vpc: &Ref<ec2::Vpc<R>>,
    subnets: &[Ref<ec2::Subnet<R>>; 2],
    endpoint_sg: &Ref<ec2::SecurityGroup<R>>,
) {
    for service in INTERFACE_ENDPOINTS {
        aws.add(
            &format!("{service}_endpoint"),
            ec2::VpcEndpoint {
                vpc_id: vpc.id(),
                service_name: ec2::service_name::<R>(service),
                opts: ec2::VpcEndpointOpts {
                    vpc_endpoint_type: Some(ec2::VpcEndpointType::Interface),
                    subnet_ids: subnets.iter().map(|s| s.id()).collect(),
                    security_group_ids: vec![endpoint_sg.id()],
                    private_dns_enabled: Some(true),
                    ..Default::default()
                },
            },
        );
    }
}

/// Flow logs of all traffic, kept [`AUDIT_LOG_DAYS`] in a log group encrypted with the
/// operations key, written by their own role.
fn flow_logs<R: Region>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    keys: &Keys<'_, R>,
    vpc: &Ref<ec2::Vpc<R>>,
) {
    let name = format!("/aws/vpc/{}", cfg.name("flow-logs"));
    let group = log_group(aws, keys, "flow_logs", name, AUDIT_LOG_DAYS);
    let role = aws.add(
        "flow_logs_role",
        iam::Role {
            assume_role_policy: PolicyDocument::trust(service::VpcFlowLogs),
            opts: iam::RoleOpts {
                name: Some(format!("{}-{}", cfg.name("flow-logs"), R::NAME).into()),
                ..Default::default()
            },
        },
    );
    aws.add(
        "flow_logs_policy",
        iam::RolePolicy {
            role: role.id(),
            name: cfg.name("flow-logs").into(),
            policy: PolicyDocument::new().allow(
                [cloudwatch::CreateLogStream, cloudwatch::PutLogEvents],
                group.streams_arn(),
            ),
            opts: Default::default(),
        },
    );
    aws.add(
        "flow_log",
        ec2::FlowLog {
            vpc_id: vpc.id(),
            traffic_type: ec2::TrafficType::All,
            destination: ec2::FlowLogDestination::cloudwatch(group.arn(), role.arn()),
            opts: Default::default(),
        },
    );
}
