//! One test per class of catalogue error, each pinning the full report with a snapshot.
//!
//! Every test starts from a tiny catalogue that loads cleanly (`base_fixture_loads` checks
//! that), then adds a file or edits one piece of it, so each snapshot shows exactly the
//! problem under test, with its file, line and column.

use scm_codegen::load::Source;
use scm_codegen::{Catalogue, Diagnostics};

const CATALOGUE: &str = "\
features:
  purchasing: { doc: \"Purchase orders\" }

kinds:
  create:
    doc: \"Creates documents\"
    request_envelope: RequestEnvelope
    sync: [processed]
    async: [accepted]
  result_query:
    doc: \"Looks up the result of an earlier create\"
    request_envelope: RequestEnvelope
    request: ResultQuery
    sync: [processed]

outcomes:
  processed: { envelope: TargetReply, body: result, doc: \"The request was processed\" }
  accepted: { envelope: Reply, doc: \"The request was queued\" }

codesets:
  ItemResult:
    doc: \"Whether one document was processed\"
    codes:
      \"1\": { name: Success, label: \"成功\", doc: \"Processed successfully\" }
      \"9\": { name: Failure, label: \"失败\", doc: \"Failed\" }

shapes:
  RequestEnvelope:
    doc: \"Fields every request carries\"
    fields:
      requestId: { presence: required, type: string, length: 36, doc: \"Unique id of this call\" }
      requestTime: { presence: required, type: timestamp, doc: \"When the request was made\" }
  ResultQuery:
    doc: \"Body of a result query\"
    fields:
      targetRequestId: { presence: required, type: string, length: 36, doc: \"Request id of the earlier create\" }
  Reply:
    doc: \"Fields every reply carries\"
    fields:
      requestId: { presence: required, type: string, length: 36, doc: \"Request id echoed back\" }
      errorMsg: { presence: required, type: string, length: 255, doc: \"Message about the request\" }
  TargetReply:
    doc: \"Reply fields about a target request\"
    extends: Reply
    fields:
      targetRequestId: { presence: required, type: string, length: 36, doc: \"Request id reported on\" }
";

const FIELDS: &str = "\
fields:
  docNo: { type: string, length: 40, label: \"单据编号\", doc: \"Document number\" }
  docResult: { type: code(ItemResult), length: 1, label: \"单据结果\", doc: \"Whether the document was processed\" }
  product_Value: { type: string, length: 40, label: \"产品的编码\", doc: \"Product code\" }
  product_Name: { type: string, length: 60, label: \"产品的名称\", doc: \"Product name\" }
  qty: { type: \"decimal(16,6)\", label: \"数量\", doc: \"Quantity\" }
";

const API010: &str = "\
functions:
  API010COF:
    kind: create
    mode: sync
    slug: importpurchaseorder_co_f
    title: \"创建采购订单\"
    name: purchase_order
    feature: purchasing
    request: PurchaseOrderRequest
    result: DocumentsResult
    result_query: API010NNF
    doc: \"Creates purchase orders\"
  API010COB:
    kind: create
    mode: async
    slug: importpurchaseorder_co_b
    title: \"创建采购订单\"
    name: purchase_order
    feature: purchasing
    request_of: API010COF
    result_query: API010NNF
    doc: \"Queues purchase orders for creation\"
  API010NNF:
    kind: result_query
    mode: sync
    slug: inquirypurchaseorder_co
    title: \"查询采购订单的异步处理结果\"
    name: purchase_order
    feature: purchasing
    result_of: API010COF
    doc: \"Looks up the outcome of an earlier purchase order request\"

shapes:
  PurchaseOrderLine:
    doc: \"One line of a purchase order\"
    one_of:
      - [product_Value, product_Name]
    fields:
      product_Value: conditional
      product_Name: conditional
      qty: required
  PurchaseOrder:
    doc: \"One purchase order\"
    fields:
      docNo: required
      lineList: { presence: required, type: \"list(PurchaseOrderLine)\", doc: \"The lines\" }
  PurchaseOrderRequest:
    doc: \"Request body: the purchase orders to send\"
    fields:
      docList: { presence: required, type: \"list(PurchaseOrder)\", doc: \"The documents\" }
  DocResult:
    doc: \"Outcome of one document\"
    fields:
      docNo: required
      docResult: required
  DocumentsResult:
    doc: \"The per-document outcomes\"
    fields:
      docList: { presence: required, type: \"list(DocResult)\", doc: \"The outcomes\" }
";

const CATALOGUE_FILE: &str = "spec/catalogue.yaml";
const FIELDS_FILE: &str = "spec/fields.yaml";
const API010_FILE: &str = "spec/functions/api010-purchase-order.yaml";
const EXTRA_FILE: &str = "spec/functions/extra.yaml";

/// A set of catalogue files, starting from the base and changed piece by piece.
struct Fixture(Vec<Source>);

impl Fixture {
    /// The tiny catalogue that loads without errors.
    fn base() -> Self {
        Fixture(
            [
                (CATALOGUE_FILE, CATALOGUE),
                (FIELDS_FILE, FIELDS),
                (API010_FILE, API010),
            ]
            .into_iter()
            .map(|(name, text)| Source {
                name: name.to_owned(),
                text: text.to_owned(),
            })
            .collect(),
        )
    }

    /// Adds a file, or replaces the file of that name.
    fn file(mut self, name: &str, text: &str) -> Self {
        let source = Source {
            name: name.to_owned(),
            text: text.to_owned(),
        };
        match self.0.iter_mut().find(|s| s.name == name) {
            Some(s) => *s = source,
            None => self.0.push(source),
        }
        self
    }

    /// Replaces the one occurrence of `from` in file `name` with `to`.
    fn edit(mut self, name: &str, from: &str, to: &str) -> Self {
        let s = self
            .0
            .iter_mut()
            .find(|s| s.name == name)
            .unwrap_or_else(|| panic!("no file {name}"));
        assert_eq!(
            s.text.matches(from).count(),
            1,
            "`{from}` must occur exactly once in {name}"
        );
        s.text = s.text.replacen(from, to, 1);
        self
    }

    fn load(&self) -> Result<Catalogue, Diagnostics> {
        scm_codegen::load_sources(&self.0)
    }

    /// The full error report; fails the test if the catalogue loads.
    fn errors(&self) -> String {
        match self.load() {
            Ok(_) => panic!("the catalogue loaded, but an error was expected"),
            Err(err) => err.to_string(),
        }
    }
}

#[test]
fn base_fixture_loads() {
    let cat = match Fixture::base().load() {
        Ok(cat) => cat,
        Err(err) => panic!("the base fixture must load:\n{err}"),
    };
    assert_eq!(
        cat.functions.keys().collect::<Vec<_>>(),
        ["API010COB", "API010COF", "API010NNF"]
    );
    assert_eq!(cat.shapes.len(), 9);
}

#[test]
fn yaml_syntax_error() {
    let err = Fixture::base()
        .edit(
            API010_FILE,
            "    kind: create\n    mode: async\n",
            "    kind: create\n    mode: async: yes\n",
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn duplicate_key_in_one_mapping() {
    let err = Fixture::base()
        .edit(
            API010_FILE,
            "      qty: required\n",
            "      qty: required\n      qty: optional\n",
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_type_suggests_string() {
    let err = Fixture::base()
        .edit(
            FIELDS_FILE,
            "product_Name: { type: string,",
            "product_Name: { type: strng,",
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_type_suggests_decimal() {
    let err = Fixture::base()
        .edit(
            FIELDS_FILE,
            "qty: { type: \"decimal(16,6)\",",
            "qty: { type: bigdecmal,",
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn bad_length() {
    let err = Fixture::base()
        .edit(
            FIELDS_FILE,
            "product_Value: { type: string, length: 40,",
            "product_Value: { type: string, length: 0,",
        )
        .edit(
            FIELDS_FILE,
            "qty: { type: \"decimal(16,6)\",",
            "qty: { type: \"decimal(16,6)\", length: 16,",
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn bad_precision_and_scale() {
    let err = Fixture::base()
        .edit(
            FIELDS_FILE,
            "qty: { type: \"decimal(16,6)\",",
            "qty: { type: \"decimal(2,5)\",",
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn duplicate_function_code_across_files() {
    let err = Fixture::base()
        .file(
            EXTRA_FILE,
            "\
functions:
  API010NNF:
    kind: result_query
    mode: sync
    slug: inquirypurchaseorder_co_again
    title: \"查询\"
    name: purchase_order_again
    feature: purchasing
    result_of: API010COF
    doc: \"A second definition of the same code\"
",
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn duplicate_slug() {
    let err = Fixture::base()
        .edit(
            API010_FILE,
            "slug: importpurchaseorder_co_b",
            "slug: importpurchaseorder_co_f",
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn dangling_shape_reference() {
    let err = Fixture::base()
        .edit(
            API010_FILE,
            "type: \"list(PurchaseOrderLine)\"",
            "type: \"list(Missing)\"",
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn shape_reference_cycle() {
    let err = Fixture::base()
        .file(
            EXTRA_FILE,
            "\
shapes:
  A:
    doc: \"Contains B\"
    fields:
      bList: { type: \"list(B)\", doc: \"The Bs\" }
  B:
    doc: \"Contains A\"
    fields:
      aList: { type: \"list(A)\", doc: \"The As\" }
",
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn two_fields_map_to_one_rust_name() {
    let err = Fixture::base()
        .edit(API010_FILE, "      docNo: required\n      lineList:", "      docNo: required\n      doc_no: { type: string, length: 40, doc: \"Another document number\" }\n      lineList:")
        .errors();
    insta::assert_snapshot!(err);
}

const KEYWORD_FIELD: &str =
    "      docNo: required\n      type: { type: string, length: 10, doc: \"Order type\" }\n";

#[test]
fn rust_keyword_field_name_is_rejected() {
    let err = Fixture::base()
        .edit(
            API010_FILE,
            "      docNo: required\n      lineList:",
            &format!("{KEYWORD_FIELD}      lineList:"),
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn rust_name_fixes_a_keyword_field_name() {
    let fixed = KEYWORD_FIELD.replace(
        "doc: \"Order type\"",
        "doc: \"Order type\", rust_name: order_type",
    );
    let cat = match Fixture::base()
        .edit(
            API010_FILE,
            "      docNo: required\n      lineList:",
            &format!("{fixed}      lineList:"),
        )
        .load()
    {
        Ok(cat) => cat,
        Err(err) => panic!("rust_name must fix the keyword clash:\n{err}"),
    };
    let field = cat.shapes["PurchaseOrder"]
        .fields
        .iter()
        .find(|f| f.wire == "type")
        .expect("field `type`");
    assert_eq!(field.rust_name, "order_type");
}

#[test]
fn one_of_names_a_missing_field() {
    let err = Fixture::base()
        .edit(
            API010_FILE,
            "- [product_Value, product_Name]",
            "- [product_Value, product_Nmae]",
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn alias_collides_with_a_field() {
    let err = Fixture::base()
        .edit(
            API010_FILE,
            "      qty: required\n",
            "      qty: { presence: required, aliases: [product_Name] }\n",
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn async_create_without_result_query() {
    let err = Fixture::base()
        .edit(
            API010_FILE,
            "    request_of: API010COF\n    result_query: API010NNF\n",
            "    request_of: API010COF\n",
        )
        .errors();
    insta::assert_snapshot!(err);
}

#[test]
fn errors_in_several_files_are_reported_together_and_sorted() {
    let err = Fixture::base()
        .file(
            EXTRA_FILE,
            "\
shapes:
  Extra:
    doc: \"A shape with two mistakes\"
    fields:
      first: { type: strng, length: 10, doc: \"First\" }
      second: { type: \"list(Missing)\", doc: \"Second\" }
",
        )
        .edit(
            API010_FILE,
            "slug: importpurchaseorder_co_b",
            "slug: importpurchaseorder_co_f",
        )
        .edit(
            FIELDS_FILE,
            "qty: { type: \"decimal(16,6)\",",
            "qty: { type: \"decimal(2,5)\",",
        )
        .edit(CATALOGUE_FILE, "async: [accepted]", "async: [acepted]")
        .errors();
    insta::assert_snapshot!(err);
}
