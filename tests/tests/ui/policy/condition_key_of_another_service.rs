// A statement's condition keys are its actions' service's or global ones: an S3 key on KMS actions does not compile.
use infra_core::aws::{kms, s3};
use infra_core::policy::{Condition, Statement};
use infra_core::{Arn, Text, UsEast1};

fn main() {
    let key: Arn<kms::Key<UsEast1>> = Arn::from_text(Text::expression("aws_kms_key.k.arn"));
    let _ = Statement::allow_when(
        [kms::Decrypt],
        key,
        Condition::string_equals(s3::conditions::x_amz_server_side_encryption, "aws:kms"),
    );
}
