//! The AWS side of the tests: moto setup and the fakes.

pub mod fakes;
pub mod setup;
