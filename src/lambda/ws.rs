//! The `ws` Lambda: `graphql-transport-ws` over API Gateway WebSockets.
//! State lives in DynamoDB (the connection and its subscriptions); replies
//! go out through the Management API.

use crate::auth::{Authenticator, Identity};
use crate::delivery::audience::SubscriptionRow;
use crate::delivery::dynamo::expired;
use crate::delivery::dynamo_connections::{ConnectionError, ConnectionRegistry, ConnectionRow};
use crate::delivery::management::Management;
use crate::domain::DomainError;
use crate::graphql::subscription::subscribed_group;
use crate::graphql::ws::protocol::{
    self, ClientMessage, Close, ServerMessage, SubscribePayload, SUBPROTOCOL,
};
use crate::graphql::ws::replay;
use crate::graphql::{ws, ChorusSchema, Viewer};
use crate::service::Service;
use aws_lambda_events::apigw::{ApiGatewayProxyResponse, ApiGatewayWebsocketProxyRequest};
use futures_util::StreamExt;
use std::sync::Arc;

pub struct WsHandler {
    pub auth: Arc<Authenticator>,
    pub service: Arc<Service>,
    pub schema: ChorusSchema,
    pub connections: ConnectionRegistry,
    pub management: Management,
    /// Operations one connection may hold.
    pub max_subscriptions: usize,
    /// Live connections one user may hold.
    pub max_sockets: usize,
}

fn respond(status: i64, protocol: bool) -> ApiGatewayProxyResponse {
    let mut response = ApiGatewayProxyResponse::default();
    response.status_code = status;
    if protocol {
        if let Ok(value) = SUBPROTOCOL.parse() {
            response.headers.insert("sec-websocket-protocol", value);
        }
    }
    response
}

fn registry_failure(err: impl std::fmt::Display) -> Close {
    tracing::error!(error = %err, "connection registry failed");
    Close::Internal
}

impl WsHandler {
    #[tracing::instrument(skip_all, fields(route = request.request_context.route_key.as_deref().unwrap_or("")))]
    pub async fn handle(
        &self,
        request: ApiGatewayWebsocketProxyRequest,
    ) -> ApiGatewayProxyResponse {
        let context = &request.request_context;
        let Some(connection_id) = context.connection_id.clone() else {
            return respond(400, false);
        };
        match context.route_key.as_deref().unwrap_or("$default") {
            "$connect" => self.connect(&connection_id, &request).await,
            "$disconnect" => {
                if let Err(err) = self.connections.delete_connection(&connection_id).await {
                    tracing::error!(error = %err, "disconnect cleanup failed");
                }
                respond(200, false)
            }
            _ => {
                let body = request.body.as_deref().unwrap_or_default();
                match self.decide(&connection_id, body).await {
                    Ok(replies) => {
                        for reply in replies {
                            self.management.post(&connection_id, reply.to_json()).await;
                        }
                    }
                    Err(close) => {
                        tracing::info!(code = close.code(), reason = %close.reason(), "closing connection");
                        let _ = self.connections.delete_connection(&connection_id).await;
                        self.management.close(&connection_id).await;
                    }
                }
                respond(200, false)
            }
        }
    }

    /// `$connect`: the token comes in `Sec-WebSocket-Protocol` (next to
    /// `graphql-transport-ws`, as browsers cannot set headers) or `?token=`.
    async fn connect(
        &self,
        connection_id: &str,
        request: &ApiGatewayWebsocketProxyRequest,
    ) -> ApiGatewayProxyResponse {
        let offered: Vec<String> = request
            .headers
            .get_all("sec-websocket-protocol")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(',').map(|p| p.trim().to_owned()))
            .collect();
        let speaks_protocol = offered.iter().any(|p| p == SUBPROTOCOL);
        let token = offered
            .iter()
            .find(|p| p.as_str() != SUBPROTOCOL && !p.is_empty())
            .cloned()
            .or_else(|| {
                request
                    .query_string_parameters
                    .first("token")
                    .map(str::to_owned)
            });
        let identity = match self.identity(token.as_deref()).await {
            Ok(identity) => identity,
            Err(DomainError::Internal(cause)) => {
                tracing::error!(error = %cause, "identity check failed");
                return respond(503, false);
            }
            Err(_) => return respond(401, false),
        };
        let user = &identity.profile.id;
        // Concurrent `$connect`s of one user may each pass: the cap bounds
        // a user's sockets to about the limit, not exactly.
        match self.connections.live_connections(user).await {
            Ok(held) if held >= self.max_sockets => {
                tracing::info!(held, "too many sockets for one user");
                return respond(429, false);
            }
            Ok(_) => {}
            Err(err) => {
                tracing::error!(error = %err, "connections not counted");
                return respond(500, false);
            }
        }
        let recorded = self
            .connections
            .put_connection(
                connection_id,
                user,
                identity.expires_at,
                identity.key.as_deref(),
            )
            .await;
        match recorded {
            Ok(()) => respond(200, speaks_protocol),
            Err(err) => {
                tracing::error!(error = %err, "connection not recorded");
                respond(500, false)
            }
        }
    }

    /// The signed-in holder of a credential; an outage of the identity
    /// provider or the store is `Internal`, not a bad token.
    async fn identity(&self, credential: Option<&str>) -> Result<Identity, DomainError> {
        let credential =
            credential.ok_or_else(|| DomainError::Unauthenticated("no token".into()))?;
        self.service.identify(&self.auth, credential).await
    }

    /// What the protocol sends back for one client message, or why it closes.
    pub async fn decide(
        &self,
        connection_id: &str,
        body: &str,
    ) -> Result<Vec<ServerMessage>, Close> {
        match protocol::parse(body)? {
            ClientMessage::ConnectionInit { payload } => {
                let row = self
                    .connections
                    .connection(connection_id)
                    .await
                    .map_err(registry_failure)?;
                let row = row.ok_or(Close::Forbidden)?;
                if row.initialized {
                    return Err(Close::TooManyInit);
                }
                if let Some(credential) = protocol::credential(payload.as_ref()) {
                    let identity = self.identity(Some(credential)).await;
                    let identity = identity.map_err(|err| Close::identity_failed(&err))?;
                    if identity.profile.id != row.user_id {
                        return Err(Close::Forbidden);
                    }
                }
                if expired(row.token_expires_at) {
                    return Err(Close::TokenExpired);
                }
                match self.connections.initialize(connection_id).await {
                    Ok(()) => Ok(vec![ServerMessage::ConnectionAck]),
                    Err(ConnectionError::Condition) => Err(Close::TooManyInit),
                    Err(ConnectionError::Registry(err)) => Err(registry_failure(err)),
                }
            }
            ClientMessage::Ping { .. } => Ok(vec![ServerMessage::Pong { payload: None }]),
            ClientMessage::Pong { .. } => Ok(Vec::new()),
            ClientMessage::Subscribe { id, payload } => {
                let row = self
                    .connections
                    .connection(connection_id)
                    .await
                    .map_err(registry_failure)?;
                let row = row.filter(|r| r.initialized).ok_or(Close::Unauthorized)?;
                if expired(row.token_expires_at) {
                    return Err(Close::TokenExpired);
                }
                if let Some(key) = &row.key {
                    Close::unless_key_current(self.service.key_is_current(key).await)?;
                }
                let held = self
                    .connections
                    .subscription_count(connection_id)
                    .await
                    .map_err(registry_failure)?;
                if held >= self.max_subscriptions {
                    let error = ServerMessage::too_many_operations(id, self.max_subscriptions);
                    return Ok(vec![error]);
                }
                self.subscribe(connection_id, id, payload, row).await
            }
            ClientMessage::Complete { id } => {
                self.connections
                    .delete_subscription(connection_id, &id)
                    .await
                    .map_err(registry_failure)?;
                Ok(Vec::new())
            }
        }
    }

    /// Validates and authorizes an operation. A subscription is stored
    /// for `deliver` under the group its document names; queries and
    /// mutations sent over the socket run once and complete.
    async fn subscribe(
        &self,
        connection_id: &str,
        id: String,
        payload: SubscribePayload,
        connection: ConnectionRow,
    ) -> Result<Vec<ServerMessage>, Close> {
        let user = connection.user_id;
        let mut request = payload.to_request();
        let group = subscribed_group(&mut request);
        let request = request.data(Viewer(Some(user.clone())));
        let Some(group) = group else {
            // A query or mutation over the socket: it runs once.
            return Ok(ws::operation(&self.schema, id, request).collect().await);
        };
        let group_id = match replay::check(&self.schema, &id, request, group).await {
            Ok(group_id) => group_id,
            Err(frames) => return Ok(frames),
        };
        let row = SubscriptionRow {
            connection_id: connection_id.to_owned(),
            subscription_id: id.clone(),
            group_id,
            user_id: user,
            query: payload.query,
            variables: payload.variables,
            operation_name: payload.operation_name,
            token_expires_at: connection.token_expires_at,
            key: connection.key,
        };
        match self.connections.put_subscription(&row).await {
            Ok(()) => Ok(Vec::new()),
            Err(ConnectionError::Condition) => Err(Close::SubscriberExists(id)),
            Err(ConnectionError::Registry(err)) => Err(registry_failure(err)),
        }
    }
}
