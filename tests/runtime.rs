//! veda's own runtime API: `Config` validation and its errors, `init`/`init_with_config` once
//! the global pool runs, the thread-count environment variables, and idle CPU use.
//!
//! The init/shutdown cycles live in `runtime_cycles.rs`: they restart the global pool, which
//! would disturb the tests here.

mod common;

use common::TIMEOUT;
use std::sync::Mutex;
use veda::{Config, ConfigError, Error};

/// Serializes the tests that use the CPU in this process (pools, child processes) with the
/// idle-CPU measurement.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn fib(n: u32) -> u64 {
    if n < 2 {
        return u64::from(n);
    }
    let (a, b) = veda::join(|| fib(n - 1), || fib(n - 2));
    a + b
}

#[test]
fn config_defaults_leave_everything_automatic() {
    let config = Config::default();
    assert_eq!(config.num_threads(), None);
    assert_eq!(config.thread_name_prefix(), None);
    assert_eq!(config.stack_size(), None);
    let built = Config::builder().build().unwrap();
    assert_eq!(built.num_threads(), None);
    assert_eq!(built.thread_name_prefix(), None);
    assert_eq!(built.stack_size(), None);
    assert_eq!(Config::MIN_STACK_SIZE, 64 * 1024);
    assert!(!format!("{config:?}").is_empty());
    assert!(!format!("{:?}", veda::ConfigBuilder::default()).is_empty());
}

#[test]
fn config_builder_keeps_valid_values() {
    let config = Config::builder()
        .num_threads(3)
        .thread_name("worker")
        .stack_size(Config::MIN_STACK_SIZE)
        .build()
        .unwrap();
    assert_eq!(config.num_threads(), Some(3));
    assert_eq!(config.thread_name_prefix(), Some("worker"));
    assert_eq!(config.stack_size(), Some(Config::MIN_STACK_SIZE));
    let copy = config.clone();
    assert_eq!(copy.num_threads(), Some(3));
    assert_eq!(copy.thread_name_prefix(), Some("worker"));

    let automatic = Config::builder().num_threads(0).build().unwrap();
    assert_eq!(automatic.num_threads(), None, "0 means automatic");

    let largest = Config::builder()
        .num_threads(veda::max_num_threads())
        .build()
        .unwrap();
    assert_eq!(largest.num_threads(), Some(veda::max_num_threads()));

    let named = Config::builder()
        .thread_name(String::from("owned"))
        .build()
        .unwrap();
    assert_eq!(named.thread_name_prefix(), Some("owned"));
}

#[test]
fn stack_size_below_the_minimum_is_rejected() {
    let requested = Config::MIN_STACK_SIZE - 1;
    let error = Config::builder().stack_size(requested).build().unwrap_err();
    assert_eq!(
        error,
        ConfigError::StackSizeTooSmall {
            requested,
            minimum: Config::MIN_STACK_SIZE
        }
    );
    let message = error.to_string();
    assert!(message.contains(&requested.to_string()), "{message}");
    assert!(
        message.contains(&Config::MIN_STACK_SIZE.to_string()),
        "{message}"
    );
    assert!(
        message.contains("stack_size"),
        "should name the setting: {message}"
    );

    let zero = Config::builder().stack_size(0).build().unwrap_err();
    assert!(matches!(
        zero,
        ConfigError::StackSizeTooSmall { requested: 0, .. }
    ));
}

#[test]
fn too_many_threads_are_rejected() {
    let maximum = veda::max_num_threads();
    let error = Config::builder()
        .num_threads(maximum + 1)
        .build()
        .unwrap_err();
    assert_eq!(
        error,
        ConfigError::TooManyThreads {
            requested: maximum + 1,
            maximum
        }
    );
    let message = error.to_string();
    assert!(message.contains(&(maximum + 1).to_string()), "{message}");
    assert!(message.contains(&maximum.to_string()), "{message}");
    assert!(
        message.contains("num_threads"),
        "should name the setting: {message}"
    );
}

#[test]
fn thread_name_with_a_nul_byte_is_rejected() {
    let error = Config::builder()
        .thread_name("bad\0name")
        .build()
        .unwrap_err();
    assert_eq!(
        error,
        ConfigError::InvalidThreadName {
            name: "bad\0name".to_owned()
        }
    );
    let message = error.to_string().to_lowercase();
    assert!(
        message.contains("nul"),
        "should say what is wrong: {message}"
    );
}

#[test]
fn config_errors_convert_into_runtime_errors() {
    let config_error = Config::builder().stack_size(1).build().unwrap_err();
    let config_message = config_error.to_string();
    let error = Error::from(config_error.clone());
    assert!(matches!(&error, Error::Config(inner) if *inner == config_error));
    assert!(
        error.to_string().contains(&config_message),
        "{error} should include {config_message}"
    );
    // Usable as a boxed standard error.
    let boxed: Box<dyn std::error::Error + Send + Sync> = Box::new(error);
    assert!(!boxed.to_string().is_empty());
}

#[test]
fn init_after_the_global_pool_started_is_already_initialized() {
    let _serial = serial();
    // Any parallel call starts the global pool.
    assert_eq!(veda::join(|| 1, || 2), (1, 2));
    let config = Config::builder().num_threads(2).build().unwrap();
    let error = veda::init_with_config(config).unwrap_err();
    assert!(matches!(error, Error::AlreadyInitialized), "{error:?}");
    assert!(
        error.to_string().contains("shutdown"),
        "should say how to replace the pool: {error}"
    );
    assert!(matches!(veda::init(), Err(Error::AlreadyInitialized)));
    // The running pool is unaffected.
    assert_eq!(veda::join(|| 3, || 4), (3, 4));
}

/// Checks the thread counts that the environment set up by `thread_count_env_vars` asks for.
#[test]
#[ignore = "run as a child process by thread_count_env_vars"]
fn child_thread_count_from_env() {
    if !common::is_child() {
        return;
    }
    let expected: usize = std::env::var("VEDA_TEST_EXPECT_THREADS")
        .unwrap()
        .parse()
        .unwrap();
    veda::init().expect("init with valid environment variables");
    assert_eq!(
        veda::current_num_threads(),
        expected,
        "global pool via init()"
    );
    assert_eq!(veda::broadcast(|_| ()).len(), expected);
    let pool = veda::ThreadPoolBuilder::new().build().unwrap();
    assert_eq!(
        pool.current_num_threads(),
        expected,
        "ThreadPoolBuilder::new()"
    );
    let explicit = veda::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    assert_eq!(
        explicit.current_num_threads(),
        2,
        "an explicit count beats the environment"
    );
}

#[test]
fn thread_count_env_vars() {
    let _serial = serial();
    let cases: [(&[(&str, &str)], &str); 3] = [
        (
            &[("VEDA_NUM_THREADS", "3"), ("RAYON_NUM_THREADS", "5")],
            "3",
        ),
        (&[("RAYON_NUM_THREADS", "5")], "5"),
        (&[("VEDA_NUM_THREADS", "3")], "3"),
    ];
    for (env, expected) in cases {
        let mut env = env.to_vec();
        env.push(("VEDA_TEST_EXPECT_THREADS", expected));
        let output = common::run_child("child_thread_count_from_env", &env);
        assert!(
            output.status.success(),
            "environment {env:?}:\n{}",
            common::describe(&output)
        );
        common::assert_child_passed(&output);
    }
}

/// Checks that `init` reports the malformed variable named by `VEDA_TEST_EXPECT_VAR`.
#[test]
#[ignore = "run as a child process by invalid_env_var_is_reported_by_init"]
fn child_invalid_env_var() {
    if !common::is_child() {
        return;
    }
    let name = std::env::var("VEDA_TEST_EXPECT_VAR").unwrap();
    let value = std::env::var(&name).unwrap();
    let error = veda::init().expect_err("init must reject a malformed thread count");
    match &error {
        Error::Config(ConfigError::InvalidEnvVar {
            name: reported_name,
            value: reported_value,
        }) => {
            assert_eq!(*reported_name, name);
            assert_eq!(*reported_value, value);
        }
        other => panic!("unexpected error {other:?}"),
    }
    let message = error.to_string();
    assert!(message.contains(&name), "{message}");
    assert!(message.contains(&value), "{message}");

    let default = veda::init_with_config(Config::default()).unwrap_err();
    assert!(matches!(
        default,
        Error::Config(ConfigError::InvalidEnvVar { .. })
    ));

    // A failed init leaves no global pool behind: an explicit configuration still starts one.
    let explicit = Config::builder().num_threads(2).build().unwrap();
    veda::init_with_config(explicit).expect("init with an explicit thread count");
    assert_eq!(veda::current_num_threads(), 2);
}

#[test]
fn invalid_env_var_is_reported_by_init() {
    let _serial = serial();
    let cases: [&[(&str, &str)]; 2] = [
        &[
            ("VEDA_NUM_THREADS", "many"),
            ("VEDA_TEST_EXPECT_VAR", "VEDA_NUM_THREADS"),
        ],
        &[
            ("RAYON_NUM_THREADS", "-2"),
            ("VEDA_TEST_EXPECT_VAR", "RAYON_NUM_THREADS"),
        ],
    ];
    for env in cases {
        let output = common::run_child("child_invalid_env_var", env);
        assert!(
            output.status.success(),
            "environment {env:?}:\n{}",
            common::describe(&output)
        );
        common::assert_child_passed(&output);
    }
}

/// CPU time (user + system) this process has used, in clock ticks (100 per second).
#[cfg(target_os = "linux")]
fn process_cpu_ticks() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap();
    // Fields after the parenthesized command name start with field 3 (state); utime and
    // stime are fields 14 and 15.
    let after_name = &stat[stat.rfind(')').unwrap() + 2..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    let utime: u64 = fields[11].parse().unwrap();
    let stime: u64 = fields[12].parse().unwrap();
    utime + stime
}

#[test]
#[cfg(target_os = "linux")]
fn idle_pool_does_not_burn_cpu() {
    let _serial = serial();
    let pool = common::pool(2);
    assert_eq!(pool.install(|| fib(18)), 2584);
    assert_eq!(pool.broadcast(|ctx| ctx.index()), vec![0, 1]);
    let (tx, rx) = std::sync::mpsc::channel();
    pool.spawn(move || tx.send(()).unwrap());
    rx.recv_timeout(TIMEOUT).unwrap();

    let before = process_cpu_ticks();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let used = process_cpu_ticks() - before;
    assert!(
        used < 10,
        "the process used {used} ticks (1/100 s) of CPU during 0.5 s with an idle pool"
    );
    // The pool still works after idling.
    assert_eq!(pool.install(|| fib(10)), 55);
}
