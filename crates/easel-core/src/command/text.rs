//! The text of values in audit records: a command's type name, and a setting's value as
//! `before -> after` shows it (`"any"`, `3600`, `["example.test"]`,
//! `{ company = true, team = false }`). Values are read through their serde form, so names
//! and spellings are the ones the types declare; the text itself is Easel's own, in the
//! inline form of TOML (tables with their keys in order, absent values left out), written
//! here so that an audit record never depends on a formatting crate's choices.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};

use serde::Serialize;
use serde::ser::{self, SerializeMap as _};

/// A value as audit records write it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    Bool(bool),
    Int(i128),
    Float(f64),
    Text(String),
    List(Vec<Value>),
    Table(BTreeMap<String, Value>),
}

/// The value of anything serde can write; `None` for an absent value (a `None`, a unit) or
/// one that has no text (a map with keys that are not text).
pub(crate) fn value_of<T: Serialize + ?Sized>(value: &T) -> Option<Value> {
    value.serialize(Reader).ok().flatten()
}

/// The fields of a struct (or map) by name; empty for anything else.
pub(crate) fn fields_of<T: Serialize + ?Sized>(value: &T) -> BTreeMap<String, Value> {
    match value_of(value) {
        Some(Value::Table(fields)) => fields,
        _ => BTreeMap::new(),
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Float(x) if x.is_nan() => f.write_str("nan"),
            Value::Float(x) if x.is_infinite() => {
                f.write_str(if *x > 0.0 { "inf" } else { "-inf" })
            }
            // Debug keeps the point of a whole number (`1.0`), as TOML needs.
            Value::Float(x) => write!(f, "{x:?}"),
            Value::Text(s) => quoted(f, s),
            Value::List(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_char(']')
            }
            Value::Table(fields) if fields.is_empty() => f.write_str("{}"),
            Value::Table(fields) => {
                f.write_str("{ ")?;
                for (i, (key, value)) in fields.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    let bare = !key.is_empty()
                        && key
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
                    if bare {
                        f.write_str(key)?;
                    } else {
                        quoted(f, key)?;
                    }
                    write!(f, " = {value}")?;
                }
                f.write_str(" }")
            }
        }
    }
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
fn quoted(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\t' => f.write_str("\\t")?,
            '\r' => f.write_str("\\r")?,
            c if c.is_control() => write!(f, "\\u{:04X}", u32::from(c))?,
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

/// Why a value has no text. Only maps keyed by something other than text get one.
#[derive(Debug)]
pub(crate) struct NoText(String);

impl fmt::Display for NoText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NoText {}

impl ser::Error for NoText {
    fn custom<T: fmt::Display>(msg: T) -> NoText {
        NoText(msg.to_string())
    }
}

type Read = Result<Option<Value>, NoText>;

/// The serializer that reads a value.
struct Reader;

macro_rules! ints {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, v: $ty) -> Read {
            Ok(Some(Value::Int(i128::from(v))))
        })*
    };
}

impl ser::Serializer for Reader {
    type Ok = Option<Value>;
    type Error = NoText;
    type SerializeSeq = List;
    type SerializeTuple = List;
    type SerializeTupleStruct = List;
    type SerializeTupleVariant = Tagged<List>;
    type SerializeMap = Table;
    type SerializeStruct = Table;
    type SerializeStructVariant = Tagged<Table>;

    ints!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_i128: i128);

    fn serialize_u128(self, v: u128) -> Read {
        i128::try_from(v)
            .map(|v| Some(Value::Int(v)))
            .map_err(|_| NoText("an integer out of range".into()))
    }

    fn serialize_bool(self, v: bool) -> Read {
        Ok(Some(Value::Bool(v)))
    }

    fn serialize_f32(self, v: f32) -> Read {
        Ok(Some(Value::Float(f64::from(v))))
    }

    fn serialize_f64(self, v: f64) -> Read {
        Ok(Some(Value::Float(v)))
    }

    fn serialize_char(self, v: char) -> Read {
        Ok(Some(Value::Text(v.to_string())))
    }

    fn serialize_str(self, v: &str) -> Read {
        Ok(Some(Value::Text(v.to_string())))
    }

    fn serialize_bytes(self, v: &[u8]) -> Read {
        Ok(Some(Value::List(
            v.iter().map(|b| Value::Int(i128::from(*b))).collect(),
        )))
    }

    fn serialize_none(self) -> Read {
        Ok(None)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Read {
        value.serialize(Reader)
    }

    fn serialize_unit(self) -> Read {
        Ok(None)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Read {
        Ok(None)
    }

    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Read {
        Ok(Some(Value::Text(variant.to_string())))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Read {
        value.serialize(Reader)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Read {
        let mut table = Table::default();
        table.serialize_entry(variant, value)?;
        ser::SerializeMap::end(table)
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<List, NoText> {
        Ok(List::default())
    }

    fn serialize_tuple(self, _len: usize) -> Result<List, NoText> {
        Ok(List::default())
    }

    fn serialize_tuple_struct(self, _: &'static str, _len: usize) -> Result<List, NoText> {
        Ok(List::default())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Tagged<List>, NoText> {
        Ok(Tagged {
            variant,
            inner: List::default(),
        })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Table, NoText> {
        Ok(Table::default())
    }

    fn serialize_struct(self, _: &'static str, _len: usize) -> Result<Table, NoText> {
        Ok(Table::default())
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Tagged<Table>, NoText> {
        Ok(Tagged {
            variant,
            inner: Table::default(),
        })
    }
}

/// A list being read; absent items are left out.
#[derive(Default)]
struct List(Vec<Value>);

impl List {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NoText> {
        if let Some(v) = value.serialize(Reader)? {
            self.0.push(v);
        }
        Ok(())
    }

    fn done(self) -> Read {
        Ok(Some(Value::List(self.0)))
    }
}

impl ser::SerializeSeq for List {
    type Ok = Option<Value>;
    type Error = NoText;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NoText> {
        self.push(value)
    }
    fn end(self) -> Read {
        self.done()
    }
}

impl ser::SerializeTuple for List {
    type Ok = Option<Value>;
    type Error = NoText;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NoText> {
        self.push(value)
    }
    fn end(self) -> Read {
        self.done()
    }
}

impl ser::SerializeTupleStruct for List {
    type Ok = Option<Value>;
    type Error = NoText;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NoText> {
        self.push(value)
    }
    fn end(self) -> Read {
        self.done()
    }
}

/// A table being read; absent values are left out, as in TOML.
#[derive(Default)]
struct Table {
    fields: BTreeMap<String, Value>,
    key: Option<String>,
}

impl Table {
    fn insert<T: Serialize + ?Sized>(&mut self, key: String, value: &T) -> Result<(), NoText> {
        if let Some(v) = value.serialize(Reader)? {
            self.fields.insert(key, v);
        }
        Ok(())
    }
}

impl ser::SerializeMap for Table {
    type Ok = Option<Value>;
    type Error = NoText;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), NoText> {
        match key.serialize(Reader)? {
            Some(Value::Text(k)) => {
                self.key = Some(k);
                Ok(())
            }
            _ => Err(NoText("a map key that is not text".into())),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NoText> {
        let key = self
            .key
            .take()
            .ok_or_else(|| NoText("a map value without its key".into()))?;
        self.insert(key, value)
    }
    fn end(self) -> Read {
        Ok(Some(Value::Table(self.fields)))
    }
}

impl ser::SerializeStruct for Table {
    type Ok = Option<Value>;
    type Error = NoText;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), NoText> {
        self.insert(key.to_string(), value)
    }
    fn end(self) -> Read {
        Ok(Some(Value::Table(self.fields)))
    }
}

/// An enum variant with content, read as a table of one key, as TOML writes it.
struct Tagged<T> {
    variant: &'static str,
    inner: T,
}

impl<T> Tagged<T> {
    fn wrap(variant: &str, inner: Read) -> Read {
        let value = inner?.unwrap_or(Value::Table(BTreeMap::new()));
        Ok(Some(Value::Table(BTreeMap::from([(
            variant.to_string(),
            value,
        )]))))
    }
}

impl ser::SerializeTupleVariant for Tagged<List> {
    type Ok = Option<Value>;
    type Error = NoText;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), NoText> {
        self.inner.push(value)
    }
    fn end(self) -> Read {
        Self::wrap(self.variant, self.inner.done())
    }
}

impl ser::SerializeStructVariant for Tagged<Table> {
    type Ok = Option<Value>;
    type Error = NoText;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), NoText> {
        self.inner.insert(key.to_string(), value)
    }
    fn end(self) -> Read {
        Self::wrap(self.variant, ser::SerializeStruct::end(self.inner))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Sample {
        off: bool,
        secs: Option<u64>,
        absent: Option<u64>,
        name: &'static str,
        domains: Vec<&'static str>,
        nested: Nested,
    }

    #[derive(Serialize)]
    struct Nested {
        team: bool,
        company: bool,
    }

    #[test]
    fn values_read_as_inline_toml() {
        let sample = Sample {
            off: false,
            secs: Some(3600),
            absent: None,
            name: "say \"hi\"\n",
            domains: vec!["example.test", "b.test"],
            nested: Nested {
                team: true,
                company: false,
            },
        };
        let fields = fields_of(&sample);
        let text: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        assert_eq!(
            text,
            [
                r#"domains: ["example.test", "b.test"]"#,
                r#"name: "say \"hi\"\n""#,
                "nested: { company = false, team = true }",
                "off: false",
                "secs: 3600",
            ]
        );
        assert_eq!(value_of(&Option::<u8>::None), None);
        assert_eq!(
            value_of(&1.0_f64).map(|v| v.to_string()),
            Some("1.0".into())
        );
        assert_eq!(fields_of(&3_u8), BTreeMap::new());
    }
}
