//! Writes the code of a shape: serde attributes, a secret-hiding `Debug`, and `Validate`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::parse::{Field, Kind, Shape};

pub fn shape(s: &Shape) -> TokenStream {
    let mut item = s.item.clone();
    if let syn::Fields::Named(named) = &mut item.fields {
        for (f, model) in named.named.iter_mut().zip(&s.fields) {
            let serde = serde_attr(model);
            f.attrs.push(syn::parse_quote!(#serde));
        }
    }
    item.attrs.insert(
        0,
        syn::parse_quote!(#[derive(::serde::Serialize, ::serde::Deserialize)]),
    );
    let debug = debug_impl(s);
    let validate = validate_impl(s);
    quote! {
        #item
        #debug
        #validate
    }
}

fn serde_attr(f: &Field) -> TokenStream {
    let wire = &f.wire;
    let aliases = f.aliases.iter().map(|a| quote!(alias = #a,));
    let codec = |m: &str| {
        let path = format!("::scm_generated::wire::{m}");
        quote!(with = #path,)
    };
    let with = match (f.kind, f.optional) {
        (Kind::String, true) => codec("opt_string"),
        (Kind::String, false) => codec("string"),
        (Kind::Object, _) => quote!(),
        (Kind::Code, true) => codec("opt_code"),
        (Kind::Code, false) => quote!(),
        (Kind::Integer, o) => codec(if o { "opt_integer" } else { "integer" }),
        (Kind::Decimal { .. }, o) => codec(if o { "opt_decimal" } else { "decimal" }),
        (Kind::Date, o) => codec(if o { "opt_date" } else { "date" }),
        (Kind::Timestamp, o) => codec(if o { "opt_timestamp" } else { "timestamp" }),
        (Kind::Flag, o) => codec(if o { "opt_flag" } else { "flag" }),
        (Kind::List, _) => codec("list"),
    };
    let presence = if f.optional {
        quote!(default, skip_serializing_if = "Option::is_none",)
    } else if matches!(f.kind, Kind::List | Kind::String) {
        // HVS leaves required strings empty, and lists out, in failure replies.
        quote!(default,)
    } else {
        quote!()
    };
    quote!(#[serde(rename = #wire, #(#aliases)* #presence #with)])
}

fn debug_impl(s: &Shape) -> TokenStream {
    let name = &s.item.ident;
    let text = name.to_string();
    let (impl_g, ty_g, where_c) = s.item.generics.split_for_impl();
    let fields = s.fields.iter().map(|f| {
        let id = &f.ident;
        let n = id.to_string();
        if f.secret {
            quote!(.field(#n, &"<redacted>"))
        } else {
            quote!(.field(#n, &self.#id))
        }
    });
    quote! {
        impl #impl_g ::core::fmt::Debug for #name #ty_g #where_c {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.debug_struct(#text) #(#fields)* .finish()
            }
        }
    }
}

/// An expression that says whether the field carries a value.
fn is_set(f: &Field) -> TokenStream {
    let id = &f.ident;
    match (f.kind, f.optional) {
        (Kind::String, true) => quote!(self.#id.as_deref().is_some_and(|v| !v.is_empty())),
        (Kind::String, false) => quote!(!self.#id.is_empty()),
        (Kind::List, _) => quote!(!self.#id.is_empty()),
        (_, true) => quote!(self.#id.is_some()),
        (_, false) => quote!(true),
    }
}

fn validate_impl(s: &Shape) -> TokenStream {
    let name = &s.item.ident;
    let (impl_g, ty_g, where_c) = s.item.generics.split_for_impl();
    let v = quote!(::scm_generated::validate);
    let checks = s.fields.iter().map(|f| {
        let id = &f.ident;
        let wire = &f.wire;
        let set = is_set(f);
        let mut body = Vec::new();
        if f.required {
            let msg = if f.kind == Kind::List {
                "required: the list is empty"
            } else {
                "required"
            };
            body.push(quote! {
                if !(#set) {
                    out.push(#v::Violation::new(prefix, #wire, #msg));
                }
            });
        }
        let value = if f.optional {
            quote!(self.#id.as_ref())
        } else {
            quote!(Some(&self.#id))
        };
        if let Some(max) = f.max_len {
            let max = max as usize;
            body.push(quote! {
                if let Some(value) = #value {
                    if let Some(msg) = #v::check_len(value, #max) {
                        out.push(#v::Violation::new(prefix, #wire, msg));
                    }
                }
            });
        }
        match f.kind {
            Kind::Decimal { precision, scale } => body.push(quote! {
                if let Some(value) = #value {
                    if let Some(msg) = #v::check_decimal(value, #precision, #scale) {
                        out.push(#v::Violation::new(prefix, #wire, msg));
                    }
                }
            }),
            Kind::List => body.push(quote! {
                for (i, item) in self.#id.iter().enumerate() {
                    #v::Validate::validate_at(item, &#v::item_prefix(prefix, #wire, Some(i)), out);
                }
            }),
            Kind::Object => body.push(quote! {
                if let Some(value) = #value {
                    #v::Validate::validate_at(value, &#v::item_prefix(prefix, #wire, None), out);
                }
            }),
            _ => {}
        }
        quote!(#(#body)*)
    });
    let groups = s.one_of.iter().map(|g| {
        let sets = g.iter().map(|i| is_set(&s.fields[*i]));
        let wires: Vec<String> = g
            .iter()
            .map(|i| format!("`{}`", s.fields[*i].wire.value()))
            .collect();
        let first = &s.fields[g[0]].wire;
        let msg = format!("required: give {}", wires.join(" or "));
        quote! {
            if !(#(#sets)||*) {
                out.push(#v::Violation::new(prefix, #first, #msg));
            }
        }
    });
    quote! {
        impl #impl_g #v::Validate for #name #ty_g #where_c {
            fn validate_at(&self, prefix: &str, out: &mut ::std::vec::Vec<#v::Violation>) {
                #(#checks)*
                #(#groups)*
            }
        }
    }
}

pub fn function(item: &syn::ItemStruct, f: &crate::parse::FunctionFacts) -> TokenStream {
    let name = &item.ident;
    let (code, path, request, outcome) = (&f.code, &f.path, &f.request, &f.outcome);
    let (safe, envelope) = (f.safe_to_retry, f.envelope);
    quote! {
        #item
        impl ::scm_generated::Function for #name {
            const SPEC: ::scm_generated::CallSpec = ::scm_generated::CallSpec {
                code: #code,
                path: #path,
                auth: #envelope,
                safe_to_retry: #safe,
            };
            type Request = #request;
            type Outcome = #outcome;
        }
    }
}
