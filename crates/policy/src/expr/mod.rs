//! Policy expressions: parsed, type-checked and compiled once at load into a tree of typed
//! nodes, then evaluated per request against [`Facts`] without allocating in the common case.
//!
//! Why not the `cel` crate: it executes a compiled expression in ~0.5 µs and needs a context
//! built per request, and the predefined pack has 150+ policies; the wave's budget for all of
//! them is 10 µs on a clean request. This language keeps CEL's syntax for what policies need
//! (fields, `[]`, method calls, `in`, `&&`, `||`, `!`), resolves every name and type at load,
//! compiles regexes and string sets once, and lets the decider skip signal-gated policies when
//! the request raised no signal of their category. Reference: `docs/policies.md`.

mod compile;
mod eval;
mod group;
mod syntax;

pub use compile::{compile, parse_net, CompileError, Env, ListKind, ListRef, Need, Program};
pub use eval::Facts;
pub use group::group_regexes;

/// A confidence or score (stored as `f32`) as the decimal the detector wrote, for comparing
/// with the `f64` literals in policies: plain widening turns 0.9 into 0.8999999762, so
/// `signal("ssrf") >= 0.9` would miss a signal raised at exactly 0.9. Six places are more
/// than any detector or config uses.
pub fn decimal(x: f32) -> f64 {
    (f64::from(x) * 1e6).round() / 1e6
}

/// Byte range in the expression text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}
