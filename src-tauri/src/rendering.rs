//! How WebKitGTK paints, chosen before it starts.
//!
//! WebKitGTK paints pages with Skia, on the GPU through OpenGL by default. A machine without a
//! GPU (a virtual machine, a thin client, a remote desktop) still has OpenGL, but Mesa then runs
//! it on the CPU (llvmpipe), so the GPU path costs CPU time and memory for nothing: measured on
//! the 50,000-entry journal, the web process used about 30 MB more at idle than with Skia's own
//! CPU painter, for the same pixels (docs/PERFORMANCE.md). Without a GPU render node we ask
//! for CPU painting; with one, and whenever the person has set the variable themselves, WebKit
//! keeps its default.
//!
//! WebKit reads the variable once, when its first web view starts, so [`choose_painter`] runs
//! first thing in `main`, before any thread exists.

use std::ffi::OsString;

/// WebKitGTK's switch for Skia's CPU painter (2.46 and later; older versions ignore it).
pub const CPU_PAINTING_VAR: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// Whether to ask for CPU painting: only when the person has not chosen, and no entry of the
/// DRM device folder is a render node (`renderD128`, …), i.e. no GPU can draw for us.
pub fn wants_cpu_painting(
    set_by_person: bool,
    dri_entries: impl IntoIterator<Item = OsString>,
) -> bool {
    !set_by_person
        && !dri_entries
            .into_iter()
            .any(|name| name.to_string_lossy().starts_with("renderD"))
}

/// Sets [`CPU_PAINTING_VAR`] when [`wants_cpu_painting`] says so. Call before any thread starts.
pub fn choose_painter() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let entries = std::fs::read_dir("/dev/dri")
        .map(|dir| dir.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
        .unwrap_or_default();
    if wants_cpu_painting(std::env::var_os(CPU_PAINTING_VAR).is_some(), entries) {
        std::env::set_var(CPU_PAINTING_VAR, "1");
    }
}

#[cfg(test)]
mod tests {
    use super::wants_cpu_painting;
    use std::ffi::OsString;

    fn names(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn cpu_painting_only_without_a_render_node_and_never_over_the_persons_choice() {
        // No /dev/dri at all (Xvfb, most virtual machines), or only a display card.
        assert!(wants_cpu_painting(false, names(&[])));
        assert!(wants_cpu_painting(false, names(&["card0", "by-path"])));
        // A GPU that can render.
        assert!(!wants_cpu_painting(false, names(&["card0", "renderD128"])));
        assert!(!wants_cpu_painting(
            false,
            names(&["card1", "renderD129", "card0"])
        ));
        // The person set the variable (to anything): theirs stands.
        assert!(!wants_cpu_painting(true, names(&[])));
    }
}
