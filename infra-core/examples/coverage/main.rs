//! Coverage of the AWS provider schema by infra-core's resource layer, per service and in total:
//! `cargo run -q -p infra-core --example coverage`.
//!
//! The schema's counts and the generated types' counts come from a table that `infra-codegen`
//! writes (`data.rs`), so this runs without enabling any service feature; the overlay-typed types
//! (which reuse hand-written blocks) are counted against the schema: an argument counts when the
//! type's shape declares it at its place (`infra_core::schema::missing_arguments`), and typed
//! references from the shape. An argument is a settable attribute or a nested block, at any
//! depth (`id`, and the `region` that provider 6.x adds to regional types, are not: `id` is
//! exported only, and a regional type's region is its provider's). A reference argument is a string
//! argument whose name says it names another resource (`…_arn`, `…_id`, `…_identifier`, `…_name`,
//! `…_url`, their plurals, `role`, `bucket`); it is typed when its Rust type is `Arn<K>`, `Id<K>`,
//! `Name<K>` or `Url<K>` rather than `Text` (in the generated types, by the rules of
//! `infra-core/overlay/references.toml`). Reference arguments are counted for managed resources
//! only, less the reviewed non-references of `infra-core/overlay/not-references.toml` (a resource's
//! own name or ID, `own`; a name or ID of something that is not a Terraform resource, `value`),
//! which the next line shows with the data sources' look-up keys. A service marked `(complete)` has
//! every reference argument typed or reviewed: the generator fails otherwise.

use infra_core::schema::{Kind, Schema, argument_paths, missing_arguments};
use infra_core::shape::{ArgKind, BlockShape};

#[rustfmt::skip]
mod data;
// The IAM table, written by `infra-iamgen`.
#[rustfmt::skip]
mod iam;

/// The IAM counts of one service prefix, from `infra-iamgen`.
pub struct IamCoverage {
    /// The IAM service prefix (`sqs`, `execute-api`).
    pub prefix: &'static str,
    /// Actions (every one typed).
    pub actions: usize,
    /// Of those, the actions that support only `*`.
    pub unscoped: usize,
    /// Resource types AWS defines for the service.
    pub resource_types: usize,
    /// Of those, mapped to a kind of the resource layer (the rest have a marker kind).
    pub mapped: usize,
}

/// The counts of one service, from the generator.
pub struct ServiceCoverage {
    /// The service (and feature) name.
    pub name: &'static str,
    /// Every reference-shaped `Text` argument of its managed resources is typed or reviewed
    /// (`complete` in `not-references.toml`).
    pub complete: bool,
    /// What the schema has.
    pub schema: Counts,
    /// What the generated types cover (every argument of theirs, and the references typed).
    pub generated: Counts,
}

/// Type and argument counts.
#[derive(Clone, Copy, Default)]
pub struct Counts {
    /// Managed resource types.
    pub resources: usize,
    /// Data source types.
    pub data_sources: usize,
    /// Arguments, at every depth.
    pub arguments: usize,
    /// Reference-shaped arguments of managed resources, less the reviewed non-references.
    pub references: usize,
    /// Of those, the typed ones (counted by the generator for the generated types).
    pub typed: usize,
    /// Reviewed non-references: a resource's own name or ID.
    pub own: usize,
    /// Reviewed non-references: names or IDs of things that are not Terraform resources.
    pub value: usize,
    /// Reference-shaped arguments of data sources (look-up keys).
    pub lookup: usize,
}

/// A hand-written type.
pub struct HandWritten {
    /// The service the schema puts it in.
    pub service: &'static str,
    /// A data source.
    pub data: bool,
    /// The Terraform type.
    pub type_name: &'static str,
    /// Its shape.
    pub shape: fn() -> BlockShape,
}

/// The names the generator counts as references.
fn reference_shaped(name: &str) -> bool {
    data::REFERENCE_SUFFIXES.iter().any(|s| name.ends_with(s))
        || data::REFERENCE_NAMES.contains(&name)
}

/// The schema arguments of a hand-written type that its shape declares, at every depth.
fn arguments(h: &HandWritten, shape: &BlockShape) -> usize {
    let kind = if h.data {
        Kind::DataSource
    } else {
        Kind::Resource
    };
    let all = argument_paths(Schema::aws(), kind, h.type_name);
    let missing = missing_arguments(Schema::aws(), kind, h.type_name, shape);
    // A global type that declares the schema's top-level `region` (`data.aws_region`) sets it;
    // a regional type's region is its provider's, so neither list has it.
    let region = shape.args.iter().any(|a| a.name == "region");
    all.iter().filter(|p| !missing.contains(p)).count() + usize::from(region)
}

/// The typed reference arguments of a shape, at every depth.
fn typed(shape: &BlockShape) -> usize {
    let mut typed = 0;
    for arg in &shape.args {
        if arg.reference && reference_shaped(&arg.name) {
            typed += 1;
        }
        if let ArgKind::Block { shape, .. } = &arg.kind {
            typed += self::typed(shape);
        }
    }
    typed
}

fn ratio(n: usize, m: usize) -> String {
    format!("{n}/{m}")
}

fn line(name: &str, have: &Counts, typed: usize, schema: &Counts) -> String {
    format!(
        "{name}: resources {}, data sources {}, arguments {}, reference arguments typed {}\n  not references (reviewed): own {}, value {}; data-source look-up keys {}",
        ratio(have.resources, schema.resources),
        ratio(have.data_sources, schema.data_sources),
        ratio(have.arguments, schema.arguments),
        ratio(typed, schema.references),
        schema.own,
        schema.value,
        schema.lookup,
    )
}

fn main() {
    let hand = data::handwritten();
    let mut total_have = Counts::default();
    let mut total_schema = Counts::default();
    let mut total_typed = 0;
    println!("coverage of {} (tools/schema), by service:", data::SCHEMA);
    for s in data::SERVICES {
        let mut have = s.generated;
        let mut typed = s.generated.typed;
        for h in hand.iter().filter(|h| h.service == s.name) {
            if h.data {
                have.data_sources += 1;
            } else {
                have.resources += 1;
            }
            let shape = (h.shape)();
            have.arguments += arguments(h, &shape);
            // A data source's references are look-up keys, not counted as references.
            if !h.data {
                typed += self::typed(&shape);
            }
        }
        let name = if s.complete {
            format!("{} (complete)", s.name)
        } else {
            s.name.to_owned()
        };
        println!("{}", line(&name, &have, typed, &s.schema));
        for (total, part) in [(&mut total_have, have), (&mut total_schema, s.schema)] {
            total.resources += part.resources;
            total.data_sources += part.data_sources;
            total.arguments += part.arguments;
            total.references += part.references;
            total.own += part.own;
            total.value += part.value;
            total.lookup += part.lookup;
        }
        total_typed += typed;
    }
    println!("{}", line("total", &total_have, total_typed, &total_schema));
    iam_coverage();
}

/// The IAM part: typed actions and mapped resource types per service prefix, and in total.
fn iam_coverage() {
    println!(
        "\nIAM actions and resource types of {} (tools/iam), by service prefix:",
        iam::IAM_SOURCE
    );
    let (mut actions, mut unscoped, mut types, mut mapped) = (0, 0, 0, 0);
    for s in iam::IAM {
        println!(
            "{}: actions {} (only `*`: {}), resource types mapped {}",
            s.prefix,
            s.actions,
            s.unscoped,
            ratio(s.mapped, s.resource_types)
        );
        actions += s.actions;
        unscoped += s.unscoped;
        types += s.resource_types;
        mapped += s.mapped;
    }
    println!(
        "iam total: {} service prefixes, actions {actions} (only `*`: {unscoped}), resource types mapped {}",
        iam::IAM.len(),
        ratio(mapped, types)
    );
}
