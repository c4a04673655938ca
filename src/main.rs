// mimalloc: the build allocates many small strings from several threads; glibc
// malloc spent ~15% of a 10k-entry build in _int_malloc/malloc_consolidate.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    lockgen::cli::run()
}
