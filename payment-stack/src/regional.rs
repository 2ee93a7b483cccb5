//! The half of the platform that every region runs, written once and generic over the region:
//! keys, network, function, API, alarms and parameters.

use std::collections::BTreeMap;

use infra_core::aws::apigateway::{self as apigw, *};
use infra_core::aws::cloudwatch::{
    self, Comparison, Dimensions, LogGroup, MetricAlarm, MetricAlarmOpts, MetricFilter,
    MetricQuery, MetricStat, MetricTransformation,
};
use infra_core::aws::lambda::{self, Environment, Function, FunctionOpts};
use infra_core::aws::{dynamodb, ec2, iam, kms, s3, signer, sns, sqs};
use infra_core::policy::{
    Condition, KeyPolicy, PolicyDocument, Principal, Statement, because, global, service,
};
use infra_core::{Arn, Aws, Meta, Name, Ref, Region, Text, interpolate, stack};

use crate::Config;

/// The platform's keys in one region, one per purpose.
pub struct Keys<R: Region> {
    /// Payment data: the table (or its replica) and SSM parameters.
    pub data: Ref<kms::Key<R>>,
    /// S3 objects: audit and replica buckets.
    pub s3: Ref<kms::Key<R>>,
    /// The function's environment variables.
    pub lambda: Ref<kms::Key<R>>,
    /// Operations: log groups, the alarm topic and the dead-letter queue.
    pub ops: Ref<kms::Key<R>>,
}

/// The function's execution role: a role that Lambda, and only Lambda, may assume.
pub type ExecutionRole = iam::Role<service::Lambda>;

/// What the rest of the stack needs from one region.
pub struct Regional<R: Region> {
    /// The keys.
    pub keys: Keys<R>,
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
    pub health_fqdn: infra_core::aws::route53::Fqdn,
}

/// Resources made in the primary region that every region's function uses.
pub struct Shared<'a, R: Region> {
    /// The account ID.
    pub account_id: &'a Text,
    /// The table as seen from this region (the table itself, or its replica).
    pub table: Arn<dynamodb::Table<R>>,
    /// The table's status index as seen from this region.
    pub status_index: Arn<dynamodb::Index<R>>,
    /// The table's name.
    pub table_name: Name<dynamodb::Table<R>>,
    /// The bucket this region's function writes audit records to.
    pub audit_bucket: Arn<s3::Bucket<R>>,
    /// Its name.
    pub audit_bucket_name: Text,
    /// The dimensions of this region's replication latency metric.
    pub replication_dimensions: Dimensions<R>,
    /// The API key value to reuse (the primary's, for the secondary), so that one client key
    /// works in both regions after a failover; `None` lets API Gateway generate one.
    pub api_key_value: Option<infra_core::Sensitive<Text>>,
}

/// The audit prefix the function writes under; its IAM grant is scoped to it.
pub const AUDIT_PREFIX: &str = "audit/";
/// The stage name.
pub const STAGE: &str = "v1";
/// The function's log retention (a stated cost requirement).
pub const FUNCTION_LOG_DAYS: u32 = 7;
/// Retention of audit-relevant logs (access, WAF, flow logs).
pub const AUDIT_LOG_DAYS: u32 = 365;

/// The key policy every key starts with: the account administers the key through IAM.
fn key_policy(account_id: &Text) -> KeyPolicy {
    KeyPolicy::new().statement(
        Statement::on_this_key([kms::AllKeyActions])
            .sid("AccountAdministersKeyThroughIam")
            .principal(Principal::account_root(account_id.clone())),
    )
}

/// Creates the four keys with rotation on and aliases following the naming rule.
pub fn keys<R: Region>(aws: &Aws<R>, cfg: &Config, account_id: &Text) -> Keys<R> {
    let ops_policy = key_policy(account_id)
        .statement(
            Statement::on_this_key([
                kms::Encrypt,
                kms::Decrypt,
                kms::ReEncryptFrom,
                kms::ReEncryptTo,
                kms::GenerateDataKey,
                kms::DescribeKey,
            ])
            .sid("CloudWatchLogsEncryptsThisAccountsGroups")
            .principal(Principal::service(service::Logs(R::default())))
            .condition(Condition::arn_like(
                kms::conditions::EncryptionContext("aws:logs:arn"),
                interpolate!("arn:aws:logs:{}:{}:*", R::NAME, account_id),
            )),
        )
        .statement(
            Statement::on_this_key([kms::Decrypt, kms::GenerateDataKey])
                .sid("CloudWatchAlarmsPublishToEncryptedTopic")
                .principal(Principal::service(service::CloudWatch))
                .condition(Condition::string_equals(
                    global::SourceAccount,
                    account_id.clone(),
                )),
        );
    let key = |purpose: &str, policy: KeyPolicy| kms::Key {
        description: Some(format!("{} {purpose} key ({})", cfg.name("payments"), R::NAME).into()),
        enable_key_rotation: Some(true),
        deletion_window_in_days: Some(30),
        policy: Some(policy),
        ..Default::default()
    };
    stack! {
        in aws;
        data_key = key("data", key_policy(account_id));
        s3_key = key("s3", key_policy(account_id));
        lambda_key = key("lambda environment", key_policy(account_id));
        ops_key = key("operations", ops_policy);
        data_key_alias = kms::Alias { name: format!("alias/{}", cfg.name("data")).into(), target_key_id: data_key.key_id(), opts: Default::default() };
        s3_key_alias = kms::Alias { name: format!("alias/{}", cfg.name("s3")).into(), target_key_id: s3_key.key_id(), opts: Default::default() };
        lambda_key_alias = kms::Alias { name: format!("alias/{}", cfg.name("lambda")).into(), target_key_id: lambda_key.key_id(), opts: Default::default() };
        ops_key_alias = kms::Alias { name: format!("alias/{}", cfg.name("ops")).into(), target_key_id: ops_key.key_id(), opts: Default::default() };
    }
    Keys {
        data: data_key,
        s3: s3_key,
        lambda: lambda_key,
        ops: ops_key,
    }
}

/// The function's private network: two subnets without internet access, reaching AWS only
/// through VPC endpoints.
struct Network<R: Region> {
    subnets: [Ref<ec2::Subnet<R>>; 2],
    function_sg: Ref<ec2::SecurityGroup<R>>,
}

/// The VPC's address range (the same in each region: the VPCs are never peered).
const VPC_CIDR: &str = "10.40.0.0/16";

fn network<R: Region>(aws: &Aws<R>, cfg: &Config, keys: &Keys<R>) -> Network<R> {
    let tags = |name: &str| {
        Some(BTreeMap::from([(
            "Name".to_owned(),
            Text::from(cfg.name(name)),
        )]))
    };
    stack! {
        in aws;
        vpc = ec2::Vpc {
            cidr_block: VPC_CIDR.into(),
            opts: ec2::VpcOpts { enable_dns_support: Some(true), enable_dns_hostnames: Some(true), tags: tags("vpc"), ..Default::default() },
        };
        default_sg = ec2::DefaultSecurityGroup { vpc_id: vpc.id(), opts: Default::default() };
        subnet_a = ec2::Subnet {
            vpc_id: vpc.id(),
            cidr_block: "10.40.1.0/24".into(),
            opts: ec2::SubnetOpts { availability_zone: Some(format!("{}a", R::NAME).into()), map_public_ip_on_launch: Some(false), tags: tags("private-a") },
        };
        subnet_b = ec2::Subnet {
            vpc_id: vpc.id(),
            cidr_block: "10.40.2.0/24".into(),
            opts: ec2::SubnetOpts { availability_zone: Some(format!("{}b", R::NAME).into()), map_public_ip_on_launch: Some(false), tags: tags("private-b") },
        };
        routes = ec2::RouteTable { vpc_id: vpc.id(), opts: ec2::RouteTableOpts { tags: tags("private") } };
        routes_a = ec2::RouteTableAssociation { route_table_id: routes.id(), subnet_id: subnet_a.id() };
        routes_b = ec2::RouteTableAssociation { route_table_id: routes.id(), subnet_id: subnet_b.id() };
        function_sg = ec2::SecurityGroup {
            vpc_id: vpc.id(),
            opts: ec2::SecurityGroupOpts { name: Some(cfg.name("processor").into()), description: Some("payment processor: HTTPS to VPC endpoints only".into()), ..Default::default() },
        };
        endpoint_sg = ec2::SecurityGroup {
            vpc_id: vpc.id(),
            opts: ec2::SecurityGroupOpts { name: Some(cfg.name("endpoints").into()), description: Some("interface endpoints: HTTPS from the payment processor".into()), ..Default::default() },
        };
        endpoint_ingress = ec2::SecurityGroupIngressRule {
            security_group_id: endpoint_sg.id(),
            ip_protocol: ec2::IpProtocol::Tcp,
            peer: ec2::Peer::security_group(function_sg.id()),
            opts: ec2::RuleOpts { description: Some("HTTPS from the payment processor".into()), from_port: Some(443), to_port: Some(443), ..Default::default() },
        };
        dynamodb_endpoint = ec2::VpcEndpoint {
            vpc_id: vpc.id(),
            service_name: ec2::service_name::<R>("dynamodb"),
            opts: ec2::VpcEndpointOpts { vpc_endpoint_type: Some(ec2::VpcEndpointType::Gateway), route_table_ids: vec![routes.id()], ..Default::default() },
        };
        s3_endpoint = ec2::VpcEndpoint {
            vpc_id: vpc.id(),
            service_name: ec2::service_name::<R>("s3"),
            opts: ec2::VpcEndpointOpts { vpc_endpoint_type: Some(ec2::VpcEndpointType::Gateway), route_table_ids: vec![routes.id()], ..Default::default() },
        };
        egress_endpoints = ec2::SecurityGroupEgressRule {
            security_group_id: function_sg.id(),
            ip_protocol: ec2::IpProtocol::Tcp,
            peer: ec2::Peer::security_group(endpoint_sg.id()),
            opts: ec2::RuleOpts { description: Some("HTTPS to interface endpoints".into()), from_port: Some(443), to_port: Some(443), ..Default::default() },
        };
        egress_dynamodb = ec2::SecurityGroupEgressRule {
            security_group_id: function_sg.id(),
            ip_protocol: ec2::IpProtocol::Tcp,
            peer: ec2::Peer::prefix_list(dynamodb_endpoint.prefix_list_id()),
            opts: ec2::RuleOpts { description: Some("HTTPS to DynamoDB through its gateway endpoint".into()), from_port: Some(443), to_port: Some(443), ..Default::default() },
        };
        egress_s3 = ec2::SecurityGroupEgressRule {
            security_group_id: function_sg.id(),
            ip_protocol: ec2::IpProtocol::Tcp,
            peer: ec2::Peer::prefix_list(s3_endpoint.prefix_list_id()),
            opts: ec2::RuleOpts { description: Some("HTTPS to S3 through its gateway endpoint".into()), from_port: Some(443), to_port: Some(443), ..Default::default() },
        };
        flow_logs = LogGroup {
            name: Some(format!("/aws/vpc/{}", cfg.name("flow-logs")).into()),
            retention_in_days: Some(AUDIT_LOG_DAYS),
            kms_key_id: Some(keys.ops.arn()),
            ..Default::default()
        };
        flow_logs_role = iam::Role {
            assume_role_policy: PolicyDocument::trust(service::VpcFlowLogs),
            opts: iam::RoleOpts { name: Some(format!("{}-{}", cfg.name("flow-logs"), R::NAME).into()), ..Default::default() },
        };
        flow_logs_policy = iam::RolePolicy {
            role: flow_logs_role.id(),
            name: cfg.name("flow-logs").into(),
            policy: PolicyDocument::new().allow([cloudwatch::CreateLogStream, cloudwatch::PutLogEvents], flow_logs.streams_arn()),
            opts: Default::default(),
        };
        flow_log = ec2::FlowLog {
            vpc_id: vpc.id(),
            traffic_type: ec2::TrafficType::All,
            destination: ec2::FlowLogDestination::cloudwatch(flow_logs.arn(), flow_logs_role.arn()),
            opts: Default::default(),
        };
    }
    for service in ["kms", "ssm", "logs", "monitoring"] {
        aws.add(
            &format!("{service}_endpoint"),
            ec2::VpcEndpoint {
                vpc_id: vpc.id(),
                service_name: ec2::service_name::<R>(service),
                opts: ec2::VpcEndpointOpts {
                    vpc_endpoint_type: Some(ec2::VpcEndpointType::Interface),
                    subnet_ids: vec![subnet_a.id(), subnet_b.id()],
                    security_group_ids: vec![endpoint_sg.id()],
                    private_dns_enabled: Some(true),
                    ..Default::default()
                },
            },
        );
    }
    Network {
        subnets: [subnet_a, subnet_b],
        function_sg,
    }
}

/// The zip's `filename` and `source_code_hash`. A relative path is relative to the output
/// directory (`path.module`), so the output can move with the repository; an absolute one is
/// kept as it is. Terraform hashes the file at plan time, so synthesis never needs the zip.
fn lambda_package(path: &str) -> (Text, Text) {
    let hcl = |s: &str| {
        s.replace('\\', "\\\\")
            .replace('"', "\\\"")
            .replace("${", "$${")
            .replace("%{", "%%{")
    };
    if std::path::Path::new(path).is_absolute() {
        (
            Text::from(path),
            Text::expression(format!("filebase64sha256(\"{}\")", hcl(path))),
        )
    } else {
        let mut filename = Text::expression("path.module");
        filename.push_str("/");
        filename.push_str(path);
        let hash = format!("filebase64sha256(\"${{path.module}}/{}\")", hcl(path));
        (filename, Text::expression(hash))
    }
}

/// The payment processor, its role, log group, dead-letter queue and code signing.
fn function<R: Region>(
    aws: &Aws<R>,
    cfg: &Config,
    keys: &Keys<R>,
    shared: &Shared<R>,
    network: &Network<R>,
    parameters: &[Arn<infra_core::aws::ssm::Parameter<R>>],
) -> (Ref<Function<R>>, Ref<LogGroup<R>>, Ref<ExecutionRole>) {
    let (zip, zip_hash) = lambda_package(cfg.lambda_zip());
    stack! {
        in aws;
        function_logs = LogGroup {
            name: Some(format!("/aws/lambda/{}", cfg.name("processor")).into()),
            retention_in_days: Some(FUNCTION_LOG_DAYS),
            kms_key_id: Some(keys.ops.arn()),
            ..Default::default()
        };
        dead_letters = sqs::Queue {
            name: Some(cfg.name("processor-dlq").into()),
            kms_master_key_id: Some(keys.ops.key_id()),
            message_retention_seconds: Some(1_209_600),
            ..Default::default()
        };
        role = iam::Role {
            assume_role_policy: PolicyDocument::trust(service::Lambda)
                .condition(Condition::string_equals(global::SourceAccount, shared.account_id.clone())),
            opts: iam::RoleOpts {
                name: Some(format!("{}-{}", cfg.name("processor"), R::NAME).into()),
                description: Some("payment processor execution role".into()),
                ..Default::default()
            },
        };
        role_policy = iam::RolePolicy {
            role: role.id(),
            name: cfg.name("processor").into(),
            policy: PolicyDocument::new()
                .allow([dynamodb::GetItem, dynamodb::PutItem, dynamodb::UpdateItem, dynamodb::ConditionCheckItem], shared.table.clone())
                .allow([dynamodb::Query], (shared.table.clone(), shared.status_index.clone()))
                .allow([s3::PutObject], Arn::<s3::Objects<R>>::from_text(interpolate!("{}/{}*", shared.audit_bucket, AUDIT_PREFIX)))
                .allow([kms::GenerateDataKey, kms::Decrypt], keys.s3.arn())
                .allow([kms::Decrypt], keys.lambda.arn())
                .allow([kms::Decrypt, kms::DescribeKey], keys.data.arn())
                .allow([cloudwatch::CreateLogStream, cloudwatch::PutLogEvents], function_logs.streams_arn())
                .allow([infra_core::aws::ssm::GetParameter, infra_core::aws::ssm::GetParameters], parameters.to_vec())
                .allow([sqs::SendMessage], dead_letters.arn())
                .allow([kms::GenerateDataKey, kms::Decrypt], keys.ops.arn())
                .allow_any_resource(
                    [infra_core::aws::xray::PutTraceSegments, infra_core::aws::xray::PutTelemetryRecords],
                    because("X-Ray trace submission has no resource-level permissions"),
                ),
            opts: Default::default(),
        };
        vpc_access = iam::RolePolicyAttachment {
            role: role.id(),
            policy_arn: iam::ManagedPolicy::aws_service_role("AWSLambdaVPCAccessExecutionRole"),
        };
        signing = signer::SigningProfile { platform_id: signer::Platform::AwsLambdaSha384Ecdsa, opts: signer::SigningProfileOpts { name_prefix: Some(format!("payment{}", cfg.suffix()).into()), ..Default::default() } };
        code_signing = lambda::CodeSigningConfig {
            allowed_publishers: lambda::AllowedPublishers { signing_profile_version_arns: infra_core::OneOrMore::new(signing.version_arn()) },
            opts: lambda::CodeSigningConfigOpts {
                description: Some(cfg.name("processor").into()),
                // Warn, not Enforce: the zip is deployed from a local file, and unsigned local
                // artifacts would be refused. Switch to Enforce with an S3 signing pipeline.
                policies: Some(lambda::CodeSigningPolicies { untrusted_artifact_on_deployment: lambda::UntrustedArtifact::Warn }),
                ..Default::default()
            },
        };
        function = Function {
            function_name: cfg.name("processor").into(),
            role: role.arn(),
            opts: FunctionOpts {
                description: Some("payment processor".into()),
                runtime: Some(lambda::Runtime::ProvidedAl2023),
                handler: Some("bootstrap".into()),
                filename: Some(zip),
                source_code_hash: Some(zip_hash),
                memory_size: Some(512),
                timeout: Some(10),
                architectures: vec![lambda::Architecture::X86_64],
                environment: Some(
                    Environment::new()
                        .var("TABLE_NAME", shared.table_name.clone())
                        .var("AUDIT_BUCKET", shared.audit_bucket_name.clone())
                        .var("AUDIT_PREFIX", AUDIT_PREFIX)
                        .var("AUDIT_KMS_KEY_ARN", keys.s3.arn())
                        .var("METRICS_NAMESPACE", "Payments")
                        .var("ENVIRONMENT", cfg.suffix())
                        .var("LOG_LEVEL", "info")
                        // Writes go through the failover host only (one region, one
                        // idempotency check); the latency host serves reads.
                        .var("READ_ONLY_HOSTS", cfg.latency_host()),
                ),
                kms_key_arn: Some(keys.lambda.arn()),
                tracing_config: Some(lambda::TracingConfig { mode: lambda::TracingMode::Active }),
                dead_letter_config: Some(lambda::DeadLetterConfig::queue(dead_letters.arn())),
                vpc_config: Some(lambda::VpcConfig {
                    subnet_ids: infra_core::OneOrMore::new(network.subnets[0].id()).and(network.subnets[1].id()),
                    security_group_ids: infra_core::OneOrMore::new(network.function_sg.id()),
                }),
                code_signing_config_arn: Some(code_signing.arn()),
                logging_config: Some(lambda::LoggingConfig {
                    log_format: lambda::LogFormat::Json,
                    log_group: Some(function_logs.name()),
                    application_log_level: None,
                    system_log_level: None,
                }),
                ..Default::default()
            },
        } with Meta::new().depends_on(&function_logs).depends_on(&role_policy).depends_on(&vpc_access);
        async_failures = lambda::FunctionEventInvokeConfig {
            function_name: function.function_name(),
            opts: lambda::FunctionEventInvokeConfigOpts {
                maximum_retry_attempts: Some(2),
                destination_config: Some(lambda::DestinationConfig { on_failure: Some(lambda::Destination::queue(dead_letters.arn())), on_success: None }),
                ..Default::default()
            },
        };
    }
    (function, function_logs, role)
}

/// The JSON schema of `POST /payments`, shared with the function (one contract, two checks).
pub const PAYMENT_REQUEST_SCHEMA: &str =
    include_str!("../../lambda/schema/payment-request.schema.json");

/// `sha256:<hex>` of a request model's schema as we write it: the deployment trigger's stand-in
/// for the model's `schema` attribute, which the provider stores normalised.
fn schema_digest(schema: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(schema.as_bytes());
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

/// What the API part returns.
struct Api<R: Region> {
    api: Ref<RestApi<R>>,
    stage: Ref<Stage<R>>,
    api_key: Ref<ApiKey<R>>,
}

#[allow(clippy::too_many_lines)] // One API, read top to bottom like its route table.
fn api<R: Region>(
    aws: &Aws<R>,
    cfg: &Config,
    keys: &Keys<R>,
    function: &Ref<Function<R>>,
    api_key_value: Option<infra_core::Sensitive<Text>>,
) -> Api<R> {
    let preflight = |method: &Ref<Method<R>>, name: &str, methods: &str| {
        let target = method.target();
        let integration = aws.add(
            &format!("{name}_integration"),
            Integration::mock(target.clone()),
        );
        let response = aws.add(
            &format!("{name}_response"),
            MethodResponse {
                method: target.clone(),
                status_code: "200".into(),
                opts: MethodResponseOpts {
                    response_parameters: Some(cors(cfg, methods).method_response_parameters()),
                    ..Default::default()
                },
            },
        );
        aws.add_with(
            &format!("{name}_integration_response"),
            IntegrationResponse {
                method: target,
                status_code: "200".into(),
                opts: IntegrationResponseOpts {
                    response_parameters: Some(cors(cfg, methods).integration_response_parameters()),
                    ..Default::default()
                },
            },
            Meta::new().depends_on(&integration).depends_on(&response),
        );
        integration
    };
    stack! {
        in aws;
        api = RestApi {
            name: cfg.name("api").into(),
            opts: RestApiOpts {
                description: Some("payment API".into()),
                endpoint_configuration: Some(EndpointConfiguration::regional()),
                api_key_source: Some(ApiKeySource::Header),
                ..Default::default()
            },
        } with Meta::new().create_before_destroy();
        body_validator = RequestValidator {
            rest_api_id: api.id(),
            name: cfg.name("body").into(),
            opts: RequestValidatorOpts { validate_request_body: Some(true), validate_request_parameters: Some(true) },
        };
        params_validator = RequestValidator {
            rest_api_id: api.id(),
            name: cfg.name("params").into(),
            opts: RequestValidatorOpts { validate_request_body: Some(false), validate_request_parameters: Some(true) },
        };
        payment_model = Model {
            rest_api_id: api.id(),
            name: "CreatePayment".into(),
            content_type: "application/json".into(),
            opts: ModelOpts { description: Some("POST /payments body".into()), schema: Some(PAYMENT_REQUEST_SCHEMA.into()) },
        };
        payments = ApiResource { rest_api_id: api.id(), parent_id: api.root_resource_id(), path_part: "payments".into() };
        payment = ApiResource { rest_api_id: api.id(), parent_id: payments.id(), path_part: "{payment_id}".into() };
        health = ApiResource { rest_api_id: api.id(), parent_id: api.root_resource_id(), path_part: "health".into() };
        create_payment = Method {
            rest_api_id: api.id(),
            resource_id: payments.id(),
            http_method: HttpMethod::Post,
            authorization: Authorization::None,
            opts: MethodOpts {
                api_key_required: Some(true),
                request_validator_id: Some(body_validator.id()),
                request_models: Some(BTreeMap::from([("application/json".to_owned(), payment_model.name())])),
                request_parameters: Some(BTreeMap::from([("method.request.header.Idempotency-Key".to_owned(), false)])),
                ..Default::default()
            },
        };
        read_payment = Method {
            rest_api_id: api.id(),
            resource_id: payment.id(),
            http_method: HttpMethod::Get,
            authorization: Authorization::None,
            opts: MethodOpts {
                api_key_required: Some(true),
                request_validator_id: Some(params_validator.id()),
                request_parameters: Some(BTreeMap::from([("method.request.path.payment_id".to_owned(), true)])),
                ..Default::default()
            },
        };
        // Route 53 health checkers cannot send an API key: /health is the one open route, and
        // it returns no payment data (see .checkov.yaml).
        check_health = Method {
            rest_api_id: api.id(),
            resource_id: health.id(),
            http_method: HttpMethod::Get,
            authorization: Authorization::None,
            opts: MethodOpts { api_key_required: Some(false), request_validator_id: Some(params_validator.id()), ..Default::default() },
        };
        payments_preflight = Method {
            rest_api_id: api.id(),
            resource_id: payments.id(),
            http_method: HttpMethod::Options,
            authorization: Authorization::None,
            opts: MethodOpts { api_key_required: Some(false), request_validator_id: Some(params_validator.id()), ..Default::default() },
        };
        payment_preflight = Method {
            rest_api_id: api.id(),
            resource_id: payment.id(),
            http_method: HttpMethod::Options,
            authorization: Authorization::None,
            opts: MethodOpts { api_key_required: Some(false), request_validator_id: Some(params_validator.id()), ..Default::default() },
        };
        create_payment_integration = Integration::lambda_proxy(create_payment.target(), function.invoke_arn());
        read_payment_integration = Integration::lambda_proxy(read_payment.target(), function.invoke_arn());
        check_health_integration = Integration::lambda_proxy(check_health.target(), function.invoke_arn());
        invoke_permission = lambda::Permission {
            action: lambda::PermissionAction::InvokeFunction,
            function_name: function.function_name(),
            invoker: lambda::Invoker::api_gateway(api.execute_arn(STAGE, "*", "*")),
            opts: lambda::PermissionOpts {
                statement_id: Some("AllowItsOwnApiOnly".into()),
                ..Default::default()
            },
        };
        cors_4xx = GatewayResponse {
            rest_api_id: api.id(),
            response_type: GatewayResponseType::Default4xx,
            opts: GatewayResponseOpts { response_parameters: Some(cors(cfg, "GET,POST,OPTIONS").gateway_response_parameters()), ..Default::default() },
        };
        cors_5xx = GatewayResponse {
            rest_api_id: api.id(),
            response_type: GatewayResponseType::Default5xx,
            opts: GatewayResponseOpts { response_parameters: Some(cors(cfg, "GET,POST,OPTIONS").gateway_response_parameters()), ..Default::default() },
        };
    }
    let payments_preflight_integration =
        preflight(&payments_preflight, "payments_preflight", "POST,OPTIONS");
    let payment_preflight_integration =
        preflight(&payment_preflight, "payment_preflight", "GET,OPTIONS");
    // Redeploy whenever the model or a route changes. The model is hashed as we write it: the
    // provider stores its `schema` normalised, so hashing that attribute would change between
    // the first plan and the next and replace the deployment after every first apply.
    let redeploy = DeploymentOpts::redeploy_on([
        Text::from(schema_digest(PAYMENT_REQUEST_SCHEMA)),
        payment_model.node().attribute("id"),
        create_payment.node().attribute("id"),
        read_payment.node().attribute("id"),
        check_health.node().attribute("id"),
        create_payment_integration.node().attribute("id"),
        read_payment_integration.node().attribute("id"),
        check_health_integration.node().attribute("id"),
        payments_preflight_integration.node().attribute("id"),
        payment_preflight_integration.node().attribute("id"),
        cors_4xx.node().attribute("id"),
        cors_5xx.node().attribute("id"),
    ]);
    stack! {
        in aws;
        deployment = Deployment {
            rest_api_id: api.id(),
            opts: redeploy,
        } with Meta::new().create_before_destroy()
            .depends_on(&create_payment_integration).depends_on(&read_payment_integration)
            .depends_on(&check_health_integration).depends_on(&payments_preflight_integration)
            .depends_on(&payment_preflight_integration);
        access_logs = LogGroup {
            name: Some(format!("/aws/apigateway/{}", cfg.name("api")).into()),
            retention_in_days: Some(AUDIT_LOG_DAYS),
            kms_key_id: Some(keys.ops.arn()),
            ..Default::default()
        };
        gateway_logging_role = iam::Role {
            assume_role_policy: PolicyDocument::trust(service::ApiGateway),
            opts: iam::RoleOpts { name: Some(format!("{}-{}", cfg.name("apigw-logs"), R::NAME).into()), ..Default::default() },
        };
        gateway_logging_policy = iam::RolePolicyAttachment {
            role: gateway_logging_role.id(),
            policy_arn: iam::ManagedPolicy::aws_service_role("AmazonAPIGatewayPushToCloudWatchLogs"),
        };
        gateway_account = apigw::Account { cloudwatch_role_arn: Some(gateway_logging_role.arn()), ..Default::default() } with Meta::new().depends_on(&gateway_logging_policy);
        client_certificate = ClientCertificate { description: Some(format!("{} backend calls", cfg.name("api")).into()), ..Default::default() };
        stage = Stage {
            rest_api_id: api.id(),
            deployment_id: deployment.id(),
            stage_name: STAGE.into(),
            opts: StageOpts {
                description: Some("payment API".into()),
                access_log_settings: Some(AccessLogSettings { destination_arn: access_logs.arn(), format: ACCESS_LOG_FORMAT.into() }),
                xray_tracing_enabled: Some(true),
                cache_cluster_enabled: Some(false),
                client_certificate_id: Some(client_certificate.id()),
                ..Default::default()
            },
        } with Meta::new().depends_on(&gateway_account);
        method_settings = MethodSettings {
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
        };
        api_key = ApiKey {
            name: cfg.name("api-key").into(),
            opts: ApiKeyOpts { description: Some("payment API client key".into()), enabled: Some(true), value: api_key_value, ..Default::default() },
        };
        usage_plan = UsagePlan {
            name: cfg.name("usage-plan").into(),
            opts: UsagePlanOpts {
                description: Some("payment API clients".into()),
                api_stages: vec![ApiStage { api_id: api.id(), stage: stage.stage_name(), throttle: vec![] }],
                throttle_settings: Some(ThrottleSettings { burst_limit: Some(100), rate_limit: Some(50.0) }),
                quota_settings: Some(QuotaSettings { limit: 1_000_000, period: QuotaPeriod::Month, offset: None }),
                ..Default::default()
            },
        };
        usage_plan_key = UsagePlanKey { key_id: api_key.id(), key_type: UsagePlanKeyType::ApiKey, usage_plan_id: usage_plan.id() };
    }
    Api {
        api,
        stage,
        api_key,
    }
}

/// The web ACL in front of the stage: AWS managed protections plus a per-IP rate limit.
fn firewall<R: Region>(aws: &Aws<R>, cfg: &Config, keys: &Keys<R>, stage: &Ref<Stage<R>>) {
    use infra_core::aws::wafv2::{self, AwsManagedRuleGroup as G, ManagedRuleGroupStatement as M};
    let managed = |priority: u32, group: G| {
        wafv2::Rule::managed_group(
            group.as_str(),
            priority,
            M::aws(group),
            wafv2::VisibilityConfig::enabled(group.as_str()),
        )
    };
    stack! {
        in aws;
        web_acl = wafv2::WebAcl {
            name: cfg.name("api-acl").into(),
            scope: wafv2::Scope::Regional,
            default_action: wafv2::DefaultAction::allow(),
            visibility_config: wafv2::VisibilityConfig::enabled(cfg.name("api-acl")),
            opts: wafv2::WebAclOpts {
                description: Some("payment API protections".into()),
                rule: vec![
                    managed(0, G::CommonRuleSet),
                    managed(1, G::KnownBadInputsRuleSet),
                    managed(2, G::AmazonIpReputationList),
                    // Route 53 health checkers probe from AWS addresses, which the anonymous-IP
                    // group's hosting-provider list would block: that rule only counts.
                    wafv2::Rule::managed_group(
                        G::AnonymousIpList.as_str(),
                        3,
                        M {
                            rule_action_override: vec![wafv2::RuleActionOverride {
                                name: "HostingProviderIPList".into(),
                                action_to_use: wafv2::RuleAction::count(),
                            }],
                            ..M::aws(G::AnonymousIpList)
                        },
                        wafv2::VisibilityConfig::enabled(G::AnonymousIpList.as_str()),
                    ),
                    managed(4, G::SqliRuleSet),
                    wafv2::Rule::rate_based(
                        "per-ip-rate-limit",
                        5,
                        wafv2::RateBasedStatement::per_ip(2000),
                        wafv2::RuleAction::block(),
                        wafv2::VisibilityConfig::enabled("per-ip-rate-limit"),
                    ),
                ],
                ..Default::default()
            },
        };
        web_acl_association = wafv2::WebAclAssociation { resource_arn: stage.arn(), web_acl_arn: web_acl.arn() };
        waf_logs = LogGroup {
            // WAF delivers only to log groups whose name starts with `aws-waf-logs-`.
            name: Some(format!("aws-waf-logs-{}", cfg.name("api")).into()),
            retention_in_days: Some(AUDIT_LOG_DAYS),
            kms_key_id: Some(keys.ops.arn()),
            ..Default::default()
        };
        waf_logging = wafv2::LoggingConfiguration {
            resource_arn: web_acl.arn(),
            log_destination_configs: wafv2::LogDestination::log_group(waf_logs.arn()),
            opts: wafv2::LoggingConfigurationOpts {
                // API keys never reach the WAF logs.
                redacted_fields: vec![wafv2::RedactedField::header("x-api-key")],
            },
        };
    }
}

/// An alarm on one metric of the `AWS/…` namespaces, notifying `topic`.
#[allow(clippy::too_many_arguments)] // Each argument is one field of the alarm, named at the call.
fn alarm<R: Region>(
    aws: &Aws<R>,
    cfg: &Config,
    name: &str,
    description: &str,
    namespace: &str,
    metric: &str,
    statistic: &str,
    threshold: f64,
    dimensions: Dimensions<R>,
    topic: &Ref<sns::Topic<R>>,
) {
    let (statistic, extended_statistic) = if statistic.starts_with('p') {
        (None, Some(statistic.into()))
    } else {
        (Some(statistic.into()), None)
    };
    aws.add(
        &format!("{}_alarm", name.replace('-', "_")),
        MetricAlarm {
            alarm_name: format!("{}-{}", cfg.name(name), R::NAME).into(),
            comparison_operator: Comparison::GreaterThanThreshold,
            evaluation_periods: 3,
            opts: MetricAlarmOpts {
                alarm_description: Some(description.into()),
                namespace: Some(namespace.into()),
                metric_name: Some(metric.into()),
                statistic,
                extended_statistic,
                period: Some(60),
                threshold: Some(threshold),
                datapoints_to_alarm: Some(2),
                treat_missing_data: Some("notBreaching".into()),
                dimensions: Some(dimensions),
                alarm_actions: vec![topic.arn()],
                ok_actions: vec![topic.arn()],
                ..Default::default()
            },
        },
    );
}

/// Alarms, the KPI metric filters, and the topic they notify.
fn observability<R: Region>(
    aws: &Aws<R>,
    cfg: &Config,
    keys: &Keys<R>,
    shared: &Shared<R>,
    function: &Ref<Function<R>>,
    function_logs: &Ref<LogGroup<R>>,
    api: &Ref<RestApi<R>>,
) -> Ref<sns::Topic<R>> {
    stack! {
        in aws;
        alarms = sns::Topic { name: Some(cfg.name("alarms").into()), kms_master_key_id: Some(keys.ops.key_id()), ..Default::default() };
    }
    if let Some(email) = cfg.alarm_email() {
        aws.add(
            "alarms_email",
            sns::Subscription {
                topic_arn: alarms.arn(),
                protocol: "email".into(),
                endpoint: email.into(),
                opts: Default::default(),
            },
        );
    }
    stack! {
        in aws;
        alarms_policy = sns::TopicPolicy {
            arn: alarms.arn(),
            policy: PolicyDocument::new().statement(
                infra_core::policy::Statement::allow([sns::Publish], alarms.arn())
                    .sid("CloudWatchAlarmsOfThisAccount")
                    .principal(Principal::service(service::CloudWatch))
                    .condition(Condition::string_equals(global::SourceAccount, shared.account_id.clone())),
            ),
        };
        lambda_error_rate = MetricAlarm {
            alarm_name: format!("{}-{}", cfg.name("lambda-error-rate"), R::NAME).into(),
            comparison_operator: Comparison::GreaterThanThreshold,
            evaluation_periods: 3,
            opts: MetricAlarmOpts {
                alarm_description: Some("payment processor errors above 1% of invocations".into()),
                threshold: Some(1.0),
                datapoints_to_alarm: Some(2),
                treat_missing_data: Some("notBreaching".into()),
                metric_query: vec![
                    lambda_metric("errors", "Errors", function),
                    lambda_metric("invocations", "Invocations", function),
                    MetricQuery {
                        id: "error_rate".into(),
                        expression: Some("100 * errors / MAX([invocations, 1])".into()),
                        label: Some("error rate (%)".into()),
                        return_data: Some(true),
                        metric: None,
                    },
                ],
                alarm_actions: vec![alarms.arn()],
                ok_actions: vec![alarms.arn()],
                ..Default::default()
            },
        };
        payments_created = MetricFilter {
            name: cfg.name("payments-created").into(),
            log_group_name: function_logs.name(),
            pattern: "\"payment created\"".into(),
            metric_transformation: MetricTransformation { name: "PaymentsCreated".into(), namespace: "Payments/KPI".into(), value: "1".into(), default_value: None, unit: Some("Count".into()) },
            opts: Default::default(),
        };
        idempotency_conflicts = MetricFilter {
            name: cfg.name("idempotency-conflicts").into(),
            log_group_name: function_logs.name(),
            pattern: "\"idempotency conflict\"".into(),
            metric_transformation: MetricTransformation { name: "IdempotencyConflicts".into(), namespace: "Payments/KPI".into(), value: "1".into(), default_value: None, unit: Some("Count".into()) },
            opts: Default::default(),
        };
        audit_gaps = MetricFilter {
            name: cfg.name("audit-gaps").into(),
            log_group_name: function_logs.name(),
            pattern: "\"audit write failed\"".into(),
            metric_transformation: MetricTransformation { name: "AuditGaps".into(), namespace: "Payments/KPI".into(), value: "1".into(), default_value: None, unit: Some("Count".into()) },
            opts: Default::default(),
        };
    }
    let function_dims = Dimensions::function(function.function_name());
    let table_dims = Dimensions::table(shared.table_name.clone());
    alarm(
        aws,
        cfg,
        "lambda-duration",
        "payment processor p99 duration above 5 s",
        "AWS/Lambda",
        "Duration",
        "p99",
        5000.0,
        function_dims,
        &alarms,
    );
    alarm(
        aws,
        cfg,
        "dynamodb-read-throttles",
        "DynamoDB read throttling on the payments table",
        "AWS/DynamoDB",
        "ReadThrottleEvents",
        "Sum",
        0.0,
        table_dims.clone(),
        &alarms,
    );
    alarm(
        aws,
        cfg,
        "dynamodb-write-throttles",
        "DynamoDB write throttling on the payments table",
        "AWS/DynamoDB",
        "WriteThrottleEvents",
        "Sum",
        0.0,
        table_dims,
        &alarms,
    );
    alarm(
        aws,
        cfg,
        "api-5xx",
        "payment API 5XX responses",
        "AWS/ApiGateway",
        "5XXError",
        "Sum",
        5.0,
        Dimensions::api_stage(api.name(), STAGE),
        &alarms,
    );
    alarm(
        aws,
        cfg,
        "replication-latency",
        "audit replication slower than 15 minutes",
        "AWS/S3",
        "ReplicationLatency",
        "Maximum",
        900.0,
        shared.replication_dimensions.clone(),
        &alarms,
    );
    alarm(
        aws,
        cfg,
        "audit-gaps",
        "payments stored without their audit record (reconciliation needed)",
        "Payments/KPI",
        "AuditGaps",
        "Sum",
        0.0,
        Dimensions::none(),
        &alarms,
    );
    alarms
}

fn lambda_metric<R: Region>(id: &str, metric: &str, function: &Ref<Function<R>>) -> MetricQuery<R> {
    MetricQuery {
        id: id.into(),
        expression: None,
        label: None,
        return_data: Some(false),
        metric: Some(MetricStat {
            metric_name: metric.into(),
            namespace: "AWS/Lambda".into(),
            dimensions: Some(Dimensions::function(function.function_name())),
            period: 60,
            stat: "Sum".into(),
            unit: None,
        }),
    }
}

/// Everything one region serves: network, function, API, firewall, domains, alarms, parameters.
pub fn serve<R: Region>(
    aws: &Aws<R>,
    cfg: &Config,
    keys: Keys<R>,
    shared: &Shared<R>,
    zone: &Ref<infra_core::aws::route53::Zone>,
) -> Regional<R> {
    use infra_core::aws::{acm, route53, ssm};
    let parameter = |name: &str| format!("/{}/{name}", cfg.name("config"));
    let secure = |value: Text| infra_core::Sensitive::new(value);
    stack! {
        in aws;
        table_name_parameter = ssm::Parameter::secure(parameter("table-name"), secure(shared.table_name.clone().into()), keys.data.arn());
        bucket_name_parameter = ssm::Parameter::secure(parameter("audit-bucket"), secure(shared.audit_bucket_name.clone()), keys.data.arn());
        audit_prefix_parameter = ssm::Parameter::secure(parameter("audit-prefix"), secure(AUDIT_PREFIX.into()), keys.data.arn());
    }
    let parameters = [
        table_name_parameter.arn(),
        bucket_name_parameter.arn(),
        audit_prefix_parameter.arn(),
    ];
    let network = network(aws, cfg, &keys);
    let (function, function_logs, role) = function(aws, cfg, &keys, shared, &network, &parameters);
    let served = api(aws, cfg, &keys, &function, shared.api_key_value.clone());
    let (api, stage, api_key) = (served.api, served.stage, served.api_key);
    firewall(aws, cfg, &keys, &stage);
    let alarms = observability(aws, cfg, &keys, shared, &function, &function_logs, &api);
    crate::reconcile::schedule(aws, cfg, &function, &alarms);
    stack! {
        in aws;
        api_key_parameter = ssm::Parameter::secure(parameter("api-key"), api_key.value(), keys.data.arn());
        certificate = acm::Certificate {
            domain_name: cfg.api_host().into(),
            validation_method: acm::ValidationMethod::Dns,
            opts: acm::CertificateOpts { subject_alternative_names: vec![cfg.latency_host().into()], ..Default::default() },
        } with Meta::new().create_before_destroy();
        certificate_record = route53::Record::validation(zone.zone_id(), certificate.validation_record(0));
        certificate_record_latency = route53::Record::validation(zone.zone_id(), certificate.validation_record(1));
        certificate_validation = acm::CertificateValidation {
            certificate_arn: certificate.arn(),
            opts: acm::CertificateValidationOpts { validation_record_fqdns: vec![certificate_record.fqdn(), certificate_record_latency.fqdn()], ..Default::default() },
        };
    }
    let domain = |name: &str, host: String| {
        let domain = aws.add(
            name,
            DomainName {
                domain_name: host.into(),
                opts: DomainNameOpts {
                    regional_certificate_arn: Some(certificate_validation.certificate_arn()),
                    endpoint_configuration: Some(EndpointConfiguration::regional()),
                    security_policy: Some(SecurityPolicy::Tls12),
                    ..Default::default()
                },
            },
        );
        aws.add(
            &format!("{name}_mapping"),
            BasePathMapping {
                api_id: api.id(),
                domain_name: domain.domain_name(),
                opts: BasePathMappingOpts {
                    stage_name: Some(stage.stage_name()),
                    ..Default::default()
                },
            },
        );
        domain
    };
    let domains = [
        domain("api_domain", cfg.api_host()),
        domain("api_latency_domain", cfg.latency_host()),
    ];
    let health_fqdn = infra_core::aws::route53::Fqdn::rest_api(api.id());
    Regional {
        keys,
        role,
        function,
        function_logs,
        api,
        stage,
        api_key,
        alarms,
        domains,
        health_fqdn,
    }
}

#[cfg(test)]
mod tests {
    use super::lambda_package;

    #[test]
    fn relative_zips_follow_the_module_and_absolute_ones_stay() {
        let (f, h) = lambda_package("../dist/p.zip");
        assert_eq!(f.render(), "${path.module}/../dist/p.zip");
        assert_eq!(
            h.render(),
            "${filebase64sha256(\"${path.module}/../dist/p.zip\")}"
        );
        let (f, h) = lambda_package("/opt/build/p.zip");
        assert_eq!(f.render(), "/opt/build/p.zip");
        assert_eq!(h.render(), "${filebase64sha256(\"/opt/build/p.zip\")}");
        let (_, h) = lambda_package("/odd/\"${x}\".zip");
        assert_eq!(h.render(), r#"${filebase64sha256("/odd/\"$${x}\".zip")}"#);
    }
}
