//! Lexer and parser for policy expressions: a small, CEL-shaped language.
//!
//! ```text
//! expr    := or
//! or      := and ("||" and)*
//! and     := unary ("&&" unary)*
//! unary   := "!" unary | cmp
//! cmp     := postfix (("=="|"!="|"<"|"<="|">"|">="|"in") postfix)?
//! postfix := primary ("." IDENT ("(" args ")")? | "[" expr "]")*
//! primary := literal | IDENT ("(" args ")")? | "(" expr ")" | "[" args "]"
//! ```

use super::Span;

#[derive(Clone, Debug, PartialEq)]
pub enum Tok {
    Ident(String),
    Str(String),
    Int(i64),
    Float(f64),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Dot,
    Not,
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    End,
}

#[derive(Clone, Debug)]
pub struct SyntaxError {
    pub at: usize,
    pub message: String,
}

fn err<T>(at: usize, message: impl Into<String>) -> Result<T, SyntaxError> {
    Err(SyntaxError {
        at,
        message: message.into(),
    })
}

pub fn lex(src: &str) -> Result<Vec<(Tok, Span)>, SyntaxError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        // Comments run to the end of the line, as in CEL.
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        let two = |x: u8| b.get(i + 1) == Some(&x);
        let (tok, len) = match c {
            b'(' => (Tok::LParen, 1),
            b')' => (Tok::RParen, 1),
            b'[' => (Tok::LBracket, 1),
            b']' => (Tok::RBracket, 1),
            b',' => (Tok::Comma, 1),
            b'.' if !b.get(i + 1).is_some_and(u8::is_ascii_digit) => (Tok::Dot, 1),
            b'!' if two(b'=') => (Tok::Ne, 2),
            b'!' => (Tok::Not, 1),
            b'=' if two(b'=') => (Tok::Eq, 2),
            b'&' if two(b'&') => (Tok::And, 2),
            b'|' if two(b'|') => (Tok::Or, 2),
            b'<' if two(b'=') => (Tok::Le, 2),
            b'<' => (Tok::Lt, 1),
            b'>' if two(b'=') => (Tok::Ge, 2),
            b'>' => (Tok::Gt, 1),
            b'"' | b'\'' => {
                let (s, len) = string(src, i)?;
                (Tok::Str(s), len)
            }
            b'0'..=b'9' | b'.' | b'-' => {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_digit() || b[j] == b'.' || b[j] == b'_') {
                    j += 1;
                }
                let text: String = src[i..j].chars().filter(|&c| c != '_').collect();
                if text.contains('.') {
                    match text.parse::<f64>() {
                        Ok(f) => (Tok::Float(f), j - i),
                        Err(_) => return err(i, format!("invalid number {text:?}")),
                    }
                } else {
                    match text.parse::<i64>() {
                        Ok(n) => (Tok::Int(n), j - i),
                        Err(_) => return err(i, format!("invalid number {text:?}")),
                    }
                }
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                let word = &src[i..j];
                let tok = match word {
                    "in" => Tok::In,
                    _ => Tok::Ident(word.to_string()),
                };
                (tok, j - i)
            }
            _ => {
                let ch = src[i..].chars().next().unwrap_or('?');
                return err(i, format!("unexpected character {ch:?}"));
            }
        };
        out.push((
            tok,
            Span {
                start,
                end: start + len,
            },
        ));
        i += len;
    }
    out.push((
        Tok::End,
        Span {
            start: src.len(),
            end: src.len(),
        },
    ));
    Ok(out)
}

/// A quoted string with `\\`, `\"`, `\'`, `\n`, `\t` escapes; returns it and its length.
fn string(src: &str, start: usize) -> Result<(String, usize), SyntaxError> {
    let quote = src.as_bytes()[start] as char;
    let mut out = String::new();
    let mut chars = src[start + 1..].char_indices();
    while let Some((k, c)) = chars.next() {
        match c {
            c if c == quote => return Ok((out, k + 2)),
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, c @ ('\\' | '"' | '\'' | '.' | '/'))) => {
                    // `\.` and `\/` keep their backslash: they are regex escapes.
                    if matches!(c, '.' | '/') {
                        out.push('\\');
                    }
                    out.push(c);
                }
                Some((_, c)) => {
                    out.push('\\');
                    out.push(c);
                }
                None => break,
            },
            c => out.push(c),
        }
    }
    err(start, "unterminated string")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    And,
    Or,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
}

#[derive(Clone, Debug)]
pub enum Ast {
    Bool(bool, Span),
    Int(i64, Span),
    Float(f64, Span),
    Str(String, Span),
    List(Vec<Ast>, Span),
    /// A bare identifier: `request`, `signals`, `block_confidence`.
    Ident(String, Span),
    /// `base.name`
    Field(Box<Ast>, String, Span),
    /// `base[index]`
    Index(Box<Ast>, Box<Ast>, Span),
    /// `name(args)` or `recv.name(args)`
    Call(Option<Box<Ast>>, String, Vec<Ast>, Span),
    Not(Box<Ast>, Span),
    Bin(BinOp, Box<Ast>, Box<Ast>, Span),
}

impl Ast {
    pub fn span(&self) -> Span {
        match self {
            Ast::Bool(_, s)
            | Ast::Int(_, s)
            | Ast::Float(_, s)
            | Ast::Str(_, s)
            | Ast::List(_, s)
            | Ast::Ident(_, s)
            | Ast::Field(_, _, s)
            | Ast::Index(_, _, s)
            | Ast::Call(_, _, _, s)
            | Ast::Not(_, s)
            | Ast::Bin(_, _, _, s) => *s,
        }
    }
}

/// Deepest nesting accepted: expressions are written by people, and the evaluator recurses.
const MAX_DEPTH: usize = 64;

pub struct Parser {
    toks: Vec<(Tok, Span)>,
    pos: usize,
    depth: usize,
}

pub fn parse(src: &str) -> Result<Ast, SyntaxError> {
    let mut p = Parser {
        toks: lex(src)?,
        pos: 0,
        depth: 0,
    };
    let ast = p.or()?;
    match p.peek() {
        Tok::End => Ok(ast),
        t => err(p.span().start, format!("unexpected {}", describe(t))),
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Ident(s) => format!("identifier `{s}`"),
        Tok::Str(s) => format!("string {s:?}"),
        Tok::Int(n) => format!("number {n}"),
        Tok::Float(f) => format!("number {f}"),
        Tok::End => "end of expression".into(),
        other => format!("`{}`", symbol(other)),
    }
}

fn symbol(t: &Tok) -> &'static str {
    match t {
        Tok::LParen => "(",
        Tok::RParen => ")",
        Tok::LBracket => "[",
        Tok::RBracket => "]",
        Tok::Comma => ",",
        Tok::Dot => ".",
        Tok::Not => "!",
        Tok::And => "&&",
        Tok::Or => "||",
        Tok::Eq => "==",
        Tok::Ne => "!=",
        Tok::Lt => "<",
        Tok::Le => "<=",
        Tok::Gt => ">",
        Tok::Ge => ">=",
        Tok::In => "in",
        _ => "?",
    }
}

impl Parser {
    fn peek(&self) -> &Tok {
        &self.toks[self.pos].0
    }

    fn span(&self) -> Span {
        self.toks[self.pos].1
    }

    fn bump(&mut self) -> (Tok, Span) {
        let t = self.toks[self.pos].clone();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        t
    }

    fn expect(&mut self, want: Tok) -> Result<Span, SyntaxError> {
        if *self.peek() == want {
            Ok(self.bump().1)
        } else {
            err(
                self.span().start,
                format!(
                    "expected `{}`, found {}",
                    symbol(&want),
                    describe(self.peek())
                ),
            )
        }
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return err(self.span().start, "expression nested too deeply");
        }
        Ok(())
    }

    fn or(&mut self) -> Result<Ast, SyntaxError> {
        self.enter()?;
        let mut left = self.and()?;
        while *self.peek() == Tok::Or {
            self.bump();
            let right = self.and()?;
            let span = left.span().to(right.span());
            left = Ast::Bin(BinOp::Or, Box::new(left), Box::new(right), span);
        }
        self.depth -= 1;
        Ok(left)
    }

    fn and(&mut self) -> Result<Ast, SyntaxError> {
        let mut left = self.unary()?;
        while *self.peek() == Tok::And {
            self.bump();
            let right = self.unary()?;
            let span = left.span().to(right.span());
            left = Ast::Bin(BinOp::And, Box::new(left), Box::new(right), span);
        }
        Ok(left)
    }

    fn unary(&mut self) -> Result<Ast, SyntaxError> {
        if *self.peek() == Tok::Not {
            let (_, s) = self.bump();
            self.enter()?;
            let inner = self.unary()?;
            self.depth -= 1;
            let span = s.to(inner.span());
            return Ok(Ast::Not(Box::new(inner), span));
        }
        self.cmp()
    }

    fn cmp(&mut self) -> Result<Ast, SyntaxError> {
        let left = self.postfix()?;
        let op = match self.peek() {
            Tok::Eq => BinOp::Eq,
            Tok::Ne => BinOp::Ne,
            Tok::Lt => BinOp::Lt,
            Tok::Le => BinOp::Le,
            Tok::Gt => BinOp::Gt,
            Tok::Ge => BinOp::Ge,
            Tok::In => BinOp::In,
            _ => return Ok(left),
        };
        self.bump();
        let right = self.postfix()?;
        let span = left.span().to(right.span());
        Ok(Ast::Bin(op, Box::new(left), Box::new(right), span))
    }

    fn postfix(&mut self) -> Result<Ast, SyntaxError> {
        let mut e = self.primary()?;
        loop {
            match self.peek() {
                Tok::Dot => {
                    self.bump();
                    let (tok, s) = self.bump();
                    let Tok::Ident(name) = tok else {
                        return err(
                            s.start,
                            format!("expected a name after `.`, found {}", describe(&tok)),
                        );
                    };
                    if *self.peek() == Tok::LParen {
                        let (args, end) = self.args(Tok::LParen, Tok::RParen)?;
                        let span = e.span().to(end);
                        e = Ast::Call(Some(Box::new(e)), name, args, span);
                    } else {
                        let span = e.span().to(s);
                        e = Ast::Field(Box::new(e), name, span);
                    }
                }
                Tok::LBracket => {
                    self.bump();
                    let idx = self.or()?;
                    let end = self.expect(Tok::RBracket)?;
                    let span = e.span().to(end);
                    e = Ast::Index(Box::new(e), Box::new(idx), span);
                }
                _ => return Ok(e),
            }
        }
    }

    /// `open arg ("," arg)* ","? close`; returns the args and the closing span.
    fn args(&mut self, open: Tok, close: Tok) -> Result<(Vec<Ast>, Span), SyntaxError> {
        self.expect(open)?;
        let mut args = Vec::new();
        loop {
            if *self.peek() == close {
                return Ok((args, self.bump().1));
            }
            args.push(self.or()?);
            match self.peek() {
                Tok::Comma => {
                    self.bump();
                }
                t if *t == close => {}
                t => {
                    return err(
                        self.span().start,
                        format!(
                            "expected `,` or `{}`, found {}",
                            symbol(&close),
                            describe(t)
                        ),
                    )
                }
            }
        }
    }

    fn primary(&mut self) -> Result<Ast, SyntaxError> {
        let s = self.span();
        match self.peek().clone() {
            Tok::Str(v) => {
                self.bump();
                Ok(Ast::Str(v, s))
            }
            Tok::Int(n) => {
                self.bump();
                Ok(Ast::Int(n, s))
            }
            Tok::Float(f) => {
                self.bump();
                Ok(Ast::Float(f, s))
            }
            Tok::Ident(name) => {
                self.bump();
                match name.as_str() {
                    "true" => return Ok(Ast::Bool(true, s)),
                    "false" => return Ok(Ast::Bool(false, s)),
                    _ => {}
                }
                if *self.peek() == Tok::LParen {
                    let (args, end) = self.args(Tok::LParen, Tok::RParen)?;
                    Ok(Ast::Call(None, name, args, s.to(end)))
                } else {
                    Ok(Ast::Ident(name, s))
                }
            }
            Tok::LParen => {
                self.bump();
                let e = self.or()?;
                self.expect(Tok::RParen)?;
                Ok(e)
            }
            Tok::LBracket => {
                let (items, end) = self.args(Tok::LBracket, Tok::RBracket)?;
                Ok(Ast::List(items, s.to(end)))
            }
            t => err(s.start, format!("expected a value, found {}", describe(&t))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_postfix() {
        let ast = parse(r#"!a.b("x") && c[1] == 2 || d in ["p", 'q']"#).unwrap();
        let Ast::Bin(BinOp::Or, l, r, _) = ast else {
            panic!("top is ||")
        };
        assert!(matches!(*l, Ast::Bin(BinOp::And, ..)));
        assert!(matches!(*r, Ast::Bin(BinOp::In, ..)));
    }

    #[test]
    fn errors_point_at_the_offending_byte() {
        let e = parse("request.path == ").unwrap_err();
        assert_eq!(e.at, 16);
        assert!(e.message.contains("expected a value"), "{}", e.message);
        let e = parse("a && 'open").unwrap_err();
        assert_eq!(e.at, 5);
        let e = parse("a # b").unwrap_err();
        assert!(e.message.contains("unexpected character"));
        let deep = "(".repeat(200) + "a" + &")".repeat(200);
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
    }

    #[test]
    fn numbers_strings_comments() {
        let ast = parse("x >= 0.75 // threshold\n && y == 'it\\'s'").unwrap();
        let Ast::Bin(BinOp::And, l, r, _) = ast else {
            panic!()
        };
        assert!(
            matches!(*l, Ast::Bin(BinOp::Ge, _, ref f, _) if matches!(**f, Ast::Float(v, _) if v == 0.75))
        );
        assert!(
            matches!(*r, Ast::Bin(BinOp::Eq, _, ref s, _) if matches!(**s, Ast::Str(ref v, _) if v == "it's"))
        );
    }
}
