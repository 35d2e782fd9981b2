//! Snapshots of the emitter's output, one small catalogue per feature of the catalogue
//! language. The shared protocol (kinds, outcomes, envelopes, code sets) is the real
//! `spec/catalogue.yaml`; each test adds a few fields and one business object.

use scm_codegen::gen::Output;
use scm_codegen::load::Source;

const CATALOGUE: &str = include_str!("../../spec/catalogue.yaml");

/// Emits a catalogue made of the real shared part plus `functions`, and returns the file
/// `name` of the generated crate.
fn emit(functions: &str, name: &str) -> String {
    let sources = [
        Source {
            name: "spec/catalogue.yaml".into(),
            text: CATALOGUE.into(),
        },
        Source {
            name: "spec/functions/test.yaml".into(),
            text: functions.into(),
        },
    ];
    let c = scm_codegen::load_sources(&sources).unwrap_or_else(|e| panic!("{e}"));
    let outputs: Vec<Output> = scm_codegen::emit::outputs(&c);
    let path = format!("scm-generated/src/generated/{name}");
    outputs
        .into_iter()
        .find(|o| o.path == path)
        .unwrap_or_else(|| panic!("no output {path}"))
        .contents
}

/// A sync create with its async twin and result query, around `shapes`.
fn create(shapes: &str) -> String {
    format!(
        "\
functions:
  API010COF:
    kind: create
    mode: sync
    slug: importorder_co_f
    title: \"创建订单\"
    name: order
    feature: purchasing
    request: OrderRequest
    result: OrderResult
    result_query: API010NNF
    doc: \"Creates orders\"
  API010COB:
    kind: create
    mode: async
    slug: importorder_co_b
    title: \"创建订单\"
    name: order
    feature: purchasing
    request_of: API010COF
    result_query: API010NNF
    doc: \"Queues orders\"
  API010NNF:
    kind: result_query
    mode: sync
    slug: inquiryorder_co
    title: \"查询订单的异步处理结果\"
    name: order
    feature: purchasing
    result_of: API010COF
    doc: \"Looks up an earlier order request\"
shapes:
  OrderResult:
    doc: \"Per-document outcomes\"
    fields:
      docList: {{ presence: required, type: \"list(OrderDocResult)\", label: \"单据列表\", doc: \"Outcomes\" }}
  OrderDocResult:
    doc: \"Outcome of one document\"
    fields:
      docNo: {{ presence: required, type: string, length: 20, label: \"单据号\", doc: \"Document number\" }}
      docResult: {{ presence: required, type: code(ItemResult), length: 1, label: \"结果\", doc: \"Result\" }}
      docErrorMsg: {{ presence: optional, type: string, length: 2000, label: \"消息\", doc: \"Errors\" }}
{shapes}"
    )
}

#[test]
fn nested_lists() {
    let text = emit(
        &create(
            "  OrderRequest:
    doc: \"Request body\"
    fields:
      docList: { presence: required, type: \"list(Order)\", label: \"单据列表\", doc: \"Documents\" }
  Order:
    doc: \"One order\"
    fields:
      docNo: { presence: required, type: string, length: 20, label: \"单据号\", doc: \"Document number\" }
      lineList: { presence: required, type: \"list(OrderLine)\", label: \"行列表\", doc: \"Lines\" }
  OrderLine:
    doc: \"One line\"
    fields:
      attrList: { presence: optional, type: \"list(OrderLineAttr)\", label: \"属性列表\", doc: \"Lots\" }
  OrderLineAttr:
    doc: \"Lot detail\"
    fields:
      lot: { presence: optional, type: string, length: 40, label: \"批号\", doc: \"Lot\" }
",
        ),
        "purchasing.rs",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn one_of_groups_aliases_and_scalar_types() {
    let text = emit(
        &create(
            "  OrderRequest:
    doc: \"Request body\"
    one_of:
      - [bpartner_Value, bpartner_Name]
    fields:
      bpartner_Value: { presence: conditional, type: string, length: 40, label: \"编码\", doc: \"Partner code\" }
      bpartner_Name: { presence: conditional, type: string, length: 60, label: \"名称\", doc: \"Partner name\" }
      lot: { presence: conditional, type: string, length: 40, label: \"批号\", doc: \"Lot\", when: \"for lot-managed products\" }
      memo: { presence: optional, type: string, length: 255, label: \"附注\", doc: \"Remark\", aliases: [\"memo \"] }
      qty: { presence: required, type: \"decimal(16,6)\", label: \"数量\", doc: \"Quantity\" }
      rate: { presence: optional, type: \"decimal(16,10)\", label: \"汇率\", doc: \"Rate\" }
      count: { presence: optional, type: integer, length: 3, label: \"数\", doc: \"Count\" }
      dateOrdered: { presence: optional, type: date, label: \"日期\", doc: \"Order date\" }
      isFixedRate: { presence: optional, type: flag, label: \"固定\", doc: \"Fixed rate\" }
      status: { presence: optional, type: code(InventoryStatus), length: 60, label: \"状态\", doc: \"Status\" }
",
        ),
        "purchasing.rs",
    );
    insta::assert_snapshot!(text);
}

#[test]
fn a_shape_shared_by_two_areas_is_generated_once_in_common() {
    let functions = "\
functions:
  API230DLF:
    kind: query
    mode: sync
    slug: querystock
    title: \"查询库存\"
    name: stock
    feature: inventory
    request: StockQuery
    rows: StockRows
    doc: \"Queries stock\"
  API250DLF:
    kind: query
    mode: sync
    slug: queryproduct
    title: \"查询产品\"
    name: product
    feature: master_data
    request: StockQuery
    rows: StockRows
    doc: \"Queries products\"
shapes:
  StockQuery:
    doc: \"Filters\"
    fields:
      org_Value: { presence: required, type: string, length: 40, label: \"组织\", doc: \"Organization code\" }
  StockRows:
    doc: \"Rows\"
    fields:
      stockList: { presence: required, type: \"list(StockRow)\", label: \"列表\", doc: \"Rows\" }
  StockRow:
    doc: \"One row\"
    fields:
      qtyOnHand: { presence: required, type: \"decimal(16,6)\", label: \"在手\", doc: \"On hand\" }
";
    let common = emit(functions, "common.rs");
    assert!(common.contains("pub struct StockRow "), "{common}");
    assert!(!emit(functions, "inventory.rs").contains("pub struct StockRow "));
    insta::assert_snapshot!("shared_common", common);
    insta::assert_snapshot!("query_outcomes", emit(functions, "inventory.rs"));
}

#[test]
fn code_sets_keep_unknown_values() {
    insta::assert_snapshot!(emit(&create("  OrderRequest:\n    doc: \"Body\"\n    fields:\n      docNo: { presence: required, type: string, length: 20, label: \"号\", doc: \"Number\" }\n"), "codes.rs"));
}

#[test]
fn upload_and_document_action_outcomes() {
    let functions = "\
functions:
  API260ULF:
    kind: upload
    mode: sync
    slug: uploadcount
    title: \"更新盘点单\"
    name: count
    feature: inventory
    request: CountRequest
    result: CountResult
    doc: \"Uploads counts\"
  API290VOF:
    kind: document_action
    mode: sync
    slug: docaction_vo
    title: \"单据操作作废\"
    name: void_document
    feature: inventory
    request: CountRequest
    result: CountResult
    doc: \"Voids documents\"
shapes:
  CountRequest:
    doc: \"Body\"
    fields:
      documentNo: { presence: required, type: string, length: 20, label: \"单号\", doc: \"Number\" }
  CountResult:
    doc: \"Outcomes\"
    fields:
      docNo: { presence: required, type: string, length: 20, label: \"单号\", doc: \"Number\" }
";
    insta::assert_snapshot!(emit(functions, "inventory.rs"));
}
