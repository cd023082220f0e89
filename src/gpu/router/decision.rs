//! What the router decided for a call, why, and what then happened.

use crate::gpu::GpuError;
use std::fmt;
use std::time::Duration;

/// Where a call runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Placement {
    /// All of it on the CPU workers.
    Cpu,
    /// All of it on the GPU.
    Gpu,
    /// Elements `0..gpu` on the GPU and `gpu..len` on the CPU, at the same time.
    Split {
        /// Elements given to the GPU (the front of the range).
        gpu: usize,
        /// Elements given to the CPU (the rest).
        cpu: usize,
    },
}

impl fmt::Display for Placement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Placement::Cpu => f.write_str("CPU"),
            Placement::Gpu => f.write_str("GPU"),
            Placement::Split { gpu, cpu } => write!(f, "split ({gpu} on GPU, {cpu} on CPU)"),
        }
    }
}

/// Why the router chose a placement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Reason {
    /// The policy fixed it.
    Policy,
    /// The call has no element.
    Empty,
    /// No GPU is usable here (no driver, no device, driver too old).
    GpuUnavailable,
    /// The GPU was lost earlier; it stays off.
    DeviceLost,
    /// Recent GPU failures opened the circuit; the GPU gets no work until it cools down.
    CircuitOpen,
    /// The GPU's fixed launch cost alone exceeds the CPU's whole time.
    SmallInput,
    /// Moving the data over the link alone takes longer than the CPU's whole time.
    TransferBound,
    /// The CPU is expected to finish first.
    CpuFaster,
    /// The GPU is expected to finish first.
    GpuFaster,
    /// The GPU would be faster, but its queue makes the CPU finish first.
    GpuBusy,
    /// The CPU would be faster, but its queue makes the GPU finish first.
    CpuBusy,
    /// Splitting the range between both sides finishes first.
    Balanced,
    /// This side has never run this kernel and its prior is close: measuring it.
    Exploring,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Reason::Policy => "the policy says so",
            Reason::Empty => "there is nothing to compute",
            Reason::GpuUnavailable => "no GPU is usable here",
            Reason::DeviceLost => "the GPU was lost earlier",
            Reason::CircuitOpen => "recent GPU failures opened the circuit",
            Reason::SmallInput => "the GPU's launch cost alone exceeds the CPU time",
            Reason::TransferBound => {
                "moving the data to the GPU takes longer than computing on the CPU"
            }
            Reason::CpuFaster => "the CPU is expected to finish first",
            Reason::GpuFaster => "the GPU is expected to finish first",
            Reason::GpuBusy => "the GPU is faster but busy, so the CPU finishes first",
            Reason::CpuBusy => "the CPU is faster but busy, so the GPU finishes first",
            Reason::Balanced => "a split lets both sides finish together, earliest",
            Reason::Exploring => "measuring a side the router has not seen run this kernel",
        })
    }
}

/// A placement with its reason and the cost model's expectations at the time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Decision {
    /// Where the call was sent.
    pub placement: Placement,
    /// Why.
    pub reason: Reason,
    /// Expected finish on the CPU alone (queue included).
    pub expected_cpu: Duration,
    /// Expected finish on the GPU alone (queue, launch and transfers included).
    pub expected_gpu: Duration,
    /// Expected finish of the balanced split.
    pub expected_split: Duration,
}

/// What happened to one call.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct RunReport {
    /// What the router decided before running it.
    pub decision: Decision,
    /// Where the elements were finally computed: the CPU alone after a GPU failure.
    pub ran_on: Placement,
    /// The GPU failure that sent GPU elements back to the CPU, if any.
    pub fallback: Option<GpuError>,
    /// Time the CPU side took (its share, or the whole call), fallback included.
    pub cpu_time: Option<Duration>,
    /// Time the GPU side took, when it succeeded.
    pub gpu_time: Option<Duration>,
}

impl RunReport {
    /// When the slower side finished, counted from the start of the call.
    pub fn finish_time(&self) -> Duration {
        self.cpu_time
            .unwrap_or_default()
            .max(self.gpu_time.unwrap_or_default())
    }
}

impl fmt::Display for RunReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ran on {} because {}", self.ran_on, self.decision.reason)?;
        if let Some(error) = &self.fallback {
            write!(
                f,
                " (planned {}, but the GPU failed: {error})",
                self.decision.placement
            )?;
        }
        Ok(())
    }
}
