// An interface endpoint's `subnet_configuration` names one of its subnets; a security group's
// ID is not a subnet's.
use infra_core::aws::ec2;
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let vpc = east.add("vpc", ec2::Vpc { cidr_block: "10.0.0.0/16".into(), opts: Default::default() });
    let sg = east.add("endpoints", ec2::SecurityGroup { vpc_id: vpc.id(), opts: Default::default() });
    east.add("sqs", ec2::VpcEndpoint {
        vpc_id: vpc.id(),
        service_name: ec2::service_name::<UsEast1>("sqs"),
        opts: ec2::VpcEndpointOpts {
            vpc_endpoint_type: Some(ec2::VpcEndpointType::Interface),
            subnet_configuration: vec![ec2::vpc_endpoint::SubnetConfiguration {
                subnet_id: Some(sg.id()),
                ipv4: Some("10.0.1.10".into()),
                ..Default::default()
            }],
            ..Default::default()
        },
    });
}
