//! One small file per mistake a user can make with `#[scm_macros::shape]`, each with the
//! compiler output it must give.

#[test]
fn mistakes_are_reported_on_the_users_tokens() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
