//! The [`Client`]: HTTP exchanges with HVS, the token on each call, the one re-login
//! after a 401, and retries of calls that are safe to repeat.

use std::collections::hash_map::RandomState;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE, RETRY_AFTER};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tracing::Instrument as _;
use url::Url;

use super::auth::{self, BearerToken, TokenCache, TokenRequest};
use super::clock::{Clock, SystemClock};
use super::config::ClientConfig;
use super::error::{body_excerpt, Error, MAX_BODY_EXCERPT};

/// Largest successful answer the client reads, in bytes; a longer one is an
/// [`Error::Decode`] rather than an unbounded allocation.
pub const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

/// How much of a failed answer is read: enough to scrub secrets before cutting it to
/// [`MAX_BODY_EXCERPT`].
const MAX_ERROR_BODY_READ: usize = 4 * MAX_BODY_EXCERPT;

/// A client for the HVS open API.
///
/// Cheap to clone (the clones share one connection pool and one token cache) and
/// usable from many tasks at once. The token is fetched on the first call, cached, and
/// replaced shortly before it expires; concurrent callers share one login.
///
/// ```no_run
/// use scm_generated::{Client, ClientConfig, Credentials};
/// use serde_json::json;
///
/// # async fn demo() -> Result<(), scm_generated::Error> {
/// let credentials = Credentials::new("SYS01", "unique-code", "api@SYS01");
/// let client = Client::new(ClientConfig::builder("https://hvs.example.com", credentials).build()?)?;
/// let body = json!({ "requestId": "3f1c…", "requestTime": "2024-05-01 12:00:00" });
/// let answer = client.call("API230DLF", "/api/v1/processes/some_slug", body, true).await?;
/// # let _ = answer; Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: ClientConfig,
    http: reqwest::Client,
    clock: Arc<dyn Clock>,
    tokens: TokenCache,
    token_url: Url,
}

/// A complete HTTP answer: status, wanted delay, and (part of) the body.
struct Answer {
    status: StatusCode,
    retry_after: Option<Duration>,
    body: Vec<u8>,
}

impl Client {
    /// A client using the system clock.
    ///
    /// # Errors
    /// [`Error::Config`] when the HTTP stack cannot be set up (for instance, no TLS
    /// provider).
    pub fn new(config: ClientConfig) -> Result<Self, Error> {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    /// A client judging token expiry and waiting between retries with `clock`.
    ///
    /// # Errors
    /// As [`Client::new`].
    pub fn with_clock(config: ClientConfig, clock: Arc<dyn Clock>) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout())
            .timeout(config.request_timeout())
            .user_agent(config.user_agent())
            // HVS never redirects; following one could carry the token elsewhere.
            .redirect(reqwest::redirect::Policy::none())
            .https_only(!config.allow_http())
            .build()
            .map_err(|e| Error::config(format!("cannot set up HTTP: {}", describe(e))))?;
        let token_url = endpoint(config.base_url(), auth::TOKEN_PATH)?;
        let inner = Inner {
            config,
            http,
            clock,
            tokens: TokenCache::default(),
            token_url,
        };
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// The configuration this client was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The clock this client reads the time from and waits with.
    pub(crate) fn clock(&self) -> &dyn Clock {
        self.inner.clock.as_ref()
    }

    /// Calls the function `code` at `path` (such as `/api/v1/processes/<slug>`, taken
    /// relative to the base URL) with the JSON `body`, and returns the JSON answer.
    ///
    /// Set `safe_to_retry` for queries and result look-ups: those are retried after a
    /// connection error, HTTP 429 or 5xx, as the [`RetryPolicy`](super::RetryPolicy)
    /// allows. Calls that create or change documents must pass `false`: they are never
    /// repeated, since HVS may have processed a call whose answer was lost (ask the
    /// matching `NNF` function with the same `requestId` instead).
    ///
    /// Any call answered with HTTP 401 is repeated once after a fresh login: a server
    /// restart voids tokens before their `exp`, and a 401 means nothing was processed.
    ///
    /// # Errors
    /// [`Error::Auth`] and the `login`-prefixed errors when logging in fails;
    /// [`Error::Status`] for an answer other than HTTP 200; [`Error::Transport`] when HVS
    /// cannot be reached; [`Error::Decode`] when the answer is not JSON; [`Error::Config`]
    /// when `path` is unusable.
    pub async fn call(
        &self,
        code: &str,
        path: &str,
        body: serde_json::Value,
        safe_to_retry: bool,
    ) -> Result<serde_json::Value, Error> {
        let span = tracing::debug_span!(
            "hvs.call",
            code,
            request_id = tracing::field::Empty,
            attempt = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            outcome = tracing::field::Empty,
        );
        if let Some(request_id) = body.get("requestId").and_then(serde_json::Value::as_str) {
            span.record("request_id", request_id);
        }
        let started = Instant::now();
        let result = self
            .call_in_span(code, path, &body, safe_to_retry, &span)
            .instrument(span.clone())
            .await;
        span.record(
            "duration_ms",
            u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        );
        span.record("outcome", outcome(&result));
        let _entered = span.enter();
        tracing::debug!(outcome = outcome(&result), "call finished");
        result
    }

    /// [`Client::call`] with a typed request and answer.
    ///
    /// # Errors
    /// As [`Client::call`], plus [`Error::Encode`] when `body` does not serialize and
    /// [`Error::Decode`] when the answer does not fit `Resp`.
    pub async fn call_typed<Req, Resp>(
        &self,
        code: &str,
        path: &str,
        body: &Req,
        safe_to_retry: bool,
    ) -> Result<Resp, Error>
    where
        Req: Serialize + ?Sized,
        Resp: DeserializeOwned,
    {
        let body = serde_json::to_value(body).map_err(|e| Error::Encode {
            code: Some(code.to_owned()),
            message: e.to_string(),
        })?;
        let answer = self.call(code, path, body, safe_to_retry).await?;
        serde_json::from_value(answer).map_err(|e| Error::Decode {
            code: Some(code.to_owned()),
            message: e.to_string(),
        })
    }

    async fn call_in_span(
        &self,
        code: &str,
        path: &str,
        body: &serde_json::Value,
        safe_to_retry: bool,
        span: &tracing::Span,
    ) -> Result<serde_json::Value, Error> {
        let url = endpoint(self.inner.config.base_url(), path)?;
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Encode {
            code: Some(code.to_owned()),
            message: e.to_string(),
        })?;
        let mut attempt = 0;
        let mut token = self.token(None).await?;
        let mut answer = self
            .send(
                Some(code),
                &url,
                &bytes,
                Some(&token),
                safe_to_retry,
                &mut attempt,
                span,
            )
            .await?;
        if answer.status == StatusCode::UNAUTHORIZED {
            tracing::debug!("token rejected; logging in again and retrying once");
            token = self.token(Some(&token)).await?;
            answer = self
                .send(
                    Some(code),
                    &url,
                    &bytes,
                    Some(&token),
                    safe_to_retry,
                    &mut attempt,
                    span,
                )
                .await?;
        }
        if answer.status != StatusCode::OK {
            return Err(self.status_error(Some(code), &answer, Some(&token)));
        }
        serde_json::from_slice(&answer.body).map_err(|e| Error::Decode {
            code: Some(code.to_owned()),
            message: e.to_string(),
        })
    }

    /// The cached token, or a new one; see [`TokenCache::get`].
    async fn token(&self, rejected: Option<&BearerToken>) -> Result<BearerToken, Error> {
        let inner = &self.inner;
        let margin = inner.config.token_refresh_margin();
        inner
            .tokens
            .get(inner.clock.as_ref(), margin, rejected, || self.login())
            .await
    }

    /// The token call itself: `POST {base}/api/v1/auth/tokens`, retried like a query.
    /// Calls the token endpoint with `body` as given (its own credentials), without a bearer
    /// token and without touching the token this client caches. Returns the JSON answer of
    /// a login that succeeded (HTTP 200) or was refused (HTTP 401); the client's other calls
    /// log in by themselves, so this is for checking credentials.
    ///
    /// # Errors
    /// [`Error::Status`] for another HTTP status, [`Error::Transport`] when HVS cannot be
    /// reached, [`Error::Decode`] when the answer is not JSON.
    pub async fn call_token_endpoint(
        &self,
        body: &serde_json::Value,
    ) -> Result<serde_json::Value, Error> {
        let answer = self.token_exchange(body).await?;
        if answer.status != StatusCode::OK && answer.status != StatusCode::UNAUTHORIZED {
            return Err(self.status_error(None, &answer, None));
        }
        serde_json::from_slice(&answer.body).map_err(|e| Error::Decode {
            code: None,
            message: e.to_string(),
        })
    }

    async fn login(&self) -> Result<BearerToken, Error> {
        let request = TokenRequest::new(self.inner.config.credentials());
        let answer = self.token_exchange(&request).await?;
        match answer.status {
            StatusCode::OK => auth::parse_token_answer(&answer.body),
            StatusCode::UNAUTHORIZED => Err(auth::parse_login_refusal(
                answer.status.as_u16(),
                &answer.body,
                &self.secrets(None),
            )),
            _ => Err(self.status_error(None, &answer, None)),
        }
    }

    /// Posts `body` to the token endpoint in an `hvs.login` span, without a bearer token;
    /// a lost connection, 429 or 5xx is retried (logging in changes nothing on the server).
    async fn token_exchange<T: Serialize + ?Sized>(&self, body: &T) -> Result<Answer, Error> {
        let span = tracing::debug_span!("hvs.login", attempt = tracing::field::Empty);
        async {
            let bytes = serde_json::to_vec(body).map_err(|e| Error::Encode {
                code: None,
                message: e.to_string(),
            })?;
            let mut attempt = 0;
            let url = &self.inner.token_url;
            self.send(None, url, &bytes, None, true, &mut attempt, &span)
                .await
        }
        .instrument(span.clone())
        .await
    }

    /// One exchange, repeated while `safe_to_retry` and the policy allow, after a
    /// connection error, HTTP 429 or 5xx. Returns the last answer, whatever its status.
    #[allow(clippy::too_many_arguments)]
    async fn send(
        &self,
        code: Option<&str>,
        url: &Url,
        body: &[u8],
        token: Option<&BearerToken>,
        safe_to_retry: bool,
        attempt: &mut u32,
        span: &tracing::Span,
    ) -> Result<Answer, Error> {
        let policy = self.inner.config.retry_policy();
        let mut retries = 0;
        loop {
            *attempt += 1;
            span.record("attempt", *attempt);
            tracing::debug!(attempt = *attempt, "sending");
            let result = self.exchange(code, url, body, token).await;
            let transient = match &result {
                Ok(answer) => {
                    answer.status == StatusCode::TOO_MANY_REQUESTS
                        || answer.status.is_server_error()
                }
                Err(Error::Transport { .. }) => true,
                Err(_) => false,
            };
            if !(transient && safe_to_retry && retries + 1 < policy.max_attempts()) {
                return result;
            }
            retries += 1;
            let retry_after = result.as_ref().ok().and_then(|answer| answer.retry_after);
            let delay = policy.delay(retries, jitter(), retry_after);
            match &result {
                Ok(answer) => tracing::debug!(
                    status = answer.status.as_u16(),
                    delay_ms = delay.as_millis() as u64,
                    "retrying"
                ),
                Err(error) => {
                    tracing::debug!(%error, delay_ms = delay.as_millis() as u64, "retrying")
                }
            }
            self.inner.clock.sleep(delay).await;
        }
    }

    /// One HTTP exchange: POST `body` to `url`, read the status and (part of) the body.
    async fn exchange(
        &self,
        code: Option<&str>,
        url: &Url,
        body: &[u8],
        token: Option<&BearerToken>,
    ) -> Result<Answer, Error> {
        let transport = |e: reqwest::Error| Error::Transport {
            code: code.map(str::to_owned),
            timeout: e.is_timeout(),
            message: describe(e),
        };
        let json = HeaderValue::from_static("application/json");
        let mut request = self
            .inner
            .http
            .post(url.clone())
            .header(CONTENT_TYPE, json.clone())
            .header(ACCEPT, json)
            .body(body.to_vec());
        if let Some(token) = token {
            let mut value =
                HeaderValue::from_str(&format!("Bearer {}", token.expose())).map_err(|_| {
                    Error::Decode {
                        code: None,
                        message: "the token is not a valid header".into(),
                    }
                })?;
            value.set_sensitive(true);
            request = request.header(AUTHORIZATION, value);
        }
        let mut response = request.send().await.map_err(transport)?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let limit = if status == StatusCode::OK {
            MAX_RESPONSE_BYTES
        } else {
            MAX_ERROR_BODY_READ
        };
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            let room = limit.saturating_sub(body.len());
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if chunk.len() > room {
                if status == StatusCode::OK {
                    return Err(Error::Decode {
                        code: code.map(str::to_owned),
                        message: format!("the answer is longer than {MAX_RESPONSE_BYTES} bytes"),
                    });
                }
                // For an error, the start of the body is all that is shown.
                break;
            }
        }
        tracing::debug!(status = status.as_u16(), bytes = body.len(), "answered");
        Ok(Answer {
            status,
            retry_after,
            body,
        })
    }

    /// The texts that must never appear in an error: the secret, and the token in use.
    fn secrets<'a>(&'a self, token: Option<&'a BearerToken>) -> Vec<&'a str> {
        let mut secrets = vec![self.inner.config.credentials().unique_code.expose()];
        secrets.extend(token.map(BearerToken::expose));
        secrets
    }

    fn status_error(
        &self,
        code: Option<&str>,
        answer: &Answer,
        token: Option<&BearerToken>,
    ) -> Error {
        Error::Status {
            code: code.map(str::to_owned),
            status: answer.status.as_u16(),
            body: body_excerpt(&answer.body, &self.secrets(token)),
        }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// `path` below `base`, keeping any path prefix `base` has.
fn endpoint(base: &Url, path: &str) -> Result<Url, Error> {
    let relative = path.trim_start_matches('/');
    if relative.is_empty()
        || relative.contains(['?', '#'])
        || relative.split('/').any(|s| s == "..")
    {
        return Err(Error::config(format!(
            "call path {path:?} is not a plain path"
        )));
    }
    let joined = format!("{}/{relative}", base.as_str().trim_end_matches('/'));
    Url::parse(&joined)
        .map_err(|e| Error::config(format!("call path {path:?} does not form a url: {e}")))
}

/// A reqwest error and its causes on one line, without the URL.
fn describe(error: reqwest::Error) -> String {
    let error = error.without_url();
    let mut message = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        let text = cause.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = cause.source();
    }
    message
}

/// A uniformly distributed number in `[0, 1)`, random enough to spread retries and polls.
pub(super) fn jitter() -> f64 {
    let mut hasher = RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

fn outcome(result: &Result<serde_json::Value, Error>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(Error::Config { .. }) => "config_error",
        Err(Error::Auth { .. }) => "auth_error",
        Err(Error::Status { .. }) => "http_status",
        Err(Error::Transport { .. }) => "transport_error",
        Err(Error::Encode { .. }) => "encode_error",
        Err(Error::Decode { .. }) => "decode_error",
        Err(Error::Validation { .. }) => "invalid_request",
        Err(Error::Timeout { .. }) => "timeout",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_keep_the_base_prefix() {
        let base = Url::parse("https://h.example/hvs/").unwrap();
        assert_eq!(
            endpoint(&base, "/api/v1/x").unwrap().as_str(),
            "https://h.example/hvs/api/v1/x"
        );
        let bare = Url::parse("https://h.example").unwrap();
        assert_eq!(
            endpoint(&bare, "api/v1/x").unwrap().as_str(),
            "https://h.example/api/v1/x"
        );
        for bad in ["", "/", "a?b=1", "a#f", "../x"] {
            assert!(endpoint(&base, bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn jitter_is_in_range() {
        for _ in 0..1000 {
            let j = jitter();
            assert!((0.0..1.0).contains(&j));
        }
    }

    #[test]
    fn client_is_send_sync() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Client>();
    }
}
