#[scm_macros::function(code = "API010COF", request = Req, outcome = Out)]
pub struct API010COF;

fn main() {}
