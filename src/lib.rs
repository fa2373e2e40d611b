//! chorus: a group messaging backend with one GraphQL API, served locally
//! by `cargo run` and on AWS Lambda.

pub mod app;
pub mod auth;
pub mod config;
pub mod delivery;
pub mod domain;
pub mod graphql;
pub mod http;
pub mod lambda;
pub mod service;
pub mod store;
pub mod telemetry;
