fn main() -> std::process::ExitCode {
    lockgen::cli::run()
}
