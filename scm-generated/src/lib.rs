//! Typed Rust client for the HugeVision-SCM (HVS) open API.
//!
//! The request and response types of each HVS function are generated into
//! `generated`; the hand-written [`runtime`] underneath logs in, caches the token,
//! sends the calls and reports failures. Start with [`ClientConfig::builder`] and
//! [`Client::new`].

//!
//! # Function codes
//!
#![doc = include_str!("generated/catalogue.md")]
#![deny(missing_docs)]

extern crate self as scm_generated;

pub mod runtime;
pub mod validate;
pub mod wire;

#[rustfmt::skip]
mod generated;
mod invoke;

pub use generated::*;
pub use invoke::{CallSpec, FromReply};

pub use runtime::{Client, ClientConfig, Credentials, Error};
