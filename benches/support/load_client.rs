//! The load bench's client side: the `chorus` process it drives, its
//! members, WebSocket listeners, a webhook receiver that never answers,
//! and the Neo4j store (kglite release behind the Bolt bridge).

use chorus::auth::dev::DevTokens;
use chorus_testkit::bolt_bridge;
use futures_util::{SinkExt, StreamExt};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message as Frame;

const SECRET: &str = "load-bench-secret";
const EVENTS: &str =
    "subscription($g: ID!) { groupEvents(groupId: $g) { id type message { body } } }";

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The millisecond value at quantile `q` of sorted durations.
pub fn percentile_ms(sorted: &[Duration], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let index = ((sorted.len() - 1) as f64 * q).round() as usize;
    sorted[index].as_secs_f64() * 1_000.0
}

/// A signed-in user of the bench.
#[derive(Clone)]
pub struct Member {
    pub id: String,
    pub token: String,
}

pub struct Posted {
    pub body: String,
}

/// The `chorus` child process and an HTTP client to it.
#[derive(Clone)]
pub struct Chorus(Arc<Inner>);

struct Inner {
    _child: Child,
    pid: u32,
    base: String,
    http: reqwest::Client,
    tokens: DevTokens,
}

impl Chorus {
    /// Starts the release binary on a free port (the embedded store, or
    /// Neo4j at `neo4j`), with limits that let the bench's load in.
    pub async fn start(extra: &[(&str, &str)], neo4j: Option<&str>) -> Self {
        let port = free_port();
        let mut command = Command::new(env!("CARGO_BIN_EXE_chorus"));
        command
            .env("CHORUS_LISTEN", format!("127.0.0.1:{port}"))
            .env("CHORUS_DEV_SECRET", SECRET)
            .env("CHORUS_MAX_CONNECTIONS", "30000")
            .env("CHORUS_MAX_SOCKETS_PER_USER", "100")
            .env("CHORUS_RATE_BURST", "1000000")
            .env("CHORUS_RATE_PER_SEC", "1000000")
            .env("RUST_LOG", "error")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true);
        if let Some(uri) = neo4j {
            command.env("NEO4J_URI", uri).env("NEO4J_PASSWORD", "neo4j");
        }
        for (key, value) in extra {
            command.env(key, value);
        }
        let child = command.spawn().unwrap();
        let pid = child.id().unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .unwrap();
        for _ in 0..400 {
            if http.get(format!("{base}/health")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self(Arc::new(Inner {
            _child: child,
            pid,
            base,
            http,
            tokens: DevTokens::new(SECRET.to_owned().into()),
        }))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.0.base)
    }

    fn user(&self, id: &str) -> Member {
        Member {
            id: id.to_owned(),
            token: self.0.tokens.issue(id, id).unwrap(),
        }
    }

    /// Member number `n` of the bench's group.
    pub fn member(&self, n: usize) -> Member {
        self.user(&format!("m{n}"))
    }

    /// The data of a GraphQL request as `member`; panics on errors.
    pub async fn gql(&self, member: &Member, query: &str, variables: Value) -> Value {
        let url = self.url("/graphql");
        chorus_testkit::http::gql(&self.0.http, &url, &member.token, query, variables).await
    }

    /// A group owned by `owner` with `members` members (`m0`, `m1`, ...).
    pub async fn group_with_members(&self, members: usize) -> (Member, String) {
        let owner = self.user("owner");
        let created = self
            .gql(
                &owner,
                "mutation { createGroup(input: {name: \"Load\"}) { id } }",
                json!({}),
            )
            .await;
        let group = created["createGroup"]["id"].as_str().unwrap().to_owned();
        let joins = (0..members).map(|n| {
            let (member, owner, group) = (self.member(n), owner.clone(), group.clone());
            async move {
                let vars = json!({"g": group, "u": member.id});
                self.gql(&member, "mutation($g: ID!) { applyToGroup(groupId: $g) { state } }", vars.clone())
                    .await;
                self.gql(
                    &owner,
                    "mutation($g: ID!, $u: ID!) { approveApplication(groupId: $g, userId: $u) { state } }",
                    vars,
                )
                .await;
            }
        });
        futures_util::stream::iter(joins)
            .buffer_unordered(32)
            .collect::<Vec<()>>()
            .await;
        (owner, group)
    }

    const POST: &'static str =
        "mutation($g: ID!, $b: String!) { postMessage(input: {groupId: $g, body: $b}) { id } }";

    pub async fn post(&self, member: &Member, group: &str, body: &str) -> Posted {
        self.gql(member, Self::POST, json!({"g": group, "b": body}))
            .await;
        Posted {
            body: body.to_owned(),
        }
    }

    /// Whether a post was accepted (a refusal or a timeout is `false`).
    pub async fn try_post(&self, member: &Member, group: &str, body: &str) -> bool {
        let sent = self
            .0
            .http
            .post(self.url("/graphql"))
            .bearer_auth(&member.token)
            .json(&json!({"query": Self::POST, "variables": {"g": group, "b": body}}))
            .send()
            .await;
        let Ok(reply) = sent else { return false };
        let Ok(reply) = reply.json::<Value>().await else {
            return false;
        };
        reply["data"]["postMessage"]["id"].is_string()
    }

    /// The server's resident set, in MB.
    pub fn rss_mb(&self) -> u64 {
        let status =
            std::fs::read_to_string(format!("/proc/{}/status", self.0.pid)).unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0)
            / 1024
    }

    /// The server's open file descriptors.
    pub fn fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.0.pid)).map_or(0, Iterator::count)
    }

    /// Samples fds, RSS and `/health` every 250 ms until stopped.
    pub fn sample_while_running(&self) -> Sampling {
        let samples = Arc::new(Mutex::new(Samples::default()));
        let (server, into) = (self.clone(), samples.clone());
        let task = tokio::spawn(async move {
            let health = reqwest::Client::builder()
                .timeout(Duration::from_secs(2))
                .build()
                .unwrap();
            loop {
                let (fds, rss) = (server.fds(), server.rss_mb());
                let asked = Instant::now();
                let ok = health
                    .get(server.url("/health"))
                    .send()
                    .await
                    .is_ok_and(|r| r.status().is_success());
                let took = asked.elapsed().as_secs_f64() * 1_000.0;
                {
                    let mut s = into.lock().unwrap();
                    s.max_fds = s.max_fds.max(fds);
                    s.max_rss_mb = s.max_rss_mb.max(rss);
                    s.health_checks += 1;
                    s.health_ok += usize::from(ok);
                    s.slowest_health_ms = s.slowest_health_ms.max(took);
                }
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        });
        Sampling { task, samples }
    }
}

#[derive(Default, Clone)]
pub struct Samples {
    pub max_fds: usize,
    pub max_rss_mb: u64,
    pub health_checks: usize,
    pub health_ok: usize,
    pub slowest_health_ms: f64,
}

pub struct Sampling {
    task: tokio::task::JoinHandle<()>,
    samples: Arc<Mutex<Samples>>,
}

impl Sampling {
    pub async fn stop(self) -> Samples {
        self.task.abort();
        let _ = self.task.await;
        self.samples.lock().unwrap().clone()
    }
}

/// What the bench reads of a frame.
#[derive(Deserialize)]
struct Incoming {
    #[serde(rename = "type")]
    kind: String,
    payload: Option<Payload>,
}

#[derive(Deserialize)]
struct Payload {
    data: Option<Data>,
}

#[derive(Deserialize)]
struct Data {
    #[serde(rename = "groupEvents")]
    group_events: Option<Event>,
}

#[derive(Deserialize)]
struct Event {
    message: Option<Body>,
}

#[derive(Deserialize)]
struct Body {
    body: Option<String>,
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// A socket of `member`, initialised and subscribed to `group`.
async fn subscribed(server: &Chorus, member: &Member, group: &str) -> Socket {
    let mut request = server
        .url("/graphql")
        .replacen("http", "ws", 1)
        .into_client_request()
        .unwrap();
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().unwrap(),
    );
    let config = tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(4 * 1024);
    let (mut socket, _) =
        tokio_tungstenite::connect_async_with_config(request, Some(config), false)
            .await
            .unwrap();
    let init = json!({"type": "connection_init", "payload": {"authorization": format!("Bearer {}", member.token)}});
    socket.send(Frame::text(init.to_string())).await.unwrap();
    loop {
        match socket.next().await {
            Some(Ok(Frame::Text(text))) if text.contains("connection_ack") => break,
            Some(Ok(_)) => continue,
            other => panic!("no connection_ack: {other:?}"),
        }
    }
    let subscribe = json!({"id": "1", "type": "subscribe", "payload": {"query": EVENTS, "variables": {"g": group}}});
    socket
        .send(Frame::text(subscribe.to_string()))
        .await
        .unwrap();
    socket
}

/// The message body of a `next` frame.
fn body_of(text: &str) -> Option<String> {
    let frame: Incoming = serde_json::from_str(text).ok()?;
    if frame.kind != "next" {
        return None;
    }
    frame.payload?.data?.group_events?.message?.body
}

/// Many subscribed sockets whose frames arrive on one channel.
pub struct Listener {
    tx: mpsc::UnboundedSender<(String, Instant)>,
    rx: tokio::sync::Mutex<mpsc::UnboundedReceiver<(String, Instant)>>,
}

impl Listener {
    pub fn new() -> Self {
        let (tx, rx) = mpsc::unbounded_channel();
        Self {
            tx,
            rx: tokio::sync::Mutex::new(rx),
        }
    }

    pub async fn open(&self, server: &Chorus, member: &Member, group: &str) {
        let mut socket = subscribed(server, member, group).await;
        let tx = self.tx.clone();
        tokio::spawn(async move {
            while let Some(Ok(frame)) = socket.next().await {
                if let Frame::Text(text) = frame {
                    let at = Instant::now();
                    if let Some(body) = body_of(&text) {
                        let _ = tx.send((body, at));
                    }
                }
            }
        });
    }

    /// When each socket received `body`, until `expected` did or `within`
    /// passed.
    pub async fn wait_for(&self, body: &str, expected: usize, within: Duration) -> Vec<Instant> {
        let mut rx = self.rx.lock().await;
        let mut arrivals = Vec::with_capacity(expected);
        let deadline = tokio::time::Instant::now() + within;
        while arrivals.len() < expected {
            match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(Some((got, at))) if got == body => arrivals.push(at),
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        arrivals
    }
}

/// A soak listener: each `w<writer>-<seq>-<sent µs>` body it hears goes to
/// `on_frame(writer, seq, sent_us, now_us)`.
pub async fn listen_soak(
    server: &Chorus,
    member: &Member,
    group: &str,
    origin: Instant,
    heard: Arc<Heard>,
    on_frame: impl Fn(usize, usize, u64, u64) + Send + Sync + 'static,
) {
    let mut socket = subscribed(server, member, group).await;
    tokio::spawn(async move {
        loop {
            let frame = match socket.next().await {
                Some(Ok(frame)) => frame,
                Some(Err(err)) => {
                    heard.closed(format!("error: {err}"), origin);
                    break;
                }
                None => {
                    heard.closed("ended".into(), origin);
                    break;
                }
            };
            if let Frame::Close(close) = &frame {
                let code = close.as_ref().map_or(0, |c| u16::from(c.code));
                heard.closed(format!("closed {code}"), origin);
                break;
            }
            let Frame::Text(text) = frame else { continue };
            let now_us = origin.elapsed().as_micros() as u64;
            let Some(body) = body_of(&text) else { continue };
            let mut parts = body.trim_start_matches('w').splitn(3, '-');
            let (Some(w), Some(seq), Some(sent)) = (parts.next(), parts.next(), parts.next())
            else {
                continue;
            };
            if let (Ok(w), Ok(seq), Ok(sent)) = (w.parse(), seq.parse(), sent.parse()) {
                on_frame(w, seq, sent, now_us);
            }
        }
    });
}

/// Which sequence numbers of each writer a listener heard, and how many
/// it heard twice.
pub struct Heard {
    bits: Vec<Mutex<Vec<u64>>>,
    duplicates: AtomicUsize,
    /// How the socket ended, and when (seconds into the run), if it did.
    pub ended: Mutex<Option<(String, f64)>>,
}

impl Heard {
    pub fn new(writers: usize) -> Self {
        Self {
            bits: (0..writers).map(|_| Mutex::new(Vec::new())).collect(),
            duplicates: AtomicUsize::new(0),
            ended: Mutex::new(None),
        }
    }

    fn closed(&self, how: String, origin: Instant) {
        *self.ended.lock().unwrap() = Some((how, origin.elapsed().as_secs_f64()));
    }

    pub fn mark(&self, writer: usize, seq: usize) {
        let Some(bits) = self.bits.get(writer) else {
            return;
        };
        let mut bits = bits.lock().unwrap();
        let (word, bit) = (seq / 64, 1u64 << (seq % 64));
        if bits.len() <= word {
            bits.resize(word + 1, 0);
        }
        if bits[word] & bit != 0 {
            self.duplicates.fetch_add(1, Ordering::Relaxed);
        }
        bits[word] |= bit;
    }

    /// Of the writer's first `acked` posts, how many were not heard.
    pub fn missing(&self, writer: usize, acked: usize) -> usize {
        let bits = self.bits[writer].lock().unwrap();
        (0..acked)
            .filter(|seq| {
                bits.get(seq / 64)
                    .is_none_or(|w| w & (1u64 << (seq % 64)) == 0)
            })
            .count()
    }

    pub fn duplicates(&self) -> usize {
        self.duplicates.load(Ordering::Relaxed)
    }
}

/// A webhook receiver that reads requests and never answers; counts the
/// connections it holds.
pub struct SilentReceiver {
    pub url: String,
    most: Arc<AtomicUsize>,
}

impl SilentReceiver {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (now, most) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let counts = (now.clone(), most.clone());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let (now, most) = (counts.0.clone(), counts.1.clone());
                let held = now.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(held, Ordering::SeqCst);
                tokio::spawn(async move {
                    use tokio::io::AsyncReadExt;
                    let mut sink = [0u8; 4096];
                    while matches!(stream.read(&mut sink).await, Ok(n) if n > 0) {}
                    now.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        Self { url, most }
    }

    pub fn most_at_once(&self) -> usize {
        self.most.load(Ordering::SeqCst)
    }
}

/// kglite-bolt-server (`KGLITE_BOLT_SERVER`, the release build
/// `scripts/bench` installs) behind the Bolt bridge, for one run.
pub struct Neo4j {
    pub uri: String,
    _server: Child,
}

pub async fn neo4j() -> Neo4j {
    let binary = std::env::var("KGLITE_BOLT_SERVER")
        .expect("set KGLITE_BOLT_SERVER (scripts/bench installs a release build)");
    let dir = std::env::temp_dir().join(format!("chorus-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let port = free_port();
    let server = Command::new(binary)
        .args(["--graph", dir.join("load.kgl").to_str().unwrap()])
        .args(["--storage", "memory", "--durability", "off"])
        .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let addr: std::net::SocketAddr = ([127, 0, 0, 1], port).into();
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let bridge = bolt_bridge::start(addr).await.unwrap();
    Neo4j {
        uri: format!("{bridge}"),
        _server: server,
    }
}
