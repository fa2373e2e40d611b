//! PackStream, the value encoding of Bolt: enough to decode and re-encode
//! every message the bridge forwards.

use std::io::{Error, ErrorKind, Result};

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Bytes(Vec<u8>),
    String(String),
    List(Vec<Value>),
    Map(Vec<(String, Value)>),
    Struct { tag: u8, fields: Vec<Value> },
}

impl Value {
    pub fn map_get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

fn bad(what: &str) -> Error {
    Error::new(ErrorKind::InvalidData, what.to_owned())
}

pub struct Decoder<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Decoder<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, at: 0 }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self
            .at
            .checked_add(n)
            .filter(|e| *e <= self.bytes.len())
            .ok_or_else(|| bad("truncated packstream"))?;
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn uint(&mut self, n: usize) -> Result<usize> {
        Ok(self
            .take(n)?
            .iter()
            .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)))
    }

    fn int(&mut self, n: usize) -> Result<i64> {
        let bytes = self.take(n)?;
        let mut buf = [if bytes[0] & 0x80 != 0 { 0xFF } else { 0 }; 8];
        buf[8 - n..].copy_from_slice(bytes);
        Ok(i64::from_be_bytes(buf))
    }

    pub fn value(&mut self) -> Result<Value> {
        let marker = self.take(1)?[0];
        Ok(match marker {
            0x00..=0x7F => Value::Int(i64::from(marker)),
            0xF0..=0xFF => Value::Int(i64::from(marker as i8)),
            0xC0 => Value::Null,
            0xC1 => Value::Float(f64::from_be_bytes(
                self.take(8)?.try_into().map_err(|_| bad("float"))?,
            )),
            0xC2 => Value::Bool(false),
            0xC3 => Value::Bool(true),
            0xC8 => Value::Int(self.int(1)?),
            0xC9 => Value::Int(self.int(2)?),
            0xCA => Value::Int(self.int(4)?),
            0xCB => Value::Int(self.int(8)?),
            0xCC..=0xCE => {
                let n = self.uint(1 << (marker - 0xCC))?;
                Value::Bytes(self.take(n)?.to_vec())
            }
            0x80..=0x8F => self.string(usize::from(marker & 0x0F))?,
            0xD0..=0xD2 => {
                let n = self.uint(1 << (marker - 0xD0))?;
                self.string(n)?
            }
            0x90..=0x9F => self.list(usize::from(marker & 0x0F))?,
            0xD4..=0xD6 => {
                let n = self.uint(1 << (marker - 0xD4))?;
                self.list(n)?
            }
            0xA0..=0xAF => self.map(usize::from(marker & 0x0F))?,
            0xD8..=0xDA => {
                let n = self.uint(1 << (marker - 0xD8))?;
                self.map(n)?
            }
            0xB0..=0xBF => {
                let tag = self.take(1)?[0];
                let fields = (0..marker & 0x0F)
                    .map(|_| self.value())
                    .collect::<Result<_>>()?;
                Value::Struct { tag, fields }
            }
            other => return Err(bad(&format!("unknown marker {other:#x}"))),
        })
    }

    fn string(&mut self, n: usize) -> Result<Value> {
        let bytes = self.take(n)?;
        Ok(Value::String(
            String::from_utf8(bytes.to_vec()).map_err(|_| bad("utf-8"))?,
        ))
    }

    fn list(&mut self, n: usize) -> Result<Value> {
        Ok(Value::List(
            (0..n).map(|_| self.value()).collect::<Result<_>>()?,
        ))
    }

    fn map(&mut self, n: usize) -> Result<Value> {
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let Value::String(key) = self.value()? else {
                return Err(bad("map key"));
            };
            entries.push((key, self.value()?));
        }
        Ok(Value::Map(entries))
    }
}

pub fn decode(bytes: &[u8]) -> Result<Value> {
    let mut decoder = Decoder::new(bytes);
    let value = decoder.value()?;
    if decoder.at != bytes.len() {
        return Err(bad("trailing bytes"));
    }
    Ok(value)
}

fn header(out: &mut Vec<u8>, n: usize, tiny: u8, wide: u8) {
    if n < 16 && tiny != 0 {
        out.push(tiny | n as u8);
    } else if n <= 0xFF {
        out.extend([wide, n as u8]);
    } else if n <= 0xFFFF {
        out.push(wide + 1);
        out.extend((n as u16).to_be_bytes());
    } else {
        out.push(wide + 2);
        out.extend((n as u32).to_be_bytes());
    }
}

pub fn encode(value: &Value, out: &mut Vec<u8>) {
    match value {
        Value::Null => out.push(0xC0),
        Value::Bool(b) => out.push(if *b { 0xC3 } else { 0xC2 }),
        Value::Int(i) => match *i {
            -16..=127 => out.push(*i as i8 as u8),
            -128..=-17 => out.extend([0xC8, *i as i8 as u8]),
            -32_768..=32_767 => {
                out.push(0xC9);
                out.extend((*i as i16).to_be_bytes());
            }
            -2_147_483_648..=2_147_483_647 => {
                out.push(0xCA);
                out.extend((*i as i32).to_be_bytes());
            }
            _ => {
                out.push(0xCB);
                out.extend(i.to_be_bytes());
            }
        },
        Value::Float(f) => {
            out.push(0xC1);
            out.extend(f.to_be_bytes());
        }
        Value::Bytes(b) => {
            header(out, b.len(), 0, 0xCC);
            out.extend(b);
        }
        Value::String(s) => {
            header(out, s.len(), 0x80, 0xD0);
            out.extend(s.as_bytes());
        }
        Value::List(items) => {
            header(out, items.len(), 0x90, 0xD4);
            items.iter().for_each(|v| encode(v, out));
        }
        Value::Map(entries) => {
            header(out, entries.len(), 0xA0, 0xD8);
            for (k, v) in entries {
                encode(&Value::String(k.clone()), out);
                encode(v, out);
            }
        }
        Value::Struct { tag, fields } => {
            out.extend([0xB0 | fields.len() as u8, *tag]);
            fields.iter().for_each(|v| encode(v, out));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_value_round_trips() {
        let long = "x".repeat(300);
        let value = Value::Struct {
            tag: 0x10,
            fields: vec![
                Value::List(vec![
                    Value::Null,
                    Value::Bool(true),
                    Value::Int(-17),
                    Value::Int(-1),
                    Value::Int(200),
                    Value::Int(70_000),
                    Value::Int(i64::MIN),
                    Value::Float(1.5),
                    Value::Bytes(vec![1, 2, 3]),
                    Value::String(long),
                ]),
                Value::Map((0..20).map(|i| (format!("k{i}"), Value::Int(i))).collect()),
            ],
        };
        let mut bytes = Vec::new();
        encode(&value, &mut bytes);
        assert_eq!(decode(&bytes).unwrap(), value);
    }

    #[test]
    fn known_encodings_match_the_spec() {
        let mut out = Vec::new();
        encode(&Value::Int(-16), &mut out);
        encode(&Value::String("a".into()), &mut out);
        encode(&Value::Map(vec![]), &mut out);
        assert_eq!(out, [0xF0, 0x81, b'a', 0xA0]);
        assert!(
            decode(&[0xD0]).is_err(),
            "truncated input is an error, not a panic"
        );
    }
}
