//! Local stand-ins for the two services no emulator covers: the API Gateway
//! Management API (moto's does not work with the Rust SDK) and a Web Push
//! service that checks VAPID like a real one and decrypts like a browser.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

async fn serve(router: axum::Router) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    addr
}

#[derive(Default)]
struct Management {
    posts: Mutex<Vec<(String, Value)>>,
    deleted: Mutex<Vec<String>>,
    gone: Mutex<HashSet<String>>,
    delay: Duration,
}

/// `POST /{stage}/@connections/{id}` records the frame (410 GoneException
/// for ids marked gone); `DELETE` records a close. Returns after `delay`.
#[derive(Clone)]
pub struct ManagementApi {
    addr: SocketAddr,
    state: Arc<Management>,
}

async fn management(
    State(state): State<Arc<Management>>,
    method: Method,
    uri: Uri,
    body: Bytes,
) -> impl IntoResponse {
    let path = uri.path().replace("%40", "@");
    let Some(id) = path.strip_prefix("/prod/@connections/").map(str::to_owned) else {
        return (StatusCode::NOT_FOUND, HeaderMap::new(), String::new());
    };
    let id = id.replace("%3D", "=");
    tokio::time::sleep(state.delay).await;
    if state.gone.lock().unwrap().contains(&id) {
        let mut headers = HeaderMap::new();
        headers.insert("x-amzn-errortype", "GoneException".parse().unwrap());
        return (
            StatusCode::GONE,
            headers,
            r#"{"message":"Gone"}"#.to_owned(),
        );
    }
    if method == Method::DELETE {
        state.deleted.lock().unwrap().push(id);
        return (StatusCode::NO_CONTENT, HeaderMap::new(), String::new());
    }
    let frame = serde_json::from_slice(&body).unwrap_or(Value::Null);
    state.posts.lock().unwrap().push((id, frame));
    (StatusCode::OK, HeaderMap::new(), String::new())
}

impl ManagementApi {
    pub async fn start(delay: Duration) -> Self {
        let state = Arc::new(Management {
            delay,
            ..Default::default()
        });
        let router = axum::Router::new()
            .fallback(management)
            .with_state(state.clone());
        Self {
            addr: serve(router).await,
            state,
        }
    }

    pub fn endpoint(&self) -> String {
        format!("http://{}/prod", self.addr)
    }

    /// Frames posted to one connection, in order.
    pub fn frames(&self, connection: &str) -> Vec<Value> {
        self.state
            .posts
            .lock()
            .unwrap()
            .iter()
            .filter(|(id, _)| id == connection)
            .map(|(_, f)| f.clone())
            .collect()
    }

    /// The `groupEvents` payloads of the `next` frames posted to one
    /// connection, in order.
    pub fn events(&self, connection: &str) -> Vec<Value> {
        self.frames(connection)
            .into_iter()
            .filter(|f| f["type"] == "next")
            .map(|f| f["payload"]["data"]["groupEvents"].clone())
            .collect()
    }

    pub fn closed(&self) -> Vec<String> {
        self.state.deleted.lock().unwrap().clone()
    }

    pub fn make_gone(&self, connection: &str) {
        self.state
            .gone
            .lock()
            .unwrap()
            .insert(connection.to_owned());
    }
}

struct Subscriber {
    keys: ece::EcKeyComponents,
    auth: [u8; 16],
}

#[derive(Default)]
struct Push {
    vapid_public: Vec<u8>,
    subscribers: Mutex<HashMap<String, Subscriber>>,
    received: Mutex<Vec<(String, Value)>>,
    refused: Mutex<Vec<String>>,
    gone: Mutex<HashSet<String>>,
}

/// A push service: `POST /push/{name}` checks the VAPID JWT (ES256
/// signature with the `k` key, `aud` = this origin, `exp`, `sub`) and
/// decrypts the aes128gcm body with the subscriber's private key and auth
/// secret, as the browser would.
pub struct PushService {
    addr: SocketAddr,
    state: Arc<Push>,
    /// The sender's VAPID private key (base64url), for `VAPID_PRIVATE_KEY`.
    pub vapid_private_key: String,
}

fn check_vapid(state: &Push, headers: &HeaderMap, origin: &str) -> Result<(), String> {
    let header = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .ok_or("no Authorization")?;
    let rest = header
        .strip_prefix("vapid ")
        .ok_or("not a vapid Authorization")?;
    let mut token = None;
    let mut key = None;
    for part in rest.split(',') {
        let (name, value) = part
            .trim()
            .split_once('=')
            .ok_or("malformed vapid header")?;
        match name {
            "t" => token = Some(value.to_owned()),
            "k" => key = Some(value.to_owned()),
            _ => {}
        }
    }
    let key = URL_SAFE_NO_PAD
        .decode(key.ok_or("no k")?.trim_end_matches('='))
        .map_err(|e| e.to_string())?;
    if key != state.vapid_public || key.len() != 65 {
        return Err("k is not the application server key".into());
    }
    let decoding = DecodingKey::from_ec_components(
        &URL_SAFE_NO_PAD.encode(&key[1..33]),
        &URL_SAFE_NO_PAD.encode(&key[33..65]),
    )
    .map_err(|e| e.to_string())?;
    let mut validation = Validation::new(Algorithm::ES256);
    validation.set_audience(&[origin]);
    validation.set_required_spec_claims(&["exp", "aud", "sub"]);
    let claims = jsonwebtoken::decode::<Value>(&token.ok_or("no t")?, &decoding, &validation)
        .map_err(|e| e.to_string())?;
    let exp = claims.claims["exp"].as_i64().unwrap_or(0);
    if exp > chrono::Utc::now().timestamp() + 24 * 3600 {
        return Err("exp more than 24 hours ahead".into());
    }
    Ok(())
}

async fn push(
    State((state, origin)): State<(Arc<Push>, String)>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let name = uri.path().trim_start_matches("/push/").to_owned();
    if state.gone.lock().unwrap().contains(&name) {
        return StatusCode::GONE;
    }
    if let Err(why) = check_vapid(&state, &headers, &origin) {
        state.refused.lock().unwrap().push(why);
        return StatusCode::UNAUTHORIZED;
    }
    if headers
        .get("content-encoding")
        .and_then(|v| v.to_str().ok())
        != Some("aes128gcm")
        || headers.get("ttl").is_none()
    {
        state
            .refused
            .lock()
            .unwrap()
            .push("missing Content-Encoding or TTL".into());
        return StatusCode::BAD_REQUEST;
    }
    let plaintext = {
        let subscribers = state.subscribers.lock().unwrap();
        let Some(subscriber) = subscribers.get(&name) else {
            return StatusCode::NOT_FOUND;
        };
        ece::decrypt(&subscriber.keys, &subscriber.auth, &body)
    };
    match plaintext.ok().and_then(|p| serde_json::from_slice(&p).ok()) {
        Some(payload) => {
            state.received.lock().unwrap().push((name, payload));
            StatusCode::CREATED
        }
        None => {
            state.refused.lock().unwrap().push("cannot decrypt".into());
            StatusCode::BAD_REQUEST
        }
    }
}

impl PushService {
    pub async fn start() -> Self {
        let (vapid, _) = ece::generate_keypair_and_auth_secret().unwrap();
        let components = vapid.raw_components().unwrap();
        let state = Arc::new(Push {
            vapid_public: vapid.pub_as_raw().unwrap(),
            ..Default::default()
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = axum::Router::new()
            .fallback(push)
            .with_state((state.clone(), format!("http://{addr}")));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        Self {
            addr,
            state,
            vapid_private_key: URL_SAFE_NO_PAD.encode(components.private_key()),
        }
    }

    /// A browser subscription: (endpoint, p256dh, auth) as the client registers it.
    pub fn subscribe(&self, name: &str) -> (String, String, String) {
        let (keys, auth) = ece::generate_keypair_and_auth_secret().unwrap();
        let p256dh = URL_SAFE_NO_PAD.encode(keys.pub_as_raw().unwrap());
        let components = keys.raw_components().unwrap();
        self.state.subscribers.lock().unwrap().insert(
            name.to_owned(),
            Subscriber {
                keys: components,
                auth,
            },
        );
        (
            format!("http://{}/push/{name}", self.addr),
            p256dh,
            URL_SAFE_NO_PAD.encode(auth),
        )
    }

    pub fn make_gone(&self, name: &str) {
        self.state.gone.lock().unwrap().insert(name.to_owned());
    }

    /// Decrypted payloads received, by subscription name.
    pub fn received(&self) -> Vec<(String, Value)> {
        self.state.received.lock().unwrap().clone()
    }

    pub fn refused(&self) -> Vec<String> {
        self.state.refused.lock().unwrap().clone()
    }
}
