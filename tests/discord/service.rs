//! The systemd unit in `contrib/`: it runs the bot the way the README
//! says, and systemd accepts it (`systemd-analyze verify`, where systemd
//! is installed; the structure is checked everywhere).

use std::process::Command;

use crate::support::bot::binary;

const UNIT: &str = include_str!("../../contrib/career-bot.service");

/// The path the unit runs the bot from.
const INSTALLED: &str = "/opt/career-bot/career-bot";

/// `key=value` lines of section `[name]`.
fn section<'a>(unit: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let header = format!("[{name}]");
    unit.lines()
        .map(str::trim)
        .skip_while(|line| *line != header)
        .skip(1)
        .take_while(|line| !line.starts_with('['))
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .filter_map(|line| line.split_once('='))
        .collect()
}

#[test]
fn the_unit_runs_the_bot_with_its_config_and_knowledge() {
    let service = section(UNIT, "Service");
    let value = |key: &str| {
        service
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
            .unwrap_or_else(|| panic!("[Service] has {key}"))
    };
    let exec = value("ExecStart");
    assert!(exec.starts_with(INSTALLED), "{exec}");
    assert!(exec.contains(" run --config "), "{exec}");
    assert!(
        exec.contains(" --knowledge "),
        "/reload needs files: {exec}"
    );
    assert!(value("ExecReload").contains("-HUP"), "reload is SIGHUP");
    assert_eq!(value("Restart"), "on-failure");
    assert!(value("EnvironmentFile").starts_with("/etc/"));
    assert!(!section(UNIT, "Unit").is_empty());
    assert_eq!(
        section(UNIT, "Install"),
        [("WantedBy", "multi-user.target")]
    );
}

#[test]
fn systemd_accepts_the_unit() {
    let available = Command::new("systemd-analyze")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if !available {
        eprintln!("systemd-analyze is not installed: structure checked only");
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    // verify checks that the program exists: point it at the real binary.
    let unit = UNIT.replace(INSTALLED, &binary().to_string_lossy());
    let path = dir.path().join("career-bot.service");
    std::fs::write(&path, unit).expect("the unit is written");
    let output = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&path)
        .output()
        .expect("systemd-analyze runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        !stderr.contains("career-bot.service"),
        "no warning about the unit: {stderr}"
    );
}
