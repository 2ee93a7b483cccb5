//! `IC-NAME-*`: literal names obey AWS's own constraints (lengths and character sets).
//!
//! Only literal values are judged: a name holding an expression (`${var.suffix}`) is known at
//! apply time only. A name prefix (`bucket_prefix`, `name_prefix`) is judged by the same
//! character set, and its length leaves room for the 26 characters Terraform appends (an S3
//! `bucket_prefix` at most 37, an IAM role `name_prefix` at most 38).

use super::{Check, Model, Rule};

/// The name rules, in id order.
pub(crate) const RULES: [Rule; 6] = [
    Rule::new(
        "IC-NAME-001",
        "S3 bucket names are 3-63 lowercase letters, digits, `.` and `-`, not IP-shaped; a `bucket_prefix` at most 37 of them",
        |m, c| {
            names(
                m,
                c,
                "aws_s3_bucket",
                &[("bucket", s3_bucket), ("bucket_prefix", s3_bucket_prefix)],
            )
        },
    ),
    Rule::new(
        "IC-NAME-002",
        "IAM role names are at most 64 of `A-Za-z0-9+=,.@_-`; a `name_prefix` at most 38",
        |m, c| {
            names(
                m,
                c,
                "aws_iam_role",
                &[("name", iam_role), ("name_prefix", iam_role_prefix)],
            )
        },
    ),
    Rule::new(
        "IC-NAME-003",
        "Lambda function names are at most 64 of `A-Za-z0-9_-`",
        |m, c| {
            names(
                m,
                c,
                "aws_lambda_function",
                &[("function_name", lambda_function)],
            )
        },
    ),
    Rule::new(
        "IC-NAME-004",
        "log group names are 1-512 of `A-Za-z0-9._-/#`; a `name_prefix` at most 486",
        |m, c| {
            names(
                m,
                c,
                "aws_cloudwatch_log_group",
                &[("name", log_group), ("name_prefix", log_group_prefix)],
            )
        },
    ),
    Rule::new(
        "IC-NAME-005",
        "SSM parameter names are paths of `A-Za-z0-9_.-/`, not under `aws` or `ssm`",
        |m, c| names(m, c, "aws_ssm_parameter", &[("name", ssm_parameter)]),
    ),
    Rule::new(
        "IC-NAME-006",
        "KMS alias names start with `alias/`, not `alias/aws/`; a `name_prefix` too, at most 230",
        |m, c| {
            names(
                m,
                c,
                "aws_kms_alias",
                &[("name", kms_alias), ("name_prefix", kms_alias_prefix)],
            )
        },
    ),
];

/// A judge of one literal name (or name prefix): `Err` says what is wrong.
type Judge = fn(&str) -> Result<(), String>;

/// Terraform completes a `*_prefix` with a unique suffix of this many characters (a timestamp
/// and a counter), so a prefix may be at most the name's maximum less this.
const UNIQUE_SUFFIX: usize = 26;

/// Judges each literal `argument` of the resources of `type_name` (a name, or a name prefix)
/// with its judge; one pass over the resources of the type.
fn names(model: &Model<'_>, check: &mut Check, type_name: &str, judged: &[(&str, Judge)]) {
    for r in model.of_type(type_name) {
        for (argument, judge) in judged {
            let Some(name) = r.literal(argument) else {
                continue;
            };
            check.checked(r);
            if let Err(why) = judge(&name) {
                check.fail(r, argument, format!("`{name}` {why}"));
            }
        }
    }
}

fn length(name: &str, min: usize, max: usize) -> Result<(), String> {
    let n = name.chars().count();
    if n < min || n > max {
        return Err(format!("is {n} characters long; it must be {min} to {max}"));
    }
    Ok(())
}

fn charset(name: &str, allowed: impl Fn(char) -> bool, what: &str) -> Result<(), String> {
    match name.chars().find(|c| !allowed(*c)) {
        Some(c) => Err(format!("has `{c}`; only {what} are allowed")),
        None => Ok(()),
    }
}

fn s3_bucket(name: &str) -> Result<(), String> {
    length(name, 3, 63)?;
    charset(
        name,
        |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-',
        "lowercase letters, digits, `.` and `-` (lower-case the environment suffix)",
    )?;
    let edge = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    if !name.starts_with(edge) || !name.ends_with(edge) {
        return Err("must begin and end with a letter or digit".into());
    }
    if name.contains("..") {
        return Err("has two adjacent periods".into());
    }
    if name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return Err("is shaped like an IP address".into());
    }
    if name.starts_with("xn--") || name.starts_with("sthree-") || name.ends_with("-s3alias") {
        return Err("uses a prefix or suffix S3 reserves".into());
    }
    Ok(())
}

fn iam_role(name: &str) -> Result<(), String> {
    length(name, 1, 64)?;
    charset(
        name,
        |c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c),
        "letters, digits and `+=,.@_-`",
    )
}

fn lambda_function(name: &str) -> Result<(), String> {
    if name.starts_with("arn:") {
        return Ok(());
    }
    length(name, 1, 64)?;
    charset(
        name,
        |c| c.is_ascii_alphanumeric() || c == '_' || c == '-',
        "letters, digits, `_` and `-`",
    )
}

fn log_group(name: &str) -> Result<(), String> {
    length(name, 1, 512)?;
    charset(
        name,
        |c| c.is_ascii_alphanumeric() || "._-/#".contains(c),
        "letters, digits and `._-/#`",
    )
}

fn ssm_parameter(name: &str) -> Result<(), String> {
    length(name, 1, 1011)?;
    charset(
        name,
        |c| c.is_ascii_alphanumeric() || "_.-/".contains(c),
        "letters, digits and `_.-/`",
    )?;
    if name.contains('/') && !name.starts_with('/') {
        return Err("is a path, so it must begin with `/`".into());
    }
    let first = name.trim_start_matches('/').to_ascii_lowercase();
    if first.starts_with("aws") || first.starts_with("ssm") {
        return Err("begins with `aws` or `ssm`, which AWS reserves".into());
    }
    if name.matches('/').count() > 15 {
        return Err("has more than 15 levels".into());
    }
    Ok(())
}

fn kms_alias(name: &str) -> Result<(), String> {
    length(name, 7, 256)?;
    kms_alias_shape(name)
}

/// What an alias name and an alias prefix share: under `alias/`, not `alias/aws/`.
fn kms_alias_shape(name: &str) -> Result<(), String> {
    if !name.starts_with("alias/") {
        return Err("must begin with `alias/`".into());
    }
    if name.starts_with("alias/aws/") {
        return Err("is under `alias/aws/`, which AWS reserves for its managed keys".into());
    }
    charset(
        name,
        |c| c.is_ascii_alphanumeric() || "/_-".contains(c),
        "letters, digits and `/_-`",
    )
}

/// A prefix's length error, saying why the limit is lower than the name's.
fn with_suffix(e: String) -> String {
    format!("{e} (Terraform appends {UNIQUE_SUFFIX} characters)")
}

/// A `bucket_prefix`: the start of a bucket name, leaving room for Terraform's suffix.
fn s3_bucket_prefix(prefix: &str) -> Result<(), String> {
    length(prefix, 1, 63 - UNIQUE_SUFFIX).map_err(with_suffix)?;
    charset(
        prefix,
        |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-',
        "lowercase letters, digits, `.` and `-` (lower-case the environment suffix)",
    )?;
    if !prefix.starts_with(|c: char| c.is_ascii_lowercase() || c.is_ascii_digit()) {
        return Err("must begin with a letter or digit".into());
    }
    if prefix.contains("..") {
        return Err("has two adjacent periods".into());
    }
    if prefix.starts_with("xn--") || prefix.starts_with("sthree-") {
        return Err("uses a prefix S3 reserves".into());
    }
    Ok(())
}

/// An IAM role `name_prefix`.
fn iam_role_prefix(prefix: &str) -> Result<(), String> {
    length(prefix, 1, 64 - UNIQUE_SUFFIX).map_err(with_suffix)?;
    iam_role(prefix)
}

/// A log group `name_prefix`.
fn log_group_prefix(prefix: &str) -> Result<(), String> {
    length(prefix, 1, 512 - UNIQUE_SUFFIX).map_err(with_suffix)?;
    log_group(prefix)
}

/// A KMS alias `name_prefix` (`alias/` itself is a valid prefix).
fn kms_alias_prefix(prefix: &str) -> Result<(), String> {
    length(prefix, 6, 256 - UNIQUE_SUFFIX).map_err(with_suffix)?;
    kms_alias_shape(prefix)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{doc, failures};
    use super::*;
    use serde_json::json;

    #[test]
    fn each_constraint() {
        assert!(s3_bucket("payment-dev-audit-123").is_ok());
        assert!(s3_bucket("payment-Prod-audit").unwrap_err().contains("`P`"));
        assert!(s3_bucket("ab").is_err());
        assert!(s3_bucket(&"a".repeat(64)).is_err());
        assert!(s3_bucket("192.168.5.4").unwrap_err().contains("IP"));
        assert!(s3_bucket("-abc").is_err());
        assert!(s3_bucket("a..b").is_err());
        assert!(iam_role("payment-dev+role@x").is_ok());
        assert!(iam_role(&"r".repeat(65)).is_err());
        assert!(iam_role("has space").is_err());
        assert!(lambda_function("payment-dev_processor").is_ok());
        assert!(lambda_function("payment.dev").is_err());
        assert!(log_group("/aws/lambda/x#1").is_ok());
        assert!(log_group("bad:name").is_err());
        assert!(log_group(&"l".repeat(513)).is_err());
        assert!(ssm_parameter("/payment-dev/api-key").is_ok());
        assert!(ssm_parameter("payment/api-key").is_err());
        assert!(ssm_parameter("/aws/x").is_err());
        assert!(ssm_parameter("/a b").is_err());
        assert!(kms_alias("alias/payment-dev-data").is_ok());
        assert!(kms_alias("payment-dev-data").is_err());
        assert!(kms_alias("alias/aws/s3").is_err());
    }

    #[test]
    fn each_prefix_constraint() {
        assert!(s3_bucket_prefix("payment-dev-audit-").is_ok());
        assert!(s3_bucket_prefix(&"a".repeat(37)).is_ok());
        let long = s3_bucket_prefix(&"a".repeat(38)).unwrap_err();
        assert!(
            long.contains("38 characters") && long.contains("1 to 37"),
            "{long}"
        );
        assert!(
            s3_bucket_prefix("payment-Dev-")
                .unwrap_err()
                .contains("`D`")
        );
        assert!(s3_bucket_prefix("-payment").is_err());
        assert!(s3_bucket_prefix("a..b").is_err());
        assert!(iam_role_prefix(&"r".repeat(38)).is_ok());
        assert!(iam_role_prefix(&"r".repeat(39)).is_err());
        assert!(iam_role_prefix("has space").is_err());
        assert!(log_group_prefix("/aws/lambda/").is_ok());
        assert!(log_group_prefix(&"l".repeat(487)).is_err());
        assert!(log_group_prefix("bad:").is_err());
        assert!(kms_alias_prefix("alias/payment-").is_ok());
        assert!(kms_alias_prefix("payment-").is_err());
        assert!(kms_alias_prefix("alias/aws/x").is_err());
    }

    #[test]
    fn only_literal_prefixes_are_judged_beside_the_names() {
        let d = doc(json!({
            "aws_s3_bucket": {
                "long": {"bucket_prefix": "payment-production-audit-logs-archive-"},
                "good": {"bucket_prefix": "payment-prod-audit-"},
                "expr": {"bucket_prefix": "payment-${var.Env}-audit-logs-archive-bucket-"},
            },
            "aws_iam_role": {
                "long": {"name_prefix": "payment-production-processor-execution-"},
                "good": {"name_prefix": "payment-prod-processor-"},
            },
            "aws_cloudwatch_log_group": {"bad": {"name_prefix": "payment:"}, "good": {"name_prefix": "/payment/"}},
            "aws_kms_alias": {"bad": {"name_prefix": "payment-"}, "good": {"name_prefix": "alias/payment-"}},
        }));
        let found = failures(&d, &RULES);
        let got: Vec<(&str, &str, &str)> = found
            .iter()
            .map(|f| (f.rule, f.address.as_str(), f.argument.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("IC-NAME-001", "aws_s3_bucket.long", "bucket_prefix"),
                ("IC-NAME-002", "aws_iam_role.long", "name_prefix"),
                ("IC-NAME-004", "aws_cloudwatch_log_group.bad", "name_prefix"),
                ("IC-NAME-006", "aws_kms_alias.bad", "name_prefix")
            ]
        );
        assert!(found[0].message.contains("1 to 37"), "{}", found[0].message);
    }

    #[test]
    fn only_literal_names_are_judged() {
        let d = doc(json!({
            "aws_s3_bucket": {
                "bad": {"bucket": "payment-Prod-audit"},
                "good": {"bucket": "payment-prod-audit"},
                "expr": {"bucket": "payment-${var.Suffix}-audit"},
            },
            "aws_kms_alias": {"a": {"name": "alias/aws/mine"}},
        }));
        let found = failures(&d, &RULES);
        let got: Vec<(&str, &str)> = found.iter().map(|f| (f.rule, f.address.as_str())).collect();
        assert_eq!(
            got,
            [
                ("IC-NAME-001", "aws_s3_bucket.bad"),
                ("IC-NAME-006", "aws_kms_alias.a")
            ]
        );
        assert_eq!(found[0].argument, "bucket");
    }
}
