//! Emits code sets, shapes, outcome enums and client methods.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::model::{Catalogue, Field, FieldType, Function, Kind, Mode, Presence, Shape};
use crate::names;

/// One enum per code set, each with an `Unknown(String)` variant that keeps unexpected values.
pub fn codesets(c: &Catalogue) -> TokenStream {
    let sets = c.codesets.values().map(|s| {
        let name = format_ident!("{}", s.name);
        let doc = format!(" {}.", s.doc);
        let variants = s.codes.iter().map(|k| {
            let v = format_ident!("{}", k.name);
            let d = format!(" `{}`: {} ({}).", k.value, k.doc, k.label);
            quote! { #[doc = #d] #v, }
        });
        let to_str = s.codes.iter().map(|k| {
            let v = format_ident!("{}", k.name);
            let w = &k.value;
            quote! { #name::#v => #w, }
        });
        let from_str = s.codes.iter().map(|k| {
            let v = format_ident!("{}", k.name);
            let w = &k.value;
            quote! { #w => #name::#v, }
        });
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq, Eq, Hash)]
            #[non_exhaustive]
            pub enum #name {
                #(#variants)*
                /// A value outside the catalogue, kept as sent.
                Unknown(String),
            }
            impl #name {
                /// The value on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(#to_str)*
                        #name::Unknown(s) => s,
                    }
                }
            }
            impl From<&str> for #name {
                fn from(s: &str) -> Self {
                    match s {
                        #(#from_str)*
                        other => #name::Unknown(other.to_owned()),
                    }
                }
            }
            impl From<String> for #name {
                fn from(s: String) -> Self {
                    #name::from(s.as_str())
                }
            }
            impl AsRef<str> for #name {
                fn as_ref(&self) -> &str {
                    self.as_str()
                }
            }
            impl std::fmt::Display for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
            impl serde::Serialize for #name {
                fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                    s.serialize_str(self.as_str())
                }
            }
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                    crate::wire::code::deserialize(d)
                }
            }
        }
    });
    quote! { #(#sets)* }
}

fn field_doc(f: &Field) -> String {
    let mut facts = vec![f.presence.as_str().to_owned()];
    if let Some(w) = &f.when {
        facts[0] = format!("conditional: {w}");
    }
    match &f.ty {
        FieldType::Decimal { precision, scale } => {
            facts.push(format!("decimal({precision},{scale})"))
        }
        FieldType::String | FieldType::Code(_) => {
            if let Some(l) = f.length {
                facts.push(format!("at most {l} characters"));
            }
        }
        _ => {}
    }
    format!(
        " {} (`{}`, {}; {}).",
        f.doc,
        f.wire,
        f.label,
        facts.join(", ")
    )
}

/// The Rust type of a field, and the `crate::wire` module that reads and writes it.
fn rust_type(f: &Field, optional: bool) -> (TokenStream, Option<&'static str>) {
    let (base, with, opt_with): (TokenStream, Option<&str>, Option<&str>) = match &f.ty {
        FieldType::String => (quote!(String), None, Some("crate::wire::opt_string")),
        FieldType::Integer => (
            quote!(i64),
            Some("crate::wire::integer"),
            Some("crate::wire::opt_integer"),
        ),
        FieldType::Decimal { .. } => (
            quote!(rust_decimal::Decimal),
            Some("crate::wire::decimal"),
            Some("crate::wire::opt_decimal"),
        ),
        FieldType::Date => (
            quote!(chrono::NaiveDate),
            Some("crate::wire::date"),
            Some("crate::wire::opt_date"),
        ),
        FieldType::Timestamp => (
            quote!(chrono::NaiveDateTime),
            Some("crate::wire::timestamp"),
            Some("crate::wire::opt_timestamp"),
        ),
        FieldType::Flag => (
            quote!(bool),
            Some("crate::wire::flag"),
            Some("crate::wire::opt_flag"),
        ),
        FieldType::Code(s) => {
            let id = format_ident!("{}", s);
            (
                quote!(crate::codes::#id),
                None,
                Some("crate::wire::opt_code"),
            )
        }
        FieldType::Object(s) => {
            let id = format_ident!("{}", s);
            (quote!(crate::#id), None, None)
        }
        FieldType::List(s) => {
            let id = format_ident!("{}", s);
            return (quote!(Vec<crate::#id>), Some("crate::wire::list"));
        }
    };
    if optional {
        (quote!(Option<#base>), opt_with)
    } else {
        (base, with)
    }
}

/// Whether the Rust field is an `Option` (anything not always required, except lists).
fn is_optional(f: &Field) -> bool {
    f.presence != Presence::Required && !matches!(f.ty, FieldType::List(_))
}

/// The request roots that get `request_id` and `request_time`, filled by the client.
fn enveloped_roots(c: &Catalogue) -> Vec<String> {
    let mut out = Vec::new();
    for f in c.functions.values() {
        if super::has_envelope(c, f.kind) {
            if let (_, Some(b)) = c.request_shapes(f) {
                out.push(b.to_owned());
            }
        }
    }
    out
}

/// Structs for the named shapes.
pub fn shapes(c: &Catalogue, names: &[&str]) -> TokenStream {
    let roots = enveloped_roots(c);
    let items = names
        .iter()
        .filter_map(|n| c.shape(n))
        .map(|s| shape(c, s, roots.contains(&s.name)));
    quote! { #(#items)* }
}

fn shape(c: &Catalogue, s: &Shape, enveloped: bool) -> TokenStream {
    let name = format_ident!("{}", s.name);
    let aliases: Vec<String> = c
        .functions
        .values()
        .filter(|f| {
            let (_, b) = c.request_shapes(f);
            [b, f.result.as_deref(), f.rows.as_deref()].contains(&Some(s.name.as_str()))
        })
        .map(|f| f.code.clone())
        .collect();
    let mut doc = format!(" {}.", s.doc);
    if !s.one_of.is_empty() {
        let groups: Vec<String> = s
            .one_of
            .iter()
            .map(|g| {
                g.iter()
                    .map(|w| format!("`{w}`"))
                    .collect::<Vec<_>>()
                    .join(" or ")
            })
            .collect();
        doc.push_str(&format!(
            "\n\n At least one of each group must be set: {}.",
            groups.join("; ")
        ));
    }
    let mut fields = Vec::new();
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut debug = Vec::new();
    if enveloped {
        fields.push(quote! {
            /// Unique id of this call (`requestId`); the client fills a UUID when `None`.
            #[serde(rename = "requestId", default, skip_serializing_if = "Option::is_none")]
            pub request_id: Option<String>,
            /// When the request was made (`requestTime`); the client fills the time when `None`.
            #[serde(
                rename = "requestTime",
                default,
                skip_serializing_if = "Option::is_none",
                with = "crate::wire::opt_timestamp"
            )]
            pub request_time: Option<chrono::NaiveDateTime>,
        });
        inits.push(quote!(request_id: None, request_time: None,));
        debug.push(quote! {
            .field("request_id", &self.request_id)
            .field("request_time", &self.request_time)
        });
    }
    for f in &s.fields {
        let id = format_ident!("{}", f.rust_name);
        let wire = &f.wire;
        let optional = is_optional(f);
        let (ty, with) = rust_type(f, optional);
        let d = field_doc(f);
        let alias = f.aliases.iter().map(|a| quote!(alias = #a,));
        let with = with.map(|w| quote!(with = #w,));
        let skip = if optional {
            quote!(default, skip_serializing_if = "Option::is_none",)
        } else if matches!(f.ty, FieldType::List(_)) {
            quote!(default,)
        } else if f.ty == FieldType::String {
            // HVS leaves required strings empty in failure replies; read a missing one as "".
            quote!(default,)
        } else {
            quote!()
        };
        fields.push(quote! {
            #[doc = #d]
            #[serde(rename = #wire, #(#alias)* #skip #with)]
            pub #id: #ty,
        });
        if optional {
            inits.push(quote!(#id: None,));
        } else {
            params.push(quote!(#id: #ty));
            inits.push(quote!(#id,));
        }
        let name = f.rust_name.as_str();
        debug.push(if f.secret {
            quote!(.field(#name, &"<redacted>"))
        } else {
            quote!(.field(#name, &self.#id))
        });
    }
    let has_secret = s.fields.iter().any(|f| f.secret);
    let derive_debug = match (has_secret, params.is_empty()) {
        (true, true) => quote!(Default,),
        (true, false) => quote!(),
        (false, true) => quote!(Debug, Default,),
        (false, false) => quote!(Debug,),
    };
    let manual_debug = if has_secret {
        let sname = s.name.as_str();
        quote! {
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#sname) #(#debug)* .finish()
                }
            }
        }
    } else {
        quote!()
    };
    let alias_attrs = aliases.iter().map(|a| quote!(#[doc(alias = #a)]));
    let new_doc = " Builds it from the fields that are always required; set the others by name.";
    let results = result_helpers(s);
    quote! {
        #[doc = #doc]
        #(#alias_attrs)*
        #[derive(#derive_debug Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#fields)*
        }
        #manual_debug
        impl #name {
            #[doc = #new_doc]
            #[allow(clippy::too_many_arguments)]
            pub fn new(#(#params),*) -> Self {
                #name { #(#inits)* }
            }
        }
        #results
    }
}

/// `is_success` and `errors` on document and line results.
fn result_helpers(s: &Shape) -> TokenStream {
    for (flag, msg) in [("docResult", "docErrorMsg"), ("lineResult", "lineErrorMsg")] {
        let (Some(r), Some(m)) = (
            s.fields.iter().find(|f| f.wire == flag),
            s.fields.iter().find(|f| f.wire == msg),
        ) else {
            continue;
        };
        if !matches!(r.ty, FieldType::Code(_)) || r.presence != Presence::Required {
            continue;
        }
        let name = format_ident!("{}", s.name);
        let rid = format_ident!("{}", r.rust_name);
        let mid = format_ident!("{}", m.rust_name);
        return quote! {
            impl #name {
                /// Whether HVS processed this item successfully.
                pub fn is_success(&self) -> bool {
                    self.#rid == crate::codes::ItemResult::Success
                }
                /// HVS's error messages for this item, split apart (HVS joins them with commas).
                pub fn errors(&self) -> Vec<&str> {
                    crate::wire::split_messages(self.#mid.as_deref())
                }
            }
        };
    }
    quote!()
}

/// A short rustdoc example of a client method: send a request, match the outcome.
fn example(f: &Function, request: &str, first: &str) -> String {
    let method = names::method_name(f);
    let outcome = names::outcome_type(f);
    let lines = [
        String::new(),
        String::new(),
        " ```no_run".to_owned(),
        format!(
            " # async fn run(client: scm_generated::Client, request: scm_generated::{request})"
        ),
        " #     -> Result<(), scm_generated::Error> {".to_owned(),
        format!(" use scm_generated::{outcome};"),
        format!(" match client.{method}(request).await? {{"),
        format!("     {outcome}::{first}(reply) => println!(\"{{reply:?}}\"),"),
        "     other => println!(\"{other:?}\"),".to_owned(),
        " }".to_owned(),
        " # Ok(()) }".to_owned(),
        " ```".to_owned(),
    ];
    lines.join("\n")
}

/// Outcome enums and client methods for the given functions.
pub fn functions(c: &Catalogue, fns: &[&Function]) -> TokenStream {
    let items = fns.iter().map(|f| function(c, f));
    quote! { #(#items)* }
}

fn function(c: &Catalogue, f: &Function) -> TokenStream {
    let outcome = format_ident!("{}", names::outcome_type(f));
    let method = format_ident!("{}", names::method_name(f));
    let code = &f.code;
    let path = &f.path;
    let outcomes = c.outcomes_of(f);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    let mut names_list = Vec::new();
    for o in &outcomes {
        let v = format_ident!("{}", names::outcome_variant(&o.name));
        let d = format!(" {}.", o.doc);
        let env = o.envelope.as_deref().map(|e| format_ident!("{}", e));
        let body = c.body_of(f, o).map(|b| format_ident!("{}", b));
        let ty = match (env, body) {
            (Some(e), Some(b)) => quote!(crate::wire::Replied<crate::#e, crate::#b>),
            (Some(e), None) => quote!(crate::#e),
            (None, Some(b)) => quote!(crate::#b),
            (None, None) => quote!(()),
        };
        variants.push(quote! { #[doc = #d] #v(#ty), });
        let n = &o.name;
        names_list.push(quote!(#n));
        arms.push(quote! { #n => serde_json::from_value(value).map(#outcome::#v), });
    }
    let rows_key = f
        .rows
        .as_deref()
        .and_then(|r| c.shape(r))
        .and_then(|s| s.fields.iter().find(|x| matches!(x.ty, FieldType::List(_))))
        .map(|x| x.wire.clone());
    let rows_key = match rows_key {
        Some(k) => quote!(Some(#k)),
        None => quote!(None),
    };
    let outcome_doc = if f.kind == Kind::Auth {
        format!(" What the token endpoint ({code}) can answer; the client calls it by itself.")
    } else {
        format!(
            " What [`Client::{}`](crate::Client::{}) ({code}) can answer.",
            method, method
        )
    };
    let (_, body) = c.request_shapes(f);
    let safe = matches!(f.kind, Kind::Query | Kind::ResultQuery | Kind::Auth);
    let auth = f.kind != Kind::Auth;
    let required: Vec<String> = body
        .and_then(|b| c.shape(b))
        .map(|s| {
            s.fields
                .iter()
                .filter(|x| x.presence == Presence::Required)
                .map(|x| format!("`{}`", x.wire))
                .collect()
        })
        .unwrap_or_default();
    let mode = match f.mode {
        Mode::Sync => "synchronous (F)",
        Mode::Async => "asynchronous (B)",
    };
    let mut doc = format!(
        " {}.\n\n Function code **{code}** ({}), `POST {path}`, {mode}.",
        f.doc, f.title
    );
    if !required.is_empty() {
        doc.push_str(&format!(" Required fields: {}.", required.join(", ")));
    }
    if let Some(q) = &f.result_query {
        doc.push_str(&format!(" The outcome can be looked up later through {q}."));
    }
    let example_ty = body.unwrap_or("ResultQuery");
    let first = outcomes
        .first()
        .map(|o| names::outcome_variant(&o.name))
        .unwrap_or_default();
    doc.push_str(&example(f, example_ty, &first));
    let req_ty = format_ident!("{}", example_ty);
    // The runtime logs in by itself; the token call gets its types but no method.
    let method_tokens = if f.kind == Kind::Auth {
        quote!()
    } else {
        quote! {
            impl crate::Client {
                #[doc = #doc]
                #[doc(alias = #code)]
                pub async fn #method(
                    &self,
                    request: crate::#req_ty,
                ) -> Result<#outcome, crate::Error> {
                    let spec = crate::CallSpec {
                        code: #code,
                        path: #path,
                        auth: #auth,
                        safe_to_retry: #safe,
                    };
                    let value = self.invoke(&spec, &request).await?;
                    #outcome::from_json(value).map_err(|e| crate::Error::decode(#code, e))
                }
            }
        }
    };
    quote! {
        #[doc = #outcome_doc]
        #[doc(alias = #code)]
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #outcome {
            #(#variants)*
        }
        impl #outcome {
            /// Decodes a reply body into its outcome.
            pub fn from_json(value: serde_json::Value) -> Result<Self, serde_json::Error> {
                match crate::wire::classify(&value, &[#(#names_list),*], #rows_key) {
                    #(#arms)*
                    other => Err(serde::de::Error::custom(format!(
                        "no outcome `{other}` for {}",
                        #code
                    ))),
                }
            }
        }
        #method_tokens
    }
}
