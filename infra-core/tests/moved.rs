//! `Stack::moved_from`: a renamed resource keeps its state (a `moved` block), and the moves
//! Terraform would refuse are reported at synth, not at `terraform plan`.

use infra_core::aws::sqs;
use infra_core::{Stack, StackProblem, SynthError, UsEast1};
use serde_json::json;

fn problems(stack: &Stack) -> Vec<StackProblem> {
    match stack.synth() {
        Err(SynthError::Invalid(problems)) => problems,
        other => panic!("expected problems, got {other:?}"),
    }
}

#[test]
fn a_move_is_written_and_passes_the_schema_validator() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let jobs = east.scope("worker").add("jobs", sqs::Queue::default());
    let dead = east.scope("worker").add("dead", sqs::Queue::default());
    stack.moved_from("primary_jobs", &jobs);
    stack.moved_from("primary_dead_letters", &dead);
    let doc = stack.synth().unwrap();
    // Sorted by old address, whatever the order of the calls.
    assert_eq!(
        doc.value()["moved"],
        json!([
            {"from": "aws_sqs_queue.primary_dead_letters", "to": "aws_sqs_queue.primary_worker_dead"},
            {"from": "aws_sqs_queue.primary_jobs", "to": "aws_sqs_queue.primary_worker_jobs"},
        ])
    );
    infra_core::testing::assert_valid(&doc);
}

#[test]
fn moving_from_a_name_still_in_use_is_refused() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    east.add("jobs", sqs::Queue::default());
    let new = east.add("jobs_v2", sqs::Queue::default());
    stack.moved_from("primary_jobs", &new);
    let [StackProblem::Moved { from, to, why }] = &problems(&stack)[..] else {
        panic!("{:?}", problems(&stack))
    };
    assert_eq!(
        (from.as_str(), to.as_str()),
        (
            "aws_sqs_queue.primary_jobs",
            "aws_sqs_queue.primary_jobs_v2"
        )
    );
    assert!(why.contains("still a resource"), "{why}");
}

#[test]
fn moving_one_name_twice_or_to_nothing_is_refused() {
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let a = east.add("a", sqs::Queue::default());
    let b = east.add("b", sqs::Queue::default());
    stack.moved_from("old", &a);
    stack.moved_from("old", &b);
    let other = Stack::new();
    let stray = other
        .aws::<UsEast1>("primary")
        .add("stray", sqs::Queue::default());
    stack.moved_from("older", &stray);
    let whys: Vec<&'static str> = problems(&stack)
        .into_iter()
        .map(|p| match p {
            StackProblem::Moved { why, .. } => why,
            other => panic!("{other}"),
        })
        .collect();
    assert_eq!(
        whys,
        [
            "the old address is moved twice",
            "the new address is not a resource of this stack"
        ]
    );
}

/// Terraform reads both files as one module; checkov's `terraform_json` parser cannot read a
/// `moved` block, so `main.tf.json` holds none.
#[test]
fn the_moves_are_written_beside_main_tf_json_and_removed_when_gone() {
    let dir = std::env::temp_dir().join(format!("infra-moved-{}", std::process::id()));
    let stack = Stack::new();
    let jobs = stack
        .aws::<UsEast1>("primary")
        .scope("worker")
        .add("jobs", sqs::Queue::default());
    stack.moved_from("primary_jobs", &jobs);
    stack.write(&dir).unwrap();
    let read = |file: &str| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(dir.join(file)).unwrap()).unwrap()
    };
    assert!(read("main.tf.json").get("moved").is_none());
    assert_eq!(
        read("moved.tf.json"),
        json!({"moved": [{"from": "aws_sqs_queue.primary_jobs", "to": "aws_sqs_queue.primary_worker_jobs"}]})
    );
    // The next version of the stack has no moves left: the file goes.
    let later = Stack::new();
    later
        .aws::<UsEast1>("primary")
        .scope("worker")
        .add("jobs", sqs::Queue::default());
    later.write(&dir).unwrap();
    assert!(!dir.join("moved.tf.json").exists());
    assert!(dir.join("main.tf.json").exists());
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_write_that_fails_on_main_tf_json_keeps_the_old_moves() {
    let dir = std::env::temp_dir().join(format!("infra-moved-set-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let stack = Stack::new();
    let east = stack.aws::<UsEast1>("primary");
    let jobs = east.scope("worker").add("jobs", sqs::Queue::default());
    stack.moved_from("primary_jobs", &jobs);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("moved.tf.json"), "old moves\n").unwrap();
    // `main.tf.json` is a non-empty directory, so the last rename of the set fails.
    std::fs::create_dir_all(dir.join("main.tf.json").join("occupied")).unwrap();
    let err = stack.write(&dir).unwrap_err();
    assert!(matches!(err, SynthError::Write { .. }), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("moved.tf.json")).unwrap(),
        "old moves\n",
        "the new moves must not stand beside the old main file"
    );
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["main.tf.json", "moved.tf.json"]);
    std::fs::remove_dir_all(&dir).unwrap();
}
