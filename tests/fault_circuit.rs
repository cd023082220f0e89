//! Circuit breakers: the state machine against a reference model (proptest), and keyed
//! breakers guarding real tasks.

use proptest::prelude::*;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use veda::fault::{
    circuit_state, configure_circuit, set_circuit_observer, BreakerConfig, CircuitBreaker,
    CircuitState, CircuitTransition, Permit, Task, TaskError,
};

/// The reference: the specification written as plainly as possible, with time in
/// milliseconds since the start.
#[derive(Debug)]
struct Model {
    threshold: usize,
    window: u64,
    cool_down: u64,
    state: CircuitState,
    /// Every failure of a normal attempt since the breaker last closed.
    failures: Vec<u64>,
    opened_at: u64,
    probe_running: bool,
}

impl Model {
    fn acquire(&mut self, now: u64) -> Permit {
        match self.state {
            CircuitState::Closed => Permit::Normal,
            CircuitState::Open if now - self.opened_at >= self.cool_down => {
                self.state = CircuitState::HalfOpen;
                self.probe_running = true;
                Permit::Probe
            }
            CircuitState::Open => Permit::Rejected,
            CircuitState::HalfOpen if self.probe_running => Permit::Rejected,
            CircuitState::HalfOpen => {
                self.probe_running = true;
                Permit::Probe
            }
        }
    }

    fn record(&mut self, permit: Permit, succeeded: bool, now: u64) {
        if self.state == CircuitState::Closed && permit == Permit::Normal && !succeeded {
            self.failures.push(now);
            let recent = self
                .failures
                .iter()
                .filter(|&&at| now - at < self.window)
                .count();
            if recent >= self.threshold {
                self.open(now);
            }
        } else if self.state == CircuitState::HalfOpen && permit == Permit::Probe {
            self.probe_running = false;
            if succeeded {
                self.state = CircuitState::Closed;
            } else {
                self.open(now);
            }
        }
    }

    fn open(&mut self, now: u64) {
        self.state = CircuitState::Open;
        self.opened_at = now;
        self.failures.clear();
    }
}

#[derive(Clone, Debug)]
enum Event {
    Advance(u64),
    Acquire,
    /// Finishes one outstanding attempt (picked by index), successfully or not.
    Finish(usize, bool),
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        (0u64..40).prop_map(Event::Advance),
        Just(Event::Acquire),
        (any::<usize>(), any::<bool>()).prop_map(|(index, ok)| Event::Finish(index, ok)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn breaker_matches_the_reference_model(
        threshold in 1u32..5,
        window in 1u64..100,
        cool_down in 0u64..100,
        events in prop::collection::vec(event(), 1..200),
    ) {
        let config = BreakerConfig::new(
            threshold,
            Duration::from_millis(window),
            Duration::from_millis(cool_down),
        );
        let mut breaker = CircuitBreaker::new(config);
        let mut model = Model {
            threshold: threshold as usize,
            window,
            cool_down,
            state: CircuitState::Closed,
            failures: Vec::new(),
            opened_at: 0,
            probe_running: false,
        };
        let start = Instant::now();
        let mut now = 0u64;
        let mut outstanding: Vec<Permit> = Vec::new();
        for event in events {
            let at = start + Duration::from_millis(now);
            match event {
                Event::Advance(ms) => now += ms,
                Event::Acquire => {
                    let permit = breaker.acquire(at);
                    prop_assert_eq!(permit, model.acquire(now));
                    if permit != Permit::Rejected {
                        outstanding.push(permit);
                    }
                }
                Event::Finish(index, succeeded) if !outstanding.is_empty() => {
                    let permit = outstanding.swap_remove(index % outstanding.len());
                    breaker.record(permit, succeeded, at);
                    model.record(permit, succeeded, now);
                }
                Event::Finish(..) => {}
            }
            prop_assert_eq!(breaker.state(), model.state);
        }
    }
}

#[test]
fn a_keyed_breaker_opens_fails_fast_and_closes_after_a_probe() {
    let key = "fault-circuit-test";
    configure_circuit(
        key,
        BreakerConfig::new(3, Duration::from_secs(60), Duration::from_millis(30)),
    )
    .unwrap();
    let transitions = Arc::new(Mutex::new(Vec::<CircuitTransition>::new()));
    let log = Arc::clone(&transitions);
    set_circuit_observer(move |transition| {
        if transition.key == key {
            log.lock().unwrap().push(transition.clone());
        }
    });
    for _ in 0..3 {
        let error = Task::<()>::new()
            .circuit(key)
            .try_spawn(|_| Err("backend down"))
            .join()
            .unwrap_err();
        assert!(matches!(error, TaskError::Failed { .. }));
    }
    assert_eq!(circuit_state(key), Some(CircuitState::Open));
    let ran = Arc::new(Mutex::new(false));
    let flag = Arc::clone(&ran);
    let error = Task::new()
        .circuit(key)
        .spawn(move |_| *flag.lock().unwrap() = true)
        .join()
        .unwrap_err();
    assert!(matches!(&error, TaskError::CircuitOpen { key: k, .. } if k == key));
    assert!(
        !*ran.lock().unwrap(),
        "an open breaker does not run the task"
    );
    let fallback = Task::new()
        .circuit(key)
        .fallback_value("cached")
        .spawn(|_| "live")
        .join();
    assert_eq!(
        fallback.unwrap(),
        "cached",
        "an open breaker runs the fallback"
    );
    std::thread::sleep(Duration::from_millis(40));
    assert_eq!(
        Task::new().circuit(key).spawn(|_| "live").join().unwrap(),
        "live"
    );
    assert_eq!(circuit_state(key), Some(CircuitState::Closed));
    let seen: Vec<(CircuitState, CircuitState)> = transitions
        .lock()
        .unwrap()
        .iter()
        .map(|t| (t.from, t.to))
        .collect();
    assert_eq!(
        seen,
        [
            (CircuitState::Closed, CircuitState::Open),
            (CircuitState::Open, CircuitState::HalfOpen),
            (CircuitState::HalfOpen, CircuitState::Closed),
        ]
    );
}

#[test]
fn invalid_breaker_settings_are_typed_errors() {
    let zero = BreakerConfig::new(0, Duration::from_secs(1), Duration::from_secs(1));
    assert_eq!(
        configure_circuit("fault-circuit-invalid", zero),
        Err(veda::ConfigError::ZeroFailureThreshold)
    );
    assert_eq!(circuit_state("fault-circuit-invalid"), None);
}
