//! One job at a time, split into parts that every thread of the pool runs: the caller and the
//! workers of the threaded build (Web Workers or Node `worker_threads` over this module's shared
//! memory, started from TypeScript), or the caller alone in every other build and natively.
//!
//! A job is `parts` independent calls `f(part)`. Threads claim parts from a shared counter, so
//! which thread runs a part depends on scheduling, but what a part computes does not: a kernel
//! that combines parts' results does so in part order, and splits its work into parts whose
//! bounds do not depend on the number of threads. Its results are then the same bits for any
//! number of threads.
//!
//! Workers sleep in `memory.atomic.wait32` on the job counter between jobs. The caller (the JS
//! main thread, which browsers do not let wait) runs parts itself, then closes the job and spins
//! until the workers that entered it have finished their parts. A worker that wakes after the
//! job closed does not enter it, so a worker with no core to run on (a loaded machine) costs the
//! caller nothing beyond the wake-up call: the caller then runs every part itself.

use core::sync::atomic::{AtomicUsize, Ordering::Relaxed};

/// Runs `f(part)` for every `part` in `0..parts`, on every thread of the pool, and returns
/// when all have run. Jobs started from inside a job (or while another runs) run on the
/// calling thread alone.
///
/// Errors if a worker thread failed (trapped) during this job: its output is then incomplete.
/// From then on the pool runs every job on the caller alone.
pub fn for_each_part<F: Fn(usize) + Sync>(parts: usize, f: F) -> Result<(), WorkerFailed> {
    imp::for_each_part(parts, &f)
}

/// How many threads run a job's parts: the workers that have joined (at most the limit set by
/// [`set_threads`]), plus the caller.
pub fn threads() -> usize {
    imp::threads()
}

/// Jobs that have run on more than one thread so far (a test's evidence that a kernel split).
pub fn jobs() -> u32 {
    imp::jobs()
}

/// Lets at most `n − 1` workers (and the caller) run the parts of later jobs; the others keep
/// waiting. Call between jobs.
pub fn set_threads(n: usize) {
    imp::set_threads(n)
}

/// How many parts to split `units` of work into (the units of `min_units`): 1 — run on the caller
/// alone — below `min_units` or with one thread, else about `units / (min_units / 2)` (so each of
/// two threads gets at least half of the crossover's work), at most four per thread (a thread
/// that gets no core then holds back at most a quarter of its share). For kernels whose results
/// do not depend on where the parts are cut; the others cut fixed-size parts.
pub fn parts(units: usize, min_units: usize) -> usize {
    let threads = threads();
    let min_units = match SPLIT_FROM.load(Relaxed) {
        0 => min_units,
        forced => forced,
    };
    if threads == 1 || units < min_units {
        1
    } else {
        (units / (min_units / 2).max(1)).clamp(2, 4 * threads)
    }
}

/// Set by [`split_from`]; 0 for the kernels' own minimums.
static SPLIT_FROM: AtomicUsize = AtomicUsize::new(0);

/// Makes every kernel that asks [`parts`] split from `units` units of its work on, instead of
/// from its measured crossover (0 restores those): how the crossovers are measured
/// (`bench/crossover.ts`), by timing sizes below them on one and two threads.
pub fn split_from(units: usize) {
    SPLIT_FROM.store(units, Relaxed);
}

/// A worker thread trapped (a bug or an allocation failure on that thread).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerFailed;

/// A raw pointer that parts of one job may share: each part writes a region of its own, which
/// the kernel that splits the job guarantees.
pub struct SharedPtr<T>(pub *mut T);

// Not derived: a derive would ask `T: Copy`, and the pointer is copyable whatever T is.
impl<T> Clone for SharedPtr<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for SharedPtr<T> {}

impl<T> SharedPtr<T> {
    /// The pointer. (A closure that calls this captures the whole `SharedPtr`, which is `Sync`;
    /// one that reads `.0` would capture the bare pointer, which is not.)
    #[inline(always)]
    pub fn get(self) -> *mut T {
        self.0
    }
}

// Safety: the pointer is only dereferenced by parts that write disjoint regions (or only read),
// and the job ends before the caller's borrow of the memory does.
unsafe impl<T> Send for SharedPtr<T> {}
// Safety: as for Send.
unsafe impl<T> Sync for SharedPtr<T> {}

#[cfg(not(all(target_arch = "wasm32", target_feature = "atomics")))]
mod imp {
    use super::WorkerFailed;

    pub fn for_each_part(parts: usize, f: &(dyn Fn(usize) + Sync)) -> Result<(), WorkerFailed> {
        (0..parts).for_each(f);
        Ok(())
    }

    pub fn threads() -> usize {
        1
    }

    pub fn set_threads(_: usize) {}

    pub fn jobs() -> u32 {
        0
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
mod imp {
    use super::WorkerFailed;
    use core::arch::wasm32::{memory_atomic_notify, memory_atomic_wait32};
    use core::cell::Cell;
    use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering::SeqCst};

    /// Workers that have joined. A worker joins holding BUSY, so never while a job runs.
    static WORKERS: AtomicU32 = AtomicU32::new(0);
    /// Workers allowed to run parts: those whose join index is below it.
    static ACTIVE: AtomicU32 = AtomicU32::new(u32::MAX);
    /// Bumped to start a job; workers wait on it.
    static EPOCH: AtomicU32 = AtomicU32::new(0);
    /// The current job's door: [`OPEN`] while workers may enter it, plus the number of workers
    /// inside (entered and not yet done). The caller closes it and waits for the count to drain.
    static JOB: AtomicU32 = AtomicU32::new(0);
    const OPEN: u32 = 1 << 31;
    /// 1 while a job runs: a second job started then (from a part) runs on its caller alone.
    static BUSY: AtomicU32 = AtomicU32::new(0);
    /// Jobs started on more than one thread.
    static JOBS: AtomicU32 = AtomicU32::new(0);
    /// Set once a worker has trapped: from then on, jobs run on the caller alone.
    static FAILED: AtomicU32 = AtomicU32::new(0);
    /// The current job: `trampoline(data, part)` for parts claimed from `NEXT` below `PARTS`.
    static JOB_CALL: AtomicUsize = AtomicUsize::new(0);
    static JOB_DATA: AtomicUsize = AtomicUsize::new(0);
    static PARTS: AtomicUsize = AtomicUsize::new(0);
    static NEXT: AtomicUsize = AtomicUsize::new(0);

    std::thread_local! {
        /// This worker is inside a job (counted in JOB), for [`worker_failed`].
        static INSIDE: Cell<bool> = const { Cell::new(false) };
    }

    type Call = unsafe fn(usize, usize);

    /// Calls the closure at `data` (a `&F` the caller keeps alive until the job ends).
    ///
    /// # Safety
    /// `data` is the address of a live `F`.
    unsafe fn trampoline<F: Fn(usize) + Sync>(data: usize, part: usize) {
        // Safety: the caller's promise.
        let f = unsafe { &*(data as *const F) };
        f(part)
    }

    pub fn threads() -> usize {
        if FAILED.load(SeqCst) != 0 {
            1
        } else {
            1 + WORKERS.load(SeqCst).min(ACTIVE.load(SeqCst)) as usize
        }
    }

    pub fn set_threads(n: usize) {
        ACTIVE.store(n.saturating_sub(1).min(u32::MAX as usize) as u32, SeqCst);
    }

    /// Claims and runs parts of the current job until none is left.
    fn run_parts() {
        let parts = PARTS.load(SeqCst);
        // Safety: JOB_CALL holds a `trampoline::<F>` stored by `for_each_part`, and JOB_DATA
        // the address of its live `F`: stored before the job opened, and the caller waits for
        // every worker inside the job before returning.
        let call: Call = unsafe { core::mem::transmute::<usize, Call>(JOB_CALL.load(SeqCst)) };
        let data = JOB_DATA.load(SeqCst);
        loop {
            let part = NEXT.fetch_add(1, SeqCst);
            if part >= parts {
                break;
            }
            // Safety: as above.
            unsafe { call(data, part) };
        }
    }

    pub fn for_each_part<F: Fn(usize) + Sync>(parts: usize, f: &F) -> Result<(), WorkerFailed> {
        if parts <= 1 || threads() == 1 || BUSY.swap(1, SeqCst) != 0 {
            (0..parts).for_each(f);
            return Ok(());
        }
        JOB_CALL.store(trampoline::<F> as Call as usize, SeqCst);
        JOB_DATA.store(f as *const F as usize, SeqCst);
        PARTS.store(parts, SeqCst);
        NEXT.store(0, SeqCst);
        JOB.store(OPEN, SeqCst);
        JOBS.fetch_add(1, SeqCst);
        EPOCH.fetch_add(1, SeqCst);
        // Safety: EPOCH is a live, aligned atomic in this module's (shared) memory.
        unsafe { memory_atomic_notify(EPOCH.as_ptr() as *mut i32, u32::MAX) };
        run_parts();
        // Every part is claimed: close the door, then wait for those inside.
        JOB.fetch_and(!OPEN, SeqCst);
        while JOB.load(SeqCst) != 0 {
            core::hint::spin_loop();
        }
        BUSY.store(0, SeqCst);
        if FAILED.load(SeqCst) != 0 {
            Err(WorkerFailed)
        } else {
            Ok(())
        }
    }

    /// Enters the current job if it is still open (counted in JOB until [`leave`]).
    fn enter() -> bool {
        let mut job = JOB.load(SeqCst);
        while job & OPEN != 0 {
            match JOB.compare_exchange(job, job + 1, SeqCst, SeqCst) {
                Ok(_) => {
                    INSIDE.with(|inside| inside.set(true));
                    return true;
                }
                Err(now) => job = now,
            }
        }
        false
    }

    fn leave() {
        INSIDE.with(|inside| inside.set(false));
        JOB.fetch_sub(1, SeqCst);
    }

    /// A worker's life: join the pool, then run each job's parts as it comes. Never returns
    /// (a trap unwinds it to the worker's JS, which then calls [`worker_failed`]).
    pub fn worker_loop() -> ! {
        // Join between jobs: holding BUSY, no job can start meanwhile.
        while BUSY.swap(1, SeqCst) != 0 {
            core::hint::spin_loop();
        }
        let mut seen = EPOCH.load(SeqCst);
        let index = WORKERS.fetch_add(1, SeqCst);
        BUSY.store(0, SeqCst);
        loop {
            while EPOCH.load(SeqCst) == seen {
                // Safety: as in `for_each_part`. Wakes on notify or if EPOCH ≠ seen already.
                unsafe { memory_atomic_wait32(EPOCH.as_ptr() as *mut i32, seen as i32, -1) };
            }
            seen = EPOCH.load(SeqCst);
            // A later job than `seen` may be the one entered: its call and data were stored
            // before it opened, and run_parts reads them after entering.
            if index < ACTIVE.load(SeqCst) && enter() {
                run_parts();
                leave();
            }
        }
    }

    /// Called by a worker's JS after its `worker_loop` trapped: the job it was running ends
    /// as failed, and the pool stops using workers.
    pub fn worker_failed() {
        FAILED.store(1, SeqCst);
        if INSIDE.with(|inside| inside.replace(false)) {
            JOB.fetch_sub(1, SeqCst);
        }
    }

    pub fn jobs() -> u32 {
        JOBS.load(SeqCst)
    }

    /// Workers that have joined (for `init` to wait on).
    pub fn workers() -> u32 {
        WORKERS.load(SeqCst)
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
pub use imp::{worker_failed, worker_loop, workers};
