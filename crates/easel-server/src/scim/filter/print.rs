//! Filters written back as text that parses to the same [`Filter`]: parentheses only where
//! precedence or left grouping needs them, operators and keywords in lower case, strings as
//! JSON.

use std::fmt;

use super::{CompValue, CompareOp, Filter};

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Filter::Or(..) | Filter::And(..) => {
                let and = matches!(self, Filter::And(..));
                for (i, operand) in self.operands().into_iter().enumerate() {
                    // Runs group to the left, so a run of the same operator to the right
                    // needs parentheses (`a or (b or c)`), and `or` inside `and` always does.
                    let parenthesize = match operand {
                        Filter::Or(..) => and || i > 0,
                        Filter::And(..) => and && i > 0,
                        _ => false,
                    };
                    if i > 0 {
                        f.write_str(if and { " and " } else { " or " })?;
                    }
                    side(f, operand, parenthesize)?;
                }
                Ok(())
            }
            Filter::Not(inner) => write!(f, "not ({inner})"),
            Filter::Compare { path, op, value } => write!(f, "{path} {op} {value}"),
            Filter::Present { path } => write!(f, "{path} pr"),
            Filter::ValuePath { attr, filter } => write!(f, "{attr}[{filter}]"),
        }
    }
}

fn side(f: &mut fmt::Formatter<'_>, filter: &Filter, parenthesize: bool) -> fmt::Result {
    if parenthesize {
        write!(f, "({filter})")
    } else {
        write!(f, "{filter}")
    }
}

impl fmt::Display for CompareOp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for CompValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompValue::String(text) => {
                let quoted = serde_json::to_string(text).map_err(|_| fmt::Error)?;
                f.write_str(&quoted)
            }
            CompValue::Number(number) => write!(f, "{number}"),
            CompValue::Bool(value) => write!(f, "{value}"),
            CompValue::Null => f.write_str("null"),
        }
    }
}
