//! The one error type of the runtime, and how error bodies are made safe to show.
//!
//! Every message is one lowercase line. Where the failing call is known, the message
//! starts with its function code (`API230DLF: ...`); the token call reads `login`.
//! No message carries the token or the `uniqueCode` secret: response bodies are cut to
//! [`MAX_BODY_EXCERPT`] bytes, folded onto one line, and scrubbed of both.

use std::fmt;
use std::time::Duration;

/// Longest response-body excerpt kept in an [`Error::Status`], in bytes.
pub const MAX_BODY_EXCERPT: usize = 2048;

/// What can go wrong when configuring the client or calling HVS.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The configuration or a call's arguments are unusable; nothing was sent.
    #[error("invalid configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
    /// The token call was refused (HTTP 401 with `{title, status, detail}`).
    #[error("login failed: {}", join_title_detail(title, detail))]
    Auth {
        /// HTTP status of the refusal (401).
        status: u16,
        /// The `title` of the refusal, such as `Authenticate error`.
        title: String,
        /// The `detail` of the refusal, such as `Invalid User ID or Password`.
        detail: String,
    },
    /// HVS answered with an HTTP status other than 200.
    #[error("{}: HVS answered HTTP {status}: {body}", Origin(code))]
    Status {
        /// Function code of the call; `None` for the token call.
        code: Option<String>,
        /// The HTTP status.
        status: u16,
        /// The start of the response body, on one line, secrets removed.
        body: String,
    },
    /// HVS could not be reached, or the exchange broke off or timed out.
    #[error("{}: could not reach HVS: {message}", Origin(code))]
    Transport {
        /// Function code of the call; `None` for the token call.
        code: Option<String>,
        /// What the HTTP stack reported, without the URL.
        message: String,
        /// Whether the configured request or connect timeout ran out.
        timeout: bool,
    },
    /// A request body could not be turned into JSON; nothing was sent.
    #[error("{}: could not encode the request: {message}", Origin(code))]
    Encode {
        /// Function code of the call.
        code: Option<String>,
        /// What the serializer reported.
        message: String,
    },
    /// HVS answered HTTP 200, but not with the JSON that was expected.
    #[error("{}: could not decode the answer: {message}", Origin(code))]
    Decode {
        /// Function code of the call; `None` for the token call.
        code: Option<String>,
        /// What the deserializer reported.
        message: String,
    },
    /// The request breaks the catalogue's rules; nothing was sent.
    #[error("{code}: {errors}")]
    Validation {
        /// Function code of the call.
        code: String,
        /// Every violation, with its path.
        errors: crate::validate::ValidationError,
    },
    /// A wait for a result (see [`WaitPolicy`](super::WaitPolicy)) ran out while HVS still
    /// reported the request as pending. Nothing is lost: the request may still be
    /// processed, and its result query reports it later under the same request id.
    #[error(
        "{code}: no result after {} and {}; the request may still be processed later",
        Elapsed(*elapsed),
        Attempts(*attempts)
    )]
    Timeout {
        /// Function code of the look-up (the `NNF`).
        code: String,
        /// How long the wait lasted.
        elapsed: Duration,
        /// How many look-ups were made.
        attempts: u32,
    },
}

impl Error {
    pub(crate) fn config(message: impl Into<String>) -> Self {
        Self::Config {
            message: message.into(),
        }
    }

    /// The function code of the failed call, where one is known.
    pub fn code(&self) -> Option<&str> {
        match self {
            Self::Status { code, .. }
            | Self::Transport { code, .. }
            | Self::Encode { code, .. }
            | Self::Decode { code, .. } => code.as_deref(),
            Self::Validation { code, .. } | Self::Timeout { code, .. } => Some(code),
            Self::Config { .. } | Self::Auth { .. } => None,
        }
    }

    /// The HTTP status HVS answered with, for [`Error::Auth`] and [`Error::Status`].
    pub fn http_status(&self) -> Option<u16> {
        match self {
            Self::Auth { status, .. } | Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }
}

/// Prints a function code, or `login` for the token call.
struct Origin<'a>(&'a Option<String>);

impl fmt::Display for Origin<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_deref().unwrap_or("login"))
    }
}

/// Prints a duration as people read it: `65m 0s`, `42s`, `250ms`.
struct Elapsed(Duration);

impl fmt::Display for Elapsed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.as_secs();
        match secs {
            0 => write!(f, "{}ms", self.0.as_millis()),
            1..=59 => write!(f, "{secs}s"),
            _ => write!(f, "{}m {}s", secs / 60, secs % 60),
        }
    }
}

/// Prints a count of look-ups: `1 attempt`, `9 attempts`.
struct Attempts(u32);

impl fmt::Display for Attempts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = if self.0 == 1 { "" } else { "s" };
        write!(f, "{} attempt{s}", self.0)
    }
}

fn join_title_detail(title: &str, detail: &str) -> String {
    match (title.is_empty(), detail.is_empty()) {
        (false, false) => format!("{title}: {detail}"),
        (false, true) => title.to_owned(),
        (true, false) => detail.to_owned(),
        (true, true) => "no reason given".to_owned(),
    }
}

/// Turns raw response bytes into an excerpt fit for an error message: at most
/// [`MAX_BODY_EXCERPT`] bytes, one line, with every `secrets` occurrence replaced.
pub(crate) fn body_excerpt(raw: &[u8], secrets: &[&str]) -> String {
    let mut text = String::from_utf8_lossy(raw).into_owned();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        text = text.replace(secret, "<redacted>");
    }
    let mut line: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    if line.len() > MAX_BODY_EXCERPT {
        let mut cut = MAX_BODY_EXCERPT;
        while !line.is_char_boundary(cut) {
            cut -= 1;
        }
        line.truncate(cut);
        line.push('…');
    }
    if line.is_empty() {
        line.push_str("(empty body)");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_lowercase_line() {
        let err = Error::Status {
            code: Some("API230DLF".into()),
            status: 500,
            body: "boom".into(),
        };
        assert_eq!(err.to_string(), "API230DLF: HVS answered HTTP 500: boom");
        let err = Error::Auth {
            status: 401,
            title: "Authenticate error".into(),
            detail: "Invalid User ID or Password".into(),
        };
        assert_eq!(
            err.to_string(),
            "login failed: Authenticate error: Invalid User ID or Password"
        );
        let err = Error::Transport {
            code: None,
            message: "refused".into(),
            timeout: false,
        };
        assert_eq!(err.to_string(), "login: could not reach HVS: refused");
        let err = Error::Timeout {
            code: "API010NNF".into(),
            elapsed: Duration::from_secs(65 * 60),
            attempts: 9,
        };
        assert_eq!(
            err.to_string(),
            "API010NNF: no result after 65m 0s and 9 attempts; \
             the request may still be processed later"
        );
        assert_eq!(err.code(), Some("API010NNF"));
        let once = Error::Timeout {
            code: "API010NNF".into(),
            elapsed: Duration::from_millis(250),
            attempts: 1,
        };
        assert!(
            once.to_string().contains("after 250ms and 1 attempt;"),
            "{once}"
        );
    }

    #[test]
    fn excerpts_are_capped_folded_and_scrubbed() {
        let raw = format!("line one\nTOKEN {} é", "x".repeat(5000));
        let got = body_excerpt(raw.as_bytes(), &["TOKEN", ""]);
        assert!(got.starts_with("line one <redacted> xxx"));
        assert!(got.ends_with('…'));
        assert!(got.len() <= MAX_BODY_EXCERPT + '…'.len_utf8());
        let cut = body_excerpt(
            &[b'a'; 2047]
                .iter()
                .copied()
                .chain("é".bytes())
                .collect::<Vec<_>>(),
            &[],
        );
        assert_eq!(cut, format!("{}…", "a".repeat(2047)));
        assert_eq!(body_excerpt(b"", &[]), "(empty body)");
    }
}
