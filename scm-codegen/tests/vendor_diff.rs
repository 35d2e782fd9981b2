//! The vendor diff: the real catalogue against the vendor pages (when they are around),
//! and a tiny catalogue against tiny pages that pin each rule.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use scm_codegen::load::Source;
use scm_codegen::vendor::{self, DiffKind, Report};
use scm_codegen::Catalogue;

#[test]
fn real_catalogue_has_no_undeclared_differences() {
    let docs = Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/hvs-docs"
    ));
    if !docs.is_dir() {
        println!("vendor-diff skipped: {} does not exist", docs.display());
        return;
    }
    let spec = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec"));
    let catalogue = scm_codegen::load_dir(spec, "spec").unwrap_or_else(|e| panic!("{e}"));
    let report = vendor::run(&catalogue, docs).unwrap_or_else(|e| panic!("{e}"));
    println!("{}", report.summary());
    assert_eq!(
        report.undeclared_count(),
        0,
        "undeclared differences:\n{report}"
    );
    assert_eq!(report.codes_compared, catalogue.functions.len());
}

const CATALOGUE: &str = "\
features:
  stock: { doc: \"Stock\" }
kinds:
  query:
    doc: \"Reads business data\"
    request_envelope: RequestEnvelope
    sync: [rows, no_data]
outcomes:
  rows: { envelope: Reply, body: rows, doc: \"The query found data\" }
  no_data: { envelope: Reply, doc: \"The query found nothing\" }
shapes:
  RequestEnvelope:
    doc: \"Fields every request carries\"
    fields:
      requestId: { presence: required, type: string, length: 36, doc: \"Unique id of this call\" }
  Reply:
    doc: \"Fields every reply carries\"
    fields:
      requestId: { presence: required, type: string, length: 36, doc: \"Request id echoed back\" }
      errorMsg: { presence: required, type: string, length: 255, doc: \"Message about the request\" }
";

/// The function, with `{deviations}` to fill in.
const FUNCTION: &str = "\
functions:
  API900DLF:
    kind: query
    mode: sync
    slug: querything
    title: \"查询东西\"
    name: thing
    feature: stock
    request: ThingQuery
    rows: ThingRows
    doc: \"Queries things\"
{deviations}
shapes:
  ThingQuery:
    doc: \"Filters for a query of things\"
    fields:
      thing_Value: { presence: required, type: string, length: 40, doc: \"Code of the thing\" }
  ThingRow:
    doc: \"One thing found\"
    fields:
      thing_Value: { presence: required, type: string, length: 40, doc: \"Code of the thing\" }
      qty: { presence: optional, type: \"decimal(16,6)\", doc: \"Quantity\" }
  ThingRows:
    doc: \"Things found\"
    fields:
      thingList: { presence: required, type: \"list(ThingRow)\", doc: \"The things\" }
";

/// A vendor page for API900DLF whose `qty` has the given length.
fn page(qty_length: &str) -> String {
    format!(
        "\
# API900DLF

##  Request

 ```POST```  https://*{{ HVS的URL }}*/api/v1/processes/**querything**

###  Request Body

|名称|类型|长度|必填项|附注|
|:--|:--|:--|:--|:--|
|requestId|string|36|✓|每次处理唯一的ID|
|thing_Value|string|<span>40</span>|✓|东西的编码|

##  Response

###  Response Body

* 有数据时返回如下JSON数据

|名称|类型|长度|必填项|附注|
|:--|:--|:--|:--|:--|
|thingList|list||✓|东西列表|
|&nbsp; &nbsp; thing_Value|String|40|✓|东西的编码|
|&nbsp; &nbsp; qty|bigdecimal|{qty_length}|-|数量|
|requestId|string|36|✓|Request的ID|
|errorMsg|string|255|✓|处理消息|

* 无对象数据时返回如下JSON数据

|名称|类型|长度|必填项|附注|
|:--|:--|:--|:--|:--|
|requestId|string|36|✓|Request的ID|
|errorMsg|string|255|✓|处理消息|
"
    )
}

fn catalogue(deviations: &str) -> Catalogue {
    let sources = [
        Source {
            name: "spec/catalogue.yaml".to_owned(),
            text: CATALOGUE.to_owned(),
        },
        Source {
            name: "spec/functions/api900.yaml".to_owned(),
            text: FUNCTION.replace("{deviations}", deviations),
        },
    ];
    scm_codegen::load_sources(&sources).unwrap_or_else(|e| panic!("{e}"))
}

/// A fresh folder of vendor pages under the temp dir, removed on drop.
struct Pages(PathBuf);

impl Pages {
    fn new(pages: &[(&str, &str)]) -> Pages {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "scm-vendor-diff-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("processes")).expect("create temp dir");
        for (name, text) in pages {
            std::fs::write(dir.join("processes").join(name), text).expect("write page");
        }
        Pages(dir)
    }
}

impl Drop for Pages {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn run(deviations: &str, pages: &[(&str, &str)]) -> Report {
    let dir = Pages::new(pages);
    vendor::run(&catalogue(deviations), &dir.0).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn matching_page_has_no_differences() {
    let report = run("", &[("API900DLF.md", &page("16,6"))]);
    assert_eq!(report.undeclared_count(), 0, "{report}");
    assert_eq!(report.declared_count(), 0, "{report}");
    assert_eq!(report.codes_compared, 1);
    // request: requestId, thing_Value; rows: thingList, its two fields, requestId, errorMsg;
    // no_data: requestId, errorMsg.
    assert_eq!(report.fields_checked, 9);
}

#[test]
fn length_difference_is_reported() {
    let report = run("", &[("API900DLF.md", &page("16,4"))]);
    assert_eq!(report.undeclared_count(), 1, "{report}");
    let d = &report.undeclared[0];
    assert_eq!(
        (d.code.as_str(), d.path.as_str(), d.kind),
        ("API900DLF", "rows.thingList.qty", DiffKind::Length)
    );
    assert_eq!((d.catalogue.as_str(), d.vendor.as_str()), ("16,6", "16,4"));
    assert!(
        report.to_string().contains("1 undeclared differences"),
        "{report}"
    );
}

#[test]
fn declared_deviation_is_listed_apart() {
    let deviations = "    deviations:\n      - path: rows.thingList.qty\n        reason: \"the vendor's scale is too small\"\n";
    let report = run(deviations, &[("API900DLF.md", &page("16,4"))]);
    assert_eq!(report.undeclared_count(), 0, "{report}");
    assert_eq!(report.declared_count(), 1, "{report}");
    let d = &report.declared[0];
    assert_eq!(
        (d.difference.path.as_str(), d.difference.kind),
        ("rows.thingList.qty", DiffKind::Length)
    );
    assert_eq!(d.reason, "the vendor's scale is too small");
    let text = report.to_string();
    assert!(
        text.contains("declared    rows.thingList.qty: length differs"),
        "{text}"
    );
    assert!(
        text.contains("reason: the vendor's scale is too small"),
        "{text}"
    );
}

#[test]
fn stale_deviation_is_an_undeclared_problem() {
    let deviations = "    deviations:\n      - path: rows.thingList.qty\n        reason: \"no longer differs\"\n";
    let report = run(deviations, &[("API900DLF.md", &page("16,6"))]);
    assert_eq!(report.undeclared_count(), 1, "{report}");
    assert_eq!(report.undeclared[0].kind, DiffKind::StaleDeviation);
    assert_eq!(report.undeclared[0].path, "rows.thingList.qty");
}

#[test]
fn out_of_scope_page_is_not_a_difference() {
    let other = page("1,1").replace("API900DLF", "API999DLF");
    let report = run(
        "",
        &[("API900DLF.md", &page("16,6")), ("API999DLF.md", &other)],
    );
    assert_eq!(report.undeclared_count(), 0, "{report}");
    assert_eq!(report.declared_count(), 0, "{report}");
    assert_eq!(report.out_of_scope, vec!["API999DLF".to_owned()]);
    assert!(
        report
            .to_string()
            .ends_with("0 undeclared differences, 0 declared, 1 codes outside the scope"),
        "{report}"
    );
}

#[test]
fn missing_page_nesting_and_outcomes_are_reported() {
    let nested = page("16,6")
        .replace("|&nbsp; &nbsp; qty|", "|qty|")
        .replace(
            "* 无对象数据时返回如下JSON数据",
            "* 对象请求还没处理完成时返回如下JSON数据",
        );
    let report = run("", &[("API900DLF.md", &nested)]);
    let kinds: Vec<(&str, DiffKind)> = report
        .undeclared
        .iter()
        .map(|d| (d.path.as_str(), d.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("no_data", DiffKind::OutcomeExtra),
            ("pending", DiffKind::OutcomeMissing),
            ("rows.qty", DiffKind::Nesting),
        ],
        "{report}"
    );
    let report = run("", &[]);
    assert_eq!(report.undeclared.len(), 1, "{report}");
    assert_eq!(report.undeclared[0].kind, DiffKind::NoPage);
    assert_eq!(report.codes_compared, 0);
}

#[test]
fn odd_pages_give_errors_naming_the_file() {
    let short_row = page("16,6").replace(
        "|&nbsp; &nbsp; qty|bigdecimal|16,6|-|数量|",
        "|&nbsp; &nbsp; qty|bigdecimal|",
    );
    let bad_mark = page("16,6").replace("|-|数量|", "|yes|数量|");
    let too_deep = page("16,6").replace(
        "|thing_Value|string|<span>40</span>|",
        "|&nbsp; &nbsp; &nbsp; &nbsp; thing_Value|string|40|",
    );
    let no_bullet = page("16,6").replace("* 有数据时返回如下JSON数据", "");
    for text in [
        short_row,
        bad_mark,
        too_deep,
        no_bullet,
        "|名称|类型|\n|x".to_owned(),
        String::new(),
    ] {
        let dir = Pages::new(&[("API900DLF.md", &text)]);
        let err = vendor::run(&catalogue(""), &dir.0).expect_err("odd page must give an error");
        assert!(err.to_string().contains("API900DLF.md"), "{err}");
    }
    let dir = Pages::new(&[]);
    let missing = dir.0.join("nowhere");
    let err = vendor::run(&catalogue(""), &missing).expect_err("missing folder must give an error");
    assert!(err.to_string().contains("nowhere"), "{err}");
}
