//! What `cargo test` alone cannot run: tests that need a server or tool it
//! does not start skip, each with one line saying what to set.
//! `./scripts/test` installs and starts them all and sets
//! `CHORUS_REQUIRE_ALL=1`, under which a missing one fails the test.

/// `true` (after saying so) when the test must be skipped.
fn skip(found: bool, test: &str, how: &'static str) -> bool {
    if found {
        return false;
    }
    assert!(
        std::env::var_os("CHORUS_REQUIRE_ALL").is_none(),
        "{test} cannot run: {how}"
    );
    // Once per missing thing, straight to the process's stderr (the test
    // harness keeps what `eprintln!` writes in a passing test to itself).
    static SAID: std::sync::Mutex<Vec<&'static str>> = std::sync::Mutex::new(Vec::new());
    let mut said = SAID
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !said.contains(&how) {
        said.push(how);
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "skipping tests like {test}: {how}");
    }
    true
}

/// DynamoDB, SNS and SQS (moto).
pub fn without_moto(test: &str) -> bool {
    let found = std::env::var_os("MOTO_ENDPOINT").is_some();
    let how = "set MOTO_ENDPOINT to a moto server (./scripts/test starts one)";
    skip(found, test, how)
}

/// A Bolt server for the Neo4j store.
pub fn without_bolt(test: &str) -> bool {
    let how = "set KGLITE_BOLT_SERVER to a kglite-bolt-server binary or NEO4J_TEST_URI to a \
               Neo4j (./scripts/test installs kglite)";
    skip(chorus_testkit::neo4j::bolt_available(), test, how)
}

/// Python with the webhook receiver's libraries.
pub fn without_python(test: &str) -> bool {
    let found = std::env::var_os("CHORUS_PYTHON").is_some();
    let how = "set CHORUS_PYTHON to a python with standardwebhooks (./scripts/test makes one)";
    skip(found, test, how)
}

/// Skips the test it is in (returns) when `$what` is missing.
macro_rules! skip_without {
    ($what:ident) => {
        if $crate::skip::$what(concat!(module_path!(), " (line ", line!(), ")")) {
            return;
        }
    };
}
pub(crate) use skip_without;
