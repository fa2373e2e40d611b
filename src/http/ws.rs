//! The local server's WebSocket endpoint: `graphql-transport-ws` over an
//! axum socket, with subscriptions fed by the in-process broker and
//! executed once per event, as `deliver` does on AWS.
//!
//! A socket lives no longer than its token (closed 4403 at `exp`), holds
//! at most `max_subscriptions_per_socket` operations, counts against its
//! user's `max_sockets_per_user`, and is closed with 1013 rather than
//! silently skipping events when its reader falls `ws_send_buffer` frames
//! behind.

use super::server::ConnectionSlot;
use super::sockets::SocketClaim;
use super::AppState;
use crate::domain::{GroupId, UserId};
use crate::graphql::subscription::subscribed_group;
use crate::graphql::ws::protocol::{
    self, ClientMessage, Close, ServerMessage, SubscribePayload, MAX_MESSAGE_BYTES, SUBPROTOCOL,
};
use crate::graphql::ws::replay::{self, share_key};
use crate::graphql::{member_view, ws, BaseUrl, Viewer};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use futures_util::{SinkExt, StreamExt};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::mpsc::{self, error::TrySendError};
use tokio::sync::Notify;
use tokio::task::AbortHandle;
use tokio::time::Instant;

/// What a socket reads at a time.
const READ_BUFFER_BYTES: usize = 4 * 1024;

/// How long a client may take to send `connection_init`.
const INIT_TIMEOUT: Duration = Duration::from_secs(10);

pub fn upgrade(
    state: AppState,
    upgrade: WebSocketUpgrade,
    slot: Option<ConnectionSlot>,
    base: BaseUrl,
) -> Response {
    upgrade
        .protocols([SUBPROTOCOL])
        .max_message_size(MAX_MESSAGE_BYTES)
        // tungstenite reads in 128 KiB chunks by default, allocated per
        // socket: 1.3 GB for 10,000 idle sockets. Client messages are
        // small; a larger one is read in several chunks.
        .read_buffer_size(READ_BUFFER_BYTES)
        .on_upgrade(move |socket| async move {
            serve(state, socket, base).await;
            drop(slot);
        })
}

/// What operation tasks hand back to the socket loop.
enum Outgoing {
    /// A frame, as JSON.
    Frame(String),
    Finished(String),
}

struct Connection {
    state: AppState,
    /// Where the socket reached the server, for URLs the API hands out.
    base: BaseUrl,
    init_seen: bool,
    viewer: Option<Viewer>,
    /// When the token expires (set at `connection_init`).
    expires: Option<Instant>,
    /// The hash of the bot key the socket was opened with: checked where
    /// operations start and before each frame, so a rotated or revoked key
    /// closes it (4403).
    key: Option<String>,
    /// The service's key generation at the last check that found the key
    /// current: the store is read again only once it moved.
    key_checked: Option<u64>,
    _claim: Option<SocketClaim>,
    subscriptions: HashMap<String, AbortHandle>,
    outgoing: mpsc::Sender<Outgoing>,
    overflow: Arc<Notify>,
}

async fn serve(state: AppState, socket: WebSocket, base: BaseUrl) {
    let (mut sink, mut incoming) = socket.split();
    let (outgoing, mut results) = mpsc::channel(state.limits.ws_send_buffer);
    let mut conn = Connection {
        state,
        base,
        init_seen: false,
        viewer: None,
        expires: None,
        key: None,
        key_checked: None,
        _claim: None,
        subscriptions: HashMap::new(),
        outgoing,
        overflow: Arc::new(Notify::new()),
    };
    let deadline = tokio::time::sleep(INIT_TIMEOUT);
    tokio::pin!(deadline);
    let overflow = conn.overflow.clone();
    let close = loop {
        let expires = conn.expires;
        let step = tokio::select! {
            () = &mut deadline, if !conn.init_seen => Err(Close::InitTimeout),
            () = sleep_until(expires), if expires.is_some() => Err(Close::TokenExpired),
            () = overflow.notified() => Err(Close::SlowReader),
            Some(out) = results.recv() => match out {
                Outgoing::Frame(frame) => conn.key_current().await.map(|()| Some(frame)),
                Outgoing::Finished(id) => {
                    conn.subscriptions.remove(&id);
                    Ok(None)
                }
            },
            frame = incoming.next() => match frame {
                Some(Ok(Message::Text(text))) => conn.handle(text.as_str()).await.map(|m| m.map(|m| m.to_json())),
                Some(Ok(Message::Binary(_))) => Err(Close::BadRequest("Binary frames are not supported".into())),
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => Ok(None),
                Some(Err(err)) if is_too_big(&err) => Err(Close::TooBig),
                Some(Ok(Message::Close(_)) | Err(_)) | None => break None,
            },
        };
        match step {
            Ok(Some(frame)) => {
                if sink.send(Message::text(frame)).await.is_err() {
                    break None;
                }
            }
            Ok(None) => {}
            Err(close) => break Some(close),
        }
    };
    for handle in conn.subscriptions.values() {
        handle.abort();
    }
    if let Some(close) = close {
        tracing::info!(code = close.code(), "closing WebSocket");
        let frame = CloseFrame {
            code: close.code(),
            reason: close.reason().into(),
        };
        let _ = sink.send(Message::Close(Some(frame))).await;
    }
}

async fn sleep_until(at: Option<Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Whether a read failed because the message was over the size limit.
fn is_too_big(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(err) = source {
        let text = err.to_string();
        if text.contains("Space limit exceeded") || text.contains("Message too long") {
            return true;
        }
        source = err.source();
    }
    false
}

impl Connection {
    async fn handle(&mut self, text: &str) -> Result<Option<ServerMessage>, Close> {
        match protocol::parse(text)? {
            ClientMessage::ConnectionInit { payload } => {
                if std::mem::replace(&mut self.init_seen, true) {
                    return Err(Close::TooManyInit);
                }
                let credential = protocol::credential(payload.as_ref());
                let identity = self
                    .state
                    .identify(credential)
                    .await
                    .map_err(|err| Close::identity_failed(&err))?;
                if let Some(identity) = &identity {
                    let max = self.state.limits.max_sockets_per_user;
                    let claim = self.state.sockets.claim(&identity.profile.id, max);
                    let Some(claim) = claim else {
                        return Err(Close::Policy(format!(
                            "Too many open sockets: at most {max} per user"
                        )));
                    };
                    self._claim = Some(claim);
                    let left = identity.expires_at - chrono::Utc::now().timestamp();
                    let left = Duration::from_secs(u64::try_from(left).unwrap_or(0));
                    self.expires = Some(Instant::now() + left);
                    self.key = identity.key.clone();
                }
                self.viewer = Some(Viewer(identity.map(|i| i.profile.id)));
                Ok(Some(ServerMessage::ConnectionAck))
            }
            ClientMessage::Ping { .. } => Ok(Some(ServerMessage::Pong { payload: None })),
            ClientMessage::Pong { .. } => Ok(None),
            ClientMessage::Subscribe { id, payload } => {
                let viewer = self.viewer.clone().ok_or(Close::Unauthorized)?;
                self.key_current().await?;
                if self.subscriptions.contains_key(&id) {
                    return Err(Close::SubscriberExists(id));
                }
                let max = self.state.limits.max_subscriptions_per_socket;
                if self.subscriptions.len() >= max {
                    return Ok(Some(ServerMessage::too_many_operations(id, max)));
                }
                let handle = self.start(id.clone(), payload, viewer);
                self.subscriptions.insert(id, handle);
                Ok(None)
            }
            ClientMessage::Complete { id } => {
                if let Some(handle) = self.subscriptions.remove(&id) {
                    handle.abort();
                }
                Ok(None)
            }
        }
    }

    /// Closes a socket whose bot key was rotated or revoked since it opened.
    /// The store is asked only when a write that can end a key happened
    /// since the last check (`Service::key_generation`).
    async fn key_current(&mut self) -> Result<(), Close> {
        let Some(key) = &self.key else {
            return Ok(());
        };
        let generation = self.state.service.key_generation();
        if self.key_checked == Some(generation) {
            return Ok(());
        }
        Close::unless_key_current(self.state.service.key_is_current(key).await)?;
        self.key_checked = Some(generation);
        Ok(())
    }

    /// Runs one operation, forwarding its frames until it ends. A full
    /// send buffer closes the socket (the client reconnects and catches
    /// up) instead of dropping events.
    fn start(&self, id: String, payload: SubscribePayload, viewer: Viewer) -> AbortHandle {
        let mut request = payload
            .to_request()
            .data(viewer.clone())
            .data(self.base.clone());
        let send = Sender {
            out: self.outgoing.clone(),
            overflow: self.overflow.clone(),
        };
        let task = match subscribed_group(&mut request) {
            // A query or mutation: its results, as over HTTP.
            None => {
                let frames = ws::operation(&self.state.schema, id.clone(), request);
                tokio::spawn(async move {
                    let mut frames = frames.map(|frame| frame.to_json());
                    while let Some(frame) = frames.next().await {
                        if !send.frame(frame) {
                            return;
                        }
                    }
                    send.finished(id);
                })
            }
            Some(group) => {
                let subscription = Subscribed {
                    id,
                    payload,
                    group,
                    user: viewer.0,
                };
                tokio::spawn(subscription.serve(self.state.clone(), request, send))
            }
        };
        task.abort_handle()
    }
}

/// Hands an operation's frames to the socket loop.
struct Sender {
    out: mpsc::Sender<Outgoing>,
    overflow: Arc<Notify>,
}

impl Sender {
    /// `false` once the socket is going: closed, or its buffer full (which
    /// closes it).
    fn send(&self, item: Outgoing) -> bool {
        match self.out.try_send(item) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                self.overflow();
                false
            }
            Err(TrySendError::Closed(_)) => false,
        }
    }

    fn frame(&self, frame: String) -> bool {
        self.send(Outgoing::Frame(frame))
    }

    fn finished(&self, id: String) {
        self.send(Outgoing::Finished(id));
    }

    /// Closes the socket as too slow a reader (1013).
    fn overflow(&self) {
        self.overflow.notify_one();
    }
}

/// A `subscribe` whose operation is a subscription.
struct Subscribed {
    id: String,
    payload: SubscribePayload,
    /// The group it names (`None`: not directly at its root).
    group: Option<GroupId>,
    user: Option<UserId>,
}

impl Subscribed {
    /// Serves the subscription as `deliver` does on AWS: checked once, then
    /// its document executed for each event of its group until the event
    /// that ends the user's membership (`graphql::ws::replay`). The answer
    /// of a document that is the same for every member is made once per
    /// event for all the sockets that hold it. A listener that falls
    /// behind the broker closes its socket (1013) rather than skip events.
    async fn serve(self, state: AppState, mut request: async_graphql::Request, send: Sender) {
        let Self {
            id,
            payload,
            group,
            user,
        } = self;
        // Listen before checking, so nothing between check and listen is missed.
        let events = match (&state.live, &group, &user) {
            (Some(live), Some(group), Some(user)) => Some(live.listen(group, user)),
            _ => None,
        };
        // The document as `subscribed_group` parsed it, for every event.
        let document = request.parsed_query().ok().cloned();
        let checked = replay::check(&state.schema, &id, request, group).await;
        let (mut events, user) = match (checked, events, user) {
            (Ok(_), Some(events), Some(user)) => (events, user),
            (Err(frames), _, _) => {
                for frame in frames {
                    if !send.frame(frame.to_json()) {
                        return;
                    }
                }
                return send.finished(id);
            }
            (Ok(_), _, _) => {
                let why = "subscriptions are not served here";
                send.frame(ServerMessage::refused(id.clone(), why).to_json());
                return send.finished(id);
            }
        };
        let shared = document
            .as_ref()
            .is_some_and(member_view::same_for_every_member)
            .then(|| share_key(&payload));
        while let Some(heard) = events.next().await {
            let Ok(event) = heard else {
                // Lagged: the socket loop sees a full buffer the same way.
                send.overflow();
                return;
            };
            let run = replay::answer(
                &state.schema,
                &event,
                &user,
                &payload,
                true,
                document.as_ref(),
            );
            let answer = match &shared {
                Some(key) => state.answers.get_or_run(&event.id, key.clone(), run).await,
                None => run.await,
            };
            let (frames, finished) = replay::frames(answer.as_ref(), &event, &user, &id);
            for frame in frames {
                if !send.frame(frame) {
                    return;
                }
            }
            if finished {
                break;
            }
        }
        send.finished(id);
    }
}
