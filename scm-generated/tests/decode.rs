//! Replies as HVS sends them decode into the outcome a user matches on.

use rust_decimal::Decimal;
use scm_generated::{
    CompleteDocumentOutcome, CreatePurchaseOrderOutcome, DocStatus, QueryStockOutcome,
    SubmitPurchaseOrderOutcome,
};
use serde_json::json;

#[test]
fn processed_create_decodes_with_string_numbers_and_the_spaced_key() {
    let reply = json!({
        "docList": [{
            "docNo": "POD1", "docResult": "1", "docErrorMsg": "", "docNoHVS": "2111POD0001",
            "docStatus": "AP", "taxExcludedAmtTotal": "2000", "taxAmtTotal": 260, "taxIncludedAmtTotal": "2260",
            "lineList": [{ "lineId": "1", "lineResult": "9", "lineErrorMsg": "qty missing,product unknown,",
                           "lineNoHVS": "", "priceActual": "", "taxExcludedAmt": "1000", "taxAmt": "130", "taxIncludedAmt": "1130" }]
        }],
        "requestId": "r1", "requestResult": "1", "responseTime": "2021-11-30 12:00:00", "errorMsg": "ok",
        "targetRequestId": "r1", "targetRequestStatus": "1", "targetRequestResult": "1",
        "targetRequestErrorMsg ": "ok", "somethingNew": "ignored"
    });
    let CreatePurchaseOrderOutcome::Processed(p) =
        CreatePurchaseOrderOutcome::from_json(reply).unwrap()
    else {
        panic!("expected processed");
    };
    assert_eq!(p.envelope.target_request_error_msg, "ok");
    let doc = &p.body.doc_list[0];
    assert!(doc.is_success());
    assert_eq!(doc.doc_status, Some(DocStatus::AwaitingApproval));
    assert_eq!(doc.tax_amt_total, Some(Decimal::from(260)));
    let line = &doc.line_list[0];
    assert!(!line.is_success());
    assert_eq!(line.errors(), vec!["qty missing", "product unknown"]);
    assert_eq!(line.price_actual, None);
}

#[test]
fn duplicate_and_parse_error_are_their_own_outcomes() {
    let dup = json!({"requestId": "r1", "requestResult": "6", "responseTime": "2021-11-30 12:00:00", "errorMsg": "RequestId重复"});
    assert!(matches!(
        CreatePurchaseOrderOutcome::from_json(dup).unwrap(),
        CreatePurchaseOrderOutcome::Duplicate(_)
    ));
    let parse = json!({"requestId": "r1", "requestResult": "1", "responseTime": "2021-11-30 12:00:00", "errorMsg": "x",
        "targetRequestId": "r1", "targetRequestStatus": "1", "targetRequestResult": "6", "targetRequestErrorMsg ": "x"});
    assert!(matches!(
        CreatePurchaseOrderOutcome::from_json(parse).unwrap(),
        CreatePurchaseOrderOutcome::ParseError(_)
    ));
    let accepted = json!({"requestId": "r1", "requestResult": "1", "responseTime": "2021-11-30 12:00:00", "errorMsg": "异步处理提交成功"});
    assert!(matches!(
        SubmitPurchaseOrderOutcome::from_json(accepted).unwrap(),
        SubmitPurchaseOrderOutcome::Accepted(_)
    ));
}

#[test]
fn document_action_accepts_the_misspelled_status_key_and_unknown_codes() {
    let reply = json!({
        "docList": [{"docNo": "D1", "docResult": "1", "docErrorMsg": "", "docNoHVS": "D1", "docSatus": "XX"}],
        "requestId": "r1", "requestResult": "1", "responseTime": "2021-11-30 12:00:00", "errorMsg": "ok",
        "targetRequestId": "r1", "targetRequestStatus": "1", "targetRequestResult": "1", "targetRequestErrorMsg": "ok"
    });
    let CompleteDocumentOutcome::Processed(p) = CompleteDocumentOutcome::from_json(reply).unwrap()
    else {
        panic!("expected processed");
    };
    assert_eq!(
        p.body.doc_list[0].doc_status,
        DocStatus::Unknown("XX".into())
    );
}

#[test]
fn query_without_rows_is_no_data() {
    let reply = json!({"requestId": "r1", "requestResult": "1", "responseTime": "2021-11-30 12:00:00", "errorMsg": "No Data!"});
    assert!(matches!(
        QueryStockOutcome::from_json(reply).unwrap(),
        QueryStockOutcome::NoData(_)
    ));
}

#[test]
fn decimals_encode_as_strings_and_flags_as_y_n() {
    let mut line = scm_generated::PurchaseOrderLine::new("L1".into(), Decimal::new(650, 2));
    line.product_value = Some("P1".into());
    let doc = scm_generated::PurchaseOrder::new("PO1".into(), "采购订单".into(), vec![line]);
    let mut doc = doc;
    doc.is_fixed_rate = Some(true);
    let v = serde_json::to_value(&doc).unwrap();
    assert_eq!(v["lineList"][0]["qty"], "6.50");
    assert_eq!(v["isFixedRate"], "Y");
    assert!(v.get("org_Text").is_none());
}
