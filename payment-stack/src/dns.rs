//! DNS: the platform's zone (DNSSEC-signed, query-logged) and the failover and latency routing.
//!
//! | name | policy | target | why |
//! |---|---|---|---|
//! | `api.<domain>` | failover (PRIMARY us-east-1, SECONDARY us-west-2) | alias to each region's API domain | clients that need one writer region |
//! | `api-latency.<domain>` | latency (one record per region) | alias to each region's API domain | reads served by the nearest healthy region |
//! | ACM validation CNAMEs | simple, TTL 60 | ACM | certificate issuance and renewal |
//!
//! Alias records have no TTL: Route 53 answers with the target's own TTL.

use infra_core::aws::cloudwatch::{self, LogResourcePolicy};
use infra_core::aws::kms;
use infra_core::aws::route53::*;
use infra_core::policy::{
    Condition, KeyPolicy, PolicyDocument, Principal, Statement, global, service,
};
use infra_core::{Aws, Meta, Ref, Region, Text, UsEast1, UsWest2};

use crate::Config;
use crate::keys::Keys;
use crate::observability::log_group;
use crate::regional::{AUDIT_LOG_DAYS, Regional, STAGE};

/// The zone, DNSSEC and query logging. Route 53 requires the DNSSEC key and the query log
/// group in us-east-1, which the types of `KeySigningKey` and `QueryLog` enforce.
pub fn zone(east: &Aws<'_, UsEast1>, cfg: &Config, keys: &Keys<'_, UsEast1>) -> Ref<Zone> {
    let zone = east.add(
        "zone",
        Zone {
            name: cfg.domain().into(),
            opts: ZoneOpts {
                comment: Some(format!("{} public zone", cfg.name("dns")).into()),
                ..Default::default()
            },
        },
    );
    dnssec(east, cfg, keys.account_id(), &zone);
    query_logging(east, cfg, keys, &zone);
    zone
}

/// Signs the zone with a key-signing key on an asymmetric KMS key that only Route 53's
/// DNSSEC service of this account may use.
fn dnssec(east: &Aws<'_, UsEast1>, cfg: &Config, account_id: &Text, zone: &Ref<Zone>) {
    let policy = KeyPolicy::new()
        .statement(
            Statement::on_this_key([kms::AllKeyActions])
                .sid("AccountAdministersKeyThroughIam")
                .principal(Principal::account_root(account_id.clone())),
        )
        .statement(
            Statement::on_this_key([kms::DescribeKey, kms::GetPublicKey, kms::Sign])
                .sid("Route53DnssecSigning")
                .principal(Principal::service(service::DnssecRoute53))
                .condition(Condition::string_equals(
                    global::SourceAccount,
                    account_id.clone(),
                )),
        )
        .statement(
            Statement::on_this_key([kms::CreateGrant])
                .sid("Route53DnssecGrants")
                .principal(Principal::service(service::DnssecRoute53))
                .condition(Condition::bool(
                    kms::conditions::GrantIsForAWSResource,
                    true,
                )),
        );
    let key = east.add(
        "dnssec_key",
        kms::Key {
            description: Some(format!("{} DNSSEC signing key", cfg.name("dns")).into()),
            customer_master_key_spec: Some("ECC_NIST_P256".into()),
            key_usage: Some("SIGN_VERIFY".into()),
            deletion_window_in_days: Some(30),
            policy: Some(policy),
            ..Default::default()
        },
    );
    let signing_key = east.add(
        "key_signing_key",
        KeySigningKey {
            hosted_zone_id: zone.id(),
            key_management_service_arn: key.arn(),
            name: format!("payment{}ksk", cfg.suffix()).into(),
            opts: KeySigningKeyOpts::default(),
        },
    );
    east.add_with(
        "dnssec",
        HostedZoneDnssec {
            hosted_zone_id: signing_key.hosted_zone_id(),
            opts: HostedZoneDnssecOpts::default(),
        },
        Meta::new().depends_on(&signing_key),
    );
}

/// Query logs to an encrypted group kept [`AUDIT_LOG_DAYS`], written by Route 53 for this
/// account only.
fn query_logging(
    east: &Aws<'_, UsEast1>,
    cfg: &Config,
    keys: &Keys<'_, UsEast1>,
    zone: &Ref<Zone>,
) {
    let group = format!("/aws/route53/{}", cfg.name("dns"));
    let logs = log_group(east, keys, "query_logs", group, AUDIT_LOG_DAYS);
    let write = Statement::allow(
        [cloudwatch::CreateLogStream, cloudwatch::PutLogEvents],
        logs.streams_arn(),
    )
    .principal(Principal::service(service::Route53))
    .condition(Condition::string_equals(
        global::SourceAccount,
        keys.account_id().clone(),
    ));
    let policy = east.add(
        "query_logs_policy",
        LogResourcePolicy {
            policy_name: cfg.name("route53-query-logs").into(),
            policy_document: PolicyDocument::new().statement(write),
            opts: Default::default(),
        },
    );
    east.add_with(
        "query_log",
        QueryLog {
            zone_id: zone.zone_id(),
            cloudwatch_log_group_arn: logs.arn(),
        },
        Meta::new().depends_on(&policy),
    );
}

/// A health check on a region's `/health` route, through the stage's own endpoint.
fn health_check<R: Region>(
    east: &Aws<UsEast1>,
    cfg: &Config,
    region: &Regional<'_, R>,
) -> Ref<HealthCheck> {
    east.add(
        &format!("{}_health", R::NAME.replace('-', "_")),
        HealthCheck {
            r#type: HealthCheckType::Https,
            opts: HealthCheckOpts {
                fqdn: Some(region.health_fqdn.clone()),
                port: Some(443),
                resource_path: Some(format!("/{STAGE}/health").into()),
                failure_threshold: Some(3),
                request_interval: Some(10),
                measure_latency: Some(true),
                enable_sni: Some(true),
                tags: [(
                    "Name".to_owned(),
                    Text::from(format!("{}-{}", cfg.name("health"), R::NAME)),
                )]
                .into_iter()
                .collect(),
                ..Default::default()
            },
        },
    )
}

/// Failover and latency records over both regions' API domains.
pub fn routing(
    east: &Aws<UsEast1>,
    cfg: &Config,
    zone: &Ref<Zone>,
    primary: &Regional<'_, UsEast1>,
    secondary: &Regional<'_, UsWest2>,
) {
    let east_check = health_check(east, cfg, primary);
    let west_check = health_check(east, cfg, secondary);
    let record = |name: &str,
                  host: String,
                  alias: Alias,
                  set_id: &str,
                  check: &Ref<HealthCheck>,
                  opts: RecordOpts| {
        east.add(
            name,
            Record {
                zone_id: zone.zone_id(),
                name: host.into(),
                r#type: RecordType::A,
                opts: RecordOpts {
                    alias: Some(alias),
                    set_identifier: Some(set_id.into()),
                    health_check_id: Some(check.id()),
                    ..opts
                },
            },
        )
    };
    record(
        "api_primary",
        cfg.api_host(),
        Alias::api_gateway(&primary.domains[0]),
        "primary",
        &east_check,
        RecordOpts {
            failover_routing_policy: Some(FailoverRoutingPolicy {
                r#type: FailoverType::Primary,
            }),
            ..Default::default()
        },
    );
    record(
        "api_secondary",
        cfg.api_host(),
        Alias::api_gateway(&secondary.domains[0]),
        "secondary",
        &west_check,
        RecordOpts {
            failover_routing_policy: Some(FailoverRoutingPolicy {
                r#type: FailoverType::Secondary,
            }),
            ..Default::default()
        },
    );
    record(
        "api_latency_primary",
        cfg.latency_host(),
        Alias::api_gateway(&primary.domains[1]),
        UsEast1::NAME,
        &east_check,
        RecordOpts {
            latency_routing_policy: Some(LatencyRoutingPolicy::of::<UsEast1>()),
            ..Default::default()
        },
    );
    record(
        "api_latency_secondary",
        cfg.latency_host(),
        Alias::api_gateway(&secondary.domains[1]),
        UsWest2::NAME,
        &west_check,
        RecordOpts {
            latency_routing_policy: Some(LatencyRoutingPolicy::of::<UsWest2>()),
            ..Default::default()
        },
    );
}
