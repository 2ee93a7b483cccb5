//! Amazon Route 53: hosted zones, records with failover and latency routing, health checks,
//! query logging and DNSSEC signing.
//!
//! Route 53 is global: these resources are not generic over a region and any provider may
//! create them. What Route 53 requires to live in us-east-1 is typed so: query logs go to an
//! `Arn<cloudwatch::LogGroup<UsEast1>>` and DNSSEC key signing keys use an
//! `Arn<kms::Key<UsEast1>>`. Regional things a record points at (an API Gateway domain name)
//! are referred to through their exported names as `Text`; a health check probes an [`Fqdn`],
//! built from a resource of the stack or from a literal host name.

use crate::aws::{acm, apigateway, s3};
use crate::{Block, Id, Region, Text, string_enum};

/// The overlay-typed types (`infra-core/overlay/types/route53.toml`): `Zone`, `Record`,
/// `HealthCheck`, `QueryLog`, `KeySigningKey`, `HostedZoneDnssec`.
pub use super::generated::overlay::route53::*;

/// The generated `route53` types this module does not define (feature `route53`).
#[cfg(feature = "route53")]
pub use super::generated::route53::*;

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

string_enum! {
    /// Whether a key signing key signs.
    pub enum KeySigningKeyStatus {
        /// Signing.
        Active = "ACTIVE",
        /// Not signing.
        Inactive = "INACTIVE",
    }
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
