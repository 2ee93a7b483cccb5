// A realistic ECR pull: read one repository's images; the registry token supports only `*`.
use infra_core::aws::ecr;
use infra_core::iam::ecr as ecr_actions;
use infra_core::policy::PolicyDocument;
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let repo = east.add("api", ecr::Repository { name: "api".into(), opts: Default::default() });
    let policy = PolicyDocument::new()
        .allow(
            [
                ecr_actions::BatchGetImage,
                ecr_actions::GetDownloadUrlForLayer,
                ecr_actions::BatchCheckLayerAvailability,
            ],
            repo.arn(),
        )
        .allow_unscoped([ecr_actions::GetAuthorizationToken]);
    let json: serde_json::Value = serde_json::from_str(&policy.to_json()).unwrap();
    assert_eq!(json["Statement"][0]["Resource"][0], "${aws_ecr_repository.primary_api.arn}");
    assert_eq!(json["Statement"][1]["Action"][0], "ecr:GetAuthorizationToken");
    assert_eq!(json["Statement"][1]["Resource"], "*");
}
