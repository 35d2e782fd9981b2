#[scm_macros::shape]
pub struct Order {
    #[hvs(wire = "lineList", list)]
    pub line_list: Option<Vec<String>>,
}

fn main() {}
