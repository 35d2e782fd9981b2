//! The committed generated files equal a fresh generation, and generation is deterministic.

use std::path::Path;

use scm_codegen::gen::{self, Status};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

#[test]
fn committed_outputs_are_fresh() {
    let c = scm_codegen::load_dir(&root().join("spec"), "spec").unwrap_or_else(|e| panic!("{e}"));
    let report = gen::sync(root(), &gen::outputs(&c), true).expect("read generated files");
    let stale: Vec<_> = report
        .iter()
        .filter(|(_, s)| *s == Status::Stale)
        .map(|(p, _)| p)
        .collect();
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; run `cargo xtask regen` and commit the result"
    );
}

#[test]
fn generation_is_deterministic() {
    let a = scm_codegen::load_dir(&root().join("spec"), "spec").unwrap_or_else(|e| panic!("{e}"));
    let b = scm_codegen::load_dir(&root().join("spec"), "spec").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(gen::outputs(&a), gen::outputs(&b));
}

#[test]
fn catalogue_has_every_code_in_scope() {
    let c = scm_codegen::load_dir(&root().join("spec"), "spec").unwrap_or_else(|e| panic!("{e}"));
    let codes: Vec<_> = c
        .functions
        .keys()
        .filter(|k| k.starts_with("API"))
        .collect();
    assert_eq!(codes.len(), 60, "{codes:?}");
    assert!(c.functions.contains_key("token"));
    // Every async create names a result query that exists and reports on its sync twin.
    for f in c
        .functions
        .values()
        .filter(|f| f.mode == scm_codegen::model::Mode::Async)
    {
        let nnf = f
            .result_query
            .as_deref()
            .and_then(|q| c.functions.get(q))
            .expect("result query");
        assert_eq!(
            nnf.result_of.as_deref(),
            f.request_of.as_deref(),
            "{}",
            f.code
        );
    }
}

#[test]
fn openapi_contract_holds() {
    let c = scm_codegen::load_dir(&root().join("spec"), "spec").unwrap_or_else(|e| panic!("{e}"));
    let doc = scm_codegen::openapi::openapi(&c);
    assert_eq!(doc["openapi"], "3.1.0");
    let op = &doc["paths"]["/api/v1/processes/importpurchaseorder_co_f"]["post"];
    assert_eq!(op["operationId"], "API010COF");
    assert_eq!(op["x-hvs-mode"], "sync");
    assert_eq!(op["x-hvs-kind"], "create");
    let outcomes = op["responses"]["200"]["content"]["application/json"]["schema"]["oneOf"]
        .as_array()
        .expect("oneOf");
    assert_eq!(outcomes[0]["title"], "processed");
    let req = &op["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(
        req["required"],
        serde_json::json!(["requestId", "requestTime", "docList"])
    );
    let doc_shape = &doc["components"]["schemas"]["PurchaseOrder"];
    assert_eq!(doc_shape["properties"]["docNo"]["maxLength"], 20);
    assert_eq!(
        doc_shape["properties"]["settlementRate"]["x-hvs-precision"],
        16
    );
    assert_eq!(doc_shape["properties"]["settlementRate"]["x-hvs-scale"], 10);
    assert_eq!(
        doc_shape["properties"]["bpartner_Value"]["x-hvs-conditional"],
        true
    );
    assert_eq!(
        doc_shape["x-hvs-required-one-of"],
        serde_json::json!([["bpartner_Value", "bpartner_Name"]])
    );
    assert_eq!(
        doc["paths"]["/api/v1/auth/tokens"]["post"]["operationId"],
        "token"
    );
    // Every property of every schema says its HVS type.
    for (name, s) in doc["components"]["schemas"].as_object().expect("schemas") {
        for (p, v) in s["properties"].as_object().expect("properties") {
            assert!(v["x-hvs-type"].is_string(), "{name}.{p}");
        }
    }
}

#[test]
fn every_business_area_is_a_default_cargo_feature_of_the_generated_crate() {
    let c = scm_codegen::load_dir(&root().join("spec"), "spec").unwrap_or_else(|e| panic!("{e}"));
    let manifest =
        std::fs::read_to_string(root().join("scm-generated/Cargo.toml")).expect("manifest");
    let default_line = manifest
        .lines()
        .find(|l| l.starts_with("default = "))
        .expect("default features");
    for name in c.features.keys().filter(|f| *f != "auth") {
        assert!(
            manifest.contains(&format!("\n{name} = []")),
            "feature `{name}` is not declared"
        );
        assert!(
            default_line.contains(&format!("\"{name}\"")),
            "feature `{name}` is not on by default"
        );
    }
}
