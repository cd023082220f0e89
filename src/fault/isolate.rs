//! Running a closure in isolation: a panic becomes a [`TaskError::Panicked`], and does not
//! print.
//!
//! Quiet panics need the process's panic hook, which is global. On the first isolated run,
//! veda wraps whatever hook is installed at that moment: the wrapper forwards every panic to
//! the wrapped hook, except one raised on a thread that is running an isolated closure,
//! whose location it records instead (the message comes from the payload). Panics elsewhere
//! are reported exactly as before, and a hook the program installs later simply replaces
//! the wrapper (isolated panics then go to that hook, and stay isolated).
//! [`report_isolated_panics`] forwards isolated panics as well. One limit: a worker that
//! runs some *other* job while it waits inside an isolated closure (it joined, and stole
//! work meanwhile) also keeps that job's panic quiet; the panic itself still travels to
//! its owner as usual.

use super::error::TaskError;
use crate::sync::{AtomicBool, Ordering};
use crate::unwind::{self, PanicPayload};
use std::cell::{Cell, RefCell};
use std::panic;

thread_local! {
    /// How many isolated closures the current thread is inside.
    static ISOLATED: Cell<usize> = const { Cell::new(0) };
    /// The location of the last quiet panic on this thread.
    static LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

static HOOK_INSTALLED: AtomicBool = AtomicBool::new(false);
static REPORT: AtomicBool = AtomicBool::new(false);

/// Whether isolated panics also go to the panic hook (printing their message, with the
/// default hook). Off by default: an isolated panic is reported through its
/// [`TaskError`] instead.
///
/// # Examples
///
/// ```
/// veda::fault::report_isolated_panics(true);
/// veda::fault::report_isolated_panics(false);
/// ```
pub fn report_isolated_panics(report: bool) {
    REPORT.store(report, Ordering::Relaxed);
}

#[inline]
fn install_hook() {
    if !HOOK_INSTALLED.load(Ordering::Acquire) {
        install_hook_once();
    }
}

#[cold]
fn install_hook_once() {
    if HOOK_INSTALLED.swap(true, Ordering::AcqRel) {
        return;
    }
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if ISOLATED.get() > 0 && !REPORT.load(Ordering::Relaxed) {
            let location = info.location().map(ToString::to_string);
            LOCATION.with_borrow_mut(|slot| *slot = location);
        } else {
            previous(info);
        }
    }));
}

/// Runs `func`; a panic comes back as [`TaskError::Panicked`] naming `task`.
pub(crate) fn isolate<R>(task: Option<&str>, func: impl FnOnce() -> R) -> Result<R, TaskError> {
    install_hook();
    ISOLATED.set(ISOLATED.get() + 1);
    let result = unwind::halt_unwinding(func);
    ISOLATED.set(ISOLATED.get() - 1);
    result.map_err(|payload| panicked(task, payload))
}

/// Turns a panic payload into [`TaskError::Panicked`].
pub(crate) fn panicked(task: Option<&str>, payload: PanicPayload) -> TaskError {
    let message = match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => match payload.downcast::<&'static str>() {
            Ok(message) => (*message).to_owned(),
            Err(_) => "(a panic payload that is not a string)".to_owned(),
        },
    };
    TaskError::Panicked {
        message,
        location: LOCATION.with_borrow_mut(Option::take),
        task: task.map(str::to_owned),
    }
}
