//! Command-line options: `--bind` and a taken `--port`.

use std::net::TcpListener;

use crate::{serve, spawn};

#[test]
fn binding_all_interfaces_warns_about_the_network() {
    let s = serve(&["--bind", "0.0.0.0"]);
    let err = s.stderr();
    let warning = err
        .lines()
        .find(|l| l.to_ascii_lowercase().contains("network"))
        .unwrap_or_else(|| panic!("no warning about the network:\n{err}"));
    assert!(
        warning.to_ascii_lowercase().contains("warning"),
        "{warning}"
    );
}

#[test]
fn a_taken_port_moves_to_another() {
    let held = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = held.local_addr().unwrap().port();
    let port_arg = port.to_string();
    let s = spawn(&["--port", &port_arg]);
    let err = s.stderr();
    assert!(
        err.contains(&format!("port {port} is in use")),
        "no word of port {port} being in use:\n{err}"
    );
    assert_ne!(s.addr.port(), port, "{err}");
    let home = s.page("/", 200);
    assert!(home.contains("Serve Test Handbook"), "{home}");
    drop(held);
}
