//! Flows made of several calls, under the generated `create_…_reconciled` and
//! `submit_…_and_wait` methods: a create whose outcome is made certain through its result
//! query, and an async submission awaited to its result.
//!
//! Both keep one rule: a create is sent once. When its answer is lost, or says "system
//! error" or "duplicate request id", HVS may have processed it; the outcome is then asked
//! of the matching result query (`NNF`) under the same request id, never found out by
//! sending the create again with a new id, which could create the documents twice.

use std::future::Future;

use serde::Serialize;
use serde_json::Value;

use crate::invoke::{CallSpec, FromReply};
use crate::runtime::{Client, Error, WaitPolicy};
use crate::validate::Validate;

/// Why the outcome of a create was looked up through its result query rather than taken
/// from the create's own answer.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LookupReason {
    /// The answer was lost: the connection failed or broke off, or HVS (or a proxy in
    /// front of it) answered HTTP 5xx. Holds the error's message.
    AnswerLost(String),
    /// HVS answered `requestResult` 9, a system error. Holds its `errorMsg`.
    SystemError(String),
    /// HVS answered `requestResult` 6: a call with this request id reached it before, and
    /// this one was not processed. Holds its `errorMsg`.
    Duplicate(String),
}

/// The outcome of a create sent by a generated `create_…_reconciled` method: the create's
/// own answer, or the outcome HVS recorded for the request id, from the result query.
///
/// `C` is the create's outcome enum (such as
/// [`CreatePurchaseOrderOutcome`](crate::CreatePurchaseOrderOutcome)), `R` its result
/// query's (such as [`PurchaseOrderResultOutcome`](crate::PurchaseOrderResultOutcome)).
/// Both carry the same processed body.
///
/// ```no_run
/// # #[cfg(feature = "purchasing")]
/// # async fn run(client: scm_generated::Client, request: scm_generated::PurchaseOrderRequest)
/// #     -> Result<(), scm_generated::Error> {
/// use std::time::Duration;
/// use scm_generated::{CreatePurchaseOrderOutcome, PurchaseOrderResultOutcome};
/// use scm_generated::{Reconciled, WaitPolicy};
///
/// let policy = WaitPolicy::new(Duration::from_secs(15 * 60));
/// let documents = match client.create_purchase_order_reconciled(request, &policy).await? {
///     Reconciled::Answered { outcome: CreatePurchaseOrderOutcome::Processed(p), .. } => p.body,
///     Reconciled::LookedUp { outcome: PurchaseOrderResultOutcome::Processed(p), .. } => p.body,
///     other => return Ok(println!("not processed: {other:?}")),
/// };
/// println!("{} documents", documents.doc_list.len());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone, PartialEq)]
pub enum Reconciled<C, R> {
    /// The create answered with its final outcome: processed or parse error, never
    /// duplicate.
    Answered {
        /// The request id the create was sent with.
        request_id: String,
        /// The create's outcome.
        outcome: C,
    },
    /// The create's answer did not tell the outcome; the result query did. Its outcome is
    /// processed or parse error, never pending.
    LookedUp {
        /// The request id the create was sent with, and looked up by.
        request_id: String,
        /// Why the result query was asked.
        reason: LookupReason,
        /// The result query's outcome.
        outcome: R,
    },
}

impl<C, R> Reconciled<C, R> {
    /// The request id the create was sent with.
    pub fn request_id(&self) -> &str {
        match self {
            Reconciled::Answered { request_id, .. } | Reconciled::LookedUp { request_id, .. } => {
                request_id
            }
        }
    }

    /// Why the result query was asked; `None` when the create answered.
    pub fn lookup_reason(&self) -> Option<&LookupReason> {
        match self {
            Reconciled::Answered { .. } => None,
            Reconciled::LookedUp { reason, .. } => Some(reason),
        }
    }
}

/// How a generated method asks the result query of its create: the query's function code,
/// a call of it for the create's request id, and how to tell a pending answer.
pub struct Lookup<F, R> {
    /// Function code of the result query.
    pub code: &'static str,
    /// One call of the result query.
    pub call: F,
    /// Whether an answer says the request is not processed yet.
    pub is_pending: fn(&R) -> bool,
}

/// Whether a failed call may have reached HVS and been processed, its answer lost.
fn answer_lost(error: &Error) -> bool {
    match error {
        Error::Transport { .. } => true,
        Error::Status { status, .. } => *status >= 500,
        _ => false,
    }
}

fn text(reply: &Value, key: &str) -> String {
    crate::wire::text_of(reply, key).unwrap_or_default()
}

/// `requestResult` of a reply, as text (HVS sends a string; a number is accepted).
fn request_result(reply: &Value) -> Option<String> {
    crate::wire::text_of(reply, "requestResult")
}

impl Client {
    /// Sends the create `spec` once and returns its outcome, or, when its answer was lost
    /// (see [`LookupReason`]), the outcome the result query reports for `request_id`,
    /// asked at once and then as `policy` says while pending.
    pub async fn create_reconciled<T, C, R, F, Fut>(
        &self,
        spec: &CallSpec,
        request: &T,
        request_id: String,
        is_duplicate: fn(&C) -> bool,
        lookup: Lookup<F, R>,
        policy: &WaitPolicy,
    ) -> Result<Reconciled<C, R>, Error>
    where
        T: Serialize + Validate,
        C: FromReply,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<R, Error>>,
    {
        let reason = match self.send_checked(spec, request).await {
            Ok(reply) => {
                let message = text(&reply, "errorMsg");
                if request_result(&reply).as_deref() == Some("9") {
                    LookupReason::SystemError(message)
                } else {
                    let outcome = C::from_json(reply).map_err(|e| Error::decode(spec.code, e))?;
                    if !is_duplicate(&outcome) {
                        return Ok(Reconciled::Answered {
                            request_id,
                            outcome,
                        });
                    }
                    LookupReason::Duplicate(message)
                }
            }
            Err(error) if answer_lost(&error) => LookupReason::AnswerLost(error.to_string()),
            Err(error) => return Err(error),
        };
        tracing::debug!(
            code = spec.code,
            request_id,
            ?reason,
            lookup = lookup.code,
            "create outcome unknown; asking the result query"
        );
        let outcome = self.look_up(lookup, policy, true).await?;
        Ok(Reconciled::LookedUp {
            request_id,
            reason,
            outcome,
        })
    }

    /// Submits the async create `spec` once, then waits as `policy` says until its result
    /// query no longer reports it pending.
    ///
    /// Waits after `requestResult` 1 (queued), 6 (an earlier submission with this id was
    /// received: its result is the one wanted), 9 (a system error: the result query tells
    /// whether it was queued all the same) and after a lost answer (transport error or HTTP
    /// 5xx). Any other reply or error is returned at once.
    pub async fn submit_and_wait<T, R, F, Fut>(
        &self,
        spec: &CallSpec,
        request: &T,
        lookup: Lookup<F, R>,
        policy: &WaitPolicy,
    ) -> Result<R, Error>
    where
        T: Serialize + Validate,
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<R, Error>>,
    {
        match self.send_checked(spec, request).await {
            Ok(reply) => match request_result(&reply).as_deref() {
                Some("1") => {}
                Some(result @ ("6" | "9")) => tracing::debug!(
                    code = spec.code,
                    request_result = result,
                    message = text(&reply, "errorMsg"),
                    "submission not accepted as new; its result query decides"
                ),
                other => {
                    return Err(Error::Decode {
                        code: Some(spec.code.to_owned()),
                        message: match other {
                            Some(value) => format!("unexpected requestResult `{value}`"),
                            None => "the answer carries no requestResult".to_owned(),
                        },
                    })
                }
            },
            Err(error) if answer_lost(&error) => {
                let code = spec.code;
                tracing::debug!(code, %error, "submission answer lost; waiting for its result")
            }
            Err(error) => return Err(error),
        }
        self.look_up(lookup, policy, false).await
    }

    /// Asks the result query until it no longer answers pending; see
    /// [`Client::wait_for_result`].
    async fn look_up<R, F, Fut>(
        &self,
        lookup: Lookup<F, R>,
        policy: &WaitPolicy,
        at_once: bool,
    ) -> Result<R, Error>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<R, Error>>,
    {
        let Lookup {
            code,
            mut call,
            is_pending,
        } = lookup;
        self.wait_from(code, policy, at_once, || {
            let answer = call();
            async move {
                let outcome = answer.await?;
                Ok((!is_pending(&outcome)).then_some(outcome))
            }
        })
        .await
    }
}
