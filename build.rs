// The default theme is embedded with include_dir!, which cargo does not track
// for added or removed files: rebuild whenever anything under it changes.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    println!("cargo:rerun-if-changed=build.rs");
}
