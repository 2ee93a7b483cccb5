//! The regional WAF web ACL in front of one region's stage: AWS managed protections, a per-IP
//! rate limit that blocks, and logs without the API key.

use infra_core::aws::apigateway::Stage;
use infra_core::aws::wafv2::{
    self, AwsManagedRuleGroup as Group, ManagedRuleGroupStatement, Rule, VisibilityConfig,
};
use infra_core::{Aws, Ref, Region};

use crate::Config;
use crate::keys::Keys;
use crate::observability::log_group;
use crate::regional::AUDIT_LOG_DAYS;

/// Requests from one IP in the default 5-minute window before WAF blocks it.
pub const RATE_LIMIT_PER_IP: u64 = 2000;

/// An AWS managed rule group at `priority`, with its own metrics.
fn managed(priority: u32, group: Group, statement: ManagedRuleGroupStatement) -> Rule {
    Rule::managed_group(
        group.as_str(),
        priority,
        statement,
        VisibilityConfig::enabled(group.as_str()),
    )
}

/// The rules, in priority order.
fn rules() -> Vec<Rule> {
    // Route 53 health checkers probe from AWS addresses, which the anonymous-IP group's
    // hosting-provider list would block: that rule only counts.
    let anonymous = ManagedRuleGroupStatement {
        rule_action_override: vec![wafv2::RuleActionOverride {
            name: "HostingProviderIPList".into(),
            action_to_use: wafv2::RuleAction::count(),
        }],
        ..ManagedRuleGroupStatement::aws(Group::AnonymousIpList)
    };
    let aws = ManagedRuleGroupStatement::aws;
    vec![
        managed(0, Group::CommonRuleSet, aws(Group::CommonRuleSet)),
        managed(
            1,
            Group::KnownBadInputsRuleSet,
            aws(Group::KnownBadInputsRuleSet),
        ),
        managed(
            2,
            Group::AmazonIpReputationList,
            aws(Group::AmazonIpReputationList),
        ),
        managed(3, Group::AnonymousIpList, anonymous),
        managed(4, Group::SqliRuleSet, aws(Group::SqliRuleSet)),
        Rule::rate_based(
            "per-ip-rate-limit",
            5,
            wafv2::RateBasedStatement::per_ip(RATE_LIMIT_PER_IP),
            wafv2::RuleAction::block(),
            VisibilityConfig::enabled("per-ip-rate-limit"),
        ),
    ]
}

/// The web ACL on `stage`, and its logging.
pub fn firewall<R: Region>(
    aws: &Aws<'_, R>,
    cfg: &Config,
    keys: &Keys<'_, R>,
    stage: &Ref<Stage<R>>,
) {
    let web_acl = aws.add(
        "web_acl",
        wafv2::WebAcl {
            name: cfg.name("api-acl").into(),
            scope: wafv2::Scope::Regional,
            default_action: wafv2::DefaultAction::allow(),
            visibility_config: VisibilityConfig::enabled(cfg.name("api-acl")),
            opts: wafv2::WebAclOpts {
                description: Some("payment API protections".into()),
                rule: rules(),
                ..Default::default()
            },
        },
    );
    aws.add(
        "web_acl_association",
        wafv2::WebAclAssociation {
            resource_arn: stage.arn(),
            web_acl_arn: web_acl.arn(),
            opts: Default::default(),
        },
    );
    // WAF delivers only to log groups whose name starts with `aws-waf-logs-`.
    let group = format!("aws-waf-logs-{}", cfg.name("api"));
    let waf_logs = log_group(aws, keys, "waf_logs", group, AUDIT_LOG_DAYS);
    aws.add(
        "waf_logging",
        wafv2::LoggingConfiguration {
            resource_arn: web_acl.arn(),
            log_destination_configs: wafv2::LogDestination::log_group(waf_logs.arn()),
            opts: wafv2::LoggingConfigurationOpts {
                // API keys never reach the WAF logs.
                redacted_fields: vec![wafv2::RedactedField::header("x-api-key")],
                ..Default::default()
            },
        },
    );
}
