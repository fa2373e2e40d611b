//! The integration suite: drives the real router over HTTP and WebSocket.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../support/bolt_bridge/mod.rs"]
mod bolt_bridge;
mod helpers;
mod neo4j_store;
mod neo4j_support;

mod apq;
mod architecture;
mod auth;
mod authorization;
mod aws;
mod bots;
mod concurrency;
mod conformance;
mod cors;
mod groups;
mod hardening;
mod hardening_net;
mod hardening_ws;
mod hooks;
mod http_details;
mod http_protocol;
mod infra;
mod jwks;
mod local_push;
mod membership;
mod messages;
mod nodes;
mod nulls;
mod outage;
mod pagination;
mod playground;
mod privacy;
mod reading;
mod round_trips;
mod schema;
mod subscriptions;
mod webhook_sender;
mod webhooks;
mod ws_client;
