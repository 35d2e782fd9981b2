#[scm_macros::shape]
pub struct Order {
    pub doc_no: String,
}

fn main() {}
