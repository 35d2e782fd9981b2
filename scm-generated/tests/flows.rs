//! Flows over several calls, through the generated methods, against a loopback server that
//! plays HVS and a fake clock that makes every wait instant: an async submission awaited
//! to its result, a create whose lost answer is reconciled through its result query, every
//! outcome of every kind, retries, the request time, and the `full_flow` example.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::FixedOffset;
use rust_decimal::Decimal;
use scm_generated::runtime::{Clock, RetryPolicy, Sleep};
use scm_generated::{
    Client, ClientConfig, CreatePurchaseOrderOutcome, Credentials, DocumentAction,
    DocumentActionRequest, Error, GroupLevel, LookupReason, PurchaseOrder, PurchaseOrderLine,
    PurchaseOrderRequest, PurchaseOrderResultOutcome, QueryStockOutcome, ReceiptConfirmation,
    ReceiptConfirmationLine, ReceiptConfirmationLineAttr, ReceiptConfirmationRequest, Reconciled,
    ResultQuery, StockQuery, WaitPolicy,
};
use serde_json::{json, Map, Value};

#[path = "../examples/full_flow.rs"]
#[allow(dead_code)]
mod full_flow;

/// The fake clock's start: 2024-05-01 04:00:00 UTC.
const T0: u64 = 1_714_536_000;

const PO_CREATE: &str = "importpurchaseorder_co_f";
const PO_SUBMIT: &str = "importpurchaseorder_co_b";
const PO_RESULT: &str = "inquirypurchaseorder_co";
const STOCK: &str = "querystock";
const COMPLETE: &str = "docaction_co";
const RECEIPT: &str = "uploadreceiptconfirm";

/// What the fake server answers to one business call.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Answer {
    /// Processed, every document created (`targetRequestResult` 1).
    Processed,
    /// Not processed yet (`targetRequestStatus` 0).
    Pending,
    /// The body did not parse (`targetRequestResult` 6).
    ParseError,
    /// The request id was used before (`requestResult` 6).
    Duplicate,
    /// A system error (`requestResult` 9), without target fields.
    SystemError,
    /// Queued for the server job.
    Accepted,
    /// One row of stock.
    Rows,
    /// `No Data!`.
    NoData,
    /// This HTTP status, with a short body.
    Status(u16),
    /// An answer begun and broken off: the connection closes before it is complete.
    Drop,
    /// No answer at all, until the client's request timeout ends the wait.
    Hang,
}

/// A response body that yields a few bytes and then fails, which makes hyper close the
/// connection before the answer is complete.
struct BrokenBody {
    sent: bool,
}

impl futures_core::Stream for BrokenBody {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let item = if std::mem::replace(&mut self.sent, true) {
            Err(std::io::Error::other("the line went dead"))
        } else {
            Ok(Bytes::from_static(br#"{"requestId":"#))
        };
        std::task::Poll::Ready(Some(item))
    }
}

/// The fake HVS: per endpoint slug, the answers to give in order, and every call seen.
#[derive(Default)]
struct Hvs {
    scripts: Mutex<HashMap<String, VecDeque<Answer>>>,
    calls: Mutex<Vec<(String, Value)>>,
}

impl Hvs {
    fn script(&self, slug: &str, answers: &[Answer]) {
        self.scripts
            .lock()
            .unwrap()
            .insert(slug.to_owned(), answers.iter().copied().collect());
    }

    /// The bodies of the calls to `slug`, in order.
    fn calls(&self, slug: &str) -> Vec<Value> {
        let calls = self.calls.lock().unwrap();
        calls
            .iter()
            .filter(|(s, _)| s == slug)
            .map(|(_, b)| b.clone())
            .collect()
    }

    fn hits(&self, slug: &str) -> usize {
        self.calls(slug).len()
    }
}

fn jwt(exp: u64) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS512","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"exp":{exp},"sub":"api"}}"#));
    format!("{header}.{payload}.signature")
}

async fn token_call() -> String {
    // Valid for 30 days of the fake clock: no test waits that long.
    json!({ "token": jwt(T0 + 30 * 24 * 3600) }).to_string()
}

/// A reply to `request` as HVS writes it, every value a string.
fn reply(request: &Value, answer: Answer) -> Value {
    let id = request["requestId"].clone();
    let target = request
        .get("targetRequestId")
        .cloned()
        .unwrap_or(id.clone());
    let mut out = Map::new();
    let mut put = |value: Value| {
        if let Value::Object(map) = value {
            out.extend(map);
        }
    };
    put(json!({
        "requestId": id, "requestResult": "1",
        "responseTime": "2024-05-01 12:00:01", "errorMsg": "",
    }));
    let targeted = |status: &str, result: &str, message: &str| {
        json!({
            "targetRequestId": target, "targetRequestStatus": status,
            "targetRequestResult": result, "targetRequestErrorMsg ": message,
        })
    };
    match answer {
        Answer::Processed => {
            put(targeted("1", "1", "处理成功"));
            put(json!({ "docList": [{
                "docNo": "PO-1", "docResult": "1", "docErrorMsg": "", "docNoHVS": "2405POD0001",
                "docStatus": "CO", "taxIncludedAmtTotal": "113.00",
                "lineList": [{ "lineId": "1", "lineResult": "1", "lineNoHVS": "10" }],
            }]}));
        }
        Answer::Pending => put(targeted("0", "0", "")),
        Answer::ParseError => put(targeted("1", "6", "Unexpected character at line 1,")),
        Answer::Duplicate => put(json!({ "requestResult": "6", "errorMsg": "RequestId重复" })),
        Answer::SystemError => put(json!({ "requestResult": "9", "errorMsg": "系统异常" })),
        Answer::Accepted => put(json!({ "errorMsg": "异步处理提交成功" })),
        Answer::Rows => put(json!({ "stockList": [{
            "groupLevel": "10", "org_Value": "HQ", "org_Name": "总部",
            "warehouse_Value": "W1", "warehouse_Name": "一号仓", "locator_Value": "L1",
            "locator_Name": "L1", "productCategoryL1_Value": "C", "productCategoryL1_Name": "C",
            "productCategory_Value": "C1", "productCategory_Name": "C1", "product_Value": "P1",
            "product_Name": "产品一", "qtyOnHand": "12", "qtyAvailable": "10", "qtyReserved": "2",
        }]})),
        Answer::NoData => put(json!({ "errorMsg": "No Data!" })),
        Answer::Status(_) | Answer::Drop | Answer::Hang => unreachable!("not a JSON reply"),
    }
    Value::Object(out)
}

async fn process_call(
    State(hvs): State<Arc<Hvs>>,
    Path(slug): Path<String>,
    body: Bytes,
) -> Response {
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    hvs.calls
        .lock()
        .unwrap()
        .push((slug.clone(), request.clone()));
    let answer = hvs
        .scripts
        .lock()
        .unwrap()
        .get_mut(&slug)
        .and_then(VecDeque::pop_front);
    match answer {
        None => (StatusCode::NOT_IMPLEMENTED, format!("no script for {slug}")).into_response(),
        Some(Answer::Status(status)) => {
            (StatusCode::from_u16(status).unwrap(), "busy").into_response()
        }
        Some(Answer::Drop) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from_stream(BrokenBody { sent: false }))
            .unwrap(),
        Some(Answer::Hang) => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::GATEWAY_TIMEOUT.into_response()
        }
        Some(answer) => reply(&request, answer).to_string().into_response(),
    }
}

async fn start() -> (Arc<Hvs>, String) {
    let hvs = Arc::new(Hvs::default());
    let app = Router::new()
        .route("/api/v1/auth/tokens", post(token_call))
        .route("/api/v1/processes/{slug}", post(process_call))
        .with_state(hvs.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (hvs, format!("http://{addr}"))
}

/// A clock the test owns; sleeps finish at once and move it forward.
struct FakeClock {
    now: Mutex<SystemTime>,
    slept: Mutex<Vec<Duration>>,
}

impl FakeClock {
    fn new() -> Arc<Self> {
        Arc::new(Self {
            now: Mutex::new(UNIX_EPOCH + Duration::from_secs(T0)),
            slept: Mutex::new(Vec::new()),
        })
    }

    fn slept(&self) -> Vec<Duration> {
        self.slept.lock().unwrap().clone()
    }
}

impl Clock for FakeClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        self.slept.lock().unwrap().push(duration);
        *self.now.lock().unwrap() += duration;
        Box::pin(async {})
    }
}

fn builder(base: &str) -> scm_generated::runtime::ClientConfigBuilder {
    ClientConfig::builder(base, Credentials::new("SYS01", "secret", "api@SYS01"))
        .allow_http(true)
        .retry_policy(RetryPolicy::new(
            3,
            Duration::from_millis(5),
            Duration::from_millis(20),
        ))
}

async fn setup() -> (Arc<Hvs>, Client, Arc<FakeClock>) {
    let (hvs, base) = start().await;
    let clock = FakeClock::new();
    let client = Client::with_clock(builder(&base).build().unwrap(), clock.clone()).unwrap();
    (hvs, client, clock)
}

fn order(doc_no: &str) -> PurchaseOrderRequest {
    let mut line = PurchaseOrderLine::new("L1".into(), Decimal::ONE);
    line.line_id = Some("1".into());
    line.product_value = Some("P1".into());
    let mut doc = PurchaseOrder::new(doc_no.into(), "采购订单".into(), vec![line]);
    doc.bpartner_value = Some("V1".into());
    PurchaseOrderRequest::new(vec![doc])
}

fn hour() -> WaitPolicy {
    WaitPolicy::new(Duration::from_secs(3600))
}

fn minutes(m: u64) -> Duration {
    Duration::from_secs(60 * m)
}

#[tokio::test]
async fn submit_and_wait_asks_the_result_query_until_it_is_processed() {
    let (hvs, client, clock) = setup().await;
    hvs.script(PO_SUBMIT, &[Answer::Accepted]);
    hvs.script(
        PO_RESULT,
        &[Answer::Pending, Answer::Pending, Answer::Processed],
    );
    let outcome = client
        .submit_purchase_order_and_wait(order("PO-A"), &hour())
        .await
        .unwrap();

    let submitted = hvs.calls(PO_SUBMIT);
    assert_eq!(submitted.len(), 1);
    let id = submitted[0]["requestId"].as_str().unwrap().to_owned();
    assert!(uuid::Uuid::parse_str(&id).is_ok(), "{id}");
    let PurchaseOrderResultOutcome::Processed(processed) = outcome else {
        panic!("expected processed, got {outcome:?}");
    };
    assert_eq!(processed.envelope.target_request_id, id);
    assert!(processed.body.doc_list[0].is_success());

    let lookups = hvs.calls(PO_RESULT);
    assert_eq!(lookups.len(), 3);
    for lookup in &lookups {
        assert_eq!(lookup["targetRequestId"], id.as_str());
        assert_ne!(
            lookup["requestId"],
            id.as_str(),
            "each look-up has its own id"
        );
    }
    // Waits: the minimum delay first, then growing within the policy's bounds.
    let slept = clock.slept();
    println!("waits before the three look-ups: {slept:?}");
    assert_eq!(slept.len(), 3);
    assert_eq!(slept[0], minutes(1));
    assert!((minutes(1)..=minutes(2)).contains(&slept[1]), "{slept:?}");
    assert!((minutes(2)..=minutes(4)).contains(&slept[2]), "{slept:?}");
}

#[tokio::test]
async fn a_result_that_stays_pending_ends_in_a_timeout_naming_time_and_attempts() {
    let (hvs, client, clock) = setup().await;
    hvs.script(PO_SUBMIT, &[Answer::Accepted]);
    hvs.script(PO_RESULT, &[Answer::Pending; 100]);
    let policy = WaitPolicy::new(minutes(65));
    let err = client
        .submit_purchase_order_and_wait(order("PO-T"), &policy)
        .await
        .unwrap_err();
    println!("{err}");
    let Error::Timeout {
        code,
        elapsed,
        attempts,
    } = &err
    else {
        panic!("expected a timeout, got {err:?}");
    };
    assert_eq!(code, "API010NNF");
    assert_eq!(*elapsed, minutes(65));
    assert_eq!(*attempts as usize, hvs.hits(PO_RESULT));
    assert!((8..=16).contains(attempts), "{attempts}");
    assert_eq!(
        err.to_string(),
        format!(
            "API010NNF: no result after 65m 0s and {attempts} attempts; \
             the request may still be processed later"
        )
    );
    assert_eq!(err.code(), Some("API010NNF"));
    let slept = clock.slept();
    assert_eq!(slept.iter().sum::<Duration>(), minutes(65));
    assert!(slept.iter().all(|d| *d <= minutes(10)), "{slept:?}");
    assert_eq!(hvs.hits(PO_SUBMIT), 1);
}

#[tokio::test]
async fn a_look_up_failing_with_http_503_counts_as_pending() {
    let (hvs, client, _clock) = setup().await;
    hvs.script(PO_SUBMIT, &[Answer::Accepted]);
    // Three 503s use up the client's own retries of one look-up; the wait goes on.
    let busy = Answer::Status(503);
    hvs.script(PO_RESULT, &[busy, busy, busy, Answer::Processed]);
    let outcome = client
        .submit_purchase_order_and_wait(order("PO-B"), &hour())
        .await
        .unwrap();
    assert_eq!(outcome.name(), "processed");
    assert_eq!(hvs.hits(PO_RESULT), 4);
}

#[tokio::test]
async fn a_submission_answered_duplicate_waits_for_the_earlier_ones_result() {
    let (hvs, client, _clock) = setup().await;
    hvs.script(PO_SUBMIT, &[Answer::Duplicate]);
    hvs.script(PO_RESULT, &[Answer::Processed]);
    let mut request = order("PO-D");
    request.request_id = Some("po-d-0001".into());
    let outcome = client
        .submit_purchase_order_and_wait(request, &hour())
        .await
        .unwrap();
    assert_eq!(outcome.name(), "processed");
    assert_eq!(hvs.calls(PO_RESULT)[0]["targetRequestId"], "po-d-0001");
    assert_eq!(hvs.hits(PO_SUBMIT), 1);
}

#[tokio::test]
async fn a_lost_create_answer_is_reconciled_through_the_result_query_with_the_same_id() {
    let (hvs, base) = start().await;
    let clock = FakeClock::new();
    // A short request timeout, so that the hanging create ends soon.
    let config = builder(&base)
        .request_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let client = Client::with_clock(config, clock.clone()).unwrap();
    for (lost, id) in [(Answer::Drop, "po-f-0001"), (Answer::Hang, "po-f-0002")] {
        hvs.calls.lock().unwrap().clear();
        hvs.script(PO_CREATE, &[lost]);
        hvs.script(PO_RESULT, &[Answer::Processed]);
        let mut request = order("PO-F");
        request.request_id = Some(id.into());
        let reconciled = client
            .create_purchase_order_reconciled(request, &hour())
            .await
            .unwrap();
        let Reconciled::LookedUp {
            request_id,
            reason: LookupReason::AnswerLost(message),
            outcome: PurchaseOrderResultOutcome::Processed(processed),
        } = &reconciled
        else {
            panic!("expected a look-up after a lost answer, got {reconciled:?}");
        };
        println!("lost answer ({lost:?}): {message}");
        assert!(
            message.starts_with("API010COF: could not reach HVS"),
            "{message}"
        );
        assert_eq!(request_id, id);
        assert_eq!(processed.envelope.target_request_id, id);
        assert_eq!(hvs.hits(PO_CREATE), 1, "the create is never sent twice");
        assert_eq!(hvs.calls(PO_CREATE)[0]["requestId"], id);
        let lookups = hvs.calls(PO_RESULT);
        assert_eq!(lookups.len(), 1);
        assert_eq!(lookups[0]["targetRequestId"], id);
        assert!(clock.slept().is_empty(), "the first look-up is immediate");
    }
}

#[tokio::test]
async fn a_system_error_on_a_create_is_reconciled_and_a_pending_look_up_waits() {
    let (hvs, client, clock) = setup().await;
    hvs.script(PO_CREATE, &[Answer::SystemError]);
    hvs.script(PO_RESULT, &[Answer::Pending, Answer::Processed]);
    let reconciled = client
        .create_purchase_order_reconciled(order("PO-9"), &hour())
        .await
        .unwrap();
    let id = hvs.calls(PO_CREATE)[0]["requestId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(reconciled.request_id(), id);
    assert_eq!(
        reconciled.lookup_reason(),
        Some(&LookupReason::SystemError("系统异常".into()))
    );
    let Reconciled::LookedUp { outcome, .. } = reconciled else {
        unreachable!()
    };
    assert_eq!(outcome.name(), "processed");
    assert_eq!(hvs.hits(PO_CREATE), 1);
    assert!(hvs
        .calls(PO_RESULT)
        .iter()
        .all(|c| c["targetRequestId"] == id.as_str()));
    assert_eq!(clock.slept(), vec![minutes(1)]);
}

#[tokio::test]
async fn a_duplicate_create_is_reconciled_through_the_result_query() {
    let (hvs, client, _clock) = setup().await;
    hvs.script(PO_CREATE, &[Answer::Duplicate]);
    hvs.script(PO_RESULT, &[Answer::Processed]);
    let mut request = order("PO-6");
    request.request_id = Some("po-6-0001".into());
    let reconciled = client
        .create_purchase_order_reconciled(request, &hour())
        .await
        .unwrap();
    assert_eq!(
        reconciled.lookup_reason(),
        Some(&LookupReason::Duplicate("RequestId重复".into()))
    );
    assert_eq!(hvs.calls(PO_RESULT)[0]["targetRequestId"], "po-6-0001");
    assert_eq!(hvs.hits(PO_CREATE), 1);

    // The plain method keeps the outcome, and says what it means.
    hvs.script(PO_CREATE, &[Answer::Duplicate]);
    let outcome = client.create_purchase_order(order("PO-6")).await.unwrap();
    assert!(outcome.is_duplicate());
    assert!(matches!(outcome, CreatePurchaseOrderOutcome::Duplicate(_)));
}

#[tokio::test]
async fn a_create_that_answers_is_not_looked_up_and_a_refusal_is_an_error() {
    let (hvs, client, _clock) = setup().await;
    hvs.script(
        PO_CREATE,
        &[Answer::Processed, Answer::ParseError, Answer::Status(400)],
    );
    for expected in ["processed", "parse_error"] {
        let reconciled = client
            .create_purchase_order_reconciled(order("PO-OK"), &hour())
            .await
            .unwrap();
        let Reconciled::Answered { outcome, .. } = &reconciled else {
            panic!("expected the create's own answer, got {reconciled:?}");
        };
        assert_eq!(outcome.name(), expected);
        assert_eq!(reconciled.lookup_reason(), None);
    }
    let err = client
        .create_purchase_order_reconciled(order("PO-OK"), &hour())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Status { status: 400, .. }), "{err:?}");
    assert_eq!(hvs.hits(PO_RESULT), 0);
    assert_eq!(hvs.hits(PO_CREATE), 3);

    // An invalid request is refused before anything is sent.
    let err = client
        .create_purchase_order_reconciled(PurchaseOrderRequest::new(vec![]), &hour())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation { .. }), "{err:?}");
    assert_eq!(hvs.hits(PO_CREATE), 3);
}

fn stock_query() -> StockQuery {
    StockQuery::new(GroupLevel::ByProduct, "HQ".into())
}

fn document_action() -> DocumentActionRequest {
    DocumentActionRequest::new(vec![DocumentAction::new(
        "2405POD0001".into(),
        "采购订单".into(),
    )])
}

fn receipt() -> ReceiptConfirmationRequest {
    let attr = ReceiptConfirmationLineAttr::new(Decimal::ONE);
    let mut line = ReceiptConfirmationLine::new(vec![attr]);
    line.product_value = Some("P1".into());
    ReceiptConfirmationRequest::new(vec![ReceiptConfirmation::new(
        "2405RCV0001".into(),
        vec![line],
    )])
}

#[tokio::test]
async fn every_outcome_of_every_kind_decodes_through_the_generated_methods() {
    use Answer::*;
    let (hvs, client, _clock) = setup().await;
    let cases = [
        (PO_CREATE, Processed, "processed"),
        (PO_CREATE, Duplicate, "duplicate"),
        (PO_CREATE, ParseError, "parse_error"),
        (PO_SUBMIT, Accepted, "accepted"),
        (PO_RESULT, Processed, "processed"),
        (PO_RESULT, Pending, "pending"),
        (PO_RESULT, ParseError, "parse_error"),
        (STOCK, Rows, "rows"),
        (STOCK, NoData, "no_data"),
        (COMPLETE, Processed, "processed"),
        (COMPLETE, Duplicate, "duplicate"),
        (RECEIPT, Processed, "processed"),
        (RECEIPT, ParseError, "parse_error"),
    ];
    for (slug, answer, expected) in cases {
        hvs.script(slug, &[answer]);
        let name = match slug {
            PO_CREATE => client
                .create_purchase_order(order("PO-1"))
                .await
                .map(|o| o.name()),
            PO_SUBMIT => client
                .submit_purchase_order(order("PO-1"))
                .await
                .map(|o| o.name()),
            PO_RESULT => {
                let query = ResultQuery::new("po-1".into());
                client.purchase_order_result(query).await.map(|o| o.name())
            }
            STOCK => client.query_stock(stock_query()).await.map(|o| o.name()),
            COMPLETE => client
                .complete_document(document_action())
                .await
                .map(|o| o.name()),
            RECEIPT => client
                .upload_receipt_confirmation(receipt())
                .await
                .map(|o| o.name()),
            other => unreachable!("{other}"),
        };
        let name = name.unwrap_or_else(|e| panic!("{slug} {answer:?}: {e}"));
        assert_eq!(name, expected, "{slug} answering {answer:?}");
    }
    hvs.script(STOCK, &[Rows]);
    let QueryStockOutcome::Rows(rows) = client.query_stock(stock_query()).await.unwrap() else {
        panic!("expected rows");
    };
    assert_eq!(rows.body.stock_list[0].qty_on_hand, Decimal::from(12));
}

#[tokio::test]
async fn queries_are_retried_after_a_503_and_creates_are_not() {
    let (hvs, client, _clock) = setup().await;
    hvs.script(STOCK, &[Answer::Status(503), Answer::Rows]);
    let outcome = client.query_stock(stock_query()).await.unwrap();
    assert_eq!(outcome.name(), "rows");
    assert_eq!(hvs.hits(STOCK), 2);

    hvs.script(PO_CREATE, &[Answer::Status(503), Answer::Processed]);
    let err = client
        .create_purchase_order(order("PO-R"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Status { status: 503, .. }), "{err:?}");
    assert_eq!(hvs.hits(PO_CREATE), 1);

    hvs.script(PO_SUBMIT, &[Answer::Status(503), Answer::Accepted]);
    let err = client
        .submit_purchase_order(order("PO-R"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Status { status: 503, .. }), "{err:?}");
    assert_eq!(hvs.hits(PO_SUBMIT), 1);
}

#[tokio::test]
async fn request_time_is_the_client_clock_in_the_configured_offset() {
    let (hvs, base) = start().await;
    let at = |offset: Option<FixedOffset>| {
        let mut builder = builder(&base);
        if let Some(offset) = offset {
            builder = builder.request_time_offset(offset);
        }
        Client::with_clock(builder.build().unwrap(), FakeClock::new()).unwrap()
    };
    let cases = [
        (FixedOffset::east_opt(8 * 3600), "2024-05-01 12:00:00"),
        (FixedOffset::west_opt(5 * 3600), "2024-04-30 23:00:00"),
        (FixedOffset::east_opt(0), "2024-05-01 04:00:00"),
    ];
    for (offset, expected) in cases {
        hvs.script(STOCK, &[Answer::NoData]);
        at(offset).query_stock(stock_query()).await.unwrap();
        let sent = hvs.calls(STOCK).pop().unwrap();
        assert_eq!(sent["requestTime"], expected, "{offset:?}");
        assert!(uuid::Uuid::parse_str(sent["requestId"].as_str().unwrap()).is_ok());
    }

    // Without an offset: the machine's local offset at that instant.
    let local = chrono::DateTime::<chrono::Utc>::from(UNIX_EPOCH + Duration::from_secs(T0))
        .with_timezone(&chrono::Local)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string();
    hvs.script(STOCK, &[Answer::NoData]);
    at(None).query_stock(stock_query()).await.unwrap();
    assert_eq!(
        hvs.calls(STOCK).pop().unwrap()["requestTime"],
        local.as_str()
    );

    // A time and id the caller set are kept.
    let mut query = stock_query();
    query.request_id = Some("mine".into());
    query.request_time =
        chrono::NaiveDate::from_ymd_opt(2020, 1, 2).and_then(|d| d.and_hms_opt(3, 4, 5));
    hvs.script(STOCK, &[Answer::NoData]);
    at(None).query_stock(query).await.unwrap();
    let sent = hvs.calls(STOCK).pop().unwrap();
    assert_eq!(
        (&sent["requestId"], &sent["requestTime"]),
        (&json!("mine"), &json!("2020-01-02 03:04:05"))
    );
}

#[test]
fn the_flow_futures_can_be_spawned() {
    fn send<T: Send>(_: &T) {}
    let config = builder("http://127.0.0.1:9").build().unwrap();
    let client = Client::new(config).unwrap();
    let policy = hour();
    send(&client.create_purchase_order_reconciled(order("PO-S"), &policy));
    send(&client.submit_purchase_order_and_wait(order("PO-S"), &policy));
    send(&client.wait_for_result("API010NNF", &policy, || async { Ok::<_, Error>(Some(())) }));
}

fn example_vars(base: &str) -> HashMap<&'static str, String> {
    HashMap::from([
        ("HVS_BASE_URL", base.to_owned()),
        ("HVS_SYSTEM_KEY", "SYS01".to_owned()),
        ("HVS_UNIQUE_CODE", "secret".to_owned()),
        ("HVS_USER_NAME", "api@SYS01".to_owned()),
        ("HVS_ALLOW_HTTP", "1".to_owned()),
    ])
}

#[tokio::test]
async fn the_full_flow_example_runs_against_the_loopback_server() {
    let (hvs, base) = start().await;
    let vars = example_vars(&base);
    let settings = full_flow::Settings::from_vars(|k| vars.get(k).cloned()).unwrap();
    assert_eq!(settings.wait, Duration::from_secs(3600));
    assert_eq!(settings.org, "HQ");
    let client = Client::with_clock(settings.config().unwrap(), FakeClock::new()).unwrap();

    hvs.script(STOCK, &[Answer::Rows]);
    hvs.script(PO_CREATE, &[Answer::Processed]);
    hvs.script(PO_SUBMIT, &[Answer::Accepted]);
    hvs.script(PO_RESULT, &[Answer::Pending, Answer::Processed]);
    let mut out = Vec::new();
    full_flow::run(&client, &settings, &mut out).await.unwrap();
    let out = String::from_utf8(out).unwrap();
    println!("{out}");
    assert!(out.contains("API230DLF stock: 1 rows"), "{out}");
    assert!(out.contains("API010COF purchase order"), "{out}");
    assert!(out.contains("API010COB purchase order"), "{out}");
    assert_eq!(hvs.calls(STOCK)[0]["org_Value"], "HQ");
    assert_eq!(
        (
            hvs.hits(PO_CREATE),
            hvs.hits(PO_SUBMIT),
            hvs.hits(PO_RESULT)
        ),
        (1, 1, 2)
    );

    // A create HVS could not parse is a failure of the flow.
    hvs.script(STOCK, &[Answer::NoData]);
    hvs.script(PO_CREATE, &[Answer::ParseError]);
    let failure = full_flow::run(&client, &settings, &mut Vec::new())
        .await
        .unwrap_err();
    assert!(
        failure
            .to_string()
            .contains("was not created (parse_error)"),
        "{failure}"
    );
}

#[test]
fn the_full_flow_example_names_every_missing_setting() {
    let err = full_flow::Settings::from_vars(|_| None).unwrap_err();
    assert_eq!(
        err,
        "missing environment variables: HVS_BASE_URL, HVS_SYSTEM_KEY, HVS_UNIQUE_CODE, \
         HVS_USER_NAME"
    );
    let mut vars = example_vars("http://127.0.0.1:9");
    vars.insert("HVS_WAIT_SECS", "soon".into());
    let err = full_flow::Settings::from_vars(|k| vars.get(k).cloned()).unwrap_err();
    assert!(err.contains("HVS_WAIT_SECS"), "{err}");
}
