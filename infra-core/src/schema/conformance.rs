//! Conformance of the arguments a Rust type declares ([`BlockShape`]) to a provider schema.

use std::collections::BTreeSet;

use super::{
    AttrType, AttributeSchema, BlockSchema, Kind, NestedBlockSchema, ProblemKind, Report, Schema,
};
use crate::shape::{ArgKind, ArgShape, BlockShape};

/// Checks the arguments a Rust type declares for a resource or data source against the schema.
///
/// Every declared argument must exist and be settable (not computed-only); its kind must match
/// (a `List` matches a list or a set; a `String` also stands for a `dynamic` attribute); a field
/// the Rust type requires must be at least optional in the schema, and an argument the schema
/// requires must be declared and required. A repeated `Block` must match a block that allows
/// more than one instance; a non-repeated one matches any block (it writes one instance). Paths read `aws_kms_key.enable_key_rotation` (`data.` for data sources).
///
/// ```
/// use infra_core::schema::{check_shape, Kind, ProblemKind, Schema};
/// use infra_core::shape::{ArgKind, ArgShape, BlockShape};
///
/// let arg = |name: &str, required, kind| ArgShape { name: name.into(), required, kind, reference: false };
/// let alias = BlockShape {
///     args: vec![
///         arg("name", false, ArgKind::String),
///         arg("target_key_id", true, ArgKind::String),
///     ],
/// };
/// assert!(check_shape(Schema::aws(), Kind::Resource, "aws_kms_alias", &alias).is_ok());
///
/// let wrong = BlockShape { args: vec![arg("target_key_id", true, ArgKind::Number)] };
/// let report = check_shape(Schema::aws(), Kind::Resource, "aws_kms_alias", &wrong);
/// assert!(matches!(report.problems[0].kind, ProblemKind::WrongType { .. }));
/// ```
pub fn check_shape(schema: &Schema, kind: Kind, type_name: &str, shape: &BlockShape) -> Report {
    let mut report = Report::default();
    let path = match kind {
        Kind::Resource => type_name.to_owned(),
        Kind::DataSource => format!("data.{type_name}"),
    };
    match schema.block(kind, type_name) {
        Some(block) => check_block(shape, block, &path, &mut report),
        None => {
            let type_name = type_name.to_owned();
            report.push(
                path,
                match kind {
                    Kind::Resource => ProblemKind::UnknownResourceType { type_name },
                    Kind::DataSource => ProblemKind::UnknownDataSource { type_name },
                },
            );
        }
    }
    report
}

fn check_block(shape: &BlockShape, schema: &BlockSchema, path: &str, report: &mut Report) {
    let mut seen = BTreeSet::new();
    for arg in &shape.args {
        let at = format!("{path}.{}", arg.name);
        if !seen.insert(arg.name.as_str()) {
            report.push(
                path,
                ProblemKind::DuplicateArgument {
                    name: arg.name.clone(),
                },
            );
            continue;
        }
        if let Some(attr) = schema.attributes.get(&arg.name) {
            check_attribute(arg, attr, &at, report);
        } else if let Some(nested) = schema.blocks.get(&arg.name) {
            check_nested_block(arg, nested, &at, report);
        } else {
            report.push(
                path,
                ProblemKind::UnknownArgument {
                    name: arg.name.clone(),
                },
            );
        }
    }
    for (name, attr) in &schema.attributes {
        if attr.required && !seen.contains(name.as_str()) {
            report.push(path, ProblemKind::MissingRequired { name: name.clone() });
        }
    }
    for (name, nested) in &schema.blocks {
        if nested.min_items > 0 && !seen.contains(name.as_str()) {
            report.push(path, ProblemKind::MissingRequired { name: name.clone() });
        }
    }
}

fn check_attribute(arg: &ArgShape, attr: &AttributeSchema, path: &str, report: &mut Report) {
    if attr.is_computed_only() {
        report.push(
            path,
            ProblemKind::ComputedOnlyArgument {
                name: arg.name.clone(),
            },
        );
        return;
    }
    if attr.required && !arg.required && !matches!(arg.kind, ArgKind::Block { repeated: true, .. })
    {
        report.push(
            path,
            ProblemKind::OptionalButRequired {
                name: arg.name.clone(),
            },
        );
    }
    match (&arg.kind, &attr.ty) {
        // The bindings type the recursive wafv2 `statement` as dynamic: anything goes.
        (ArgKind::Block { .. }, AttrType::Dynamic) => {}
        // A list or set of objects that the provider lets users write as repeated blocks
        // (`ingress` of `aws_security_group`).
        (
            ArgKind::Block {
                repeated: true,
                shape,
            },
            AttrType::List(inner) | AttrType::Set(inner),
        ) if matches!(**inner, AttrType::Object(_)) => {
            let AttrType::Object(fields) = &**inner else {
                return;
            };
            for field in &shape.args {
                let at = format!("{path}.{}", field.name);
                match fields.get(&field.name) {
                    Some(ty) => check_kind(&field.kind, ty, &at, report),
                    None => report.push(
                        path,
                        ProblemKind::UnknownArgument {
                            name: field.name.clone(),
                        },
                    ),
                }
            }
        }
        (ArgKind::Block { repeated, .. }, _) => report.push(
            path,
            ProblemKind::WrongBlockShape {
                expected: format!("an attribute of type `{}`", attr.ty),
                found: block_kind(*repeated).to_owned(),
            },
        ),
        (kind, ty) => check_kind(kind, ty, path, report),
    }
}

fn check_nested_block(arg: &ArgShape, nested: &NestedBlockSchema, path: &str, report: &mut Report) {
    let ArgKind::Block { repeated, shape } = &arg.kind else {
        report.push(
            path,
            ProblemKind::WrongBlockShape {
                expected: "a nested block".to_owned(),
                found: format!("an attribute of kind `{}`", kind_name(&arg.kind)),
            },
        );
        return;
    };
    // A single Rust block writes exactly one instance, which every block accepts; only a
    // repeated one can exceed a provider limit of one. (The bindings record only a maximum of 1,
    // so single-instance rules the provider enforces with validators look unbounded here.)
    let at_most_one = nested.max() == Some(1);
    if *repeated && at_most_one {
        let expected = if at_most_one {
            "a single block (the provider allows at most one)"
        } else {
            "a repeated block"
        };
        report.push(
            path,
            ProblemKind::WrongBlockShape {
                expected: expected.to_owned(),
                found: block_kind(*repeated).to_owned(),
            },
        );
    }
    // A `Vec` is never "required" in a shape, so only a single block can be checked here.
    if nested.min_items > 0 && !*repeated && !arg.required {
        report.push(
            path,
            ProblemKind::OptionalButRequired {
                name: arg.name.clone(),
            },
        );
    }
    check_block(shape, &nested.block, path, report);
}

/// Whether a Rust argument kind can hold a value of a schema type.
fn check_kind(kind: &ArgKind, ty: &AttrType, path: &str, report: &mut Report) {
    let ok = match (kind, ty) {
        // A JSON value can be of any type (it stands for `dynamic` and object types).
        (_, AttrType::Dynamic) | (ArgKind::Json, _) => true,
        (ArgKind::String, AttrType::String)
        | (ArgKind::Number, AttrType::Number)
        | (ArgKind::Bool, AttrType::Bool) => true,
        (ArgKind::List(k), AttrType::List(t) | AttrType::Set(t))
        | (ArgKind::Map(k), AttrType::Map(t)) => {
            return check_kind(k, t, path, report);
        }
        _ => false,
    };
    if !ok {
        report.push(
            path,
            ProblemKind::WrongType {
                expected: ty.to_string(),
                found: format!("`{}`", kind_name(kind)),
            },
        );
    }
}

fn block_kind(repeated: bool) -> &'static str {
    if repeated {
        "a repeated block"
    } else {
        "a single block"
    }
}

fn kind_name(kind: &ArgKind) -> String {
    match kind {
        ArgKind::String => "string".to_owned(),
        ArgKind::Number => "number".to_owned(),
        ArgKind::Bool => "bool".to_owned(),
        ArgKind::List(inner) => format!("list({})", kind_name(inner)),
        ArgKind::Map(inner) => format!("map({})", kind_name(inner)),
        ArgKind::Json => "json".to_owned(),
        ArgKind::Block { repeated, .. } => block_kind(*repeated).to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(name: &str, required: bool, kind: ArgKind) -> ArgShape {
        ArgShape {
            name: name.to_owned(),
            required,
            kind,
            reference: false,
        }
    }

    fn block(repeated: bool, args: Vec<ArgShape>) -> ArgKind {
        ArgKind::Block {
            repeated,
            shape: BlockShape { args },
        }
    }

    fn check(type_name: &str, args: Vec<ArgShape>) -> Vec<(String, ProblemKind)> {
        check_shape(
            Schema::aws(),
            Kind::Resource,
            type_name,
            &BlockShape { args },
        )
        .problems
        .into_iter()
        .map(|p| (p.path, p.kind))
        .collect()
    }

    fn lambda(extra: Vec<ArgShape>) -> Vec<ArgShape> {
        let mut args = vec![
            arg("function_name", true, ArgKind::String),
            arg("role", true, ArgKind::String),
        ];
        args.extend(extra);
        args
    }

    #[test]
    fn conforming_shapes_pass() {
        let problems = check(
            "aws_lambda_function",
            lambda(vec![
                arg(
                    "architectures",
                    false,
                    ArgKind::List(Box::new(ArgKind::String)),
                ),
                arg("memory_size", false, ArgKind::Number),
                arg("tags", false, ArgKind::Map(Box::new(ArgKind::String))),
                arg(
                    "environment",
                    false,
                    block(
                        false,
                        vec![arg(
                            "variables",
                            false,
                            ArgKind::Map(Box::new(ArgKind::String)),
                        )],
                    ),
                ),
            ]),
        );
        assert_eq!(problems, []);
        let table = check(
            "aws_dynamodb_table",
            vec![
                arg("name", true, ArgKind::String),
                arg(
                    "attribute",
                    false,
                    block(
                        true,
                        vec![
                            arg("name", true, ArgKind::String),
                            arg("type", true, ArgKind::String),
                        ],
                    ),
                ),
            ],
        );
        assert_eq!(table, []);
        let sg = check(
            "aws_security_group",
            vec![arg(
                "ingress",
                false,
                block(true, vec![arg("from_port", true, ArgKind::Number)]),
            )],
        );
        assert_eq!(sg, []);
        let data = check_shape(
            Schema::aws(),
            Kind::DataSource,
            "aws_caller_identity",
            &BlockShape::default(),
        );
        assert!(data.is_ok());
    }

    #[test]
    fn unknown_types() {
        assert_eq!(
            check("aws_lambda", vec![]),
            [(
                "aws_lambda".to_owned(),
                ProblemKind::UnknownResourceType {
                    type_name: "aws_lambda".into()
                }
            )]
        );
        let report = check_shape(
            Schema::aws(),
            Kind::DataSource,
            "aws_no_such_source",
            &BlockShape::default(),
        );
        assert_eq!(report.problems[0].path, "data.aws_no_such_source");
        assert!(matches!(
            report.problems[0].kind,
            ProblemKind::UnknownDataSource { .. }
        ));
    }

    #[test]
    fn unknown_computed_and_duplicate_arguments() {
        assert_eq!(
            check(
                "aws_lambda_function",
                lambda(vec![
                    arg("memory", false, ArgKind::Number),
                    arg("arn", false, ArgKind::String),
                    arg("role", true, ArgKind::String),
                ])
            ),
            [
                (
                    "aws_lambda_function".to_owned(),
                    ProblemKind::UnknownArgument {
                        name: "memory".into()
                    }
                ),
                (
                    "aws_lambda_function.arn".to_owned(),
                    ProblemKind::ComputedOnlyArgument { name: "arn".into() }
                ),
                (
                    "aws_lambda_function".to_owned(),
                    ProblemKind::DuplicateArgument {
                        name: "role".into()
                    }
                ),
            ]
        );
    }

    #[test]
    fn required_arguments() {
        assert_eq!(
            check(
                "aws_lambda_function",
                vec![arg("function_name", false, ArgKind::String)]
            ),
            [
                (
                    "aws_lambda_function.function_name".to_owned(),
                    ProblemKind::OptionalButRequired {
                        name: "function_name".into()
                    }
                ),
                (
                    "aws_lambda_function".to_owned(),
                    ProblemKind::MissingRequired {
                        name: "role".into()
                    }
                ),
            ]
        );
        // A field the Rust type requires may be optional in the schema.
        assert_eq!(
            check(
                "aws_kms_key",
                vec![arg("description", true, ArgKind::String)]
            ),
            []
        );
    }

    #[test]
    fn wrong_kinds() {
        assert_eq!(
            check(
                "aws_kms_key",
                vec![arg("enable_key_rotation", false, ArgKind::String)]
            ),
            [(
                "aws_kms_key.enable_key_rotation".to_owned(),
                ProblemKind::WrongType {
                    expected: "bool".into(),
                    found: "`string`".into()
                }
            )]
        );
        assert_eq!(
            check(
                "aws_lambda_function",
                lambda(vec![arg(
                    "architectures",
                    false,
                    ArgKind::List(Box::new(ArgKind::Number))
                )])
            ),
            [(
                "aws_lambda_function.architectures".to_owned(),
                ProblemKind::WrongType {
                    expected: "string".into(),
                    found: "`number`".into()
                }
            )]
        );
        assert_eq!(
            check(
                "aws_kms_key",
                vec![arg("tags", false, block(false, vec![]))]
            ),
            [(
                "aws_kms_key.tags".to_owned(),
                ProblemKind::WrongBlockShape {
                    expected: "an attribute of type `map(string)`".into(),
                    found: "a single block".into()
                }
            )]
        );
    }

    #[test]
    fn block_shapes() {
        // vpc_config allows one block: a Vec would let a user emit two.
        assert_eq!(
            check(
                "aws_lambda_function",
                lambda(vec![arg(
                    "vpc_config",
                    false,
                    block(
                        true,
                        vec![
                            arg("subnet_ids", true, ArgKind::List(Box::new(ArgKind::String))),
                            arg(
                                "security_group_ids",
                                true,
                                ArgKind::List(Box::new(ArgKind::String))
                            ),
                        ],
                    ),
                )])
            ),
            [(
                "aws_lambda_function.vpc_config".to_owned(),
                ProblemKind::WrongBlockShape {
                    expected: "a single block (the provider allows at most one)".into(),
                    found: "a repeated block".into()
                }
            )]
        );
        // a single Rust block for a repeated schema block writes one instance: accepted.
        assert_eq!(
            check(
                "aws_dynamodb_table",
                vec![
                    arg("name", true, ArgKind::String),
                    arg(
                        "attribute",
                        false,
                        block(
                            false,
                            vec![
                                arg("name", true, ArgKind::String),
                                arg("type", true, ArgKind::String),
                            ],
                        ),
                    )
                ]
            ),
            []
        );
        // a block where the schema has an attribute of scalar kind, and the reverse
        assert_eq!(
            check(
                "aws_lambda_function",
                lambda(vec![arg("environment", false, ArgKind::String)])
            ),
            [(
                "aws_lambda_function.environment".to_owned(),
                ProblemKind::WrongBlockShape {
                    expected: "a nested block".into(),
                    found: "an attribute of kind `string`".into()
                }
            )]
        );
        // nested arguments are checked too
        assert_eq!(
            check(
                "aws_lambda_function",
                lambda(vec![arg(
                    "environment",
                    false,
                    block(false, vec![arg("vars", false, ArgKind::String)])
                )])
            ),
            [(
                "aws_lambda_function.environment".to_owned(),
                ProblemKind::UnknownArgument {
                    name: "vars".into()
                }
            )]
        );
    }
}
