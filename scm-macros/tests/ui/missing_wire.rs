#[scm_macros::shape]
pub struct Order {
    #[hvs(required, max_len = 20)]
    pub doc_no: String,
}

fn main() {}
