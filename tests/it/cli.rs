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

    /// Makes an empty journal, as the first write command would.
    fn create(&self) {
        drop(reprise::Store::open(self.journal()).unwrap());
    }

    /// Runs a command with extra environment variables.
    fn run_env(&self, args: &[&str], env: &[(&str, &Path)]) -> Output {
        let mut c = self.command();
        c.arg("--journal").arg(self.journal()).args(args);
        for (k, v) in env {
            c.env(k, v);
        }
        c.output().unwrap()
    }

    /// An executable shell script in the test's folder, to stand in for `$EDITOR`; it gets
    /// the draft's path as `$1`.
    #[cfg(unix)]
    fn editor(&self, name: &str, script: &str) -> PathBuf {
        use std::os::unix::fs::PermissionsExt;
        let path = self.dir.path().join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{script}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path
    }

    /// The drafts `reprise` left in `tmp`.
    fn drafts(tmp: &Path) -> Vec<PathBuf> {
        std::fs::read_dir(tmp)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("reprise-") && n.ends_with(".md"))
            })
            .collect()
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
    cli.create();
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

    // A relationship that cannot be made adds nobody on the way, even a new name.
    let people = cli.json(&["people"]).as_array().unwrap().len();
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
    assert!(err.contains("two peers"), "{err}");
    assert_eq!(cli.json(&["people"]).as_array().unwrap().len(), people);
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
        cli.json(&["search", "--count", "session"])["count"]
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
    cli.create();
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

/// The path `reprise` named after "your text is kept in" in an error line.
fn kept_path(err: &str) -> PathBuf {
    let (_, path) = err
        .split_once("your text is kept in ")
        .unwrap_or_else(|| panic!("no kept text named in {err:?}"));
    PathBuf::from(path.trim())
}

#[cfg(unix)]
#[test]
fn a_journal_held_alone_elsewhere_is_reported_before_the_editor_opens() {
    let cli = Cli::new();
    let id = cli.entry("Held", "body", &[]);
    let opened = cli.dir.path().join("editor-opened");
    let editor = cli.editor(
        "editor",
        &format!("touch '{}'; echo 'typed' > \"$1\"", opened.display()),
    );
    // The desktop app in the middle of an import holds the journal alone.
    let desktop = reprise::Store::open(cli.journal()).unwrap();
    desktop
        .alone(|| {
            for args in [&["new"][..], &["edit", &id]] {
                let err = failed(&cli.run_env(args, &[("EDITOR", &editor)]), args);
                assert!(err.contains("in use by another Reprise process"), "{err}");
                assert!(!opened.exists(), "{args:?} opened the editor first");
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_command_line_writes_while_the_desktop_app_has_the_journal_open() {
    let cli = Cli::new();
    let desktop = reprise::Store::open(cli.journal()).unwrap();
    let id = cli.entry("Logged from a script", "While the app was open.", &[]);
    cli.ok(&[
        "cpd",
        "add",
        "--title",
        "Makaton",
        "--type",
        "course",
        "--date",
        "2026-03-04",
        "--hours",
        "2",
    ]);
    let seen = desktop.get_entry(id.parse().unwrap()).unwrap();
    assert_eq!(seen.title, "Logged from a script");
    assert_eq!(desktop.list_cpd(None, None).unwrap().len(), 1);
    // And the other way round: what the app writes, the command line reads at once.
    desktop
        .create_entry(&reprise::model::EntryInput {
            title: "From the app".into(),
            ..Default::default()
        })
        .unwrap();
    assert!(cli.ok(&["list"]).contains("From the app"));
}

#[cfg(unix)]
#[test]
fn text_typed_in_the_editor_is_kept_when_it_cannot_be_saved() {
    let cli = Cli::new();
    let tmp = cli.dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    // More than the 2 MiB a body may hold: it fails validation only after the typing.
    let huge = cli.editor(
        "huge",
        "printf 'Too long\\n' > \"$1\"; head -c 3000000 /dev/zero | tr '\\0' 'a' >> \"$1\"",
    );
    let env = [("EDITOR", huge.as_path()), ("TMPDIR", tmp.as_path())];

    let err = failed(&cli.run_env(&["new"], &env), &["new"]);
    assert!(err.contains("body"), "{err}");
    let kept = kept_path(&err);
    assert!(kept.starts_with(&tmp), "{kept:?}");
    assert!(std::fs::read_to_string(&kept)
        .unwrap()
        .starts_with("Too long\naaa"));
    std::fs::remove_file(&kept).unwrap();
    assert_eq!(cli.ok(&["list", "--count"]).trim(), "0");

    let id = cli.entry("Short", "short body", &[]);
    let err = failed(&cli.run_env(&["edit", &id], &env), &["edit"]);
    let kept = kept_path(&err);
    assert!(std::fs::read_to_string(&kept)
        .unwrap()
        .starts_with("Too long\n"));
    std::fs::remove_file(&kept).unwrap();
    assert_eq!(cli.json(&["show", &id])["body"], "short body");

    // Saved text leaves no draft behind.
    let fine = cli.editor("fine", "printf 'Saved words\\n\\nMore.\\n' > \"$1\"");
    let env = [("EDITOR", fine.as_path()), ("TMPDIR", tmp.as_path())];
    let out = cli.run_env(&["new"], &env);
    let new_id = succeeded(&out, &["new"]).trim().to_owned();
    assert_eq!(cli.json(&["show", &new_id])["title"], "Saved words");
    succeeded(&cli.run_env(&["edit", &id], &env), &["edit"]);
    assert_eq!(cli.json(&["show", &id])["body"], "Saved words\n\nMore.\n");
    assert_eq!(Cli::drafts(&tmp), Vec::<PathBuf>::new());

    // A mistake in the flags is reported before the editor opens.
    let opened = cli.dir.path().join("opened");
    let watch = cli.editor("watch", &format!("touch '{}'", opened.display()));
    let long_title = "t".repeat(400);
    let err = failed(
        &cli.run_env(&["new", "--title", &long_title], &[("EDITOR", &watch)]),
        &["new"],
    );
    assert!(err.contains("title"), "{err}");
    assert!(!opened.exists());
}

#[cfg(unix)]
#[test]
fn an_edit_refuses_to_replace_a_change_made_while_editing() {
    let cli = Cli::new();
    let id = cli.entry("Original", "original body", &[]);
    let tmp = cli.dir.path().join("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let opened = cli.dir.path().join("opened");
    let go = cli.dir.path().join("go");
    let editor = cli.editor(
        "slow",
        &format!(
            "touch '{}'; while [ ! -e '{}' ]; do sleep 0.05; done; printf 'Rewritten\\n' > \"$1\"",
            opened.display(),
            go.display()
        ),
    );
    let child = cli
        .command()
        .arg("--journal")
        .arg(cli.journal())
        .args(["edit", &id])
        .env("EDITOR", &editor)
        .env("TMPDIR", &tmp)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !opened.exists() {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "the editor never opened"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    // A writer that does not take the journal's lock changes the entry meanwhile.
    {
        let conn = rusqlite::Connection::open(cli.journal()).unwrap();
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .unwrap();
        let n = conn
            .execute(
                "UPDATE entries SET title = 'Changed elsewhere', updated_at = '2099-01-01T00:00:00.000Z' WHERE id = ?1",
                [&id],
            )
            .unwrap();
        assert_eq!(n, 1);
    }
    std::fs::write(&go, "").unwrap();
    let out = child.wait_with_output().unwrap();
    let err = failed(&out, &["edit"]);
    assert!(err.contains("changed elsewhere"), "{err}");
    let kept = kept_path(&err);
    assert_eq!(std::fs::read_to_string(&kept).unwrap(), "Rewritten\n");
    let e = cli.json(&["show", &id]);
    assert_eq!(e["title"], "Changed elsewhere");
    assert_eq!(e["body"], "original body");
}

#[test]
fn edit_can_turn_a_quick_note_into_a_reflection_from_a_template_and_star_it() {
    let cli = Cli::new();
    let id = cli.entry("Quick", "a note", &["--kind", "quick-note"]);
    let gibbs = cli.json(&["templates", "show", "gibbs"]);

    cli.ok(&["edit", &id, "--template", "gibbs", "--starred"]);
    let e = cli.json(&["show", &id]);
    assert_eq!(e["kind"], "reflection", "the template's kind comes with it");
    assert_eq!(e["template_id"], gibbs["id"]);
    assert_eq!(e["starred"], true);
    assert_eq!(e["body"], "a note");

    cli.ok(&["edit", &id, "--kind", "session-record", "--unstarred"]);
    let e = cli.json(&["show", &id]);
    assert_eq!(e["kind"], "session_record");
    assert_eq!(e["starred"], false);

    cli.ok(&[
        "edit",
        &id,
        "--template",
        "Rolfe's What? So what? Now what?",
        "--kind",
        "reflection",
    ]);
    let e = cli.json(&["show", &id]);
    assert_eq!(e["kind"], "reflection");
    assert_eq!(
        e["template_id"],
        cli.json(&["templates", "show", "rolfe"])["id"]
    );

    let err = cli.fails(&["edit", &id, "--template", "no-such-template"]);
    assert!(err.contains("no-such-template"), "{err}");
    let err = cli.fails(&["edit", &id, "--starred", "--unstarred"]);
    assert!(err.contains("--unstarred"), "{err}");
}

#[test]
fn excluded_words_need_no_double_dash_and_flags_may_come_anywhere() {
    let cli = Cli::new();
    cli.entry("Recorder songs", "songs on the recorder", &[]);
    cli.entry("Drum songs", "songs on the drums", &["--tag", "ks3"]);

    let found = cli.ok(&["search", "-recorder", "songs"]);
    assert!(
        found.contains("Drum songs") && !found.contains("Recorder songs"),
        "{found}"
    );
    let found = cli.ok(&["search", "-hello", "songs"]);
    assert!(
        found.contains("Drum songs") && !found.contains("Usage"),
        "-h is not read as --help: {found}"
    );
    assert_eq!(
        cli.json(&["search", "--count", "-recorder", "songs"]),
        serde_json::json!({ "count": 1 })
    );
    let json = cli.json(&[
        "search",
        "--limit",
        "1",
        "--tag",
        "ks3",
        "-recorder",
        "songs",
    ]);
    assert_eq!(json["entries"].as_array().unwrap().len(), 1);
    assert_eq!(json["entries"][0]["entry"]["title"], "Drum songs");
    let found = cli.ok(&["search", "--", "-recorder", "songs"]);
    assert!(found.contains("Drum songs"), "{found}");

    assert_eq!(
        cli.json(&["search", "songs", "-recorder", "--count"]),
        serde_json::json!({ "count": 1 })
    );
    let json = cli.json(&["search", "songs", "--limit", "1", "--newest"]);
    assert_eq!(json["entries"].as_array().unwrap().len(), 1);
    let help = cli.ok(&["search", "--help"]);
    assert!(help.contains("-recorder songs"), "{help}");
}

#[test]
fn an_empty_period_has_nought_hours_not_negative_nought() {
    let cli = Cli::new();
    cli.ok(&[
        "cpd",
        "add",
        "--title",
        "Course",
        "--type",
        "course",
        "--date",
        "2025-03-04",
        "--hours",
        "2",
    ]);
    let text = cli.ok(&["cpd", "summary", "--year", "2020"]);
    assert!(!text.contains("-0.0"), "{text}");
    assert!(
        text.lines()
            .any(|l| l.starts_with("Total") && l.contains("0.0")),
        "{text}"
    );
    let s = cli.json(&["cpd", "summary", "--year", "2020"]);
    for field in ["hours", "participatory_hours"] {
        let h = s[field].as_f64().unwrap();
        assert!(h == 0.0 && h.is_sign_positive(), "{field} is {h}");
    }
    let stats = cli.ok(&["stats"]);
    assert!(!stats.contains("-0.0"), "{stats}");
    cli.ok(&[
        "cpd",
        "add",
        "--title",
        "Nothing",
        "--type",
        "reading",
        "--date",
        "2025-03-05",
        "--hours=-0",
    ]);
    let list = cli.ok(&["cpd", "list"]);
    assert!(!list.contains("-0.0"), "{list}");
}

/// Every file and folder under `dir`.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(tree(&p));
        }
        out.push(p);
    }
    out
}

#[test]
fn a_read_command_on_a_named_journal_that_does_not_exist_fails_and_creates_nothing() {
    let cli = Cli::new();
    let journal = cli.journal();
    let expected = format!(
        "reprise: no journal at {} (create one with `reprise new` or `reprise demo`)\n",
        journal.display()
    );
    let out_file = cli.dir.path().join("out.json");
    let commands: Vec<Vec<&str>> = vec![
        vec!["list"],
        vec!["list", "--count"],
        vec!["search", "songs"],
        vec!["show", "0190"],
        vec!["tags"],
        vec!["templates"],
        vec!["cpd", "list"],
        vec!["cpd", "summary"],
        vec!["people"],
        vec!["mentoring"],
        vec!["export", "--output", out_file.to_str().unwrap()],
        vec!["check"],
        vec!["stats"],
        vec!["edit", "0190", "--title", "x"],
        vec!["delete", "0190"],
        vec!["restore", "0190"],
    ];
    for args in &commands {
        assert_eq!(cli.fails(args), expected, "{args:?}");
    }
    let from_env = cli
        .command()
        .env("REPRISE_JOURNAL", &journal)
        .arg("list")
        .output()
        .unwrap();
    assert_eq!(failed(&from_env, &["list"]), expected);
    assert_eq!(tree(cli.dir.path()), Vec::<PathBuf>::new());
}

#[cfg(unix)]
#[test]
fn the_default_location_without_a_journal_shows_an_empty_journal_and_creates_nothing() {
    let home = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Cli::new()
            .command()
            .env("HOME", home.path())
            .env("XDG_DATA_HOME", home.path().join("data"))
            .args(args)
            .output()
            .unwrap()
    };
    let ok = |args: &[&str]| succeeded(&run(args), args);
    assert_eq!(ok(&["list"]), "No entries yet.\n");
    assert_eq!(ok(&["list", "--count"]), "0\n");
    assert_eq!(ok(&["--json", "list"]).trim(), "[]");
    assert_eq!(ok(&["search", "-recorder", "songs"]), "No entries yet.\n");
    assert_eq!(ok(&["search", "--count", "songs"]), "0\n");
    let found: Value = serde_json::from_str(&ok(&["--json", "search", "songs"])).unwrap();
    assert_eq!(found, serde_json::json!({ "entries": [], "cpd": [] }));
    let stats = ok(&["stats"]);
    assert!(
        stats.contains("not created yet") && stats.contains("Entries         0"),
        "{stats}"
    );
    assert!(!stats.contains("-0.0"), "{stats}");
    let stats: Value = serde_json::from_str(&ok(&["--json", "stats"])).unwrap();
    assert_eq!(stats["entries"], 0);
    assert!(ok(&["templates"]).lines().any(|l| l.starts_with("gibbs")));
    assert!(ok(&["templates", "show", "gibbs"]).contains("## Feelings"));
    let err = failed(&run(&["cpd", "summary"]), &["cpd", "summary"]);
    assert!(err.contains("no journal at"), "{err}");
    assert_eq!(tree(home.path()), Vec::<PathBuf>::new());
}

/// A journal at the latest-but-one schema, with an entry in it.
fn old_journal(path: &Path) {
    use reprise::store::schema;
    let mut c = rusqlite::Connection::open(path).unwrap();
    c.pragma_update(None, "application_id", reprise::store::APPLICATION_ID)
        .unwrap();
    schema::migrate_to(&mut c, schema::CURRENT_VERSION - 1).unwrap();
    c.execute(
        "INSERT INTO entries (id, kind, title, body, occurred_on, tag_text, created_at, updated_at)
         VALUES ('0190a000-0000-7000-8000-000000000001', 'reflection', 'Old words', 'Still here',
                 '2024-05-06', '', '2024-05-06T10:00:00.000Z', '2024-05-06T10:00:00.000Z')",
        [],
    )
    .unwrap();
}

#[test]
fn check_reports_a_journal_that_needs_migrating_and_leaves_it_alone() {
    let cli = Cli::new();
    old_journal(&cli.journal());
    let before = std::fs::read(cli.journal()).unwrap();
    let err = cli.fails(&["check"]);
    assert!(err.contains("needs migrating"), "{err}");
    assert_eq!(std::fs::read(cli.journal()).unwrap(), before);
    assert!(
        !cli.dir.path().join("backups").exists(),
        "no backup, so no migration"
    );
    let version: u32 = rusqlite::Connection::open(cli.journal())
        .unwrap()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, reprise::store::schema::CURRENT_VERSION - 1);

    // An empty file is not filled in either.
    let empty = cli.dir.path().join("empty.reprise");
    std::fs::write(&empty, "").unwrap();
    let out = cli
        .command()
        .arg("--journal")
        .arg(&empty)
        .arg("check")
        .output()
        .unwrap();
    let err = failed(&out, &["check"]);
    assert!(err.contains("empty"), "{err}");
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);

    // Once migrated by another command, it checks clean.
    assert_eq!(cli.ok(&["list", "--count"]).trim(), "1");
    let check = cli.ok(&["check"]);
    assert!(check.contains("search index: ok"), "{check}");
}

#[test]
fn a_journal_path_that_is_a_folder_or_runs_through_a_file_is_named_plainly() {
    let cli = Cli::new();
    let folder = cli.dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let file = cli.dir.path().join("file");
    std::fs::write(&file, "").unwrap();
    let through_file = file.join("journal.reprise");
    for (journal, needle) in [
        (&folder, "is a folder, not a journal file"),
        (&through_file, "is a file, not a folder"),
    ] {
        for args in [&["list"][..], &["new", "--body", "x"], &["check"]] {
            let out = cli
                .command()
                .arg("--journal")
                .arg(journal)
                .args(args)
                .output()
                .unwrap();
            let err = failed(&out, args);
            assert!(err.contains(needle), "{args:?} said {err:?}");
            assert!(!err.contains("disk I/O"), "{err}");
        }
    }
    assert_eq!(tree(&folder), Vec::<PathBuf>::new());
}

#[test]
fn a_member_named_for_the_first_time_is_added_as_a_person_and_names_are_called_names() {
    let cli = Cli::new();
    cli.ok(&["people", "me", "Alex Rivers"]);
    let rel = cli.json(&[
        "mentoring",
        "add",
        "--kind",
        "peer-pair",
        "--name",
        "Alex & Sam",
        "--member",
        "me:peer",
        "--member",
        "Sam:peer",
    ]);
    assert_eq!(rel["members"].as_array().unwrap().len(), 2);
    let people = cli.json(&["people"]);
    let names: Vec<&str> = people
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["display_name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Sam"), "{names:?}");
    // Naming it again finds the same person rather than adding another.
    cli.ok(&[
        "mentoring",
        "add",
        "--kind",
        "peer-pair",
        "--name",
        "Again",
        "--member",
        "me:peer",
        "--member",
        "sam:peer",
    ]);
    assert_eq!(
        cli.json(&["people"]).as_array().unwrap().len(),
        people.as_array().unwrap().len()
    );
    let said = cli.fails(&[
        "mentoring",
        "session-add",
        "--relationship",
        "Nobody here",
        "--notes",
        "x",
    ]);
    assert!(
        said.contains("no relationship named \"Nobody here\""),
        "{said}"
    );
}

#[test]
fn the_stats_say_one_activity_not_one_activities() {
    let cli = Cli::new();
    cli.ok(&[
        "cpd",
        "add",
        "--title",
        "Makaton",
        "--type",
        "course",
        "--date",
        &chrono::Local::now().date_naive().to_string(),
        "--hours",
        "2",
    ]);
    let stats = cli.ok(&["stats"]);
    assert!(
        stats.contains("over 1 activity\n") || stats.ends_with("over 1 activity"),
        "{stats}"
    );
    assert!(!stats.contains("1 activities"), "{stats}");
}

#[test]
fn entries_can_be_listed_and_searched_by_setting_and_group() {
    let cli = Cli::new();
    cli.ok(&[
        "new",
        "--kind",
        "session-record",
        "--title",
        "Thursday",
        "--body",
        "Nine came.",
        "--setting",
        "Sunflower Nursery",
        "--group",
        "Toddlers",
    ]);
    cli.ok(&[
        "new",
        "--kind",
        "session-record",
        "--title",
        "Friday",
        "--body",
        "Six came.",
        "--setting",
        "Bluebell Centre",
        "--group",
        "Toddlers",
    ]);
    let titles = |args: &[&str]| -> Vec<String> {
        cli.json(args)
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["title"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        titles(&["list", "--setting", "sunflower nursery"]),
        ["Thursday"]
    );
    assert_eq!(titles(&["list", "--group", "Toddlers"]).len(), 2);
    assert_eq!(
        titles(&[
            "list",
            "--group",
            "toddlers",
            "--setting",
            "Bluebell Centre"
        ]),
        ["Friday"]
    );
    let found = cli.json(&["search", "came", "--setting", "Bluebell Centre"]);
    let hits: Vec<&str> = found["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["entry"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(hits, ["Friday"]);
}
