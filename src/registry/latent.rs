//! The latent stack: the second halves of a worker's lazy joins that no other thread can
//! see yet (see `join/mod.rs` and `WorkerThread::push_latent`).
//!
//! Each pending lazy join owns a [`LatentLink`] on its own stack frame; the links form a
//! singly linked list from the newest down to the oldest, and only the owning worker ever
//! touches it, which is what makes a lazy join cheap: a push and a pop are two plain loads
//! and stores, with no atomics and no fences.
//!
//! Links are published oldest first (publishing hands a link's job to the worker's deque,
//! where thieves take it), so the published links always form the bottom of the stack: once
//! the top link is published, all are.

use crate::job::JobRef;
use std::cell::Cell;
use std::ptr;

/// One pending lazy join half, living in the frame of its join.
#[derive(Debug)]
pub(crate) struct LatentLink {
    job: JobRef,
    below: Cell<*const LatentLink>,
    published: Cell<bool>,
}

impl LatentLink {
    #[inline]
    pub(crate) fn new(job: JobRef) -> Self {
        LatentLink {
            job,
            below: Cell::new(ptr::null()),
            published: Cell::new(false),
        }
    }
}

/// A worker's stack of [`LatentLink`]s.
#[derive(Debug)]
pub(super) struct LatentStack {
    top: Cell<*const LatentLink>,
}

impl LatentStack {
    pub(super) fn new() -> Self {
        LatentStack {
            top: Cell::new(ptr::null()),
        }
    }

    /// Pushes `link`; returns true if the stack was empty.
    ///
    /// # Safety
    /// `link` must stay where it is, alive, until it is popped with [`LatentStack::pop`], and
    /// links must be popped in the reverse order of their pushes.
    #[inline]
    pub(super) unsafe fn push(&self, link: &LatentLink) -> bool {
        let below = self.top.replace(link);
        link.below.set(below);
        below.is_null()
    }

    /// Pops `link`, the top; returns whether it was published.
    #[inline]
    pub(super) fn pop(&self, link: &LatentLink) -> bool {
        debug_assert!(
            ptr::eq(self.top.get(), link),
            "lazy join halves are taken back in LIFO order"
        );
        self.top.set(link.below.get());
        link.published.get()
    }

    /// Marks the oldest unpublished link published and returns its job, if there is one.
    pub(super) fn take_oldest_unpublished(&self) -> Option<JobRef> {
        let mut oldest: Option<&LatentLink> = None;
        let mut current = self.top.get();
        // SAFETY: every link in the stack is alive until popped (`push`'s contract), and
        // only this thread follows the links.
        while let Some(link) = unsafe { current.as_ref() } {
            if link.published.get() {
                break;
            }
            oldest = Some(link);
            current = link.below.get();
        }
        let link = oldest?;
        link.published.set(true);
        Some(link.job)
    }

    /// Whether some link is not published yet.
    #[inline]
    pub(super) fn has_unpublished(&self) -> bool {
        // SAFETY: as in `take_oldest_unpublished`.
        unsafe { self.top.get().as_ref() }.is_some_and(|top| !top.published.get())
    }
}
