//! One pass through the main kinds of HVS calls, against the server the environment
//! names: a stock query (API230DLF), a synchronous purchase-order create whose outcome is
//! made certain (API010COF, looked up through API010NNF if its answer is lost), and an
//! asynchronous purchase-order submission awaited to its result (API010COB, then
//! API010NNF). Each outcome is printed.
//!
//! ```sh
//! HVS_BASE_URL=https://hvs.example.com HVS_SYSTEM_KEY=SYS01 HVS_UNIQUE_CODE=… \
//!   HVS_USER_NAME=api@SYS01 cargo run --example full_flow
//! ```
//!
//! Required: `HVS_BASE_URL`, `HVS_SYSTEM_KEY`, `HVS_UNIQUE_CODE`, `HVS_USER_NAME`.
//! Optional: `HVS_ALLOW_HTTP=1` (accept an `http://` URL, for a sandbox), `HVS_ORG`
//! (organisation code of the stock query and the orders, default `HQ`), `HVS_WAIT_SECS`
//! (longest wait for the async result, default 3600), and the master data the orders
//! name: `HVS_VENDOR` (default `V001`), `HVS_PRODUCT` (`P001`), `HVS_LOCATOR` (`L001`),
//! `HVS_DOCTYPE` (`采购订单`).
//!
//! Exit status: 0 when every call succeeded and both orders were created; 1 when a call
//! failed or HVS did not create an order; 2 when a setting is missing or invalid.
//!
//! The two orders are real documents on a real server: point it at a test system.

use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rust_decimal::Decimal;
use scm_generated::codes::TargetRequestResult;
use scm_generated::{
    Client, ClientConfig, CreatePurchaseOrderOutcome, Credentials, GroupLevel, PurchaseOrder,
    PurchaseOrderLine, PurchaseOrderRequest, PurchaseOrderResultOutcome, QueryStockOutcome,
    Reconciled, StockQuery, WaitPolicy,
};

/// What the flow needs from the environment.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `HVS_BASE_URL`.
    pub base_url: String,
    /// `HVS_SYSTEM_KEY`, `HVS_UNIQUE_CODE`, `HVS_USER_NAME`.
    pub credentials: Credentials,
    /// `HVS_ALLOW_HTTP=1`.
    pub allow_http: bool,
    /// `HVS_ORG`.
    pub org: String,
    /// `HVS_WAIT_SECS`.
    pub wait: Duration,
    /// `HVS_VENDOR`.
    pub vendor: String,
    /// `HVS_PRODUCT`.
    pub product: String,
    /// `HVS_LOCATOR`.
    pub locator: String,
    /// `HVS_DOCTYPE`.
    pub doctype: String,
}

impl Settings {
    /// Reads the settings through `var` (such as `std::env::var`); the error lists every
    /// missing or invalid variable.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let required = [
            "HVS_BASE_URL",
            "HVS_SYSTEM_KEY",
            "HVS_UNIQUE_CODE",
            "HVS_USER_NAME",
        ];
        let missing: Vec<&str> = required
            .iter()
            .copied()
            .filter(|name| var(name).is_none_or(|v| v.trim().is_empty()))
            .collect();
        if !missing.is_empty() {
            return Err(format!(
                "missing environment variable{}: {}",
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", ")
            ));
        }
        let get = |name: &str| var(name).unwrap_or_default().trim().to_owned();
        let or = |name: &str, default: &str| {
            var(name)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .unwrap_or_else(|| default.to_owned())
        };
        let wait = or("HVS_WAIT_SECS", "3600");
        let wait = wait
            .parse::<u64>()
            .map_err(|_| format!("HVS_WAIT_SECS is not a number of seconds: {wait:?}"))?;
        Ok(Self {
            base_url: get("HVS_BASE_URL"),
            credentials: Credentials::new(
                get("HVS_SYSTEM_KEY"),
                get("HVS_UNIQUE_CODE"),
                get("HVS_USER_NAME"),
            ),
            allow_http: or("HVS_ALLOW_HTTP", "0") == "1",
            org: or("HVS_ORG", "HQ"),
            wait: Duration::from_secs(wait),
            vendor: or("HVS_VENDOR", "V001"),
            product: or("HVS_PRODUCT", "P001"),
            locator: or("HVS_LOCATOR", "L001"),
            doctype: or("HVS_DOCTYPE", "采购订单"),
        })
    }

    /// The client configuration these settings describe.
    pub fn config(&self) -> Result<ClientConfig, scm_generated::Error> {
        ClientConfig::builder(&self.base_url, self.credentials.clone())
            .allow_http(self.allow_http)
            .build()
    }

    /// How long to wait for the async result, and how often to ask: the default delays
    /// (first look-up after a minute, then up to every ten), shorter for short waits.
    pub fn wait_policy(&self) -> WaitPolicy {
        let policy = WaitPolicy::new(self.wait);
        if self.wait < Duration::from_secs(600) {
            let min = (self.wait / 10).max(Duration::from_secs(1));
            policy.min_delay(min).max_delay(min * 4)
        } else {
            policy
        }
    }

    /// A purchase order of one line, numbered `doc_no`.
    fn order(&self, doc_no: String) -> PurchaseOrderRequest {
        let mut line = PurchaseOrderLine::new(self.locator.clone(), Decimal::ONE);
        line.line_id = Some("1".into());
        line.product_value = Some(self.product.clone());
        let mut order = PurchaseOrder::new(doc_no, self.doctype.clone(), vec![line]);
        order.org_text = Some(self.org.clone());
        order.bpartner_value = Some(self.vendor.clone());
        order.description = Some("scm-generated example full_flow".into());
        PurchaseOrderRequest::new(vec![order])
    }
}

/// Why the flow failed.
#[derive(Debug)]
pub enum Failure {
    /// A call failed.
    Call(scm_generated::Error),
    /// A call answered, but HVS did not create the order.
    NotCreated(String),
}

impl From<scm_generated::Error> for Failure {
    fn from(error: scm_generated::Error) -> Self {
        Failure::Call(error)
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Call(error) => write!(f, "{error}"),
            Failure::NotCreated(what) => write!(f, "{what}"),
        }
    }
}

/// Whether a processed outcome created every document: `targetRequestResult` 1.
fn created(result: &TargetRequestResult) -> bool {
    *result == TargetRequestResult::Success
}

/// The flow itself: one stock query, one sync create, one async create awaited. Writes
/// each outcome to `out`; the first failure ends it.
pub async fn run(client: &Client, settings: &Settings, out: &mut dyn Write) -> Result<(), Failure> {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs();
    let say = |out: &mut dyn Write, line: String| {
        // Output is best effort; a closed stdout must not turn success into failure.
        let _ = writeln!(out, "{line}");
    };

    let query = StockQuery::new(GroupLevel::ByProduct, settings.org.clone());
    match client.query_stock(query).await? {
        QueryStockOutcome::Rows(rows) => say(
            out,
            format!("API230DLF stock: {} rows", rows.body.stock_list.len()),
        ),
        QueryStockOutcome::NoData(reply) => say(
            out,
            format!("API230DLF stock: no data ({})", reply.error_msg),
        ),
        other => say(out, format!("API230DLF stock: {}", other.name())),
    }

    let policy = settings.wait_policy();
    let request = settings.order(format!("SDK{stamp}F"));
    let reconciled = client
        .create_purchase_order_reconciled(request, &policy)
        .await?;
    let request_id = reconciled.request_id().to_owned();
    let (name, result) = match &reconciled {
        Reconciled::Answered { outcome, .. } => match outcome {
            CreatePurchaseOrderOutcome::Processed(p) => {
                ("processed", Some(&p.envelope.target_request_result))
            }
            other => (other.name(), None),
        },
        Reconciled::LookedUp {
            outcome, reason, ..
        } => {
            say(
                out,
                format!("API010COF answer not final ({reason:?}); looked up"),
            );
            match outcome {
                PurchaseOrderResultOutcome::Processed(p) => {
                    ("processed", Some(&p.envelope.target_request_result))
                }
                other => (other.name(), None),
            }
        }
    };
    say(
        out,
        format!("API010COF purchase order {request_id}: {name}, result {result:?}"),
    );
    if !result.is_some_and(created) {
        return Err(Failure::NotCreated(format!(
            "API010COF: purchase order {request_id} was not created ({name})"
        )));
    }

    let request = settings.order(format!("SDK{stamp}B"));
    say(
        out,
        format!(
            "API010COB purchase order submitted; waiting up to {}s for API010NNF",
            settings.wait.as_secs()
        ),
    );
    let outcome = client
        .submit_purchase_order_and_wait(request, &policy)
        .await?;
    match &outcome {
        PurchaseOrderResultOutcome::Processed(p) => {
            let result = &p.envelope.target_request_result;
            say(
                out,
                format!(
                    "API010COB purchase order {}: processed, result {result:?}, docs {:?}",
                    p.envelope.target_request_id,
                    p.body
                        .doc_list
                        .iter()
                        .map(|d| d.doc_no_hvs.as_deref().unwrap_or(&d.doc_no))
                        .collect::<Vec<_>>()
                ),
            );
            if !created(result) {
                return Err(Failure::NotCreated(format!(
                    "API010COB: purchase order {} was not created",
                    p.envelope.target_request_id
                )));
            }
        }
        other => {
            return Err(Failure::NotCreated(format!(
                "API010COB: purchase order not created ({})",
                other.name()
            )))
        }
    }
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    let settings = match Settings::from_vars(|name| std::env::var(name).ok()) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("full_flow: {message}");
            eprintln!("full_flow: see the top of examples/full_flow.rs for every setting");
            return ExitCode::from(2);
        }
    };
    let client = match settings.config().and_then(Client::new) {
        Ok(client) => client,
        Err(error) => {
            eprintln!("full_flow: {error}");
            return ExitCode::from(2);
        }
    };
    match run(&client, &settings, &mut std::io::stdout()).await {
        Ok(()) => {
            println!("full_flow: all calls succeeded");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("full_flow: {failure}");
            ExitCode::FAILURE
        }
    }
}
