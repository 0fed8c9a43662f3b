//! Which bytes that matter to detectors a value contains, found in one table-driven pass, so
//! each detector can skip a value without scanning it again.

/// A set of byte classes; see the constants for what each bit stands for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ByteClasses(u32);

pub const LT: u32 = 1 << 0;
pub const GT: u32 = 1 << 1;
pub const SQUOTE: u32 = 1 << 2;
pub const DQUOTE: u32 = 1 << 3;
pub const BACKTICK: u32 = 1 << 4;
pub const SEMI: u32 = 1 << 5;
pub const PIPE: u32 = 1 << 6;
pub const AMP: u32 = 1 << 7;
pub const DOLLAR: u32 = 1 << 8;
pub const DOT: u32 = 1 << 9;
pub const COLON: u32 = 1 << 10;
pub const SLASH: u32 = 1 << 11;
pub const BACKSLASH: u32 = 1 << 12;
pub const LPAREN: u32 = 1 << 13;
pub const RPAREN: u32 = 1 << 14;
pub const EQ: u32 = 1 << 15;
pub const DASH: u32 = 1 << 16;
pub const HASH: u32 = 1 << 17;
pub const PERCENT: u32 = 1 << 18;
pub const STAR: u32 = 1 << 19;
pub const NEWLINE: u32 = 1 << 20;
pub const SPACE: u32 = 1 << 21;
pub const NUL: u32 = 1 << 22;
pub const LBRACE: u32 = 1 << 23;
pub const LBRACKET: u32 = 1 << 24;
pub const UNDERSCORE: u32 = 1 << 25;
/// A byte of a multi-byte UTF-8 character (non-ASCII text).
pub const NONASCII: u32 = 1 << 26;
pub const PLUS: u32 = 1 << 27;

const fn table() -> [u32; 256] {
    let mut t = [0u32; 256];
    t[b'<' as usize] = LT;
    t[b'>' as usize] = GT;
    t[b'\'' as usize] = SQUOTE;
    t[b'"' as usize] = DQUOTE;
    t[b'`' as usize] = BACKTICK;
    t[b';' as usize] = SEMI;
    t[b'|' as usize] = PIPE;
    t[b'&' as usize] = AMP;
    t[b'$' as usize] = DOLLAR;
    t[b'.' as usize] = DOT;
    t[b':' as usize] = COLON;
    t[b'/' as usize] = SLASH;
    t[b'{' as usize] = LBRACE;
    t[b'[' as usize] = LBRACKET;
    t[b'_' as usize] = UNDERSCORE;
    t[b'\\' as usize] = BACKSLASH;
    t[b'(' as usize] = LPAREN;
    t[b')' as usize] = RPAREN;
    t[b'=' as usize] = EQ;
    t[b'-' as usize] = DASH;
    t[b'#' as usize] = HASH;
    t[b'%' as usize] = PERCENT;
    t[b'*' as usize] = STAR;
    t[b'\n' as usize] = NEWLINE;
    t[b'\r' as usize] = NEWLINE;
    t[b' ' as usize] = SPACE;
    t[b'\t' as usize] = SPACE;
    t[b'+' as usize] = PLUS;
    t[0] = NUL;
    let mut b = 0x80;
    while b < 256 {
        t[b] = NONASCII;
        b += 1;
    }
    t
}

static TABLE: [u32; 256] = table();

impl ByteClasses {
    /// One pass over `s`.
    pub fn of(s: &str) -> ByteClasses {
        ByteClasses(s.bytes().fold(0, |acc, b| acc | TABLE[usize::from(b)]))
    }

    /// Does the value contain a byte of any of these classes?
    pub fn any(self, classes: u32) -> bool {
        self.0 & classes != 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_found() {
        let c = ByteClasses::of("a<b'c;d");
        assert!(c.any(LT) && c.any(SQUOTE) && c.any(SEMI));
        assert!(!c.any(DOLLAR | DOT | NUL | UNDERSCORE));
        assert!(ByteClasses::of("__proto__").any(UNDERSCORE));
        assert_eq!(ByteClasses::of("plain words 123"), ByteClasses::of("  "));
    }
}
