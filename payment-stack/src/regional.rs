//! The half of the platform that every region runs, written once and generic over the region:
//! [`serve`] puts together the private network, the processor, the API behind its firewall,
//! the custom domains, the alarms and the reconcile schedule.

use infra_core::aws::apigateway::{
    ApiKey, BasePathMapping, BasePathMappingOpts, DomainName, DomainNameOpts,
    EndpointConfiguration, RestApi, SecurityPolicy, Stage,
};
use infra_core::aws::cloudwatch::LogGroup;
use infra_core::aws::dynamodb::Table;
use infra_core::aws::lambda::Function;
use infra_core::aws::route53::{Fqdn, Record, Zone};
use infra_core::aws::{acm, sns, ssm};
use infra_core::{Aws, Meta, Ref, Region, Stack, UsEast1, UsWest2};

use crate::Config;
use crate::keys::Keys;
use crate::processor::{ExecutionRole, config_parameter};
use crate::storage::{Buckets, TableRegion};
use crate::{api, firewall, network, observability, processor, reconcile};

/// The audit prefix the function writes under; its IAM grant is scoped to it.
pub const AUDIT_PREFIX: &str = "audit/";
/// The stage name.
pub const STAGE: &str = "v1";
/// The function's log retention (a stated cost requirement).
pub const FUNCTION_LOG_DAYS: u32 = 7;
/// Retention of audit-relevant logs (access, WAF, flow logs).
pub const AUDIT_LOG_DAYS: u32 = 365;

/// What the rest of the stack needs from one region.
pub struct Regional<'s, R: Region> {
    /// The keys.
    pub keys: Keys<'s, R>,
    /// The function's execution role.
    pub role: Ref<ExecutionRole>,
    /// The function.
    pub function: Ref<Function<R>>,
    /// The function's log group.
    pub function_logs: Ref<LogGroup<R>>,
    /// The REST API.
    pub api: Ref<RestApi<R>>,
    /// The stage.
    pub stage: Ref<Stage<R>>,
    /// The API key.
    pub api_key: Ref<ApiKey<R>>,
    /// The alarm topic.
    pub alarms: Ref<sns::Topic<R>>,
    /// The custom domains: failover host and latency host.
    pub domains: [Ref<DomainName<R>>; 2],
    /// The host name Route 53 probes (the stage's own endpoint).
    pub health_fqdn: Fqdn,
}

/// Everything region `R` serves, on `table` (its replica outside us-east-1) and the region's
/// `audit` bucket, with certificates validated in `zone`.
pub fn serve<'s, R: TableRegion>(
    aws: &Aws<'s, R>,
    cfg: &Config,
    keys: Keys<'s, R>,
    table: &Ref<Table<UsEast1>>,
    audit: &Buckets<'s, R>,
    zone: &Ref<Zone>,
) -> Regional<'s, R> {
    let network = network::network(aws, cfg, &keys);
    let processor = processor::processor(aws, cfg, &keys, table, audit, &network);
    let served = api::api(aws, cfg, &keys, &processor.function);
    aws.add(
        "api_key_parameter",
        ssm::Parameter::secure(
            config_parameter(cfg, "api-key"),
            served.api_key.value(),
            keys.data.arn(),
        ),
    );
    firewall::firewall(aws, cfg, &keys, &served.stage);
    let alarms = observability::topic(aws, cfg, &keys);
    observability::kpi_filters(aws, cfg, &processor.logs);
    let table_name = R::table_name(table);
    observability::alarms(
        aws,
        cfg,
        &alarms,
        &processor.function,
        table_name,
        &served.api,
    );
    reconcile::schedule(aws, cfg, &processor.function, &alarms);
    let domains = domains(aws, cfg, zone, &served.api, &served.stage);
    Regional {
        keys,
        role: processor.role,
        function: processor.function,
        function_logs: processor.logs,
        health_fqdn: Fqdn::rest_api(served.api.id()),
        api: served.api,
        stage: served.stage,
        api_key: served.api_key,
        alarms,
        domains,
    }
}

/// The custom domains `api.` and `api-latency.` (regional, TLS 1.2), with one ACM certificate
/// for both validated by DNS in `zone`, each mapped to the stage.
fn domains<R: Region>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    zone: &Ref<Zone>,
    api: &Ref<RestApi<R>>,
    stage: &Ref<Stage<R>>,
) -> [Ref<DomainName<R>>; 2] {
    let certificate = aws.add_with(
        "certificate",
        acm::Certificate {
            domain_name: cfg.api_host().into(),
            validation_method: acm::ValidationMethod::Dns,
            opts: acm::CertificateOpts {
                subject_alternative_names: vec![cfg.latency_host().into()],
                ..Default::default()
            },
        },
        Meta::new().create_before_destroy(),
    );
    let records = ["certificate_record", "certificate_record_latency"]
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let record = Record::validation(zone.zone_id(), certificate.validation_record(i));
            aws.add(name, record).fqdn()
        })
        .collect();
    let validation = aws.add(
        "certificate_validation",
        acm::CertificateValidation {
            certificate_arn: certificate.arn(),
            opts: acm::CertificateValidationOpts {
                validation_record_fqdns: records,
                ..Default::default()
            },
        },
    );
    let domain = |name: &str, host: String| {
        let opts = DomainNameOpts {
            regional_certificate_arn: Some(validation.certificate_arn()),
            endpoint_configuration: Some(EndpointConfiguration::regional()),
            security_policy: Some(SecurityPolicy::Tls12),
            ..Default::default()
        };
        let domain_name = host.into();
        let domain = aws.add(name, DomainName { domain_name, opts });
        let mapping = BasePathMapping {
            api_id: api.id(),
            domain_name: domain.domain_name(),
            opts: BasePathMappingOpts {
                stage_name: Some(stage.stage_name()),
                ..Default::default()
            },
        };
        aws.add(&format!("{name}_mapping"), mapping);
        domain
    };
    [
        domain("api_domain", cfg.api_host()),
        domain("api_latency_domain", cfg.latency_host()),
    ]
}

/// One client key for both regions: the secondary's key takes the value API Gateway generated
/// for the primary's, so a client keeps working after a failover. Set through the lazy graph,
/// after both regions exist.
pub fn share_api_key(
    app: &Stack,
    primary: &Regional<'_, UsEast1>,
    secondary: &Regional<'_, UsWest2>,
) {
    let value = primary.api_key.value();
    app.amend(&secondary.api_key, |key| key.opts.value = Some(value));
}
