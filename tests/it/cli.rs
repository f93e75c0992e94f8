//! The `reprise` command line, run as the real binary against a journal in a temporary folder.

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use tempfile::TempDir;

/// A journal in its own folder, and a way to run `reprise` against it.
struct Cli {
    dir: TempDir,
}

impl Cli {
    fn new() -> Cli {
        Cli {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    fn journal(&self) -> PathBuf {
        self.dir.path().join("journal.reprise")
    }

    /// A command with nothing inherited that could change what it does.
    fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_reprise"));
        c.env_remove("REPRISE_JOURNAL")
            .env_remove("EDITOR")
            .env_remove("VISUAL")
            .env("RUST_BACKTRACE", "1")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command()
            .arg("--journal")
            .arg(self.journal())
            .args(args)
            .output()
            .unwrap()
    }

    fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .command()
            .arg("--journal")
            .arg(self.journal())
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    }

    /// Runs a command that must succeed and returns its standard output.
    fn ok(&self, args: &[&str]) -> String {
        succeeded(&self.run(args), args)
    }

    /// Runs a command with `--json` and parses what it printed.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.ok(&all);
        serde_json::from_str(&out)
            .unwrap_or_else(|e| panic!("{args:?} printed invalid JSON ({e}):\n{out}"))
    }

    /// Runs a command that must fail and returns its one line of standard error.
    fn fails(&self, args: &[&str]) -> String {
        failed(&self.run(args), args)
    }

    /// Writes an entry and returns its id.
    fn entry(&self, title: &str, body: &str, extra: &[&str]) -> String {
        let mut args = vec!["new", "--title", title, "--body", body];
        args.extend_from_slice(extra);
        self.ok(&args).trim().to_owned()
    }
}

fn succeeded(out: &Output, args: &[&str]) -> String {
    assert!(
        out.status.success(),
        "{args:?} failed ({}):\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

/// Checks the promise every failure keeps: a non-zero status and exactly one line on standard
/// error, starting `reprise:`, with no panic or backtrace.
fn failed(out: &Output, args: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        !out.status.success(),
        "{args:?} succeeded:\n{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert!(
        matches!(out.status.code(), Some(1 | 2)),
        "{args:?} exited with {}",
        out.status
    );
    assert_eq!(
        stderr.lines().count(),
        1,
        "{args:?} printed more than one line:\n{stderr}"
    );
    assert!(
        stderr.starts_with("reprise: "),
        "{args:?} printed {stderr:?}"
    );
    for word in ["panicked", "backtrace", "RUST_BACKTRACE"] {
        assert!(!stderr.contains(word), "{args:?} printed {stderr:?}");
    }
    stderr
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn an_entry_written_with_body_is_listed_shown_and_found() {
    let cli = Cli::new();
    let id = cli.entry(
        "Hello song at the children's centre",
        "## What?\n\nThe toddlers joined the **call-and-response** straight away.\n",
        &["--tag", "early-years,singing", "--date", "2026-03-02"],
    );
    assert_eq!(id.len(), 36, "new prints the full id, got {id:?}");

    let list = cli.ok(&["list"]);
    assert!(
        list.contains("Hello song at the children's centre"),
        "{list}"
    );
    assert!(
        list.contains("2026-03-02") && list.contains("#early-years #singing"),
        "{list}"
    );
    assert!(
        list.starts_with(&id[..13]),
        "the short id leads the line: {list}"
    );

    let show = cli.ok(&["show", &id[..13]]);
    assert!(
        show.starts_with("Hello song at the children's centre\n"),
        "{show}"
    );
    assert!(
        show.contains("The toddlers joined the **call-and-response**"),
        "{show}"
    );
    let html = cli.ok(&["show", &id, "--html"]);
    assert!(
        html.contains("<strong>call-and-response</strong>"),
        "{html}"
    );

    let found = cli.ok(&["search", "toddlers"]);
    assert!(
        found.contains("Hello song at the children's centre"),
        "{found}"
    );
    assert!(
        found.contains("**toddlers**"),
        "the snippet marks the match: {found}"
    );
}

#[test]
fn an_entry_can_be_piped_in_on_standard_input() {
    let cli = Cli::new();
    let out = cli.run_with_input(
        &["new", "--kind", "quick-note"],
        "Drum circle went quiet\n\nNobody wanted to stop.\n",
    );
    let id = succeeded(&out, &["new"]).trim().to_owned();
    let entry = cli.json(&["show", &id]);
    assert_eq!(entry["title"], "Drum circle went quiet");
    assert_eq!(entry["kind"], "quick_note");
    assert!(entry["body"]
        .as_str()
        .unwrap()
        .contains("Nobody wanted to stop."));
}

#[test]
fn nothing_is_written_from_empty_input() {
    let cli = Cli::new();
    let err = failed(&cli.run_with_input(&["new"], "  \n"), &["new"]);
    assert!(err.contains("nothing written"), "{err}");
    assert_eq!(cli.ok(&["list", "--count"]).trim(), "0");
}

#[test]
fn list_counts_and_filters_narrow_the_entries() {
    let cli = Cli::new();
    cli.entry("One", "body", &["--tag", "send", "--date", "2025-01-10"]);
    cli.entry(
        "Two",
        "body",
        &[
            "--tag",
            "send",
            "--tag",
            "ks3",
            "--date",
            "2025-06-01",
            "--kind",
            "quick-note",
        ],
    );
    cli.entry(
        "Three",
        "body",
        &[
            "--date",
            "2026-02-01",
            "--setting",
            "Nursery",
            "--duration",
            "30",
        ],
    );
    assert_eq!(cli.ok(&["list", "--count"]).trim(), "3");
    assert_eq!(cli.ok(&["list", "--count", "--tag", "send"]).trim(), "2");
    assert_eq!(
        cli.ok(&["list", "--count", "--tag", "send", "--tag", "ks3"])
            .trim(),
        "1"
    );
    assert_eq!(
        cli.ok(&["list", "--count", "--kind", "quick-note"]).trim(),
        "1"
    );
    assert_eq!(
        cli.ok(&["list", "--count", "--kind", "session-record"])
            .trim(),
        "1"
    );
    assert_eq!(
        cli.ok(&[
            "list",
            "--count",
            "--since",
            "2025-02-01",
            "--until",
            "2025-12-31"
        ])
        .trim(),
        "1"
    );
    assert_eq!(
        cli.json(&["list", "--count", "--tag", "send"]),
        serde_json::json!({ "count": 2 })
    );
    let titles: Vec<String> = cli
        .ok(&["list", "--limit", "2"])
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(titles.len(), 2);
    assert!(
        titles[0].contains("Three") && titles[1].contains("Two"),
        "newest first: {titles:?}"
    );
}

#[test]
fn json_output_parses_and_has_the_model_fields() {
    let cli = Cli::new();
    let created = cli.json(&[
        "new",
        "--title",
        "Looping with Year 8",
        "--body",
        "We built a loop.",
        "--template",
        "rolfe",
    ]);
    for field in [
        "id",
        "kind",
        "title",
        "body",
        "occurred_on",
        "template_id",
        "tags",
        "created_at",
        "updated_at",
    ] {
        assert!(
            created.get(field).is_some(),
            "new --json lacks {field}: {created}"
        );
    }
    let list = cli.json(&["list"]);
    assert_eq!(list[0]["title"], "Looping with Year 8");
    assert_eq!(list[0]["template_name"], "Rolfe's What? So what? Now what?");
    let found = cli.json(&["search", "loop"]);
    assert_eq!(found["entries"][0]["entry"]["id"], created["id"]);
    assert!(found["entries"][0]["snippet_text"]
        .as_str()
        .unwrap()
        .contains("**loop**"));
    assert!(found["cpd"].is_array());
    assert!(cli.json(&["tags"]).is_array());
    assert!(cli.json(&["stats"])["entries"] == 1);
}

#[test]
fn an_entry_can_be_edited() {
    let cli = Cli::new();
    let id = cli.entry("Before", "old body", &["--tag", "a"]);
    cli.ok(&[
        "edit",
        &id,
        "--title",
        "After",
        "--tag",
        "b,c",
        "--date",
        "2025-05-05",
    ]);
    let e = cli.json(&["show", &id]);
    assert_eq!(e["title"], "After");
    assert_eq!(e["tags"], serde_json::json!(["b", "c"]));
    assert_eq!(e["occurred_on"], "2025-05-05");
    assert_eq!(e["body"], "old body", "a metadata edit keeps the body");
    cli.ok(&["edit", &id, "--body", "new body"]);
    assert_eq!(cli.json(&["show", &id])["body"], "new body");
}

#[test]
fn a_deleted_entry_goes_to_the_trash_and_can_be_restored() {
    let cli = Cli::new();
    let id = cli.entry("Keep me", "body", &[]);
    let err = cli.fails(&["delete", &id, "--permanently"]);
    assert!(
        err.contains("trash"),
        "only trashed entries are erased: {err}"
    );
    cli.ok(&["delete", &id]);
    assert_eq!(cli.ok(&["list", "--count"]).trim(), "0");
    assert_eq!(ids(&cli.json(&["list", "--trash"])), vec![id.clone()]);
    cli.ok(&["restore", &id]);
    assert_eq!(ids(&cli.json(&["list"])), vec![id.clone()]);
    cli.ok(&["delete", &id]);
    cli.ok(&["delete", &id, "--permanently"]);
    assert_eq!(cli.ok(&["list", "--count", "--trash"]).trim(), "0");
    cli.fails(&["show", &id]);
}

#[test]
fn templates_lists_the_nine_built_ins() {
    let cli = Cli::new();
    let list = cli.ok(&["templates"]);
    for key in [
        "gibbs",
        "rolfe",
        "driscoll",
        "kolb",
        "johns",
        "brookfield",
        "schon",
        "music-session",
        "peer-observation",
    ] {
        assert!(
            list.lines().any(|l| l.starts_with(key)),
            "{key} missing from:\n{list}"
        );
    }
    assert_eq!(
        cli.json(&["templates", "list"]).as_array().unwrap().len(),
        9
    );
    let gibbs = cli.ok(&["templates", "show", "gibbs"]);
    assert!(
        gibbs.contains("## Feelings") && gibbs.contains("## Action plan"),
        "{gibbs}"
    );
    let copy = cli.json(&["templates", "copy", "gibbs", "--name", "My Gibbs"]);
    assert_eq!(copy["builtin"], false);
    assert_eq!(cli.json(&["templates"]).as_array().unwrap().len(), 10);
}

#[test]
fn cpd_summary_totals_the_hours_added() {
    let cli = Cli::new();
    cli.ok(&[
        "cpd",
        "add",
        "--title",
        "Safeguarding refresher",
        "--type",
        "training-day",
        "--date",
        "2025-03-04",
        "--hours",
        "6",
        "--participatory-hours",
        "5",
        "--provider",
        "Local authority",
        "--tag",
        "safeguarding-aware",
    ]);
    cli.ok(&[
        "cpd",
        "add",
        "--title",
        "Attachment webinar",
        "--type",
        "webinar",
        "--date",
        "2025-04-01",
        "--hours",
        "1.5",
        "--standard",
        "Inclusive practice",
    ]);
    cli.ok(&[
        "cpd",
        "add",
        "--title",
        "Last year's course",
        "--type",
        "course",
        "--date",
        "2024-11-01",
        "--hours",
        "10",
    ]);
    let s = cli.json(&["cpd", "summary", "--year", "2025"]);
    assert_eq!(s["hours"], 7.5);
    assert_eq!(s["participatory_hours"], 5.0);
    assert_eq!(s["activities"], 2);
    assert_eq!(s["by_type"].as_array().unwrap().len(), 2);
    let text = cli.ok(&[
        "cpd",
        "summary",
        "--since",
        "2024-01-01",
        "--until",
        "2025-12-31",
    ]);
    assert!(
        text.lines()
            .any(|l| l.starts_with("Total") && l.contains("17.5")),
        "{text}"
    );
    assert_eq!(
        cli.json(&["cpd", "list", "--since", "2025-01-01"])
            .as_array()
            .unwrap()
            .len(),
        2
    );
    cli.fails(&[
        "cpd",
        "add",
        "--title",
        "Too much",
        "--type",
        "reading",
        "--hours",
        "2",
        "--participatory-hours",
        "3",
    ]);
}

#[test]
fn a_mentoring_pair_records_sessions_and_actions() {
    let cli = Cli::new();
    cli.ok(&["people", "me", "Alex Morgan", "--role", "music leader"]);
    cli.ok(&[
        "people",
        "add",
        "Priya Natarajan",
        "--role",
        "music therapist",
    ]);
    let rel = cli.json(&[
        "mentoring",
        "add",
        "--kind",
        "mentoring-pair",
        "--name",
        "Mentoring with Priya",
        "--member",
        "Priya Natarajan:mentor",
        "--member",
        "me:mentee",
    ]);
    assert_eq!(rel["members"].as_array().unwrap().len(), 2);
    let listed = cli.ok(&["mentoring"]);
    assert!(
        listed.contains("Priya Natarajan (mentor)") && listed.contains("Alex Morgan (mentee)"),
        "{listed}"
    );

    let session = cli.json(&[
        "mentoring",
        "session-add",
        "--relationship",
        "Mentoring with Priya",
        "--date",
        "2025-09-01",
        "--duration",
        "60",
        "--notes",
        "Talked about transitions.",
    ]);
    assert_eq!(
        session["attendees"].as_array().unwrap().len(),
        2,
        "every member attends by default"
    );
    let session_id = session["id"].as_str().unwrap();
    assert_eq!(
        cli.json(&[
            "mentoring",
            "sessions",
            "--relationship",
            rel["id"].as_str().unwrap()
        ])
        .as_array()
        .unwrap()
        .len(),
        1
    );

    let action = cli.json(&[
        "mentoring",
        "action-add",
        "--title",
        "Try a visual timetable",
        "--due",
        "2025-10-01",
        "--owner",
        "me",
        "--session",
        session_id,
    ]);
    assert_eq!(action["source"], "mentoring_session");
    assert_eq!(action["status"], "open");
    cli.ok(&[
        "mentoring",
        "action-done",
        &action["id"].as_str().unwrap()[..13],
    ]);
    assert_eq!(cli.json(&["mentoring", "actions"])[0]["status"], "done");

    let err = cli.fails(&[
        "mentoring",
        "add",
        "--kind",
        "peer-pair",
        "--name",
        "x",
        "--member",
        "Nobody:peer",
    ]);
    assert!(err.contains("Nobody"), "{err}");
}

#[test]
fn a_demo_journal_has_stats_listings_search_and_passes_check() {
    let cli = Cli::new();
    let made = cli.json(&["demo", "--entries", "40", "--seed", "5", "--words", "80"]);
    assert_eq!(made["entries"], 40);
    assert_eq!(made["cpd_activities"], 25);
    let stats = cli.json(&["stats"]);
    assert_eq!(stats["entries"], 40);
    assert_eq!(stats["relationships"], 3);
    assert!(
        stats["first_day"].is_string() && stats["last_day"].is_string(),
        "{stats}"
    );
    assert!(cli.ok(&["stats"]).contains("Entries         40"));
    assert_eq!(
        cli.json(&["list", "--limit", "100"])
            .as_array()
            .unwrap()
            .len(),
        40
    );
    assert!(
        cli.json(&["search", "session", "--count"])["count"]
            .as_u64()
            .unwrap()
            > 0
    );
    assert!(
        cli.json(&["cpd", "summary"])["activities"]
            .as_u64()
            .unwrap()
            >= 3,
        "this year's CPD is never empty"
    );
    assert!(
        cli.json(&["mentoring", "sessions"])
            .as_array()
            .unwrap()
            .len()
            == 12
    );
    let check = cli.ok(&["check"]);
    assert!(
        check.contains("integrity: ok") && check.contains("search index: ok"),
        "{check}"
    );

    let err = cli.fails(&["demo", "--entries", "5"]);
    assert!(err.contains("already has 40 entries"), "{err}");
    cli.ok(&["demo", "--entries", "5", "--force"]);
    assert_eq!(cli.ok(&["list", "--count"]).trim(), "45");
}

#[test]
fn exporting_json_then_importing_it_into_a_fresh_journal_gives_the_same_listing() {
    let from = Cli::new();
    from.ok(&["demo", "--entries", "40", "--words", "60"]);
    from.ok(&["delete", &ids(&from.json(&["list", "--limit", "1"]))[0]]);
    let file = from.dir.path().join("export.json");
    let exported = from.json(&[
        "export",
        "--format",
        "json",
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(exported["entries"], 40);

    let to = Cli::new();
    let report = to.ok(&["import", "--format", "reprise-json", file.to_str().unwrap()]);
    assert_eq!(report.lines().count(), 1, "{report}");
    for args in [
        &["list", "--limit", "100"][..],
        &["list", "--trash"],
        &["cpd", "list"],
        &["mentoring"],
        &["people"],
    ] {
        assert_eq!(
            to.json(args),
            from.json(args),
            "{args:?} differs after the round trip"
        );
    }
}

#[test]
fn markdown_export_writes_a_folder() {
    let cli = Cli::new();
    cli.entry("A reflection", "Some text", &[]);
    let dir = cli.dir.path().join("md");
    cli.ok(&[
        "export",
        "--format",
        "markdown",
        "--output",
        dir.to_str().unwrap(),
    ]);
    assert!(std::fs::read_dir(&dir).unwrap().count() > 0);
}

#[test]
fn bad_arguments_fail_with_one_line_and_no_panic() {
    let cli = Cli::new();
    cli.entry("Something", "to find", &[]);
    let bad_json = cli.dir.path().join("bad.json");
    std::fs::write(&bad_json, "{ \"format\": ").unwrap();
    let missing = cli.dir.path().join("missing.json");
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["new", "--body", "x", "--date", "2026-13-01"],
            "2026-13-01",
        ),
        (vec!["list", "--since", "last tuesday"], "last tuesday"),
        (vec!["list", "--kind", "diary"], "diary"),
        (
            vec!["new", "--body", "x", "--template", "no-such-template"],
            "no-such-template",
        ),
        (vec!["show", "ffffffff"], "ffffffff"),
        (vec!["show", "not-an-id"], "not-an-id"),
        (vec!["search", "\"unclosed"], "never closed"),
        (vec!["search", "OR"], "search query"),
        (vec!["import", missing.to_str().unwrap()], "missing.json"),
        (vec!["import", bad_json.to_str().unwrap()], "bad.json"),
        (
            vec![
                "cpd", "add", "--title", "x", "--type", "nap", "--hours", "1",
            ],
            "nap",
        ),
        (vec!["mentoring", "action-done", "0000"], "0000"),
        (vec!["no-such-command"], "no-such-command"),
        (vec![], "subcommand"),
    ];
    for (args, needle) in cases {
        let err = cli.fails(&args);
        assert!(err.contains(needle), "{args:?} said {err:?}");
    }
}

#[test]
fn usage_errors_exit_with_status_two_and_others_with_one() {
    let cli = Cli::new();
    assert_eq!(cli.run(&["list", "--kind", "diary"]).status.code(), Some(2));
    assert_eq!(cli.run(&["show", "ffffffff"]).status.code(), Some(1));
}

#[test]
fn the_reprise_journal_variable_is_honoured() {
    let cli = Cli::new();
    let path = cli.dir.path().join("from-env.reprise");
    let run = |args: &[&str]| {
        cli.command()
            .env("REPRISE_JOURNAL", &path)
            .args(args)
            .output()
            .unwrap()
    };
    succeeded(
        &run(&["new", "--title", "Via the environment", "--body", "x"]),
        &["new"],
    );
    assert!(path.exists());
    let listed = succeeded(&run(&["list"]), &["list"]);
    assert!(listed.contains("Via the environment"), "{listed}");
    assert!(
        !cli.journal().exists(),
        "nothing went to the test's --journal path"
    );
    let both = cli
        .command()
        .env("REPRISE_JOURNAL", &path)
        .arg("--journal")
        .arg(cli.journal())
        .args(["list", "--count"])
        .output()
        .unwrap();
    assert_eq!(
        succeeded(&both, &["list"]).trim(),
        "0",
        "--journal wins over the variable"
    );
}

#[test]
fn help_goes_to_standard_output_and_succeeds() {
    let cli = Cli::new();
    let help = cli.ok(&["--help"]);
    for command in [
        "new",
        "list",
        "search",
        "cpd",
        "mentoring",
        "export",
        "import",
        "demo",
        "check",
        "stats",
    ] {
        assert!(help.contains(command), "{command} missing from help");
    }
    assert!(
        !Path::new(&cli.journal()).exists(),
        "help does not create a journal"
    );
}

#[test]
fn a_jrnl_export_can_be_imported() {
    let cli = Cli::new();
    let file = cli.dir.path().join("jrnl.json");
    std::fs::write(
        &file,
        r#"{"tags": {"@ks3": 1}, "entries": [
            {"title": "Ukulele chords with Year 8.", "body": "Half the class had C and G by the end.",
             "date": "2025-02-03", "time": "15:20", "tags": ["@ks3"], "starred": true}
        ]}"#,
    )
    .unwrap();
    let line = cli.ok(&["import", "--format", "jrnl-json", file.to_str().unwrap()]);
    assert_eq!(line.lines().count(), 1, "{line}");
    let list = cli.json(&["list"]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["tags"], serde_json::json!(["ks3"]));
    assert_eq!(list[0]["occurred_on"], "2025-02-03");
    cli.ok(&["import", "--format", "jrnl-json", file.to_str().unwrap()]);
    assert_eq!(
        cli.ok(&["list", "--count"]).trim(),
        "1",
        "importing again adds nothing"
    );
}
