//! Code generation for `#[derive(Resource)]` and `#[derive(Block)]`, from the validated ast only.
//!
//! Type checks happen at the user's tokens: every argument call is spanned on the field's type
//! (`quote_spanned!`), so "cannot be a Terraform argument" points at the field. On error the
//! derive emits the errors plus a stub impl, so the user does not also get a wall of "trait not
//! implemented" errors where the type is used.

use proc_macro2::{Group, TokenStream, TokenTree};
use quote::ToTokens;
use quote::{format_ident, quote, quote_spanned};
use syn::DeriveInput;
use syn::spanned::Spanned;

use crate::ast::{Container, Derive, Kind};
use crate::check;
use crate::ctxt::Ctxt;

/// Entry point of `#[derive(Resource)]`.
pub fn expand_resource(input: TokenStream) -> TokenStream {
    expand(input, Derive::Resource)
}

/// Entry point of `#[derive(Block)]`.
pub fn expand_block(input: TokenStream) -> TokenStream {
    expand(input, Derive::Block)
}

fn expand(input: TokenStream, derive: Derive) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let mut cx = Ctxt::default();
    let cont = Container::from_ast(&mut cx, &input, derive).map(|mut c| {
        check::check(&mut cx, &mut c);
        c
    });
    match (cx.check(), cont) {
        (Ok(()), Some(cont)) => match derive {
            Derive::Resource => resource_impl(&cont),
            Derive::Block => block_impl(&cont),
        },
        (Err(e), _) => {
            let errors = e.to_compile_error();
            let stub = stub_impl(&input, derive);
            quote!(#errors #stub)
        }
        (Ok(()), None) => stub_impl(&input, derive),
    }
}

/// One visit of every field, spanned on the field types: the only place a field's type is
/// checked, so an unsupported type is reported once, at the field.
fn fields_fn(cont: &Container) -> TokenStream {
    let ident = &cont.input.ident;
    let (impl_generics, ty_generics, where_clause) = cont.input.generics.split_for_impl();
    // The field is read with a `match`, not `this.map(|s| &s.field)`: a closure per field
    // would be one more function per field, per visitor and per region to compile.
    let stmts = cont.fields.iter().filter(|f| !f.skip).map(|f| {
        let ty = f.ty;
        let member = f.member;
        let name = &f.tf_name;
        let value = quote! {
            match this {
                ::core::option::Option::Some(s) => ::core::option::Option::Some(&s.#member),
                ::core::option::Option::None => ::core::option::Option::None,
            }
        };
        if f.flatten {
            quote_spanned! {ty.span()=>
                ::infra_core::__private::FieldVisitor::flatten::<#ty>(visitor, #value);
            }
        } else {
            quote_spanned! {ty.span()=>
                ::infra_core::__private::FieldVisitor::field::<#ty>(visitor, #name, #value);
            }
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #ident #ty_generics #where_clause {
            #[doc(hidden)]
            fn __infra_fields<V: ::infra_core::__private::FieldVisitor>(this: ::core::option::Option<&Self>, visitor: &mut V) {
                #(#stmts)*
            }
        }
    }
}

/// The body of `write_args()`.
fn write_args_body() -> TokenStream {
    quote! {
        Self::__infra_fields(::core::option::Option::Some(self), &mut ::infra_core::__private::WriteArgs(args));
    }
}

/// The body of `shape()`.
fn shape_body() -> TokenStream {
    quote! {
        let mut shape = ::infra_core::__private::CollectShape::default();
        Self::__infra_fields(::core::option::Option::None, &mut shape);
        shape.into_shape()
    }
}

fn block_impl(cont: &Container) -> TokenStream {
    let ident = &cont.input.ident;
    let (impl_generics, ty_generics, where_clause) = cont.input.generics.split_for_impl();
    let write = write_args_body();
    let shape = shape_body();
    let fields = fields_fn(cont);
    quote! {
        #fields

        #[automatically_derived]
        impl #impl_generics ::infra_core::Block for #ident #ty_generics #where_clause {
            fn write_args(&self, args: &mut ::infra_core::Args) {
                #write
            }
            fn shape() -> ::infra_core::shape::BlockShape {
                #shape
            }
        }
    }
}

/// Replaces `Self` in an export type with the resource's own type: a `Self` that is a whole
/// type (`Arn<Self>`, `<Self as X>`), not the head of a longer path (`Self::X`), as a type
/// visitor would (token by token, so the macro needs no syn visitor).
fn replace_self(ty: TokenStream, self_ty: &TokenStream) -> TokenStream {
    let mut out = TokenStream::new();
    let mut tokens = ty.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Ident(ident) if ident == "Self" && !starts_path(tokens.peek()) => {
                out.extend(self_ty.clone());
            }
            TokenTree::Group(group) => {
                let mut inner =
                    Group::new(group.delimiter(), replace_self(group.stream(), self_ty));
                inner.set_span(group.span());
                out.extend([TokenTree::Group(inner)]);
            }
            other => out.extend([other]),
        }
    }
    out
}

/// Whether the token after an identifier continues its path (`::`).
fn starts_path(next: Option<&TokenTree>) -> bool {
    matches!(next, Some(TokenTree::Punct(p)) if p.as_char() == ':')
}

fn resource_impl(cont: &Container) -> TokenStream {
    let ident = &cont.input.ident;
    let vis = &cont.input.vis;
    let (impl_generics, ty_generics, where_clause) = cont.input.generics.split_for_impl();
    let Some((kind, tf_type)) = &cont.tf_type else {
        return TokenStream::new();
    };
    let (node_kind, marker) = match kind {
        Kind::Managed => (quote!(Resource), quote!(Managed)),
        Kind::Data => (quote!(Data), quote!(DataSource)),
    };
    let attrs_ident = format_ident!("{}Attrs", ident);
    let self_ty = quote!(#ident #ty_generics);

    let (attrs_decl, attrs_ty, attrs_impl_generics, in_region) = match &cont.region {
        Some(r) => (
            quote! {
                #vis struct #attrs_ident<#r> {
                    node: ::infra_core::Node,
                    region: ::core::marker::PhantomData<fn() -> #r>,
                }
            },
            quote!(#attrs_ident<#r>),
            quote!(<#r: ::infra_core::Region>),
            quote! {
                #[automatically_derived]
                impl #impl_generics ::infra_core::InRegion<#r> for #ident #ty_generics #where_clause {}
            },
        ),
        None => (
            quote! {
                #vis struct #attrs_ident {
                    node: ::infra_core::Node,
                }
            },
            quote!(#attrs_ident),
            quote!(),
            quote! {
                #[automatically_derived]
                impl<__R: ::infra_core::Region> ::infra_core::InRegion<__R> for #ident {}
            },
        ),
    };
    let region_init = cont
        .region
        .as_ref()
        .map(|_| quote!(region: ::core::marker::PhantomData,));

    let accessors = cont.exports.iter().map(|e| {
        let ty = replace_self(e.ty.to_token_stream(), &self_ty);
        let name = &e.name;
        // `r#type` reads the `type` attribute.
        let attr = syn::ext::IdentExt::unraw(name).to_string();
        let doc = format!("The `{attr}` attribute, as a typed reference.");
        let get = quote_spanned! {e.ty.span()=>
            <#ty as ::infra_core::FromAttribute>::from_attribute(&self.node, #attr)
        };
        quote! {
            #[doc = #doc]
            pub fn #name(&self) -> #ty {
                #get
            }
        }
    });
    let attrs_doc =
        format!("The attributes [`{ident}`] exports, read through its handle `Ref<{ident}>`.");
    let write = write_args_body();
    let shape = shape_body();
    let fields = fields_fn(cont);

    quote! {
        #fields

        #[doc = #attrs_doc]
        #[derive(Debug, Clone)]
        #attrs_decl

        #[automatically_derived]
        impl #attrs_impl_generics ::infra_core::Attributes for #attrs_ty {
            fn for_node(node: ::infra_core::Node) -> Self {
                Self { node, #region_init }
            }
            fn node(&self) -> &::infra_core::Node {
                &self.node
            }
        }

        impl #attrs_impl_generics #attrs_ty {
            #(#accessors)*
        }

        #[automatically_derived]
        impl #impl_generics ::infra_core::Resource for #ident #ty_generics #where_clause {
            const TYPE: &'static str = #tf_type;
            const KIND: ::infra_core::NodeKind = ::infra_core::NodeKind::#node_kind;
            type Attrs = #attrs_ty;
            fn write_args(&self, args: &mut ::infra_core::Args) {
                #write
            }
            fn shape() -> ::infra_core::shape::BlockShape {
                #shape
            }
        }

        #[automatically_derived]
        impl #impl_generics ::infra_core::#marker for #ident #ty_generics #where_clause {}

        #in_region
    }
}

/// A minimal impl so that uses of a type whose derive failed do not add more errors.
fn stub_impl(input: &DeriveInput, derive: Derive) -> TokenStream {
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    match derive {
        Derive::Block => quote! {
            impl #impl_generics ::infra_core::Block for #ident #ty_generics #where_clause {
                fn write_args(&self, _: &mut ::infra_core::Args) {}
                fn shape() -> ::infra_core::shape::BlockShape {
                    ::core::default::Default::default()
                }
            }
        },
        Derive::Resource => quote! {
            impl #impl_generics ::infra_core::Resource for #ident #ty_generics #where_clause {
                const TYPE: &'static str = "";
                const KIND: ::infra_core::NodeKind = ::infra_core::NodeKind::Resource;
                type Attrs = ::infra_core::__private::NoAttrs;
                fn write_args(&self, _: &mut ::infra_core::Args) {}
                fn shape() -> ::infra_core::shape::BlockShape {
                    ::core::default::Default::default()
                }
            }
            impl #impl_generics ::infra_core::Managed for #ident #ty_generics #where_clause {}
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enum_input_is_an_error_with_a_stub() {
        let out = expand_resource(quote!(
            enum E {
                A,
            }
        ))
        .to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("found an enum"), "{out}");
        assert!(out.contains("NoAttrs"), "{out}");
    }

    #[test]
    fn all_errors_are_reported_together() {
        let out = expand_resource(quote!(
            #[resource(typo = "x", exports(a: Text, a: Text))]
            struct S {
                #[resource(bogus)]
                f: Text,
            }
        ))
        .to_string();
        assert!(out.contains("unknown key `typo`"), "{out}");
        assert!(out.contains("unknown key `bogus`"), "{out}");
        assert!(out.contains("duplicate exported attribute `a`"), "{out}");
        assert!(out.contains("missing Terraform type"), "{out}");
    }

    #[test]
    fn regional_resource_gets_typed_accessors() {
        let out = expand_resource(quote!(
            #[resource(type = "aws_kms_key", exports(arn: Arn<Self>))]
            pub struct Key<R: Region> {
                description: Option<Text>,
                _region: PhantomData<R>,
            }
        ))
        .to_string();
        assert!(out.contains("pub struct KeyAttrs < R >"), "{out}");
        assert!(
            out.contains("pub fn arn (& self) -> Arn < Key < R > >"),
            "{out}"
        );
        assert!(out.contains("InRegion < R > for Key < R >"), "{out}");
        assert!(!out.contains("\"_region\""), "{out}");
    }

    #[test]
    fn self_is_replaced_where_it_is_a_whole_type() {
        let self_ty = quote!(Key<R>);
        let out = replace_self(quote!((Arn<Self>, <Self as X>::Y, Self::Z)), &self_ty);
        let compact = out.to_string().replace(' ', "");
        assert_eq!(compact, "(Arn<Key<R>>,<Key<R>asX>::Y,Self::Z)");
    }

    #[test]
    fn fields_are_read_without_a_closure_per_field() {
        let out = expand_block(quote!(
            pub struct B {
                a: Text,
                #[resource(flatten)]
                b: Opts,
            }
        ))
        .to_string();
        assert!(
            out.contains("field :: < Text > (visitor , \"a\" , match this"),
            "{out}"
        );
        assert!(
            out.contains("flatten :: < Opts > (visitor , match this"),
            "{out}"
        );
        assert!(!out.contains("this . map"), "{out}");
    }

    #[test]
    fn a_raw_export_name_reads_the_attribute_without_r_hash() {
        let out = expand_resource(quote!(
            #[resource(type = "aws_x_thing", exports(r#type: Text))]
            pub struct Thing {}
        ))
        .to_string();
        assert!(out.contains("pub fn r#type (& self) -> Text"), "{out}");
        assert!(out.contains("\"type\""), "{out}");
        assert!(!out.contains("\"r#type\""), "{out}");
    }
}
