//! Conformance of the generated decoders with HVS's wire format.
//!
//! Three checks, all through `inspect_reply` and `inspect_request`:
//! - the JSON samples on the vendor's pages decode into the outcome the page shows them
//!   under and are written back unchanged (when the vendor pages are on this machine);
//! - a reply for every outcome and a request of every function code, built from the
//!   catalogue, do the same (always);
//! - replies with numbers, unknown fields, unknown codes, null lists and wrong types never
//!   make the decoder panic, and those HVS may send still decode.
//!
//! "Unchanged" allows what HVS's wire format allows: see `conformance/compare.rs`, whose
//! rules `comparison_rules` pins down.

mod conformance {
    pub mod compare;
    pub mod fixtures;
    pub mod vendor;
}

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use conformance::compare::{compare, Empty};
use conformance::fixtures::{self, Build};
use conformance::vendor::{self, Skip};
use scm_codegen::model::{Catalogue, Field, FieldType, Function};
use serde_json::{json, Value};

/// Decoder failures that are known and reported, as (code, part of the check's name,
/// path prefix). Each is printed on every run and not counted as a failure; an entry that
/// no longer fails is printed too: remove it then. Empty: the two gaps this test found
/// (envelope codes and required text sent as numbers) are fixed in `wire.rs`.
const KNOWN_GAPS: &[(&str, &str, &str)] = &[];

const DOCS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/hvs-docs");
const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec");

fn catalogue() -> Catalogue {
    scm_codegen::load_dir(Path::new(SPEC), "spec")
        .unwrap_or_else(|e| panic!("the catalogue does not load:\n{e:?}"))
}

/// One failed check.
struct Failure {
    code: String,
    what: String,
    path: String,
    reason: String,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {}: at {}: {}",
            self.code, self.what, self.path, self.reason
        )
    }
}

fn known(f: &Failure) -> bool {
    KNOWN_GAPS.iter().any(|(code, what, path)| {
        f.code == *code && f.what.contains(what) && f.path.starts_with(path)
    })
}

/// Prints the known gaps among `failures` and fails on any other; `family` names the
/// checks of the calling test (`sample`, `fixture`, `mutation`).
fn assert_none(title: &str, family: &str, failures: &[Failure]) {
    let (gaps, new): (Vec<&Failure>, Vec<&Failure>) = failures.iter().partition(|f| known(f));
    for f in &gaps {
        println!("known gap: {f}");
    }
    for (code, what, path) in KNOWN_GAPS.iter().filter(|g| g.1.contains(family)) {
        let still = gaps
            .iter()
            .any(|f| f.code == *code && f.what.contains(what) && f.path.starts_with(path));
        if !still && built(code) {
            println!("known gap no longer fails, remove it from KNOWN_GAPS: {code} {what}");
        }
    }
    let list: Vec<String> = new.iter().map(ToString::to_string).collect();
    assert!(
        list.is_empty(),
        "{title}: {} failures:\n{}",
        list.len(),
        list.join("\n")
    );
}

/// Decodes `value` as a reply of `code`, checks its outcome, and compares it written back.
fn check_reply(
    cat: &Catalogue,
    f: &Function,
    expected: &str,
    value: &Value,
    empty: Empty,
    dropped: &mut Vec<String>,
) -> Result<(), (String, String)> {
    let decoded = catch_unwind(AssertUnwindSafe(|| {
        scm_generated::inspect_reply(&f.code, value.clone())
    }))
    .map_err(|_| ("$".to_owned(), "the decoder panicked".to_owned()))?;
    let (outcome, written) = match decoded {
        None => {
            return Err((
                "$".to_owned(),
                "inspect_reply does not know the code".to_owned(),
            ))
        }
        Some(Err(e)) => return Err(("$".to_owned(), format!("does not decode: {e}"))),
        Some(Ok(ok)) => ok,
    };
    if outcome != expected {
        return Err((
            "$".to_owned(),
            format!("decodes as `{outcome}`, expected `{expected}`"),
        ));
    }
    let fields = fixtures::reply_fields(cat, f, expected);
    compare(cat, &fields, value, &written, empty, dropped).map_err(|d| (d.path, d.reason))
}

/// Decodes `value` as a request of `code` and compares it written back.
fn check_request(
    cat: &Catalogue,
    f: &Function,
    value: &Value,
    empty: Empty,
    dropped: &mut Vec<String>,
) -> Result<(), (String, String)> {
    let decoded = catch_unwind(AssertUnwindSafe(|| {
        scm_generated::inspect_request(&f.code, value.clone())
    }))
    .map_err(|_| ("$".to_owned(), "the decoder panicked".to_owned()))?;
    let written = match decoded {
        None => {
            return Err((
                "$".to_owned(),
                "inspect_request does not know the code".to_owned(),
            ))
        }
        Some(Err(e)) => return Err(("$".to_owned(), format!("does not decode: {e}"))),
        Some(Ok(w)) => w,
    };
    let fields = fixtures::request_fields(cat, f);
    compare(cat, &fields, value, &written, empty, dropped).map_err(|d| (d.path, d.reason))
}

#[test]
fn vendor_samples_decode_and_round_trip() {
    let docs = Path::new(DOCS);
    if !docs.is_dir() {
        println!("skipped: no vendor docs");
        return;
    }
    let cat = catalogue();
    let mut found = 0;
    let mut decoded = 0;
    let mut skipped: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    let mut invalid = Vec::new();
    let mut by_outcome: BTreeMap<&str, usize> = BTreeMap::new();
    // Unknown keys dropped on the way back, by code: tolerated, listed.
    let mut dropped: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (code, page) in vendor::pages(docs) {
        let text = std::fs::read_to_string(&page)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", page.display()));
        for sample in vendor::samples(&text) {
            found += 1;
            let fail = |path: String, reason: String| Failure {
                code: code.clone(),
                what: format!(
                    "sample {} ({}, line {})",
                    sample.index,
                    if sample.request { "request" } else { "reply" },
                    sample.line
                ),
                path,
                reason,
            };
            // The content decides first (a placeholder is one on any page), then the scope.
            let value = match vendor::parse(&sample) {
                Ok(v) => v,
                Err(why) => {
                    if why == Skip::InvalidJson {
                        let text = vendor::strip_comments(&sample.text);
                        let error = serde_json::from_str::<Value>(&text).err();
                        invalid.push(format!(
                            "{code} sample {}: {}",
                            sample.index,
                            error.map(|e| e.to_string()).unwrap_or_default()
                        ));
                    }
                    *skipped.entry(skip_name(why)).or_default() += 1;
                    continue;
                }
            };
            if !built(&code) {
                *skipped.entry(skip_name(Skip::OutOfScope)).or_default() += 1;
                continue;
            }
            let Some(f) = cat.functions.get(&code) else {
                failures.push(fail(
                    "$".into(),
                    "the crate knows the code, the catalogue does not".into(),
                ));
                continue;
            };
            let mut lost = Vec::new();
            let result = if sample.request {
                check_request(&cat, f, &value, Empty::Lenient, &mut lost)
            } else {
                let section = sample.section.as_deref().unwrap_or("");
                match vendor::outcome_of_section(section) {
                    None => Err((
                        "$".into(),
                        format!("no outcome for the section `{section}`"),
                    )),
                    Some(expected) => {
                        let checked =
                            check_reply(&cat, f, expected, &value, Empty::Lenient, &mut lost);
                        if checked.is_ok() {
                            *by_outcome.entry(expected).or_default() += 1;
                        }
                        checked
                    }
                }
            };
            match result {
                Ok(()) => decoded += 1,
                Err((path, reason)) => failures.push(fail(path, reason)),
            }
            let what = if sample.request { "request" } else { "reply" };
            dropped
                .entry(code.clone())
                .or_default()
                .extend(lost.into_iter().map(|p| format!("{what} {p}")));
        }
    }
    for (code, mut paths) in dropped {
        paths.sort();
        paths.dedup();
        if !paths.is_empty() {
            println!(
                "{code}: keys the catalogue does not know, dropped: {}",
                paths.join(", ")
            );
        }
    }
    for line in &invalid {
        println!("not JSON, skipped: {line}");
    }
    let replies: Vec<String> = by_outcome
        .iter()
        .map(|(o, n)| format!("{o}: {n}"))
        .collect();
    println!(
        "vendor samples round-tripped: {} requests, replies {}",
        decoded - by_outcome.values().sum::<usize>(),
        replies.join(", ")
    );
    let count = |k: Skip| skipped.get(skip_name(k)).copied().unwrap_or(0);
    println!(
        "conformance: {found} samples found, {decoded} decoded and round-tripped, {} skipped \
         (placeholder: {}, empty: {}, invalid JSON: {}, out of scope: {})",
        skipped.values().sum::<usize>(),
        count(Skip::Placeholder),
        count(Skip::Empty),
        count(Skip::InvalidJson),
        count(Skip::OutOfScope),
    );
    assert!(found > 0, "no samples found in {DOCS}");
    assert_none("vendor samples", "sample", &failures);
}

/// Whether this build has the code (its business area's feature is on).
fn built(code: &str) -> bool {
    scm_generated::inspect_reply(code, Value::Null).is_some()
}

fn skip_name(s: Skip) -> &'static str {
    match s {
        Skip::Placeholder => "placeholder",
        Skip::Empty => "empty",
        Skip::InvalidJson => "invalid JSON",
        Skip::OutOfScope => "out of scope",
    }
}

#[test]
fn own_fixtures_decode_and_round_trip() {
    let cat = catalogue();
    let (mut replies, mut requests) = (0, 0);
    let mut failures = Vec::new();
    // Codes of business areas left out of this build (`--no-default-features`).
    let mut not_built = Vec::new();
    for f in cat.functions.values() {
        if !built(&f.code) {
            not_built.push(f.code.as_str());
            continue;
        }
        for blank in [false, true] {
            let variant = if blank { ", optionals blank" } else { "" };
            let empty = if blank { Empty::Absent } else { Empty::Lenient };
            for o in cat.outcomes_of(f) {
                let build = Build {
                    cat: &cat,
                    outcome: Some(&o.name),
                    blank_optionals: blank,
                };
                let fields = fixtures::reply_fields(&cat, f, &o.name);
                let value = build.object(&fields, 1, 0);
                let mut dropped = Vec::new();
                match check_reply(&cat, f, &o.name, &value, empty, &mut dropped) {
                    Ok(()) => replies += 1,
                    Err((path, reason)) => failures.push(Failure {
                        code: f.code.clone(),
                        what: format!("fixture {}{variant}", o.name),
                        path,
                        reason,
                    }),
                }
                assert!(
                    dropped.is_empty(),
                    "{}: catalogue fields dropped: {dropped:?}",
                    f.code
                );
            }
            let build = Build {
                cat: &cat,
                outcome: None,
                blank_optionals: blank,
            };
            let value = build.object(&fixtures::request_fields(&cat, f), 1, 0);
            let mut dropped = Vec::new();
            match check_request(&cat, f, &value, empty, &mut dropped) {
                Ok(()) => requests += 1,
                Err((path, reason)) => failures.push(Failure {
                    code: f.code.clone(),
                    what: format!("fixture request{variant}"),
                    path,
                    reason,
                }),
            }
        }
    }
    println!(
        "own fixtures: {replies} replies and {requests} requests round-tripped for {} codes",
        cat.functions.len() - not_built.len()
    );
    if !not_built.is_empty() {
        println!("not in this build: {}", not_built.join(", "));
    }
    assert_none("own fixtures", "fixture", &failures);
}

/// Codes the robustness check feeds mutated replies to: each kind once, and the token.
const ROBUST: [&str; 7] = [
    "API010COF",
    "API010COB",
    "API010NNF",
    "API230DLF",
    "API110ULF",
    "API290COF",
    "token",
];

/// What a mutated reply must do besides not panicking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Decode into the outcome it was built for and write back the same values.
    Same,
    /// Decode into the outcome it was built for.
    SameOutcome,
    /// Decode into this outcome.
    Outcome(&'static str),
    /// Anything but a panic.
    NoPanic,
}

#[test]
fn mutated_replies_never_panic() {
    let cat = catalogue();
    let mut failures = Vec::new();
    let mut runs = 0;
    let codes: Vec<&str> = ROBUST.into_iter().filter(|c| built(c)).collect();
    for &code in &codes {
        let f = cat
            .functions
            .get(code)
            .unwrap_or_else(|| panic!("{code} is not in the catalogue"));
        for o in cat.outcomes_of(f) {
            let build = Build {
                cat: &cat,
                outcome: Some(&o.name),
                blank_optionals: false,
            };
            let fields = fixtures::reply_fields(&cat, f, &o.name);
            let base = build.object(&fields, 1, 0);
            for (name, value, expect) in mutations(&cat, &fields, &base, &o.name) {
                runs += 1;
                let fail = |reason: String| Failure {
                    code: code.to_owned(),
                    what: format!("{} mutation `{name}`", o.name),
                    path: "$".into(),
                    reason,
                };
                let outcome = catch_unwind(AssertUnwindSafe(|| {
                    scm_generated::inspect_reply(code, value.clone())
                }));
                let decoded = match outcome {
                    Err(_) => {
                        failures.push(fail("the decoder panicked".into()));
                        continue;
                    }
                    Ok(None) => {
                        failures.push(fail("inspect_reply does not know the code".into()));
                        continue;
                    }
                    Ok(Some(d)) => d,
                };
                let wanted = match expect {
                    Expect::NoPanic => continue,
                    Expect::Same | Expect::SameOutcome => o.name.as_str(),
                    Expect::Outcome(other) => other,
                };
                match decoded {
                    Err(e) => failures.push(fail(format!("does not decode: {e}"))),
                    Ok((got, _)) if got != wanted => {
                        failures.push(fail(format!("decodes as `{got}`, expected `{wanted}`")));
                    }
                    Ok((_, written)) if expect == Expect::Same => {
                        let mut dropped = Vec::new();
                        let same = compare(
                            &cat,
                            &fields,
                            &value,
                            &written,
                            Empty::Lenient,
                            &mut dropped,
                        );
                        if let Err(d) = same {
                            failures.push(Failure {
                                path: d.path,
                                ..fail(d.reason)
                            });
                        }
                    }
                    Ok(_) => {}
                }
            }
        }
    }
    let panics = failures
        .iter()
        .filter(|f| f.reason.contains("panicked"))
        .count();
    println!(
        "robustness: {runs} mutated replies of {} codes, {panics} panics",
        codes.len()
    );
    assert_none("mutated replies", "mutation", &failures);
}

/// The envelope codes that select an outcome.
const DISCRIMINATORS: [&str; 3] = [
    "requestResult",
    "targetRequestStatus",
    "targetRequestResult",
];

/// A field picked by its path and its catalogue entry, and its new value.
type Pick<'p> = Box<dyn Fn(&str, &Field) -> Option<Value> + 'p>;

/// Mutations of a well-formed reply of `outcome`: (name, reply, what it must do).
fn mutations(
    cat: &Catalogue,
    fields: &[&Field],
    base: &Value,
    outcome: &str,
) -> Vec<(String, Value, Expect)> {
    let mut paths = Vec::new();
    fixtures::walk(cat, fields, base, "$", &mut paths);
    let is_top = |p: &str| !p["$.".len()..].contains('.');
    let is_list = |f: &Field| matches!(f.ty, FieldType::List(_));
    let mutate = |pick: &Pick| {
        let mut v = base.clone();
        let mut changed = false;
        for (p, f) in &paths {
            if let (Some(new), Some(slot)) = (pick(p, f), fixtures::at(&mut v, p)) {
                *slot = new;
                changed = true;
            }
        }
        changed.then_some(v)
    };
    let top_list_null = if outcome == "rows" {
        Expect::Outcome("no_data")
    } else {
        Expect::SameOutcome
    };
    let cases: Vec<(&str, Expect, Pick)> = vec![
        // Numbers where HVS writes numeric strings.
        (
            "integers and decimals as numbers",
            Expect::Same,
            Box::new(|_, f| match f.ty {
                FieldType::Integer => Some(json!(12)),
                FieldType::Decimal { .. } => Some(json!(12.5)),
                _ => None,
            }),
        ),
        (
            "envelope codes as numbers",
            Expect::Same,
            Box::new(|p, f| {
                let code = base.get(&f.wire)?.as_str()?.parse::<i64>().ok()?;
                (is_top(p) && DISCRIMINATORS.contains(&f.wire.as_str())).then_some(json!(code))
            }),
        ),
        (
            "text as numbers",
            Expect::Same,
            Box::new(|_, f| matches!(f.ty, FieldType::String).then(|| json!(7))),
        ),
        // Codes outside their code set are kept.
        (
            "unknown codes",
            Expect::Same,
            Box::new(|_, f| {
                let other = matches!(f.ty, FieldType::Code(_))
                    && !DISCRIMINATORS.contains(&f.wire.as_str());
                other.then(|| json!("ZZ"))
            }),
        ),
        // Lists sent as null read as empty; a query's empty rows list is no data.
        (
            "nested lists null",
            Expect::SameOutcome,
            Box::new(|p, f| (is_list(f) && !is_top(p)).then_some(Value::Null)),
        ),
        (
            "top list null",
            top_list_null,
            Box::new(|p, f| (is_list(f) && is_top(p)).then_some(Value::Null)),
        ),
        // Wrong types: an error at most.
        (
            "objects for scalars",
            Expect::NoPanic,
            Box::new(|_, f| {
                f.ty.shape()
                    .is_none()
                    .then(|| json!({"unexpected": "object"}))
            }),
        ),
        (
            "arrays for scalars",
            Expect::NoPanic,
            Box::new(|_, f| f.ty.shape().is_none().then(|| json!(["unexpected"]))),
        ),
        (
            "strings for lists and objects",
            Expect::NoPanic,
            Box::new(|_, f| f.ty.shape().is_some().then(|| json!("unexpected"))),
        ),
        (
            "booleans everywhere",
            Expect::NoPanic,
            Box::new(|_, _| Some(json!(true))),
        ),
        (
            "huge numbers",
            Expect::NoPanic,
            Box::new(|_, f| match f.ty {
                FieldType::Integer | FieldType::Decimal { .. } => Some(json!(1e300)),
                _ => None,
            }),
        ),
    ];
    let mut out: Vec<(String, Value, Expect)> = cases
        .into_iter()
        .filter_map(|(name, expect, pick)| Some((name.to_owned(), mutate(&pick)?, expect)))
        .collect();
    // Unknown fields at every level are ignored.
    let mut extra = base.clone();
    add_unknown(&mut extra);
    out.push(("unknown fields".to_owned(), extra, Expect::Same));
    out.push((
        "not an object".to_owned(),
        json!(["a reply?"]),
        Expect::NoPanic,
    ));
    out.push(("empty object".to_owned(), json!({}), Expect::NoPanic));
    out
}

fn add_unknown(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.values_mut().for_each(add_unknown);
            map.insert("zzUnknownText".into(), json!("x"));
            map.insert("zzUnknownObject".into(), json!({"a": [1, "b"]}));
        }
        Value::Array(items) => items.iter_mut().for_each(add_unknown),
        _ => {}
    }
}

/// The comparison itself: what it accepts and what it catches.
#[test]
fn comparison_rules() {
    let cat = catalogue();
    let f = &cat.functions["API010COF"];
    let fields = fixtures::reply_fields(&cat, f, "processed");
    let check = |sent: Value, written: Value, empty: Empty| {
        let mut dropped = Vec::new();
        compare(&cat, &fields, &sent, &written, empty, &mut dropped).map(|()| dropped)
    };
    let lenient = Empty::Lenient;
    let line = |qty: Value| {
        let line = json!({"lineId": "1", "priceActual": qty});
        json!({"docList": [{"docNo": "1", "lineList": [line]}]})
    };
    // Accepted: spellings, numbers by value, empty strings left out, nulls added.
    assert!(check(
        json!({"targetRequestErrorMsg ": "x"}),
        json!({"targetRequestErrorMsg": "x"}),
        lenient
    )
    .is_ok());
    assert!(check(
        json!({"docList": [{"docSatus": "CO"}]}),
        json!({"docList": [{"docStatus": "CO"}]}),
        lenient
    )
    .is_ok());
    assert!(check(line(json!("2000")), line(json!("2000.0")), lenient).is_ok());
    assert!(check(line(json!(2000)), line(json!("2000")), lenient).is_ok());
    assert!(check(
        json!({"docList": [], "errorMsg": ""}),
        json!({"docList": []}),
        lenient
    )
    .is_ok());
    assert!(check(json!({"errorMsg": ""}), json!({"errorMsg": ""}), lenient).is_ok());
    assert!(check(json!({}), json!({"errorMsg": null}), lenient).is_ok());
    // Unknown keys may be dropped, and are reported.
    let dropped = check(
        json!({"docList": [{"zz": "1"}]}),
        json!({"docList": [{}]}),
        lenient,
    );
    assert_eq!(dropped.unwrap(), vec!["$.docList[0].zz"]);
    // Only integers and decimals compare by value; other numbers by their text.
    let doc = |no: Value| json!({"docList": [{"docNo": no}]});
    assert!(check(doc(json!(7)), doc(json!("7")), lenient).is_ok());
    // Caught: changed values, dropped catalogue fields, invented values, lost items.
    let diff = |sent, written, empty| check(sent, written, empty).unwrap_err().path;
    assert_eq!(
        diff(line(json!("2000")), line(json!("2001")), lenient),
        "$.docList[0].lineList[0].priceActual"
    );
    assert_eq!(
        diff(json!({"errorMsg": "a"}), json!({"errorMsg": "b"}), lenient),
        "$.errorMsg"
    );
    assert_eq!(
        diff(json!({"errorMsg": "a"}), json!({}), lenient),
        "$.errorMsg"
    );
    assert_eq!(
        diff(json!({}), json!({"errorMsg": ""}), lenient),
        "$.errorMsg"
    );
    assert_eq!(
        diff(
            json!({"docList": [{}, {}]}),
            json!({"docList": [{}]}),
            lenient
        ),
        "$.docList"
    );
    assert_eq!(
        diff(
            json!({"errorMsg": ""}),
            json!({"errorMsg": ""}),
            Empty::Absent
        ),
        "$.errorMsg"
    );
    assert_eq!(
        diff(json!({"errorMsg": "1"}), json!({"errorMsg": 1.5}), lenient),
        "$.errorMsg"
    );
    assert_eq!(
        diff(doc(json!("007")), doc(json!("7")), lenient),
        "$.docList[0].docNo"
    );
    assert_eq!(
        diff(doc(json!(7.0)), doc(json!("7")), lenient),
        "$.docList[0].docNo"
    );
}
