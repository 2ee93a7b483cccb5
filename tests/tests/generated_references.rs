//! Typed references of the generated EC2 and RDS types (issue 8 point 4), through synthesis:
//! what a union kind accepts (`.into()` from each member), and the kinds that take another
//! region's resource by design. Needs the `ec2` and `rds` features: `scripts/test` runs it with
//! `--features full`.
#![cfg(feature = "full")]

use infra_core::aws::{ec2, rds, sns};
use infra_core::{Stack, UsEast1, UsWest2};

/// A cross-region peering: the requester (us-east-1) names the peer VPC of us-west-2, and the
/// accepter, route and options of us-west-2 name the us-east-1 connection.
#[test]
fn a_peering_connection_is_named_from_both_regions() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let east_vpc = east.add(
        "vpc",
        ec2::Vpc {
            cidr_block: "10.0.0.0/16".into(),
            opts: Default::default(),
        },
    );
    let west_vpc = west.add(
        "vpc",
        ec2::Vpc {
            cidr_block: "10.1.0.0/16".into(),
            opts: Default::default(),
        },
    );
    let peering = east.add(
        "to_west",
        ec2::VpcPeeringConnection {
            vpc_id: east_vpc.id(),
            peer_vpc_id: west_vpc.id().into(),
            opts: ec2::VpcPeeringConnectionOpts {
                peer_region: Some("us-west-2".into()),
                ..Default::default()
            },
        },
    );
    west.add(
        "from_east",
        ec2::VpcPeeringConnectionAccepter {
            vpc_peering_connection_id: peering.id().into(),
            opts: ec2::VpcPeeringConnectionAccepterOpts {
                auto_accept: Some(true),
                ..Default::default()
            },
        },
    );
    let west_table = west.add(
        "private",
        ec2::RouteTable {
            vpc_id: west_vpc.id(),
            opts: Default::default(),
        },
    );
    west.add(
        "to_east",
        ec2::Route {
            route_table_id: west_table.id(),
            opts: ec2::RouteOpts {
                destination_cidr_block: Some("10.0.0.0/16".into()),
                vpc_peering_connection_id: Some(peering.id().into()),
                ..Default::default()
            },
        },
    );
    let json = stack.synth().unwrap();
    let resources = &json.value()["resource"];
    let connection = "${aws_vpc_peering_connection.primary_to_west.id}";
    assert_eq!(
        resources["aws_vpc_peering_connection"]["primary_to_west"]["peer_vpc_id"],
        "${aws_vpc.secondary_vpc.id}"
    );
    assert_eq!(
        resources["aws_vpc_peering_connection_accepter"]["secondary_from_east"]["vpc_peering_connection_id"],
        connection
    );
    assert_eq!(
        resources["aws_route"]["secondary_to_east"]["vpc_peering_connection_id"],
        connection
    );
}

/// A route's `gateway_id` takes an internet gateway (or a virtual private gateway), and a
/// launch template's `image_id` an AMI however it was made (here a copy of another region's).
#[test]
fn union_kinds_take_each_member() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let vpc = east.add(
        "vpc",
        ec2::Vpc {
            cidr_block: "10.0.0.0/16".into(),
            opts: Default::default(),
        },
    );
    let table = east.add(
        "public",
        ec2::RouteTable {
            vpc_id: vpc.id(),
            opts: Default::default(),
        },
    );
    let igw = east.add(
        "igw",
        ec2::InternetGateway {
            vpc_id: Some(vpc.id()),
            ..Default::default()
        },
    );
    east.add(
        "default",
        ec2::Route {
            route_table_id: table.id(),
            opts: ec2::RouteOpts {
                destination_cidr_block: Some("0.0.0.0/0".into()),
                gateway_id: Some(igw.id().into()),
                ..Default::default()
            },
        },
    );
    let built = west.add(
        "app",
        ec2::Ami {
            name: "app".into(),
            opts: Default::default(),
        },
    );
    let copy = east.add(
        "app",
        ec2::AmiCopy {
            name: "app".into(),
            source_ami_id: built.id().into(),
            source_ami_region: "us-west-2".into(),
            opts: Default::default(),
        },
    );
    east.add(
        "app",
        ec2::LaunchTemplate {
            image_id: Some(copy.id().into()),
            ..Default::default()
        },
    );
    let json = stack.synth().unwrap();
    let resources = &json.value()["resource"];
    assert_eq!(
        resources["aws_route"]["primary_default"]["gateway_id"],
        "${aws_internet_gateway.primary_igw.id}"
    );
    assert_eq!(
        resources["aws_ami_copy"]["primary_app"]["source_ami_id"],
        "${aws_ami.secondary_app.id}"
    );
    assert_eq!(
        resources["aws_launch_template"]["primary_app"]["image_id"],
        "${aws_ami_copy.primary_app.id}"
    );
}

/// RDS refers by identifier: a snapshot names its instance (the instance's `identifier`, not
/// its `db-…` ID), a cluster instance its cluster, an event subscription an instance and a
/// cluster through one union and its topic; a copy takes another region's snapshot by ARN, and a
/// read-replica cluster another region's cluster.
#[test]
fn rds_refers_by_identifier_and_across_regions_where_aws_does() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let db = east.add(
        "ledger",
        rds::DbInstance {
            instance_class: "db.t4g.micro".into(),
            opts: Default::default(),
        },
    );
    let snapshot = east.add(
        "ledger",
        rds::DbSnapshot {
            db_instance_identifier: db.identifier(),
            db_snapshot_identifier: "ledger-manual".into(),
            opts: Default::default(),
        },
    );
    west.add(
        "ledger",
        rds::DbSnapshotCopy {
            source_db_snapshot_identifier: snapshot.db_snapshot_arn().into(),
            target_db_snapshot_identifier: "ledger-copy".into(),
            opts: Default::default(),
        },
    );
    let cluster = east.add(
        "orders",
        rds::Cluster {
            engine: "aurora-postgresql".into(),
            opts: Default::default(),
        },
    );
    east.add(
        "orders_1",
        rds::ClusterInstance {
            cluster_identifier: cluster.id(),
            engine: "aurora-postgresql".into(),
            instance_class: "db.r6g.large".into(),
            opts: Default::default(),
        },
    );
    west.add(
        "orders_replica",
        rds::Cluster {
            engine: "aurora-postgresql".into(),
            opts: rds::ClusterOpts {
                replication_source_identifier: Some(cluster.arn().into()),
                ..Default::default()
            },
        },
    );
    let topic = east.add("rds_events", sns::Topic::default());
    east.add(
        "ledger",
        rds::DbEventSubscription {
            sns_topic: topic.arn().into(),
            opts: rds::DbEventSubscriptionOpts {
                source_ids: vec![db.identifier().into(), cluster.cluster_identifier().into()],
                ..Default::default()
            },
        },
    );
    let json = stack.synth().unwrap();
    let resources = &json.value()["resource"];
    assert_eq!(
        resources["aws_db_snapshot"]["primary_ledger"]["db_instance_identifier"],
        "${aws_db_instance.primary_ledger.identifier}"
    );
    assert_eq!(
        resources["aws_db_snapshot_copy"]["secondary_ledger"]["source_db_snapshot_identifier"],
        "${aws_db_snapshot.primary_ledger.db_snapshot_arn}"
    );
    assert_eq!(
        resources["aws_rds_cluster_instance"]["primary_orders_1"]["cluster_identifier"],
        "${aws_rds_cluster.primary_orders.id}"
    );
    assert_eq!(
        resources["aws_rds_cluster"]["secondary_orders_replica"]["replication_source_identifier"],
        "${aws_rds_cluster.primary_orders.arn}"
    );
    let subscription = &resources["aws_db_event_subscription"]["primary_ledger"];
    assert_eq!(
        subscription["sns_topic"],
        "${aws_sns_topic.primary_rds_events.arn}"
    );
    assert_eq!(
        subscription["source_ids"],
        serde_json::json!([
            "${aws_db_instance.primary_ledger.identifier}",
            "${aws_rds_cluster.primary_orders.cluster_identifier}"
        ])
    );
}

/// A placement group's `id` is its name (the provider's docs), not the ID that
/// `placement_group_id` takes: `id()` gives a `Name`, so only `placement_group_id()` can set
/// an instance's `placement_group_id` (`[ids]` in `infra-core/overlay/references.toml`).
#[test]
fn a_placement_group_is_referred_to_by_its_name_or_its_id_never_one_for_the_other() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let group = east.add(
        "cluster",
        ec2::PlacementGroup {
            name: "payments".into(),
            strategy: "cluster".into(),
            opts: Default::default(),
        },
    );
    let by_name: infra_core::Name<ec2::PlacementGroup<UsEast1>> = group.id();
    east.add(
        "by_name",
        ec2::Instance {
            placement_group: Some(by_name),
            ..Default::default()
        },
    );
    east.add(
        "by_id",
        ec2::Instance {
            placement_group_id: Some(group.placement_group_id()),
            ..Default::default()
        },
    );
    let json = stack.synth().unwrap();
    let instances = &json.value()["resource"]["aws_instance"];
    assert_eq!(
        instances["primary_by_name"]["placement_group"],
        "${aws_placement_group.primary_cluster.id}"
    );
    assert_eq!(
        instances["primary_by_id"]["placement_group_id"],
        "${aws_placement_group.primary_cluster.placement_group_id}"
    );
}
