//! The latent stack: the second halves of a worker's lazy joins that no other thread can
//! see yet (see `join/mod.rs` and `WorkerThread::push_latent`).
//!
//! Each pending lazy join owns a [`LatentLink`] on its own stack frame, at the head of the
//! join's [`LatentJob`]; the links form a singly linked list from the newest down to the
//! oldest, and only the owning worker ever touches it, which is what makes a lazy join
//! cheap: a push is two stores and a load, a pop a store and two loads, with no atomics and
//! no fences. Nothing else of the job is written unless it is published: its latch, and the
//! pool and worker to notify when a thief sets it, are filled in by the publisher.
//!
//! Links are published oldest first (publishing hands a link's job to the worker's deque,
//! where thieves take it), so the published links always form the bottom of the stack; the
//! stack remembers the newest of them, and a link is published exactly when it is that one
//! or lies below it.

use super::Registry;
use crate::job::{JobRef, JobResult};
use crate::latch::CoreLatch;
use crate::sync::UnsafeCell;
use crate::unwind;
use std::cell::Cell;
use std::mem::{self, ManuallyDrop, MaybeUninit};
use std::ptr;

/// The part of a lazy join's pending half that its worker's latent stack links up.
#[derive(Debug)]
pub(crate) struct LatentLink {
    /// Runs the [`LatentJob`] this link heads; a published link's [`JobRef`] is this
    /// function and the link's address.
    execute_fn: unsafe fn(*const ()),
    below: Cell<*const LatentLink>,
    /// Written when the link is published, and only then.
    publication: UnsafeCell<MaybeUninit<Publication>>,
}

/// What a published link needs: the latch that whoever runs its job sets, and whom that
/// wakes.
#[derive(Debug)]
struct Publication {
    latch: CoreLatch,
    /// The pool of the worker that published the link (and waits for its latch).
    registry: *const Registry,
    /// That worker's index.
    worker_index: usize,
}

impl LatentLink {
    /// The latch of a published link.
    ///
    /// # Safety
    /// The link must have been published.
    #[inline]
    pub(crate) unsafe fn latch(&self) -> &CoreLatch {
        // SAFETY: publishing wrote the publication (before the job reference left this
        // thread), and it is never written again except through the latch's atomic.
        unsafe { &self.publication().latch }
    }

    /// What publishing the link wrote.
    ///
    /// # Safety
    /// The link must have been published.
    #[inline]
    unsafe fn publication(&self) -> &Publication {
        // SAFETY: forwarded from this function's contract; see `latch`.
        self.publication
            .with(|publication| unsafe { (*publication).assume_init_ref() })
    }

    /// The reference under which a published link's job travels.
    #[inline]
    pub(crate) fn job_ref(&self) -> JobRef {
        // SAFETY: `execute_fn` runs the `LatentJob` this link heads, at the same address;
        // the owner keeps it alive until it is taken back or its latch is set.
        unsafe { JobRef::from_raw(ptr::from_ref(self).cast(), self.execute_fn) }
    }

    /// Makes the link ready to travel: initialises its latch and records whom it wakes.
    fn prepare_publication(&self, registry: &Registry, worker_index: usize) {
        let publication = Publication {
            latch: CoreLatch::new(),
            registry,
            worker_index,
        };
        // SAFETY: only the owning worker touches an unpublished link.
        self.publication
            .with_mut(|slot| unsafe { (*slot).write(publication) });
    }

    /// Sets the latch of a published link and wakes its owner if it sleeps on it.
    ///
    /// # Safety
    /// The link must have been published, and must not be used after this call: its
    /// owner may return from its join (and free the link) as soon as the latch is set.
    unsafe fn set_latch(this: *const LatentLink) {
        // SAFETY: the link is alive until its latch is set; the publisher's pool outlives
        // the join, whose worker waits for this latch.
        unsafe {
            let publication = (*this).publication();
            let registry = &*publication.registry;
            let worker_index = publication.worker_index;
            if CoreLatch::set(&publication.latch) {
                registry.notify_worker_latch_is_set(worker_index);
            }
        }
    }
}

/// The pending second half of a lazy join: its closure, behind a [`LatentLink`], and a
/// slot for the result a thief writes if the link is published and stolen.
#[repr(C)]
pub(crate) struct LatentJob<F, R> {
    /// First, so that the link's address is the job's (`repr(C)`).
    link: LatentLink,
    func: UnsafeCell<ManuallyDrop<F>>,
    result: UnsafeCell<MaybeUninit<JobResult<R>>>,
}

impl<F, R> LatentJob<F, R>
where
    F: FnOnce(bool) -> R + Send,
    R: Send,
{
    /// Wraps the closure; nothing else is written until the job is published.
    #[inline]
    pub(crate) fn new(func: F) -> Self {
        LatentJob {
            link: LatentLink {
                execute_fn: Self::execute,
                below: Cell::new(ptr::null()),
                publication: UnsafeCell::new(MaybeUninit::uninit()),
            },
            func: UnsafeCell::new(ManuallyDrop::new(func)),
            result: UnsafeCell::new(MaybeUninit::uninit()),
        }
    }

    #[inline]
    pub(crate) fn link(&self) -> &LatentLink {
        &self.link
    }

    /// Runs the closure on the owner's thread.
    ///
    /// # Safety
    /// The closure must not have run, and no other thread may run it, now or later: the
    /// job was never published, or its owner took it back out of its deque. Call it once.
    #[inline(always)]
    pub(crate) unsafe fn run_inline(&self, migrated: bool) -> R {
        let func = self.func.with_mut(|func| {
            // SAFETY: by this function's contract, the closure is still there and this is
            // the only thread that takes it.
            unsafe { ManuallyDrop::take(&mut *func) }
        });
        func(migrated)
    }

    /// The result a thief left, or its panic resumed here.
    ///
    /// # Safety
    /// The job's latch must be set (it ran through its job reference). Call it once.
    pub(crate) unsafe fn take_result(&self) -> R {
        let result = self.result.with_mut(|result| {
            // SAFETY: whoever ran the job wrote the result before setting the latch, which
            // the caller observed (acquire); the result is read only once.
            unsafe { (*result).assume_init_read() }
        });
        result.into_return_value()
    }

    /// Runs the job through its reference (a thief, or the owner out of its own deque).
    ///
    /// # Safety
    /// `this` points to a published `LatentJob<F, R>` that has not run; it is not used
    /// after this call.
    unsafe fn execute(this: *const ()) {
        // SAFETY: the job reference points at the link at the head of this job (`repr(C)`),
        // alive until its latch is set, which is the last thing done here.
        let this = unsafe { &*this.cast::<Self>() };
        let abort = unwind::AbortIfPanic;
        let func = this.func.with_mut(|func| {
            // SAFETY: the thread that took the job reference out of a deque is the only one
            // to touch the closure and the result until the latch is set.
            unsafe { ManuallyDrop::take(&mut *func) }
        });
        let result = JobResult::call(|| func(true));
        // SAFETY: as above.
        this.result
            .with_mut(|slot| unsafe { (*slot).write(result) });
        // SAFETY: the link was published (it travelled as a job reference) and is not used
        // after this call.
        unsafe { LatentLink::set_latch(&this.link) };
        mem::forget(abort);
    }
}

/// A worker's stack of [`LatentLink`]s.
#[derive(Debug)]
pub(super) struct LatentStack {
    top: Cell<*const LatentLink>,
    /// The newest published link: it and every link below it are published.
    newest_published: Cell<*const LatentLink>,
}

impl LatentStack {
    pub(super) fn new() -> Self {
        LatentStack {
            top: Cell::new(ptr::null()),
            newest_published: Cell::new(ptr::null()),
        }
    }

    /// Pushes `link`; returns true if the stack was empty.
    ///
    /// # Safety
    /// `link` must stay where it is, alive, until it is popped with [`LatentStack::pop`], and
    /// links must be popped in the reverse order of their pushes.
    #[inline]
    pub(super) unsafe fn push(&self, link: &LatentLink) -> bool {
        // The link is written before the stack, so the compiler can drop `new`'s store to it.
        let below = self.top.get();
        link.below.set(below);
        self.top.set(link);
        below.is_null()
    }

    /// Pops `link`, the top; returns whether it was published.
    #[inline]
    pub(super) fn pop(&self, link: &LatentLink) -> bool {
        debug_assert!(
            ptr::eq(self.top.get(), link),
            "lazy join halves are taken back in LIFO order"
        );
        let below = link.below.get();
        self.top.set(below);
        let published = ptr::eq(self.newest_published.get(), link);
        if published {
            self.newest_published.set(below);
        }
        published
    }

    /// Publishes the oldest unpublished link, if there is one, readying its latch to wake
    /// worker `worker_index` of `registry`, and returns its job reference.
    pub(super) fn take_oldest_unpublished(
        &self,
        registry: &Registry,
        worker_index: usize,
    ) -> Option<JobRef> {
        let newest_published = self.newest_published.get();
        let mut oldest = None;
        let mut current = self.top.get();
        while !ptr::eq(current, newest_published) {
            // SAFETY: every link in the stack is alive until popped (`push`'s contract), and
            // only this thread follows the links; the walk stops at the published bottom
            // part or at the end of the list.
            let link = unsafe { &*current };
            oldest = Some(link);
            current = link.below.get();
        }
        let link = oldest?;
        link.prepare_publication(registry, worker_index);
        self.newest_published.set(link);
        Some(link.job_ref())
    }

    /// Whether some link is not published yet.
    #[inline]
    pub(super) fn has_unpublished(&self) -> bool {
        !ptr::eq(self.top.get(), self.newest_published.get())
    }
}
