"""The five paths a person relies on, driven through the real app."""

import datetime
import http.server
import json
import shutil
import threading
import time
from pathlib import Path

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import Home


def with_profile(home, name="Alex Rivers"):
    home.cli("people", "me", name)


def text(el):
    # innerText, not .text: WebKitWebDriver leaves out text clipped by an ellipsis.
    return el.get_attribute("innerText") or ""


def row_titles(app):
    return [text(r) for r in app.all("entry-row")]


def type_into_editor(app, words, line=0):
    """Clicks the editor's `line` (0-based) and types there."""
    app.wait("editor-content")
    lines = app.driver.find_elements(By.CSS_SELECTOR, '[data-testid="editor-content"] .cm-line')
    (lines[line] if len(lines) > line else app.wait("editor-content")).click()
    app.driver.switch_to.active_element.send_keys(words)


def wait_saved(app, timeout=10):
    app.until(lambda: app.wait("save-status").get_attribute("data-state") == "saved", timeout,
              "the entry never showed Saved")


def test_a_gibbs_reflection_with_two_tags_is_in_the_timeline_and_found_by_search(home, launch):
    with_profile(home)
    app = launch()
    app.wait("new-entry").click()
    app.wait("template-gibbs").click()
    title = app.wait("title-input")
    # Enter in the title moves into the body, under the first prompt's heading.
    title.send_keys("Glockenspiel morning with the nursery", Keys.ENTER)
    app.driver.switch_to.active_element.send_keys("The children passed the glockenspiel round and waited for their turn.")
    tags = app.wait("tag-input")
    tags.send_keys("early-years", Keys.ENTER)
    tags.send_keys("turn-taking", Keys.ENTER)
    wait_saved(app)
    app.screenshot("editor")
    body = home.cli("--json", "show", json.loads(home.cli("--json", "list").stdout)[0]["id"]).stdout
    assert "## Description\n\nThe children passed the glockenspiel" in json.loads(body)["body"]

    entry = json.loads(home.cli("--json", "list").stdout)
    assert [e["title"] for e in entry] == ["Glockenspiel morning with the nursery"]
    assert entry[0]["tags"] == ["early-years", "turn-taking"]
    assert entry[0]["template_name"] == "Gibbs' reflective cycle"

    app.wait("nav-journal").click()
    app.until(lambda: any("Glockenspiel morning" in t for t in row_titles(app)))
    month = datetime.date.today().strftime("%B %Y").lower()
    headers = [text(h).lower() for h in app.all("month-header")]
    assert headers and month in headers[0], headers
    # The row sits under its month: it comes after that header in document order.
    row = app.wait("entry-row")
    assert app.driver.execute_script(
        "const h = document.querySelector('[data-testid=month-header]');"
        "return !!(h.compareDocumentPosition(arguments[0]) & Node.DOCUMENT_POSITION_FOLLOWING);", row)
    app.screenshot("journal")

    app.wait("nav-search").click()
    app.wait("search-input").send_keys("glockenspiel")
    result = app.wait("search-result")
    app.until(lambda: "<mark>glockenspiel</mark>" in result.get_attribute("innerHTML").lower(), 5,
              "the body word is not highlighted")
    assert "Glockenspiel morning" in text(result)
    app.screenshot("search")


def test_typing_that_showed_saved_survives_the_app_being_killed(home, launch):
    with_profile(home)
    app = launch("kill-before")
    app.wait("new-entry").click()
    app.wait("new-quick-note").click()
    type_into_editor(app, "Words typed just before a crash must not be lost.")
    wait_saved(app)
    app.kill_app()

    again = launch("kill-after")
    app_rows = lambda: [r for r in again.all("entry-row") if "Words typed just before" in text(r)]
    again.until(lambda: len(app_rows()) == 1, 15, "the saved note is not in the timeline after restart")
    app_rows()[0].click()
    again.until(lambda: "Words typed just before a crash must not be lost." in text(again.wait("editor-content")))


class Canary(http.server.BaseHTTPRequestHandler):
    hits = []

    def do_GET(self):
        Canary.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_hostile_markdown_renders_as_inert_text_and_fetches_nothing(home, launch):
    with_profile(home)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Canary)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Canary.hits.clear()
    base = f"http://127.0.0.1:{port}"
    body = "\n\n".join([
        "Hostile body marker.",
        f"<script>window.__pwned = 1; fetch('{base}/script-ran')</script>",
        f"<img src=x onerror=\"window.__pwned = 2; fetch('{base}/onerror-ran')\">",
        f"[click me](javascript:fetch('{base}/link-ran'))",
        f"![tracking pixel]({base}/pixel.png)",
        f"<iframe src=\"{base}/frame\"></iframe>",
        f"<svg onload=\"fetch('{base}/svg-ran')\"></svg>",
    ])
    home.cli("new", "--title", "<img src=x onerror=\"window.__pwned = 3\">Hostile", "--body", body)
    app = launch()
    row = app.wait("entry-row")
    assert "<img src=x" in text(row), "the hostile title shows as text"
    row.click()
    app.wait("mode-preview").click()
    frame = app.wait("preview-frame")
    assert frame.get_attribute("sandbox") == "", "the preview frame must not allow scripts"
    time.sleep(1.5)  # give any payload every chance to run or fetch
    app.screenshot("hostile-preview")
    assert app.driver.execute_script("return typeof window.__pwned") == "undefined"
    app.driver.switch_to.frame(frame)
    assert "hostile body marker" in app.driver.page_source.lower()
    # Escaped text may mention <script>; what matters is that no such element exists.
    found = app.driver.find_elements(By.CSS_SELECTOR, "script, iframe, svg, math, img, object, embed, form, base, meta[http-equiv]")
    assert found == [], [e.tag_name for e in found]
    handlers = app.driver.find_elements(By.XPATH, "//*[@*[starts-with(name(), 'on')]]")
    assert handlers == [], [e.tag_name for e in handlers]
    links = [a.get_attribute("href") or "" for a in app.driver.find_elements(By.TAG_NAME, "a")]
    assert all(not h.lower().startswith("javascript") for h in links), links
    app.driver.switch_to.default_content()
    server.shutdown()
    assert Canary.hits == [], f"the page fetched {Canary.hits}"


def test_export_to_markdown_and_json_then_import_into_a_new_journal(home, launch, tmp_path):
    with_profile(home)
    titles = [f"Session {n}: call and response" for n in range(1, 6)]
    for n, t in enumerate(titles):
        home.cli("new", "--title", t, "--body", f"Body of entry {n}", "--tag", "export-test", "--date", f"2026-03-0{n + 1}")
    app = launch("export")
    app.wait("nav-settings").click()
    app.wait("export-reprise-json").click()
    app.until(lambda: "5 entries" in text(app.wait("export-summary")), 15, "no export summary")
    # The summary names everything written, not only entries.
    said = text(app.wait("export-summary"))
    assert "1 person" in said and "templates" in said, said
    exported = json.loads((home.dialogs / "export-reprise-json.json").read_text())
    assert sorted(e["title"] for e in exported["entries"]) == sorted(titles)
    app.wait("export-markdown").click()
    app.until(lambda: len(list((home.dialogs / "export-markdown").glob("*.md"))) == 5, 15, "markdown files missing")
    md = sorted((home.dialogs / "export-markdown").glob("*.md"))[0].read_text()
    assert md.startswith("---\n") and "tags:" in md
    app.screenshot("settings")
    app.quit()

    other = Home(tmp_path / "second")
    with_profile(other, "Sam Okafor")
    shutil.copy(home.dialogs / "export-reprise-json.json", other.dialogs / "import-reprise-json.json")
    second = launch("import", on=other)
    second.wait("nav-settings").click()
    second.wait("import-reprise-json").click()
    second.until(lambda: "5" in text(second.wait("import-summary")), 15, "no import summary")
    second.wait("nav-journal").click()
    second.until(lambda: len(second.all("entry-row")) == 5, 10, "imported entries are not in the timeline")
    shown = " ".join(row_titles(second))
    assert all(t in shown for t in titles), shown
    ids = lambda h: sorted(e["id"] for e in json.loads(h.cli("--json", "list").stdout))
    assert ids(other) == ids(home)


def test_first_run_shows_the_welcome_and_the_sample_journal_fills_the_timeline(home, launch):
    app = launch()
    name = app.wait("welcome-name")
    app.screenshot("welcome")
    name.send_keys("Robin Hale")
    app.wait("welcome-sample").click()
    app.until(lambda: len(app.all("entry-row")) >= 10, 20, "the sample journal did not fill the timeline")
    assert app.all("month-header")
    time.sleep(1)  # let the list paint before the picture
    app.screenshot("sample-journal")


def test_a_journal_found_damaged_after_launch_is_read_but_never_written(home, launch):
    with_profile(home)
    home.cli("demo", "--entries", "300")
    # Destroy the type byte of the full-text index's last page: a page that opening the journal
    # and listing it do not read, so the damage is found by the check that runs in the
    # background after launch.
    import sqlite3
    db = sqlite3.connect(f"file:{home.journal}?mode=ro", uri=True)
    (page,) = db.execute("SELECT max(pageno) FROM dbstat WHERE name = 'entries_fts_data'").fetchone()
    db.close()
    raw = bytearray(home.journal.read_bytes())
    page_size = int.from_bytes(raw[16:18], "big")
    assert raw[18] == 2, "the journal is in write-ahead mode, as one in daily use is"
    raw[(page - 1) * page_size] = 0x77
    home.journal.write_bytes(raw)
    damaged = bytes(raw)

    app = launch()
    banner = app.wait("journal-damaged", 15)
    assert "Nothing can be saved to this journal" in text(banner)
    assert "is damaged" in text(banner) and "backup" in text(banner), text(banner)
    app.until(lambda: app.all("entry-row"), 10, "the entries can still be read")
    app.wait("new-entry").click()
    app.wait("new-quick-note").click()
    type_into_editor(app, "This must not be written into a damaged file.")
    app.until(lambda: app.wait("save-status").get_attribute("data-state") == "error", 10,
              "saving into a damaged journal did not show an error")
    app.screenshot("damaged")
    app.quit()
    assert home.journal.read_bytes() == damaged, "the damaged journal was written to"


def write_wav(path, seconds=2.0, rate=8000):
    """A real PCM WAV: a quiet 440 Hz tone."""
    import math
    import struct
    import wave
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(3000 * math.sin(2 * math.pi * 440 * i / rate)))
                               for i in range(int(seconds * rate))))


def test_an_attached_recording_plays_seeks_and_shows_its_duration(home, launch):
    with_profile(home)
    write_wav(home.dialogs / "attachment.wav", seconds=2.0)
    app = launch()
    app.wait("new-entry").click()
    app.wait("new-quick-note").click()
    type_into_editor(app, "The group's first round, recorded.")
    wait_saved(app)
    app.wait("add-attachment").click()
    audio = app.wait("attachment-audio")
    state = lambda: app.driver.execute_script(
        "const a = arguments[0]; return {ready: a.readyState, duration: isFinite(a.duration) ? a.duration : 0,"
        " error: a.error && a.error.code, seekable: a.seekable.length ? a.seekable.end(0) : 0};", audio)
    app.until(lambda: state()["duration"] > 0 or state()["error"], 15, "the recording never loaded")
    s = state()
    assert s["error"] is None, f"the player reports media error {s['error']}"
    assert 1.9 < s["duration"] < 2.1, s
    assert s["seekable"] > 1.9, f"the recording cannot be sought: {s}"
    # Seeking asks the protocol for a range from the middle of the file.
    app.driver.execute_script("arguments[0].currentTime = 1.5;", audio)
    app.until(lambda: app.driver.execute_script("return !arguments[0].seeking && arguments[0].currentTime > 1.4;", audio),
              10, "seeking did not land")
    assert state()["error"] is None
    # And it plays: time moves on from where it was sought to.
    app.driver.execute_script("arguments[0].currentTime = 0; arguments[0].play();", audio)
    app.until(lambda: app.driver.execute_script("return arguments[0].currentTime > 0.3;", audio), 10,
              "the recording does not play")
    app.driver.execute_script("arguments[0].pause();", audio)
    assert state()["error"] is None
    # Every attachment can also be opened in the system's own player.
    assert app.wait("open-attachment").is_enabled()
    from selenium.webdriver.common.action_chains import ActionChains
    ActionChains(app.driver).move_to_element(audio).perform()
    time.sleep(0.8)
    app.screenshot("recording")


def test_a_framework_reflection_carries_session_facts(home, launch):
    with_profile(home)
    app = launch()
    app.wait("new-entry").click()
    app.wait("template-gibbs").click()
    app.wait("title-input").send_keys("Circle time that went quiet")
    # Closed on a reflection with no facts yet, and one click opens it.
    toggle = app.wait("session-facts-toggle")
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    app.wait("session-setting").send_keys("Sunflower Nursery")
    app.wait("session-group").send_keys("Toddler room")
    activities = app.wait("session-activities")
    before = activities.size["height"]
    activities.send_keys("Hello song", Keys.ENTER, "Shaker eggs", Keys.ENTER, "Big drum", Keys.ENTER, "Goodbye song")
    app.until(lambda: activities.size["height"] > before + 20, 5, "the activities box does not grow with its text")
    wait_saved(app)
    entry = json.loads(home.cli("--json", "list").stdout)[0]
    shown = json.loads(home.cli("--json", "show", entry["id"]).stdout)
    assert shown["kind"] == "reflection"
    assert shown["session"]["setting"] == "Sunflower Nursery"
    assert shown["session"]["group"] == "Toddler room"
    app.screenshot("facts")
    # The preview shows the entry as it will be shared: what it is, its title and its facts.
    app.wait("mode-preview").click()
    frame = app.wait("preview-frame")
    app.until(lambda: "Sunflower Nursery" in (frame.get_attribute("srcdoc") or ""), 10, "the preview lacks the facts")
    doc = frame.get_attribute("srcdoc")
    assert "<h1>Circle time that went quiet</h1>" in doc and "<dt>Group</dt><dd>Toddler room</dd>" in doc
    assert "<html lang=\"en\">" in doc, "the preview document names its language"
    assert "Reflection · " in doc and "Gibbs&#x27; reflective cycle" in doc
    app.screenshot("preview-with-facts")
    app.wait("mode-write").click()
    # The facts are searched: the setting finds the entry in the app and on the command line.
    app.wait("nav-search").click()
    app.wait("search-input").send_keys("Sunflower")
    app.until(lambda: any("Circle time that went quiet" in text(r) for r in app.all("search-result")), 10,
              "searching the setting finds nothing")
    found = json.loads(home.cli("--json", "search", "toddler room").stdout)
    assert [h["entry"]["title"] for h in found["entries"]] == ["Circle time that went quiet"], found
    # And the journal's filter bar narrows to a setting, whatever its case.
    home.cli("new", "--title", "Elsewhere", "--body", "x", "--kind", "session-record", "--setting", "Bluebell Centre")
    app.wait("nav-journal").click()
    app.until(lambda: len(app.all("entry-row")) == 2, 10, "the second entry is not listed")
    app.wait("toggle-filters").click()
    box = app.wait("filter-setting")
    box.send_keys("sunflower nursery", Keys.TAB)
    app.until(lambda: [t.split("\n")[0] for t in row_titles(app)] == ["Circle time that went quiet"], 10,
              "the setting filter does not narrow the timeline")


def test_the_new_entry_chooser_is_driven_by_keys_and_keeps_focus_inside(home, launch):
    from selenium.webdriver.common.action_chains import ActionChains
    with_profile(home)
    app = launch()
    app.wait("new-entry")
    ActionChains(app.driver).key_down(Keys.CONTROL).send_keys("n").key_up(Keys.CONTROL).perform()
    chooser = app.wait("new-entry-chooser")
    active = lambda: app.driver.switch_to.active_element
    app.until(lambda: active().get_attribute("data-testid") == "new-quick-note", 5,
              "the chooser does not open on its first choice")
    ActionChains(app.driver).send_keys(Keys.ARROW_DOWN).perform()
    assert active().get_attribute("data-testid") == "new-session-record"
    # Real Shift+Tab presses, as WebKitGTK reports them, never leave the dialog.
    for _ in range(6):
        ActionChains(app.driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        assert app.driver.execute_script("return arguments[0].contains(document.activeElement);", chooser), \
            "focus escaped the dialog"
    ActionChains(app.driver).send_keys(Keys.ESCAPE).perform()
    app.until(lambda: not app.all("new-entry-chooser"), 5, "Escape does not close the chooser")


def test_the_command_line_writes_while_the_app_is_open_and_the_app_shows_it(home, launch):
    with_profile(home)
    home.cli("new", "--title", "Written before", "--body", "x")
    app = launch()
    app.until(lambda: any("Written before" in t for t in row_titles(app)), 10, "the first entry is not shown")
    home.cli("new", "--title", "Logged from a script", "--body", "While the app was open.")
    home.cli("cpd", "add", "--title", "Makaton", "--type", "course", "--date", "2026-03-04", "--hours", "2")
    start = time.monotonic()
    app.until(lambda: any("Logged from a script" in t for t in row_titles(app)), 2.5,
              "the app did not show an entry written by the command line")
    assert time.monotonic() - start < 2.5
    app.screenshot("outside-write")


AXE = Path(__file__).resolve().parents[2] / "ui" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(app):
    """Runs axe-core in the real webview on the page as it is; returns the violations."""
    app.driver.execute_script(AXE.read_text() + "\nwindow.__axeLoaded = true;")
    result = app.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document)"
        ".then(r => done({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id,"
        " impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))}))"
        ".catch(e => done({passes: 0, violations: [{id: 'axe-failed', nodes: [String(e)]}]}));")
    assert result["passes"] > 10, f"axe did not really run: {result}"
    return result["violations"]


def test_every_view_has_no_accessibility_violations_light_and_dark(home, launch):
    with_profile(home)
    home.cli("demo", "--entries", "30")
    app = launch()
    app.driver.set_script_timeout(30)
    app.until(lambda: len(app.all("entry-row")) > 0, 15, "the timeline never filled")
    found = {}
    for theme in ("light", "dark"):
        app.wait("nav-settings").click()
        app.wait(f"theme-{theme}", visible=False).click()
        for view in ("journal", "search", "trash", "settings"):
            app.wait(f"nav-{view}").click()
            time.sleep(0.5)
            if view == "journal":
                app.all("entry-row")[0].click()
                app.wait("editor-content")
            for v in axe_violations(app):
                found.setdefault(f"{theme}/{view}/{v['id']}", v)
        app.wait("nav-journal").click()
        app.wait("mode-preview").click()
        app.wait("preview-frame")
        time.sleep(0.5)
        for v in axe_violations(app):
            found.setdefault(f"{theme}/preview/{v['id']}", v)
        app.wait("mode-write").click()
    assert not found, json.dumps(found, indent=1)


def test_the_skip_link_comes_first_and_moves_to_the_main_area(home, launch):
    from selenium.webdriver.common.action_chains import ActionChains
    with_profile(home)
    app = launch()
    app.wait("new-entry")
    app.driver.execute_script("document.activeElement && document.activeElement.blur();")
    ActionChains(app.driver).send_keys(Keys.TAB).perform()
    assert app.driver.switch_to.active_element.get_attribute("data-testid") == "skip-link"
    ActionChains(app.driver).send_keys(Keys.ENTER).perform()
    app.until(lambda: app.driver.switch_to.active_element.get_attribute("id") == "main", 5,
              "the skip link does not move to the main area")


def test_the_smallest_window_shows_dates_kinds_and_facts_whole_in_split_mode(home, launch):
    with_profile(home)
    app = launch()
    app.driver.set_window_size(900, 600)
    app.wait("new-entry").click()
    app.wait("template-kolb").click()
    app.wait("title-input").send_keys("Narrow")
    app.wait("session-facts-toggle").click()
    app.wait("session-setting").send_keys("Sunflower Nursery")
    wait_saved(app)
    app.wait("mode-split").click()
    time.sleep(0.5)
    cut = app.driver.execute_script("""
        const out = [];
        const whole = (el, what) => { if (el && el.scrollWidth > el.clientWidth + 1) out.push(what); };
        whole(document.querySelector('[data-testid=date-input]'), 'date');
        const kind = document.querySelector('select.input');
        if (kind && kind.getBoundingClientRect().width < 120) out.push('kind');
        const box = document.querySelector('.facts').getBoundingClientRect();
        for (const i of document.querySelectorAll('.facts input, .facts textarea'))
            if (i.getBoundingClientRect().right > box.right + 1) out.push('fact ' + (i.id || i.name));
        return out;""")
    app.screenshot("narrow-split")
    assert cut == [], cut


def test_fields_hold_to_the_journal_s_limits_as_they_are_typed_and_the_entry_still_saves(home, launch):
    with_profile(home)
    app = launch()
    app.wait("new-entry").click()
    app.wait("new-quick-note").click()
    title = app.wait("title-input")
    title.send_keys("A" * 310)
    assert len(title.get_attribute("value")) == 300, "the title field took more than the journal keeps"
    assert "up to 300 characters" in text(app.wait("title-limit"))
    type_into_editor(app, "The rest goes here.")
    wait_saved(app)
    saved = json.loads(home.cli("--json", "list").stdout)[0]
    assert saved["title"] == "A" * 300
    tags = app.wait("tag-input")
    tags.send_keys("t" * 70)
    assert len(tags.get_attribute("value")) == 60
    assert "up to 60 characters" in text(app.wait("tag-limit"))
    tags.send_keys(Keys.ENTER)
    wait_saved(app)
    assert json.loads(home.cli("--json", "list").stdout)[0]["tags"] == ["t" * 60]


def test_a_recording_that_cannot_be_played_says_so_and_still_opens(home, launch):
    with_profile(home)
    (home.dialogs / "attachment.mp3").write_bytes(b"not really an mp3 " * 400)
    app = launch()
    app.wait("new-entry").click()
    app.wait("new-quick-note").click()
    type_into_editor(app, "A broken recording.")
    wait_saved(app)
    app.wait("add-attachment").click()
    said = text(app.wait("media-error", 15))
    assert "Open it in another program instead" in said, said
    assert app.wait("open-attachment").is_enabled()


def test_typing_is_held_when_the_open_entry_changes_outside_and_the_person_chooses(home, launch):
    with_profile(home)
    app = launch()
    app.wait("new-entry").click()
    app.wait("new-quick-note").click()
    app.wait("title-input").send_keys("Mine")
    type_into_editor(app, "First words.")
    wait_saved(app)
    eid = json.loads(home.cli("--json", "list").stdout)[0]["id"]
    type_into_editor(app, " More typing not yet saved")
    home.cli("edit", eid, "--title", "Changed outside")
    app.until(lambda: app.all("outside-change"), 10, "no choice was offered")
    time.sleep(2)  # past the autosave: nothing may be written meanwhile
    assert json.loads(home.cli("--json", "show", eid).stdout)["title"] == "Changed outside"
    app.screenshot("outside-change")
    app.wait("keep-mine").click()
    wait_saved(app)
    kept = json.loads(home.cli("--json", "show", eid).stdout)
    assert kept["title"] == "Mine" and "More typing not yet saved" in kept["body"], kept
