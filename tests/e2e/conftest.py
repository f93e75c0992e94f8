"""Drive the real Reprise desktop app through tauri-driver and WebKitWebDriver.

Each test gets its own temporary home: journal, XDG folders and the folder the app's file
dialogs answer from (REPRISE_TEST_DIALOG_DIR), so tests never touch a real journal.
Screenshots of what each test saw are saved under tests/e2e/artifacts/: taken from the X
display, cropped to the app's window, i.e. what a person would see.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from PIL import ImageGrab
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
APP = os.environ.get("REPRISE_APP", str(ROOT / "target/debug/reprise-desktop"))
CLI = os.environ.get("REPRISE_CLI", str(ROOT / "target/debug/reprise"))
DRIVER = os.environ.get("TAURI_DRIVER", str(ROOT / ".tools/bin/tauri-driver"))
ARTIFACTS = ROOT / "tests/e2e/artifacts"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"tauri-driver did not listen on {port}")


class Home:
    """A temporary home for one test: journal, XDG dirs, dialog answers."""

    def __init__(self, base: Path):
        self.base = base
        self.data = base / "data"
        self.journal = self.data / "journal.reprise"
        self.dialogs = base / "dialogs"
        for d in (self.data, self.dialogs, base / "config", base / "cache", base / "runtime"):
            d.mkdir(parents=True, exist_ok=True)
        os.chmod(base / "runtime", 0o700)

    def env(self):
        env = dict(os.environ)
        env.update(
            REPRISE_JOURNAL=str(self.journal),
            REPRISE_TEST_DIALOG_DIR=str(self.dialogs),
            XDG_DATA_HOME=str(self.base / "xdg-data"),
            XDG_CONFIG_HOME=str(self.base / "config"),
            XDG_CACHE_HOME=str(self.base / "cache"),
            XDG_RUNTIME_DIR=str(self.base / "runtime"),
            HOME=str(self.base),
            RUST_BACKTRACE="0",
            # On the X display the tests run on (Xvfb), even when started from a Wayland desktop.
            GDK_BACKEND="x11",
        )
        env.pop("WAYLAND_DISPLAY", None)
        return env

    def cli(self, *args, check=True):
        """Runs the `reprise` command line on this home's journal."""
        return subprocess.run(
            [CLI, "--journal", str(self.journal), *args],
            env=self.env(), check=check, capture_output=True, text=True, timeout=60,
        )


class App:
    """One running app under tauri-driver."""

    def __init__(self, home: Home, name: str):
        self.home = home
        self.name = name
        self.tag = f"--e2e-instance={uuid.uuid4()}"
        # Starting a WebDriver session now and then fails before the app is involved (a port
        # taken between choosing it and binding it, a driver not quite ready): try again, on
        # fresh ports. An app that cannot start fails every attempt.
        for attempt in range(3):
            try:
                self._start()
                break
            except Exception:
                self._stop_driver()
                if attempt == 2:
                    raise

    def _start(self):
        self.port = free_port()
        self.native_port = free_port()
        self.driver_proc = subprocess.Popen(
            [DRIVER, "--port", str(self.port), "--native-port", str(self.native_port)],
            env=self.home.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_port(self.port)
        options = webdriver.common.options.ArgOptions()
        options.set_capability("tauri:options", {"application": APP, "args": [self.tag]})
        self.driver = webdriver.Remote(command_executor=f"http://127.0.0.1:{self.port}", options=options)

    def _stop_driver(self):
        self.kill_app()
        proc = getattr(self, "driver_proc", None)
        if proc is None:
            return
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        proc.wait(timeout=10)

    # --- finding things -------------------------------------------------------------
    def wait(self, testid, timeout=10, visible=True):
        def find(d):
            els = d.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')
            els = [e for e in els if e.is_displayed()] if visible else els
            return els[0] if els else False
        return WebDriverWait(self.driver, timeout).until(find, f"no visible [data-testid={testid}]")

    def all(self, testid):
        return self.driver.find_elements(By.CSS_SELECTOR, f'[data-testid="{testid}"]')

    def until(self, predicate, timeout=10, message="condition not met"):
        return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(lambda d: predicate(), message)

    def screenshot(self, label):
        # From the display, not WebDriver: without a GPU the app draws without compositing
        # layers, and then WebKitGTK 2.50's WebDriver screenshot never returns once a sandboxed
        # iframe (the preview) has been shown. The display also shows what a person sees.
        time.sleep(0.4)  # let the last change reach the screen
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{label}.png"
        r = self.driver.get_window_rect()
        box = (r["x"], r["y"], r["x"] + r["width"], r["y"] + r["height"])
        ImageGrab.grab(bbox=box, xdisplay=os.environ["DISPLAY"]).save(path)
        return path

    # --- ending ---------------------------------------------------------------------
    def kill_app(self):
        """SIGKILLs the app process itself (not the driver): a crash, as far as it knows."""
        subprocess.run(["pkill", "-9", "-f", "--", self.tag], check=False)

    def quit(self):
        if getattr(self, "closed", False):
            return
        self.closed = True
        try:
            self.driver.quit()
        except Exception:  # the app may already be gone (killed by the test): nothing to close
            pass
        self._stop_driver()


@pytest.fixture
def home(tmp_path):
    return Home(tmp_path)


@pytest.fixture
def launch(home, request):
    """Starts the app (again, if called twice; on another home if given); every instance is
    stopped after the test."""
    apps = []

    def start(label=None, on=None):
        app = App(on or home, label or request.node.name)
        apps.append(app)
        return app

    yield start
    for app in apps:
        app.quit()


def pytest_sessionstart(session):
    for tool in (APP, CLI, DRIVER):
        if not Path(tool).exists():
            raise pytest.UsageError(f"{tool} is missing: run `make e2e` (it builds everything first)")
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
