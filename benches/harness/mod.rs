//! The side-by-side measuring harness shared by the benches: contenders run the same
//! workload in a shuffled order, round after round, and the table reports medians and the
//! median of per-round paired ratios (see `/work/shared/design.md`, "Measuring on this
//! machine", for why).
//!
//! With `VEDA_BENCH_TELEMETRY_OFF=1` the benches also run veda built without its `telemetry`
//! feature (the `veda-telemetry-off` copy, see `benches/telemetry_overhead/`), in a column of
//! its own, so the cost of telemetry is measured in the same process, round by round.

use std::env;
use std::fmt;
use std::hint::black_box;
use std::num::NonZeroUsize;
use std::sync::LazyLock;
use std::thread;
use std::time::{Duration, Instant};

/// Rounds per workload unless `VEDA_BENCH_ROUNDS` says otherwise.
const DEFAULT_ROUNDS: usize = 21;
/// The least time one timed run should take; comfortably above the 5 ms below which the
/// timings on this machine get too noisy.
const TARGET_RUN: Duration = Duration::from_millis(8);
/// Pause before every timed run, for the previous contender's pool to go idle.
const SETTLE: Duration = Duration::from_millis(2);

/// The contenders, in the order of the table's columns.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// veda, under the pool's scheduling policy (the default, adaptive, unless a bench says
    /// otherwise).
    Veda,
    /// veda with `SchedulingPolicy::WorkStealing`, rayon's scheme, to set against the
    /// adaptive policy.
    VedaWorkStealing,
    /// veda built without its `telemetry` feature, under the same policy as `Veda`; runs only
    /// with `VEDA_BENCH_TELEMETRY_OFF=1`.
    VedaTelemetryOff,
    /// rayon, the reference.
    Rayon,
    /// chili, the bar for fine-grained join.
    Chili,
    /// A sequential baseline on the same input.
    Seq,
}

impl Who {
    /// Every contender, in the order of the table's columns.
    const ALL: [Who; 6] = [
        Who::Veda,
        Who::VedaWorkStealing,
        Who::VedaTelemetryOff,
        Who::Rayon,
        Who::Chili,
        Who::Seq,
    ];

    fn name(self) -> &'static str {
        match self {
            Who::Veda => "veda",
            Who::VedaWorkStealing => "veda-ws",
            Who::VedaTelemetryOff => "veda-notel",
            Who::Rayon => "rayon",
            Who::Chili => "chili",
            Who::Seq => "seq",
        }
    }

    /// The heading of the column of this contender's paired ratio to veda; none for veda
    /// itself and for the sequential baseline.
    fn ratio_heading(self) -> Option<&'static str> {
        match self {
            Who::VedaWorkStealing => Some("ws/veda"),
            Who::VedaTelemetryOff => Some("notel/veda"),
            Who::Rayon => Some("rayon/veda"),
            Who::Chili => Some("chili/veda"),
            Who::Veda | Who::Seq => None,
        }
    }

    /// Whether this contender runs: all do but the telemetry-off copy, which runs only when
    /// `VEDA_BENCH_TELEMETRY_OFF` is set to `1`.
    fn enabled(self) -> bool {
        static TELEMETRY_OFF: LazyLock<bool> =
            LazyLock::new(|| env::var("VEDA_BENCH_TELEMETRY_OFF").is_ok_and(|v| v.trim() == "1"));
        self != Who::VedaTelemetryOff || *TELEMETRY_OFF
    }
}

/// One contender's version of a workload: one call runs one iteration and returns its result.
pub struct Contender<'a> {
    who: Who,
    run: Box<dyn Fn() -> u64 + 'a>,
}

impl<'a> Contender<'a> {
    pub fn new(who: Who, run: impl Fn() -> u64 + 'a) -> Contender<'a> {
        Contender {
            who,
            run: Box::new(run),
        }
    }

    /// Runs one warm-up iteration, checks its result, and returns how many iterations one timed
    /// run needs to last at least [`TARGET_RUN`].
    fn calibrate(&self, workload: &str, expected: u64) -> u32 {
        let got = (self.run)();
        assert_eq!(
            got,
            expected,
            "{workload}: {} computed a wrong result",
            self.who.name()
        );
        let mut iterations = 1;
        while self.time_run(iterations) < TARGET_RUN {
            iterations *= 2;
        }
        iterations
    }

    /// Times one run of `iterations` back-to-back iterations.
    fn time_run(&self, iterations: u32) -> Duration {
        let start = Instant::now();
        for _ in 0..iterations {
            black_box((self.run)());
        }
        start.elapsed()
    }
}

/// What one workload's row of the table shows.
pub struct Row {
    workload: &'static str,
    /// Median time of one iteration of each contender that ran.
    medians: Vec<(Who, Duration)>,
    /// Median of the per-round ratios of each contender's time to veda's, for each contender
    /// other than veda when veda ran.
    ratios: Vec<(Who, f64)>,
}

/// The order of the contenders within a round: a fresh permutation every round, from a
/// fixed seed. A plain rotation would give every contender the same predecessor in every
/// round, and what ran just before (a sequential run on one core, or another pool's burst)
/// biased a pair of identical veda pools by 1.3 % that way.
struct Shuffler(u64);

impl Shuffler {
    fn new() -> Shuffler {
        Shuffler(0x9E37_79B9_7F4A_7C15)
    }

    /// A Fisher-Yates shuffle driven by xorshift.
    fn shuffle(&mut self, order: &mut [usize]) {
        for last in (1..order.len()).rev() {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            order.swap(last, (self.0 % (last as u64 + 1)) as usize);
        }
    }
}

/// Runs `rounds` rounds of the enabled contenders of one workload, each contender once a
/// round, in a shuffled order.
pub fn measure(
    workload: &'static str,
    expected: u64,
    contenders: &[Contender<'_>],
    rounds: usize,
) -> Row {
    let contenders: Vec<&Contender<'_>> = contenders.iter().filter(|c| c.who.enabled()).collect();
    let iterations: Vec<u32> = contenders
        .iter()
        .map(|c| c.calibrate(workload, expected))
        .collect();
    // times[i][round]: time of one iteration of contender i in that round.
    let mut times = vec![Vec::with_capacity(rounds); contenders.len()];
    let mut order: Vec<usize> = (0..contenders.len()).collect();
    let mut shuffler = Shuffler::new();
    for _ in 0..rounds {
        shuffler.shuffle(&mut order);
        for &i in &order {
            thread::sleep(SETTLE);
            times[i].push(contenders[i].time_run(iterations[i]) / iterations[i]);
        }
    }
    let medians = contenders
        .iter()
        .zip(&times)
        .map(|(c, t)| {
            let mut secs: Vec<f64> = t.iter().map(Duration::as_secs_f64).collect();
            (c.who, Duration::from_secs_f64(median(&mut secs)))
        })
        .collect();
    let veda = contenders
        .iter()
        .position(|c| c.who == Who::Veda)
        .map(|i| &times[i]);
    let ratios = veda.map_or_else(Vec::new, |veda| {
        contenders
            .iter()
            .zip(&times)
            .filter(|(c, _)| c.who != Who::Veda)
            .map(|(c, other)| {
                let mut ratios: Vec<f64> = other
                    .iter()
                    .zip(veda)
                    .map(|(o, v)| o.as_secs_f64() / v.as_secs_f64())
                    .collect();
                (c.who, median(&mut ratios))
            })
            .collect()
    });
    Row {
        workload,
        medians,
        ratios,
    }
}

/// The value paired with `who`, if any.
fn find<T: Copy>(pairs: &[(Who, T)], who: Who) -> Option<T> {
    pairs
        .iter()
        .find_map(|&(w, value)| (w == who).then_some(value))
}

/// Median of a non-empty sample (the mean of the middle two for an even count).
fn median(sample: &mut [f64]) -> f64 {
    sample.sort_by(f64::total_cmp);
    let mid = sample.len() / 2;
    if sample.len().is_multiple_of(2) {
        (sample[mid - 1] + sample[mid]) / 2.0
    } else {
        sample[mid]
    }
}

/// A table cell: a duration with a readable unit, or `-` when there is none.
struct TimeCell(Option<Duration>);

impl fmt::Display for TimeCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(time) = self.0 else {
            return f.pad("-");
        };
        let secs = time.as_secs_f64();
        let text = if secs < 1e-6 {
            format!("{:.1} ns", secs * 1e9)
        } else if secs < 1e-3 {
            format!("{:.2} µs", secs * 1e6)
        } else if secs < 1.0 {
            format!("{:.2} ms", secs * 1e3)
        } else {
            format!("{secs:.2} s")
        };
        f.pad(&text)
    }
}

/// A table cell: a ratio, or `-` when there is none.
struct RatioCell(Option<f64>);

impl fmt::Display for RatioCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(ratio) => f.pad(&format!("{ratio:.3}")),
            None => f.pad("-"),
        }
    }
}

/// Width of the workload column.
const WORKLOAD_WIDTH: usize = 14;
/// Width of every other column.
const CELL_WIDTH: usize = 10;

/// The results table: a time column for each contender a bench runs, then a column of paired
/// ratios to veda for each of them but veda and the sequential baseline.
pub struct Table {
    columns: Vec<Who>,
}

impl Table {
    /// A table with columns for the enabled `contenders`, shown in the order of [`Who`].
    pub fn new(contenders: &[Who]) -> Table {
        Table {
            columns: Who::ALL
                .into_iter()
                .filter(|who| who.enabled() && contenders.contains(who))
                .collect(),
        }
    }

    /// Prints the column headings.
    pub fn print_header(&self) {
        print!("{:<WORKLOAD_WIDTH$}", "workload");
        for who in &self.columns {
            print!(" {:>CELL_WIDTH$}", who.name());
        }
        for heading in self.columns.iter().filter_map(|who| who.ratio_heading()) {
            print!(" {heading:>CELL_WIDTH$}");
        }
        println!();
    }

    /// Prints one row; `-` marks a contender that did not run this workload.
    pub fn print_row(&self, row: &Row) {
        print!("{:<WORKLOAD_WIDTH$}", row.workload);
        for &who in &self.columns {
            print!(" {:>CELL_WIDTH$}", TimeCell(find(&row.medians, who)));
        }
        for &who in &self.columns {
            if who.ratio_heading().is_some() {
                print!(" {:>CELL_WIDTH$}", RatioCell(find(&row.ratios, who)));
            }
        }
        println!();
    }
}

/// Reads a positive count from environment variable `name`, or returns `default`.
pub fn env_count(name: &str, default: NonZeroUsize) -> NonZeroUsize {
    match env::var(name) {
        Ok(text) => text
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a positive integer, not {text:?}")),
        Err(_) => default,
    }
}

/// The benchmark's settings from its command line and environment: the workload filters
/// (positional arguments; those starting with `--` come from cargo and are ignored), the
/// number of rounds (`VEDA_BENCH_ROUNDS`) and of threads per pool (`VEDA_BENCH_THREADS`).
pub struct Settings {
    filters: Vec<String>,
    /// Rounds per workload.
    pub rounds: usize,
    /// Threads per pool.
    pub threads: NonZeroUsize,
}

impl Settings {
    /// Reads the settings.
    pub fn from_env() -> Settings {
        let rounds = env_count(
            "VEDA_BENCH_ROUNDS",
            NonZeroUsize::new(DEFAULT_ROUNDS).expect("non-zero"),
        )
        .get();
        let cores = thread::available_parallelism().unwrap_or(NonZeroUsize::MIN);
        Settings {
            filters: env::args()
                .skip(1)
                .filter(|a| !a.starts_with("--"))
                .collect(),
            rounds,
            threads: env_count("VEDA_BENCH_THREADS", cores),
        }
    }

    /// Whether the filters select `workload`.
    pub fn selected(&self, workload: &str) -> bool {
        self.filters.is_empty() || self.filters.iter().any(|f| workload.contains(f.as_str()))
    }
}
