#[scm_macros::shape]
pub struct Order {
    #[hvs(wire = "docNo", requird)]
    pub doc_no: String,
}

fn main() {}
