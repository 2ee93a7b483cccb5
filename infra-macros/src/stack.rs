//! `stack!`: parsing into items, the duplicate-name rule, and expansion into provider calls.

use std::collections::BTreeMap;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::parse::{Parse, ParseStream};
use syn::{Expr, Ident, Token, Type};

use crate::ctxt::Ctxt;

/// What one item declares.
enum ItemKind {
    Resource { meta: Option<Expr> },
    Data,
    Output { ty: Option<Type>, sensitive: bool },
}

/// One `…;` item.
struct Item {
    name: Ident,
    kind: ItemKind,
    value: Expr,
}

/// The whole macro input.
struct StackInput {
    scope: Expr,
    items: Vec<Item>,
}

fn peek_keyword(input: ParseStream, word: &str) -> bool {
    input.fork().parse::<Ident>().is_ok_and(|i| i == word) && input.peek2(Ident)
}

impl Parse for StackInput {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        if !input.peek(Token![in]) {
            return Err(input.error(
                "expected `in <provider>;` as the first item of `stack!`, naming the provider (or stack) that owns the items",
            ));
        }
        let _: Token![in] = input.parse()?;
        let scope: Expr = input.parse()?;
        let _: Token![;] = input.parse()?;
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse()?);
        }
        Ok(StackInput { scope, items })
    }
}

impl Parse for Item {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let kind = if peek_keyword(input, "data") {
            let _: Ident = input.parse()?;
            Some(ItemKind::Data)
        } else if peek_keyword(input, "output") {
            let _: Ident = input.parse()?;
            Some(ItemKind::Output {
                ty: None,
                sensitive: false,
            })
        } else if peek_keyword(input, "sensitive") {
            let _: Ident = input.parse()?;
            let word: Ident = input.parse()?;
            if word != "output" {
                return Err(syn::Error::new(
                    word.span(),
                    format!("expected `output` after `sensitive`, found `{word}`"),
                ));
            }
            Some(ItemKind::Output {
                ty: None,
                sensitive: true,
            })
        } else {
            None
        };
        let name: Ident = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "expected an item: `name = resource;`, `data name = source;`, `output name = value;` or `sensitive output name = value;`",
            )
        })?;
        let mut kind = kind.unwrap_or(ItemKind::Resource { meta: None });
        if input.peek(Token![:]) {
            match &mut kind {
                ItemKind::Output { ty, .. } => {
                    let _: Token![:] = input.parse()?;
                    *ty = Some(input.parse()?);
                }
                _ => {
                    return Err(input.error(format!(
                        "a type annotation goes on outputs only; write `{name} = …;` for a resource"
                    )));
                }
            }
        }
        let _: Token![=] = input
            .parse()
            .map_err(|e| syn::Error::new(e.span(), format!("expected `=` after `{name}`")))?;
        let value: Expr = input.parse()?;
        if let ItemKind::Resource { meta } = &mut kind
            && peek_with(input)
        {
            let _: Ident = input.parse()?;
            *meta = Some(input.parse()?);
        }
        let _: Token![;] = input.parse().map_err(|e| {
            syn::Error::new(e.span(), format!("expected `;` after the item `{name}`"))
        })?;
        Ok(Item { name, kind, value })
    }
}

fn peek_with(input: ParseStream) -> bool {
    input.fork().parse::<Ident>().is_ok_and(|i| i == "with")
}

/// Names must be unique within one `stack!`: each becomes a Terraform logical name, and for
/// resources also a Rust binding that would silently shadow the first.
fn check_unique_names(cx: &mut Ctxt, items: &[Item]) {
    let mut bindings: BTreeMap<String, &Ident> = BTreeMap::new();
    let mut outputs: BTreeMap<String, &Ident> = BTreeMap::new();
    for item in items {
        let map = match item.kind {
            ItemKind::Output { .. } => &mut outputs,
            _ => &mut bindings,
        };
        let name = item.name.to_string();
        if let Some(first) = map.get(&name) {
            let what = match item.kind {
                ItemKind::Output { .. } => "output",
                _ => "logical name",
            };
            cx.error_spanned_by(
                &item.name,
                format!(
                    "duplicate {what} `{name}` in this `stack!`: each name may be declared once"
                ),
            );
            cx.error_spanned_by(first, format!("`{name}` is first declared here"));
        } else {
            map.insert(name, &item.name);
        }
    }
}

/// Entry point of `stack!`.
pub fn expand_stack(input: TokenStream) -> TokenStream {
    let input: StackInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let mut cx = Ctxt::default();
    check_unique_names(&mut cx, &input.items);
    if let Err(e) = cx.check() {
        return e.to_compile_error();
    }
    let scope_ident = Ident::new("__infra_scope", Span::mixed_site());
    let scope = &input.scope;
    let items = input.items.iter().map(|item| {
        let name = &item.name;
        let literal = name.to_string();
        let named = syn::LitStr::new(&literal, name.span());
        let value = &item.value;
        match &item.kind {
            // The call is spanned on the item's name, so the location that `add` records
            // (`#[track_caller]`, named by rule findings) is the item's line, not `stack!`'s.
            ItemKind::Resource { meta: None } => {
                let call = quote_spanned!(name.span()=> .add(#named, #value));
                quote! {
                    #[allow(unused_variables)]
                    let #name = #scope_ident #call;
                }
            }
            ItemKind::Resource { meta: Some(meta) } => {
                let call = quote_spanned!(name.span()=> .add_with(#named, #value, #meta));
                quote! {
                    #[allow(unused_variables)]
                    let #name = #scope_ident #call;
                }
            }
            ItemKind::Data => {
                let call = quote_spanned!(name.span()=> .data(#named, #value));
                quote! {
                    #[allow(unused_variables)]
                    let #name = #scope_ident #call;
                }
            }
            ItemKind::Output { ty, sensitive } => {
                let typed = match ty {
                    Some(ty) => quote!({ let value: #ty = #value; value }),
                    None => quote!(#value),
                };
                if *sensitive {
                    quote!(#scope_ident.sensitive_output(#literal, #typed);)
                } else {
                    quote!(#scope_ident.output(#literal, #typed);)
                }
            }
        }
    });
    // Spanned on the scope expression, so the binding maps to the user's `in …;` line.
    let bind_scope = quote::quote_spanned! {syn::spanned::Spanned::span(scope)=>
        let #scope_ident = &(#scope);
    };
    quote! {
        #bind_scope
        #(#items)*
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_names_are_reported_on_both_tokens() {
        let out = expand_stack(quote!(in aws; a = X; b = Y; a = Z;)).to_string();
        assert!(out.contains("duplicate logical name `a`"), "{out}");
        assert!(out.contains("first declared here"), "{out}");
    }

    #[test]
    fn items_expand_to_provider_calls() {
        let out = expand_stack(quote!(
            in aws;
            t = Table {} with Meta::new();
            data d = Source {};
            output o: Text = t.name();
            sensitive output s = k.value();
        ))
        .to_string();
        assert!(
            out.contains("let t = __infra_scope . add_with (\"t\""),
            "{out}"
        );
        assert!(out.contains("let d = __infra_scope . data (\"d\""), "{out}");
        assert!(out.contains("output (\"o\" , { let value : Text"), "{out}");
        assert!(out.contains("sensitive_output (\"s\""), "{out}");
    }

    #[test]
    fn missing_scope_is_explained() {
        let out = expand_stack(quote!(a = X;)).to_string();
        assert!(out.contains("expected `in <provider>;`"), "{out}");
    }
}
