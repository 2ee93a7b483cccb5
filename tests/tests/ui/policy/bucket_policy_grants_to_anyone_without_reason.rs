// Granting to every principal (`"AWS": "*"`) needs `Principal::anyone(because(…))`.
use infra_core::aws::s3;
use infra_core::policy::{PolicyDocument, Principal, Statement};
use infra_core::{Stack, UsEast1};

fn main() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let bucket = east.add("site", s3::Bucket::default());
    east.add("site_policy", s3::BucketPolicy {
        bucket: bucket.id(),
        policy: PolicyDocument::new().statement(
            Statement::allow([s3::GetObject], bucket.objects("*")).principal(Principal::Aws("*")),
        ),
    });
}
