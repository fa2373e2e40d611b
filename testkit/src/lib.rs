//! What chorus's integration tests and benches share (a dev-dependency,
//! never part of the product):
//!
//! - [`neo4j`]: a migrated, empty Neo4j store per test, on
//!   kglite-bolt-server (started here) or the Neo4j of `NEO4J_TEST_URI`;
//! - [`bolt_bridge`]: the Bolt proxy that puts kglite behind neo4rs (and
//!   injects faults for the store's tests);
//! - [`http`]: GraphQL over HTTP against a running server;
//! - [`aws`]: moto setup (tables, topics, queues) and fakes of the two
//!   services no emulator covers (API Gateway's Management API, a Web Push
//!   service that checks VAPID and decrypts).

pub mod aws;
pub mod bolt_bridge;
pub mod http;
pub mod neo4j;
