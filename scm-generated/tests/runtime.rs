//! Behaviour of the runtime through its public API, against a real HTTP server on
//! loopback that plays HVS: it issues JWTs, counts token calls, and answers business
//! calls from a per-path script of statuses.

use std::collections::{HashMap, VecDeque};
use std::io::Write;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use axum::Router;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use scm_generated::runtime::{Clock, RetryPolicy, Sleep, TokenParameters};
use scm_generated::{Client, ClientConfig, Credentials, Error};
use serde_json::{json, Value};

const UNIQUE_CODE: &str = "uNiQuE-SeCrEt-4711";
const QUERY: &str = "API230DLF";
const CREATE: &str = "API230COF";

/// The fake HVS server's state and counters.
#[derive(Default)]
struct Hvs {
    token_requests: AtomicUsize,
    /// Every token issued, in order.
    issued: Mutex<Vec<String>>,
    /// Tokens issued before this index are void (a server restart).
    valid_from: AtomicUsize,
    /// `exp` of the next token, in Unix seconds; 0 means "one hour from now".
    next_exp: AtomicU64,
    /// Delay of the token call, to widen the window for concurrent callers.
    login_delay_ms: AtomicU64,
    /// When set, the token call answers 401 with this `detail`.
    refuse_login: Mutex<Option<String>>,
    /// Per slug, statuses to answer before answering 200; `{auth}` in a body is
    /// replaced by the request's `Authorization` header.
    scripts: Mutex<HashMap<String, VecDeque<(u16, String)>>>,
    hits: Mutex<HashMap<String, usize>>,
}

impl Hvs {
    fn script(&self, slug: &str, answers: &[(u16, &str)]) {
        let queue = answers.iter().map(|(s, b)| (*s, (*b).to_owned())).collect();
        self.scripts.lock().unwrap().insert(slug.to_owned(), queue);
    }

    fn hits(&self, slug: &str) -> usize {
        self.hits.lock().unwrap().get(slug).copied().unwrap_or(0)
    }

    fn tokens(&self) -> usize {
        self.token_requests.load(Ordering::SeqCst)
    }
}

fn jwt(exp: u64, n: usize) -> String {
    let header = URL_SAFE_NO_PAD.encode(r#"{"alg":"HS512","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(format!(r#"{{"exp":{exp},"sub":"api","n":{n}}}"#));
    format!("{header}.{payload}.SIG-SECRET-{n}-zz")
}

async fn token_call(State(hvs): State<Arc<Hvs>>, body: Bytes) -> (StatusCode, String) {
    hvs.token_requests.fetch_add(1, Ordering::SeqCst);
    let delay = hvs.login_delay_ms.load(Ordering::SeqCst);
    if delay > 0 {
        tokio::time::sleep(Duration::from_millis(delay)).await;
    }
    let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let refusal = hvs.refuse_login.lock().unwrap().clone();
    if request["uniqueCode"] != UNIQUE_CODE || request["systemKey"] != "SYS01" || refusal.is_some()
    {
        let detail = refusal.unwrap_or_else(|| "Invalid User ID or Password".to_owned());
        let body = json!({"title": "Authenticate error", "status": 401, "detail": detail});
        return (StatusCode::UNAUTHORIZED, body.to_string());
    }
    let exp = match hvs.next_exp.load(Ordering::SeqCst) {
        0 => {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap()
                .as_secs()
                + 3600
        }
        exp => exp,
    };
    let mut issued = hvs.issued.lock().unwrap();
    let token = jwt(exp, issued.len());
    issued.push(token.clone());
    (
        StatusCode::OK,
        json!({"token": token, "newServerField": true}).to_string(),
    )
}

async fn process_call(
    State(hvs): State<Arc<Hvs>>,
    Path(slug): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> (StatusCode, String) {
    *hvs.hits.lock().unwrap().entry(slug.clone()).or_default() += 1;
    assert_eq!(headers["content-type"], "application/json");
    assert_eq!(headers["accept"], "application/json");
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let token_index = {
        let issued = hvs.issued.lock().unwrap();
        let presented = auth.strip_prefix("Bearer ").unwrap_or("");
        issued.iter().position(|t| t == presented)
    };
    match token_index {
        Some(i) if i >= hvs.valid_from.load(Ordering::SeqCst) => {}
        _ => return (StatusCode::UNAUTHORIZED, String::new()),
    }
    let scripted = hvs
        .scripts
        .lock()
        .unwrap()
        .get_mut(&slug)
        .and_then(VecDeque::pop_front);
    if let Some((status, text)) = scripted {
        return (
            StatusCode::from_u16(status).unwrap(),
            text.replace("{auth}", auth),
        );
    }
    let request: Value = serde_json::from_slice(&body).unwrap();
    let answer = json!({
        "requestId": request["requestId"],
        "requestResult": "1",
        "tokenIndex": token_index,
    });
    (StatusCode::OK, answer.to_string())
}

async fn start(hvs: Arc<Hvs>) -> String {
    let app = Router::new()
        .route("/api/v1/auth/tokens", post(token_call))
        .route("/api/v1/processes/{slug}", post(process_call))
        .with_state(hvs);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}")
}

fn credentials() -> Credentials {
    Credentials::new("SYS01", UNIQUE_CODE, "api@SYS01").with_parameters(TokenParameters {
        client_id: 11,
        role_id: 102,
        organization_id: 11,
        warehouse_id: None,
    })
}

fn config(base: &str) -> ClientConfig {
    ClientConfig::builder(base, credentials())
        .allow_http(true)
        .retry_policy(RetryPolicy::new(
            3,
            Duration::from_millis(5),
            Duration::from_millis(20),
        ))
        .build()
        .unwrap()
}

/// A clock the test moves by hand; sleeps finish at once and move it forward.
struct FakeClock {
    now: Mutex<SystemTime>,
    slept: Mutex<Vec<Duration>>,
}

impl FakeClock {
    fn at(unix_seconds: u64) -> Arc<Self> {
        Arc::new(Self {
            now: Mutex::new(UNIX_EPOCH + Duration::from_secs(unix_seconds)),
            slept: Mutex::new(Vec::new()),
        })
    }

    fn advance(&self, by: Duration) {
        *self.now.lock().unwrap() += by;
    }
}

impl Clock for FakeClock {
    fn now(&self) -> SystemTime {
        *self.now.lock().unwrap()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        self.slept.lock().unwrap().push(duration);
        self.advance(duration);
        Box::pin(async {})
    }
}

fn envelope(request_id: &str) -> Value {
    json!({"requestId": request_id, "requestTime": "2024-05-01 12:00:00"})
}

fn path(slug: &str) -> String {
    format!("/api/v1/processes/{slug}")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_cold_calls_make_one_token_request() {
    captured_logs();
    let hvs = Arc::new(Hvs::default());
    hvs.login_delay_ms.store(200, Ordering::SeqCst);
    let client = Client::new(config(&start(hvs.clone()).await)).unwrap();
    let calls: Vec<_> = (0..100)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .call(QUERY, &path("q"), envelope(&format!("req-{i}")), true)
                    .await
            })
        })
        .collect();
    for call in calls {
        let answer = call.await.unwrap().unwrap();
        assert_eq!(answer["requestResult"], "1");
    }
    println!(
        "token requests for 100 concurrent cold calls: {}",
        hvs.tokens()
    );
    assert_eq!(hvs.tokens(), 1);
    assert_eq!(hvs.hits("q"), 100);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_calls_rejected_together_log_in_once() {
    captured_logs();
    let hvs = Arc::new(Hvs::default());
    hvs.login_delay_ms.store(100, Ordering::SeqCst);
    let client = Client::new(config(&start(hvs.clone()).await)).unwrap();
    client
        .call(QUERY, &path("q"), envelope("warm"), true)
        .await
        .unwrap();
    hvs.valid_from.store(1, Ordering::SeqCst); // a server restart voids token 0
    let calls: Vec<_> = (0..50)
        .map(|i| {
            let client = client.clone();
            tokio::spawn(async move {
                client
                    .call(CREATE, &path("c"), envelope(&i.to_string()), false)
                    .await
            })
        })
        .collect();
    for call in calls {
        assert_eq!(call.await.unwrap().unwrap()["tokenIndex"], 1);
    }
    println!(
        "token requests after 50 concurrent 401s: {}",
        hvs.tokens() - 1
    );
    assert_eq!(hvs.tokens(), 2);
}

#[tokio::test]
async fn b_a_token_near_its_exp_is_refreshed_before_it_expires() {
    captured_logs();
    const T0: u64 = 1_700_000_000;
    let hvs = Arc::new(Hvs::default());
    hvs.next_exp.store(T0 + 600, Ordering::SeqCst); // lives 10 minutes; margin is 5
    let clock = FakeClock::at(T0);
    let client = Client::with_clock(config(&start(hvs.clone()).await), clock.clone()).unwrap();

    let first = client
        .call(QUERY, &path("q"), envelope("1"), true)
        .await
        .unwrap();
    assert_eq!((hvs.tokens(), first["tokenIndex"].clone()), (1, json!(0)));

    clock.advance(Duration::from_secs(299)); // now + margin = exp - 1: still fresh
    let second = client
        .call(QUERY, &path("q"), envelope("2"), true)
        .await
        .unwrap();
    assert_eq!((hvs.tokens(), second["tokenIndex"].clone()), (1, json!(0)));

    hvs.next_exp.store(T0 + 300 + 3600, Ordering::SeqCst);
    clock.advance(Duration::from_secs(1)); // now + margin = exp: refresh, 5 min early
    let third = client
        .call(QUERY, &path("q"), envelope("3"), true)
        .await
        .unwrap();
    assert_eq!((hvs.tokens(), third["tokenIndex"].clone()), (2, json!(1)));
    assert!(clock.now() < UNIX_EPOCH + Duration::from_secs(T0 + 600));

    clock.advance(Duration::from_secs(3000)); // the new token is good for 55 minutes
    client
        .call(QUERY, &path("q"), envelope("4"), true)
        .await
        .unwrap();
    assert_eq!(hvs.tokens(), 2);
}

#[tokio::test]
async fn c_a_401_on_a_business_call_logs_in_again_and_retries_once() {
    captured_logs();
    #[derive(serde::Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Create {
        request_id: String,
        request_time: String,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Created {
        request_result: String,
        token_index: usize,
    }
    let hvs = Arc::new(Hvs::default());
    let client = Client::new(config(&start(hvs.clone()).await)).unwrap();
    client
        .call(CREATE, &path("c"), envelope("1"), false)
        .await
        .unwrap();
    assert_eq!((hvs.tokens(), hvs.hits("c")), (1, 1));

    hvs.valid_from.store(1, Ordering::SeqCst); // the server restarted: token 0 is void
    let body = Create {
        request_id: "2".into(),
        request_time: "2024-05-01 12:00:00".into(),
    };
    let created: Created = client
        .call_typed(CREATE, &path("c"), &body, false)
        .await
        .unwrap();
    assert_eq!(
        (created.request_result.as_str(), created.token_index),
        ("1", 1)
    );
    assert_eq!((hvs.tokens(), hvs.hits("c")), (2, 3));

    // A server that keeps refusing: one re-login, one retry, then the 401 is reported.
    hvs.valid_from.store(usize::MAX, Ordering::SeqCst);
    let err = client
        .call(CREATE, &path("c"), envelope("3"), false)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Status { status: 401, .. }), "{err:?}");
    assert_eq!(
        err.to_string(),
        "API230COF: HVS answered HTTP 401: (empty body)"
    );
    assert_eq!((hvs.tokens(), hvs.hits("c")), (3, 5));
}

#[tokio::test]
async fn d_a_refused_login_is_an_auth_error() {
    captured_logs();
    let hvs = Arc::new(Hvs::default());
    let base = start(hvs.clone()).await;
    let wrong = Credentials::new("SYS01", "not-the-code", "api@SYS01");
    let config = ClientConfig::builder(base, wrong)
        .allow_http(true)
        .build()
        .unwrap();
    let client = Client::new(config).unwrap();
    let err = client
        .call(QUERY, &path("q"), envelope("1"), true)
        .await
        .unwrap_err();
    let Error::Auth {
        status,
        title,
        detail,
    } = &err
    else {
        panic!("not an auth error: {err:?}")
    };
    assert_eq!((*status, title.as_str()), (401, "Authenticate error"));
    assert_eq!(detail, "Invalid User ID or Password");
    let text = err.to_string();
    println!("{text}");
    assert!(text.contains("Authenticate error") && text.contains("Invalid User ID or Password"));
    assert_eq!(
        text,
        "login failed: Authenticate error: Invalid User ID or Password"
    );
    // A refusal is final: not retried, and no business call was made.
    assert_eq!((hvs.tokens(), hvs.hits("q")), (1, 0));
}

#[tokio::test]
async fn e_queries_are_retried_after_a_503_and_creates_are_not() {
    captured_logs();
    let hvs = Arc::new(Hvs::default());
    let clock = FakeClock::at(1_700_000_000);
    let client = Client::with_clock(config(&start(hvs.clone()).await), clock.clone()).unwrap();

    hvs.script("q", &[(503, "busy")]);
    let answer = client
        .call(QUERY, &path("q"), envelope("1"), true)
        .await
        .unwrap();
    assert_eq!(answer["requestResult"], "1");
    assert_eq!(hvs.hits("q"), 2);
    assert_eq!(clock.slept.lock().unwrap().len(), 1);

    hvs.script("c", &[(503, "busy"), (503, "busy"), (503, "busy")]);
    let err = client
        .call(CREATE, &path("c"), envelope("2"), false)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Status { status: 503, .. }), "{err:?}");
    assert_eq!(err.to_string(), "API230COF: HVS answered HTTP 503: busy");
    println!("create hits after a 503: {}", hvs.hits("c"));
    assert_eq!(hvs.hits("c"), 1);
    assert_eq!(clock.slept.lock().unwrap().len(), 1);

    // Retries are bounded: three attempts, waits within the policy, then the error.
    hvs.script("q2", &[(500, "a"), (429, "b"), (502, "c"), (500, "d")]);
    let err = client
        .call(QUERY, &path("q2"), envelope("3"), true)
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "API230DLF: HVS answered HTTP 502: c");
    assert_eq!(hvs.hits("q2"), 3);
    let slept = clock.slept.lock().unwrap().clone();
    assert_eq!(slept.len(), 3);
    assert!(
        slept.iter().all(|d| *d <= Duration::from_millis(20)),
        "{slept:?}"
    );

    // A query to an address where nothing listens is a transport error, after retries.
    let dead = config("http://127.0.0.1:9"); // discard port: nothing listens there
    let client = Client::with_clock(dead, clock.clone()).unwrap();
    let err = client
        .call(QUERY, &path("q"), envelope("4"), true)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    println!("{err}");
    assert!(
        err.to_string().starts_with("login: could not reach HVS: "),
        "{err}"
    );
    assert_eq!(clock.slept.lock().unwrap().len(), 5);
}

/// A `MakeWriter` collecting everything `tracing` writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Everything any test in this file logs, at TRACE level.
///
/// One global subscriber, installed by every test before it makes a call: a subscriber
/// set per test with `set_default` misses events whose callsites other tests, running
/// at the same time without one, have already registered.
fn captured_logs() -> Captured {
    static CAPTURED: OnceLock<Captured> = OnceLock::new();
    CAPTURED
        .get_or_init(|| {
            let captured = Captured::default();
            let subscriber = tracing_subscriber::fmt()
                .with_max_level(tracing::Level::TRACE)
                .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
                .with_writer(captured.clone())
                .finish();
            tracing::subscriber::set_global_default(subscriber).unwrap();
            captured
        })
        .clone()
}

#[tokio::test]
async fn f_no_secret_or_token_in_debug_errors_or_logs() {
    let captured = captured_logs();
    let hvs = Arc::new(Hvs::default());
    let base = start(hvs.clone()).await;
    let client = Client::new(config(&base)).unwrap();
    client
        .call(QUERY, &path("q"), envelope("req-visible-1"), true)
        .await
        .unwrap();
    hvs.valid_from.store(1, Ordering::SeqCst);
    client
        .call(QUERY, &path("q"), envelope("req-visible-2"), true)
        .await
        .unwrap();
    // A server that echoes the Authorization header in its error body.
    hvs.script("echo", &[(500, "rejected {auth}")]);
    let status = client
        .call(CREATE, &path("echo"), envelope("3"), false)
        .await
        .unwrap_err();
    // A refused login that echoes the secret in its detail.
    *hvs.refuse_login.lock().unwrap() = Some(format!("bad code {UNIQUE_CODE}"));
    let refused = Client::new(config(&base)).unwrap();
    let auth = refused
        .call(QUERY, &path("q"), envelope("4"), true)
        .await
        .unwrap_err();
    let config_err = ClientConfig::builder("http://x", credentials())
        .build()
        .unwrap_err();

    let tokens = hvs.issued.lock().unwrap().clone();
    assert_eq!(tokens.len(), 2);
    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // Every token of every test in this file has a signature starting like this one.
    assert!(
        !logs.contains("SIG-SECRET-"),
        "a token signature was logged: {logs}"
    );
    let shown = [
        format!("{client:?}"),
        format!("{:?}", client.config()),
        format!("{:?}", credentials()),
        format!(
            "{:?} {}",
            credentials().unique_code,
            credentials().unique_code
        ),
        format!("{status:?} {status}"),
        format!("{auth:?} {auth}"),
        format!("{config_err:?} {config_err}"),
        logs.clone(),
    ];
    for text in &shown {
        assert!(!text.contains(UNIQUE_CODE), "secret shown in: {text}");
        for token in &tokens {
            assert!(!text.contains(token.as_str()), "token shown in: {text}");
            let signature = token.rsplit('.').next().unwrap();
            assert!(
                !text.contains(signature),
                "token signature shown in: {text}"
            );
        }
    }
    assert!(
        status.to_string().contains("rejected Bearer <redacted>"),
        "{status}"
    );
    assert!(auth.to_string().contains("bad code <redacted>"), "{auth}");
    // The capture did see the calls.
    assert!(logs.contains("hvs.call"), "{logs}");
    assert!(
        logs.contains("code=\"API230DLF\"") || logs.contains("code=API230DLF"),
        "{logs}"
    );
    assert!(
        logs.contains("req-visible-1") && logs.contains("outcome"),
        "{logs}"
    );
    // One span per call carries the attempt, the duration and the outcome; the runtime
    // logs nothing at info level or above.
    assert!(
        logs.contains("attempt") && logs.contains("duration_ms"),
        "{logs}"
    );
    let ours: Vec<&str> = logs
        .lines()
        .filter(|l| l.contains("scm_generated"))
        .collect();
    assert!(
        ours.iter().any(|l| l.contains(" DEBUG ")),
        "no debug line of ours captured"
    );
    for line in ours {
        for level in [" INFO ", " WARN ", " ERROR "] {
            assert!(!line.contains(level), "logged above debug: {line}");
        }
    }
    println!(
        "captured {} bytes of TRACE output, no secret in it",
        logs.len()
    );
}

#[tokio::test]
async fn g_http_urls_need_allow_http() {
    captured_logs();
    let err = ClientConfig::builder("http://127.0.0.1:8080", credentials())
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config { .. }), "{err:?}");
    assert!(err.to_string().contains("allow_http"), "{err}");
    let allowed = ClientConfig::builder("http://127.0.0.1:8080", credentials())
        .allow_http(true)
        .build();
    assert!(allowed.is_ok());
    let https = ClientConfig::builder("https://hvs.example.com/prefix/", credentials())
        .build()
        .unwrap();
    assert_eq!(https.base_url().as_str(), "https://hvs.example.com/prefix/");
    assert!(Client::new(https).is_ok());
}
