// A realistic Secrets Manager reader: one secret's value, decrypted with its key through Secrets Manager.
use infra_core::aws::{kms, secretsmanager};
use infra_core::iam::secretsmanager as secrets;
use infra_core::policy::{Condition, PolicyDocument, Statement};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let key = east.add("secret_key", kms::Key { enable_key_rotation: Some(true), ..Default::default() });
    let secret = east.add("db_password", secretsmanager::Secret { name: Some("db-password".into()), ..Default::default() });
    let policy = PolicyDocument::new()
        .allow([secrets::GetSecretValue, secrets::DescribeSecret], secret.arn())
        .statement(Statement::allow_when(
            [kms::Decrypt],
            key.arn(),
            Condition::string_equals(kms::conditions::ViaService, "secretsmanager.us-east-1.amazonaws.com"),
        ));
    let json: serde_json::Value = serde_json::from_str(&policy.to_json()).unwrap();
    assert_eq!(json["Statement"][0]["Resource"][0], "${aws_secretsmanager_secret.primary_db_password.arn}");
    assert_eq!(json["Statement"][0]["Action"][0], "secretsmanager:GetSecretValue");
}
