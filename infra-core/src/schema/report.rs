//! What a schema check found: a [`Report`] of [`Problem`]s, each with a path and a [`ProblemKind`].

use std::fmt;

/// Every problem a check found, in the order found (document order for [`super::validate`]).
///
/// ```
/// use infra_core::schema::{validate, Schema};
///
/// let doc = serde_json::json!({"resource": {"aws_kms_key": {"k": {"enable_key_rotation": "yes"}}}});
/// let report = validate(&doc, Schema::aws());
/// assert!(!report.is_ok());
/// assert_eq!(
///     report.to_string(),
///     "resource.aws_kms_key.k.enable_key_rotation: invalid type, expected `bool`, found a string"
/// );
/// assert!(report.into_result().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Report {
    /// The problems, each naming where it is.
    pub problems: Vec<Problem>,
}

impl Report {
    /// No problem was found.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }

    /// `Ok(())` when no problem was found, the report itself otherwise.
    pub fn into_result(self) -> Result<(), Report> {
        if self.is_ok() { Ok(()) } else { Err(self) }
    }

    /// Adds a problem.
    pub(crate) fn push(&mut self, path: impl Into<String>, kind: ProblemKind) {
        self.problems.push(Problem {
            path: path.into(),
            kind,
        });
    }
}

/// One problem per line, `path: message`.
impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}

/// One problem, and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Dotted path to the offending value, such as
    /// `resource.aws_kms_key.primary_data_key.enable_key_rotation`; `[i]` marks an element.
    pub path: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.kind)
        } else {
            write!(f, "{}: {}", self.path, self.kind)
        }
    }
}

/// What is wrong. Each variant displays as a lowercase message naming what was expected and what
/// was found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ProblemKind {
    /// A top-level key that is not a Terraform block type.
    #[error(
        "unknown top-level key `{key}`, expected one of `terraform`, `provider`, `resource`, `data`, `variable`, `locals`, `output`, `module`, `moved`"
    )]
    UnknownTopLevelKey {
        /// The key.
        key: String,
    },
    /// A provider the schema does not describe.
    #[error("no schema for provider `{provider}`")]
    UnknownProvider {
        /// The provider's local name.
        provider: String,
    },
    /// A resource type the schema does not define.
    #[error("unknown resource type `{type_name}`")]
    UnknownResourceType {
        /// The type name.
        type_name: String,
    },
    /// A data source type the schema does not define.
    #[error("unknown data source `{type_name}`")]
    UnknownDataSource {
        /// The type name.
        type_name: String,
    },
    /// An argument or block the schema does not define here.
    #[error("unknown argument `{name}`")]
    UnknownArgument {
        /// The argument's name.
        name: String,
    },
    /// The same argument declared twice (in a Rust shape).
    #[error("duplicate argument `{name}`")]
    DuplicateArgument {
        /// The argument's name.
        name: String,
    },
    /// A required argument or block is missing.
    #[error("missing required argument `{name}`")]
    MissingRequired {
        /// The argument's name.
        name: String,
    },
    /// The provider requires the argument but the Rust type makes it optional.
    #[error("`{name}` is required by the provider, but optional in the rust type")]
    OptionalButRequired {
        /// The argument's name.
        name: String,
    },
    /// An exported attribute that the provider computes and that cannot be set.
    #[error("`{name}` is computed by the provider and cannot be set")]
    ComputedOnlyArgument {
        /// The attribute's name.
        name: String,
    },
    /// A value of the wrong type.
    #[error("invalid type, expected `{expected}`, found {found}")]
    WrongType {
        /// The expected type, in Terraform syntax (`list(string)`).
        expected: String,
        /// What was found (`a string`, `an object`, `a repeated block`).
        found: String,
    },
    /// A nested block given as something else, or a block where an attribute is expected.
    #[error("invalid block, expected {expected}, found {found}")]
    WrongBlockShape {
        /// What the schema expects (`a block`, `a single block`, `an attribute`).
        expected: String,
        /// What was found.
        found: String,
    },
    /// More instances of a block than the provider allows.
    #[error("too many `{name}` blocks, expected at most {max}, found {found}")]
    TooManyBlocks {
        /// The block's name.
        name: String,
        /// The most allowed.
        max: u64,
        /// How many were given.
        found: usize,
    },
    /// Fewer instances of a block than the provider requires.
    #[error("too few `{name}` blocks, expected at least {min}, found {found}")]
    TooFewBlocks {
        /// The block's name.
        name: String,
        /// The fewest allowed.
        min: u64,
        /// How many were given.
        found: usize,
    },
    /// A reference to a resource, data source or module that the document does not declare.
    #[error("reference to undeclared `{reference}`")]
    DanglingReference {
        /// The reference as written, up to the declaration it names (`aws_kms_key.main`).
        reference: String,
    },
    /// A reference to an attribute that the referenced type does not have.
    #[error("`{reference}` refers to unknown attribute `{attribute}`")]
    UnknownAttribute {
        /// The whole reference (`aws_kms_key.main.key_arn`).
        reference: String,
        /// The attribute that does not exist (`key_arn`).
        attribute: String,
    },
    /// `var.NAME` without a `variable` of that name.
    #[error("reference to undeclared variable `var.{name}`")]
    UndeclaredVariable {
        /// The variable's name.
        name: String,
    },
    /// `local.NAME` without a local value of that name.
    #[error("reference to undeclared local value `local.{name}`")]
    UndeclaredLocal {
        /// The local value's name.
        name: String,
    },
    /// A `provider` meta-argument naming a provider configuration that is not declared.
    #[error("undeclared provider configuration `{provider}`")]
    UndeclaredProvider {
        /// The provider reference as written (`aws.replica`).
        provider: String,
    },
    /// Literal text holding an escaped reference (`$${aws_kms_key.k.arn}`): a reference pasted
    /// into a string (`format!("{:?}", key.arn())`, `render()`) instead of interpolated, which
    /// Terraform would write out as the literal characters.
    #[error(
        "`$${{{reference}}}` is an escaped reference: a reference pasted into a string (`format!(\"{{:?}}\", …)` or `render()`) is literal text to terraform; build the string with `interpolate!`"
    )]
    PastedReference {
        /// The reference as written after `$${` (`aws_kms_key.k.arn`).
        reference: String,
    },
    /// A `${…}` or `%{…}` sequence that cannot be read.
    #[error("malformed template `{text}`: {reason}")]
    MalformedTemplate {
        /// The string that holds it.
        text: String,
        /// Why it cannot be read.
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn report_lists_one_problem_per_line() {
        let mut report = Report::default();
        assert!(report.is_ok());
        assert_eq!(report.clone().into_result(), Ok(()));
        report.push(
            "resource.aws_kms_key.k",
            ProblemKind::UnknownArgument {
                name: "rotation".into(),
            },
        );
        report.push("", ProblemKind::UnknownTopLevelKey { key: "x".into() });
        assert_eq!(
            report.to_string(),
            "resource.aws_kms_key.k: unknown argument `rotation`\nunknown top-level key `x`, expected one of `terraform`, `provider`, `resource`, `data`, `variable`, `locals`, `output`, `module`, `moved`"
        );
        let err: Box<dyn std::error::Error> = Box::new(report.clone().into_result().unwrap_err());
        assert_eq!(err.to_string(), report.to_string());
    }
}
