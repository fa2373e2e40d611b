//! Bolt 4.x <-> 5.1 translation of messages and values.

use super::packstream::Value;
use chrono::{Offset, TimeZone, Utc};
use chrono_tz::Tz;

pub const HELLO: u8 = 0x01;
pub const LOGON: u8 = 0x6A;
pub const SUCCESS: u8 = 0x70;

const NODE: u8 = b'N';
const RELATIONSHIP: u8 = b'R';
const UNBOUND_RELATIONSHIP: u8 = b'r';
const DATE_TIME_V5: u8 = b'I';
const DATE_TIME_ZONE_ID_V5: u8 = b'i';
const DATE_TIME_LEGACY: u8 = b'F';
const DATE_TIME_ZONE_ID_LEGACY: u8 = b'f';

/// Splits a 4.x HELLO (credentials inside) into 5.1's HELLO and LOGON.
pub fn split_hello(extra: &Value) -> (Value, Value) {
    let auth_keys = ["scheme", "principal", "credentials"];
    let entries = match extra {
        Value::Map(entries) => entries.clone(),
        _ => Vec::new(),
    };
    let (auth, rest): (Vec<_>, Vec<_>) = entries
        .into_iter()
        .partition(|(k, _)| auth_keys.contains(&k.as_str()));
    let hello = Value::Struct {
        tag: HELLO,
        fields: vec![Value::Map(rest)],
    };
    let logon = Value::Struct {
        tag: LOGON,
        fields: vec![Value::Map(auth)],
    };
    (hello, logon)
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        _ => 0,
    }
}

/// The offset of zone `id` at UTC second `utc`, in seconds.
fn zone_offset_at_utc(id: &Value, utc: i64) -> i64 {
    let Value::String(id) = id else { return 0 };
    let Ok(tz) = id.parse::<Tz>() else { return 0 };
    match Utc.timestamp_opt(utc, 0).single() {
        Some(at) => i64::from(at.with_timezone(&tz).offset().fix().local_minus_utc()),
        None => 0,
    }
}

/// The UTC second of local second `local` in zone `id`.
fn utc_of_local(id: &Value, local: i64) -> i64 {
    let Value::String(id) = id else { return local };
    let Ok(tz) = id.parse::<Tz>() else {
        return local;
    };
    let Some(naive) = chrono::DateTime::from_timestamp(local, 0).map(|t| t.naive_utc()) else {
        return local;
    };
    tz.from_local_datetime(&naive)
        .earliest()
        .map_or(local, |at| at.timestamp())
}

/// A value from a 5.x server, as a 4.x client expects it.
pub fn down(value: Value) -> Value {
    match value {
        Value::Struct { tag, fields } => {
            let mut fields: Vec<Value> = fields.into_iter().map(down).collect();
            match tag {
                NODE => fields.truncate(3),
                RELATIONSHIP => fields.truncate(5),
                UNBOUND_RELATIONSHIP => fields.truncate(3),
                DATE_TIME_V5 if fields.len() == 3 => {
                    let local = int(&fields[0]) + int(&fields[2]);
                    fields[0] = Value::Int(local);
                    return Value::Struct {
                        tag: DATE_TIME_LEGACY,
                        fields,
                    };
                }
                DATE_TIME_ZONE_ID_V5 if fields.len() == 3 => {
                    let utc = int(&fields[0]);
                    fields[0] = Value::Int(utc + zone_offset_at_utc(&fields[2], utc));
                    return Value::Struct {
                        tag: DATE_TIME_ZONE_ID_LEGACY,
                        fields,
                    };
                }
                _ => {}
            }
            Value::Struct { tag, fields }
        }
        Value::List(items) => Value::List(items.into_iter().map(down).collect()),
        Value::Map(entries) => Value::Map(entries.into_iter().map(|(k, v)| (k, down(v))).collect()),
        other => other,
    }
}

/// A value from a 4.x client (query parameters), as a 5.x server expects it.
pub fn up(value: Value) -> Value {
    match value {
        Value::Struct { tag, fields } => {
            let mut fields: Vec<Value> = fields.into_iter().map(up).collect();
            match tag {
                DATE_TIME_LEGACY if fields.len() == 3 => {
                    fields[0] = Value::Int(int(&fields[0]) - int(&fields[2]));
                    Value::Struct {
                        tag: DATE_TIME_V5,
                        fields,
                    }
                }
                DATE_TIME_ZONE_ID_LEGACY if fields.len() == 3 => {
                    fields[0] = Value::Int(utc_of_local(&fields[2], int(&fields[0])));
                    Value::Struct {
                        tag: DATE_TIME_ZONE_ID_V5,
                        fields,
                    }
                }
                _ => Value::Struct { tag, fields },
            }
        }
        Value::List(items) => Value::List(items.into_iter().map(up).collect()),
        Value::Map(entries) => Value::Map(entries.into_iter().map(|(k, v)| (k, up(v))).collect()),
        other => other,
    }
}

/// Translates the fields of a message (never the message struct itself:
/// message tags overlap value tags).
pub fn message_fields(message: Value, f: fn(Value) -> Value) -> Value {
    match message {
        Value::Struct { tag, fields } => Value::Struct {
            tag,
            fields: fields.into_iter().map(f).collect(),
        },
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value {
        Value::String(v.into())
    }

    #[test]
    fn hello_credentials_move_to_logon() {
        let extra = Value::Map(vec![
            ("user_agent".into(), s("neo4rs")),
            ("scheme".into(), s("basic")),
            ("principal".into(), s("neo4j")),
            ("credentials".into(), s("pw")),
        ]);
        let (hello, logon) = split_hello(&extra);
        let Value::Struct { fields, .. } = hello else {
            panic!()
        };
        assert_eq!(
            fields[0],
            Value::Map(vec![("user_agent".into(), s("neo4rs"))])
        );
        let Value::Struct { tag, fields } = logon else {
            panic!()
        };
        assert_eq!(tag, LOGON);
        assert_eq!(fields[0].map_get("principal"), Some(&s("neo4j")));
    }

    #[test]
    fn nodes_and_relationships_lose_their_element_ids() {
        let node = Value::Struct {
            tag: NODE,
            fields: vec![
                Value::Int(1),
                Value::List(vec![s("User")]),
                Value::Map(vec![]),
                s("4:x:1"),
            ],
        };
        let rel = Value::Struct {
            tag: RELATIONSHIP,
            fields: vec![
                Value::Int(7),
                Value::Int(1),
                Value::Int(2),
                s("POSTED"),
                Value::Map(vec![]),
                s("e"),
                s("s"),
                s("t"),
            ],
        };
        let Value::List(out) = down(Value::List(vec![node, rel])) else {
            panic!()
        };
        assert!(matches!(&out[0], Value::Struct { fields, .. } if fields.len() == 3));
        assert!(matches!(&out[1], Value::Struct { fields, .. } if fields.len() == 5));
    }

    #[test]
    fn date_times_convert_between_utc_and_legacy_local_seconds() {
        let v5 = Value::Struct {
            tag: DATE_TIME_V5,
            fields: vec![Value::Int(1_000), Value::Int(5), Value::Int(3_600)],
        };
        let legacy = down(v5.clone());
        assert_eq!(
            legacy,
            Value::Struct {
                tag: DATE_TIME_LEGACY,
                fields: vec![Value::Int(4_600), Value::Int(5), Value::Int(3_600)]
            }
        );
        assert_eq!(up(legacy), v5);
        // 2024-07-01T00:00:00Z is 02:00 in Paris (CEST, +2h).
        let zoned = Value::Struct {
            tag: DATE_TIME_ZONE_ID_V5,
            fields: vec![Value::Int(1_719_792_000), Value::Int(0), s("Europe/Paris")],
        };
        let legacy = down(zoned.clone());
        assert!(
            matches!(&legacy, Value::Struct { fields, .. } if fields[0] == Value::Int(1_719_792_000 + 7_200))
        );
        assert_eq!(up(legacy), zoned);
    }
}
