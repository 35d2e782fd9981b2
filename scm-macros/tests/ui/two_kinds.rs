#[scm_macros::shape]
pub struct Order {
    #[hvs(wire = "qty", decimal(16, 6), integer)]
    pub qty: i64,
}

fn main() {}
