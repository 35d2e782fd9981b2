//! `Client::request_token` checks a set of credentials at the token endpoint, apart from
//! the token the client caches for its own calls.

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::{Json, Router};
use scm_generated::{Client, ClientConfig, Credentials, Error, RequestTokenOutcome, TokenRequest};
use serde_json::{json, Value};

async fn tokens(headers: HeaderMap, Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    assert!(
        headers.get("authorization").is_none(),
        "the token call carries no bearer"
    );
    if body["uniqueCode"] == "right" {
        (
            StatusCode::OK,
            Json(json!({ "token": "a.b.c", "extra": 1 })),
        )
    } else {
        let refusal = json!({ "title": "Authenticate error", "status": 401, "detail": "Invalid User ID or Password" });
        (StatusCode::UNAUTHORIZED, Json(refusal))
    }
}

async fn client() -> Client {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new().route("/api/v1/auth/tokens", post(tokens));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let config = ClientConfig::builder(url, Credentials::new("SYS", "unused", "u@SYS"))
        .allow_http(true)
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

#[tokio::test]
async fn issued_and_refused_are_outcomes() {
    let client = client().await;
    let ok = TokenRequest::new("SYS".into(), "right".into(), "u@SYS".into());
    match client.request_token(ok).await.unwrap() {
        RequestTokenOutcome::Issued(reply) => {
            assert_eq!(reply.token, "a.b.c");
            assert!(
                !format!("{reply:?}").contains("a.b.c"),
                "the token never shows in Debug"
            );
        }
        other => panic!("expected issued, got {other:?}"),
    }
    let bad = TokenRequest::new("SYS".into(), "wrong".into(), "u@SYS".into());
    match client.request_token(bad).await.unwrap() {
        RequestTokenOutcome::Refused(f) => assert_eq!(f.detail, "Invalid User ID or Password"),
        other => panic!("expected refused, got {other:?}"),
    }
}

#[tokio::test]
async fn an_overlong_system_key_is_not_sent() {
    let client = client().await;
    let request = TokenRequest::new("S".repeat(41), "right".into(), "u@SYS".into());
    let err = client.request_token(request).await.unwrap_err();
    assert!(matches!(err, Error::Validation { .. }));
    assert_eq!(
        err.to_string(),
        "token: 1 invalid field: systemKey: longer than 40 characters (41)"
    );
}

#[tokio::test]
async fn a_function_code_as_a_type_calls_the_same_endpoint() {
    use scm_generated::{api, Function};
    assert_eq!(api::Token::SPEC.path, "/api/v1/auth/tokens");
    assert_eq!(
        api::API010COF::SPEC.path,
        "/api/v1/processes/importpurchaseorder_co_f"
    );
    let retried = [api::API230DLF::SPEC, api::API010COF::SPEC].map(|s| s.safe_to_retry);
    assert_eq!(retried, [true, false], "queries are retried, creates never");
    let client = client().await;
    let ok = TokenRequest::new("SYS".into(), "right".into(), "u@SYS".into());
    let outcome = client.execute::<api::Token>(&ok).await.unwrap();
    assert!(matches!(outcome, RequestTokenOutcome::Issued(_)));
}
