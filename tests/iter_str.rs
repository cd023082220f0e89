//! Equivalence of `ParallelString`'s iterators with their sequential `str` twins, for every
//! kind of pattern, on strings mixing ASCII, multi-byte characters, separators and line
//! endings.

use proptest::prelude::*;
use veda::prelude::*;

fn pool(threads: usize) -> veda::ThreadPool {
    veda::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("failed to build a thread pool")
}

/// Strings long enough to be cut many times, with separators of every width.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a,é😀 \n\r\t\u{2003}]{0,40}",
        "[ab,é😀 \n\r\t\u{2003}]{0,3000}",
        "[ab]{0,2000}",
    ]
}

/// Rayon's lines: the pieces of `split_terminator('\n')`, each less one trailing `\r`.
/// This differs from `str::lines` only for a last line that ends in `\r` with no `\n`.
fn rayon_lines(text: &str) -> Vec<&str> {
    let lines = text.split_terminator('\n');
    lines
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect()
}

fn is_comma_or_emoji(c: char) -> bool {
    c == ',' || c == '😀'
}

/// Checks the five pattern-taking iterators for one pattern against std.
macro_rules! check_pattern {
    ($text:expr, $pattern:expr) => {{
        let text: &str = $text;
        assert_eq!(
            text.par_split($pattern).collect::<Vec<_>>(),
            text.split($pattern).collect::<Vec<_>>(),
            "split"
        );
        assert_eq!(
            text.par_split_inclusive($pattern).collect::<Vec<_>>(),
            text.split_inclusive($pattern).collect::<Vec<_>>(),
            "split_inclusive"
        );
        assert_eq!(
            text.par_split_terminator($pattern).collect::<Vec<_>>(),
            text.split_terminator($pattern).collect::<Vec<_>>(),
            "split_terminator"
        );
        assert_eq!(
            text.par_matches($pattern).collect::<Vec<_>>(),
            text.matches($pattern).collect::<Vec<_>>(),
            "matches"
        );
        assert_eq!(
            text.par_match_indices($pattern).collect::<Vec<_>>(),
            text.match_indices($pattern).collect::<Vec<_>>(),
            "match_indices"
        );
    }};
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn plain_iterators_match_std(text in text(), threads in 1usize..=4) {
        pool(threads).install(|| {
            let text = text.as_str();
            assert_eq!(text.par_chars().collect::<Vec<_>>(), text.chars().collect::<Vec<_>>());
            assert_eq!(
                text.par_char_indices().collect::<Vec<_>>(),
                text.char_indices().collect::<Vec<_>>()
            );
            assert_eq!(text.par_bytes().collect::<Vec<_>>(), text.bytes().collect::<Vec<_>>());
            assert_eq!(
                text.par_encode_utf16().collect::<Vec<_>>(),
                text.encode_utf16().collect::<Vec<_>>()
            );
            assert_eq!(text.par_lines().collect::<Vec<_>>(), rayon_lines(text));
            assert_eq!(
                text.par_split_whitespace().collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>()
            );
            assert_eq!(
                text.par_split_ascii_whitespace().collect::<Vec<_>>(),
                text.split_ascii_whitespace().collect::<Vec<_>>()
            );
            assert_eq!(text.par_chars().count(), text.chars().count());
        });
    }

    #[test]
    fn pattern_iterators_match_std(text in text(), threads in 1usize..=4) {
        pool(threads).install(|| {
            let chars = [',', '😀'];
            check_pattern!(&text, ',');
            check_pattern!(&text, 'é');
            check_pattern!(&text, '\n');
            check_pattern!(&text, &chars[..]);
            check_pattern!(&text, chars);
            check_pattern!(&text, &chars);
            check_pattern!(&text, is_comma_or_emoji);
            check_pattern!(&text, |c: char| c.is_whitespace());
            check_pattern!(&text, 'z');
        });
    }
}

#[test]
fn reachable_from_owned_and_borrowed_strings() {
    let owned = String::from("a b");
    let boxed: Box<str> = "a b".into();
    let cow: std::borrow::Cow<'_, str> = "a b".into();
    assert_eq!(owned.par_split(' ').count(), 2);
    assert_eq!(boxed.par_split(' ').count(), 2);
    assert_eq!(cow.par_split(' ').count(), 2);
    assert_eq!(owned.as_parallel_string(), "a b");
}

#[test]
fn iterators_are_clone_and_debug() {
    let text = "x,y";
    let split = text.par_split(',');
    assert_eq!(split.clone().count(), 2);
    assert!(format!("{split:?}").contains("Split"));
    assert!(format!("{:?}", text.par_chars()).contains("Chars"));
    assert!(format!("{:?}", text.par_lines().clone()).contains("Lines"));
}

#[test]
fn empty_and_edge_strings() {
    for text in ["", ",", ",,", "\n", "\r\n", "a\r", "😀", " ", "a,"] {
        check_pattern!(text, ',');
        assert_eq!(text.par_lines().collect::<Vec<_>>(), rayon_lines(text));
        assert_eq!(
            text.par_split_whitespace().collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
    }
}

/// Rayon's `par_lines` strips a `\r` that ends the last line even without a `\n` after it,
/// where `str::lines` keeps it; `\r` elsewhere stays.
#[test]
fn lines_strip_a_final_bare_carriage_return_as_rayon_does() {
    let cases: [(&str, &[&str]); 7] = [
        ("a\r", &["a"]),
        ("\r", &[""]),
        ("a\nb\r", &["a", "b"]),
        ("a\r\r", &["a\r"]),
        ("a\r\r\n", &["a\r"]),
        ("a\rb", &["a\rb"]),
        ("a\r\nb\r\n", &["a", "b"]),
    ];
    for (text, expected) in cases {
        assert_eq!(text.par_lines().collect::<Vec<_>>(), expected, "{text:?}");
    }
    // Long enough to be cut: only the very last line is affected.
    let long = "x\r\n".repeat(500) + "y\r";
    let lines: Vec<&str> = long.par_lines().collect();
    assert_eq!(lines.len(), 501);
    assert!(lines[..500].iter().all(|line| *line == "x"));
    assert_eq!(lines[500], "y");
}
