//! Amazon API Gateway (REST APIs, v1): the API and its resources, methods, integrations and
//! responses, deployments and stages, API keys and usage plans, custom domain names, and the
//! `execute-api` IAM action.
//!
//! Everything is regional and typed by region `R`: a method takes the `Id<RestApi<R>>` and the
//! `Id<ApiResource<R>>` it belongs to (the root resource is the API's `root_resource_id()`), an
//! `AWS_PROXY` integration takes the Lambda function's `Arn<lambda::Invoke<R>>`, a stage logs to
//! an `Arn<cloudwatch::LogGroup<R>>`, a regional domain name takes an `Arn<acm::Certificate<R>>`.
//! The arguments that name a method (`rest_api_id`, `resource_id`, `http_method`) travel
//! together as one [`MethodTarget`], taken from the method's (or the integration's) handle, so an
//! integration cannot name the API of one method and the verb of another, and Terraform creates
//! it after the method it refers to.

#![allow(non_upper_case_globals)] // IAM actions are named exactly as AWS names them (`execute-api:Invoke`).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde_json::Value;

use crate::aws::{cloudwatch, ec2, lambda};
use crate::shape::ArgKind;
use crate::{Argument, Arn, Block, Id, Name, OneOrMore, Region, Text, string_enum};

/// The overlay-typed types (`infra-core/overlay/types/apigateway.toml`): `RestApi`, `Stage`,
/// `Deployment`, `ApiKey`, `UsagePlan`, `DomainName`… (every type of the module whose struct the
/// overlay expresses).
pub use super::generated::overlay::apigateway::*;

/// The generated `apigateway` types this module does not define (feature `apigateway`).
#[cfg(feature = "apigateway")]
pub use super::generated::apigateway::*;

/// What an API's `execution_arn` names: `arn:aws:execute-api:<region>:<account>:<api id>`, and
/// below it `…/<stage>/<METHOD>/<path>`, what `lambda:InvokeFunction` permissions and
/// `execute-api:Invoke` statements are scoped to.
#[derive(Debug)]
pub struct ExecuteApi<R>(PhantomData<R>);

/// The HTTP verb of a declared method, read from the method so that what refers to it is
/// created after it (see [`MethodTarget`]).
#[derive(Debug)]
pub struct MethodVerb<R>(PhantomData<R>);

string_enum! {
    /// The HTTP method of a [`Method`].
    pub enum HttpMethod {
        /// `GET`.
        Get = "GET",
        /// `POST`.
        Post = "POST",
        /// `PUT`.
        Put = "PUT",
        /// `PATCH`.
        Patch = "PATCH",
        /// `DELETE`.
        Delete = "DELETE",
        /// `HEAD`.
        Head = "HEAD",
        /// `OPTIONS` (CORS preflight).
        Options = "OPTIONS",
        /// Any method.
        Any = "ANY",
    }
}

string_enum! {
    /// How callers of a method are authorized.
    pub enum Authorization {
        /// Open (protect it with an API key, `api_key_required`, and WAF).
        None = "NONE",
        /// SigV4-signed requests, checked against IAM.
        AwsIam = "AWS_IAM",
        /// A Lambda authorizer.
        Custom = "CUSTOM",
        /// A Cognito user pool authorizer.
        CognitoUserPools = "COGNITO_USER_POOLS",
    }
}

string_enum! {
    /// The kind of backend an integration calls.
    pub enum IntegrationType {
        /// An AWS service action.
        Aws = "AWS",
        /// A Lambda function, receiving the whole request (`uri` is the function's invoke ARN).
        AwsProxy = "AWS_PROXY",
        /// An HTTP endpoint with mapping templates.
        Http = "HTTP",
        /// An HTTP endpoint, passing the request through.
        HttpProxy = "HTTP_PROXY",
        /// No backend: API Gateway answers itself (CORS preflight).
        Mock = "MOCK",
    }
}

string_enum! {
    /// What an integration does with a request whose content type has no mapping template.
    pub enum PassthroughBehavior {
        /// Pass it through when no template matches.
        WhenNoMatch = "WHEN_NO_MATCH",
        /// Pass it through only when no template is defined at all.
        WhenNoTemplates = "WHEN_NO_TEMPLATES",
        /// Reject it with 415.
        Never = "NEVER",
    }
}

string_enum! {
    /// How a payload is converted between text and binary.
    pub enum ContentHandling {
        /// Base64-decode to binary.
        ConvertToBinary = "CONVERT_TO_BINARY",
        /// Base64-encode to text.
        ConvertToText = "CONVERT_TO_TEXT",
    }
}

string_enum! {
    /// The response types an API can customize (a gateway response).
    pub enum GatewayResponseType {
        /// Every 4xx that has no more specific type.
        Default4xx = "DEFAULT_4XX",
        /// Every 5xx that has no more specific type.
        Default5xx = "DEFAULT_5XX",
        /// The authorizer denied access (403).
        AccessDenied = "ACCESS_DENIED",
        /// The API key is invalid (403).
        InvalidApiKey = "INVALID_API_KEY",
        /// No authentication token (403).
        MissingAuthenticationToken = "MISSING_AUTHENTICATION_TOKEN",
        /// The request body failed validation (400).
        BadRequestBody = "BAD_REQUEST_BODY",
        /// The request parameters failed validation (400).
        BadRequestParameters = "BAD_REQUEST_PARAMETERS",
        /// Throttled (429).
        Throttled = "THROTTLED",
        /// The usage plan's quota is exhausted (429).
        QuotaExceeded = "QUOTA_EXCEEDED",
        /// The authorizer failed (500).
        AuthorizerFailure = "AUTHORIZER_FAILURE",
        /// The integration failed (504 or 502).
        IntegrationFailure = "INTEGRATION_FAILURE",
        /// The integration timed out (504).
        IntegrationTimeout = "INTEGRATION_TIMEOUT",
        /// The WAF web ACL blocked the request (403).
        WafFiltered = "WAF_FILTERED",
        /// The request was unauthorized (401).
        Unauthorized = "UNAUTHORIZED",
        /// The payload is too large (413).
        RequestTooLarge = "REQUEST_TOO_LARGE",
        /// No route matched (404).
        ResourceNotFound = "RESOURCE_NOT_FOUND",
        /// Unsupported media type (415).
        UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE",
    }
}

string_enum! {
    /// How much a stage logs to CloudWatch (method settings).
    pub enum LoggingLevel {
        /// No execution logs.
        Off = "OFF",
        /// Errors only.
        Error = "ERROR",
        /// Errors and informational events.
        Info = "INFO",
    }
}

string_enum! {
    /// The minimum TLS version a custom domain name accepts.
    pub enum SecurityPolicy {
        /// TLS 1.0 and later (not for payment traffic).
        Tls10 = "TLS_1_0",
        /// TLS 1.2 and later.
        Tls12 = "TLS_1_2",
    }
}

string_enum! {
    /// The period of a usage plan's quota.
    pub enum QuotaPeriod {
        /// Per day.
        Day = "DAY",
        /// Per week.
        Week = "WEEK",
        /// Per month.
        Month = "MONTH",
    }
}

string_enum! {
    /// The kind of key a usage plan key adds (API Gateway knows one).
    pub enum UsagePlanKeyType {
        /// An API key.
        ApiKey = "API_KEY",
    }
}

string_enum! {
    /// Where API Gateway reads the API key from.
    pub enum ApiKeySource {
        /// The `x-api-key` header.
        Header = "HEADER",
        /// A Lambda authorizer's `usageIdentifierKey`.
        Authorizer = "AUTHORIZER",
    }
}

string_enum! {
    /// The IP address types an endpoint serves.
    pub enum IpAddressType {
        /// IPv4 only.
        Ipv4 = "ipv4",
        /// IPv4 and IPv6.
        Dualstack = "dualstack",
    }
}

/// The endpoint type of an API or a domain name.
///
/// API Gateway takes exactly one, written as the one-element list `types = ["REGIONAL"]`; this
/// type is that list, so zero or two types cannot be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EndpointType {
    /// Served from the API's region (put CloudFront or Route 53 latency records in front).
    Regional,
    /// Served through an AWS-managed CloudFront distribution.
    Edge,
    /// Reachable only through interface VPC endpoints.
    Private,
}

impl EndpointType {
    /// The value as API Gateway spells it.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Regional => "REGIONAL",
            Self::Edge => "EDGE",
            Self::Private => "PRIVATE",
        }
    }
}

impl Argument for EndpointType {
    fn to_value(&self) -> Option<Value> {
        Some(Value::Array(vec![Value::String(self.as_str().to_owned())]))
    }
    fn kind() -> ArgKind {
        ArgKind::List(Box::new(ArgKind::String))
    }
}

/// The endpoint of a REST API of region `R` (`endpoint_configuration` block): regional, edge,
/// or private through interface VPC endpoints of its region.
///
/// ```
/// use infra_core::{Id, OneOrMore, Text, UsEast1, aws::{apigateway as apigw, ec2}};
/// // An interface endpoint of the `execute-api` service (`endpoint.id()`), of the API's region.
/// let endpoint: Id<ec2::VpcEndpoint<UsEast1>> = Id::from_text(Text::expression("aws_vpc_endpoint.api.id"));
/// let private = apigw::ApiEndpointConfiguration::private(OneOrMore::new(endpoint));
/// # let _ = private;
/// ```
///
/// An endpoint of another region does not compile:
///
/// ```compile_fail
/// use infra_core::{Id, OneOrMore, Text, UsEast1, UsWest2, aws::{apigateway as apigw, ec2}};
/// let west: Id<ec2::VpcEndpoint<UsWest2>> = Id::from_text(Text::expression("aws_vpc_endpoint.api.id"));
/// let private: apigw::ApiEndpointConfiguration<UsEast1> =
///     apigw::ApiEndpointConfiguration::private(OneOrMore::new(west));
/// ```
#[derive(Block, Debug, Clone)]
pub struct ApiEndpointConfiguration<R: Region> {
    /// The endpoint type.
    pub types: EndpointType,
    /// IPv4 only or dual-stack.
    pub ip_address_type: Option<IpAddressType>,
    /// The interface VPC endpoints (`execute-api`) of a private API, of its region.
    pub vpc_endpoint_ids: Vec<Id<ec2::VpcEndpoint<R>>>,
}

impl<R: Region> ApiEndpointConfiguration<R> {
    /// A regional endpoint.
    pub fn regional() -> Self {
        Self {
            types: EndpointType::Regional,
            ip_address_type: None,
            vpc_endpoint_ids: Vec::new(),
        }
    }

    /// A private endpoint, reachable only through `endpoints` (interface endpoints of the
    /// `execute-api` service in the API's region); give the API a policy that names them.
    pub fn private(endpoints: OneOrMore<Id<ec2::VpcEndpoint<R>>>) -> Self {
        Self {
            types: EndpointType::Private,
            ip_address_type: None,
            vpc_endpoint_ids: endpoints.into_vec(),
        }
    }
}

/// The endpoint of a custom domain name (`endpoint_configuration` block).
#[derive(Block, Debug, Clone)]
pub struct EndpointConfiguration {
    /// The endpoint type.
    pub types: EndpointType,
    /// IPv4 only or dual-stack.
    pub ip_address_type: Option<IpAddressType>,
}

impl EndpointConfiguration {
    /// A regional endpoint.
    pub fn regional() -> Self {
        Self {
            types: EndpointType::Regional,
            ip_address_type: None,
        }
    }
}

impl<R: Region> RestApiAttrs<R> {
    /// The execute-api ARN of one route: `${execution_arn}/<stage>/<METHOD>/<path>`.
    ///
    /// `stage`, `method` and `path` may be `*`; a leading `/` of `path` is dropped, so
    /// `execute_arn("*", "POST", "/payments")` is `…/*/POST/payments`.
    pub fn execute_arn(&self, stage: &str, method: &str, path: &str) -> Arn<ExecuteApi<R>> {
        route_arn(&self.execution_arn(), stage, method, path)
    }
}

/// `${api}/<stage>/<METHOD>/<path>`, a leading `/` of `path` dropped.
fn route_arn<R>(
    api: &Arn<ExecuteApi<R>>,
    stage: &str,
    method: &str,
    path: &str,
) -> Arn<ExecuteApi<R>> {
    let mut t = api.text().clone();
    for part in [stage, method, path.trim_start_matches('/')] {
        t.push_str("/");
        t.push_str(part);
    }
    Arn::from_text(t)
}

impl<R: Region> RestApiAttrs<R> {
    /// The `AWS_PROXY` integration of `method` (a method of this API) calling `function`, and
    /// the route a [`lambda::Permission::api_gateway`] for it is scoped to.
    ///
    /// The permission's `source_arn` and `function_name` both come from here, so it names the
    /// API whose integration calls the function and that function, never another API of the
    /// region or another function.
    ///
    /// ```
    /// use infra_core::{Stack, UsEast1, aws::{apigateway as apigw, iam, lambda}};
    /// use infra_core::policy::{PolicyDocument, service};
    /// let stack = Stack::new();
    /// let east = stack.aws::<UsEast1>("primary");
    /// let role = east.add("exec", iam::Role {
    ///     assume_role_policy: PolicyDocument::trust(service::Lambda),
    ///     opts: Default::default(),
    /// });
    /// let function = east.add("api", lambda::Function {
    ///     function_name: "payment-api".into(),
    ///     role: role.arn(),
    ///     opts: Default::default(),
    /// });
    /// let api = east.add("payments", apigw::RestApi { name: "payments".into(), opts: Default::default() });
    /// let post = east.add("post", apigw::Method {
    ///     rest_api_id: api.id(),
    ///     resource_id: api.root_resource_id(),
    ///     http_method: apigw::HttpMethod::Post,
    ///     authorization: apigw::Authorization::AwsIam,
    ///     opts: Default::default(),
    /// });
    /// let proxy = api.lambda_proxy(post.target(), &function);
    /// east.add("post", proxy.integration());
    /// east.add("post", lambda::Permission::api_gateway(proxy.route("v1", "POST", "/"), Default::default()));
    /// let json = stack.synth().unwrap();
    /// let p = &json.value()["resource"]["aws_lambda_permission"]["primary_post"];
    /// assert_eq!(p["principal"], "apigateway.amazonaws.com");
    /// assert_eq!(p["source_arn"], "${aws_api_gateway_rest_api.primary_payments.execution_arn}/v1/POST/");
    /// assert_eq!(p["function_name"], "${aws_lambda_function.primary_api.function_name}");
    /// ```
    pub fn lambda_proxy(
        &self,
        method: MethodTarget<R>,
        function: &lambda::FunctionAttrs<R>,
    ) -> LambdaProxy<R> {
        LambdaProxy {
            integration: Integration::lambda_proxy(method, function.invoke_arn()),
            api: self.execution_arn(),
            function_name: function.function_name(),
        }
    }
}

/// A Lambda proxy integration of a method of one API ([`RestApiAttrs::lambda_proxy`]), and the
/// routes of that API its function may be invoked from.
#[derive(Debug, Clone)]
pub struct LambdaProxy<R: Region> {
    /// Private, so that it cannot be changed to call another function than the one the
    /// routes name.
    integration: Integration<R>,
    api: Arn<ExecuteApi<R>>,
    function_name: Name<lambda::Function<R>>,
}

impl<R: Region> LambdaProxy<R> {
    /// The integration, to add to the stack.
    pub fn integration(&self) -> Integration<R> {
        self.integration.clone()
    }

    /// The route `stage`/`method`/`path` of the integration's API (each may be `*`; a leading
    /// `/` of `path` is dropped), what [`lambda::Permission::api_gateway`] is scoped to.
    pub fn route(&self, stage: &str, method: &str, path: &str) -> LambdaRoute<R> {
        LambdaRoute {
            source_arn: route_arn(&self.api, stage, method, path),
            function_name: self.function_name.clone(),
        }
    }
}

/// Routes of the API whose Lambda proxy integration calls a function, and that function: what a
/// [`lambda::Permission::api_gateway`] is built from. Only [`LambdaProxy::route`] makes one, so
/// a permission cannot be scoped to another API of the region, nor name another function.
#[derive(Debug, Clone)]
pub struct LambdaRoute<R: Region> {
    source_arn: Arn<ExecuteApi<R>>,
    function_name: Name<lambda::Function<R>>,
}

impl<R: Region> LambdaRoute<R> {
    /// The execute-api ARN the permission is scoped to.
    pub fn source_arn(&self) -> &Arn<ExecuteApi<R>> {
        &self.source_arn
    }

    /// The name of the function the integration calls.
    pub fn function_name(&self) -> &Name<lambda::Function<R>> {
        &self.function_name
    }
}

/// The arguments that name a declared method: its API, its resource and its verb.
///
/// Build it with [`MethodAttrs::target`] (or [`IntegrationAttrs::target`] when what you declare
/// must come after the integration), never from parts of different methods.
#[derive(Block, Debug, Clone)]
pub struct MethodTarget<R: Region> {
    /// The API.
    pub rest_api_id: Id<RestApi<R>>,
    /// The resource.
    pub resource_id: Id<ApiResource<R>>,
    /// The method's verb.
    pub http_method: Id<MethodVerb<R>>,
}

impl<R: Region> MethodAttrs<R> {
    /// The method, as the target of an integration or a method response.
    pub fn target(&self) -> MethodTarget<R> {
        MethodTarget {
            rest_api_id: self.rest_api_id(),
            resource_id: self.resource_id(),
            http_method: self.http_method(),
        }
    }
}

impl<R: Region> Integration<R> {
    /// An `AWS_PROXY` integration calling a Lambda function of the same region with `POST`.
    pub fn lambda_proxy(method: MethodTarget<R>, invoke_arn: Arn<lambda::Invoke<R>>) -> Self {
        Self {
            method,
            r#type: IntegrationType::AwsProxy,
            opts: IntegrationOpts {
                integration_http_method: Some(HttpMethod::Post),
                uri: Some(invoke_arn),
                ..Default::default()
            },
        }
    }

    /// A `MOCK` integration answering `200` (the CORS preflight of an `OPTIONS` method).
    pub fn mock(method: MethodTarget<R>) -> Self {
        Self {
            method,
            r#type: IntegrationType::Mock,
            opts: IntegrationOpts {
                request_templates: Some(BTreeMap::from([(
                    "application/json".to_owned(),
                    Text::literal(r#"{"statusCode": 200}"#),
                )])),
                passthrough_behavior: Some(PassthroughBehavior::WhenNoMatch),
                ..Default::default()
            },
        }
    }
}

impl<R: Region> IntegrationAttrs<R> {
    /// The integration's method, read from the integration so that an integration response is
    /// created after it.
    pub fn target(&self) -> MethodTarget<R> {
        MethodTarget {
            rest_api_id: self.rest_api_id(),
            resource_id: self.resource_id(),
            http_method: self.http_method(),
        }
    }
}

/// The CORS headers of an API, written into gateway responses, method responses and
/// integration responses.
///
/// ```
/// use infra_core::aws::apigateway::Cors;
/// let cors = Cors {
///     allow_origin: "https://shop.example.com".into(),
///     allow_methods: "GET,POST,OPTIONS".into(),
///     allow_headers: "Content-Type,X-Api-Key,Idempotency-Key".into(),
/// };
/// let params = cors.gateway_response_parameters();
/// assert_eq!(
///     params["gatewayresponse.header.Access-Control-Allow-Origin"].render(),
///     "'https://shop.example.com'"
/// );
/// assert!(cors.method_response_parameters()["method.response.header.Access-Control-Allow-Methods"]);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Cors {
    /// `Access-Control-Allow-Origin` (one origin; never `*` for a payment API).
    pub allow_origin: String,
    /// `Access-Control-Allow-Methods`.
    pub allow_methods: String,
    /// `Access-Control-Allow-Headers`.
    pub allow_headers: String,
}

impl Cors {
    fn headers(&self) -> [(&'static str, &str); 3] {
        [
            ("Access-Control-Allow-Origin", &self.allow_origin),
            ("Access-Control-Allow-Methods", &self.allow_methods),
            ("Access-Control-Allow-Headers", &self.allow_headers),
        ]
    }

    fn mapped(&self, prefix: &str) -> BTreeMap<String, Text> {
        self.headers()
            .into_iter()
            .map(|(h, v)| (format!("{prefix}{h}"), Text::literal(format!("'{v}'"))))
            .collect()
    }

    /// `response_parameters` of a [`GatewayResponse`] (static values, quoted).
    pub fn gateway_response_parameters(&self) -> BTreeMap<String, Text> {
        self.mapped("gatewayresponse.header.")
    }

    /// `response_parameters` of an [`IntegrationResponse`] (static values, quoted).
    pub fn integration_response_parameters(&self) -> BTreeMap<String, Text> {
        self.mapped("method.response.header.")
    }

    /// `response_parameters` of a [`MethodResponse`]: the headers it declares.
    pub fn method_response_parameters(&self) -> BTreeMap<String, bool> {
        self.headers()
            .into_iter()
            .map(|(h, _)| (format!("method.response.header.{h}"), true))
            .collect()
    }
}

impl<R: Region> DeploymentOpts<R> {
    /// Redeploys whenever one of `values` changes: `triggers = { redeployment =
    /// sha1(jsonencode([…])) }` over the given references (the ids of methods, integrations,
    /// models, gateway responses…).
    ///
    /// ```
    /// use infra_core::{Text, UsEast1, aws::apigateway::DeploymentOpts};
    /// let opts = DeploymentOpts::<UsEast1>::redeploy_on([
    ///     Text::expression("aws_api_gateway_method.post.id"),
    ///     Text::from("v2"),
    /// ]);
    /// assert_eq!(
    ///     opts.triggers["redeployment"].render(),
    ///     r#"${sha1(jsonencode([aws_api_gateway_method.post.id, "v2"]))}"#
    /// );
    /// ```
    pub fn redeploy_on(values: impl IntoIterator<Item = Text>) -> Self {
        let items: Vec<String> = values.into_iter().map(|v| hcl_operand(&v)).collect();
        let hash = Text::expression(format!("sha1(jsonencode([{}]))", items.join(", ")));
        Self {
            triggers: BTreeMap::from([("redeployment".to_owned(), hash)]),
            ..Self::default()
        }
    }
}

/// A text as an operand of a Terraform expression: a lone reference as is, anything else as a
/// quoted template built from its parts (literal text with HCL's string escapes, expressions as
/// `${…}` unencoded).
fn hcl_operand(text: &Text) -> String {
    match text.as_expression() {
        Some(expression) => expression.to_owned(),
        None => text.hcl_quoted(),
    }
}

/// Where a stage writes its access log (`access_log_settings` block).
#[derive(Block, Debug, Clone)]
pub struct AccessLogSettings<R: Region> {
    /// The log group (of the stage's region).
    pub destination_arn: Arn<cloudwatch::LogGroup<R>>,
    /// The log line format (`$context` variables; JSON is easiest to query).
    pub format: Text,
}

impl<R: Region> AccessLogSettings<R> {
    /// One JSON object per request, with the request id, caller, route, status, latency,
    /// API key id, WAF and integration errors, and no request or response bodies.
    pub fn json(destination_arn: Arn<cloudwatch::LogGroup<R>>) -> Self {
        let fields = [
            ("requestId", "$context.requestId"),
            ("extendedRequestId", "$context.extendedRequestId"),
            ("ip", "$context.identity.sourceIp"),
            ("userAgent", "$context.identity.userAgent"),
            ("requestTime", "$context.requestTime"),
            ("httpMethod", "$context.httpMethod"),
            ("resourcePath", "$context.resourcePath"),
            ("status", "$context.status"),
            ("protocol", "$context.protocol"),
            ("responseLength", "$context.responseLength"),
            ("responseLatency", "$context.responseLatency"),
            ("integrationLatency", "$context.integrationLatency"),
            ("integrationError", "$context.integration.error"),
            ("apiKeyId", "$context.identity.apiKeyId"),
            ("wafResponseCode", "$context.wafResponseCode"),
            ("errorMessage", "$context.error.message"),
        ];
        let body: Vec<String> = fields
            .iter()
            .map(|(k, v)| format!("\"{k}\":\"{v}\""))
            .collect();
        Self {
            destination_arn,
            format: Text::literal(format!("{{{}}}", body.join(","))),
        }
    }
}

/// Per-method settings of a stage (`settings` block).
#[derive(Block, Debug, Clone, Default)]
pub struct Settings {
    /// CloudWatch metrics per method.
    pub metrics_enabled: Option<bool>,
    /// Execution logging.
    pub logging_level: Option<LoggingLevel>,
    /// Log full requests and responses (keep it off: it would log card data).
    pub data_trace_enabled: Option<bool>,
    /// Response caching.
    pub caching_enabled: Option<bool>,
    /// Encrypt cached responses.
    pub cache_data_encrypted: Option<bool>,
    /// Time to live of cached responses.
    pub cache_ttl_in_seconds: Option<u32>,
    /// Callers must be authorized to bypass the cache.
    pub require_authorization_for_cache_control: Option<bool>,
    /// Throttling burst.
    pub throttling_burst_limit: Option<u32>,
    /// Throttling steady rate (requests per second).
    pub throttling_rate_limit: Option<f64>,
    /// What an unauthorized `Cache-Control: max-age=0` request gets (with caching).
    pub unauthorized_cache_control_header_strategy: Option<UnauthorizedCacheControl>,
}

string_enum! {
    /// How a stage answers an unauthorized request to bypass its cache.
    pub enum UnauthorizedCacheControl {
        /// Refuse it with `403`.
        FailWith403 = "FAIL_WITH_403",
        /// Serve it from the cache and say so in a response header.
        SucceedWithResponseHeader = "SUCCEED_WITH_RESPONSE_HEADER",
        /// Serve it from the cache silently.
        SucceedWithoutResponseHeader = "SUCCEED_WITHOUT_RESPONSE_HEADER",
    }
}

/// An override of a usage plan's throttling for one method (`throttle` block).
#[derive(Block, Debug, Clone)]
pub struct ThrottleOverride {
    /// `/payments/POST`.
    pub path: Text,
    /// Burst.
    pub burst_limit: Option<u32>,
    /// Steady rate.
    pub rate_limit: Option<f64>,
}

/// A stage a usage plan applies to (`api_stages` block).
#[derive(Block, Debug, Clone)]
pub struct ApiStage<R: Region> {
    /// The API.
    pub api_id: Id<RestApi<R>>,
    /// The stage's name (`stage.stage_name()`).
    pub stage: Name<Stage<R>>,
    /// Per-method throttling.
    pub throttle: Vec<ThrottleOverride>,
}

/// A usage plan's throttling (`throttle_settings` block).
#[derive(Block, Debug, Clone, Default)]
pub struct ThrottleSettings {
    /// Burst.
    pub burst_limit: Option<u32>,
    /// Steady rate (requests per second).
    pub rate_limit: Option<f64>,
}

/// A usage plan's quota (`quota_settings` block).
#[derive(Block, Debug, Clone)]
pub struct QuotaSettings {
    /// Requests per period.
    pub limit: u32,
    /// The period.
    pub period: QuotaPeriod,
    /// Requests subtracted in the first period.
    pub offset: Option<u32>,
}

/// Mutual TLS for a domain name (`mutual_tls_authentication` block).
#[derive(Block, Debug, Clone)]
pub struct MutualTlsAuthentication {
    /// `s3://bucket/truststore.pem`.
    pub truststore_uri: Text,
    /// The truststore object's version.
    pub truststore_version: Option<Text>,
}

/// The `execute-api` IAM actions (`Invoke`…), generated from AWS's authorization data.
pub use crate::iam::execute_api::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::assert_conforms as conforms;
    use crate::testing::assert_valid_ignoring as validates;
    use crate::{Meta, Sensitive, Stack, UsWest2};

    #[test]
    fn a_private_api_names_its_vpc_endpoints_and_a_regional_one_none() {
        use crate::Argument;
        let endpoint: Id<ec2::VpcEndpoint<UsWest2>> =
            Id::from_text(Text::expression("aws_vpc_endpoint.api.id"));
        let private = ApiEndpointConfiguration::private(OneOrMore::new(endpoint))
            .to_value()
            .unwrap();
        assert_eq!(
            private,
            serde_json::json!({"types": ["PRIVATE"], "vpc_endpoint_ids": ["${aws_vpc_endpoint.api.id}"]})
        );
        let regional = ApiEndpointConfiguration::<UsWest2>::regional()
            .to_value()
            .unwrap();
        assert_eq!(regional, serde_json::json!({"types": ["REGIONAL"]}));
    }

    #[test]
    fn redeploy_triggers_quote_mixed_text_from_its_parts() {
        // An expression part with quotes inside a quoted operand: JSON-encoding the rendered
        // text (the old way) wrote `\"` inside `${…}`, which is not an HCL expression.
        let mut mixed = Text::from("v\"2-${lit}-");
        mixed.push(Text::expression(r#"replace(var.x, "a", "b")"#));
        let opts = DeploymentOpts::<UsWest2>::redeploy_on([mixed]);
        assert_eq!(
            opts.triggers["redeployment"].render(),
            r#"${sha1(jsonencode(["v\"2-$${lit}-${replace(var.x, "a", "b")}"]))}"#
        );
    }

    #[test]
    fn shapes_conform_to_the_schema() {
        type R = UsWest2;
        conforms::<RestApi<R>>();
        conforms::<ApiResource<R>>();
        conforms::<Method<R>>();
        conforms::<Integration<R>>();
        conforms::<MethodResponse<R>>();
        conforms::<IntegrationResponse<R>>();
        conforms::<GatewayResponse<R>>();
        conforms::<Model<R>>();
        conforms::<RequestValidator<R>>();
        conforms::<Deployment<R>>();
        conforms::<Stage<R>>();
        conforms::<MethodSettings<R>>();
        conforms::<ApiKey<R>>();
        conforms::<UsagePlan<R>>();
        conforms::<UsagePlanKey<R>>();
        conforms::<DomainName<R>>();
        conforms::<BasePathMapping<R>>();
        conforms::<Account<R>>();
        conforms::<ClientCertificate<R>>();
    }

    #[test]
    fn a_proxied_route_synthesizes() {
        let stack = Stack::new();
        let west = stack.aws::<UsWest2>("secondary");
        let api = west.add(
            "payments",
            RestApi {
                name: "payments".into(),
                opts: RestApiOpts {
                    endpoint_configuration: Some(ApiEndpointConfiguration::regional()),
                    ..Default::default()
                },
            },
        );
        let health = west.add(
            "health",
            ApiResource {
                rest_api_id: api.id(),
                parent_id: api.root_resource_id(),
                path_part: "health".into(),
            },
        );
        let get = west.add(
            "get_health",
            Method {
                rest_api_id: api.id(),
                resource_id: health.id(),
                http_method: HttpMethod::Get,
                authorization: Authorization::None,
                opts: MethodOpts::default(),
            },
        );
        let invoke = Arn::from_text(Text::expression("aws_lambda_function.api.invoke_arn"));
        let integration = west.add(
            "get_health",
            Integration::lambda_proxy(get.target(), invoke),
        );
        let options = west.add(
            "options_health",
            Method {
                rest_api_id: api.id(),
                resource_id: health.id(),
                http_method: HttpMethod::Options,
                authorization: Authorization::None,
                opts: MethodOpts::default(),
            },
        );
        west.add("options_health", Integration::mock(options.target()));
        let response = west.add(
            "options_health_200",
            MethodResponse {
                method: options.target(),
                status_code: "200".into(),
                opts: MethodResponseOpts::default(),
            },
        );
        west.add(
            "get_health_200",
            IntegrationResponse {
                method: integration.target(),
                status_code: response.status_code(),
                opts: IntegrationResponseOpts::default(),
            },
        );
        let deployment = west.add_with(
            "payments",
            Deployment {
                rest_api_id: api.id(),
                opts: DeploymentOpts::redeploy_on([
                    get.id().into(),
                    integration.id().into(),
                    options.id().into(),
                ]),
            },
            Meta::new().create_before_destroy(),
        );
        let cors = Cors {
            allow_origin: "https://shop.example.com".into(),
            allow_methods: "GET,POST,OPTIONS".into(),
            allow_headers: "Content-Type,X-Api-Key".into(),
        };
        for (name, response_type) in [
            ("default_4xx", GatewayResponseType::Default4xx),
            ("default_5xx", GatewayResponseType::Default5xx),
        ] {
            west.add(
                name,
                GatewayResponse {
                    rest_api_id: api.id(),
                    response_type,
                    opts: GatewayResponseOpts {
                        response_parameters: Some(cors.gateway_response_parameters()),
                        ..Default::default()
                    },
                },
            );
        }
        let logs = west.add(
            "api_access",
            cloudwatch::LogGroup {
                name: Some("/aws/apigateway/payments".into()),
                ..Default::default()
            },
        );
        let key = west.add(
            "partner",
            ApiKey {
                name: "partner".into(),
                opts: ApiKeyOpts::default(),
            },
        );
        let _secret: Sensitive<Text> = key.value();
        let stage = west.add(
            "live",
            Stage {
                rest_api_id: api.id(),
                deployment_id: deployment.id(),
                stage_name: "live".into(),
                opts: StageOpts {
                    access_log_settings: Some(AccessLogSettings::json(logs.arn())),
                    cache_cluster_enabled: Some(false),
                    xray_tracing_enabled: Some(true),
                    ..Default::default()
                },
            },
        );
        west.add(
            "all",
            MethodSettings {
                rest_api_id: api.id(),
                stage_name: stage.stage_name(),
                method_path: "*/*".into(),
                settings: Settings {
                    metrics_enabled: Some(true),
                    logging_level: Some(LoggingLevel::Info),
                    data_trace_enabled: Some(false),
                    ..Default::default()
                },
            },
        );
        // A fragment: it refers to resources it does not declare, so the rules are not run.
        let doc = stack.synth_unchecked().unwrap();
        validates(&doc, &["aws_lambda_function.api"]);
        crate::testing::assert_has_resource(
            &doc,
            "aws_api_gateway_integration",
            &serde_json::json!({
                "type": "AWS_PROXY",
                "integration_http_method": "POST",
                "uri": "${aws_lambda_function.api.invoke_arn}",
                "http_method": "${aws_api_gateway_method.secondary_get_health.http_method}",
                "resource_id": "${aws_api_gateway_method.secondary_get_health.resource_id}",
            }),
        );
        crate::testing::assert_has_resource(
            &doc,
            "aws_api_gateway_integration_response",
            &serde_json::json!({
                "http_method": "${aws_api_gateway_integration.secondary_get_health.http_method}",
                "status_code": "${aws_api_gateway_method_response.secondary_options_health_200.status_code}",
            }),
        );
        crate::testing::assert_has_resource(
            &doc,
            "aws_api_gateway_method_settings",
            &serde_json::json!({"settings": {"logging_level": "INFO", "data_trace_enabled": false}}),
        );
        crate::testing::assert_has_resource(
            &doc,
            "aws_api_gateway_gateway_response",
            &serde_json::json!({
                "response_type": "DEFAULT_4XX",
                "response_parameters": {
                    "gatewayresponse.header.Access-Control-Allow-Origin": "'https://shop.example.com'"
                }
            }),
        );
        let deployment =
            crate::testing::resource(&doc, "aws_api_gateway_deployment", "secondary_payments")
                .unwrap();
        assert_eq!(
            deployment["triggers"]["redeployment"],
            "${sha1(jsonencode([aws_api_gateway_method.secondary_get_health.id, aws_api_gateway_integration.secondary_get_health.id, aws_api_gateway_method.secondary_options_health.id]))}"
        );
        assert_eq!(deployment["lifecycle"]["create_before_destroy"], true);
        assert_eq!(
            api.execute_arn("*", "*", "*").text().render(),
            "${aws_api_gateway_rest_api.secondary_payments.execution_arn}/*/*/*"
        );
    }
}
