//! The HVS token: the login body, reading `exp` from the JWT, and the single-flight
//! cache that keeps the rate-limited token endpoint quiet.
//!
//! HVS issues HS512 JWTs that live 60 minutes and has no refresh endpoint, so the
//! client logs in again shortly before `exp`. The cache is one `tokio` mutex: a caller
//! that finds the token missing or near its end logs in while holding the lock, and
//! every caller queued behind it re-checks the cache and finds the fresh token. So any
//! number of concurrent calls on a cold or expiring cache make exactly one token call.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use super::clock::Clock;
use super::config::{Credentials, TokenParameters};
use super::error::{body_excerpt, Error};

/// Path of the token call, below the base URL.
pub(crate) const TOKEN_PATH: &str = "api/v1/auth/tokens";

/// Lifetime assumed for a token whose `exp` cannot be read: HVS tokens live 60 minutes.
const ASSUMED_LIFETIME: Duration = Duration::from_secs(60 * 60);

/// Shortest time a freshly fetched token is used before the cache asks for another,
/// whatever its `exp` says. A token whose `exp` already lies within the refresh margin
/// (a skewed clock, a short-lived token) would otherwise cost one token call per
/// business call; if the server really rejects it, the 401 path logs in again.
const MIN_REUSE: Duration = Duration::from_secs(30);

/// A bearer token. Its `Debug` output is redacted; only the transport reads it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct BearerToken(Arc<str>);

impl BearerToken {
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BearerToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The JSON body of the token call, in the wire's field names.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct TokenRequest<'a> {
    system_key: &'a str,
    unique_code: &'a str,
    user_name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    parameters: Option<&'a TokenParameters>,
}

impl<'a> TokenRequest<'a> {
    pub(crate) fn new(credentials: &'a Credentials) -> Self {
        Self {
            system_key: &credentials.system_key,
            unique_code: credentials.unique_code.expose(),
            user_name: &credentials.user_name,
            parameters: credentials.parameters.as_ref(),
        }
    }
}

/// Reads `{"token": "<JWT>"}`, ignoring any other field newer servers add.
pub(crate) fn parse_token_answer(body: &[u8]) -> Result<BearerToken, Error> {
    #[derive(Deserialize)]
    struct Answer {
        token: String,
    }
    let decode = |message: String| Error::Decode {
        code: None,
        message,
    };
    let answer: Answer = serde_json::from_slice(body).map_err(|e| decode(e.to_string()))?;
    let token = answer.token.trim();
    if token.is_empty() {
        return Err(decode("the token is empty".to_owned()));
    }
    // The token goes into an `Authorization` header; refuse one that cannot.
    if !token.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(decode(
            "the token holds characters a header cannot carry".to_owned(),
        ));
    }
    Ok(BearerToken(Arc::from(token)))
}

/// Reads the 401 answer of a refused login, `{title, status, detail}`; a body of
/// another shape becomes the detail.
pub(crate) fn parse_login_refusal(status: u16, body: &[u8], secrets: &[&str]) -> Error {
    let value: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let field = |name: &str| {
        value
            .as_ref()
            .and_then(|v| v.get(name))
            .and_then(serde_json::Value::as_str)
            .map(|s| body_excerpt(s.as_bytes(), secrets))
    };
    match (field("title"), field("detail")) {
        (None, None) => Error::Auth {
            status,
            title: "unauthorized".to_owned(),
            detail: if body.is_empty() {
                String::new()
            } else {
                body_excerpt(body, secrets)
            },
        },
        (title, detail) => Error::Auth {
            status,
            title: title.unwrap_or_default(),
            detail: detail.unwrap_or_default(),
        },
    }
}

/// The `exp` claim of a JWT, or `None` when the token is not a readable JWT.
pub(crate) fn jwt_expiry(token: &str) -> Option<SystemTime> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = claims.get("exp")?;
    let seconds = match (exp.as_u64(), exp.as_f64()) {
        (Some(whole), _) => whole,
        (None, Some(fraction)) if fraction.is_finite() && fraction >= 0.0 => fraction as u64,
        _ => exp.as_str()?.trim().parse().ok()?,
    };
    UNIX_EPOCH.checked_add(Duration::from_secs(seconds))
}

#[derive(Clone)]
struct CachedToken {
    token: BearerToken,
    refresh_at: SystemTime,
}

/// When a token fetched at `fetched_at` should be replaced: `margin` before its `exp`
/// (or before `fetched_at` + 60 min if `exp` is unreadable), but not before half its
/// remaining life, nor before [`MIN_REUSE`] has passed.
fn refresh_time(token: &BearerToken, fetched_at: SystemTime, margin: Duration) -> SystemTime {
    let expires_at = jwt_expiry(token.expose()).unwrap_or_else(|| {
        fetched_at
            .checked_add(ASSUMED_LIFETIME)
            .unwrap_or(fetched_at)
    });
    let by_margin = expires_at.checked_sub(margin).unwrap_or(fetched_at);
    let life = expires_at.duration_since(fetched_at).unwrap_or_default();
    let floor = fetched_at
        .checked_add((life / 2).max(MIN_REUSE))
        .unwrap_or(fetched_at);
    by_margin.max(floor)
}

/// The cached token behind its single-flight lock.
#[derive(Default)]
pub(crate) struct TokenCache {
    slot: Mutex<Option<CachedToken>>,
}

impl TokenCache {
    /// A token that is not due for refresh, fetching one with `fetch` when needed.
    ///
    /// `rejected` is a token the server has just answered 401 to: it is dropped if it is
    /// still the cached one, so of many callers rejected together only the first logs in.
    pub(crate) async fn get<F, Fut>(
        &self,
        clock: &dyn Clock,
        margin: Duration,
        rejected: Option<&BearerToken>,
        fetch: F,
    ) -> Result<BearerToken, Error>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<BearerToken, Error>>,
    {
        let mut slot = self.slot.lock().await;
        if let (Some(rejected), Some(cached)) = (rejected, slot.as_ref()) {
            if cached.token == *rejected {
                tracing::debug!("dropping the token the server rejected");
                *slot = None;
            }
        }
        if let Some(cached) = slot.as_ref() {
            if clock.now() < cached.refresh_at {
                return Ok(cached.token.clone());
            }
        }
        // Measured before the call, so a slow login errs toward refreshing early.
        let fetched_at = clock.now();
        let token = fetch().await?;
        let refresh_at = refresh_time(&token, fetched_at, margin);
        tracing::debug!(
            refresh_in_s = refresh_at
                .duration_since(fetched_at)
                .unwrap_or_default()
                .as_secs(),
            "cached a new token"
        );
        *slot = Some(CachedToken {
            token: token.clone(),
            refresh_at,
        });
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!(
            "eyJhbGciOiJIUzUxMiJ9.{}.c2ln",
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn reads_exp_in_its_forms() {
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":1700000000,"sub":"x"}"#)),
            Some(at(1_700_000_000))
        );
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":1700000000.5}"#)),
            Some(at(1_700_000_000))
        );
        assert_eq!(
            jwt_expiry(&jwt(r#"{"exp":"1700000000"}"#)),
            Some(at(1_700_000_000))
        );
        for bad in [
            "",
            "a.b",
            "a.!!.c",
            &jwt("not json"),
            &jwt(r#"{"exp":-1}"#),
            &jwt("{}"),
        ] {
            assert_eq!(jwt_expiry(bad), None, "{bad}");
        }
    }

    #[test]
    fn refresh_time_follows_margin_with_floors() {
        let margin = Duration::from_secs(300);
        let t = |s: &str| BearerToken(Arc::from(s));
        let now = 1_700_000_000;
        // A normal 60-minute token: refresh 5 minutes before exp.
        let normal = t(&jwt(&format!(r#"{{"exp":{}}}"#, now + 3600)));
        assert_eq!(refresh_time(&normal, at(now), margin), at(now + 3300));
        // Unreadable exp: assume 60 minutes.
        assert_eq!(refresh_time(&t("opaque"), at(now), margin), at(now + 3300));
        // Already within the margin: keep it for half its life.
        let short = t(&jwt(&format!(r#"{{"exp":{}}}"#, now + 240)));
        assert_eq!(refresh_time(&short, at(now), margin), at(now + 120));
        // Expired by our clock: keep it for MIN_REUSE.
        let stale = t(&jwt(&format!(r#"{{"exp":{}}}"#, now - 10)));
        assert_eq!(refresh_time(&stale, at(now), margin), at(now + 30));
    }

    #[test]
    fn token_answers_and_refusals() {
        assert_eq!(
            parse_token_answer(br#"{"token":"a.b.c","extra":1}"#)
                .unwrap()
                .expose(),
            "a.b.c"
        );
        assert!(matches!(
            parse_token_answer(br#"{"token":""}"#),
            Err(Error::Decode { .. })
        ));
        assert!(matches!(
            parse_token_answer(b"<html>"),
            Err(Error::Decode { .. })
        ));
        let refusal = br#"{"title":"Authenticate error","status":401,"detail":"Invalid User ID or Password"}"#;
        let err = parse_login_refusal(401, refusal, &[]);
        assert_eq!(
            err.to_string(),
            "login failed: Authenticate error: Invalid User ID or Password"
        );
        let err = parse_login_refusal(401, b"", &[]);
        assert_eq!(err.to_string(), "login failed: unauthorized");
    }
}
