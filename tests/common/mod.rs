//! Helpers shared by the integration tests: pools, panic payloads, and re-running one test of
//! the current test binary in a child process (for aborts and process-wide environment).
#![allow(dead_code)]

use std::any::Any;
use std::process::{Command, Output};
use std::time::Duration;

/// How long a test waits for something that should happen promptly before it gives up; only
/// reached when veda hangs or loses work.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// Set in the environment of a child started by [`run_child`]; tests meant to run only as a
/// child return early without it, so `cargo test -- --ignored` stays harmless.
pub const CHILD_ENV: &str = "VEDA_TEST_CHILD";

/// Environment variables that [`run_child`] clears unless given: thread counts and the
/// default stack size of new threads.
const CLEARED_VARS: [&str; 4] = [
    "VEDA_NUM_THREADS",
    "RAYON_NUM_THREADS",
    "RAYON_RS_NUM_CPUS",
    "RUST_MIN_STACK",
];

/// Builds a pool of `num_threads` threads.
pub fn pool(num_threads: usize) -> veda::ThreadPool {
    veda::ThreadPoolBuilder::new()
        .num_threads(num_threads)
        .build()
        .expect("failed to build a thread pool")
}

/// Builds a pool of `num_threads` threads named `{prefix}-{index}`.
pub fn named_pool(num_threads: usize, prefix: &'static str) -> veda::ThreadPool {
    veda::ThreadPoolBuilder::new()
        .num_threads(num_threads)
        .thread_name(move |index| format!("{prefix}-{index}"))
        .build()
        .expect("failed to build a thread pool")
}

/// The name of the calling thread, or an empty string.
pub fn thread_name() -> String {
    std::thread::current().name().unwrap_or_default().to_owned()
}

/// The message of a panic payload, if it is a string.
pub fn panic_message(payload: &(dyn Any + Send)) -> Option<&str> {
    payload
        .downcast_ref::<&'static str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
}

/// True in a child process started by [`run_child`].
pub fn is_child() -> bool {
    std::env::var_os(CHILD_ENV).is_some()
}

/// Runs the `#[ignore]`d test `name` of the current test binary in a child process, with
/// [`CLEARED_VARS`] cleared and then `env` set, and returns its output.
pub fn run_child(name: &str, env: &[(&str, &str)]) -> Output {
    let exe = std::env::current_exe().expect("cannot locate the current test binary");
    let mut command = Command::new(exe);
    command
        .args(["--exact", "--ignored", "--test-threads=1", name])
        .env(CHILD_ENV, "1");
    for var in CLEARED_VARS {
        command.env_remove(var);
    }
    for (key, value) in env {
        command.env(key, value);
    }
    command
        .output()
        .expect("failed to start a child test process")
}

/// Describes a child's exit status and output, for assertion messages.
pub fn describe(output: &Output) -> String {
    format!(
        "status: {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Asserts that the child ran exactly one test and that it passed.
pub fn assert_child_passed(output: &Output) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "the child test did not pass:\n{}",
        describe(output)
    );
}
