#[scm_macros::shape]
#[hvs(one_of("bpartner_Value", "bpartner_Nmae"))]
pub struct Order {
    #[hvs(wire = "bpartner_Value", max_len = 40)]
    pub bpartner_value: Option<String>,
    #[hvs(wire = "bpartner_Name", max_len = 60)]
    pub bpartner_name: Option<String>,
}

fn main() {}
