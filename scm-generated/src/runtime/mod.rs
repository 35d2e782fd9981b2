//! The hand-written runtime under the generated types: configuration, login and token
//! caching, the HTTP transport with its retry rules, errors, an injectable clock, and
//! waiting for results that HVS produces later.
//!
//! Everything goes through [`Client::call`]: a `POST` of JSON to one HVS function,
//! with the bearer token HVS requires.

mod auth;
mod clock;
mod config;
mod error;
mod transport;
mod wait;

pub use clock::{Clock, Sleep, SystemClock};
pub use config::{
    ClientConfig, ClientConfigBuilder, Credentials, RetryPolicy, Secret, TokenParameters,
};
pub use error::{Error, MAX_BODY_EXCERPT};
pub use transport::{Client, MAX_RESPONSE_BYTES};
pub use wait::WaitPolicy;
