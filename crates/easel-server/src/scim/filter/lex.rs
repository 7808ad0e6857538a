//! Splits a filter into tokens: brackets, quoted strings and words. A word is an attribute
//! path, a keyword (`and`, `eq`, `pr`, `true`...) or a number; which one is up to the
//! parser, by position.

/// One token and the byte range it came from.
#[derive(Debug)]
pub(super) struct Token<'a> {
    /// Where it starts.
    pub at: usize,
    /// Just past where it ends.
    pub end: usize,
    /// What it is.
    pub kind: Kind<'a>,
}

/// The kinds of token.
#[derive(Debug)]
pub(super) enum Kind<'a> {
    /// `(`
    Open,
    /// `)`
    Close,
    /// `[`
    OpenBracket,
    /// `]`
    CloseBracket,
    /// A run of word characters.
    Word(&'a str),
    /// A JSON string, unescaped.
    Str(String),
    /// Text that is no token; lexing stops there. Kept as a token so that a path's text after
    /// its value filter, which the filter parser never reaches, cannot fail the filter.
    Bad(String),
}

impl Kind<'_> {
    /// The token as an error message names it.
    pub fn describe(&self) -> String {
        match self {
            Kind::Open => "`(`".to_owned(),
            Kind::Close => "`)`".to_owned(),
            Kind::OpenBracket => "`[`".to_owned(),
            Kind::CloseBracket => "`]`".to_owned(),
            Kind::Word(word) => format!("`{word}`"),
            Kind::Str(_) => "a string".to_owned(),
            Kind::Bad(message) => message.clone(),
        }
    }
}

/// Characters of words: those of attribute paths with their URNs (letters, digits, `:`, `.`,
/// `-`, `_`, `$`, `%`, `+`) and of numbers (digits, `-`, `+`, `.`, `e`).
fn word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, ':' | '.' | '-' | '_' | '$' | '%' | '+')
}

/// The tokens of `text`, ending with a [`Kind::Bad`] if some text is no token.
pub(super) fn tokens(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let single = match byte {
            b'(' => Some(Kind::Open),
            b')' => Some(Kind::Close),
            b'[' => Some(Kind::OpenBracket),
            b']' => Some(Kind::CloseBracket),
            _ => None,
        };
        if let Some(kind) = single {
            out.push(Token {
                at,
                end: at + 1,
                kind,
            });
            at += 1;
        } else if byte == b' ' || byte == b'\t' || byte == b'\r' || byte == b'\n' {
            at += 1;
        } else if byte == b'"' {
            match string(text, at) {
                Ok((value, end)) => {
                    out.push(Token {
                        at,
                        end,
                        kind: Kind::Str(value),
                    });
                    at = end;
                }
                Err(message) => {
                    out.push(bad(at, message));
                    break;
                }
            }
        } else {
            let end = text[at..]
                .char_indices()
                .find(|&(_, c)| !word_char(c))
                .map_or(text.len(), |(i, _)| at + i);
            if end == at {
                let shown = text[at..].chars().next().unwrap_or(' ');
                out.push(bad(at, format!("unexpected character `{shown}`")));
                break;
            }
            out.push(Token {
                at,
                end,
                kind: Kind::Word(&text[at..end]),
            });
            at = end;
        }
    }
    out
}

fn bad(at: usize, message: String) -> Token<'static> {
    Token {
        at,
        end: at,
        kind: Kind::Bad(message),
    }
}

/// The JSON string starting at `start` (a `"`), unescaped, and where it ends.
fn string(text: &str, start: usize) -> Result<(String, usize), String> {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    // Bytes of a multi-byte UTF-8 character are never `"` or `\`, so walking bytes finds
    // the closing quote; the slice found always ends on a character boundary.
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => {
                let literal = &text[start..=i];
                return serde_json::from_str::<String>(literal)
                    .map(|value| (value, i + 1))
                    .map_err(|e| format!("a string that is not valid JSON ({e})"));
            }
            _ => i += 1,
        }
    }
    Err("a string with no closing `\"`".to_owned())
}
