//! What an isolated task costs next to a plain spawn: veda's `fault::Task` against
//! `veda::spawn` and `rayon::spawn`, each delivering one value per task to the caller.
//!
//! Run it with `cargo bench --bench fault`. `VEDA_BENCH_ROUNDS` sets the number of rounds
//! (default 21). Every contender spawns the same batch of tasks on its own two-thread pool
//! and waits for every value: the plain spawns send theirs through a channel, the isolated
//! tasks through their handles. Each round runs every contender once, rotating which goes
//! first; the table shows the median batch time and the median of the per-round paired
//! ratios against the isolated task (above 1.0: the contender took longer).

use std::hint::black_box;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use veda::fault::Task;

const TASKS: u64 = 20_000;

fn veda_spawn(pool: &veda::ThreadPool) -> u64 {
    let (sender, receiver) = mpsc::channel();
    for i in 0..TASKS {
        let sender = sender.clone();
        pool.spawn(move || sender.send(black_box(i)).unwrap());
    }
    drop(sender);
    receiver.iter().sum()
}

fn rayon_spawn(pool: &rayon::ThreadPool) -> u64 {
    let (sender, receiver) = mpsc::channel();
    for i in 0..TASKS {
        let sender = sender.clone();
        pool.spawn(move || sender.send(black_box(i)).unwrap());
    }
    drop(sender);
    receiver.iter().sum()
}

fn isolated(pool: &veda::ThreadPool) -> u64 {
    let handles: Vec<_> = (0..TASKS)
        .map(|i| Task::new().spawn_in(pool, move |_| black_box(i)))
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).sum()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let rounds: usize = std::env::var("VEDA_BENCH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(21);
    let veda_pool = veda::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let rayon_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let expected = TASKS * (TASKS - 1) / 2;
    let contenders: [(&str, &dyn Fn() -> u64); 3] = [
        ("fault::Task", &|| isolated(&veda_pool)),
        ("veda::spawn", &|| veda_spawn(&veda_pool)),
        ("rayon::spawn", &|| rayon_spawn(&rayon_pool)),
    ];
    for (_, run) in &contenders {
        assert_eq!(run(), expected);
    }
    let mut times = vec![Vec::new(); contenders.len()];
    for round in 0..rounds {
        for offset in 0..contenders.len() {
            let which = (round + offset) % contenders.len();
            std::thread::sleep(Duration::from_millis(2));
            let start = Instant::now();
            black_box((contenders[which].1)());
            times[which].push(start.elapsed().as_secs_f64());
        }
    }
    println!("{TASKS} tasks per batch, {rounds} rounds, 2 threads");
    println!(
        "{:<14} {:>12} {:>18}",
        "contender", "median ms", "time / isolated"
    );
    for (index, (name, _)) in contenders.iter().enumerate() {
        let mut ratios: Vec<f64> = times[index]
            .iter()
            .zip(&times[0])
            .map(|(time, isolated)| time / isolated)
            .collect();
        let mut own = times[index].clone();
        println!(
            "{name:<14} {:>12.2} {:>18.2}",
            median(&mut own) * 1e3,
            median(&mut ratios)
        );
    }
}
