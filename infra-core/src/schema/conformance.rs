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

/// The settable arguments of the schema that a Rust type's shape leaves out, at every depth, as
/// paths (`aws_s3_bucket_lifecycle_configuration.rule.expiration`; `data.` for data sources).
///
/// A nested block is looked into only where the shape declares it; an exported-only `id` and the
/// optional top-level `region` of provider 6.x (a regional type's region is its provider's) are
/// not arguments. An unknown type has nothing to compare, so it gives no paths
/// ([`check_shape`] reports it).
///
/// ```
/// use infra_core::schema::{missing_arguments, Kind, Schema};
/// use infra_core::shape::{ArgKind, ArgShape, BlockShape};
///
/// let arg = |name: &str, required| ArgShape { name: name.into(), required, kind: ArgKind::String, reference: false };
/// let alias = BlockShape { args: vec![arg("name", false), arg("target_key_id", true)] };
/// let missing = missing_arguments(Schema::aws(), Kind::Resource, "aws_kms_alias", &alias);
/// assert_eq!(missing, ["aws_kms_alias.name_prefix"]);
/// ```
pub fn missing_arguments(
    schema: &Schema,
    kind: Kind,
    type_name: &str,
    shape: &BlockShape,
) -> Vec<String> {
    let path = match kind {
        Kind::Resource => type_name.to_owned(),
        Kind::DataSource => format!("data.{type_name}"),
    };
    let mut missing = Vec::new();
    if let Some(block) = schema.block(kind, type_name) {
        missing_in_block(shape, block, &path, true, &mut missing);
    }
    missing
}

/// Every settable argument of a type in the schema, at every depth, as paths: what a Rust type
/// with all its arguments declares (the same arguments as [`missing_arguments`] looks for,
/// nested blocks counted with their own arguments; an unknown type has none).
///
/// ```
/// use infra_core::schema::{argument_paths, Kind, Schema};
/// let alias = argument_paths(Schema::aws(), Kind::Resource, "aws_kms_alias");
/// assert_eq!(alias, ["aws_kms_alias.name", "aws_kms_alias.name_prefix", "aws_kms_alias.target_key_id"]);
/// ```
pub fn argument_paths(schema: &Schema, kind: Kind, type_name: &str) -> Vec<String> {
    fn walk(block: &BlockSchema, path: &str, top: bool, out: &mut Vec<String>) {
        for (name, attr) in &block.attributes {
            if is_argument(name, attr, top) {
                out.push(format!("{path}.{name}"));
            }
        }
        for (name, nested) in &block.blocks {
            let at = format!("{path}.{name}");
            out.push(at.clone());
            walk(&nested.block, &at, false, out);
        }
    }
    let path = match kind {
        Kind::Resource => type_name.to_owned(),
        Kind::DataSource => format!("data.{type_name}"),
    };
    let mut out = Vec::new();
    if let Some(block) = schema.block(kind, type_name) {
        walk(block, &path, true, &mut out);
    }
    out
}

/// A settable attribute that is an argument: not the exported-only `id`, nor the top-level
/// `region` of provider 6.x.
fn is_argument(name: &str, attr: &AttributeSchema, top: bool) -> bool {
    (attr.required || attr.optional)
        && !(top && name == "id" && !attr.required)
        && !(top && name == "region" && attr.optional)
}

fn missing_in_block(
    shape: &BlockShape,
    schema: &BlockSchema,
    path: &str,
    top: bool,
    missing: &mut Vec<String>,
) {
    let declared = |name: &str| shape.args.iter().find(|a| a.name == name);
    for (name, attr) in &schema.attributes {
        if !is_argument(name, attr, top) {
            continue;
        }
        match declared(name) {
            None => missing.push(format!("{path}.{name}")),
            // A list of objects written as repeated blocks: each object field is an argument.
            Some(ArgShape {
                kind: ArgKind::Block { shape, .. },
                ..
            }) => {
                if let AttrType::List(inner) | AttrType::Set(inner) = &attr.ty
                    && let AttrType::Object(fields) = &**inner
                {
                    for field in fields.keys() {
                        if !shape.args.iter().any(|a| &a.name == field) {
                            missing.push(format!("{path}.{name}.{field}"));
                        }
                    }
                }
            }
            Some(_) => {}
        }
    }
    for (name, nested) in &schema.blocks {
        match declared(name) {
            None => missing.push(format!("{path}.{name}")),
            Some(ArgShape {
                kind: ArgKind::Block { shape, .. },
                ..
            }) => missing_in_block(
                shape,
                &nested.block,
                &format!("{path}.{name}"),
                false,
                missing,
            ),
            // A block written as one JSON value holds whatever it is given.
            Some(_) => {}
        }
    }
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
    fn missing_arguments_are_found_at_every_depth_the_shape_declares() {
        let rule = block(
            true,
            vec![
                arg("id", true, ArgKind::String),
                arg("status", true, ArgKind::String),
                arg(
                    "filter",
                    false,
                    block(false, vec![arg("prefix", false, ArgKind::String)]),
                ),
            ],
        );
        let shape = BlockShape {
            args: vec![
                arg("bucket", true, ArgKind::String),
                arg("rule", false, rule),
            ],
        };
        let missing = missing_arguments(
            Schema::aws(),
            Kind::Resource,
            "aws_s3_bucket_lifecycle_configuration",
            &shape,
        );
        let t = "aws_s3_bucket_lifecycle_configuration";
        for path in [
            format!("{t}.expected_bucket_owner"),
            format!("{t}.rule.prefix"),
            format!("{t}.rule.expiration"),
            format!("{t}.rule.filter.tag"),
            format!("{t}.rule.filter.object_size_greater_than"),
        ] {
            assert!(missing.contains(&path), "{path} not in {missing:?}");
        }
        // Not looked into: a block the shape leaves out is one missing path.
        assert!(
            !missing
                .iter()
                .any(|p| p.starts_with(&format!("{t}.rule.expiration.")))
        );
        // Declared ones are not missing, nor the top-level `id` and `region`.
        for declared in [
            "bucket",
            "rule",
            "rule.id",
            "rule.filter",
            "rule.filter.prefix",
            "id",
            "region",
        ] {
            assert!(!missing.contains(&format!("{t}.{declared}")), "{declared}");
        }
        // Every missing path is an argument of the type.
        let all = argument_paths(Schema::aws(), Kind::Resource, t);
        assert!(missing.iter().all(|p| all.contains(p)), "{missing:?}");
        assert!(all.contains(&format!("{t}.rule.expiration.days")));
    }

    #[test]
    fn a_list_of_objects_written_as_blocks_misses_the_fields_it_leaves_out() {
        let ingress = block(true, vec![arg("from_port", false, ArgKind::Number)]);
        let shape = BlockShape {
            args: vec![arg("ingress", false, ingress)],
        };
        let missing =
            missing_arguments(Schema::aws(), Kind::Resource, "aws_security_group", &shape);
        assert!(
            missing.contains(&"aws_security_group.ingress.to_port".to_owned()),
            "{missing:?}"
        );
        assert!(!missing.contains(&"aws_security_group.ingress.from_port".to_owned()));
        assert!(missing.contains(&"aws_security_group.egress".to_owned()));
    }

    #[test]
    fn an_unknown_type_has_no_arguments_to_miss() {
        let empty = BlockShape::default();
        assert!(
            missing_arguments(Schema::aws(), Kind::Resource, "aws_no_such_thing", &empty)
                .is_empty()
        );
        assert!(argument_paths(Schema::aws(), Kind::Resource, "aws_no_such_thing").is_empty());
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
