//! What isolated panics print: nothing by default, the usual report when asked, and panics
//! outside isolation are reported exactly as before. Each case runs in a child process, whose
//! stderr is the process-wide panic output.

mod common;

use veda::fault::Task;
use veda::prelude::*;

/// Isolated panics, then (on a plain thread) an ordinary one caught by `catch_unwind`.
fn panic_in_and_out_of_isolation() {
    let errors = (0..100)
        .into_par_iter()
        .map_isolated(|i| assert!(i % 10 != 0, "quiet item {i}"))
        .filter(Result::is_err)
        .count();
    assert_eq!(errors, 10);
    let error = Task::new()
        .spawn(|_| -> () { panic!("quiet task") })
        .join()
        .unwrap_err();
    assert!(error.is_panic());
    let ordinary = std::thread::spawn(|| panic!("ordinary panic")).join();
    assert!(ordinary.is_err());
}

#[test]
#[ignore = "run as a child process by isolated_panics_are_quiet_unless_reported"]
fn child_default_output() {
    if common::is_child() {
        panic_in_and_out_of_isolation();
    }
}

#[test]
#[ignore = "run as a child process by isolated_panics_are_quiet_unless_reported"]
fn child_reported_output() {
    if common::is_child() {
        veda::fault::report_isolated_panics(true);
        panic_in_and_out_of_isolation();
    }
}

/// Runs child test `name` without output capture, so that panic reports reach its stderr.
fn run_uncaptured(name: &str) -> std::process::Output {
    std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args([
            "--exact",
            "--ignored",
            "--test-threads=1",
            "--nocapture",
            name,
        ])
        .env(common::CHILD_ENV, "1")
        .output()
        .expect("failed to start a child test process")
}

#[test]
fn isolated_panics_are_quiet_unless_reported() {
    let quiet = run_uncaptured("child_default_output");
    common::assert_child_passed(&quiet);
    let stderr = String::from_utf8_lossy(&quiet.stderr);
    assert!(
        !stderr.contains("quiet item") && !stderr.contains("quiet task"),
        "isolated panics printed:\n{}",
        common::describe(&quiet)
    );
    assert!(
        stderr.contains("ordinary panic"),
        "a panic outside isolation must still reach the hook:\n{}",
        common::describe(&quiet)
    );
    let reported = run_uncaptured("child_reported_output");
    common::assert_child_passed(&reported);
    let stderr = String::from_utf8_lossy(&reported.stderr);
    assert!(
        stderr.contains("quiet item") && stderr.contains("quiet task"),
        "report_isolated_panics(true) forwards them to the hook:\n{}",
        common::describe(&reported)
    );
}
