#[scm_macros::function(code = "API010COF", path = "/p", request = Req, outcome = Out)]
pub struct Api010 {
    pub x: u8,
}

fn main() {}
