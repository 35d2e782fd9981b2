//! The checked catalogue: plain data that the emitters and exporters read.
//!
//! Every reference here has been resolved and checked by `validate`; emitters never
//! look at YAML.

use indexmap::IndexMap;

/// The whole catalogue, in catalogue order, with functions sorted by code.
#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    /// Business areas.
    pub features: IndexMap<String, Feature>,
    /// The protocol of each kind.
    pub kinds: IndexMap<Kind, KindProtocol>,
    /// Outcomes by name.
    pub outcomes: IndexMap<String, Outcome>,
    /// Code sets by name.
    pub codesets: IndexMap<String, CodeSet>,
    /// Shapes by name, each with its fields fully merged from the dictionary.
    pub shapes: IndexMap<String, Shape>,
    /// Function codes, sorted by code (`token` last).
    pub functions: IndexMap<String, Function>,
}

/// A business area, also a Cargo feature of the generated crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// Feature name.
    pub name: String,
    /// What it covers.
    pub doc: String,
}

/// What a function does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// Creates documents (COF, COB).
    Create,
    /// Updates existing documents (ULF).
    Upload,
    /// Reads business data (DLF, PDF).
    Query,
    /// Looks up the result of an earlier create (NNF).
    ResultQuery,
    /// Acts on existing documents (API290).
    DocumentAction,
    /// Issues a token.
    Auth,
}

impl Kind {
    /// Every kind with its catalogue name.
    pub const ALL: [(Kind, &'static str); 6] = [
        (Kind::Create, "create"),
        (Kind::Upload, "upload"),
        (Kind::Query, "query"),
        (Kind::ResultQuery, "result_query"),
        (Kind::DocumentAction, "document_action"),
        (Kind::Auth, "auth"),
    ];

    /// The catalogue name.
    pub fn as_str(self) -> &'static str {
        Kind::ALL
            .iter()
            .find(|(k, _)| *k == self)
            .map_or("", |(_, s)| s)
    }

    /// Parses a catalogue name.
    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.iter().find(|(_, n)| *n == s).map(|(k, _)| *k)
    }
}

/// Sync (F) or async (B).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The call returns the outcome.
    Sync,
    /// The call queues the request; the result query reports the outcome later.
    Async,
}

impl Mode {
    /// The catalogue name.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Sync => "sync",
            Mode::Async => "async",
        }
    }
}

/// The protocol of one kind.
#[derive(Debug, Clone, PartialEq)]
pub struct KindProtocol {
    /// What the kind does.
    pub doc: String,
    /// Shape whose fields open every request.
    pub request_envelope: Option<String>,
    /// Fixed request body shape.
    pub request: Option<String>,
    /// Outcomes in sync mode, success first.
    pub sync: Vec<String>,
    /// Outcomes in async mode, success first.
    pub r#async: Vec<String>,
}

impl KindProtocol {
    /// The outcomes in the given mode.
    pub fn outcomes(&self, mode: Mode) -> &[String] {
        match mode {
            Mode::Sync => &self.sync,
            Mode::Async => &self.r#async,
        }
    }
}

/// Which of a function's shapes comes with an outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Body {
    /// The function's `result` shape.
    Result,
    /// The function's `rows` shape.
    Rows,
}

/// One outcome of a reply.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Name (`processed`, `duplicate` …).
    pub name: String,
    /// Meaning.
    pub doc: String,
    /// Envelope shape.
    pub envelope: Option<String>,
    /// Which body comes with it.
    pub body: Option<Body>,
    /// HTTP status, 200 unless set.
    pub status: u16,
}

/// A set of codes.
#[derive(Debug, Clone, PartialEq)]
pub struct CodeSet {
    /// Name, also the Rust enum's name.
    pub name: String,
    /// Meaning.
    pub doc: String,
    /// Codes in catalogue order.
    pub codes: Vec<Code>,
}

/// One code.
#[derive(Debug, Clone, PartialEq)]
pub struct Code {
    /// Wire value.
    pub value: String,
    /// Rust variant name.
    pub name: String,
    /// HVS's label.
    pub label: String,
    /// Meaning.
    pub doc: String,
}

/// A named object shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Name, also the Rust type's name.
    pub name: String,
    /// What it is.
    pub doc: String,
    /// Fields in wire order, inherited ones first.
    pub fields: Vec<Field>,
    /// Groups of wire names of which at least one must be set.
    pub one_of: Vec<Vec<String>>,
}

/// The type of a field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldType {
    /// Text.
    String,
    /// Whole number.
    Integer,
    /// `yyyy-MM-dd`.
    Date,
    /// `yyyy-MM-dd HH:mm:ss`.
    Timestamp,
    /// Decimal number with at most `precision` digits, `scale` after the point.
    Decimal {
        /// Total digits.
        precision: u32,
        /// Digits after the point.
        scale: u32,
    },
    /// `Y` or `N`.
    Flag,
    /// One of a named code set.
    Code(String),
    /// A list of objects of a named shape.
    List(String),
    /// One object of a named shape.
    Object(String),
}

impl FieldType {
    /// The type's name as the OpenAPI export's `x-hvs-type` states it.
    pub fn hvs_name(&self) -> &'static str {
        match self {
            FieldType::String => "string",
            FieldType::Integer => "integer",
            FieldType::Date => "date",
            FieldType::Timestamp => "timestamp",
            FieldType::Decimal { .. } => "decimal",
            FieldType::Flag => "flag",
            FieldType::Code(_) => "code",
            FieldType::List(_) => "list",
            FieldType::Object(_) => "object",
        }
    }

    /// The shape a list or object refers to.
    pub fn shape(&self) -> Option<&str> {
        match self {
            FieldType::List(s) | FieldType::Object(s) => Some(s),
            _ => None,
        }
    }
}

/// Whether a field must be set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always.
    Required,
    /// Never.
    Optional,
    /// Under a condition: a one-of group or a note.
    Conditional,
}

impl Presence {
    /// The catalogue name.
    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Required => "required",
            Presence::Optional => "optional",
            Presence::Conditional => "conditional",
        }
    }
}

/// A field of a shape, merged with its dictionary entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The JSON name, exactly as HVS spells it.
    pub wire: String,
    /// The Rust name.
    pub rust_name: String,
    /// The type.
    pub ty: FieldType,
    /// Maximum length in characters.
    pub length: Option<u32>,
    /// Whether it must be set.
    pub presence: Presence,
    /// HVS's Chinese label.
    pub label: String,
    /// English description.
    pub doc: String,
    /// When a conditional field is required.
    pub when: Option<String>,
    /// Other spellings the server sends.
    pub aliases: Vec<String>,
    /// A secret, never logged.
    pub secret: bool,
}

/// A function code.
#[derive(Debug, Clone, PartialEq)]
pub struct Function {
    /// The code (`API010COF`), or `token`.
    pub code: String,
    /// What it does.
    pub kind: Kind,
    /// Sync or async.
    pub mode: Mode,
    /// The endpoint slug, when under `/api/v1/processes/`.
    pub slug: Option<String>,
    /// The full endpoint path.
    pub path: String,
    /// HVS's Chinese title.
    pub title: String,
    /// English snake_case name of the business object.
    pub name: String,
    /// The business area.
    pub feature: String,
    /// English description.
    pub doc: String,
    /// Request body shape (for a shared request, the twin's).
    pub request: Option<String>,
    /// The function this one shares its request with.
    pub request_of: Option<String>,
    /// Body shape of the processed outcome (for a result query, its create's).
    pub result: Option<String>,
    /// Body shape of the rows outcome.
    pub rows: Option<String>,
    /// For a result query, the create it reports on.
    pub result_of: Option<String>,
    /// For a create, the result query that reports on it.
    pub result_query: Option<String>,
    /// Declared differences from the vendor page.
    pub deviations: Vec<Deviation>,
}

/// A deliberate difference from the vendor's page.
#[derive(Debug, Clone, PartialEq)]
pub struct Deviation {
    /// Where, as `request.docList.qty` or `processed.docList.docStatus`.
    pub path: String,
    /// Why.
    pub reason: String,
}

impl Catalogue {
    /// The shape of that name; validation guarantees every reference resolves.
    pub fn shape(&self, name: &str) -> Option<&Shape> {
        self.shapes.get(name)
    }

    /// The outcomes of a function, success first.
    pub fn outcomes_of(&self, f: &Function) -> Vec<&Outcome> {
        self.kinds
            .get(&f.kind)
            .map(|k| {
                k.outcomes(f.mode)
                    .iter()
                    .filter_map(|o| self.outcomes.get(o))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The body shape an outcome of a function carries.
    pub fn body_of<'a>(&'a self, f: &'a Function, o: &Outcome) -> Option<&'a str> {
        match o.body? {
            Body::Result => f.result.as_deref(),
            Body::Rows => f.rows.as_deref(),
        }
    }

    /// The request envelope and body shape of a function.
    pub fn request_shapes<'a>(&'a self, f: &'a Function) -> (Option<&'a str>, Option<&'a str>) {
        let k = self.kinds.get(&f.kind);
        let env = k.and_then(|k| k.request_envelope.as_deref());
        let body = f
            .request
            .as_deref()
            .or_else(|| k.and_then(|k| k.request.as_deref()));
        (env, body)
    }
}
