// Route 53 is global: a private zone takes VPCs of both regions, a health check a CloudWatch
// alarm of either (`region = "Any"` kinds, converted with `.into()`); everything compiles.
use infra_core::aws::cloudwatch::{Comparison, MetricAlarm};
use infra_core::aws::cloudwatch::MetricAlarmOpts;
use infra_core::aws::{ec2, route53, sns};
use infra_core::{Stack, UsEast1, UsWest2};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let west = stack.aws::<UsWest2>("secondary");
    let east_vpc = east.add("vpc", ec2::Vpc { cidr_block: "10.0.0.0/16".into(), opts: Default::default() });
    let west_vpc = west.add("vpc", ec2::Vpc { cidr_block: "10.1.0.0/16".into(), opts: Default::default() });
    // The kinds carry no region: either region's VPC converts.
    let _: infra_core::Id<route53::ZoneVpc> = west_vpc.id().into();
    east.add("internal", route53::Zone {
        name: "internal.example.com".into(),
        opts: route53::ZoneOpts {
            vpc: vec![
                route53::zone::Vpc { vpc_id: east_vpc.id().into(), vpc_region: Some("us-east-1".into()) },
                route53::zone::Vpc { vpc_id: west_vpc.id().into(), vpc_region: Some("us-west-2".into()) },
            ],
            ..Default::default()
        },
    });
    let oncall = west.add("oncall", sns::Topic::default());
    let alarm = west.add("api_errors", MetricAlarm {
        alarm_name: "api-errors".into(),
        comparison_operator: Comparison::GreaterThanThreshold,
        evaluation_periods: 1,
        opts: MetricAlarmOpts { alarm_actions: vec![oncall.arn()], ..Default::default() },
    });
    east.add("api_west", route53::HealthCheck {
        r#type: route53::HealthCheckType::CloudwatchMetric,
        opts: route53::HealthCheckOpts {
            cloudwatch_alarm_name: Some(alarm.id().into()),
            cloudwatch_alarm_region: Some("us-west-2".into()),
            ..Default::default()
        },
    });
    let json = stack.synth().unwrap();
    let zone = &json.value()["resource"]["aws_route53_zone"]["primary_internal"];
    assert_eq!(zone["vpc"][1]["vpc_id"], "${aws_vpc.secondary_vpc.id}");
    let check = &json.value()["resource"]["aws_route53_health_check"]["primary_api_west"];
    assert_eq!(check["cloudwatch_alarm_name"], "${aws_cloudwatch_metric_alarm.secondary_api_errors.id}");
}
