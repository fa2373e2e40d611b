//! A Bolt bridge for tests: accepts Bolt 4.1 (what neo4rs 0.8 speaks) and
//! talks Bolt 5.1 to the server (what kglite-bolt-server speaks). It
//! responds to the 4.x handshake, splits HELLO into HELLO + LOGON, and
//! translates the structures whose layout changed in 5.x (Node,
//! Relationship, UnboundRelationship, DateTime, DateTimeZoneId).
//!
//! Test infrastructure only: the product talks to Neo4j directly.
#![allow(dead_code)]

pub mod packstream;
pub mod translate;

use packstream::Value;
use std::io::{Error, ErrorKind, Result};
use std::net::SocketAddr;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const MAGIC: [u8; 4] = [0x60, 0x60, 0xB0, 0x17];
const BOLT_4_1: [u8; 4] = [0, 0, 1, 4];
const BOLT_5_1: [u8; 4] = [0, 0, 1, 5];

/// The Bolt RUN message: its first field is the Cypher text.
const RUN: u8 = 0x10;
const BEGIN: u8 = 0x11;
const COMMIT: u8 = 0x12;

/// Faults a test arms, as a network would cause them.
#[derive(Default)]
pub struct Faults {
    drop_at: std::sync::Mutex<Option<String>>,
    lose_answer_at: std::sync::Mutex<Option<String>>,
    /// Responses (SUCCESS) still to pass before the armed one is lost.
    answers_to_lose: std::sync::atomic::AtomicUsize,
    dropped: std::sync::atomic::AtomicUsize,
    /// RUN, BEGIN and COMMIT messages seen: the round trips a store makes.
    round_trips: std::sync::atomic::AtomicUsize,
}

impl Faults {
    /// The next RUN whose Cypher contains `marker` never reaches the
    /// server: the connection drops instead, mid-transaction.
    pub fn drop_connection_at(&self, marker: &str) {
        if let Ok(mut armed) = self.drop_at.lock() {
            *armed = Some(marker.to_owned());
        }
    }

    /// The next RUN whose Cypher contains `marker` reaches the server and
    /// runs to its end (an autocommit statement commits), but the
    /// connection drops before its last response reaches the client: the
    /// client cannot tell whether it committed.
    pub fn lose_answer_at(&self, marker: &str) {
        if let Ok(mut armed) = self.lose_answer_at.lock() {
            *armed = Some(marker.to_owned());
        }
    }

    /// Connections dropped so far.
    pub fn dropped(&self) -> usize {
        self.dropped.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Round trips (RUN, BEGIN, COMMIT) sent so far, on every connection.
    pub fn round_trips(&self) -> usize {
        self.round_trips.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Whether this response from the server is the one to lose.
    fn loses(&self, message: &Value) -> bool {
        use std::sync::atomic::Ordering::SeqCst;
        if tag(message) != Some(translate::SUCCESS) {
            return false;
        }
        let left = self
            .answers_to_lose
            .fetch_update(SeqCst, SeqCst, |n| n.checked_sub(1))
            .unwrap_or(0);
        if left == 1 {
            self.dropped.fetch_add(1, SeqCst);
            return true;
        }
        false
    }

    fn trips(&self, message: &Value) -> bool {
        if let Value::Struct {
            tag: RUN | BEGIN | COMMIT,
            ..
        } = message
        {
            self.round_trips
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        let Value::Struct { tag: RUN, fields } = message else {
            return false;
        };
        let Some(Value::String(cypher)) = fields.first() else {
            return false;
        };
        if let Ok(mut armed) = self.lose_answer_at.lock() {
            if armed.as_deref().is_some_and(|m| cypher.contains(m)) {
                *armed = None;
                // RUN's SUCCESS passes; PULL's, after the records, is lost.
                self.answers_to_lose
                    .store(2, std::sync::atomic::Ordering::SeqCst);
            }
        }
        let Ok(mut armed) = self.drop_at.lock() else {
            return false;
        };
        if armed.as_deref().is_some_and(|m| cypher.contains(m)) {
            *armed = None;
            self.dropped
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            return true;
        }
        false
    }
}

/// Listens on a free loopback port and bridges every connection to
/// `upstream`; returns the address to give neo4rs.
pub async fn start(upstream: SocketAddr) -> Result<SocketAddr> {
    start_with(upstream, std::sync::Arc::default()).await
}

/// As [`start`], with faults the caller can arm.
pub async fn start_with(
    upstream: SocketAddr,
    faults: std::sync::Arc<Faults>,
) -> Result<SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let faults = faults.clone();
            tokio::spawn(async move {
                if let Err(err) = bridge(client, upstream, &faults).await {
                    if err.kind() != ErrorKind::UnexpectedEof {
                        eprintln!("bolt bridge: {err}");
                    }
                }
            });
        }
    });
    Ok(addr)
}

/// Reads one Bolt message (its chunks up to the 0x0000 end marker),
/// skipping NOOP keep-alives; `None` at a clean end of stream.
pub async fn read_message(r: &mut (impl AsyncRead + Unpin)) -> Result<Option<Vec<u8>>> {
    let mut message = Vec::new();
    loop {
        let mut size = [0u8; 2];
        match r.read_exact(&mut size).await {
            Ok(_) => {}
            Err(e) if e.kind() == ErrorKind::UnexpectedEof && message.is_empty() => {
                return Ok(None)
            }
            Err(e) => return Err(e),
        }
        let size = usize::from(u16::from_be_bytes(size));
        if size == 0 {
            if message.is_empty() {
                continue;
            }
            return Ok(Some(message));
        }
        let start = message.len();
        message.resize(start + size, 0);
        r.read_exact(&mut message[start..]).await?;
    }
}

pub async fn write_message(w: &mut (impl AsyncWrite + Unpin), message: &Value) -> Result<()> {
    let mut bytes = Vec::new();
    packstream::encode(message, &mut bytes);
    let mut framed = Vec::with_capacity(bytes.len() + 8);
    for chunk in bytes.chunks(0xFFFF) {
        framed.extend((chunk.len() as u16).to_be_bytes());
        framed.extend(chunk);
    }
    framed.extend([0, 0]);
    w.write_all(&framed).await
}

async fn next(r: &mut (impl AsyncRead + Unpin)) -> Result<Option<Value>> {
    match read_message(r).await? {
        Some(bytes) => packstream::decode(&bytes).map(Some),
        None => Ok(None),
    }
}

fn tag(message: &Value) -> Option<u8> {
    match message {
        Value::Struct { tag, .. } => Some(*tag),
        _ => None,
    }
}

async fn bridge(mut client: TcpStream, upstream: SocketAddr, faults: &Faults) -> Result<()> {
    let mut handshake = [0u8; 20];
    client.read_exact(&mut handshake).await?;
    if handshake[..4] != MAGIC {
        return Err(Error::new(ErrorKind::InvalidData, "not a Bolt client"));
    }
    let offers_4_1 = handshake[4..].chunks(4).any(|v| v[3] == 4 && v[2] >= 1);
    if !offers_4_1 {
        client.write_all(&[0, 0, 0, 0]).await?;
        return Ok(());
    }
    let mut server = TcpStream::connect(upstream).await?;
    server.set_nodelay(true)?;
    client.set_nodelay(true)?;
    let mut offer = MAGIC.to_vec();
    offer.extend(BOLT_5_1);
    offer.extend([0u8; 12]);
    server.write_all(&offer).await?;
    let mut agreed = [0u8; 4];
    server.read_exact(&mut agreed).await?;
    if agreed != BOLT_5_1 {
        client.write_all(&[0, 0, 0, 0]).await?;
        return Err(Error::new(
            ErrorKind::Unsupported,
            format!("server chose Bolt {agreed:?}"),
        ));
    }
    client.write_all(&BOLT_4_1).await?;

    let (mut client_r, mut client_w) = client.into_split();
    let (mut server_r, mut server_w) = server.into_split();
    // HELLO: credentials move to a LOGON; the two replies become one.
    let Some(hello) = next(&mut client_r).await? else {
        return Ok(());
    };
    let extra = match &hello {
        Value::Struct {
            tag: translate::HELLO,
            fields,
        } => fields.first().cloned().unwrap_or(Value::Map(vec![])),
        _ => {
            return Err(Error::new(
                ErrorKind::InvalidData,
                "first message is not HELLO",
            ))
        }
    };
    let (hello, logon) = translate::split_hello(&extra);
    write_message(&mut server_w, &hello).await?;
    write_message(&mut server_w, &logon).await?;
    let hello_reply = next(&mut server_r).await?.ok_or(ErrorKind::UnexpectedEof)?;
    let logon_reply = next(&mut server_r).await?.ok_or(ErrorKind::UnexpectedEof)?;
    let reply = if tag(&hello_reply) == Some(translate::SUCCESS) {
        logon_reply_or(hello_reply, logon_reply)
    } else {
        hello_reply
    };
    write_message(&mut client_w, &reply).await?;

    let upstream = async {
        while let Some(message) = next(&mut client_r).await? {
            if faults.trips(&message) {
                return Err(Error::new(ErrorKind::ConnectionAborted, "fault: dropped"));
            }
            write_message(
                &mut server_w,
                &translate::message_fields(message, translate::up),
            )
            .await?;
        }
        server_w.shutdown().await
    };
    let downstream = async {
        while let Some(message) = next(&mut server_r).await? {
            if faults.loses(&message) {
                return Err(Error::new(
                    ErrorKind::ConnectionAborted,
                    "fault: answer lost",
                ));
            }
            write_message(
                &mut client_w,
                &translate::message_fields(message, translate::down),
            )
            .await?;
        }
        client_w.shutdown().await
    };
    tokio::select! {
        r = upstream => r,
        r = downstream => r,
    }
}

/// HELLO succeeded: the client sees HELLO's SUCCESS if LOGON succeeded too,
/// else LOGON's FAILURE.
fn logon_reply_or(hello_reply: Value, logon_reply: Value) -> Value {
    if tag(&logon_reply) == Some(translate::SUCCESS) {
        hello_reply
    } else {
        logon_reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn messages_are_chunked_and_reassembled() {
        let big = Value::String("y".repeat(70_000));
        let (mut a, mut b) = tokio::io::duplex(1 << 20);
        write_message(
            &mut a,
            &Value::Struct {
                tag: 0x10,
                fields: vec![big.clone()],
            },
        )
        .await
        .unwrap();
        a.write_all(&[0, 0]).await.unwrap(); // a NOOP between messages
        write_message(&mut a, &Value::Null).await.unwrap();
        drop(a);
        let first = packstream::decode(&read_message(&mut b).await.unwrap().unwrap()).unwrap();
        assert_eq!(
            first,
            Value::Struct {
                tag: 0x10,
                fields: vec![big]
            }
        );
        assert_eq!(read_message(&mut b).await.unwrap().unwrap(), vec![0xC0]);
        assert_eq!(read_message(&mut b).await.unwrap(), None);
    }
}
