//! The benchmark `make bench` runs: a realistic journal of 50,000 entries built, exported,
//! imported and queried, timed the way people meet it. docs/PERFORMANCE.md holds the targets
//! and the latest results.
//!
//! Two kinds of measure, because they answer different questions:
//!
//! - **Cold process** — what someone at the command line waits for. Each command is a fresh
//!   `reprise` process (the release binary beside this example), timed from spawn to exit by a
//!   probe: this same executable re-run as `bench __probe reprise …`. The probe's only child is
//!   the command, so `getrusage(RUSAGE_CHILDREN)` in the probe is that command's own peak
//!   resident memory, not the benchmark's. The operating system's file cache is warm (the
//!   journal was just written), as it is for someone using their journal every day.
//! - **In process** — what the desktop app waits for. One [`Store`] is held open, as the app
//!   holds it, and each query runs a few hundred times; `max` includes the first, cold call.
//!
//! A missed target is printed as FAIL and does not change the exit status; a command that
//! fails, or returns something other than what the journal holds, does (exit status 1).

use clap::Parser;
use reprise::demo::{self, DemoOptions};
use reprise::model::{EntryFilter, EntryInput};
use reprise::search::SearchRequest;
use reprise::store::TagCount;
use reprise::Store;
use serde_json::Value;
use std::ffi::{OsStr, OsString};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

type Result<T, E = Box<dyn std::error::Error>> = std::result::Result<T, E>;

/// The first argument that turns this executable into the probe.
const PROBE: &str = "__probe";

/// Planted in a few entries, because the sample's vocabulary has no word in fewer than 1% of
/// them; the benchmark checks the sample does not already use it.
const RARE_WORD: &str = "theremin";
const RARE_SENTENCE: &str =
    "\n\nA visiting player let everyone try a theremin at the end, and nobody wanted to stop.";
/// One entry in this many gets the rare word (0.04%, under the 0.1% the brief asks for).
const RARE_ONE_IN: u32 = 2_500;
/// A word in nearly every entry of the sample (checked to be in more than half of them).
const COMMON_WORD: &str = "session";

/// How long one in-process measure may take in all.
const TIME_BUDGET: Duration = Duration::from_secs(20);

/// Peak resident memory allowed to any one command.
const MEMORY_TARGET_BYTES: u64 = 200_000_000;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Reprise at scale: builds a sample journal, then times the command line and the store.
#[derive(Debug, Parser)]
#[command(name = "bench", max_term_width = 100)]
struct Opts {
    /// How many entries the journal has [default: 50000, or 2000 with --quick].
    #[arg(long)]
    entries: Option<u32>,
    /// A smoke run: 2,000 entries and fewer repetitions of the command lines.
    #[arg(long)]
    quick: bool,
    /// Keep the journals, exports and report in DIR (empty or new) instead of a temporary folder.
    #[arg(long, value_name = "DIR")]
    keep: Option<PathBuf>,
    /// About how many words each entry has.
    #[arg(long, default_value_t = 400)]
    words: u32,
    /// The sample's seed.
    #[arg(long, default_value_t = 2024)]
    seed: u64,
    /// Skip building and the command lines: time opening and the in-process queries on this
    /// existing journal (opened read-write, so an older one is migrated first).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["entries", "keep"])]
    journal: Option<PathBuf>,
    /// The `reprise` binary to time [default: target/release/reprise, beside this example].
    #[arg(long, value_name = "PATH")]
    cli: Option<PathBuf>,
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == PROBE) {
        return probe(&args[2..]);
    }
    let opts = Opts::parse();
    match run(&opts) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench: {e}");
            ExitCode::FAILURE
        }
    }
}

// --- The probe --------------------------------------------------------------------------------

/// Runs one command, then prints one JSON line: its wall time, peak memory, exit code and
/// output. Runs in its own process so that the peak memory of its children is the command's.
fn probe(args: &[OsString]) -> ExitCode {
    let Some((program, rest)) = args.split_first() else {
        eprintln!("bench {PROBE}: no command given");
        return ExitCode::from(2);
    };
    let start = Instant::now();
    // `output()` gives the child a null standard input and pipes for its output, as a script
    // capturing the command would.
    let output = match Command::new(program).args(rest).output() {
        Ok(o) => o,
        Err(e) => {
            eprintln!(
                "bench {PROBE}: cannot run {}: {e}",
                Path::new(program).display()
            );
            return ExitCode::from(2);
        }
    };
    let wall = start.elapsed();
    let report = serde_json::json!({
        "wall_ns": u64::try_from(wall.as_nanos()).unwrap_or(u64::MAX),
        "max_rss_bytes": children_peak_rss(),
        "code": output.status.code(),
        "stdout": String::from_utf8_lossy(&output.stdout),
        "stderr": String::from_utf8_lossy(&output.stderr),
    });
    println!("{report}");
    ExitCode::SUCCESS
}

/// The largest peak resident set of any child this process has waited for.
#[cfg(unix)]
fn children_peak_rss() -> Option<u64> {
    use nix::sys::resource::{getrusage, UsageWho};
    let raw = u64::try_from(getrusage(UsageWho::RUSAGE_CHILDREN).ok()?.max_rss()).ok()?;
    // Linux and the BSDs count kilobytes, macOS bytes.
    Some(if cfg!(target_os = "macos") {
        raw
    } else {
        raw * 1024
    })
}

#[cfg(not(unix))]
fn children_peak_rss() -> Option<u64> {
    None
}

/// One finished command, as the probe saw it.
struct Run {
    wall: Duration,
    rss: Option<u64>,
    stdout: String,
}

/// Runs `reprise` through the probe.
struct Cli {
    probe: PathBuf,
    reprise: PathBuf,
}

impl Cli {
    fn run(&self, args: &[&OsStr]) -> Result<Run> {
        let shown = || {
            args.iter()
                .map(|a| a.to_string_lossy())
                .collect::<Vec<_>>()
                .join(" ")
        };
        let out = Command::new(&self.probe)
            .arg(PROBE)
            .arg(&self.reprise)
            .args(args)
            .output()?;
        if !out.status.success() {
            return Err(format!(
                "the probe failed on `reprise {}`: {}",
                shown(),
                String::from_utf8_lossy(&out.stderr).trim()
            )
            .into());
        }
        let v: Value = serde_json::from_slice(&out.stdout)?;
        let code = v["code"].as_i64();
        if code != Some(0) {
            return Err(format!(
                "`reprise {}` failed (exit status {}): {}",
                shown(),
                code.map_or_else(|| "none: killed by a signal".to_owned(), |c| c.to_string()),
                v["stderr"].as_str().unwrap_or_default().trim()
            )
            .into());
        }
        Ok(Run {
            wall: Duration::from_nanos(v["wall_ns"].as_u64().unwrap_or_default()),
            rss: v["max_rss_bytes"].as_u64(),
            stdout: v["stdout"].as_str().unwrap_or_default().to_owned(),
        })
    }

    /// Runs a command `n` times; `check` sees each run's output and says what is wrong with it.
    fn repeat(
        &self,
        n: usize,
        args: &[&OsStr],
        mut check: impl FnMut(&str) -> Result<(), String>,
    ) -> Result<(Stats, Option<u64>)> {
        let mut walls = Vec::with_capacity(n);
        let mut peak: Option<u64> = None;
        for _ in 0..n {
            let run = self.run(args)?;
            check(&run.stdout).map_err(|problem| {
                let shown = args
                    .iter()
                    .map(|a| a.to_string_lossy())
                    .collect::<Vec<_>>()
                    .join(" ");
                format!("`reprise {shown}` ran but {problem}")
            })?;
            walls.push(run.wall);
            peak = peak.max(run.rss);
        }
        Ok((Stats::of(walls), peak))
    }
}

// --- Figures ----------------------------------------------------------------------------------

/// Nearest-rank percentiles of a set of timings (with fewer than 20 runs, p95 is the slowest).
#[derive(Debug, Clone, Copy)]
struct Stats {
    n: usize,
    p50: Duration,
    p95: Duration,
    max: Duration,
}

impl Stats {
    fn of(mut v: Vec<Duration>) -> Stats {
        v.sort_unstable();
        let rank = |p: f64| {
            let i = ((p / 100.0) * v.len() as f64).ceil() as usize;
            v.get(i.saturating_sub(1)).copied().unwrap_or_default()
        };
        Stats {
            n: v.len(),
            p50: rank(50.0),
            p95: rank(95.0),
            max: v.last().copied().unwrap_or_default(),
        }
    }

    fn once(d: Duration) -> Stats {
        Stats::of(vec![d])
    }
}

/// Times `f` `n` times, without a warm-up: the first call is in `max`. A query that turns out
/// slow stops after [`TIME_BUDGET`] (and at least three runs), so the table shows how many ran.
fn time_n(n: usize, mut f: impl FnMut() -> Result<()>) -> Result<Stats> {
    let started = Instant::now();
    let mut v = Vec::with_capacity(n);
    while v.len() < n && (v.len() < 3 || started.elapsed() < TIME_BUDGET) {
        let t = Instant::now();
        f()?;
        v.push(t.elapsed());
    }
    Ok(Stats::of(v))
}

/// One line of the results table.
struct Row {
    measure: String,
    stats: Stats,
    /// Judged on p95.
    time_target: Option<Duration>,
    rss: Option<u64>,
    memory_target: bool,
}

impl Row {
    fn new(measure: impl Into<String>, stats: Stats) -> Row {
        Row {
            measure: measure.into(),
            stats,
            time_target: None,
            rss: None,
            memory_target: false,
        }
    }

    fn target(mut self, t: Duration) -> Row {
        self.time_target = Some(t);
        self
    }

    fn command(mut self, rss: Option<u64>) -> Row {
        self.rss = rss;
        self.memory_target = true;
        self
    }

    fn target_text(&self) -> String {
        let mut parts = Vec::new();
        if let Some(t) = self.time_target {
            parts.push(format!("p95 ≤ {}", duration(t)));
        }
        if self.memory_target {
            parts.push(format!("≤ {}", size(MEMORY_TARGET_BYTES)));
        }
        if parts.is_empty() {
            "—".to_owned()
        } else {
            parts.join(", ")
        }
    }

    fn verdict(&self) -> String {
        let mut judged = false;
        let mut missed = Vec::new();
        if let Some(t) = self.time_target {
            judged = true;
            if self.stats.p95 > t {
                missed.push("time");
            }
        }
        if self.memory_target {
            if let Some(rss) = self.rss {
                judged = true;
                if rss > MEMORY_TARGET_BYTES {
                    missed.push("memory");
                }
            }
        }
        match (judged, missed.is_empty()) {
            (false, _) => "—".to_owned(),
            (true, true) => "PASS".to_owned(),
            (true, false) => format!("FAIL ({})", missed.join(", ")),
        }
    }

    fn failed(&self) -> bool {
        self.verdict().starts_with("FAIL")
    }
}

fn duration(d: Duration) -> String {
    let ms = d.as_secs_f64() * 1000.0;
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

fn size(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else if b >= 1e3 {
        format!("{:.1} kB", b / 1e3)
    } else {
        format!("{bytes} B")
    }
}

// --- The run ----------------------------------------------------------------------------------

/// Says what the benchmark is doing, on standard error, so standard output is only the report.
fn step(what: impl std::fmt::Display) {
    eprintln!("==> {what}");
}

fn run(opts: &Opts) -> Result<()> {
    if cfg!(debug_assertions) {
        eprintln!("bench: warning: this is a debug build of the benchmark; run it with --release");
    }
    if let Some(journal) = &opts.journal {
        return queries_only(opts, journal);
    }
    let entries = opts
        .entries
        .unwrap_or(if opts.quick { 2_000 } else { 50_000 });
    if entries < RARE_ONE_IN / 2 {
        return Err(format!(
            "--entries {entries} is too few; use at least {}",
            RARE_ONE_IN / 2
        )
        .into());
    }
    let (fast_runs, slow_runs, iterations) = if opts.quick {
        (5, 1, 200)
    } else {
        (20, 3, 300)
    };
    let cli = Cli {
        probe: std::env::current_exe()?,
        reprise: locate_cli(opts)?,
    };
    let (_temp, dir) = work_dir(opts)?;
    let started = chrono::Local::now();
    let load_before = load_average();
    let mut setup: Vec<Row> = Vec::new();
    let mut notes: Vec<String> = Vec::new();

    // 1. The source journal.
    step(format_args!(
        "building a journal of {entries} entries (~{} words each)",
        opts.words
    ));
    let source = dir.join("source").join("journal.reprise");
    let t = Instant::now();
    let store = Store::open(&source)?;
    let sample = DemoOptions {
        entries,
        seed: opts.seed,
        words_per_entry: opts.words,
        force: false,
    };
    let summary = demo::fill(&store, &sample)?;
    let build = t.elapsed();
    let planted = plant_rare_word(&store, entries)?;
    let probes = Probes::of(&store)?;
    let average_words = average_words(&store)?;
    setup.push(Row::new(
        format!("Build the source journal in process ({entries} entries: demo, bulk insert)"),
        Stats::once(build),
    ));

    // 2. The import fixture.
    step("exporting it to JSON in process (the import fixture)");
    let fixture = dir.join("fixture.json");
    let t = Instant::now();
    let exported = reprise::exchange::json::export(&store, &fixture, &mut |_| {})?;
    setup.push(Row::new(
        "Export JSON in process (the fixture)",
        Stats::once(t.elapsed()),
    ));
    drop(store);
    let source_size = journal_size(&source);
    let bench_peak_build = own_peak_rss();

    // 3. Cold command-line processes.
    let mut commands: Vec<Row> = Vec::new();
    let live = probes.live;
    step(format_args!(
        "reprise import ×{slow_runs}, each into a new journal"
    ));
    let mut imports = Vec::new();
    let mut import_peak: Option<u64> = None;
    let mut journals = Vec::new();
    for i in 1..=slow_runs {
        let journal = dir.join(format!("import-{i}")).join("journal.reprise");
        settle();
        let run = cli.run(&[
            "--journal".as_ref(),
            journal.as_os_str(),
            "import".as_ref(),
            "--format".as_ref(),
            "reprise-json".as_ref(),
            fixture.as_os_str(),
        ])?;
        let got = Store::open_read_only(&journal)?.count_entries(&EntryFilter::default())?;
        if got != live {
            return Err(format!("the import gave {got} entries instead of {live}").into());
        }
        imports.push(run.wall);
        import_peak = import_peak.max(run.rss);
        journals.push(journal);
    }
    commands.push(
        Row::new(
            "`import --format reprise-json` into an empty journal",
            Stats::of(imports),
        )
        .target(ms(5_000))
        .command(import_peak),
    );
    let journal = journals.remove(0);
    let imported_size = journal_size(&journal);
    if opts.keep.is_none() {
        for j in &journals {
            if let Some(folder) = j.parent() {
                std::fs::remove_dir_all(folder)?;
            }
        }
    }

    let j = journal.as_os_str();
    let jf: &OsStr = "--journal".as_ref();
    let lines_at_least = |n: usize| {
        move |out: &str| {
            let got = out.lines().count();
            if got >= n {
                Ok(())
            } else {
                Err(format!("printed {got} lines, expected at least {n}"))
            }
        }
    };
    let contains = |needle: String| {
        move |out: &str| {
            if out.to_lowercase().contains(&needle) {
                Ok(())
            } else {
                Err(format!("its output does not contain {needle:?}"))
            }
        }
    };
    let (common_count, common_tag) = (probes.common_count, &probes.common_tag);
    let limit = ["--limit".as_ref(), "20".as_ref()];
    type Check = Box<dyn Fn(&str) -> Result<(), String>>;
    let reads: Vec<(String, Vec<&OsStr>, Option<Duration>, Check)> = vec![
        (
            "`list --limit 20` (newest 20)".into(),
            [&[jf, j, "list".as_ref()][..], &limit].concat(),
            Some(ms(20)),
            Box::new(lines_at_least(20)),
        ),
        (
            format!(
                "`list --tag {} --limit 20` (the most used tag: {} entries)",
                common_tag.name, common_tag.entries
            ),
            [
                &[
                    jf,
                    j,
                    "list".as_ref(),
                    "--tag".as_ref(),
                    common_tag.name.as_ref(),
                ][..],
                &limit,
            ]
            .concat(),
            Some(ms(20)),
            Box::new(lines_at_least(20)),
        ),
        (
            format!(
                "`list --tag {RARE_WORD} --limit 20` (a rare tag: {} entries)",
                probes.rare_count
            ),
            [
                &[jf, j, "list".as_ref(), "--tag".as_ref(), RARE_WORD.as_ref()][..],
                &limit,
            ]
            .concat(),
            Some(ms(20)),
            Box::new(lines_at_least(probes.rare_count.min(20) as usize)),
        ),
        (
            format!(
                "`search {RARE_WORD}` (rare: in {} of {live} entries)",
                probes.rare_count
            ),
            vec![jf, j, "search".as_ref(), RARE_WORD.as_ref()],
            Some(ms(30)),
            Box::new(contains(format!("**{RARE_WORD}**"))),
        ),
        (
            format!("`search {COMMON_WORD}` (common: in {common_count} of {live} entries)"),
            vec![jf, j, "search".as_ref(), COMMON_WORD.as_ref()],
            Some(ms(30)),
            Box::new(lines_at_least(20)),
        ),
        (
            format!("`search --count {COMMON_WORD}`"),
            vec![
                jf,
                j,
                "search".as_ref(),
                "--count".as_ref(),
                COMMON_WORD.as_ref(),
            ],
            None,
            Box::new(move |out: &str| {
                if out.trim() == common_count.to_string() {
                    Ok(())
                } else {
                    Err(format!("printed {:?}, expected {common_count}", out.trim()))
                }
            }),
        ),
        (
            "`stats`".into(),
            vec![jf, j, "stats".as_ref()],
            None,
            Box::new(contains(live.to_string())),
        ),
    ];
    for (name, args, target, check) in reads {
        let shown = args[2..]
            .iter()
            .map(|a| a.to_string_lossy())
            .collect::<Vec<_>>()
            .join(" ");
        step(format_args!("reprise {shown} ×{fast_runs}"));
        let (stats, peak) = cli.repeat(fast_runs, &args, check)?;
        let mut row = Row::new(name, stats).command(peak);
        row.time_target = target;
        commands.push(row);
    }

    step(format_args!("reprise export --format json ×{slow_runs}"));
    let cli_json = dir.join("cli-export.json");
    let mut walls = Vec::new();
    let mut peak: Option<u64> = None;
    for _ in 0..slow_runs {
        settle();
        let run = cli.run(&[
            jf,
            j,
            "export".as_ref(),
            "--format".as_ref(),
            "json".as_ref(),
            "--output".as_ref(),
            cli_json.as_os_str(),
        ])?;
        walls.push(run.wall);
        peak = peak.max(run.rss);
    }
    commands.push(
        Row::new("`export --format json`", Stats::of(walls))
            .target(ms(3_000))
            .command(peak),
    );
    let cli_json_size = file_size(&cli_json);
    if cli_json_size != exported.bytes {
        notes.push(format!(
            "The CLI's JSON export of the imported journal is {cli_json_size} bytes; the fixture it was imported from is {} bytes. The format promises the same bytes.",
            exported.bytes
        ));
    }

    step(format_args!(
        "reprise export --format markdown ×{slow_runs}, each into a new folder"
    ));
    // Folders are removed only after all the runs: creating tens of thousands of files just
    // after deleting as many is a slow path of its own in ext4 (it skips recently freed
    // inodes), measured separately below as the re-export it is for people.
    let markdown = |folder: &Path| -> Result<Run> {
        let run = cli.run(&[
            jf,
            j,
            "export".as_ref(),
            "--format".as_ref(),
            "markdown".as_ref(),
            "--output".as_ref(),
            folder.as_os_str(),
        ])?;
        let (_, files) = folder_size(folder)?;
        // One file per entry, and the export's marker file.
        if files < live {
            return Err(
                format!("the Markdown export wrote {files} files for {live} entries").into(),
            );
        }
        Ok(run)
    };
    let mut walls = Vec::new();
    let mut peak: Option<u64> = None;
    let folders: Vec<PathBuf> = (1..=slow_runs)
        .map(|i| dir.join(format!("markdown-{i}")))
        .collect();
    for folder in &folders {
        settle();
        let run = markdown(folder)?;
        walls.push(run.wall);
        peak = peak.max(run.rss);
    }
    let (markdown_size, markdown_files) = folder_size(&folders[0])?;
    commands.push(
        Row::new(
            "`export --format markdown` into a new folder",
            Stats::of(walls),
        )
        .target(ms(3_000))
        .command(peak),
    );
    step(format_args!(
        "reprise export --format markdown ×{slow_runs} over the previous export"
    ));
    let mut walls = Vec::new();
    let mut peak: Option<u64> = None;
    for _ in 0..slow_runs {
        settle();
        let run = markdown(&folders[0])?;
        walls.push(run.wall);
        peak = peak.max(run.rss);
    }
    commands.push(
        Row::new(
            "`export --format markdown` again into the same folder (replaces the last export)",
            Stats::of(walls),
        )
        .target(ms(3_000))
        .command(peak),
    );
    for folder in folders.iter().skip(usize::from(opts.keep.is_some())) {
        std::fs::remove_dir_all(folder)?;
    }

    // 4 and 5. Opening, and queries on one open store, as the desktop app does them.
    settle();
    let opening = opening_rows(&journal)?;
    let (in_process, bench_peak_queries) = in_process_rows(&journal, iterations, &probes)?;

    // 6. The report.
    let largest_command = commands
        .iter()
        .filter_map(|r| r.rss.map(|b| (b, r.measure.clone())))
        .max();
    let mut sizes: Vec<(String, String)> = vec![
        (
            "Source journal (main file + WAL, after closing)".into(),
            size(source_size),
        ),
        (
            "Imported journal (main file + WAL, after the commands)".into(),
            size(imported_size),
        ),
        ("JSON export (the fixture)".into(), size(exported.bytes)),
        (
            format!("Markdown export ({markdown_files} files)"),
            size(markdown_size),
        ),
    ];
    if let Some((bytes, name)) = &largest_command {
        sizes.push((
            format!("Peak memory, largest command ({name})"),
            size(*bytes),
        ));
    }
    if let Some(b) = bench_peak_build {
        sizes.push((
            "Peak memory of this benchmark while building and exporting in process".into(),
            size(b),
        ));
    }
    if let Some(b) = bench_peak_queries {
        sizes.push((
            "Peak memory of this benchmark over the in-process queries (one open store)".into(),
            size(b),
        ));
    }
    let sample_line = format!(
        "{live} entries (average {average_words} words; {} tags; {} starred; {} linked), {} CPD activities, {} mentoring sessions, {} actions; `{RARE_WORD}` planted in {planted}.",
        summary.tags, summary.starred, summary.entry_links, summary.cpd_activities, summary.mentoring_sessions, summary.actions
    );
    let report = render(&Report {
        date: started.format("%Y-%m-%d %H:%M %Z").to_string(),
        load: format!("{load_before} at the start, {} at the end", load_average()),
        machine: machine(&dir),
        sample: sample_line,
        method: format!(
            "CLI `{}`, each command a new process ({fast_runs}× for reads, {slow_runs}× for imports and exports, after a `sync`); in process {iterations}× per query. Targets are judged on p95 (the slowest run when there are fewer than 20).",
            cli.reprise.display()
        ),
        sections: vec![
            ("Setup (reported, not targets)", setup),
            ("Cold CLI process", commands),
            ("Opening the journal", opening),
            ("In process, one open `Store`", in_process),
        ],
        sizes,
        notes,
    });
    print!("{report}");
    if let Some(keep) = &opts.keep {
        std::fs::write(keep.join("report.md"), &report)?;
        eprintln!(
            "bench: journals, exports and report.md kept in {}",
            keep.display()
        );
    }
    Ok(())
}

/// `--journal PATH`: opening and the in-process queries only, on an existing journal.
fn queries_only(opts: &Opts, journal: &Path) -> Result<()> {
    if !journal.is_file() {
        return Err(format!("no journal at {}", journal.display()).into());
    }
    let iterations = if opts.quick { 200 } else { 300 };
    let started = chrono::Local::now();
    let load_before = load_average();
    // Opening read-write first migrates an older journal, so that the timings are of this build.
    let probes = Probes::of(&Store::open(journal)?)?;
    let opening = opening_rows(journal)?;
    let (in_process, peak) = in_process_rows(journal, iterations, &probes)?;
    let mut sizes = vec![(
        "Journal (main file + WAL)".to_owned(),
        size(journal_size(journal)),
    )];
    if let Some(b) = peak {
        sizes.push((
            "Peak memory over the in-process queries (one open store)".into(),
            size(b),
        ));
    }
    let report = render(&Report {
        date: started.format("%Y-%m-%d %H:%M %Z").to_string(),
        load: format!("{load_before} at the start, {} at the end", load_average()),
        machine: machine(journal.parent().unwrap_or(Path::new("."))),
        sample: format!("{} ({} live entries)", journal.display(), probes.live),
        method: format!("in process {iterations}× per query; no command lines (--journal)."),
        sections: vec![
            ("Opening the journal", opening),
            ("In process, one open `Store`", in_process),
        ],
        sizes,
        notes: Vec::new(),
    });
    print!("{report}");
    Ok(())
}

/// What the queries look for and how much of it there is, read from the journal itself.
struct Probes {
    live: u64,
    rare_count: u64,
    common_count: u64,
    /// The most used tag.
    common_tag: TagCount,
    /// The sample's least used tag.
    least_tag: TagCount,
    /// The tag planted with the rare word, when the journal has it.
    rare_tag: Option<TagCount>,
}

impl Probes {
    fn of(store: &Store) -> Result<Probes> {
        let live = store.count_entries(&EntryFilter::default())?;
        let rare_count = store.search_count(&request(RARE_WORD, 20))?;
        let common_count = store.search_count(&request(COMMON_WORD, 20))?;
        if common_count * 2 < live {
            return Err(format!(
                "{COMMON_WORD:?} is in only {common_count} of {live} entries; the sample changed, pick a commoner word"
            )
            .into());
        }
        if rare_count == 0 || rare_count * 1000 > live {
            return Err(format!("{RARE_WORD:?} is in {rare_count} of {live} entries; it should be in fewer than 0.1%").into());
        }
        let tags = store.list_tags()?;
        let common_tag = tags.first().ok_or("the journal has no tags")?.clone();
        let least_tag = tags
            .iter()
            .rev()
            .find(|t| t.entries > 0 && t.name != RARE_WORD)
            .ok_or("the journal has no tags")?
            .clone();
        let rare_tag = tags.iter().find(|t| t.name == RARE_WORD).cloned();
        Ok(Probes {
            live,
            rare_count,
            common_count,
            common_tag,
            least_tag,
            rare_tag,
        })
    }
}

/// The check a read-write open runs, and the two ways of opening.
fn opening_rows(journal: &Path) -> Result<Vec<Row>> {
    step("timing PRAGMA quick_check and Store::open");
    let mut rows = Vec::new();
    let flags =
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = rusqlite::Connection::open_with_flags(journal, flags)?;
    let check = |pragma: &str| -> Result<()> {
        let result: String = conn.query_row(&format!("PRAGMA {pragma}"), [], |r| r.get(0))?;
        if result == "ok" {
            Ok(())
        } else {
            Err(format!("{pragma} found a problem: {result}").into())
        }
    };
    rows.push(Row::new(
        "`PRAGMA quick_check` (part of every read-write open)",
        time_n(3, || check("quick_check"))?,
    ));
    rows.push(Row::new(
        "`PRAGMA integrity_check` (before an import commits, and on every backup)",
        time_n(1, || check("integrity_check"))?,
    ));
    drop(conn);
    rows.push(Row::new(
        "`Store::open` read-write (the desktop app's launch, import)",
        time_n(3, || {
            Store::open(journal)?;
            Ok(())
        })?,
    ));
    rows.push(Row::new(
        "`Store::open_read_only` (every read-only command)",
        time_n(3, || {
            Store::open_read_only(journal)?;
            Ok(())
        })?,
    ));
    Ok(rows)
}

/// The queries the desktop app makes, each `iterations` times on one store opened read-write;
/// also returns this process's peak memory over them.
fn in_process_rows(
    journal: &Path,
    iterations: usize,
    p: &Probes,
) -> Result<(Vec<Row>, Option<u64>)> {
    step(format_args!(
        "in-process queries ×{iterations} on one open Store"
    ));
    let store = Store::open(journal)?;
    reset_own_peak_rss();
    let mut rows: Vec<Row> = Vec::new();
    let page = |tags: Vec<String>| EntryFilter {
        tags,
        limit: Some(20),
        ..EntryFilter::default()
    };
    let expect = |what: &str, got: usize, want: usize| -> Result<()> {
        if got == want {
            Ok(())
        } else {
            Err(format!("{what} gave {got} rows, expected {want}").into())
        }
    };
    rows.push(Row::new(
        "List newest 20",
        time_n(iterations, || {
            expect("list", store.list_entries(&page(vec![]))?.items.len(), 20)
        })?,
    ));
    let mut tags = vec![
        ("the most used", &p.common_tag),
        ("the sample's least used", &p.least_tag),
    ];
    if let Some(rare) = &p.rare_tag {
        tags.push(("planted", rare));
    }
    for (which, tag) in tags {
        let want = tag.entries.min(20) as usize;
        rows.push(Row::new(
            format!(
                "List tag `{}` ({which}: {} entries), 20",
                tag.name, tag.entries
            ),
            time_n(iterations, || {
                expect(
                    "tag list",
                    store
                        .list_entries(&page(vec![tag.name.clone()]))?
                        .items
                        .len(),
                    want,
                )
            })?,
        ));
    }
    let rare_want = (p.rare_count as usize).min(20);
    rows.push(
        Row::new(
            format!("Search `{RARE_WORD}` (rare), 20 with snippets"),
            time_n(iterations, || {
                expect(
                    "search",
                    store.search(&request(RARE_WORD, 20))?.items.len(),
                    rare_want,
                )
            })?,
        )
        .target(ms(5)),
    );
    rows.push(
        Row::new(
            format!("Search `{COMMON_WORD}` (common), 20 with snippets"),
            time_n(iterations, || {
                expect(
                    "search",
                    store.search(&request(COMMON_WORD, 20))?.items.len(),
                    20,
                )
            })?,
        )
        .target(ms(5)),
    );
    // The desktop app searches as the person types, the last word as a prefix, from the first
    // letter: the broadest query it sends.
    let typed = SearchRequest {
        prefix_last: true,
        ..request("s", 20)
    };
    rows.push(Row::new(
        "Search as you type `s` (prefix, as the desktop app sends it), 20",
        time_n(iterations, || {
            expect("search", store.search(&typed)?.items.len(), 20)
        })?,
    ));
    rows.push(Row::new(
        format!("Count search matches (`{COMMON_WORD}`)"),
        time_n(iterations, || {
            let n = store.search_count(&request(COMMON_WORD, 20))?;
            expect("search count", n as usize, p.common_count as usize)
        })?,
    ));
    rows.push(Row::new(
        "Count entries",
        time_n(iterations, || {
            expect(
                "count",
                store.count_entries(&EntryFilter::default())? as usize,
                p.live as usize,
            )
        })?,
    ));
    rows.push(Row::new(
        "List tags with counts (the desktop app's sidebar, at launch)",
        time_n(iterations.min(50), || {
            let tags = store.list_tags()?;
            expect(
                "tags",
                usize::from(tags.first().map(|t| t.entries) == Some(p.common_tag.entries)),
                1,
            )
        })?,
    ));
    Ok((rows, own_peak_rss()))
}

fn request(query: &str, limit: u32) -> SearchRequest {
    SearchRequest {
        query: query.to_owned(),
        filter: EntryFilter {
            limit: Some(limit),
            ..EntryFilter::default()
        },
        ..SearchRequest::default()
    }
}

/// Adds [`RARE_SENTENCE`] to one entry in [`RARE_ONE_IN`], spread evenly over the timeline;
/// returns how many entries have the rare word.
fn plant_rare_word(store: &Store, entries: u32) -> Result<u64> {
    let before = store.search_count(&request(RARE_WORD, 20))?;
    if before > 0 {
        return Err(format!(
            "the sample already uses {RARE_WORD:?} ({before} entries); plant another word"
        )
        .into());
    }
    let ids = store.all_entry_ids()?;
    let k = (entries / RARE_ONE_IN).max(1) as usize;
    let stride = ids.len() / k;
    for i in 0..k {
        let id = ids[i * stride + stride / 2];
        let mut input = EntryInput::from(&store.get_entry(id)?);
        input.body.push_str(RARE_SENTENCE);
        // And as a tag: a tag this rare takes the other path through a tag-filtered listing.
        input.tags.push(RARE_WORD.to_owned());
        store.update_entry(id, &input)?;
    }
    let after = store.search_count(&request(RARE_WORD, 20))?;
    if after != k as u64 {
        return Err(
            format!("planted {RARE_WORD:?} in {k} entries but search finds {after}").into(),
        );
    }
    Ok(after)
}

/// The average body length in words, over 500 entries spread through the journal.
fn average_words(store: &Store) -> Result<usize> {
    let ids = store.all_entry_ids()?;
    let stride = (ids.len() / 500).max(1);
    let (mut words, mut n) = (0, 0);
    for id in ids.iter().step_by(stride) {
        words += store.get_entry(*id)?.body.split_whitespace().count();
        n += 1;
    }
    Ok(words / n.max(1))
}

fn locate_cli(opts: &Opts) -> Result<PathBuf> {
    let path = match &opts.cli {
        Some(p) => p.clone(),
        None => {
            // target/release/examples/bench → target/release/reprise
            let exe = std::env::current_exe()?;
            let profile = exe
                .parent()
                .and_then(Path::parent)
                .ok_or("cannot tell where target/ is")?;
            profile.join(format!("reprise{}", std::env::consts::EXE_SUFFIX))
        }
    };
    if !path.is_file() {
        return Err(format!(
            "no reprise binary at {}; build it first (cargo build --release --bin reprise) or pass --cli PATH",
            path.display()
        )
        .into());
    }
    Ok(path)
}

/// The folder everything is written to: `--keep DIR`, or a temporary one removed at the end.
fn work_dir(opts: &Opts) -> Result<(Option<tempfile::TempDir>, PathBuf)> {
    match &opts.keep {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            if std::fs::read_dir(dir)?.next().is_some() {
                return Err(format!(
                    "{} is not empty; --keep needs an empty or new folder",
                    dir.display()
                )
                .into());
            }
            Ok((None, dir.canonicalize()?))
        }
        None => {
            let temp = tempfile::Builder::new()
                .prefix("reprise-bench-")
                .tempdir()?;
            let path = temp.path().to_path_buf();
            Ok((Some(temp), path))
        }
    }
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// The journal file plus its write-ahead log, if there is one.
fn journal_size(journal: &Path) -> u64 {
    let mut wal = journal.as_os_str().to_owned();
    wal.push("-wal");
    file_size(journal) + file_size(Path::new(&wal))
}

/// Bytes and files under a folder.
fn folder_size(dir: &Path) -> Result<(u64, u64)> {
    let (mut bytes, mut files) = (0, 0);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for item in std::fs::read_dir(&d)? {
            let item = item?;
            let meta = item.metadata()?;
            if meta.is_dir() {
                stack.push(item.path());
            } else {
                bytes += meta.len();
                files += 1;
            }
        }
    }
    Ok((bytes, files))
}

/// Flushes what earlier runs wrote, so that a timed write does not pay for the last one's.
fn settle() {
    let _ = Command::new("sync").status();
}

/// This process's peak resident set (`VmHWM`) since it started or was last reset.
fn own_peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// Resets `VmHWM` to the current resident set (Linux `clear_refs` 5), so the next reading is
/// the peak of what follows; where that is not possible, readings stay cumulative.
fn reset_own_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// The 1, 5 and 15-minute load averages: other work on the machine shows in the timings.
fn load_average() -> String {
    let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let parts: Vec<&str> = text.split_whitespace().take(3).collect();
    if parts.len() == 3 {
        parts.join(" ")
    } else {
        "unknown".to_owned()
    }
}

// --- Machine and report -----------------------------------------------------------------------

fn machine(dir: &Path) -> Vec<(&'static str, String)> {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map_or_else(
            || std::env::consts::ARCH.to_owned(),
            |(_, v)| v.trim().to_owned(),
        );
    let logical = cpuinfo
        .lines()
        .filter(|l| l.starts_with("processor"))
        .count();
    let usable = std::thread::available_parallelism().map_or(0, usize::from);
    let ram = read("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map_or_else(
            || "unknown".to_owned(),
            |kb| format!("{:.1} GiB", kb as f64 / 1024.0 / 1024.0),
        );
    let os = read("/etc/os-release")
        .lines()
        .find_map(|l| l.strip_prefix("PRETTY_NAME="))
        .map(|v| v.trim_matches('"').to_owned())
        .unwrap_or_else(|| std::env::consts::OS.to_owned());
    let kernel = read("/proc/sys/kernel/osrelease").trim().to_owned();
    let rustc = Command::new(std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    vec![
        (
            "CPU",
            format!("{cpu}, {logical} logical cores ({usable} usable by this process)"),
        ),
        ("RAM", ram),
        (
            "OS",
            if kernel.is_empty() {
                os
            } else {
                format!("{os}, kernel {kernel}")
            },
        ),
        ("Rust", rustc),
        ("SQLite", format!("{} (bundled)", rusqlite::version())),
        ("Disk", file_system(dir)),
    ]
}

/// The file system the benchmark writes to, from `/proc/mounts`.
fn file_system(dir: &Path) -> String {
    let mounts = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
    let best = mounts
        .lines()
        .filter_map(|l| {
            let mut f = l.split_whitespace();
            let (device, point, kind) = (f.next()?, f.next()?, f.next()?);
            dir.starts_with(point)
                .then(|| (point.len(), format!("{kind} ({device} at {point})")))
        })
        .max();
    format!(
        "{}, folder {}",
        best.map_or_else(|| "unknown".to_owned(), |b| b.1),
        dir.display()
    )
}

struct Report {
    date: String,
    load: String,
    machine: Vec<(&'static str, String)>,
    sample: String,
    method: String,
    sections: Vec<(&'static str, Vec<Row>)>,
    sizes: Vec<(String, String)>,
    notes: Vec<String>,
}

/// The report as Markdown, ready to paste into docs/PERFORMANCE.md.
fn render(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "\n## Results, {}\n", r.date);
    for (k, v) in &r.machine {
        let _ = writeln!(s, "- **{k}**: {v}");
    }
    let _ = writeln!(s, "- **Load average** (1, 5, 15 min): {}", r.load);
    let _ = writeln!(s, "- **Journal**: {}", r.sample);
    let _ = writeln!(s, "- **Method**: {}\n", r.method);
    let _ = writeln!(
        s,
        "| Measure | Runs | Target | p50 | p95 | max | Peak RSS | Result |"
    );
    let _ = writeln!(s, "|---|--:|---|--:|--:|--:|--:|---|");
    let mut failed = 0;
    for (title, rows) in &r.sections {
        let _ = writeln!(s, "| **{title}** | | | | | | | |");
        for row in rows {
            failed += usize::from(row.failed());
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                row.measure,
                row.stats.n,
                row.target_text(),
                duration(row.stats.p50),
                duration(row.stats.p95),
                duration(row.stats.max),
                row.rss.map_or_else(|| "—".to_owned(), size),
                row.verdict()
            );
        }
    }
    let _ = writeln!(s, "\n| Size and memory | |\n|---|--:|");
    for (k, v) in &r.sizes {
        let _ = writeln!(s, "| {k} | {v} |");
    }
    let _ = writeln!(
        s,
        "\n{}",
        if failed == 0 {
            "Every target met.".to_owned()
        } else {
            format!("**{failed} target(s) missed.**")
        }
    );
    for n in &r.notes {
        let _ = writeln!(s, "\n- {n}");
    }
    s
}
