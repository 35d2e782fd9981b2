//! The bridge between generated client methods and the runtime: fills the request
//! envelope, sends the call and hands the answer back for decoding.

use serde::Serialize;
use serde_json::Value;

use crate::runtime::{Client, Error};
use crate::validate::Validate;

/// A function's outcome enum: decodes a reply body into the outcome it is.
pub trait FromReply: Sized {
    /// Decodes a reply body.
    fn from_json(value: Value) -> Result<Self, serde_json::Error>;
}

/// One HVS function code as a type: how to call it, what it takes and what it answers.
///
/// `#[scm_macros::function]` implements it; the crate has one per code in [`crate::api`],
/// so `client.execute::<api::API010COF>(&request)` is `client.create_purchase_order(request)`.
pub trait Function {
    /// How to call it.
    const SPEC: CallSpec;
    /// The request body.
    type Request: Serialize + Validate + Sync;
    /// The outcome enum.
    type Outcome: FromReply;
}

/// How to call one function code; generated per method from the catalogue.
#[derive(Debug, Clone, Copy)]
pub struct CallSpec {
    /// The function code (`API010COF`).
    pub code: &'static str,
    /// The endpoint path.
    pub path: &'static str,
    /// Whether the request carries `requestId` and `requestTime` (all but the token call).
    pub auth: bool,
    /// Whether a lost call may be repeated (queries and result look-ups only).
    pub safe_to_retry: bool,
}

impl Client {
    /// Calls the function `F`: validates the request, sends it and decodes the outcome.
    ///
    /// # Errors
    /// As [`Client::call_function`] (or [`Client::call_token`] for the token endpoint).
    pub async fn execute<F: Function>(&self, request: &F::Request) -> Result<F::Outcome, Error> {
        if F::SPEC.auth {
            self.call_function(&F::SPEC, request).await
        } else {
            self.call_token(request).await
        }
    }

    /// Validates `request` against the catalogue, sends it as the function `spec`, and
    /// decodes the reply into its outcome. The generated methods are this, per code.
    ///
    /// # Errors
    /// [`Error::Validation`] (nothing sent) when the request breaks the catalogue's rules;
    /// [`Error::Decode`] when the reply fits none of the outcomes; otherwise as
    /// [`Client::call`].
    pub async fn call_function<T: Serialize + Validate, R: FromReply>(
        &self,
        spec: &CallSpec,
        request: &T,
    ) -> Result<R, Error> {
        let value = self.send_checked(spec, request).await?;
        R::from_json(value).map_err(|e| Error::decode(spec.code, e))
    }

    /// Validates `request` and sends it as the function `spec`; the reply undecoded.
    pub(crate) async fn send_checked<T: Serialize + Validate>(
        &self,
        spec: &CallSpec,
        request: &T,
    ) -> Result<Value, Error> {
        if let Err(errors) = request.validate() {
            return Err(Error::Validation {
                code: spec.code.to_owned(),
                errors,
            });
        }
        self.invoke(spec, request).await
    }

    /// Validates `request` and sends it to the token endpoint as given, without touching
    /// the token this client caches; decodes the answer (issued or refused).
    ///
    /// # Errors
    /// [`Error::Validation`] (nothing sent); otherwise as [`Client::call_token_endpoint`].
    pub async fn call_token<T: Serialize + Validate, R: FromReply>(
        &self,
        request: &T,
    ) -> Result<R, Error> {
        const CODE: &str = "token";
        if let Err(errors) = request.validate() {
            return Err(Error::Validation {
                code: CODE.to_owned(),
                errors,
            });
        }
        let body = serde_json::to_value(request).map_err(|e| Error::Encode {
            code: Some(CODE.to_owned()),
            message: e.to_string(),
        })?;
        let value = self.call_token_endpoint(&body).await?;
        R::from_json(value).map_err(|e| Error::decode(CODE, e))
    }

    /// Serializes `request`, fills `requestId` (a UUID v4) and `requestTime` (see
    /// [`Client::request_time`]) unless the caller set them, and sends it.
    async fn invoke<T: Serialize>(&self, spec: &CallSpec, request: &T) -> Result<Value, Error> {
        let mut body = serde_json::to_value(request).map_err(|e| Error::Encode {
            code: Some(spec.code.to_owned()),
            message: e.to_string(),
        })?;
        if spec.auth {
            if let Value::Object(map) = &mut body {
                map.entry("requestId")
                    .or_insert_with(|| Value::String(new_request_id()));
                map.entry("requestTime").or_insert_with(|| {
                    Value::String(
                        self.request_time()
                            .format(crate::wire::TIMESTAMP)
                            .to_string(),
                    )
                });
            }
        }
        self.call(spec.code, spec.path, body, spec.safe_to_retry)
            .await
    }

    /// The `requestTime` of a call made now: the client clock's time in the configured
    /// offset (see [`ClientConfig::request_time_offset`]), or in the machine's local
    /// offset at this moment when none is configured.
    ///
    /// [`ClientConfig::request_time_offset`]: crate::ClientConfig::request_time_offset
    pub fn request_time(&self) -> chrono::NaiveDateTime {
        let now = chrono::DateTime::<chrono::Utc>::from(self.clock().now());
        match self.config().request_time_offset() {
            Some(offset) => now.with_timezone(&offset).naive_local(),
            None => now.with_timezone(&chrono::Local).naive_local(),
        }
    }
}

/// A fresh request id: a UUID v4, 36 characters, as HVS's `requestId` allows.
pub(crate) fn new_request_id() -> String {
    uuid::Uuid::new_v4().to_string()
}

impl Error {
    /// A reply that HTTP delivered but that does not fit the function's outcomes.
    pub(crate) fn decode(code: &str, e: serde_json::Error) -> Self {
        Error::Decode {
            code: Some(code.to_owned()),
            message: e.to_string(),
        }
    }
}
