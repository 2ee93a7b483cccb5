//! [`RestApi`]: a regional REST API with stage logging, a WAF web ACL, an API key and a usage
//! plan, and Lambda routes that keep their own redeployment triggers.

use std::cell::RefCell;
use std::collections::BTreeMap;

use super::function::Function;
use super::key::Key;
use crate::aws::apigateway as apigw;
use crate::aws::{cloudwatch, iam, lambda, wafv2};
use crate::policy::service;
use crate::refs::{Id, Ref};
use crate::region::Region;
use crate::stack::{Aws, Meta};
use crate::text::Text;

/// What a [`RestApi`] may change from its defaults.
#[derive(Debug, Clone)]
pub struct RestApiConfig {
    /// The stage's name (default `v1`).
    pub stage: String,
    /// Days the access and WAF logs keep events (default 365).
    pub log_retention_days: u32,
    /// Requests per 5 minutes from one IP before WAF blocks it (default 2000).
    pub rate_limit_per_ip: u64,
    /// Stage throttling: steady requests per second and burst (default 100, 200).
    pub throttle: (f64, u32),
    /// Usage plan: requests per second, burst, and requests a month per key (default 50,
    /// 100, 1,000,000).
    pub plan: (f64, u32, u32),
    /// Whether to set the region's API Gateway account role that execution logging needs
    /// (`aws_api_gateway_account`, one per account and region; default `true`: turn it off in
    /// every API but one of a region).
    pub account_logging_role: bool,
}

impl Default for RestApiConfig {
    fn default() -> Self {
        Self {
            stage: "v1".into(),
            log_retention_days: 365,
            rate_limit_per_ip: 2000,
            throttle: (100.0, 200),
            plan: (50.0, 100, 1_000_000),
            account_logging_role: true,
        }
    }
}

/// A regional REST API: a stage with JSON access logs (encrypted with `key`), execution
/// logging at `INFO` without data traces, X-Ray and no cache; a WAF web ACL on the stage (AWS
/// common, known-bad-inputs and IP-reputation groups, then a per-IP rate limit) logging to
/// its own encrypted group with the `x-api-key` header redacted; an API key and a usage plan
/// with throttling and a monthly quota.
///
/// [`RestApi::lambda_route`] adds a route to a [`Function`]: the path's resources, a method
/// requiring the API key, the proxy integration, and the permission for this API's route
/// only (`source_arn`). Each route adds its method and integration to the deployment's
/// triggers through the lazy graph, so no redeployment list is kept by hand.
///
/// ```
/// use infra_core::{Stack, UsEast1, aws::apigateway::HttpMethod};
/// use infra_core::components::{Artifact, Function, Key, RestApi};
/// let stack = Stack::new();
/// let east = stack.aws::<UsEast1>("primary");
/// let key = Key::new(&east.scope("ops"));
/// let handler = Function::new(&east.scope("handler"), &key, Artifact::zip("api.zip"));
/// let api = RestApi::new(&east.scope("api"), &key, Default::default());
/// api.lambda_route(HttpMethod::Post, "/payments", &handler);
/// api.lambda_route(HttpMethod::Get, "/payments/{id}", &handler);
/// let doc = stack.synth().unwrap();
/// infra_core::testing::assert_permissions_have_source_arn(&doc);
/// assert_eq!(infra_core::testing::count(&doc, "aws_api_gateway_resource"), 2);
/// ```
#[derive(Debug)]
pub struct RestApi<'s, R: Region> {
    scope: Aws<'s, R>,
    stage_name: String,
    /// The API.
    pub api: Ref<apigw::RestApi<R>>,
    /// The deployment the stage serves (its triggers list every route).
    pub deployment: Ref<apigw::Deployment<R>>,
    /// The stage.
    pub stage: Ref<apigw::Stage<R>>,
    /// The stage's access log group.
    pub access_logs: Ref<cloudwatch::LogGroup<R>>,
    /// The web ACL on the stage.
    pub web_acl: Ref<wafv2::WebAcl<R>>,
    /// The API key.
    pub api_key: Ref<apigw::ApiKey<R>>,
    /// The usage plan the key belongs to.
    pub usage_plan: Ref<apigw::UsagePlan<R>>,
    /// Path resources by path (`/payments`).
    resources: RefCell<BTreeMap<String, Id<apigw::ApiResource<R>>>>,
    /// What redeploys the API: each route's method and integration.
    triggers: RefCell<Vec<Text>>,
}

/// A log group encrypted with `key`, kept `days`.
#[track_caller]
fn log_group<R: Region>(
    scope: &Aws<'_, R>,
    name: &str,
    group: String,
    key: &Key<'_, R>,
    days: u32,
) -> Ref<cloudwatch::LogGroup<R>> {
    key.allow_logs();
    scope.add(
        name,
        cloudwatch::LogGroup {
            name: Some(group.into()),
            retention_in_days: Some(days),
            kms_key_id: Some(key.arn()),
            ..Default::default()
        },
    )
}

impl<'s, R: Region> RestApi<'s, R> {
    /// An API in `scope`; add routes with [`RestApi::lambda_route`] (API Gateway refuses to
    /// deploy an API without methods).
    #[track_caller]
    pub fn new(scope: &Aws<'s, R>, key: &Key<'s, R>, config: RestApiConfig) -> Self {
        let name = super::aws_name(scope);
        let days = config.log_retention_days;
        let api = scope.add(
            "api",
            apigw::RestApi {
                name: name.clone().into(),
                opts: apigw::RestApiOpts {
                    endpoint_configuration: Some(apigw::ApiEndpointConfiguration::regional()),
                    api_key_source: Some(apigw::ApiKeySource::Header),
                    ..Default::default()
                },
            },
        );
        let deployment = scope.add_with(
            "deployment",
            apigw::Deployment {
                rest_api_id: api.id(),
                opts: apigw::DeploymentOpts::default(),
            },
            Meta::new().create_before_destroy(),
        );
        let access_logs = log_group(
            scope,
            "access_logs",
            format!("/aws/apigateway/{name}"),
            key,
            days,
        );
        let mut depends = Meta::new().depends_on(&access_logs);
        if config.account_logging_role {
            depends = depends.depends_on(&account_role(scope));
        }
        let stage = scope.add_with(
            "stage",
            apigw::Stage {
                rest_api_id: api.id(),
                deployment_id: deployment.id(),
                stage_name: config.stage.clone().into(),
                opts: apigw::StageOpts {
                    access_log_settings: Some(apigw::AccessLogSettings::json(access_logs.arn())),
                    xray_tracing_enabled: Some(true),
                    cache_cluster_enabled: Some(false),
                    ..Default::default()
                },
            },
            depends,
        );
        scope.add(
            "method_settings",
            apigw::MethodSettings {
                rest_api_id: api.id(),
                stage_name: stage.stage_name(),
                method_path: "*/*".into(),
                settings: apigw::Settings {
                    metrics_enabled: Some(true),
                    logging_level: Some(apigw::LoggingLevel::Info),
                    data_trace_enabled: Some(false),
                    caching_enabled: Some(false),
                    throttling_rate_limit: Some(config.throttle.0),
                    throttling_burst_limit: Some(config.throttle.1),
                    ..Default::default()
                },
            },
        );
        let web_acl = web_acl(scope, &name, key, &config, &stage);
        let (api_key, usage_plan) = key_and_plan(scope, &name, &api, &stage, config.plan);
        Self {
            scope: scope.clone(),
            stage_name: config.stage,
            api,
            deployment,
            stage,
            access_logs,
            web_acl,
            api_key,
            usage_plan,
            resources: RefCell::new(BTreeMap::new()),
            triggers: RefCell::new(Vec::new()),
        }
    }

    /// The path resource of `path` (`/payments/{id}`), creating the missing segments.
    #[track_caller]
    fn resource(&self, path: &str) -> Id<apigw::ApiResource<R>> {
        let mut parent = self.api.root_resource_id();
        let mut so_far = String::new();
        for segment in path.split('/').filter(|s| !s.is_empty()) {
            so_far.push('/');
            so_far.push_str(segment);
            let existing = self.resources.borrow().get(&so_far).cloned();
            parent = match existing {
                Some(id) => id,
                None => {
                    let name = so_far
                        .trim_start_matches('/')
                        .replace(['{', '}'], "")
                        .replace(['/', '-', '.'], "_");
                    let id = self
                        .scope
                        .scope("path")
                        .add(
                            &name,
                            apigw::ApiResource {
                                rest_api_id: self.api.id(),
                                parent_id: parent,
                                path_part: segment.into(),
                            },
                        )
                        .id();
                    self.resources
                        .borrow_mut()
                        .insert(so_far.clone(), id.clone());
                    id
                }
            };
        }
        parent
    }

    /// Routes `method path` to `function` through a Lambda proxy integration: the method
    /// requires the API key, the function may be invoked by this route of this API only, and
    /// the deployment's triggers gain the method and the integration.
    #[track_caller]
    pub fn lambda_route(&self, method: apigw::HttpMethod, path: &str, function: &Function<'_, R>) {
        let resource = self.resource(path);
        let route = format!(
            "{}_{}",
            method.as_str().to_lowercase(),
            path.trim_matches('/')
                .replace(['{', '}'], "")
                .replace(['/', '-', '.'], "_")
        );
        let route_scope = self.scope.scope("route");
        let method_node = route_scope.add(
            &route,
            apigw::Method {
                rest_api_id: self.api.id(),
                resource_id: resource,
                http_method: method,
                authorization: apigw::Authorization::None,
                opts: apigw::MethodOpts {
                    api_key_required: Some(true),
                    ..Default::default()
                },
            },
        );
        let proxy = self
            .api
            .lambda_proxy(method_node.target(), &function.function);
        let integration = route_scope.add(&route, proxy.integration());
        route_scope.add(
            &route,
            lambda::Permission::api_gateway(
                proxy.route(&self.stage_name, method.as_str(), path),
                lambda::PermissionOpts::default(),
            ),
        );
        let mut triggers = self.triggers.borrow_mut();
        triggers.push(method_node.id().text().clone());
        triggers.push(integration.id().text().clone());
        let opts = apigw::DeploymentOpts::redeploy_on(triggers.iter().cloned());
        self.scope
            .stack()
            .amend(&self.deployment, |d| d.opts = opts);
    }
}

/// The region's API Gateway account role for CloudWatch logging.
#[track_caller]
fn account_role<R: Region>(scope: &Aws<'_, R>) -> Ref<apigw::Account<R>> {
    let role = super::Role::for_service(&scope.scope("logging"), service::ApiGateway);
    scope.add(
        "logging_role_policy",
        iam::RolePolicyAttachment {
            role: role.role.id(),
            policy_arn: iam::ManagedPolicy::aws_service_role(
                "AmazonAPIGatewayPushToCloudWatchLogs",
            ),
        },
    );
    scope.add(
        "account",
        apigw::Account {
            cloudwatch_role_arn: Some(role.arn()),
            ..Default::default()
        },
    )
}

/// The web ACL, its logging and its association with the stage.
#[track_caller]
fn web_acl<R: Region>(
    scope: &Aws<'_, R>,
    name: &str,
    key: &Key<'_, R>,
    config: &RestApiConfig,
    stage: &Ref<apigw::Stage<R>>,
) -> Ref<wafv2::WebAcl<R>> {
    use wafv2::{AwsManagedRuleGroup as Group, ManagedRuleGroupStatement, Rule, VisibilityConfig};
    let managed = |rule: &str, priority, group| {
        Rule::managed_group(
            rule,
            priority,
            ManagedRuleGroupStatement::aws(group),
            VisibilityConfig::enabled(format!("{name}-{rule}")),
        )
    };
    let acl = scope.add(
        "web_acl",
        wafv2::WebAcl {
            name: name.into(),
            scope: wafv2::Scope::Regional,
            default_action: wafv2::DefaultAction::allow(),
            visibility_config: VisibilityConfig::enabled(name),
            opts: wafv2::WebAclOpts {
                rule: vec![
                    managed("common", 10, Group::CommonRuleSet),
                    managed("known-bad-inputs", 20, Group::KnownBadInputsRuleSet),
                    managed("ip-reputation", 30, Group::AmazonIpReputationList),
                    Rule::rate_based(
                        "rate-per-ip",
                        40,
                        wafv2::RateBasedStatement::per_ip(config.rate_limit_per_ip),
                        wafv2::RuleAction::block(),
                        VisibilityConfig::enabled(format!("{name}-rate-per-ip")),
                    ),
                ],
                ..Default::default()
            },
        },
    );
    let logs = log_group(
        scope,
        "waf_logs",
        format!("aws-waf-logs-{name}"),
        key,
        config.log_retention_days,
    );
    scope.add(
        "waf_logging",
        wafv2::LoggingConfiguration {
            resource_arn: acl.arn(),
            log_destination_configs: wafv2::LogDestination::log_group(logs.arn()),
            opts: wafv2::LoggingConfigurationOpts {
                redacted_fields: vec![wafv2::RedactedField::header("x-api-key")],
                ..Default::default()
            },
        },
    );
    scope.add(
        "web_acl_association",
        wafv2::WebAclAssociation {
            resource_arn: stage.arn(),
            web_acl_arn: acl.arn(),
            opts: Default::default(),
        },
    );
    acl
}

/// The API key and the usage plan that admits it to the stage.
#[track_caller]
fn key_and_plan<R: Region>(
    scope: &Aws<'_, R>,
    name: &str,
    api: &Ref<apigw::RestApi<R>>,
    stage: &Ref<apigw::Stage<R>>,
    (rate, burst, monthly): (f64, u32, u32),
) -> (Ref<apigw::ApiKey<R>>, Ref<apigw::UsagePlan<R>>) {
    let api_key = scope.add(
        "api_key",
        apigw::ApiKey {
            name: name.into(),
            opts: apigw::ApiKeyOpts {
                enabled: Some(true),
                ..Default::default()
            },
        },
    );
    let plan = scope.add(
        "usage_plan",
        apigw::UsagePlan {
            name: name.into(),
            opts: apigw::UsagePlanOpts {
                api_stages: vec![apigw::ApiStage {
                    api_id: api.id(),
                    stage: stage.stage_name(),
                    throttle: vec![],
                }],
                throttle_settings: Some(apigw::ThrottleSettings {
                    burst_limit: Some(burst),
                    rate_limit: Some(rate),
                }),
                quota_settings: Some(apigw::QuotaSettings {
                    limit: monthly,
                    period: apigw::QuotaPeriod::Month,
                    offset: None,
                }),
                ..Default::default()
            },
        },
    );
    scope.add(
        "usage_plan_key",
        apigw::UsagePlanKey {
            key_id: api_key.id(),
            key_type: apigw::UsagePlanKeyType::ApiKey,
            usage_plan_id: plan.id(),
        },
    );
    (api_key, plan)
}
