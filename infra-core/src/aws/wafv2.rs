//! AWS WAF (v2): web ACLs with managed rule groups, rate-based rules and rules of any other
//! statement ([`Statement::other`], written as JSON: the schema types statements as a dynamic
//! value), their association with API Gateway stages, and their logging.
//!
//! The shapes AWS allows only one way are built through constructors, so that a wrong
//! combination does not compile: a managed rule group rule carries an `override_action` and
//! any other rule an `action` ([`Rule`]), an action is exactly one of allow, block, count…
//! ([`RuleAction`], [`DefaultAction`], [`OverrideAction`]). Empty blocks such as
//! `override_action { none {} }` are written as empty objects (`"none": {}`), never dropped.
//! A web ACL protects resources of its own region: an association takes an
//! `Arn<apigateway::Stage<R>>` and logging an `Arn<cloudwatch::LogGroup<R>>`.

use crate::aws::cloudwatch;
use crate::shape::BlockShape;
use crate::{Args, Arn, Block, JsonValue, OneOrMore, Region, Text, string_enum};

/// The overlay-typed types (`infra-core/overlay/types/wafv2.toml`): `WebAcl`,
/// `WebAclAssociation`, `LoggingConfiguration`.
pub use super::generated::overlay::wafv2::*;

/// The generated `wafv2` types this module does not define (feature `wafv2`).
#[cfg(feature = "wafv2")]
pub use super::generated::wafv2::*;

string_enum! {
    /// Whether a web ACL protects regional resources or CloudFront distributions.
    pub enum Scope {
        /// API Gateway stages, load balancers… of the ACL's region.
        Regional = "REGIONAL",
        /// CloudFront distributions (create it in us-east-1).
        Cloudfront = "CLOUDFRONT",
    }
}

/// A block without arguments (`none {}`, `count {}`, `allow {}`), written as `{}`.
#[derive(Block, Debug, Clone, Default, PartialEq)]
pub struct Empty {}

/// A header WAF adds to a request or a custom response (`insert_header`, `response_header`).
#[derive(Block, Debug, Clone)]
pub struct Header {
    /// The header's name (WAF prefixes inserted request headers with `x-amzn-waf-`).
    pub name: Text,
    /// Its value.
    pub value: Text,
}

/// Headers WAF inserts into a request it lets through (`custom_request_handling` block),
/// made by [`RequestAction::inserting`].
#[derive(Block, Debug, Clone)]
pub struct CustomRequestHandling {
    insert_header: Vec<Header>,
}

/// An action that lets the request go on (allow, count, CAPTCHA, challenge), with optional
/// headers inserted into it; `{}` without them.
#[derive(Block, Debug, Clone, Default)]
pub struct RequestAction {
    /// Headers to insert.
    pub custom_request_handling: Option<CustomRequestHandling>,
}

impl RequestAction {
    /// Inserts `headers` into the request.
    ///
    /// ```
    /// use infra_core::aws::wafv2::{Header, RequestAction, RuleAction};
    /// let tagged = RuleAction::count_with(RequestAction::inserting(
    ///     [Header { name: "suspect".into(), value: "1".into() }].into(),
    /// ));
    /// # let _ = tagged;
    /// ```
    pub fn inserting(headers: OneOrMore<Header>) -> Self {
        Self {
            custom_request_handling: Some(CustomRequestHandling {
                insert_header: headers.into_vec(),
            }),
        }
    }
}

/// A custom response of a block action (`custom_response` block).
#[derive(Block, Debug, Clone)]
pub struct CustomResponse {
    /// The status code (`403`, `429`).
    pub response_code: u32,
    /// The key of a body declared in the ACL's `custom_response_body`.
    pub custom_response_body_key: Option<Text>,
    /// Headers of the response (`Retry-After`).
    pub response_header: Vec<Header>,
}

/// A block action (`block` block), with an optional custom response.
#[derive(Block, Debug, Clone, Default)]
pub struct BlockAction {
    /// A custom response instead of `403`.
    pub custom_response: Option<CustomResponse>,
}

/// What a web ACL does with requests no rule decided (`default_action` block): allow or block.
#[derive(Block, Debug, Clone)]
pub struct DefaultAction {
    allow: Option<RequestAction>,
    block: Option<BlockAction>,
}

impl DefaultAction {
    /// Allow (`allow {}`).
    pub fn allow() -> Self {
        Self::allow_with(RequestAction::default())
    }

    /// Allow, inserting headers ([`RequestAction::inserting`]).
    pub fn allow_with(action: RequestAction) -> Self {
        Self {
            allow: Some(action),
            block: None,
        }
    }

    /// Block (`block {}`).
    pub fn block() -> Self {
        Self::block_with(BlockAction::default())
    }

    /// Block with a custom response.
    pub fn block_with(action: BlockAction) -> Self {
        Self {
            allow: None,
            block: Some(action),
        }
    }
}

/// What a rule (not a rule group) does with a matching request (`action` block): exactly one of
/// allow, block, count, CAPTCHA or challenge.
#[derive(Block, Debug, Clone)]
pub struct RuleAction {
    allow: Option<RequestAction>,
    block: Option<BlockAction>,
    count: Option<RequestAction>,
    captcha: Option<RequestAction>,
    challenge: Option<RequestAction>,
}

impl RuleAction {
    const NONE: RuleAction = RuleAction {
        allow: None,
        block: None,
        count: None,
        captcha: None,
        challenge: None,
    };

    /// Allow.
    pub fn allow() -> Self {
        Self::allow_with(RequestAction::default())
    }

    /// Allow, inserting headers into the request ([`RequestAction::inserting`]).
    pub fn allow_with(action: RequestAction) -> Self {
        Self {
            allow: Some(action),
            ..Self::NONE
        }
    }

    /// Block with `403`.
    pub fn block() -> Self {
        Self::block_with(BlockAction::default())
    }

    /// Block with a custom response (`429` for a rate limit).
    pub fn block_with(action: BlockAction) -> Self {
        Self {
            block: Some(action),
            ..Self::NONE
        }
    }

    /// Count only (to try a rule out).
    pub fn count() -> Self {
        Self::count_with(RequestAction::default())
    }

    /// Count only, inserting headers into the request ([`RequestAction::inserting`]).
    pub fn count_with(action: RequestAction) -> Self {
        Self {
            count: Some(action),
            ..Self::NONE
        }
    }

    /// Ask for a CAPTCHA.
    pub fn captcha() -> Self {
        Self::captcha_with(RequestAction::default())
    }

    /// Ask for a CAPTCHA, inserting headers into the request ([`RequestAction::inserting`]).
    pub fn captcha_with(action: RequestAction) -> Self {
        Self {
            captcha: Some(action),
            ..Self::NONE
        }
    }

    /// Ask for a silent challenge.
    pub fn challenge() -> Self {
        Self::challenge_with(RequestAction::default())
    }

    /// Ask for a silent challenge, inserting headers into the request ([`RequestAction::inserting`]).
    pub fn challenge_with(action: RequestAction) -> Self {
        Self {
            challenge: Some(action),
            ..Self::NONE
        }
    }
}

/// What a rule group rule does with the group's own actions (`override_action` block).
#[derive(Block, Debug, Clone)]
pub struct OverrideAction {
    none: Option<Empty>,
    count: Option<Empty>,
}

impl OverrideAction {
    /// Keep the group's actions (`none {}`).
    pub fn none() -> Self {
        Self {
            none: Some(Empty {}),
            count: None,
        }
    }

    /// Count instead of acting (`count {}`).
    pub fn count() -> Self {
        Self {
            none: None,
            count: Some(Empty {}),
        }
    }
}

/// CloudWatch metrics and sampled requests of a rule or an ACL (`visibility_config` block).
#[derive(Block, Debug, Clone)]
pub struct VisibilityConfig {
    /// Publish CloudWatch metrics.
    pub cloudwatch_metrics_enabled: bool,
    /// The metric's name.
    pub metric_name: Text,
    /// Keep samples of matching requests.
    pub sampled_requests_enabled: bool,
}

impl VisibilityConfig {
    /// Metrics and sampled requests on, under `metric_name`.
    pub fn enabled(metric_name: impl Into<Text>) -> Self {
        Self {
            cloudwatch_metrics_enabled: true,
            metric_name: metric_name.into(),
            sampled_requests_enabled: true,
        }
    }
}

string_enum! {
    /// AWS managed rule groups (vendor `AWS`).
    pub enum AwsManagedRuleGroup {
        /// OWASP-style common protections.
        CommonRuleSet = "AWSManagedRulesCommonRuleSet",
        /// Known bad inputs (Log4j, exploits).
        KnownBadInputsRuleSet = "AWSManagedRulesKnownBadInputsRuleSet",
        /// SQL injection.
        SqliRuleSet = "AWSManagedRulesSQLiRuleSet",
        /// Amazon's IP reputation list.
        AmazonIpReputationList = "AWSManagedRulesAmazonIpReputationList",
        /// Anonymizing IPs (VPNs, Tor, hosting providers).
        AnonymousIpList = "AWSManagedRulesAnonymousIpList",
        /// Admin page protection.
        AdminProtectionRuleSet = "AWSManagedRulesAdminProtectionRuleSet",
        /// Linux-specific exploits.
        LinuxRuleSet = "AWSManagedRulesLinuxRuleSet",
        /// POSIX-specific exploits.
        UnixRuleSet = "AWSManagedRulesUnixRuleSet",
        /// Bot control (extra cost).
        BotControlRuleSet = "AWSManagedRulesBotControlRuleSet",
    }
}

/// A different action for one rule of a managed group (`rule_action_override` block).
#[derive(Block, Debug, Clone)]
pub struct RuleActionOverride {
    /// The rule's name within the group (`SizeRestrictions_BODY`).
    pub name: Text,
    /// The action to take instead.
    pub action_to_use: RuleAction,
}

/// A managed rule group (`managed_rule_group_statement` block).
#[derive(Block, Debug, Clone)]
pub struct ManagedRuleGroupStatement {
    /// The group's name.
    pub name: Text,
    /// The vendor (`AWS`).
    pub vendor_name: Text,
    /// A pinned version (latest when unset).
    pub version: Option<Text>,
    /// Actions for single rules of the group.
    pub rule_action_override: Vec<RuleActionOverride>,
}

impl ManagedRuleGroupStatement {
    /// An AWS managed rule group at its default version.
    pub fn aws(group: AwsManagedRuleGroup) -> Self {
        Self {
            name: Text::literal(group.as_str()),
            vendor_name: Text::literal("AWS"),
            version: None,
            rule_action_override: Vec::new(),
        }
    }
}

string_enum! {
    /// What a rate-based rule counts requests by.
    pub enum AggregateKeyType {
        /// The client IP.
        Ip = "IP",
        /// The IP in a forwarded header (`forwarded_ip_config`).
        ForwardedIp = "FORWARDED_IP",
        /// All requests together.
        Constant = "CONSTANT",
        /// Custom keys.
        CustomKeys = "CUSTOM_KEYS",
    }
}

/// Limits the request rate per key (`rate_based_statement` block).
#[derive(Block, Debug, Clone)]
pub struct RateBasedStatement {
    /// Requests allowed per evaluation window and key.
    pub limit: u64,
    /// What requests are counted by.
    pub aggregate_key_type: Option<AggregateKeyType>,
    /// The window in seconds (60, 120, 300 or 600).
    pub evaluation_window_sec: Option<u32>,
}

impl RateBasedStatement {
    /// At most `limit` requests per client IP in 5 minutes.
    pub fn per_ip(limit: u64) -> Self {
        Self {
            limit,
            aggregate_key_type: Some(AggregateKeyType::Ip),
            evaluation_window_sec: None,
        }
    }
}

/// The typed statements: a managed group or a rate limit.
#[derive(Block, Debug, Clone)]
struct TypedStatement {
    managed_rule_group_statement: Option<ManagedRuleGroupStatement>,
    rate_based_statement: Option<RateBasedStatement>,
}

/// What a rule inspects (`statement`): a rate limit ([`Statement::rate_based`]), or any other
/// statement WAF has ([`Statement::other`]); a managed rule group is a rule of its own
/// ([`Rule::managed_group`]).
///
/// The provider schema types `statement` as a dynamic value (statements nest without a depth
/// limit), so the statements the module does not model are written as JSON.
#[derive(Debug, Clone)]
pub struct Statement(StatementBody);

#[derive(Debug, Clone)]
enum StatementBody {
    Typed(TypedStatement),
    /// One statement kind (`byte_match_statement`) and its JSON body.
    Other(String, JsonValue),
}

impl Statement {
    /// A rate limit.
    pub fn rate_based(statement: RateBasedStatement) -> Self {
        Self(StatementBody::Typed(TypedStatement {
            managed_rule_group_statement: None,
            rate_based_statement: Some(statement),
        }))
    }

    /// Any statement, by its kind (`geo_match_statement`, `byte_match_statement`,
    /// `and_statement`…) and its body as the provider's documentation spells it.
    ///
    /// ```
    /// use infra_core::{Argument, aws::wafv2::Statement};
    /// let outside_us = Statement::other("not_statement", serde_json::json!({
    ///     "statement": {"geo_match_statement": {"country_codes": ["US"]}}
    /// }));
    /// assert_eq!(
    ///     outside_us.to_value().unwrap()["not_statement"]["statement"]["geo_match_statement"]["country_codes"][0],
    ///     "US"
    /// );
    /// ```
    pub fn other(kind: &str, body: JsonValue) -> Self {
        Self(StatementBody::Other(kind.to_owned(), body))
    }
}

impl Block for Statement {
    fn write_args(&self, args: &mut Args) {
        match &self.0 {
            StatementBody::Typed(typed) => typed.write_args(args),
            StatementBody::Other(kind, body) => args.put_json(kind, body.clone()),
        }
    }
    fn shape() -> BlockShape {
        TypedStatement::shape()
    }
}

/// How long a solved CAPTCHA or challenge stays valid (`immunity_time_property` block).
#[derive(Block, Debug, Clone)]
struct ImmunityTimeProperty {
    immunity_time: Option<u32>,
}

/// The CAPTCHA or challenge settings of a rule (`captcha_config`, `challenge_config`).
#[derive(Block, Debug, Clone)]
struct ImmunityConfig {
    immunity_time_property: Option<ImmunityTimeProperty>,
}

impl ImmunityConfig {
    fn seconds(seconds: u32) -> Self {
        Self {
            immunity_time_property: Some(ImmunityTimeProperty {
                immunity_time: Some(seconds),
            }),
        }
    }
}

/// A label a matching rule adds to the request (`rule_label` block).
#[derive(Block, Debug, Clone)]
struct RuleLabel {
    name: Text,
}

/// A rule of a web ACL (`rule` block).
///
/// A managed rule group rule has an `override_action`, any other rule an `action`; the
/// constructors set the right one.
#[derive(Block, Debug, Clone)]
pub struct Rule {
    name: Text,
    priority: u32,
    statement: Statement,
    action: Option<RuleAction>,
    override_action: Option<OverrideAction>,
    visibility_config: VisibilityConfig,
    captcha_config: Option<ImmunityConfig>,
    challenge_config: Option<ImmunityConfig>,
    rule_label: Vec<RuleLabel>,
}

impl Rule {
    /// A managed rule group, applying the group's own actions (`override_action { none {} }`).
    pub fn managed_group(
        name: impl Into<Text>,
        priority: u32,
        statement: ManagedRuleGroupStatement,
        visibility_config: VisibilityConfig,
    ) -> Self {
        Self {
            name: name.into(),
            priority,
            statement: Statement(StatementBody::Typed(TypedStatement {
                managed_rule_group_statement: Some(statement),
                rate_based_statement: None,
            })),
            action: None,
            override_action: Some(OverrideAction::none()),
            visibility_config,
            captcha_config: None,
            challenge_config: None,
            rule_label: Vec::new(),
        }
    }

    /// A managed rule group that only counts (`override_action { count {} }`), to try it out.
    pub fn managed_group_count_only(
        name: impl Into<Text>,
        priority: u32,
        statement: ManagedRuleGroupStatement,
        visibility_config: VisibilityConfig,
    ) -> Self {
        Self {
            override_action: Some(OverrideAction::count()),
            ..Self::managed_group(name, priority, statement, visibility_config)
        }
    }

    /// A rate-based rule taking `action` (usually [`RuleAction::block`]) above the limit.
    pub fn rate_based(
        name: impl Into<Text>,
        priority: u32,
        statement: RateBasedStatement,
        action: RuleAction,
        visibility_config: VisibilityConfig,
    ) -> Self {
        Self::matching(
            name,
            priority,
            Statement::rate_based(statement),
            action,
            visibility_config,
        )
    }

    /// A rule taking `action` on the requests `statement` matches.
    ///
    /// ```
    /// use infra_core::aws::wafv2::{Rule, RuleAction, Statement, VisibilityConfig};
    /// let geo = Rule::matching(
    ///     "outside-us",
    ///     40,
    ///     Statement::other("not_statement", serde_json::json!({
    ///         "statement": {"geo_match_statement": {"country_codes": ["US"]}}
    ///     })),
    ///     RuleAction::captcha(),
    ///     VisibilityConfig::enabled("outside-us"),
    /// )
    /// .captcha_immunity(300)
    /// .labeled("geo:outside-us");
    /// # let _ = geo;
    /// ```
    pub fn matching(
        name: impl Into<Text>,
        priority: u32,
        statement: Statement,
        action: RuleAction,
        visibility_config: VisibilityConfig,
    ) -> Self {
        Self {
            name: name.into(),
            priority,
            statement,
            action: Some(action),
            override_action: None,
            visibility_config,
            captcha_config: None,
            challenge_config: None,
            rule_label: Vec::new(),
        }
    }

    /// How long a solved CAPTCHA of this rule stays valid, in seconds (the ACL's when unset).
    pub fn captcha_immunity(mut self, seconds: u32) -> Self {
        self.captcha_config = Some(ImmunityConfig::seconds(seconds));
        self
    }

    /// How long a solved challenge of this rule stays valid, in seconds (the ACL's when unset).
    pub fn challenge_immunity(mut self, seconds: u32) -> Self {
        self.challenge_config = Some(ImmunityConfig::seconds(seconds));
        self
    }

    /// Adds a label to the requests the rule matches (later rules can match on it).
    pub fn labeled(mut self, name: impl Into<Text>) -> Self {
        self.rule_label.push(RuleLabel { name: name.into() });
        self
    }
}

/// Where a web ACL's logs go (`log_destination_configs`): WAF takes exactly one destination,
/// written as a one-element list.
///
/// The log group's name must start with `aws-waf-logs-`, or WAF rejects it.
#[derive(Block, Debug, Clone, PartialEq)]
pub struct LogDestination<R: Region> {
    log_destination_configs: OneOrMore<Arn<cloudwatch::LogGroup<R>>>,
}

impl<R: Region> LogDestination<R> {
    /// A log group of the ACL's region (named `aws-waf-logs-…`).
    pub fn log_group(arn: Arn<cloudwatch::LogGroup<R>>) -> Self {
        Self {
            log_destination_configs: OneOrMore::new(arn),
        }
    }
}

/// A part of requests left out of logs (`redacted_fields` block): exactly one of a header,
/// the query string, the URI path or the method.
#[derive(Block, Debug, Clone)]
pub struct RedactedField {
    single_header: Option<SingleHeader>,
    query_string: Option<Empty>,
    uri_path: Option<Empty>,
    method: Option<Empty>,
}

/// A header, by name (`single_header` block).
#[derive(Block, Debug, Clone)]
pub struct SingleHeader {
    /// The header's name, in lower case.
    pub name: Text,
}

impl RedactedField {
    const NONE: RedactedField = RedactedField {
        single_header: None,
        query_string: None,
        uri_path: None,
        method: None,
    };

    /// One header (`authorization`, `x-api-key`).
    pub fn header(name: impl Into<Text>) -> Self {
        Self {
            single_header: Some(SingleHeader { name: name.into() }),
            ..Self::NONE
        }
    }

    /// The query string.
    pub fn query_string() -> Self {
        Self {
            query_string: Some(Empty {}),
            ..Self::NONE
        }
    }

    /// The URI path.
    pub fn uri_path() -> Self {
        Self {
            uri_path: Some(Empty {}),
            ..Self::NONE
        }
    }

    /// The method.
    pub fn method() -> Self {
        Self {
            method: Some(Empty {}),
            ..Self::NONE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Argument;
    use crate::aws::apigateway;
    use crate::testing::assert_conforms as conforms;
    use crate::testing::assert_valid_ignoring as validates;
    use crate::{Stack, UsWest2};

    #[test]
    fn shapes_conform_to_the_schema() {
        conforms::<WebAcl<UsWest2>>();
        conforms::<WebAclAssociation<UsWest2>>();
        conforms::<LoggingConfiguration<UsWest2>>();
    }

    #[test]
    fn empty_blocks_are_written_as_empty_objects() {
        let rule = Rule::managed_group(
            "bad-inputs",
            20,
            ManagedRuleGroupStatement::aws(AwsManagedRuleGroup::KnownBadInputsRuleSet),
            VisibilityConfig::enabled("bad-inputs"),
        );
        assert_eq!(
            rule.to_value().unwrap(),
            serde_json::json!({
                "name": "bad-inputs",
                "priority": 20,
                "override_action": {"none": {}},
                "statement": {"managed_rule_group_statement": {
                    "name": "AWSManagedRulesKnownBadInputsRuleSet",
                    "vendor_name": "AWS"
                }},
                "visibility_config": {
                    "cloudwatch_metrics_enabled": true,
                    "metric_name": "bad-inputs",
                    "sampled_requests_enabled": true
                }
            })
        );
        let rate = Rule::rate_based(
            "rate",
            30,
            RateBasedStatement::per_ip(500),
            RuleAction::block(),
            VisibilityConfig::enabled("rate"),
        );
        let value = rate.to_value().unwrap();
        assert_eq!(value["action"], serde_json::json!({"block": {}}));
        assert_eq!(
            value["statement"]["rate_based_statement"],
            serde_json::json!({"limit": 500, "aggregate_key_type": "IP"})
        );
    }

    #[test]
    fn any_statement_headers_labels_and_immunity_are_written_as_the_provider_reads_them() {
        let rule = Rule::matching(
            "outside-us",
            40,
            Statement::other(
                "geo_match_statement",
                serde_json::json!({"country_codes": ["US"]}),
            ),
            RuleAction::count_with(RequestAction::inserting(OneOrMore::new(Header {
                name: "geo".into(),
                value: "outside".into(),
            }))),
            VisibilityConfig::enabled("outside-us"),
        )
        .challenge_immunity(600)
        .labeled("geo:outside-us");
        let value = rule.to_value().unwrap();
        assert_eq!(
            value["statement"],
            serde_json::json!({"geo_match_statement": {"country_codes": ["US"]}})
        );
        assert_eq!(
            value["action"],
            serde_json::json!({"count": {"custom_request_handling": {
                "insert_header": [{"name": "geo", "value": "outside"}]
            }}})
        );
        assert_eq!(
            value["challenge_config"],
            serde_json::json!({"immunity_time_property": {"immunity_time": 600}})
        );
        assert!(value.get("captcha_config").is_none());
        assert!(value.get("override_action").is_none());
        assert_eq!(
            value["rule_label"],
            serde_json::json!([{"name": "geo:outside-us"}])
        );
        // Without headers an action is still an empty object, never dropped.
        assert_eq!(
            DefaultAction::allow().to_value().unwrap(),
            serde_json::json!({"allow": {}})
        );
    }

    #[test]
    fn the_acl_protects_a_stage_of_its_region() {
        let stack = Stack::new();
        let west = stack.aws::<UsWest2>("secondary");
        let stage: crate::Ref<apigateway::Stage<UsWest2>> = crate::Ref::new(crate::Node::new(
            crate::NodeKind::Resource,
            "aws_api_gateway_stage",
            "secondary_live",
        ));
        let acl = west.add(
            "api",
            WebAcl {
                name: "payments".into(),
                scope: Scope::Regional,
                default_action: DefaultAction::allow(),
                visibility_config: VisibilityConfig::enabled("payments"),
                opts: WebAclOpts {
                    rule: vec![
                        Rule::managed_group(
                            "common",
                            10,
                            ManagedRuleGroupStatement::aws(AwsManagedRuleGroup::CommonRuleSet),
                            VisibilityConfig::enabled("common"),
                        ),
                        Rule::rate_based(
                            "rate",
                            30,
                            RateBasedStatement::per_ip(1000),
                            RuleAction::block(),
                            VisibilityConfig::enabled("rate"),
                        ),
                    ],
                    ..Default::default()
                },
            },
        );
        west.add(
            "api",
            WebAclAssociation {
                resource_arn: stage.arn(),
                web_acl_arn: acl.arn(),
                opts: Default::default(),
            },
        );
        // A fragment: it refers to resources it does not declare, so the rules are not run.
        let doc = stack.synth_unchecked().unwrap();
        validates(&doc, &["aws_api_gateway_stage.secondary_live"]);
        crate::testing::assert_has_resource(
            &doc,
            "aws_wafv2_web_acl_association",
            &serde_json::json!({"resource_arn": "${aws_api_gateway_stage.secondary_live.arn}"}),
        );
    }
}
