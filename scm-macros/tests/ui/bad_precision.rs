#[scm_macros::shape]
pub struct Order {
    #[hvs(wire = "qty", decimal(2, 6))]
    pub qty: String,
}

fn main() {}
