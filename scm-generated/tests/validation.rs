//! Requests are checked against the catalogue before they leave, with every violation
//! reported at once under its wire path: a shape's fields in order, then its one-of groups.

use rust_decimal::Decimal;
use scm_generated::validate::Validate;
use scm_generated::{
    Client, ClientConfig, Credentials, Error, PurchaseOrder, PurchaseOrderLine,
    PurchaseOrderRequest,
};

fn bad_request() -> PurchaseOrderRequest {
    let mut ok_line = PurchaseOrderLine::new("L1".into(), Decimal::new(1, 0));
    ok_line.product_value = Some("P1".into());
    // No product code or name; too many decimals; a locator of 61 characters.
    let bad_line = PurchaseOrderLine::new("库".repeat(61), Decimal::new(1_234_567, 7));
    let mut doc = PurchaseOrder::new("PO-1".into(), String::new(), vec![ok_line, bad_line]);
    doc.bpartner_name = Some("Acme".into());
    let empty = PurchaseOrder::new("PO-2".into(), "采购订单".into(), Vec::new());
    PurchaseOrderRequest::new(vec![doc, empty])
}

#[test]
fn every_violation_is_listed_with_its_path() {
    let err = bad_request().validate().unwrap_err();
    let paths: Vec<String> = err.violations.iter().map(|v| v.to_string()).collect();
    assert_eq!(
        paths,
        [
            "docList[0].doctype_Name: required",
            "docList[0].lineList[1].locator_Text: longer than 60 characters (61)",
            "docList[0].lineList[1].qty: more than 6 digits after the point (0.1234567)",
            "docList[0].lineList[1].product_Value: required: give `product_Value` or `product_Name`",
            "docList[1].lineList: required: the list is empty",
            "docList[1].bpartner_Value: required: give `bpartner_Value` or `bpartner_Name`",
        ]
    );
}

#[test]
fn a_valid_request_passes() {
    let mut line = PurchaseOrderLine::new("L1".into(), Decimal::new(650, 2));
    line.product_name = Some("螺丝".into());
    let mut doc = PurchaseOrder::new("PO-1".into(), "采购订单".into(), vec![line]);
    doc.bpartner_value = Some("V001".into());
    assert_eq!(PurchaseOrderRequest::new(vec![doc]).validate(), Ok(()));
}

#[tokio::test]
async fn the_client_refuses_an_invalid_request_without_sending_it() {
    // Nothing listens on this port: a request that got past validation would fail with a
    // transport error instead.
    let creds = Credentials::new("SYS", "secret-code", "user@SYS");
    let config = ClientConfig::builder("http://127.0.0.1:9", creds)
        .allow_http(true)
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let err = client
        .create_purchase_order(bad_request())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    let shown = err.to_string();
    assert!(
        shown.starts_with("API010COF: 6 invalid fields: docList[0].doctype_Name: required; "),
        "{shown}"
    );
}

/// A user's own type shares the generated types' code path.
#[scm_macros::shape]
#[hvs(one_of("product_Value", "product_Name"))]
#[derive(Clone, PartialEq)]
struct MyLine {
    #[hvs(wire = "product_Value", max_len = 40)]
    product: Option<String>,
    #[hvs(wire = "product_Name", max_len = 60)]
    name: Option<String>,
    #[hvs(wire = "qty", required, decimal(16, 6))]
    qty: Decimal,
    #[hvs(wire = "uniqueCode", secret)]
    secret: String,
}

#[test]
fn users_own_shapes_get_wire_format_validation_and_redaction() {
    let line = MyLine {
        product: None,
        name: None,
        qty: Decimal::new(25, 1),
        secret: "s3cr3t".into(),
    };
    let json = serde_json::to_value(&line).unwrap();
    assert_eq!(
        json,
        serde_json::json!({ "qty": "2.5", "uniqueCode": "s3cr3t" })
    );
    let back: MyLine = serde_json::from_value(
        serde_json::json!({ "qty": 2.5, "uniqueCode": "x", "product_Name": "" }),
    )
    .unwrap();
    assert_eq!(back.name, None);
    assert_eq!(
        line.validate().unwrap_err().to_string(),
        "1 invalid field: product_Value: required: give `product_Value` or `product_Name`"
    );
    assert!(!format!("{line:?}").contains("s3cr3t"));
}
