//! The catalogue as written: serde structs that mirror the YAML, with source positions.
//!
//! Nothing here is checked beyond YAML shape; `validate` lowers these into the model.

use indexmap::IndexMap;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

/// One YAML file of the catalogue; every section is optional so files can split the work.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpecFile {
    /// Business areas, each a Cargo feature of the generated crate.
    #[serde(default)]
    pub features: IndexMap<String, Spanned<FeatureDef>>,
    /// The protocol of each kind of function.
    #[serde(default)]
    pub kinds: IndexMap<String, Spanned<KindDef>>,
    /// The outcomes a reply can have.
    #[serde(default)]
    pub outcomes: IndexMap<String, Spanned<OutcomeDef>>,
    /// Named sets of codes with meanings.
    #[serde(default)]
    pub codesets: IndexMap<String, Spanned<CodeSetDef>>,
    /// The field dictionary.
    #[serde(default)]
    pub fields: IndexMap<String, Spanned<FieldUse>>,
    /// Named object shapes.
    #[serde(default)]
    pub shapes: IndexMap<String, Spanned<ShapeDef>>,
    /// Function codes.
    #[serde(default)]
    pub functions: IndexMap<String, Spanned<FunctionDef>>,
}

/// A business area.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureDef {
    /// What the area covers.
    pub doc: String,
}

/// The protocol of one kind of function.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    /// What the kind does.
    pub doc: String,
    /// Shape whose fields open every request of this kind.
    #[serde(default)]
    pub request_envelope: Option<Spanned<String>>,
    /// Fixed request body shape of this kind, if its functions do not name one.
    #[serde(default)]
    pub request: Option<Spanned<String>>,
    /// Outcomes in synchronous mode, success first.
    #[serde(default)]
    pub sync: Vec<Spanned<String>>,
    /// Outcomes in asynchronous mode, success first.
    #[serde(default)]
    pub r#async: Vec<Spanned<String>>,
}

/// One outcome of a reply.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeDef {
    /// What the outcome means.
    pub doc: String,
    /// Shape of the envelope fields of this outcome.
    #[serde(default)]
    pub envelope: Option<Spanned<String>>,
    /// Which of the function's shapes comes with it: `result` or `rows`.
    #[serde(default)]
    pub body: Option<Spanned<String>>,
    /// HTTP status of this outcome, when it is not 200.
    #[serde(default)]
    pub status: Option<u16>,
}

/// A code set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeSetDef {
    /// What the codes mean as a whole.
    pub doc: String,
    /// Each wire value with its meaning.
    pub codes: IndexMap<String, Spanned<CodeDef>>,
}

/// One code of a code set.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CodeDef {
    /// Rust variant name.
    pub name: String,
    /// HVS's Chinese label.
    pub label: String,
    /// Meaning in English.
    pub doc: String,
}

/// A named object shape.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShapeDef {
    /// What the shape is.
    pub doc: String,
    /// A shape whose fields come first.
    #[serde(default)]
    pub extends: Option<Spanned<String>>,
    /// Groups of fields of which at least one must be set.
    #[serde(default)]
    pub one_of: Vec<Spanned<Vec<String>>>,
    /// Fields in wire order.
    #[serde(default)]
    pub fields: IndexMap<String, Spanned<FieldUse>>,
}

/// A field, in the dictionary or in a shape. In a shape, the short form is the presence
/// alone (`docNo: required`) and everything else comes from the dictionary.
#[derive(Debug, Default)]
pub struct FieldUse {
    /// `required`, `optional` or `conditional`.
    pub presence: Option<String>,
    /// Type expression (`string`, `decimal(16,2)`, `list(Shape)` …).
    pub r#type: Option<String>,
    /// Maximum length in characters.
    pub length: Option<Spanned<i64>>,
    /// HVS's Chinese label.
    pub label: Option<String>,
    /// English description.
    pub doc: Option<String>,
    /// When a conditional field is required.
    pub when: Option<String>,
    /// Other spellings the server is known to send.
    pub aliases: Vec<String>,
    /// The Rust name, where the derived one does not fit.
    pub rust_name: Option<String>,
    /// The value is a secret: never logged or shown in `Debug`.
    pub secret: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldUseMap {
    #[serde(default)]
    presence: Option<String>,
    #[serde(default)]
    r#type: Option<String>,
    #[serde(default)]
    length: Option<Spanned<i64>>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    doc: Option<String>,
    #[serde(default)]
    when: Option<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    rust_name: Option<String>,
    #[serde(default)]
    secret: Option<bool>,
}

impl<'de> Deserialize<'de> for FieldUse {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FieldUse;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a presence (required, optional, conditional) or a map of field properties",
                )
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<FieldUse, E> {
                Ok(FieldUse {
                    presence: Some(v.to_owned()),
                    ..FieldUse::default()
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<FieldUse, A::Error> {
                let m = FieldUseMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(FieldUse {
                    presence: m.presence,
                    r#type: m.r#type,
                    length: m.length,
                    label: m.label,
                    doc: m.doc,
                    when: m.when,
                    aliases: m.aliases,
                    rust_name: m.rust_name,
                    secret: m.secret,
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A function code.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionDef {
    /// `create`, `upload`, `query`, `result_query`, `document_action` or `auth`.
    pub kind: Spanned<String>,
    /// `sync` (F) or `async` (B).
    pub mode: Spanned<String>,
    /// The endpoint slug as published, typos included.
    #[serde(default)]
    pub slug: Option<Spanned<String>>,
    /// A full path, for endpoints outside `/api/v1/processes/`.
    #[serde(default)]
    pub path: Option<String>,
    /// HVS's Chinese title.
    pub title: String,
    /// English name, snake_case, for Rust identifiers.
    pub name: Spanned<String>,
    /// The business area.
    pub feature: Spanned<String>,
    /// English description.
    pub doc: String,
    /// Request body shape.
    #[serde(default)]
    pub request: Option<Spanned<String>>,
    /// The function whose request this one shares (an async create names its sync twin).
    #[serde(default)]
    pub request_of: Option<Spanned<String>>,
    /// Body shape of the processed outcome.
    #[serde(default)]
    pub result: Option<Spanned<String>>,
    /// Body shape of the rows outcome of a query.
    #[serde(default)]
    pub rows: Option<Spanned<String>>,
    /// The create whose result this result query returns.
    #[serde(default)]
    pub result_of: Option<Spanned<String>>,
    /// The result query that reports on this create.
    #[serde(default)]
    pub result_query: Option<Spanned<String>>,
    /// Deliberate differences from the vendor page, each with its reason.
    #[serde(default)]
    pub deviations: Vec<DeviationDef>,
}

/// A deliberate difference from the vendor's page.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviationDef {
    /// Where: `request.docList.lineList.qty` or `processed.docList.docStatus`.
    pub path: String,
    /// Why the catalogue differs.
    pub reason: String,
}
