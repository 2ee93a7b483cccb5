//! Amazon Route 53: hosted zones, records with failover and latency routing, health checks,
//! query logging and DNSSEC signing.
//!
//! Route 53 is global: these resources are not generic over a region and any provider may
//! create them. What Route 53 requires to live in us-east-1 is typed so: query logs go to an
//! `Arn<cloudwatch::LogGroup<UsEast1>>` and DNSSEC key signing keys use an
//! `Arn<kms::Key<UsEast1>>`. Regional things a record points at (an API Gateway domain name)
//! are referred to through their exported names as `Text`; a health check probes an [`Fqdn`],
//! built from a resource of the stack or from a literal host name.

use std::collections::BTreeMap;

use crate::aws::{acm, apigateway, cloudwatch, kms, s3};
use crate::{Arn, Block, Id, Region, Resource, Text, UsEast1, string_enum};

/// The generated `route53` types this module does not define (feature `route53`).
#[cfg(feature = "route53")]
pub use super::generated::route53::*;

/// A public hosted zone (`aws_route53_zone`).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::route53};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let zone = east.add("main", route53::Zone {
///     name: "example.com".into(),
///     opts: route53::ZoneOpts { comment: Some("payments".into()), ..Default::default() },
/// });
/// let record = east.add("www", route53::Record {
///     zone_id: zone.zone_id(),
///     name: "www.example.com".into(),
///     r#type: route53::RecordType::A,
///     opts: route53::RecordOpts {
///         ttl: Some(300),
///         records: vec!["192.0.2.10".into()],
///         ..Default::default()
///     },
/// });
/// assert_eq!(record.fqdn().render(), "${aws_route53_record.primary_www.fqdn}");
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_route53_zone",
    exports(arn: Arn<Self>, id: Id<Self>, zone_id: Id<Self>, name: Text, primary_name_server: Text)
)]
pub struct Zone {
    /// The zone's domain name.
    pub name: Text,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: ZoneOpts,
}

/// Optional arguments of [`Zone`].
#[derive(Block, Debug, Clone, Default)]
pub struct ZoneOpts {
    /// What the zone is for.
    pub comment: Option<Text>,
    /// Delete every record on destroy (leave unset for production zones).
    pub force_destroy: Option<bool>,
    /// A reusable delegation set.
    pub delegation_set_id: Option<Text>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
}

string_enum! {
    /// The type of a DNS record.
    pub enum RecordType {
        /// IPv4 address.
        A = "A",
        /// IPv6 address.
        Aaaa = "AAAA",
        /// Canonical name.
        Cname = "CNAME",
        /// Mail exchanger.
        Mx = "MX",
        /// Text.
        Txt = "TXT",
        /// Name server.
        Ns = "NS",
        /// Start of authority.
        Soa = "SOA",
        /// Service locator.
        Srv = "SRV",
        /// Certificate authority authorization.
        Caa = "CAA",
        /// Delegation signer (DNSSEC).
        Ds = "DS",
        /// HTTPS service binding.
        Https = "HTTPS",
    }
}

string_enum! {
    /// The role of a record in failover routing.
    pub enum FailoverType {
        /// Served while its health check passes.
        Primary = "PRIMARY",
        /// Served when the primary is unhealthy.
        Secondary = "SECONDARY",
    }
}

/// Failover routing (`failover_routing_policy` block); needs `set_identifier` and, on the
/// primary, a `health_check_id`.
#[derive(Block, Debug, Clone)]
pub struct FailoverRoutingPolicy {
    /// Primary or secondary.
    pub r#type: FailoverType,
}

/// Latency routing (`latency_routing_policy` block); needs `set_identifier`.
#[derive(Block, Debug, Clone)]
pub struct LatencyRoutingPolicy {
    /// The AWS region the record's target lives in.
    pub region: Text,
}

impl LatencyRoutingPolicy {
    /// Latency routing to a target in region `R`.
    ///
    /// ```
    /// use infra_core::{UsWest2, aws::route53::LatencyRoutingPolicy};
    /// assert_eq!(LatencyRoutingPolicy::of::<UsWest2>().region.render(), "us-west-2");
    /// ```
    pub fn of<R: Region>() -> Self {
        Self {
            region: Text::literal(R::NAME),
        }
    }
}

/// Weighted routing (`weighted_routing_policy` block); needs `set_identifier`.
#[derive(Block, Debug, Clone)]
pub struct WeightedRoutingPolicy {
    /// The record's relative weight.
    pub weight: u32,
}

/// An alias to an AWS endpoint (`alias` block), instead of `ttl` and `records`.
#[derive(Block, Debug, Clone)]
pub struct Alias {
    /// The target's DNS name.
    pub name: Text,
    /// The target's hosted zone (AWS's zone of the endpoint, not this zone).
    pub zone_id: Text,
    /// Answer only while the target is healthy.
    pub evaluate_target_health: bool,
}

impl Alias {
    /// An alias to a regional API Gateway custom domain name.
    pub fn api_gateway<R: Region>(domain: &apigateway::DomainNameAttrs<R>) -> Self {
        Self {
            name: domain.regional_domain_name(),
            zone_id: domain.regional_zone_id(),
            evaluate_target_health: true,
        }
    }
}

/// A DNS record (`aws_route53_record`).
///
/// Records of one name with a routing policy need distinct `set_identifier`s. Use
/// [`Record::validation`] for an ACM DNS validation record.
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_route53_record",
    exports(id: Id<Self>, fqdn: Text, name: Text)
)]
pub struct Record {
    /// The zone.
    pub zone_id: Id<Zone>,
    /// The record's name.
    pub name: Text,
    /// The record's type.
    pub r#type: RecordType,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: RecordOpts,
}

/// Optional arguments of [`Record`].
#[derive(Block, Debug, Clone, Default)]
pub struct RecordOpts {
    /// Time to live in seconds (not with `alias`).
    pub ttl: Option<u32>,
    /// The values (not with `alias`).
    pub records: Vec<Text>,
    /// An alias to an AWS endpoint.
    pub alias: Option<Alias>,
    /// Tells apart the records of one name under a routing policy.
    pub set_identifier: Option<Text>,
    /// The health check that decides whether the record is served.
    pub health_check_id: Option<Id<HealthCheck>>,
    /// Failover routing.
    pub failover_routing_policy: Option<FailoverRoutingPolicy>,
    /// Latency routing.
    pub latency_routing_policy: Option<LatencyRoutingPolicy>,
    /// Weighted routing.
    pub weighted_routing_policy: Option<WeightedRoutingPolicy>,
    /// Multivalue answer routing.
    pub multivalue_answer_routing_policy: Option<bool>,
    /// Take over a record that already exists.
    pub allow_overwrite: Option<bool>,
}

impl Record {
    /// The CNAME that proves ownership of one name of an ACM certificate
    /// (`cert.validation_record(i)`), with a 60 s TTL; it overwrites an identical record left by
    /// an earlier certificate for the same name.
    ///
    /// ```
    /// use infra_core::{Stack, UsEast1, aws::{acm, route53}};
    /// let stack = Stack::new();
    /// let east = stack.aws::<UsEast1>("primary");
    /// let zone = east.add("main", route53::Zone { name: "example.com".into(), opts: Default::default() });
    /// let cert = east.add("api", acm::Certificate {
    ///     domain_name: "api.example.com".into(),
    ///     validation_method: acm::ValidationMethod::Dns,
    ///     opts: Default::default(),
    /// });
    /// let record = east.add("api_validation", route53::Record::validation(zone.zone_id(), cert.validation_record(0)));
    /// east.add("api", acm::CertificateValidation {
    ///     certificate_arn: cert.arn(),
    ///     opts: acm::CertificateValidationOpts { validation_record_fqdns: vec![record.fqdn()], ..Default::default() },
    /// });
    /// let doc = stack.synth().unwrap();
    /// infra_core::testing::assert_has_resource(&doc, "aws_route53_record", &serde_json::json!({"type": "CNAME"}));
    /// ```
    pub fn validation(zone_id: Id<Zone>, record: acm::ValidationRecord) -> Self {
        Self {
            zone_id,
            name: record.name,
            // ACM's DNS validation records are always CNAMEs (`record.record_type`).
            r#type: RecordType::Cname,
            opts: RecordOpts {
                ttl: Some(60),
                records: vec![record.value],
                allow_overwrite: Some(true),
                ..Default::default()
            },
        }
    }
}

string_enum! {
    /// What a health check probes.
    pub enum HealthCheckType {
        /// An HTTP request must answer 2xx or 3xx.
        Http = "HTTP",
        /// An HTTPS request must answer 2xx or 3xx.
        Https = "HTTPS",
        /// HTTP, and the body must contain `search_string`.
        HttpStrMatch = "HTTP_STR_MATCH",
        /// HTTPS, and the body must contain `search_string`.
        HttpsStrMatch = "HTTPS_STR_MATCH",
        /// A TCP connection.
        Tcp = "TCP",
        /// Combines child health checks.
        Calculated = "CALCULATED",
        /// Follows a CloudWatch alarm.
        CloudwatchMetric = "CLOUDWATCH_METRIC",
        /// Follows a Route 53 ARC routing control.
        RecoveryControl = "RECOVERY_CONTROL",
    }
}

string_enum! {
    /// The status of a CloudWatch-alarm health check while the alarm lacks data.
    pub enum InsufficientDataHealthStatus {
        /// Healthy.
        Healthy = "Healthy",
        /// Unhealthy.
        Unhealthy = "Unhealthy",
        /// Keep the last known status.
        LastKnownStatus = "LastKnownStatus",
    }
}

/// A health check (`aws_route53_health_check`).
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::route53};
/// let stack = Stack::new();
/// let check = stack.aws::<UsEast1>("primary").add("api_east", route53::HealthCheck {
///     r#type: route53::HealthCheckType::Https,
///     opts: route53::HealthCheckOpts {
///         fqdn: Some("api-east.example.com".into()),
///         port: Some(443),
///         resource_path: Some("/health".into()),
///         failure_threshold: Some(3),
///         request_interval: Some(30),
///         measure_latency: Some(true),
///         ..Default::default()
///     },
/// });
/// let _id: infra_core::Id<route53::HealthCheck> = check.id();
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_route53_health_check", exports(arn: Arn<Self>, id: Id<Self>))]
pub struct HealthCheck {
    /// What is probed.
    pub r#type: HealthCheckType,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: HealthCheckOpts,
}

/// Optional arguments of [`HealthCheck`].
#[derive(Block, Debug, Clone, Default)]
pub struct HealthCheckOpts {
    /// The endpoint's name: a literal host (`"api-east.example.com".into()`) or an endpoint of
    /// the stack ([`Fqdn::rest_api`], [`Fqdn::api_domain`], [`Fqdn::bucket`]).
    pub fqdn: Option<Fqdn>,
    /// The endpoint's IP address (instead of `fqdn`).
    pub ip_address: Option<Text>,
    /// The port.
    pub port: Option<u32>,
    /// The path requested (`/health`).
    pub resource_path: Option<Text>,
    /// Consecutive failures before unhealthy.
    pub failure_threshold: Option<u32>,
    /// Seconds between probes (10 or 30).
    pub request_interval: Option<u32>,
    /// The regions probing from (at least three; all by default).
    pub regions: Vec<Text>,
    /// Record latency graphs.
    pub measure_latency: Option<bool>,
    /// Send the host name in the TLS handshake.
    pub enable_sni: Option<bool>,
    /// The string the body must contain (`*_STR_MATCH`).
    pub search_string: Option<Text>,
    /// Invert the status.
    pub invert_healthcheck: Option<bool>,
    /// Stop probing (the check then reports healthy).
    pub disabled: Option<bool>,
    /// Child checks (`Calculated`).
    pub child_healthchecks: Vec<Id<HealthCheck>>,
    /// Healthy children needed (`Calculated`).
    pub child_health_threshold: Option<u32>,
    /// The alarm followed (`CloudwatchMetric`).
    pub cloudwatch_alarm_name: Option<Text>,
    /// The alarm's region (`CloudwatchMetric`).
    pub cloudwatch_alarm_region: Option<Text>,
    /// Status while the alarm lacks data.
    pub insufficient_data_health_status: Option<InsufficientDataHealthStatus>,
    /// A caller reference.
    pub reference_name: Option<Text>,
    /// Resource tags.
    pub tags: Option<BTreeMap<String, Text>>,
}

/// The host a [`HealthCheck`] probes.
///
/// Either an endpoint of a resource the stack declares, built from its typed reference, or a
/// literal host name (`"api-east.example.com".into()`). Arbitrary `Text` does not convert, so a
/// bucket's or a function's name cannot be probed by mistake.
///
/// ```
/// use infra_core::{Node, NodeKind, Ref, UsWest2, aws::{apigateway, route53::Fqdn}};
/// let api = Ref::<apigateway::RestApi<UsWest2>>::new(Node::new(NodeKind::Resource, "aws_api_gateway_rest_api", "api"));
/// assert_eq!(
///     Fqdn::rest_api(api.id()).text().render(),
///     "${aws_api_gateway_rest_api.api.id}.execute-api.us-west-2.amazonaws.com"
/// );
/// let literal: Fqdn = "status.example.com".into();
/// assert_eq!(literal.text().render(), "status.example.com");
/// ```
///
/// ```compile_fail,E0308
/// use infra_core::{Node, NodeKind, Ref, UsWest2, aws::{lambda, route53}};
/// let function = Ref::<lambda::Function<UsWest2>>::new(Node::new(NodeKind::Resource, "aws_lambda_function", "api"));
/// let _ = route53::HealthCheckOpts { fqdn: Some(function.function_name()), ..Default::default() };
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Fqdn {
    text: Text,
}

impl Fqdn {
    /// A REST API's own endpoint in its region (`<api id>.execute-api.<region>.amazonaws.com`).
    pub fn rest_api<R: Region>(api: Id<apigateway::RestApi<R>>) -> Self {
        Self {
            text: crate::interpolate!("{}.execute-api.{}.amazonaws.com", api, R::NAME),
        }
    }

    /// A regional custom domain name's endpoint (its `regional_domain_name`).
    pub fn api_domain<R: Region>(domain: &apigateway::DomainNameAttrs<R>) -> Self {
        Self {
            text: domain.regional_domain_name(),
        }
    }

    /// An S3 bucket's regional endpoint (its `bucket_regional_domain_name`).
    pub fn bucket<R: Region>(bucket: &s3::BucketAttrs<R>) -> Self {
        Self {
            text: bucket.bucket_regional_domain_name(),
        }
    }

    /// A host the stack does not declare (`api-east.example.com`), written literally.
    pub fn host(host: &str) -> Self {
        Self {
            text: Text::literal(host),
        }
    }

    /// The underlying text.
    pub fn text(&self) -> &Text {
        &self.text
    }
}

impl From<&str> for Fqdn {
    fn from(host: &str) -> Self {
        Self::host(host)
    }
}

impl crate::Argument for Fqdn {
    fn to_value(&self) -> Option<serde_json::Value> {
        crate::Argument::to_value(&self.text)
    }
    fn kind() -> crate::shape::ArgKind {
        crate::shape::ArgKind::String
    }
    const REFERENCE: bool = true;
}

/// Logs a public zone's DNS queries (`aws_route53_query_log`).
///
/// Route 53 writes query logs only to log groups in us-east-1, whose resource policy lets
/// `route53.amazonaws.com` write; the field's type allows nothing else:
///
/// ```compile_fail,E0308
/// use infra_core::{Ref, Node, NodeKind, UsWest2, aws::{cloudwatch, route53}};
/// let zone = Ref::<route53::Zone>::new(Node::new(NodeKind::Resource, "aws_route53_zone", "main"));
/// let logs = Ref::<cloudwatch::LogGroup<UsWest2>>::new(Node::new(NodeKind::Resource, "aws_cloudwatch_log_group", "dns"));
/// let _ = route53::QueryLog { zone_id: zone.zone_id(), cloudwatch_log_group_arn: logs.arn() };
/// ```
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_route53_query_log", exports(arn: Arn<Self>, id: Id<Self>))]
pub struct QueryLog {
    /// The zone.
    pub zone_id: Id<Zone>,
    /// The log group (in us-east-1).
    pub cloudwatch_log_group_arn: Arn<cloudwatch::LogGroup<UsEast1>>,
}

string_enum! {
    /// Whether a key signing key signs.
    pub enum KeySigningKeyStatus {
        /// Signing.
        Active = "ACTIVE",
        /// Not signing.
        Inactive = "INACTIVE",
    }
}

/// A DNSSEC key signing key of a zone (`aws_route53_key_signing_key`).
///
/// The KMS key must be in us-east-1, asymmetric (`ECC_NIST_P256`, `SIGN_VERIFY`), and its policy
/// must let `dnssec-route53.amazonaws.com` use it.
#[derive(Resource, Debug, Clone)]
#[resource(
    type = "aws_route53_key_signing_key",
    exports(
        id: Id<Self>,
        name: Text,
        hosted_zone_id: Id<Zone>,
        ds_record: Text,
        dnskey_record: Text,
        public_key: Text
    )
)]
pub struct KeySigningKey {
    /// The zone.
    pub hosted_zone_id: Id<Zone>,
    /// The KMS key (us-east-1).
    pub key_management_service_arn: Arn<kms::Key<UsEast1>>,
    /// The key signing key's name.
    pub name: Text,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: KeySigningKeyOpts,
}

/// Optional arguments of [`KeySigningKey`].
#[derive(Block, Debug, Clone, Default)]
pub struct KeySigningKeyOpts {
    /// Active (default) or inactive.
    pub status: Option<KeySigningKeyStatus>,
}

string_enum! {
    /// Whether a zone is signed.
    pub enum SigningStatus {
        /// Signed.
        Signing = "SIGNING",
        /// Not signed.
        NotSigning = "NOT_SIGNING",
    }
}

/// Turns on DNSSEC signing of a zone (`aws_route53_hosted_zone_dnssec`).
///
/// Take `hosted_zone_id` from the key signing key's `hosted_zone_id()`, so that the key exists
/// before signing starts.
#[derive(Resource, Debug, Clone)]
#[resource(type = "aws_route53_hosted_zone_dnssec", exports(id: Id<Self>))]
pub struct HostedZoneDnssec {
    /// The zone (`ksk.hosted_zone_id()`).
    pub hosted_zone_id: Id<Zone>,
    /// Optional arguments.
    #[resource(flatten)]
    pub opts: HostedZoneDnssecOpts,
}

/// Optional arguments of [`HostedZoneDnssec`].
#[derive(Block, Debug, Clone, Default)]
pub struct HostedZoneDnssecOpts {
    /// Signing (default) or not.
    pub signing_status: Option<SigningStatus>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_conforms as conforms;
    use crate::testing::assert_valid_ignoring as validates;
    use crate::{Stack, UsWest2};

    #[test]
    fn shapes_conform_to_the_schema() {
        conforms::<Zone>();
        conforms::<Record>();
        conforms::<HealthCheck>();
        conforms::<QueryLog>();
        conforms::<KeySigningKey>();
        conforms::<HostedZoneDnssec>();
    }

    #[test]
    fn latency_records_alias_regional_domains() {
        let stack = Stack::new();
        let west = stack.aws::<UsWest2>("secondary");
        let zone = west.add(
            "main",
            Zone {
                name: "example.com".into(),
                opts: ZoneOpts::default(),
            },
        );
        let domain = west.add(
            "api",
            apigateway::DomainName {
                domain_name: "api.example.com".into(),
                opts: apigateway::DomainNameOpts::default(),
            },
        );
        let check = west.add(
            "api_west",
            HealthCheck {
                r#type: HealthCheckType::Https,
                opts: HealthCheckOpts {
                    fqdn: Some(Fqdn::api_domain(&domain)),
                    ..Default::default()
                },
            },
        );
        west.add(
            "api_west",
            Record {
                zone_id: zone.zone_id(),
                name: "api.example.com".into(),
                r#type: RecordType::A,
                opts: RecordOpts {
                    alias: Some(Alias::api_gateway(&domain)),
                    set_identifier: Some("us-west-2".into()),
                    health_check_id: Some(check.id()),
                    latency_routing_policy: Some(LatencyRoutingPolicy::of::<UsWest2>()),
                    ..Default::default()
                },
            },
        );
        let doc = stack.synth().unwrap();
        validates(&doc, &[]);
        crate::testing::assert_has_resource(
            &doc,
            "aws_route53_record",
            &serde_json::json!({
                "type": "A",
                "latency_routing_policy": {"region": "us-west-2"},
                "alias": {
                    "name": "${aws_api_gateway_domain_name.secondary_api.regional_domain_name}",
                    "zone_id": "${aws_api_gateway_domain_name.secondary_api.regional_zone_id}",
                    "evaluate_target_health": true
                }
            }),
        );
    }
}
