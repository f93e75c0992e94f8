//! The window's configuration and capabilities never loosen unnoticed: a page that could load
//! remote content or call more commands than it needs would put a journal about children at
//! the mercy of one bad string.
//!
//! These read the committed `tauri.conf.json` and `capabilities/` and fail on anything wider
//! than what the app needs. Widening one is a decision; make it here, with the reason.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

fn read(rel: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn csp() -> BTreeMap<String, Vec<String>> {
    let conf = read("tauri.conf.json");
    let csp = &conf["app"]["security"]["csp"];
    let map = csp
        .as_object()
        .expect("the CSP is written as a map of directives");
    map.iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.as_str()
                    .expect("directive text")
                    .split_whitespace()
                    .map(str::to_owned)
                    .collect(),
            )
        })
        .collect()
}

#[test]
fn the_csp_allows_only_the_apps_own_code_and_ipc() {
    let csp = csp();
    let get = |d: &str| {
        csp.get(d)
            .unwrap_or_else(|| panic!("CSP lacks {d}"))
            .clone()
    };
    assert_eq!(get("default-src"), ["'self'"]);
    assert_eq!(
        get("script-src"),
        ["'self'"],
        "no inline or eval'd script, no other origin"
    );
    assert_eq!(get("object-src"), ["'none'"]);
    assert_eq!(get("base-uri"), ["'none'"]);
    assert_eq!(get("form-action"), ["'none'"]);
    let own = [
        "'self'",
        "reprise-attachment:",
        "http://reprise-attachment.localhost",
    ];
    assert_eq!(
        get("connect-src"),
        ["ipc:", "http://ipc.localhost", own[1], own[2]],
        "IPC and the app's own attachments only: no network"
    );
    assert!(
        get("img-src").iter().all(|s| own.contains(&s.as_str())),
        "img-src reaches beyond the app: {:?}",
        get("img-src")
    );
    // WebKitGTK's media player cannot read a custom URI scheme, so recordings are fetched from
    // the attachment scheme (connect-src above) and played from a `blob:` URL the page made
    // itself. A blob URL names only bytes this page already holds: nothing from elsewhere.
    assert_eq!(get("media-src"), ["'self'", "blob:"]);
    assert_eq!(get("font-src"), ["'self'"], "no remote fonts");
    for (directive, sources) in &csp {
        for s in sources {
            assert!(
                !s.contains("unsafe-eval")
                    && !s.contains('*')
                    && !s.starts_with("https:")
                    && s != "http:"
                    && s != "data:"
                    && (s != "blob:" || directive == "media-src"),
                "{directive} allows {s}"
            );
            if s == "'unsafe-inline'" {
                assert_eq!(
                    directive, "style-src",
                    "only styles may be inline (CodeMirror sets them)"
                );
            }
        }
    }
}

#[test]
fn the_window_config_has_no_global_tauri_and_no_remote_pages() {
    let conf = read("tauri.conf.json");
    assert_eq!(conf["app"]["withGlobalTauri"], Value::Bool(false));
    assert_eq!(
        conf["app"]["security"]["freezePrototype"],
        Value::Bool(true)
    );
    assert!(conf["app"]["security"]["dangerousRemoteDomainIpcAccess"].is_null());
    // Tauri may add hashes to script-src; only style-src is left alone (see the CSP test).
    assert_eq!(
        conf["app"]["security"]["dangerousDisableAssetCspModification"],
        serde_json::json!(["style-src"])
    );
    assert_eq!(
        conf["build"]["frontendDist"], "../ui/dist",
        "the UI is bundled, never a URL"
    );
    for w in conf["app"]["windows"].as_array().expect("windows") {
        assert!(
            w["url"].is_null() || w["url"].as_str().is_some_and(|u| !u.contains("://")),
            "a window loads a remote URL"
        );
    }
}

#[test]
fn capabilities_grant_the_webview_only_event_listening_and_closing_itself() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("capabilities");
    let allowed = [
        "core:event:allow-listen",
        "core:event:allow-unlisten",
        "core:window:allow-destroy",
    ];
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("capabilities folder") {
        let path = entry.expect("entry").path();
        files += 1;
        let cap: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
        assert!(
            cap["remote"].is_null(),
            "{}: remote pages may not use IPC",
            path.display()
        );
        assert_eq!(
            cap["windows"],
            serde_json::json!(["main"]),
            "{}",
            path.display()
        );
        for p in cap["permissions"].as_array().expect("permissions") {
            let name = p.as_str().unwrap_or_else(|| {
                panic!(
                    "{}: scoped permissions are not allowed: {p}",
                    path.display()
                )
            });
            assert!(
                allowed.contains(&name),
                "{}: {name} is not on the allow-list",
                path.display()
            );
        }
    }
    assert_eq!(files, 1, "one capability file, for the one window");
}
