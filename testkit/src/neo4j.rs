//! The Neo4j store under test. By default each test gets its own
//! kglite-bolt-server (a real Cypher engine over Bolt 5, installed by
//! `scripts/test`) behind the Bolt 4 bridge, so tests run in parallel on
//! isolated graphs. With `NEO4J_TEST_URI` set, tests run against that
//! server instead (a real Neo4j), one at a time, wiping it first.

use crate::bolt_bridge;
use chorus::store::neo4j::{Neo4jConfig, Neo4jStore};
use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::process::{Child, Command};
use tokio::sync::{Mutex, OwnedMutexGuard};

pub struct Neo4jUnderTest {
    pub store: Arc<Neo4jStore>,
    /// Network faults between the store and the server (`None` against a
    /// real Neo4j through `NEO4J_TEST_URI`). Benches include this file
    /// and do not use it.
    #[allow(dead_code)]
    pub faults: Option<Arc<bolt_bridge::Faults>>,
    /// Where `store` connects: another store on it plays another process.
    #[allow(dead_code)]
    pub config: Neo4jConfig,
    _server: Option<Child>,
    _exclusive: Option<OwnedMutexGuard<()>>,
}

fn server_binary() -> PathBuf {
    if let Ok(path) = std::env::var("KGLITE_BOLT_SERVER") {
        return path.into();
    }
    let cached = std::env::var("HOME")
        .map(|h| PathBuf::from(h).join(".cache/chorus/tools/bin/kglite-bolt-server"));
    match cached {
        Ok(path) if path.exists() => path,
        _ => "kglite-bolt-server".into(),
    }
}

/// Whether a Bolt server can be had: `NEO4J_TEST_URI`, or a
/// kglite-bolt-server binary to start.
pub fn bolt_available() -> bool {
    if std::env::var_os("NEO4J_TEST_URI").is_some() {
        return true;
    }
    let binary = server_binary();
    if binary.components().count() > 1 {
        return binary.exists();
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(&binary).exists()))
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_server() -> (Child, SocketAddr) {
    let dir = std::env::temp_dir().join(format!("chorus-kglite-{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    for _ in 0..5 {
        let port = free_port();
        let mut child = Command::new(server_binary())
            .args([
                "--graph",
                dir.join("t.kgl").to_str().unwrap(),
                "--storage",
                "memory",
                "--durability",
                "off",
            ])
            .args(["--bind", "127.0.0.1", "--port", &port.to_string()])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .expect("kglite-bolt-server not found: run ./scripts/test, or set KGLITE_BOLT_SERVER");
        let addr: SocketAddr = ([127, 0, 0, 1], port).into();
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(addr).await.is_ok() {
                return (child, addr);
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let _ = child.kill().await;
    }
    panic!("kglite-bolt-server did not start");
}

fn config(uri: String) -> Neo4jConfig {
    Neo4jConfig {
        uri,
        user: std::env::var("NEO4J_TEST_USER").unwrap_or_else(|_| "neo4j".into()),
        password: std::env::var("NEO4J_TEST_PASSWORD")
            .unwrap_or_else(|_| "neo4j".into())
            .into(),
        database: std::env::var("NEO4J_TEST_DATABASE").ok(),
        pool_size: 16,
    }
}

/// A migrated, empty Neo4j store for one test.
pub async fn neo4j_store() -> Neo4jUnderTest {
    if let Ok(uri) = std::env::var("NEO4J_TEST_URI") {
        static EXCLUSIVE: OnceLock<Arc<Mutex<()>>> = OnceLock::new();
        let guard = EXCLUSIVE
            .get_or_init(Default::default)
            .clone()
            .lock_owned()
            .await;
        let config = config(uri);
        let store = Neo4jStore::connect(&config).await.unwrap();
        store.wipe_for_tests().await.unwrap();
        store.migrate().await.unwrap();
        return Neo4jUnderTest {
            store: Arc::new(store),
            faults: None,
            config,
            _server: None,
            _exclusive: Some(guard),
        };
    }
    let (server, addr) = start_server().await;
    let faults = Arc::new(bolt_bridge::Faults::default());
    let bridge = bolt_bridge::start_with(addr, faults.clone()).await.unwrap();
    let config = config(format!("{bridge}"));
    let store = Neo4jStore::connect(&config).await.unwrap();
    store.migrate().await.unwrap();
    Neo4jUnderTest {
        store: Arc::new(store),
        faults: Some(faults),
        config,
        _server: Some(server),
        _exclusive: None,
    }
}
