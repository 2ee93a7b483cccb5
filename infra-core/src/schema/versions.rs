//! What an older provider version would not understand in a document.
//!
//! A stack is checked against the provider version it declares ([`super::Schema::aws`]). When it
//! must also run on an older provider (a local mirror, an emulator run), [`unknown_to`] lists
//! the arguments, blocks, types and exported attributes the document uses that the older
//! schema does not have: the exact list to exclude, or the reason to raise the version
//! constraint. Problems of any other kind (a wrong type, a missing argument) are not about the
//! version and are left to [`super::validate`].

use serde_json::Value;

use super::{ProblemKind, Report, Schema, validate};

/// An argument infra-core can emit that provider 5.100.0 does not know, and the provider version
/// that added it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewerArgument {
    /// The resource type (`aws_dynamodb_table`).
    pub resource_type: &'static str,
    /// The argument's path in the resource, blocks joined by `.` without indexes
    /// (`replica.deletion_protection_enabled`).
    pub argument: &'static str,
    /// The first provider version that knows it (`6.9.0`).
    pub since: &'static str,
}

/// Every argument newer than provider 5.100.0 that infra-core's types emit. The provider
/// constraint ([`crate::stack::AWS_PROVIDER_VERSION`]) starts at the newest `since`; a test fails when
/// a stack uses an argument [`unknown_to`] reports and this list lacks.
pub const NEWER_THAN_5_100: &[NewerArgument] = &[NewerArgument {
    resource_type: "aws_dynamodb_table",
    argument: "replica.deletion_protection_enabled",
    since: "6.9.0",
}];

/// One unknown argument of [`unknown_to`]'s report as `(resource type, address, argument path)`:
/// `resource.aws_dynamodb_table.t.replica[0]` + `deletion_protection_enabled` gives
/// `("aws_dynamodb_table", "aws_dynamodb_table.t", "replica.deletion_protection_enabled")`.
/// `None` for other problems and for arguments outside a resource (provider configuration).
///
/// ```
/// use infra_core::schema::{argument_of, unknown_to, Schema};
///
/// let doc = serde_json::json!({"resource": {"aws_dynamodb_table": {"t": {
///     "name": "t", "hash_key": "id", "attribute": [{"name": "id", "type": "S"}],
///     "replica": [{"region_name": "us-west-2", "deletion_protection_enabled": true}]
/// }}}});
/// let report = unknown_to(&doc, Schema::aws_5_100());
/// let (ty, address, argument) = argument_of(&report.problems[0]).unwrap();
/// assert_eq!((ty.as_str(), address.as_str()), ("aws_dynamodb_table", "aws_dynamodb_table.t"));
/// assert_eq!(argument, "replica.deletion_protection_enabled");
/// ```
pub fn argument_of(problem: &super::Problem) -> Option<(String, String, String)> {
    let ProblemKind::UnknownArgument { name } = &problem.kind else {
        return None;
    };
    let rest = problem.path.strip_prefix("resource.")?;
    let mut parts = rest.splitn(3, '.');
    let ty = parts.next()?.to_owned();
    let resource = parts.next()?;
    let resource = resource.split('[').next().unwrap_or(resource);
    let mut argument: Vec<String> = parts
        .next()
        .map(|inner| {
            inner
                .split('.')
                .map(|step| step.split('[').next().unwrap_or(step).to_owned())
                .collect()
        })
        .unwrap_or_default();
    argument.push(name.clone());
    Some((ty.clone(), format!("{ty}.{resource}"), argument.join(".")))
}

/// The problems of `doc` against an `older` schema that mean "this version does not know it":
/// unknown resource types, data sources, arguments and blocks, and references to unknown
/// attributes.
///
/// ```
/// use infra_core::schema::{unknown_to, Schema};
///
/// let doc = serde_json::json!({"resource": {"aws_dynamodb_table": {"t": {
///     "name": "t", "hash_key": "id",
///     "attribute": [{"name": "id", "type": "S"}],
///     "replica": [{"region_name": "us-west-2", "deletion_protection_enabled": true}]
/// }}}});
/// assert!(unknown_to(&doc, Schema::aws()).is_ok());
/// let old = unknown_to(&doc, Schema::aws_5_100());
/// assert_eq!(
///     old.to_string(),
///     "resource.aws_dynamodb_table.t.replica[0]: unknown argument `deletion_protection_enabled`"
/// );
/// ```
pub fn unknown_to(doc: &Value, older: &Schema) -> Report {
    let mut report = validate(doc, older);
    report.problems.retain(|p| {
        matches!(
            p.kind,
            ProblemKind::UnknownArgument { .. }
                | ProblemKind::UnknownResourceType { .. }
                | ProblemKind::UnknownDataSource { .. }
                | ProblemKind::UnknownAttribute { .. }
        )
    });
    report
}
