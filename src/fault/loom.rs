//! Loom models of a task's completion: of the racing parties (the attempt finishing, a
//! cancel, a timeout), exactly one resolves the handle, and the owner receives exactly that
//! party's outcome, whichever order they run in.

use super::completion::Completion;
use crate::sync::Arc;
use loom::thread;

/// Who resolved the cell, and with what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Completed(u32),
    Cancelled,
    TimedOut,
}

fn racer(
    completion: &Arc<Completion<Outcome>>,
    outcome: Outcome,
) -> thread::JoinHandle<Option<Outcome>> {
    let completion = Arc::clone(completion);
    thread::spawn(move || completion.resolve(outcome).is_ok().then_some(outcome))
}

#[test]
fn completion_cancel_and_timeout_resolve_once() {
    loom::model(|| {
        let completion = Arc::new(Completion::new());
        let finisher = racer(&completion, Outcome::Completed(7));
        let canceller = racer(&completion, Outcome::Cancelled);
        let timer = racer(&completion, Outcome::TimedOut);
        let received = completion.wait();
        let winners: Vec<Outcome> = [finisher, canceller, timer]
            .into_iter()
            .filter_map(|racer| racer.join().unwrap())
            .collect();
        assert_eq!(winners, [received], "exactly one party resolves the handle");
        assert!(completion.is_resolved());
        assert_eq!(completion.try_take(), None, "the outcome is taken once");
    });
}

#[test]
fn a_task_sees_the_cancellation_that_beat_it() {
    loom::model(|| {
        let completion = Arc::new(Completion::new());
        let canceller = racer(&completion, Outcome::Cancelled);
        // The task's side: it checks for cancellation before running, then resolves.
        let ran = !completion.is_resolved();
        let resolved_by_task = completion.resolve(Outcome::Completed(1)).is_ok();
        let cancelled = canceller.join().unwrap().is_some();
        assert!(cancelled != resolved_by_task, "one of the two resolves");
        if !ran {
            assert!(cancelled, "a task only skips its run after a cancellation");
        }
        let expected = if cancelled {
            Outcome::Cancelled
        } else {
            Outcome::Completed(1)
        };
        assert_eq!(completion.try_take(), Some(expected));
    });
}
