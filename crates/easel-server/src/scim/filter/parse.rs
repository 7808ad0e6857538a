//! Recursive descent over a filter's tokens:
//!
//! ```text
//! filter  = conj *("or" conj)
//! conj    = unary *("and" unary)
//! unary   = "not" "(" filter ")" / "(" filter ")" / attrPath "[" filter "]"
//!         / attrPath "pr" / attrPath compareOp compValue
//! ```
//!
//! Keywords are recognised by position, in any case, so an attribute may be named `and` or
//! `pr`. Recursion happens only at `(`, `not (` and `[`, each counted against [`MAX_DEPTH`].

use super::lex::{Kind, Token, tokens};
use super::{AttrPath, CompValue, CompareOp, Filter, FilterError, MAX_DEPTH, MAX_FILTER_BYTES};
use crate::scim::path::parse_attr;

/// Parses a whole filter.
pub(super) fn filter(text: &str) -> Result<Filter, FilterError> {
    let mut parser = Parser::new(text)?;
    if parser.tokens.is_empty() {
        return Err(FilterError::new("the filter is empty"));
    }
    let filter = parser.disjunction(false)?;
    match parser.peek() {
        None => Ok(filter),
        Some(_) => Err(parser.unexpected("`and`, `or` or the end of the filter")),
    }
}

/// Parses a value filter up to its `]`, returning how many bytes it took.
pub(super) fn bracketed(text: &str) -> Result<(Filter, usize), FilterError> {
    let mut parser = Parser::new(text)?;
    parser.enter()?;
    let filter = parser.disjunction(true)?;
    let end = parser.expect_close(true)?;
    Ok((filter, end))
}

struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    pos: usize,
    depth: usize,
    len: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Result<Parser<'a>, FilterError> {
        if text.len() > MAX_FILTER_BYTES {
            return Err(FilterError::new(format!(
                "the filter is longer than {MAX_FILTER_BYTES} bytes"
            )));
        }
        Ok(Parser {
            tokens: tokens(text),
            pos: 0,
            depth: 0,
            len: text.len(),
        })
    }

    fn peek(&self) -> Option<&Kind<'a>> {
        self.tokens.get(self.pos).map(|t| &t.kind)
    }

    fn peek_word(&self, offset: usize) -> Option<&'a str> {
        match self.tokens.get(self.pos + offset).map(|t| &t.kind) {
            Some(Kind::Word(word)) => Some(word),
            _ => None,
        }
    }

    fn at_keyword(&self, keyword: &str) -> bool {
        self.peek_word(0)
            .is_some_and(|w| w.eq_ignore_ascii_case(keyword))
    }

    /// An error at the current token: `expected` is what would have been accepted.
    fn unexpected(&self, expected: &str) -> FilterError {
        match self.tokens.get(self.pos) {
            None => FilterError::new(format!(
                "at byte {}: expected {expected}, found the end of the filter",
                self.len
            )),
            Some(Token {
                at,
                kind: Kind::Bad(message),
                ..
            }) => FilterError::new(format!("at byte {at}: {message}")),
            Some(token) => FilterError::new(format!(
                "at byte {}: expected {expected}, found {}",
                token.at,
                token.kind.describe()
            )),
        }
    }

    fn enter(&mut self) -> Result<(), FilterError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(FilterError::new(format!(
                "the filter nests more than {MAX_DEPTH} deep"
            )));
        }
        Ok(())
    }

    /// Consumes the `)` (or `]`) that closes a group, returning where it ends.
    fn expect_close(&mut self, bracket: bool) -> Result<usize, FilterError> {
        let found = match self.tokens.get(self.pos) {
            Some(Token {
                kind: Kind::Close,
                end,
                ..
            }) if !bracket => Some(*end),
            Some(Token {
                kind: Kind::CloseBracket,
                end,
                ..
            }) if bracket => Some(*end),
            _ => None,
        };
        match found {
            Some(end) => {
                self.pos += 1;
                self.depth -= 1;
                Ok(end)
            }
            None if bracket => Err(self.unexpected("`and`, `or` or `]`")),
            None => Err(self.unexpected("`and`, `or` or `)`")),
        }
    }

    fn disjunction(&mut self, inner: bool) -> Result<Filter, FilterError> {
        let mut left = self.conjunction(inner)?;
        while self.at_keyword("or") {
            self.pos += 1;
            let right = self.conjunction(inner)?;
            left = Filter::Or(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn conjunction(&mut self, inner: bool) -> Result<Filter, FilterError> {
        let mut left = self.unary(inner)?;
        while self.at_keyword("and") {
            self.pos += 1;
            let right = self.unary(inner)?;
            left = Filter::And(Box::new(left), Box::new(right));
        }
        Ok(left)
    }

    fn unary(&mut self, inner: bool) -> Result<Filter, FilterError> {
        let not_group = self.at_keyword("not")
            && matches!(
                self.tokens.get(self.pos + 1).map(|t| &t.kind),
                Some(Kind::Open)
            );
        if not_group || matches!(self.peek(), Some(Kind::Open)) {
            self.pos += if not_group { 2 } else { 1 };
            self.enter()?;
            let filter = self.disjunction(inner)?;
            self.expect_close(false)?;
            return Ok(if not_group {
                Filter::Not(Box::new(filter))
            } else {
                filter
            });
        }
        let Some(word) = self.peek_word(0) else {
            return Err(self.unexpected("an attribute, `not (` or `(`"));
        };
        let at = self.tokens[self.pos].at;
        let path = parse_attr(word).map_err(|e| FilterError::new(format!("at byte {at}: {e}")))?;
        if inner && (path.urn.is_some() || path.sub.is_some()) {
            return Err(FilterError::new(format!(
                "at byte {at}: inside a value filter, `{path}` must be a plain sub-attribute name"
            )));
        }
        self.pos += 1;
        if matches!(self.peek(), Some(Kind::OpenBracket)) {
            return self.value_path(path, inner, at);
        }
        if self.at_keyword("pr") {
            self.pos += 1;
            return Ok(Filter::Present { path });
        }
        let Some(op) = self.peek_word(0).and_then(CompareOp::from_keyword) else {
            return Err(self.unexpected("an operator (eq ne co sw ew gt ge lt le pr)"));
        };
        self.pos += 1;
        let value = self.value()?;
        Ok(Filter::Compare { path, op, value })
    }

    fn value_path(
        &mut self,
        attr: AttrPath,
        inner: bool,
        at: usize,
    ) -> Result<Filter, FilterError> {
        if inner {
            return Err(FilterError::new(format!(
                "at byte {at}: a value filter cannot hold another"
            )));
        }
        if attr.sub.is_some() {
            return Err(FilterError::new(format!(
                "at byte {at}: a value filter follows an attribute, not the sub-attribute `{attr}`"
            )));
        }
        self.pos += 1;
        self.enter()?;
        let filter = self.disjunction(true)?;
        self.expect_close(true)?;
        Ok(Filter::ValuePath {
            attr,
            filter: Box::new(filter),
        })
    }

    fn value(&mut self) -> Result<CompValue, FilterError> {
        const EXPECTED: &str = "a value (a string in double quotes, a number, true, false or null)";
        let value = match self.peek() {
            Some(Kind::Str(text)) => CompValue::String(text.clone()),
            Some(Kind::Word(word)) => match word.to_ascii_lowercase().as_str() {
                "true" => CompValue::Bool(true),
                "false" => CompValue::Bool(false),
                "null" => CompValue::Null,
                _ => match number(word) {
                    Some(number) => CompValue::Number(number),
                    None => return Err(self.unexpected(EXPECTED)),
                },
            },
            _ => return Err(self.unexpected(EXPECTED)),
        };
        self.pos += 1;
        Ok(value)
    }
}

/// A JSON number (`-`, digits, optional fraction and exponent), or none.
fn number(word: &str) -> Option<serde_json::Number> {
    // serde_json checks the JSON grammar (no leading zeros, no `+` sign, no bare `.`) and
    // refuses numbers beyond f64's range; words never hold the whitespace it would skip.
    let starts_right = word.starts_with('-') || word.starts_with(|c: char| c.is_ascii_digit());
    if !starts_right {
        return None;
    }
    serde_json::from_str::<serde_json::Number>(word).ok()
}
