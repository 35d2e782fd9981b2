//! Typed Rust client for the HugeVision-SCM (HVS) open API.
//!
//! The request and response types of each HVS function are generated into
//! `generated`; the hand-written [`runtime`] underneath logs in, caches the token,
//! sends the calls and reports failures. Start with [`ClientConfig::builder`] and
//! [`Client::new`].
//!
//! A create is never sent twice by the client. Each sync create has a `…_reconciled`
//! twin that, when the answer is lost or says "system error" or "duplicate request id",
//! asks the matching result query (`NNF`) for the outcome under the same request id
//! ([`Reconciled`]); each async create has a `…_and_wait` twin that submits and waits
//! for the result as a [`WaitPolicy`] says. `examples/full_flow.rs` runs both against the
//! server the environment names.

//!
//! # Function codes
//!
#![doc = include_str!("generated/catalogue.md")]
#![deny(missing_docs)]

extern crate self as scm_generated;

pub mod runtime;
pub mod validate;
pub mod wire;

mod flows;
#[rustfmt::skip]
mod generated;
mod invoke;

pub use flows::{Lookup, LookupReason, Reconciled};
pub use generated::*;
pub use invoke::{CallSpec, FromReply, Function};

pub use runtime::{Client, ClientConfig, Credentials, Error, WaitPolicy};
