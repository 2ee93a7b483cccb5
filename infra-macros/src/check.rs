//! Cross-field rules of the derives, each in its own function with the reason it exists.

use std::collections::BTreeMap;

use syn::{GenericParam, Ident};

use crate::ast::{Container, Derive};
use crate::ctxt::Ctxt;

/// Runs every rule; fills in the container's region parameter.
pub fn check(cx: &mut Ctxt, cont: &mut Container) {
    check_type_name(cx, cont);
    check_generics(cx, cont);
    check_unique_argument_names(cx, cont);
    check_exports(cx, cont);
    check_flatten(cx, cont);
}

/// A resource needs its Terraform type, or nothing can refer to it; a block has none.
fn check_type_name(cx: &mut Ctxt, cont: &Container) {
    match (&cont.tf_type, cont.derive) {
        (None, Derive::Resource) => cx.error_spanned_by(
            &cont.input.ident,
            "missing Terraform type: expected `#[resource(type = \"aws_…\")]` (or `data = \"aws_…\"` for a data source)",
        ),
        (Some((_, lit)), Derive::Block) => cx.error_spanned_by(
            lit,
            "a `#[derive(Block)]` struct has no Terraform type: `type` and `data` apply to `#[derive(Resource)]`",
        ),
        (Some((_, lit)), Derive::Resource) => {
            let v = lit.value();
            let ok = !v.is_empty()
                && v.contains('_')
                && v.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                && v.as_bytes()[0].is_ascii_lowercase();
            if !ok {
                cx.error_spanned_by(
                    lit,
                    format!(
                        "invalid Terraform type `{v}`, expected a provider-prefixed snake_case name such as `aws_kms_key`"
                    ),
                );
            }
        }
        (None, Derive::Block) => {}
    }
}

/// The region is the only type parameter a resource may have: references carry it in their type,
/// and the provider of that region is the only one allowed to create the resource.
fn check_generics(cx: &mut Ctxt, cont: &mut Container) {
    let mut types: Vec<&Ident> = Vec::new();
    for param in &cont.input.generics.params {
        match param {
            GenericParam::Type(t) => types.push(&t.ident),
            GenericParam::Lifetime(l) => cx.error_spanned_by(
                l,
                "a resource owns its arguments: expected no lifetime parameter (use `Text` or `String` fields)",
            ),
            GenericParam::Const(c) => cx.error_spanned_by(
                c,
                "expected no const parameter: the only parameter a resource may have is its region",
            ),
        }
    }
    if types.len() > 1 {
        cx.error_spanned_by(
            types[1],
            format!(
                "expected at most one type parameter (the region, like `{}: Region`), found `{}` as well",
                types[0], types[1]
            ),
        );
    }
    if cont.derive == Derive::Resource {
        cont.region = types.first().map(|i| (*i).clone());
    }
}

/// Two fields writing the same Terraform argument would silently overwrite each other.
fn check_unique_argument_names(cx: &mut Ctxt, cont: &Container) {
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    for f in cont.fields.iter().filter(|f| !f.skip && !f.flatten) {
        if seen.insert(f.tf_name.as_str(), ()).is_some() {
            cx.syn_error(syn::Error::new(
                f.name_span,
                format!(
                    "duplicate Terraform argument `{}` in this struct",
                    f.tf_name
                ),
            ));
        }
        let valid = !f.tf_name.is_empty()
            && f.tf_name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !valid {
            cx.syn_error(syn::Error::new(
                f.name_span,
                format!(
                    "invalid Terraform argument name `{}`, expected snake_case",
                    f.tf_name
                ),
            ));
        }
    }
}

/// Exports become accessor methods: a name twice would be two methods of one name, and blocks
/// are never referred to, so they export nothing.
fn check_exports(cx: &mut Ctxt, cont: &Container) {
    if cont.derive == Derive::Block {
        if let Some(e) = cont.exports.first() {
            cx.error_spanned_by(
                &e.name,
                "a `#[derive(Block)]` struct exports nothing: `exports` applies to `#[derive(Resource)]`",
            );
        }
        return;
    }
    let mut seen = BTreeMap::new();
    for e in &cont.exports {
        let name = e.name.to_string();
        if name == "node" {
            cx.error_spanned_by(
                &e.name,
                "`node` is reserved for the handle's address; export the attribute under another name",
            );
        }
        if seen.insert(name.clone(), ()).is_some() {
            cx.error_spanned_by(&e.name, format!("duplicate exported attribute `{name}`"));
        }
    }
}

/// A flattened field writes its arguments inline, so a rename on it would mean nothing.
fn check_flatten(cx: &mut Ctxt, cont: &Container) {
    for f in cont.fields.iter().filter(|f| f.flatten) {
        if f.tf_name != f.member.to_string().trim_start_matches("r#") {
            cx.syn_error(syn::Error::new(
                f.name_span,
                "a `flatten` field writes its own arguments inline: `rename` does not apply to it",
            ));
        }
    }
}
