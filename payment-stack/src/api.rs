//! One region's REST API: the routes of the request path (docs/architecture.md, steps 4–6),
//! the stage with its logging, the API key and the usage plan.
//!
//! Every method, integration, response, validator and model goes through [`Routes`], which
//! records it; the deployment redeploys on exactly what was recorded, so no redeploy list is
//! kept by hand and a new route (the CORS preflights included) cannot be left out of it.

use std::collections::BTreeMap;

use infra_core::aws::apigateway::{self as apigw, *};
use infra_core::aws::iam;
use infra_core::aws::lambda::{self, Function};
use infra_core::policy::{PolicyDocument, service};
use infra_core::{Aws, Id, InRegion, Managed, Meta, Ref, Region, Text};

use crate::Config;
use crate::keys::Keys;
use crate::observability::log_group;
use crate::regional::{AUDIT_LOG_DAYS, STAGE};

/// The JSON schema of `POST /payments`, shared with the function (one contract, two checks).
pub const PAYMENT_REQUEST_SCHEMA: &str =
    include_str!("../../lambda/schema/payment-request.schema.json");

/// `sha256:<hex>` of a request model's schema as we write it: the deployment trigger's stand-in
/// for the model's `schema` attribute, which the provider stores normalised.
fn schema_digest(schema: &str) -> String {
    let digest = hmac_sha256::Hash::hash(schema.as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// The request headers browsers may send to the API.
const CORS_ALLOW_HEADERS: &str = "Content-Type,X-Api-Key,Idempotency-Key,X-Amz-Date,Authorization";

/// The API's CORS headers for `methods`: one allowed origin, never `*`.
fn cors(cfg: &Config, methods: &str) -> Cors {
    Cors {
        allow_origin: cfg.cors_origin().to_owned(),
        allow_methods: methods.to_owned(),
        allow_headers: CORS_ALLOW_HEADERS.to_owned(),
    }
}

/// The access log format: one JSON object per request, without request bodies or keys.
const ACCESS_LOG_FORMAT: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","resourcePath":"$context.resourcePath","status":"$context.status","protocol":"$context.protocol","responseLength":"$context.responseLength","integrationLatency":"$context.integrationLatency","xrayTraceId":"$context.xrayTraceId"}"#;

/// What the rest of the region needs of its API.
pub struct Api<R: Region> {
    /// The API.
    pub api: Ref<RestApi<R>>,
    /// The stage `v1`.
    pub stage: Ref<Stage<R>>,
    /// The client key.
    pub api_key: Ref<ApiKey<R>>,
}

/// The builder of an API's deployable parts: each part it adds is recorded, and
/// [`Routes::deploy`] creates the deployment that redeploys when any of them changes.
pub struct Routes<'a, 's, R: Region> {
    aws: &'a Aws<'s, R>,
    api: Ref<RestApi<R>>,
    /// What the deployment redeploys on: the `id` of every recorded part, plus digests.
    triggers: Vec<Text>,
    /// The integrations, which the deployment waits for.
    integrations: Vec<Ref<Integration<R>>>,
    /// The Lambda proxy integrations, which the function's permission is made from.
    proxies: Vec<LambdaProxy<R>>,
}

impl<'a, 's, R: Region> Routes<'a, 's, R> {
    /// A builder for `api`'s routes.
    pub fn new(aws: &'a Aws<'s, R>, api: &Ref<RestApi<R>>) -> Self {
        Self {
            aws,
            api: api.clone(),
            triggers: Vec::new(),
            integrations: Vec::new(),
            proxies: Vec::new(),
        }
    }

    /// Adds a part of the API and records its `id` as a trigger.
    fn record<T: Managed + InRegion<R>>(&mut self, name: &str, part: T) -> Ref<T> {
        let added = self.aws.add(name, part);
        self.triggers.push(added.node().attribute("id"));
        added
    }

    /// A request validator (`validate_body`: the body too, not only the parameters).
    pub fn validator(
        &mut self,
        name: &str,
        cfg: &Config,
        validate_body: bool,
    ) -> Ref<RequestValidator<R>> {
        let purpose = name.trim_end_matches("_validator");
        let rest_api_id = self.api.id();
        self.record(
            name,
            RequestValidator {
                rest_api_id,
                name: cfg.name(purpose).into(),
                opts: RequestValidatorOpts {
                    validate_request_body: Some(validate_body),
                    validate_request_parameters: Some(true),
                    ..Default::default()
                },
            },
        )
    }

    /// A request model; the schema's digest, as written, is a trigger too (the provider
    /// stores the schema normalised, so hashing that attribute would redeploy after every
    /// first apply).
    pub fn model(&mut self, name: &str, model: Model<R>, schema: &str) -> Ref<Model<R>> {
        self.triggers.push(Text::from(schema_digest(schema)));
        self.record(name, model)
    }

    /// A path resource under `parent`.
    pub fn resource(
        &self,
        name: &str,
        parent: Id<ApiResource<R>>,
        path_part: &str,
    ) -> Ref<ApiResource<R>> {
        self.aws.add(
            name,
            ApiResource {
                rest_api_id: self.api.id(),
                parent_id: parent,
                path_part: path_part.into(),
            },
        )
    }

    /// `http_method` on `resource`, configured by `opts`, proxied to `function`.
    pub fn lambda(
        &mut self,
        name: &str,
        (resource, http_method): (&Ref<ApiResource<R>>, HttpMethod),
        opts: MethodOpts<R>,
        function: &Ref<Function<R>>,
    ) -> Ref<Method<R>> {
        let method = self.method(name, resource, http_method, opts);
        let proxy = self.api.lambda_proxy(method.target(), function);
        let integration = self.record(&format!("{name}_integration"), proxy.integration());
        self.integrations.push(integration);
        self.proxies.push(proxy);
        method
    }

    /// The permission that lets every route of `stage` invoke the function of the Lambda
    /// routes (made from their integration, so it names this API and that function); `None`
    /// before any Lambda route. The payment API's three Lambda routes call one function.
    pub fn invoke_permission(
        &self,
        name: &str,
        stage: &str,
        statement_id: &str,
    ) -> Option<Ref<lambda::Permission<R>>> {
        let proxy = self.proxies.first()?;
        let permission = lambda::Permission::api_gateway(
            proxy.route(stage, "*", "*"),
            lambda::PermissionOpts {
                statement_id: Some(statement_id.into()),
                ..Default::default()
            },
        );
        Some(self.aws.add(name, permission))
    }

    fn method(
        &mut self,
        name: &str,
        resource: &Ref<ApiResource<R>>,
        http_method: HttpMethod,
        opts: MethodOpts<R>,
    ) -> Ref<Method<R>> {
        let method = Method {
            rest_api_id: self.api.id(),
            resource_id: resource.id(),
            http_method,
            authorization: Authorization::None,
            opts,
        };
        self.record(name, method)
    }

    /// The CORS preflight of `resource`: `OPTIONS` (no key) answered by a mock integration
    /// with `cors`'s headers.
    pub fn preflight(
        &mut self,
        name: &str,
        resource: &Ref<ApiResource<R>>,
        validator: &Ref<RequestValidator<R>>,
        cors: &Cors,
    ) {
        let opts = MethodOpts {
            api_key_required: Some(false),
            request_validator_id: Some(validator.id()),
            ..Default::default()
        };
        let target = self
            .method(name, resource, HttpMethod::Options, opts)
            .target();
        let integration = self.record(
            &format!("{name}_integration"),
            Integration::mock(target.clone()),
        );
        self.integrations.push(integration.clone());
        let response = self.record(
            &format!("{name}_response"),
            MethodResponse {
                method: target.clone(),
                status_code: "200".into(),
                opts: MethodResponseOpts {
                    response_parameters: Some(cors.method_response_parameters()),
                    ..Default::default()
                },
            },
        );
        let integration_response = IntegrationResponse {
            method: target,
            status_code: "200".into(),
            opts: IntegrationResponseOpts {
                response_parameters: Some(cors.integration_response_parameters()),
                ..Default::default()
            },
        };
        let meta = Meta::new().depends_on(&integration).depends_on(&response);
        let added = self.aws.add_with(
            &format!("{name}_integration_response"),
            integration_response,
            meta,
        );
        self.triggers.push(added.node().attribute("id"));
    }

    /// A gateway response (`DEFAULT_4XX`) with `cors`'s headers.
    pub fn gateway_response(
        &mut self,
        name: &str,
        response_type: GatewayResponseType,
        cors: &Cors,
    ) {
        let response = GatewayResponse {
            rest_api_id: self.api.id(),
            response_type,
            opts: GatewayResponseOpts {
                response_parameters: Some(cors.gateway_response_parameters()),
                ..Default::default()
            },
        };
        self.record(name, response);
    }

    /// The deployment, redeploying when anything recorded changes (created before the old
    /// one is destroyed, after every integration).
    pub fn deploy(self) -> Ref<Deployment<R>> {
        let mut meta = Meta::new().create_before_destroy();
        for integration in &self.integrations {
            meta = meta.depends_on(integration);
        }
        self.aws.add_with(
            "deployment",
            Deployment {
                rest_api_id: self.api.id(),
                opts: DeploymentOpts::redeploy_on(self.triggers),
            },
            meta,
        )
    }
}

/// The API of region `R`, proxied to `function`, with its stage, key and usage plan.
pub fn api<R: Region>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    keys: &Keys<'_, R>,
    function: &Ref<Function<R>>,
) -> Api<R> {
    let api = aws.add_with(
        "api",
        RestApi {
            name: cfg.name("api").into(),
            opts: RestApiOpts {
                description: Some("payment API".into()),
                endpoint_configuration: Some(ApiEndpointConfiguration::regional()),
                api_key_source: Some(ApiKeySource::Header),
                ..Default::default()
            },
        },
        Meta::new().create_before_destroy(),
    );
    let mut routes = Routes::new(aws, &api);
    payment_routes(&mut routes, cfg, &api, function);
    for (name, response_type) in [
        ("cors_4xx", GatewayResponseType::Default4xx),
        ("cors_5xx", GatewayResponseType::Default5xx),
    ] {
        routes.gateway_response(name, response_type, &cors(cfg, "GET,POST,OPTIONS"));
    }
    routes.invoke_permission("invoke_permission", STAGE, "AllowItsOwnApiOnly");
    let deployment = routes.deploy();
    let stage = stage(aws, cfg, keys, &api, &deployment);
    let api_key = key_and_plan(aws, cfg, &api, &stage);
    Api {
        api,
        stage,
        api_key,
    }
}

/// `POST /payments`, `GET /payments/{payment_id}`, `GET /health`, and the preflights.
fn payment_routes<R: Region>(
    routes: &mut Routes<'_, '_, R>,
    cfg: &Config,
    api: &Ref<RestApi<R>>,
    function: &Ref<Function<R>>,
) {
    let body = routes.validator("body_validator", cfg, true);
    let params = routes.validator("params_validator", cfg, false);
    let model = Model {
        rest_api_id: api.id(),
        name: "CreatePayment".into(),
        content_type: "application/json".into(),
        opts: ModelOpts {
            description: Some("POST /payments body".into()),
            schema: Some(PAYMENT_REQUEST_SCHEMA.into()),
            ..Default::default()
        },
    };
    let model = routes.model("payment_model", model, PAYMENT_REQUEST_SCHEMA);
    let payments = routes.resource("payments", api.root_resource_id(), "payments");
    let payment = routes.resource("payment", payments.id(), "{payment_id}");
    let health = routes.resource("health", api.root_resource_id(), "health");
    let keyed =
        |validator: &Ref<RequestValidator<R>>, parameter: &str, required: bool| MethodOpts {
            api_key_required: Some(true),
            request_validator_id: Some(validator.id()),
            request_parameters: Some(BTreeMap::from([(parameter.to_owned(), required)])),
            ..Default::default()
        };
    let create = MethodOpts {
        request_models: Some(BTreeMap::from([(
            "application/json".to_owned(),
            model.name(),
        )])),
        ..keyed(&body, "method.request.header.Idempotency-Key", false)
    };
    routes.lambda(
        "create_payment",
        (&payments, HttpMethod::Post),
        create,
        function,
    );
    let read = keyed(&params, "method.request.path.payment_id", true);
    routes.lambda("read_payment", (&payment, HttpMethod::Get), read, function);
    // Route 53 health checkers cannot send an API key: /health is the one open route, and
    // it returns no payment data (see .checkov.yaml).
    let open = MethodOpts {
        api_key_required: Some(false),
        request_validator_id: Some(params.id()),
        ..Default::default()
    };
    routes.lambda("check_health", (&health, HttpMethod::Get), open, function);
    routes.preflight(
        "payments_preflight",
        &payments,
        &params,
        &cors(cfg, "POST,OPTIONS"),
    );
    routes.preflight(
        "payment_preflight",
        &payment,
        &params,
        &cors(cfg, "GET,OPTIONS"),
    );
}

/// The region's API Gateway account role for CloudWatch logging (one per account and region).
fn logging_account<R: Region>(aws: &Aws<'_, R>, cfg: &Config) -> Ref<apigw::Account<R>> {
    let role = aws.add(
        "gateway_logging_role",
        iam::Role {
            assume_role_policy: PolicyDocument::trust(service::ApiGateway),
            opts: iam::RoleOpts {
                name: Some(format!("{}-{}", cfg.name("apigw-logs"), R::NAME).into()),
                ..Default::default()
            },
        },
    );
    let policy = aws.add(
        "gateway_logging_policy",
        iam::RolePolicyAttachment {
            role: role.id(),
            policy_arn: iam::ManagedPolicy::aws_service_role(
                "AmazonAPIGatewayPushToCloudWatchLogs",
            ),
        },
    );
    aws.add_with(
        "gateway_account",
        apigw::Account {
            cloudwatch_role_arn: Some(role.arn()),
            ..Default::default()
        },
        Meta::new().depends_on(&policy),
    )
}

/// Stage `v1`: JSON access logs, X-Ray, no cache, execution logging at `INFO` without data
/// traces, and method throttling.
fn stage<R: Region>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    keys: &Keys<'_, R>,
    api: &Ref<RestApi<R>>,
    deployment: &Ref<Deployment<R>>,
) -> Ref<Stage<R>> {
    let group = format!("/aws/apigateway/{}", cfg.name("api"));
    let access_logs = log_group(aws, keys, "access_logs", group, AUDIT_LOG_DAYS);
    let account = logging_account(aws, cfg);
    let client_certificate = aws.add(
        "client_certificate",
        ClientCertificate {
            description: Some(format!("{} backend calls", cfg.name("api")).into()),
            ..Default::default()
        },
    );
    let stage = Stage {
        rest_api_id: api.id(),
        deployment_id: deployment.id(),
        stage_name: STAGE.into(),
        opts: StageOpts {
            description: Some("payment API".into()),
            access_log_settings: Some(AccessLogSettings {
                destination_arn: access_logs.arn(),
                format: ACCESS_LOG_FORMAT.into(),
            }),
            xray_tracing_enabled: Some(true),
            cache_cluster_enabled: Some(false),
            client_certificate_id: Some(client_certificate.id()),
            ..Default::default()
        },
    };
    let stage = aws.add_with("stage", stage, Meta::new().depends_on(&account));
    aws.add(
        "method_settings",
        MethodSettings {
            rest_api_id: api.id(),
            stage_name: stage.stage_name(),
            method_path: "*/*".into(),
            settings: Settings {
                metrics_enabled: Some(true),
                logging_level: Some(LoggingLevel::Info),
                data_trace_enabled: Some(false),
                caching_enabled: Some(false),
                throttling_burst_limit: Some(200),
                throttling_rate_limit: Some(100.0),
                ..Default::default()
            },
        },
    );
    stage
}

/// The client key (generated by API Gateway; the secondary region reuses the primary's
/// value, [`crate::regional::share_api_key`]) and its usage plan: 50 requests/s, burst 100,
/// 1,000,000 a month.
fn key_and_plan<R: Region>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    api: &Ref<RestApi<R>>,
    stage: &Ref<Stage<R>>,
) -> Ref<ApiKey<R>> {
    let api_key = aws.add(
        "api_key",
        ApiKey {
            name: cfg.name("api-key").into(),
            opts: ApiKeyOpts {
                description: Some("payment API client key".into()),
                enabled: Some(true),
                ..Default::default()
            },
        },
    );
    let usage_plan = aws.add(
        "usage_plan",
        UsagePlan {
            name: cfg.name("usage-plan").into(),
            opts: UsagePlanOpts {
                description: Some("payment API clients".into()),
                api_stages: vec![ApiStage {
                    api_id: api.id(),
                    stage: stage.stage_name(),
                    throttle: vec![],
                }],
                throttle_settings: Some(ThrottleSettings {
                    burst_limit: Some(100),
                    rate_limit: Some(50.0),
                }),
                quota_settings: Some(QuotaSettings {
                    limit: 1_000_000,
                    period: QuotaPeriod::Month,
                    offset: None,
                }),
                ..Default::default()
            },
        },
    );
    aws.add(
        "usage_plan_key",
        UsagePlanKey {
            key_id: api_key.id(),
            key_type: UsagePlanKeyType::ApiKey,
            usage_plan_id: usage_plan.id(),
        },
    );
    api_key
}

#[cfg(test)]
mod tests {
    use super::schema_digest;

    /// The digest is SHA-256 (FIPS 180-2's test vector), whichever crate computes it.
    #[test]
    fn the_schema_digest_is_sha256() {
        assert_eq!(
            schema_digest("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
