//! Client configuration: where HVS lives, who logs in, and how patient the client is.
//!
//! Everything is set through [`ClientConfig::builder`]; [`ClientConfigBuilder::build`]
//! checks the values once, so a [`Client`](super::Client) never meets a bad setting at
//! call time. No `Debug` output of these types shows the `uniqueCode` secret.

use std::fmt;
use std::time::Duration;

use chrono::FixedOffset;
use serde::{Deserialize, Serialize};
use url::Url;

use super::error::Error;

/// A string that must not leak: its `Debug` and `Display` print `<redacted>`.
///
/// HVS calls the login secret `uniqueCode`. The value is only read by the token call;
/// use [`Secret::expose`] where the real text is needed.
///
/// ```
/// use scm_generated::runtime::Secret;
/// let secret = Secret::new("hunter2");
/// assert_eq!(format!("{secret:?} {secret}"), "<redacted> <redacted>");
/// assert_eq!(secret.expose(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret text itself. Never log or print it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// The optional `parameters` object of the token call: which iDempiere client, role,
/// organisation and warehouse the token is issued for.
///
/// HVS's pages do not list it; the vendor's sample client sends it. Without it the
/// server picks the user's defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TokenParameters {
    /// `clientId`: the iDempiere client (tenant).
    pub client_id: i64,
    /// `roleId`: the role the token acts with.
    pub role_id: i64,
    /// `organizationId`: the organisation the token acts in.
    pub organization_id: i64,
    /// `warehouseId`: the warehouse, when the role needs one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warehouse_id: Option<i64>,
}

/// What the token call (`POST /api/v1/auth/tokens`) sends to log in.
///
/// Deserializes from the wire names (`systemKey`, `uniqueCode`, `userName`,
/// `parameters`), so it can be read from a configuration file. Its `Debug` output
/// redacts `unique_code`.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Credentials {
    /// `systemKey` (at most 40 characters): the calling system as HVS registered it.
    pub system_key: String,
    /// `uniqueCode` (at most 255 characters): the login secret.
    pub unique_code: Secret,
    /// `userName` (at most 80 characters), usually `user@systemKey`.
    pub user_name: String,
    /// `parameters`: the client, role, organisation and warehouse to log in to.
    #[serde(default)]
    pub parameters: Option<TokenParameters>,
}

impl Credentials {
    /// Credentials without `parameters`.
    pub fn new(
        system_key: impl Into<String>,
        unique_code: impl Into<Secret>,
        user_name: impl Into<String>,
    ) -> Self {
        Self {
            system_key: system_key.into(),
            unique_code: unique_code.into(),
            user_name: user_name.into(),
            parameters: None,
        }
    }

    /// Sets the `parameters` object of the token call.
    pub fn with_parameters(mut self, parameters: TokenParameters) -> Self {
        self.parameters = Some(parameters);
        self
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("system_key", &self.system_key)
            .field("unique_code", &format_args!("<redacted>"))
            .field("user_name", &self.user_name)
            .field("parameters", &self.parameters)
            .finish()
    }
}

/// How calls that are safe to repeat (the token call and queries) are retried after a
/// connection error, HTTP 429 or HTTP 5xx.
///
/// The wait before retry `n` (1-based) is drawn between half and all of
/// `min(max_delay, base_delay * 2^(n-1))`, so clients that failed together do not retry
/// together. A `Retry-After` header in seconds lengthens the wait, up to `max_delay`.
/// Calls that create or change documents are never retried.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    base_delay: Duration,
    max_delay: Duration,
}

impl RetryPolicy {
    /// A policy making at most `max_attempts` attempts (the first included), waiting
    /// from `base_delay` up to `max_delay` between them.
    pub fn new(max_attempts: u32, base_delay: Duration, max_delay: Duration) -> Self {
        Self {
            max_attempts,
            base_delay,
            max_delay,
        }
    }

    /// A policy that makes one attempt only.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Attempts at most, the first included (at least 1).
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// Wait before the first retry, before jitter.
    pub fn base_delay(&self) -> Duration {
        self.base_delay
    }

    /// Longest wait between two attempts.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The wait before retry number `retry` (1 for the first retry), given a uniformly
    /// random `jitter` in `[0, 1)` and the server's `Retry-After`, if any.
    pub(crate) fn delay(&self, retry: u32, jitter: f64, retry_after: Option<Duration>) -> Duration {
        let factor = 2u32.saturating_pow(retry.saturating_sub(1));
        let ceiling = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let jitter = jitter.clamp(0.0, 1.0);
        let drawn = ceiling.mul_f64(0.5 + jitter / 2.0);
        match retry_after {
            Some(wanted) => drawn.max(wanted.min(self.max_delay)),
            None => drawn,
        }
    }
}

impl Default for RetryPolicy {
    /// 3 attempts, 200 ms base delay, 5 s longest delay.
    fn default() -> Self {
        Self {
            max_attempts: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
        }
    }
}

/// Everything a [`Client`](super::Client) needs; built with [`ClientConfig::builder`].
///
/// ```
/// use std::time::Duration;
/// use scm_generated::{ClientConfig, Credentials};
///
/// let credentials = Credentials::new("SYS01", "s3cr3t", "api@SYS01");
/// let config = ClientConfig::builder("https://hvs.example.com", credentials)
///     .request_timeout(Duration::from_secs(30))
///     .build()?;
/// assert_eq!(config.base_url().as_str(), "https://hvs.example.com/");
/// assert!(!format!("{config:?}").contains("s3cr3t"));
/// # Ok::<(), scm_generated::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ClientConfig {
    base_url: Url,
    credentials: Credentials,
    allow_http: bool,
    connect_timeout: Duration,
    request_timeout: Duration,
    token_refresh_margin: Duration,
    retry: RetryPolicy,
    user_agent: String,
    request_time_offset: Option<FixedOffset>,
}

impl ClientConfig {
    /// Starts a configuration for the HVS server at `base_url` (such as
    /// `https://hvs.example.com`, optionally with a path prefix), logging in with
    /// `credentials`. The URL is checked by [`ClientConfigBuilder::build`].
    pub fn builder(base_url: impl Into<String>, credentials: Credentials) -> ClientConfigBuilder {
        ClientConfigBuilder {
            base_url: base_url.into(),
            credentials,
            allow_http: false,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(60),
            token_refresh_margin: Duration::from_secs(5 * 60),
            retry: RetryPolicy::default(),
            user_agent: concat!("scm-generated/", env!("CARGO_PKG_VERSION")).to_owned(),
            request_time_offset: None,
        }
    }

    /// The server's base URL; call paths are appended to it.
    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// The login credentials.
    pub fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Whether a plain `http://` base URL is accepted.
    pub fn allow_http(&self) -> bool {
        self.allow_http
    }

    /// Longest wait for a TCP and TLS connection.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// Longest wait for one whole HTTP exchange, connection included.
    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    /// How long before its `exp` a cached token is replaced.
    pub fn token_refresh_margin(&self) -> Duration {
        self.token_refresh_margin
    }

    /// The retry policy for calls that are safe to repeat.
    pub fn retry_policy(&self) -> RetryPolicy {
        self.retry
    }

    /// The `User-Agent` header sent on every call.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The UTC offset `requestTime` is written in; `None` means the machine's local offset
    /// at the moment of each call.
    pub fn request_time_offset(&self) -> Option<FixedOffset> {
        self.request_time_offset
    }
}

/// Builder for [`ClientConfig`]; see [`ClientConfig::builder`] for the defaults' entry
/// point.
#[derive(Clone, Debug)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct ClientConfigBuilder {
    base_url: String,
    credentials: Credentials,
    allow_http: bool,
    connect_timeout: Duration,
    request_timeout: Duration,
    token_refresh_margin: Duration,
    retry: RetryPolicy,
    user_agent: String,
    request_time_offset: Option<FixedOffset>,
}

impl ClientConfigBuilder {
    /// Accepts a plain `http://` base URL (default `false`). Meant for sandboxes on
    /// loopback: over plain HTTP the secret and the token travel unencrypted.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Longest wait for a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// Longest wait for one whole HTTP exchange (default 60 s).
    pub fn request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// How long before its `exp` a cached token is replaced (default 5 min).
    pub fn token_refresh_margin(mut self, margin: Duration) -> Self {
        self.token_refresh_margin = margin;
        self
    }

    /// Retry policy for calls that are safe to repeat (default [`RetryPolicy::default`]).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// The `User-Agent` header (default `scm-generated/<version>`).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The UTC offset in which the client writes `requestTime` (default: the machine's
    /// local offset at the moment of each call, daylight saving included).
    ///
    /// HVS's timestamps carry no zone; the server reads them as its own local time. Set
    /// the server's offset when the client runs elsewhere, such as UTC+8 for a server in
    /// China on a machine in UTC:
    ///
    /// ```
    /// use chrono::FixedOffset;
    /// use scm_generated::{ClientConfig, Credentials};
    ///
    /// let credentials = Credentials::new("SYS01", "s3cr3t", "api@SYS01");
    /// let china = FixedOffset::east_opt(8 * 3600).expect("a valid offset");
    /// let config = ClientConfig::builder("https://hvs.example.com", credentials)
    ///     .request_time_offset(china)
    ///     .build()?;
    /// assert_eq!(config.request_time_offset(), Some(china));
    /// # Ok::<(), scm_generated::Error>(())
    /// ```
    pub fn request_time_offset(mut self, offset: FixedOffset) -> Self {
        self.request_time_offset = Some(offset);
        self
    }

    /// Checks the settings and builds the configuration.
    ///
    /// # Errors
    /// [`Error::Config`] when the base URL does not parse, is not `https://` (or
    /// `http://` with [`allow_http`](Self::allow_http)), carries a user name, password,
    /// query or fragment; when a timeout is zero; when the retry policy allows no
    /// attempt or its base delay exceeds its longest delay; or when the user agent is not
    /// a valid header value.
    pub fn build(self) -> Result<ClientConfig, Error> {
        let base_url = Url::parse(self.base_url.trim())
            .map_err(|e| Error::config(format!("base url does not parse: {e}")))?;
        match base_url.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            "http" => return Err(Error::config(
                "base url uses http://; use https:// or allow_http(true) for a loopback sandbox",
            )),
            other => {
                return Err(Error::config(format!(
                    "base url scheme {other:?} is not https"
                )))
            }
        }
        if base_url.cannot_be_a_base() || base_url.host().is_none() {
            return Err(Error::config("base url has no host"));
        }
        if !base_url.username().is_empty() || base_url.password().is_some() {
            return Err(Error::config(
                "base url must not carry a user name or password",
            ));
        }
        if base_url.query().is_some() || base_url.fragment().is_some() {
            return Err(Error::config("base url must not carry a query or fragment"));
        }
        if self.connect_timeout.is_zero() || self.request_timeout.is_zero() {
            return Err(Error::config("timeouts must be longer than zero"));
        }
        if self.retry.max_attempts == 0 {
            return Err(Error::config(
                "retry policy must allow at least one attempt",
            ));
        }
        if self.retry.base_delay > self.retry.max_delay {
            return Err(Error::config("retry base delay exceeds its max delay"));
        }
        if reqwest::header::HeaderValue::from_str(&self.user_agent).is_err() {
            return Err(Error::config("user agent is not a valid header value"));
        }
        Ok(ClientConfig {
            base_url,
            credentials: self.credentials,
            allow_http: self.allow_http,
            connect_timeout: self.connect_timeout,
            request_timeout: self.request_timeout,
            token_refresh_margin: self.token_refresh_margin,
            retry: self.retry,
            user_agent: self.user_agent,
            request_time_offset: self.request_time_offset,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn creds() -> Credentials {
        Credentials::new("SYS", "top-secret-code", "api@SYS")
    }

    #[test]
    fn debug_redacts_the_secret() {
        let config = ClientConfig::builder("https://h.example", creds())
            .build()
            .unwrap();
        let text = format!(
            "{config:?} {:?}",
            ClientConfig::builder("https://h", creds())
        );
        assert!(!text.contains("top-secret-code"), "{text}");
        assert!(text.contains("<redacted>"));
    }

    #[test]
    fn rejects_bad_urls() {
        for url in [
            "nonsense",
            "ftp://h/",
            "https://u:p@h/",
            "https://h/?a=1",
            "http://h/",
        ] {
            let err = ClientConfig::builder(url, creds()).build().unwrap_err();
            assert!(matches!(err, Error::Config { .. }), "{url}: {err}");
        }
        assert!(ClientConfig::builder("http://127.0.0.1:1/", creds())
            .allow_http(true)
            .build()
            .is_ok());
    }

    #[test]
    fn delay_grows_and_is_capped() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(1, 0.0, None), Duration::from_millis(100));
        assert_eq!(p.delay(1, 1.0, None), Duration::from_millis(200));
        assert_eq!(p.delay(3, 1.0, None), Duration::from_millis(800));
        assert_eq!(p.delay(40, 1.0, None), Duration::from_secs(5));
        assert_eq!(
            p.delay(1, 0.0, Some(Duration::from_secs(60))),
            Duration::from_secs(5)
        );
    }
}
