//! Derive and attribute macros for HVS types.
//!
//! [`macro@shape`] turns a plain struct whose fields carry `#[hvs(...)]` facts from the
//! catalogue into an HVS wire type: serde names and codecs, a `Debug` that hides secrets,
//! and the validation rules (required fields, lengths, decimal digits, one-of groups). The
//! generated crate uses it for every catalogue shape, and users' own types can use it too.
//!
//! The crate is a thin door: [`parse`] reads the attributes into a model, [`expand`]
//! writes the code. Errors are one lowercase line on the narrowest span.

use proc_macro::TokenStream;

mod expand;
mod parse;

/// Makes a struct an HVS shape.
///
/// ```ignore
/// #[scm_macros::shape]
/// #[hvs(one_of("bpartner_Value", "bpartner_Name"))]
/// pub struct Order {
///     #[hvs(wire = "docNo", required, max_len = 20)]
///     pub doc_no: String,
///     #[hvs(wire = "bpartner_Value", max_len = 40)]
///     pub bpartner_value: Option<String>,
///     #[hvs(wire = "bpartner_Name", max_len = 60)]
///     pub bpartner_name: Option<String>,
///     #[hvs(wire = "qty", required, decimal(16, 6))]
///     pub qty: rust_decimal::Decimal,
/// }
/// ```
///
/// Field facts: `wire = "..."` (the JSON name, required), `alias = "..."` (repeatable),
/// `required`, one kind among `string` (default), `integer`, `decimal(p, s)`, `date`,
/// `timestamp`, `flag`, `code`, `list`, `object`, then `max_len = n` and `secret`.
/// Struct facts: `one_of("a", "b", ...)` (repeatable).
#[proc_macro_attribute]
pub fn shape(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut item = syn::parse_macro_input!(input as syn::ItemStruct);
    if !args.is_empty() {
        let args: proc_macro2::TokenStream = args.into();
        return syn::Error::new_spanned(args, "`shape` takes no arguments; use #[hvs(...)]")
            .to_compile_error()
            .into();
    }
    match parse::shape(&mut item) {
        Ok(model) => expand::shape(&model).into(),
        Err(e) => {
            // Keep the struct so the user sees this one error, not a cascade of
            // "cannot find type" errors where it is used.
            let e = e.to_compile_error();
            quote::quote!(#item #e).into()
        }
    }
}

/// Binds a unit struct to an HVS function code.
///
/// ```ignore
/// #[scm_macros::function(
///     code = "API010COF",
///     path = "/api/v1/processes/importpurchaseorder_co_f",
///     request = crate::PurchaseOrderRequest,
///     outcome = crate::CreatePurchaseOrderOutcome,
/// )]
/// pub struct API010COF;
/// ```
///
/// Facts: `code`, `path`, `request`, `outcome` (all required), `safe_to_retry` (queries
/// and result look-ups), `no_envelope` (the token endpoint: no bearer, no `requestId`).
#[proc_macro_attribute]
pub fn function(args: TokenStream, input: TokenStream) -> TokenStream {
    let item = syn::parse_macro_input!(input as syn::ItemStruct);
    let args: proc_macro2::TokenStream = args.into();
    match parse::function(args, &item) {
        Ok(f) => expand::function(&item, &f).into(),
        Err(e) => {
            let e = e.to_compile_error();
            quote::quote!(#item #e).into()
        }
    }
}
