//! Helpers shared by the integration test binaries (`mod common;`).

use std::fs;
use std::path::Path;

/// Copies the folder `from` to `to`, recursively (fixtures into temporary folders).
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap_or_else(|e| panic!("create {}: {e}", to.display()));
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display())) {
        let entry = entry.expect("directory entry");
        let dest = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &dest);
        } else {
            fs::copy(entry.path(), &dest)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}

/// Where the `<div>` element opened at `start` ends (nested `<div>`s matched).
// Not every test binary that includes this module uses every helper.
#[allow(dead_code)]
pub fn element_end(html: &str, start: usize) -> usize {
    let mut depth = 0usize;
    let mut at = start;
    loop {
        let open = html[at..].find("<div").map(|i| at + i);
        let Some(close) = html[at..].find("</div>").map(|i| at + i) else {
            return html.len();
        };
        match open {
            Some(o) if o < close => {
                depth += 1;
                at = o + "<div".len();
            }
            _ => {
                depth = depth.saturating_sub(1);
                at = close + "</div>".len();
                if depth == 0 {
                    return at;
                }
            }
        }
    }
}
