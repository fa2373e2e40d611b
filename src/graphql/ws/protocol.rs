//! The `graphql-transport-ws` protocol (the one Apollo Client, urql, Relay
//! and GraphiQL speak): its messages and its close codes.
//! <https://github.com/enisdenjo/graphql-ws/blob/master/PROTOCOL.md>

use crate::graphql::errors::{coded, request_error};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The subprotocol name a client asks for in `Sec-WebSocket-Protocol`.
pub const SUBPROTOCOL: &str = "graphql-transport-ws";

/// Largest client message accepted, in bytes.
pub const MAX_MESSAGE_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ClientMessage {
    ConnectionInit {
        #[serde(default)]
        payload: Option<Value>,
    },
    Ping {
        #[serde(default)]
        payload: Option<Value>,
    },
    Pong {
        #[serde(default)]
        payload: Option<Value>,
    },
    Subscribe {
        id: String,
        payload: SubscribePayload,
    },
    Complete {
        id: String,
    },
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubscribePayload {
    pub query: String,
    #[serde(default)]
    pub operation_name: Option<String>,
    #[serde(default)]
    pub variables: Option<Value>,
    #[serde(default)]
    pub extensions: Option<Value>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    ConnectionAck,
    Pong {
        #[serde(skip_serializing_if = "Option::is_none")]
        payload: Option<Value>,
    },
    /// One execution result (`{"data": ..., "errors": ...}`).
    Next {
        id: String,
        payload: Value,
    },
    /// The operation failed before producing results; no `complete` follows.
    Error {
        id: String,
        payload: Value,
    },
    Complete {
        id: String,
    },
}

impl SubscribePayload {
    /// The GraphQL request the payload asks to run.
    pub fn to_request(&self) -> async_graphql::Request {
        let mut request = async_graphql::Request::new(self.query.clone());
        if let Some(name) = &self.operation_name {
            request = request.operation_name(name.clone());
        }
        if let Some(variables) = &self.variables {
            request = request.variables(async_graphql::Variables::from_json(variables.clone()));
        }
        request
    }
}

impl ServerMessage {
    /// An `error` refusing operation `id` before it runs, with
    /// `extensions.code` `BAD_USER_INPUT`.
    pub fn refused(id: String, message: impl Into<String>) -> Self {
        let error = request_error(coded(message, "BAD_USER_INPUT"));
        let payload = serde_json::to_value([error]).unwrap_or_default();
        Self::Error { id, payload }
    }

    /// The `error` for a subscription whose group cannot be read from its
    /// document without running it.
    pub fn group_not_named(id: String) -> Self {
        Self::refused(
            id,
            "select groupEvents(groupId:) directly at the root of the subscription",
        )
    }

    /// The `error` for a `subscribe` over the socket's operation cap.
    pub fn too_many_operations(id: String, max: usize) -> Self {
        Self::refused(
            id,
            format!("at most {max} operations may run on one socket"),
        )
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Why the server closes a connection, with the protocol's codes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Close {
    /// 4400: a message the protocol does not allow.
    BadRequest(String),
    /// 4401: `subscribe` before the connection was acknowledged.
    Unauthorized,
    /// 4403: `connection_init` carried no valid credentials.
    Forbidden,
    /// 4408: no `connection_init` in time.
    InitTimeout,
    /// 4409: a `subscribe` reused a live id.
    SubscriberExists(String),
    /// 4429: a second `connection_init`.
    TooManyInit,
    /// 4403: the token the connection was opened with has expired; the
    /// client reconnects with a fresh one.
    TokenExpired,
    /// 4403: the bot key the connection was opened with was rotated or
    /// revoked.
    KeyRevoked,
    /// 1008: a limit of this server (e.g. sockets per user).
    Policy(String),
    /// 1009: a message larger than [`MAX_MESSAGE_BYTES`].
    TooBig,
    /// 4500: the server cannot serve the connection now (its identity
    /// provider or store is down); the client retries later and keeps its
    /// session.
    Internal,
    /// 1013: the client reads too slowly and events would be lost; it
    /// reconnects and catches up by cursor.
    SlowReader,
}

impl Close {
    /// Why a connection whose credentials could not be checked closes: a
    /// bad token is 4403; an outage (keys or store unavailable) is 4500,
    /// so clients do not sign their users out.
    pub fn identity_failed(err: &crate::domain::DomainError) -> Self {
        match err {
            crate::domain::DomainError::Internal(cause) => {
                tracing::error!(error = %cause, "identity check failed");
                Self::Internal
            }
            _ => Self::Forbidden,
        }
    }

    /// The close for a connection opened with a bot key, given whether
    /// the key still signs in (`Service::key_is_current`).
    pub fn unless_key_current(current: crate::domain::DomainResult<bool>) -> Result<(), Self> {
        match current {
            Ok(true) => Ok(()),
            Ok(false) => Err(Self::KeyRevoked),
            Err(err) => Err(Self::identity_failed(&err)),
        }
    }

    pub fn code(&self) -> u16 {
        match self {
            Self::BadRequest(_) => 4400,
            Self::Unauthorized => 4401,
            Self::Forbidden => 4403,
            Self::InitTimeout => 4408,
            Self::SubscriberExists(_) => 4409,
            Self::TooManyInit => 4429,
            Self::TokenExpired | Self::KeyRevoked => 4403,
            Self::Policy(_) => 1008,
            Self::TooBig => 1009,
            Self::SlowReader => 1013,
            Self::Internal => 4500,
        }
    }

    pub fn reason(&self) -> String {
        match self {
            Self::BadRequest(why) => why.clone(),
            Self::Unauthorized => "Unauthorized".into(),
            Self::Forbidden => "Forbidden".into(),
            Self::InitTimeout => "Connection initialisation timeout".into(),
            Self::SubscriberExists(id) => format!("Subscriber for {id} already exists"),
            Self::TooManyInit => "Too many initialisation requests".into(),
            Self::TokenExpired => "Forbidden: token expired".into(),
            Self::KeyRevoked => "Forbidden: API key rotated or revoked".into(),
            Self::Policy(why) => why.clone(),
            Self::TooBig => "Message too big".into(),
            Self::SlowReader => "Reading too slowly: reconnect and catch up by cursor".into(),
            Self::Internal => "Internal error".into(),
        }
    }
}

/// Parses one client text frame; anything malformed closes with 4400.
pub fn parse(text: &str) -> Result<ClientMessage, Close> {
    if text.len() > MAX_MESSAGE_BYTES {
        return Err(Close::TooBig);
    }
    serde_json::from_str(text).map_err(|_| Close::BadRequest("Invalid message received".into()))
}

/// The bearer credential of a `connection_init` payload:
/// `{"authorization": "Bearer <t>"}` or `{"token": "<t>"}`.
pub fn credential(payload: Option<&Value>) -> Option<&str> {
    let payload = payload?;
    ["authorization", "Authorization", "token"]
        .iter()
        .find_map(|key| payload.get(key).and_then(Value::as_str))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn client_messages_parse_and_junk_is_a_bad_request() {
        let sub =
            parse(r#"{"id":"1","type":"subscribe","payload":{"query":"subscription { x }"}}"#)
                .unwrap();
        assert!(matches!(sub, ClientMessage::Subscribe { ref id, .. } if id == "1"));
        assert_eq!(
            parse(r#"{"type":"connection_init"}"#).unwrap(),
            ClientMessage::ConnectionInit { payload: None }
        );
        for junk in [
            "",
            "{}",
            r#"{"type":"subscribe"}"#,
            r#"{"type":"start","id":"1"}"#,
            "[1]",
        ] {
            assert_eq!(parse(junk).unwrap_err().code(), 4400, "{junk}");
        }
    }

    #[test]
    fn server_messages_serialize_as_the_protocol_says() {
        let next = ServerMessage::Next {
            id: "7".into(),
            payload: json!({"data": {}}),
        };
        assert_eq!(
            next.to_json(),
            r#"{"type":"next","id":"7","payload":{"data":{}}}"#
        );
        assert_eq!(
            ServerMessage::ConnectionAck.to_json(),
            r#"{"type":"connection_ack"}"#
        );
    }

    #[test]
    fn credentials_come_from_authorization_or_token() {
        assert_eq!(
            credential(Some(&json!({"authorization": "Bearer t"}))),
            Some("Bearer t")
        );
        assert_eq!(credential(Some(&json!({"token": "t"}))), Some("t"));
        assert_eq!(credential(None), None);
    }
}
