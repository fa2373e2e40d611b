//! The API Gateway Management API: post frames to WebSocket connections and
//! close them.

use aws_sdk_apigatewaymanagement::primitives::Blob;
use aws_sdk_apigatewaymanagement::Client;

#[derive(Debug, PartialEq, Eq)]
pub enum PostOutcome {
    Sent,
    /// 410 GoneException: the client disconnected.
    Gone,
    Failed(String),
}

#[derive(Clone)]
pub struct Management {
    client: Client,
}

impl Management {
    /// A client for `endpoint` (`https://{api-id}.execute-api.{region}.amazonaws.com/{stage}`).
    pub fn new(sdk: &aws_config::SdkConfig, endpoint: &str) -> Self {
        let config = aws_sdk_apigatewaymanagement::config::Builder::from(sdk)
            .endpoint_url(endpoint)
            .build();
        Self {
            client: Client::from_conf(config),
        }
    }

    pub async fn post(&self, connection_id: &str, frame: String) -> PostOutcome {
        let sent = self
            .client
            .post_to_connection()
            .connection_id(connection_id)
            .data(Blob::new(frame.into_bytes()))
            .send()
            .await;
        match sent {
            Ok(_) => PostOutcome::Sent,
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_gone_exception()) =>
            {
                PostOutcome::Gone
            }
            Err(err) => PostOutcome::Failed(
                aws_sdk_apigatewaymanagement::error::DisplayErrorContext(&err).to_string(),
            ),
        }
    }

    /// Closes a connection (API Gateway cannot send a close code; the
    /// protocol code is logged by the caller).
    pub async fn close(&self, connection_id: &str) {
        if let Err(err) = self
            .client
            .delete_connection()
            .connection_id(connection_id)
            .send()
            .await
        {
            tracing::warn!(error = %aws_sdk_apigatewaymanagement::error::DisplayErrorContext(&err), "close failed");
        }
    }
}
