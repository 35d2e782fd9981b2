//! HVS's wire format: how values travel, and how a reply is told apart from another.
//!
//! HVS sends every value as a JSON string (`"2000"`, `"6.50"`), decimals and integers
//! included; numbers are accepted too. An empty string stands for an absent value. Dates
//! are `yyyy-MM-dd`, timestamps `yyyy-MM-dd HH:mm:ss`, flags `Y`/`N`. Encoding writes what
//! HVS's own samples write: decimals and integers as strings.

use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

/// The HVS date format.
pub const DATE: &str = "%Y-%m-%d";
/// The HVS timestamp format.
pub const TIMESTAMP: &str = "%Y-%m-%d %H:%M:%S";

/// A body carried together with its envelope fields in one JSON object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Replied<E, B> {
    /// The envelope fields (`requestId`, `requestResult` …).
    #[serde(flatten)]
    pub envelope: E,
    /// The function's own body.
    #[serde(flatten)]
    pub body: B,
}

/// A scalar as HVS may send it: a string, a number, a bool or null.
fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Value::deserialize(d)? {
        Value::Null => Ok(None),
        Value::String(s) if s.trim().is_empty() => Ok(None),
        Value::String(s) => Ok(Some(s.trim().to_owned())),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Bool(b) => Ok(Some(if b { "Y" } else { "N" }.to_owned())),
        other => Err(de::Error::custom(format!(
            "expected a scalar, found {other}"
        ))),
    }
}

fn required<E: de::Error>(v: Option<String>) -> Result<String, E> {
    v.ok_or_else(|| E::custom("a value is required here but HVS sent none"))
}

macro_rules! codec {
    ($name:ident, $opt:ident, $ty:ty, $parse:expr, $print:expr, $what:literal) => {
        #[doc = concat!("Required ", $what, " on the wire.")]
        pub mod $name {
            use super::*;
            /// Writes the value as HVS expects it.
            pub fn serialize<S: Serializer>(v: &$ty, s: S) -> Result<S::Ok, S::Error> {
                let print: fn(&$ty) -> String = $print;
                s.serialize_str(&print(v))
            }
            /// Reads the value, tolerating strings and numbers.
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<$ty, D::Error> {
                let text = required::<D::Error>(scalar(d)?)?;
                let parse: fn(&str) -> Option<$ty> = $parse;
                parse(&text).ok_or_else(|| {
                    de::Error::custom(format!(concat!("invalid ", $what, " `{}`"), text))
                })
            }
        }
        #[doc = concat!("Optional ", $what, " on the wire; an empty string reads as `None`.")]
        pub mod $opt {
            use super::*;
            /// Writes the value as HVS expects it.
            pub fn serialize<S: Serializer>(v: &Option<$ty>, s: S) -> Result<S::Ok, S::Error> {
                let print: fn(&$ty) -> String = $print;
                match v {
                    Some(v) => s.serialize_str(&print(v)),
                    None => s.serialize_none(),
                }
            }
            /// Reads the value, tolerating strings, numbers and empty strings.
            pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<$ty>, D::Error> {
                let parse: fn(&str) -> Option<$ty> = $parse;
                match scalar(d)? {
                    None => Ok(None),
                    Some(text) => parse(&text).map(Some).ok_or_else(|| {
                        de::Error::custom(format!(concat!("invalid ", $what, " `{}`"), text))
                    }),
                }
            }
        }
    };
}

codec!(
    decimal,
    opt_decimal,
    rust_decimal::Decimal,
    |s| s.parse().ok(),
    |v| v.to_string(),
    "decimal"
);
codec!(
    integer,
    opt_integer,
    i64,
    |s| s.parse().ok(),
    |v| v.to_string(),
    "integer"
);
codec!(
    date,
    opt_date,
    chrono::NaiveDate,
    |s| chrono::NaiveDate::parse_from_str(s, DATE).ok(),
    |v| v.format(DATE).to_string(),
    "date"
);
codec!(
    timestamp,
    opt_timestamp,
    chrono::NaiveDateTime,
    |s| chrono::NaiveDateTime::parse_from_str(s, TIMESTAMP).ok(),
    |v| v.format(TIMESTAMP).to_string(),
    "timestamp"
);
codec!(
    flag,
    opt_flag,
    bool,
    |s| match s {
        "Y" | "y" => Some(true),
        "N" | "n" => Some(false),
        _ => None,
    },
    |v| if *v { "Y" } else { "N" }.to_owned(),
    "Y/N flag"
);

/// Required text; a number reads as its digits and a missing or null value as "".
pub mod string {
    use super::*;
    /// Writes the text.
    pub fn serialize<S: Serializer>(v: &str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(v)
    }
    /// Reads text, tolerating numbers and null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        Ok(super::opt_string::deserialize(d)?.unwrap_or_default())
    }
}

/// Optional text; an empty string reads as `None`.
pub mod opt_string {
    use super::*;
    /// Writes the text, or leaves the field out.
    pub fn serialize<S: Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_str(v),
            None => s.serialize_none(),
        }
    }
    /// Reads text, tolerating numbers and empty strings.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(None),
            Value::String(s) if s.is_empty() => Ok(None),
            Value::String(s) => Ok(Some(s)),
            Value::Number(n) => Ok(Some(n.to_string())),
            other => Err(de::Error::custom(format!("expected text, found {other}"))),
        }
    }
}

/// A code of a code set: any text; unknown values are kept.
pub mod code {
    use super::*;
    /// Reads a code from a string or number.
    pub fn deserialize<'de, D: Deserializer<'de>, T: From<String>>(d: D) -> Result<T, D::Error> {
        Ok(T::from(scalar(d)?.unwrap_or_default()))
    }
}

/// An optional code; an empty string reads as `None`.
pub mod opt_code {
    use super::*;
    /// Writes the code, or leaves the field out.
    pub fn serialize<S: Serializer, T: AsRef<str>>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(v) => s.serialize_str(v.as_ref()),
            None => s.serialize_none(),
        }
    }
    /// Reads a code from a string or number.
    pub fn deserialize<'de, D: Deserializer<'de>, T: From<String>>(
        d: D,
    ) -> Result<Option<T>, D::Error> {
        Ok(scalar(d)?.map(T::from))
    }
}

/// A list of objects; `null` or an empty string reads as an empty list.
pub mod list {
    use super::*;
    /// Writes the list.
    pub fn serialize<S: Serializer, T: Serialize>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
        v.serialize(s)
    }
    /// Reads the list.
    pub fn deserialize<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
        d: D,
    ) -> Result<Vec<T>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Loose<T> {
            List(Vec<T>),
            Other(Value),
        }
        match Loose::<T>::deserialize(d)? {
            Loose::List(v) => Ok(v),
            Loose::Other(Value::Null) => Ok(Vec::new()),
            Loose::Other(Value::String(s)) if s.is_empty() => Ok(Vec::new()),
            Loose::Other(other) => {
                Err(de::Error::custom(format!("expected a list, found {other}")))
            }
        }
    }
}

/// HVS joins messages with commas and leaves a trailing one; this splits them apart.
pub fn split_messages(text: Option<&str>) -> Vec<&str> {
    text.unwrap_or("")
        .split([',', '，'])
        .map(str::trim)
        .filter(|m| !m.is_empty())
        .collect()
}

/// A discriminating code of the envelope, sent as a string or (by some servers) a number.
pub(crate) fn text_of(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Tells which of a function's outcomes a reply body is.
///
/// `outcomes` come from the catalogue, success first; `rows_key` is the list a query's
/// rows arrive in. Returns the outcome's name (the success outcome when nothing else fits).
pub fn classify<'a>(v: &Value, outcomes: &[&'a str], rows_key: Option<&str>) -> &'a str {
    let has = |n: &str| outcomes.iter().find(|o| **o == n).copied();
    let request_result = text_of(v, "requestResult");
    let request_result = request_result.as_deref();
    let status = text_of(v, "targetRequestStatus");
    let status = status.as_deref();
    let result = text_of(v, "targetRequestResult");
    let result = result.as_deref();
    let found = if v.get("token").is_some() {
        has("issued")
    } else if v.get("title").is_some() && v.get("requestId").is_none() {
        has("refused")
    } else if request_result == Some("6") {
        has("duplicate")
    } else if status == Some("0") {
        has("pending")
    } else if result == Some("6") {
        has("parse_error")
    } else if let Some(key) = rows_key {
        match v.get(key) {
            Some(Value::Array(a)) if !a.is_empty() => has("rows"),
            _ => has("no_data"),
        }
    } else {
        None
    };
    found.or_else(|| outcomes.first().copied()).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_split_on_commas_without_empties() {
        assert_eq!(split_messages(Some("a,b,")), vec!["a", "b"]);
        assert!(split_messages(None).is_empty());
    }

    #[test]
    fn classifies_by_codes() {
        let o = ["processed", "duplicate", "parse_error"];
        assert_eq!(
            classify(&serde_json::json!({"requestResult": "6"}), &o, None),
            "duplicate"
        );
        assert_eq!(
            classify(
                &serde_json::json!({"requestResult": "1", "targetRequestResult": "6"}),
                &o,
                None
            ),
            "parse_error"
        );
        assert_eq!(
            classify(
                &serde_json::json!({"requestResult": "1", "targetRequestResult": "1"}),
                &o,
                None
            ),
            "processed"
        );
        let q = ["rows", "no_data"];
        assert_eq!(
            classify(
                &serde_json::json!({"requestResult": "1", "errorMsg": "No Data!"}),
                &q,
                Some("stockList")
            ),
            "no_data"
        );
        assert_eq!(
            classify(
                &serde_json::json!({"stockList": [{}]}),
                &q,
                Some("stockList")
            ),
            "rows"
        );
    }
}
