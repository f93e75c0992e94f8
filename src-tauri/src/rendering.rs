//! How WebKitGTK draws, chosen before it starts.
//!
//! By default WebKitGTK composites the page in layers with OpenGL and paints them with Skia on
//! the GPU. A machine without a GPU (most virtual machines and thin clients) still has
//! OpenGL, but Mesa then runs it on the CPU (llvmpipe): the layers, the GPU painting and
//! LLVM's shader compiler cost memory and CPU time for nothing. There, WebKit's older path
//! draws the same page in software without layers. Measured on the 50,000-entry journal without
//! a GPU (docs/PERFORMANCE.md): the app and its WebKit processes used 365 MB (PSS) at idle by
//! default, 322 MB with Skia painting on the CPU, and about 250 MB drawing without layers.
//!
//! So without a GPU render node this user can open, we ask for drawing without layers, and for
//! CPU painting in case a later WebKit ignores the first. With a GPU, and for any variable the
//! person has set themselves, WebKit keeps its own choice. (A GPU whose driver offers no render
//! node, as NVIDIA's without `nvidia-drm`, is taken for none; setting
//! `WEBKIT_DISABLE_COMPOSITING_MODE=0` keeps WebKit's layers.)
//!
//! WebKit reads these once, when its first web view starts, so [`choose_renderer`] runs first
//! thing in `main`, before any thread exists.

use std::ffi::OsString;

/// WebKitGTK's switch for drawing without compositing layers.
pub const NO_LAYERS_VAR: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
/// WebKitGTK's switch for Skia's CPU painter (2.46 and later; older versions ignore it).
pub const CPU_PAINTING_VAR: &str = "WEBKIT_SKIA_ENABLE_CPU_RENDERING";

/// The variables to set, given which of them the person has set, the names in the DRM device
/// folder, and whether a device there can be opened: none when a render node (`renderD128`, …)
/// opens, i.e. a GPU can draw for this user.
pub fn software_rendering_vars(
    set_by_person: impl Fn(&str) -> bool,
    dri_entries: impl IntoIterator<Item = OsString>,
    opens: impl Fn(&OsString) -> bool,
) -> Vec<&'static str> {
    let gpu = dri_entries
        .into_iter()
        .any(|name| name.to_string_lossy().starts_with("renderD") && opens(&name));
    if gpu {
        return Vec::new();
    }
    [NO_LAYERS_VAR, CPU_PAINTING_VAR]
        .into_iter()
        .filter(|var| !set_by_person(var))
        .collect()
}

/// Sets what [`software_rendering_vars`] names. Call before any thread starts.
pub fn choose_renderer() {
    if !cfg!(target_os = "linux") {
        return;
    }
    let entries = std::fs::read_dir("/dev/dri")
        .map(|dir| dir.flatten().map(|e| e.file_name()).collect::<Vec<_>>())
        .unwrap_or_default();
    let opens = |name: &OsString| {
        let path = std::path::Path::new("/dev/dri").join(name);
        std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .is_ok()
    };
    for var in software_rendering_vars(|v| std::env::var_os(v).is_some(), entries, opens) {
        std::env::set_var(var, "1");
    }
}

#[cfg(test)]
mod tests {
    use super::{software_rendering_vars, CPU_PAINTING_VAR, NO_LAYERS_VAR};
    use std::ffi::OsString;

    fn names(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn software_drawing_only_without_a_render_node_and_never_over_the_persons_choice() {
        let unset = |_: &str| false;
        let yes = |_: &OsString| true;
        let both = vec![NO_LAYERS_VAR, CPU_PAINTING_VAR];
        // No /dev/dri at all (Xvfb, most virtual machines), or only a display card.
        assert_eq!(software_rendering_vars(unset, names(&[]), yes), both);
        assert_eq!(
            software_rendering_vars(unset, names(&["card0", "by-path"]), yes),
            both
        );
        // A GPU that can render.
        assert!(software_rendering_vars(unset, names(&["card0", "renderD128"]), yes).is_empty());
        assert!(software_rendering_vars(unset, names(&["card1", "renderD129"]), yes).is_empty());
        // A render node this user may not open (not in its group, a container): no GPU for us.
        let no = |_: &OsString| false;
        assert_eq!(
            software_rendering_vars(unset, names(&["renderD128"]), no),
            both
        );
        // A variable the person set (to anything, even to keep layers) stands.
        let layers_chosen = |v: &str| v == NO_LAYERS_VAR;
        assert_eq!(
            software_rendering_vars(layers_chosen, names(&[]), yes),
            [CPU_PAINTING_VAR]
        );
        assert!(software_rendering_vars(|_| true, names(&[]), yes).is_empty());
    }
}
