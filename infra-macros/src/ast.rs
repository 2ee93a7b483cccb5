//! The validated model of a `#[derive(Resource)]` / `#[derive(Block)]` input.
//!
//! Each part keeps a pointer to the user's tokens, so later errors can be spanned on them.

use syn::{Data, DeriveInput, Fields, Ident, LitStr, Type};

use crate::attr::{self, ExportDef};
use crate::ctxt::Ctxt;

/// Which derive is running.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Derive {
    Resource,
    Block,
}

/// Managed resource or data source.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Managed,
    Data,
}

/// A struct being derived.
pub struct Container<'a> {
    pub input: &'a DeriveInput,
    pub derive: Derive,
    /// The Terraform type and its kind (resources only).
    pub tf_type: Option<(Kind, LitStr)>,
    pub exports: Vec<ExportDef>,
    /// The region type parameter, for regional resources.
    pub region: Option<Ident>,
    pub fields: Vec<Field<'a>>,
}

/// One struct field.
pub struct Field<'a> {
    pub member: &'a Ident,
    pub ty: &'a Type,
    /// The Terraform argument name.
    pub tf_name: String,
    /// The token to span name errors on (the rename literal or the field name).
    pub name_span: proc_macro2::Span,
    pub flatten: bool,
    /// `PhantomData` fields carry the region and write nothing.
    pub skip: bool,
}

impl<'a> Container<'a> {
    /// Parses the input; returns `None` when it is not a struct with named fields.
    pub fn from_ast(cx: &mut Ctxt, input: &'a DeriveInput, derive: Derive) -> Option<Self> {
        let name = match derive {
            Derive::Resource => "Resource",
            Derive::Block => "Block",
        };
        let named = match &input.data {
            Data::Struct(s) => match &s.fields {
                Fields::Named(named) => named,
                Fields::Unnamed(_) | Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        format!(
                            "`#[derive({name})]` expects a struct with named fields (one per Terraform argument), found a tuple or unit struct"
                        ),
                    );
                    return None;
                }
            },
            Data::Enum(e) => {
                cx.error_spanned_by(
                    e.enum_token,
                    format!(
                        "`#[derive({name})]` expects a struct with named fields, found an enum; for a closed set of string values use `string_enum!`"
                    ),
                );
                return None;
            }
            Data::Union(u) => {
                cx.error_spanned_by(
                    u.union_token,
                    format!(
                        "`#[derive({name})]` expects a struct with named fields, found a union"
                    ),
                );
                return None;
            }
        };

        let attrs = attr::container(cx, &input.attrs);
        let tf_type = match (attrs.managed, attrs.data) {
            (Some((_, t)), None) => Some((Kind::Managed, t)),
            (None, Some((_, t))) => Some((Kind::Data, t)),
            (Some((_, t)), Some((key, _))) => {
                cx.error_spanned_by(
                    key,
                    "a resource is either managed (`type = ...`) or a data source (`data = ...`), not both",
                );
                Some((Kind::Managed, t))
            }
            (None, None) => None,
        };
        let exports = attrs.exports.map(|(_, e)| e).unwrap_or_default();

        let fields = named
            .named
            .iter()
            .filter_map(|f| {
                let member = f.ident.as_ref()?;
                let fattrs = attr::field(cx, &f.attrs);
                let raw = member.to_string();
                let raw = raw.strip_prefix("r#").unwrap_or(&raw).to_owned();
                let (tf_name, name_span) = match &fattrs.rename {
                    Some(lit) => (lit.value(), lit.span()),
                    None => (raw, member.span()),
                };
                Some(Field {
                    member,
                    ty: &f.ty,
                    tf_name,
                    name_span,
                    flatten: fattrs.flatten.is_some(),
                    skip: is_phantom(&f.ty),
                })
            })
            .collect();

        Some(Container {
            input,
            derive,
            tf_type,
            exports,
            region: None,
            fields,
        })
    }
}

/// `true` for `PhantomData<…>` (any path ending in it).
fn is_phantom(ty: &Type) -> bool {
    match ty {
        Type::Path(p) => p
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "PhantomData"),
        _ => false,
    }
}
