//! Rust names derived from the catalogue: one place, so the emitter, the validator and the
//! docs agree.

use heck::ToUpperCamelCase;

use crate::model::{Function, Kind, Mode};

/// The client method of a function: `create_purchase_order`, `submit_purchase_order`,
/// `purchase_order_result`, `query_stock`, `complete_document`, `token`.
pub fn method_name(f: &Function) -> String {
    match (f.kind, f.mode) {
        (Kind::Create, Mode::Sync) => format!("create_{}", f.name),
        (Kind::Create, Mode::Async) => format!("submit_{}", f.name),
        (Kind::ResultQuery, _) => format!("{}_result", f.name),
        (Kind::Query, _) => format!("query_{}", f.name),
        (Kind::Upload, _) => format!("upload_{}", f.name),
        (Kind::DocumentAction, _) | (Kind::Auth, _) => f.name.clone(),
    }
}

/// The method of a sync create that makes its outcome certain through the result query:
/// `create_purchase_order_reconciled`.
pub fn reconciled_method_name(f: &Function) -> String {
    format!("{}_reconciled", method_name(f))
}

/// The method of an async create that submits and waits for the result:
/// `submit_purchase_order_and_wait`.
pub fn wait_method_name(f: &Function) -> String {
    format!("{}_and_wait", method_name(f))
}

/// The outcome enum of a function: `PurchaseOrderCreated`… kept simple: `{Method}Outcome`.
pub fn outcome_type(f: &Function) -> String {
    format!("{}Outcome", method_name(f).to_upper_camel_case())
}

/// The variant name of an outcome (`parse_error` -> `ParseError`).
pub fn outcome_variant(name: &str) -> String {
    name.to_upper_camel_case()
}

/// The twin that makes a create's outcome certain, for a create with a result query:
/// [`reconciled_method_name`] when sync, [`wait_method_name`] when async.
pub fn twin_method_name(f: &Function) -> Option<String> {
    f.result_query.as_ref()?;
    Some(match f.mode {
        Mode::Sync => reconciled_method_name(f),
        Mode::Async => wait_method_name(f),
    })
}
