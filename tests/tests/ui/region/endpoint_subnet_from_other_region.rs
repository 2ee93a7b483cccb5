// An endpoint's subnets are of its own region: a us-east-1 endpoint cannot sit in a us-west-2
// subnet.
use infra_core::aws::ec2;
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let west_vpc = west.add("vpc", ec2::Vpc { cidr_block: "10.1.0.0/16".into(), opts: Default::default() });
    let west_subnet = west.add("private", ec2::Subnet {
        vpc_id: west_vpc.id(),
        cidr_block: "10.1.1.0/24".into(),
        opts: Default::default(),
    });
    let vpc = east.add("vpc", ec2::Vpc { cidr_block: "10.0.0.0/16".into(), opts: Default::default() });
    east.add("sqs", ec2::VpcEndpoint {
        vpc_id: vpc.id(),
        service_name: ec2::service_name::<UsEast1>("sqs"),
        opts: ec2::VpcEndpointOpts {
            vpc_endpoint_type: Some(ec2::VpcEndpointType::Interface),
            subnet_configuration: vec![ec2::vpc_endpoint::SubnetConfiguration {
                subnet_id: Some(west_subnet.id()),
                ..Default::default()
            }],
            ..Default::default()
        },
    });
}
