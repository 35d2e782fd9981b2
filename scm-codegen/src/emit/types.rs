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

/// The Rust type of a field.
fn rust_type(f: &Field, optional: bool) -> TokenStream {
    let base = match &f.ty {
        FieldType::String => quote!(String),
        FieldType::Integer => quote!(i64),
        FieldType::Decimal { .. } => quote!(rust_decimal::Decimal),
        FieldType::Date => quote!(chrono::NaiveDate),
        FieldType::Timestamp => quote!(chrono::NaiveDateTime),
        FieldType::Flag => quote!(bool),
        FieldType::Code(s) => {
            let id = format_ident!("{}", s);
            quote!(crate::codes::#id)
        }
        FieldType::Object(s) => {
            let id = format_ident!("{}", s);
            quote!(crate::#id)
        }
        FieldType::List(s) => {
            let id = format_ident!("{}", s);
            return quote!(Vec<crate::#id>);
        }
    };
    if optional {
        quote!(Option<#base>)
    } else {
        base
    }
}

fn unsuffixed(n: u32) -> proc_macro2::Literal {
    proc_macro2::Literal::u32_unsuffixed(n)
}

/// The `#[hvs(...)]` facts of a field, read by `scm_macros::shape`.
fn hvs_attr(f: &Field) -> TokenStream {
    let wire = &f.wire;
    let mut facts = vec![quote!(wire = #wire)];
    facts.extend(f.aliases.iter().map(|a| quote!(alias = #a)));
    if f.presence == Presence::Required {
        facts.push(quote!(required));
    }
    facts.push(match &f.ty {
        FieldType::String => quote!(),
        FieldType::Integer => quote!(integer),
        FieldType::Decimal { precision, scale } => {
            let (p, s) = (unsuffixed(*precision), unsuffixed(*scale));
            quote!(decimal(#p, #s))
        }
        FieldType::Date => quote!(date),
        FieldType::Timestamp => quote!(timestamp),
        FieldType::Flag => quote!(flag),
        FieldType::Code(_) => quote!(code),
        FieldType::List(_) => quote!(list),
        FieldType::Object(_) => quote!(object),
    });
    if let (FieldType::String, Some(l)) = (&f.ty, f.length) {
        let l = unsuffixed(l);
        facts.push(quote!(max_len = #l));
    }
    facts.retain(|t| !t.is_empty());
    if f.secret {
        facts.push(quote!(secret));
    }
    quote!(#[hvs(#(#facts),*)])
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
    if enveloped {
        fields.push(quote! {
            /// Unique id of this call (`requestId`); the client fills a UUID when `None`.
            #[hvs(wire = "requestId", max_len = 36)]
            pub request_id: Option<String>,
            /// When the request was made (`requestTime`); the client fills the time when `None`.
            #[hvs(wire = "requestTime", timestamp)]
            pub request_time: Option<chrono::NaiveDateTime>,
        });
        inits.push(quote!(request_id: None, request_time: None,));
    }
    for f in &s.fields {
        let id = format_ident!("{}", f.rust_name);
        let optional = is_optional(f);
        let ty = rust_type(f, optional);
        let d = field_doc(f);
        let hvs = hvs_attr(f);
        fields.push(quote! {
            #[doc = #d]
            #hvs
            pub #id: #ty,
        });
        if optional {
            inits.push(quote!(#id: None,));
        } else {
            params.push(quote!(#id: #ty));
            inits.push(quote!(#id,));
        }
    }
    let derive_default = if params.is_empty() {
        quote!(Default,)
    } else {
        quote!()
    };
    // Clippy's limit is 7; a constructor mirrors the catalogue's required fields.
    let many_args = if params.len() > 7 {
        quote!(#[allow(clippy::too_many_arguments)])
    } else {
        quote!()
    };
    let one_of = s.one_of.iter().map(|g| quote!(#[hvs(one_of(#(#g),*))]));
    let alias_attrs = aliases.iter().map(|a| quote!(#[doc(alias = #a)]));
    let new_doc = " Builds it from the fields that are always required; set the others by name.";
    let results = result_helpers(s);
    quote! {
        #[doc = #doc]
        #(#alias_attrs)*
        #[scm_macros::shape]
        #(#one_of)*
        #[derive(#derive_default Clone, PartialEq)]
        pub struct #name {
            #(#fields)*
        }
        impl #name {
            #[doc = #new_doc]
            #many_args
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
    let mut name_arms = Vec::new();
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
        name_arms.push(quote! { #outcome::#v(_) => #n, });
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
    let outcome_doc =
        format!(" What [`Client::{method}`](crate::Client::{method}) ({code}) can answer.");
    let (_, body) = c.request_shapes(f);
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
    doc.push_str(&duplicate_doc(c, f, &names_list_of(&outcomes)));
    let example_ty = body.unwrap_or("ResultQuery");
    let first = outcomes
        .first()
        .map(|o| names::outcome_variant(&o.name))
        .unwrap_or_default();
    doc.push_str(&example(f, example_ty, &first));
    let req_ty = format_ident!("{}", example_ty);
    let flow = flow_method(c, f);
    let marker = format_ident!("{}", marker_name(f));
    let call = quote!(self.execute::<crate::api::#marker>(&request).await);
    let method_tokens = quote! {
        impl crate::Client {
            #[doc = #doc]
            #[doc(alias = #code)]
            pub async fn #method(
                &self,
                request: crate::#req_ty,
            ) -> Result<#outcome, crate::Error> {
                #call
            }
            #flow
        }
    };
    let predicates = outcomes.iter().filter_map(|o| {
        let v = format_ident!("{}", names::outcome_variant(&o.name));
        let (is, d) = match o.name.as_str() {
            "pending" => (
                "is_pending",
                " Whether HVS has not processed the earlier request yet (the `pending` outcome).",
            ),
            "duplicate" => (
                "is_duplicate",
                " Whether the request id was used before (the `duplicate` outcome): this call \
                 was not processed, an earlier one with the same id was.",
            ),
            _ => return None,
        };
        let is = format_ident!("{}", is);
        Some(quote! {
            #[doc = #d]
            pub fn #is(&self) -> bool {
                matches!(self, #outcome::#v(_))
            }
        })
    });
    quote! {
        #[doc = #outcome_doc]
        #[doc(alias = #code)]
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        #[non_exhaustive]
        pub enum #outcome {
            #(#variants)*
        }
        impl #outcome {
            /// The outcome's name in the catalogue (`processed`, `duplicate` …).
            pub fn name(&self) -> &'static str {
                match self {
                    #(#name_arms)*
                }
            }
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
            #(#predicates)*
        }
        impl crate::FromReply for #outcome {
            fn from_json(value: serde_json::Value) -> Result<Self, serde_json::Error> {
                #outcome::from_json(value)
            }
        }
        #method_tokens
    }
}

fn names_list_of(outcomes: &[&crate::model::Outcome]) -> Vec<String> {
    outcomes.iter().map(|o| o.name.clone()).collect()
}

/// A rustdoc link to a client method.
fn method_link(method: &str) -> String {
    format!("[`Client::{method}`](crate::Client::{method})")
}

/// What a method's doc says about reusing a request id, and where the outcome of a create
/// can be looked up.
fn duplicate_doc(c: &Catalogue, f: &Function, outcomes: &[String]) -> String {
    let nnf = f.result_query.as_deref().and_then(|q| c.functions.get(q));
    match (nnf, f.mode) {
        (Some(nnf), Mode::Sync) => format!(
            "\n\n A `Duplicate` outcome means this request id was used before: this call was \
             not processed, but an earlier one with the same id reached HVS, and {} ({}) \
             reports its outcome. {} sends the create and makes that look-up by itself, also \
             when the answer is lost or reports a system error. Never send a create again with \
             a new request id to find out what happened: it may create the documents twice.",
            method_link(&names::method_name(nnf)),
            nnf.code,
            method_link(&names::reconciled_method_name(f)),
        ),
        (Some(nnf), Mode::Async) => format!(
            "\n\n The answer only says whether HVS queued the request; {} ({}) reports the \
             outcome once the server job has run, and {} submits and waits for it. \
             `requestResult` 6 in the answer means this request id was used before: an earlier \
             submission reached HVS, and {} reports its outcome; do not submit again with a \
             new request id.",
            method_link(&names::method_name(nnf)),
            nnf.code,
            method_link(&names::wait_method_name(f)),
            nnf.code,
        ),
        (None, _) if outcomes.iter().any(|o| o == "duplicate") => {
            "\n\n A `Duplicate` outcome means this request id was used before; this call was \
             not processed."
                .to_owned()
        }
        (None, _) => String::new(),
    }
}

/// For a create with a result query, the method that sends it once and finds out its
/// outcome for certain: `create_…_reconciled` (sync) or `submit_…_and_wait` (async).
fn flow_method(c: &Catalogue, f: &Function) -> TokenStream {
    let Some(nnf) = f.result_query.as_deref().and_then(|q| c.functions.get(q)) else {
        return quote!();
    };
    if f.kind != Kind::Create {
        return quote!();
    }
    let (_, Some(body)) = c.request_shapes(f) else {
        return quote!();
    };
    let (_, Some(query)) = c.request_shapes(nnf) else {
        return quote!();
    };
    let code = &f.code;
    let nnf_code = &nnf.code;
    let req_ty = format_ident!("{}", body);
    let query_ty = format_ident!("{}", query);
    let outcome = format_ident!("{}", names::outcome_type(f));
    let nnf_outcome = format_ident!("{}", names::outcome_type(nnf));
    let nnf_method = format_ident!("{}", names::method_name(nnf));
    let nnf_link = method_link(&names::method_name(nnf));
    let create_link = method_link(&names::method_name(f));
    // Both live in the create's feature module; a result query in another area gates it.
    let gate = if nnf.feature == f.feature {
        quote!()
    } else {
        super::feature_gate(&nnf.feature)
    };
    let marker = format_ident!("{}", marker_name(f));
    let prelude = quote! {
        let spec = <crate::api::#marker as crate::Function>::SPEC;
        let request_id = request
            .request_id
            .get_or_insert_with(crate::invoke::new_request_id)
            .clone();
        let query = crate::#query_ty::new(request_id.clone());
        let lookup = crate::flows::Lookup {
            code: #nnf_code,
            call: || self.#nnf_method(query.clone()),
            is_pending: crate::#nnf_outcome::is_pending,
        };
    };
    match f.mode {
        Mode::Sync => {
            let method = format_ident!("{}", names::reconciled_method_name(f));
            let doc = format!(
                " Creates as {create_link} does, and makes the outcome certain without ever \
                 sending the create twice.\n\n \
                 The request keeps its `request_id`, or gets a new UUID when it has none. When \
                 the create's answer tells the outcome, that is the result \
                 ([`Reconciled::Answered`](crate::Reconciled::Answered)). When it does not \
                 (the connection failed or broke off, or HVS answered HTTP 5xx, \
                 `requestResult` 9 for a system error, or the `Duplicate` outcome for an \
                 earlier call with this id), the outcome is asked of {nnf_link} ({nnf_code}) \
                 under the same request id: at once, then as `policy` says while HVS reports \
                 it pending ([`Reconciled::LookedUp`](crate::Reconciled::LookedUp)).\n\n \
                 # Errors\n \
                 As {create_link} for anything but a lost answer; \
                 [`Error::Timeout`](crate::Error::Timeout) when the look-up is still pending \
                 after `policy.max_wait()`. HVS does not document what {nnf_code} answers for \
                 a request id it never received; if it reports it pending, that timeout is how \
                 a create that never arrived ends. Sending the same request again with the \
                 same `request_id` is then safe: a `Duplicate` outcome would show that the \
                 first one did arrive."
            );
            quote! {
                #[doc = #doc]
                #[doc(alias = #code)]
                #gate
                pub async fn #method(
                    &self,
                    mut request: crate::#req_ty,
                    policy: &crate::WaitPolicy,
                ) -> Result<crate::Reconciled<#outcome, crate::#nnf_outcome>, crate::Error> {
                    #prelude
                    self.create_reconciled(
                        &spec,
                        &request,
                        request_id,
                        #outcome::is_duplicate,
                        lookup,
                        policy,
                    )
                    .await
                }
            }
        }
        Mode::Async => {
            let method = format_ident!("{}", names::wait_method_name(f));
            let doc = format!(
                " Submits as {create_link} does, then waits for the outcome through \
                 {nnf_link} ({nnf_code}), asking as `policy` says until HVS no longer reports \
                 it pending.\n\n \
                 The request keeps its `request_id`, or gets a new UUID when it has none; the \
                 submission is sent once. The wait follows an accepted submission, and also \
                 `requestResult` 6 (this request id was used before: the earlier submission's \
                 outcome is returned, so calling again with the same request resumes a wait), \
                 `requestResult` 9 (a system error: the result query tells whether the request \
                 was queued all the same) and a lost answer (transport error or HTTP 5xx).\n\n \
                 # Errors\n \
                 As {create_link} for any other failure of the submission; \
                 [`Error::Decode`](crate::Error::Decode) for an answer without a known \
                 `requestResult`; [`Error::Timeout`](crate::Error::Timeout) when HVS still \
                 reports the request pending after `policy.max_wait()`. HVS does not document \
                 what {nnf_code} answers for a request id it never received; if it reports it \
                 pending, that timeout is how a submission that never arrived ends, and \
                 submitting the same request again with the same `request_id` is then safe."
            );
            quote! {
                #[doc = #doc]
                #[doc(alias = #code)]
                #gate
                pub async fn #method(
                    &self,
                    mut request: crate::#req_ty,
                    policy: &crate::WaitPolicy,
                ) -> Result<crate::#nnf_outcome, crate::Error> {
                    #prelude
                    self.submit_and_wait(&spec, &request, lookup, policy).await
                }
            }
        }
    }
}

/// The type that stands for a function code in `crate::api`: the code itself
/// (`API010COF`), or `Token` for the token endpoint.
pub(crate) fn marker_name(f: &Function) -> String {
    if f.code.starts_with("API") {
        f.code.clone()
    } else {
        heck::ToUpperCamelCase::to_upper_camel_case(f.code.as_str())
    }
}

/// `crate::api`: one unit struct per function code, bound to it by
/// `#[scm_macros::function]`, each gated by its area's feature.
pub fn api(c: &Catalogue) -> TokenStream {
    let items = c.functions.values().map(|f| {
        let marker = format_ident!("{}", marker_name(f));
        let gate = super::feature_gate(&f.feature);
        let (code, path) = (&f.code, &f.path);
        let outcome = format_ident!("{}", names::outcome_type(f));
        let (_, body) = c.request_shapes(f);
        let request = format_ident!("{}", body.unwrap_or("ResultQuery"));
        let mut facts = vec![
            quote!(code = #code),
            quote!(path = #path),
            quote!(request = crate::#request),
            quote!(outcome = crate::#outcome),
        ];
        if matches!(f.kind, Kind::Query | Kind::ResultQuery | Kind::Auth) {
            facts.push(quote!(safe_to_retry));
        }
        if f.kind == Kind::Auth {
            facts.push(quote!(no_envelope));
        }
        let doc = format!(
            " {} ({}): `{}`, {}. Call it with [`Client::{m}`](crate::Client::{m}) or \
             `client.execute::<api::{marker}>(&request)`.",
            f.code,
            f.title,
            f.path,
            f.mode.as_str(),
            m = names::method_name(f),
        );
        quote! {
            #gate
            #[doc = #doc]
            #[scm_macros::function(#(#facts),*)]
            #[derive(Debug, Clone, Copy)]
            pub struct #marker;
        }
    });
    quote! { #(#items)* }
}
