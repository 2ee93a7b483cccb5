//! AWS Lambda: functions, permissions, event invoke configs and code signing configs, and the
//! Lambda IAM actions.

use std::marker::PhantomData;

/// The invoke ARN of a function in region `R` (what an API Gateway `AWS_PROXY` integration
/// calls): `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<arn>/invocations`.
#[derive(Debug)]
pub struct Invoke<R>(PhantomData<R>);
