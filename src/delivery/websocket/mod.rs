//! GraphQL over WebSocket: the `graphql-transport-ws` protocol, shared by
//! the local server's socket handler and the API Gateway `ws` Lambda.

pub mod management;
pub mod protocol;
