//! Parsing of `#[resource(...)]` attributes on containers and fields.
//!
//! Unknown and duplicate keys are errors spanned on the key token; every error is collected in
//! the [`Ctxt`] so that all of them are reported in one build.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, LitStr, Token, Type};

use crate::ctxt::Ctxt;

/// The attribute's name.
pub const RESOURCE: &str = "resource";
/// `type = "aws_…"`.
pub const TYPE: &str = "type";
/// `data = "aws_…"`.
pub const DATA: &str = "data";
/// `exports(name: Type, …)`.
pub const EXPORTS: &str = "exports";
/// `rename = "…"` on a field.
pub const RENAME: &str = "rename";
/// `flatten` on a field.
pub const FLATTEN: &str = "flatten";

/// One `name: Type` entry of `exports(...)`.
pub struct ExportDef {
    pub name: Ident,
    pub ty: Type,
}

impl Parse for ExportDef {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let name: Ident = input.parse()?;
        let _: Token![:] = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("expected `{name}: Type` in `exports(...)`, such as `arn: Arn<Self>`"),
            )
        })?;
        let ty: Type = input.parse()?;
        Ok(ExportDef { name, ty })
    }
}

/// What the container attribute says.
#[derive(Default)]
pub struct ContainerAttrs {
    /// `type = …`, with the key token for spans.
    pub managed: Option<(Ident, LitStr)>,
    /// `data = …`.
    pub data: Option<(Ident, LitStr)>,
    /// `exports(...)`, with the key token.
    pub exports: Option<(Ident, Vec<ExportDef>)>,
}

/// What a field attribute says.
#[derive(Default)]
pub struct FieldAttrs {
    pub rename: Option<LitStr>,
    pub flatten: Option<Ident>,
}

fn key_ident(path: &syn::Path) -> Ident {
    path.segments
        .last()
        .map(|s| s.ident.clone())
        .unwrap_or_else(|| Ident::new("resource", proc_macro2::Span::call_site()))
}

/// Parses the container's `#[resource(...)]` attributes.
pub fn container(cx: &mut Ctxt, attrs: &[Attribute]) -> ContainerAttrs {
    let mut out = ContainerAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(RESOURCE)) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_ident(&meta.path);
            if meta.path.is_ident(TYPE) || meta.path.is_ident(DATA) {
                let value: LitStr = meta.value()?.parse()?;
                let slot = if meta.path.is_ident(TYPE) {
                    &mut out.managed
                } else {
                    &mut out.data
                };
                if slot.is_some() {
                    cx.error_spanned_by(&key, format!("duplicate `{key}` key in `#[resource(...)]`"));
                } else {
                    *slot = Some((key, value));
                }
            } else if meta.path.is_ident(EXPORTS) {
                let content;
                syn::parenthesized!(content in meta.input);
                let list = Punctuated::<ExportDef, Token![,]>::parse_terminated(&content)?;
                if out.exports.is_some() {
                    cx.error_spanned_by(&key, "duplicate `exports` key in `#[resource(...)]`");
                } else {
                    out.exports = Some((key, list.into_iter().collect()));
                }
            } else {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown key `{}` in `#[resource(...)]`, expected `type`, `data` or `exports`",
                        quote::ToTokens::to_token_stream(&meta.path)
                    ),
                );
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}

/// Parses a field's `#[resource(...)]` attributes.
pub fn field(cx: &mut Ctxt, attrs: &[Attribute]) -> FieldAttrs {
    let mut out = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(RESOURCE)) {
        let result = attr.parse_nested_meta(|meta| {
            let key = key_ident(&meta.path);
            if meta.path.is_ident(RENAME) {
                let value: LitStr = meta.value()?.parse()?;
                if out.rename.is_some() {
                    cx.error_spanned_by(&key, "duplicate `rename` key on this field");
                } else {
                    out.rename = Some(value);
                }
            } else if meta.path.is_ident(FLATTEN) {
                if out.flatten.is_some() {
                    cx.error_spanned_by(&key, "duplicate `flatten` key on this field");
                } else {
                    out.flatten = Some(key);
                }
            } else {
                cx.error_spanned_by(
                    &meta.path,
                    format!(
                        "unknown key `{}` in a field's `#[resource(...)]`, expected `rename` or `flatten`",
                        quote::ToTokens::to_token_stream(&meta.path)
                    ),
                );
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    out
}

/// Consumes whatever follows an unknown key, so parsing can go on to report more errors.
fn skip_value(meta: &syn::meta::ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let _: Token![=] = meta.input.parse()?;
        let _: syn::Expr = meta.input.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _content;
        syn::parenthesized!(_content in meta.input);
        let _: proc_macro2::TokenStream = _content.parse()?;
    }
    Ok(())
}
