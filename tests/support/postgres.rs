//! PostgreSQL for the store tests, on a real server: never a fake, never a
//! skip.
//!
//! - [`server_url`]: the server `scripts/with-postgres` started for the
//!   test run (`CAREER_BOT_TEST_POSTGRES_URL`). Without it the test fails
//!   with a message saying how to run it.
//! - [`fresh_database`]: a database of the test's own on that server, so
//!   nothing is shared between tests.
//! - [`OwnPostgres`]: a server of the test's own (its own cluster, port and
//!   data), for tests that crash the store and bring it back.
//!
//! Everything goes through PostgreSQL's own programs (`psql`, `initdb`,
//! `pg_ctl`, `pg_isready`) from `CAREER_BOT_TEST_POSTGRES_BIN`, else from
//! `PATH`; no Rust client is needed here. As root, the server programs run
//! as `CAREER_BOT_TEST_POSTGRES_USER` (PostgreSQL refuses to run as root),
//! as the script does. Every wait is bounded.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The server's URL (`postgres://USER@127.0.0.1:PORT/postgres`).
pub const URL_VAR: &str = "CAREER_BOT_TEST_POSTGRES_URL";
/// The directory of PostgreSQL's programs.
pub const BIN_VAR: &str = "CAREER_BOT_TEST_POSTGRES_BIN";
/// The OS user the server programs run as.
pub const USER_VAR: &str = "CAREER_BOT_TEST_POSTGRES_USER";

/// How long a server may take to start or stop.
const SERVER_WAIT: Duration = Duration::from_secs(60);

fn missing(var: &str) -> ! {
    panic!(
        "{var} is not set: run the tests with scripts/with-postgres \
         (e.g. `scripts/with-postgres cargo test`), which starts a throwaway \
         PostgreSQL server for them"
    )
}

/// The URL of the test run's PostgreSQL server. Panics when the tests were
/// not started under `scripts/with-postgres`.
pub fn server_url() -> String {
    match std::env::var(URL_VAR) {
        Ok(url) if !url.is_empty() => url,
        _ => missing(URL_VAR),
    }
}

/// `program` from `CAREER_BOT_TEST_POSTGRES_BIN` when it is there, else
/// from `PATH`.
fn program(name: &str) -> PathBuf {
    if let Ok(dir) = std::env::var(BIN_VAR) {
        let path = Path::new(&dir).join(name);
        if path.is_file() {
            return path;
        }
    }
    PathBuf::from(name)
}

/// Runs `sql` with `psql` against `url`: its unaligned, tuples-only output
/// (trimmed), or its error output when it fails (including when nothing
/// answers at `url`).
pub fn query(url: &str, sql: &str) -> Result<String, String> {
    let output = Command::new(program("psql"))
        .args([
            "-X",
            "-q",
            "-A",
            "-t",
            "-v",
            "ON_ERROR_STOP=1",
            "-d",
            url,
            "-c",
            sql,
        ])
        .env("PGCONNECT_TIMEOUT", "10")
        .output()
        .unwrap_or_else(|e| panic!("cannot run psql: {e}"));
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).trim().to_string())
    } else {
        Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
    }
}

/// `url` with its database replaced by `database`.
fn with_database(url: &str, database: &str) -> String {
    let (base, params) = match url.split_once('?') {
        Some((base, params)) => (base, Some(params)),
        None => (url, None),
    };
    let authority_end = base
        .find("://")
        .map(|scheme| scheme + 3)
        .and_then(|start| base[start..].find('/').map(|slash| start + slash))
        .unwrap_or(base.len());
    let mut result = format!("{}/{database}", &base[..authority_end]);
    if let Some(params) = params {
        result.push('?');
        result.push_str(params);
    }
    result
}

/// Creates a database no other test uses on the run's server and returns
/// its URL. Its name comes from the process id, a counter and the clock, so
/// tests of concurrent runs and threads never meet.
pub fn fresh_database() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let url = server_url();
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let name = format!(
        "career_bot_test_{}_{}_{nanos}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    if let Err(error) = query(&url, &format!("CREATE DATABASE \"{name}\"")) {
        panic!("cannot create database {name} on {url}: {error}");
    }
    with_database(&url, &name)
}

/// Whether this process runs as root (`id -u` says 0).
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A PostgreSQL server of one test's own: its own cluster in a temporary
/// directory, on a loopback port of its own. [`OwnPostgres::stop`] kills
/// it the way a crash would; [`OwnPostgres::start_again`] brings it back
/// on the same port with the same data. Dropping it stops it and deletes
/// the directory.
pub struct OwnPostgres {
    dir: tempfile::TempDir,
    bindir: Option<PathBuf>,
    /// The user the server programs run as (`runuser -u`), when root.
    run_as: Option<String>,
    /// The cluster's superuser (the one in the URL).
    superuser: String,
    port: u16,
    running: bool,
}

impl OwnPostgres {
    /// Creates and starts the server; returns once it accepts connections.
    pub fn start() -> OwnPostgres {
        let bindir = std::env::var(BIN_VAR).ok().map(PathBuf::from);
        let (run_as, superuser) = if is_root() {
            let user = std::env::var(USER_VAR).unwrap_or_else(|_| missing(USER_VAR));
            (Some(user.clone()), user)
        } else {
            let output = Command::new("id").arg("-un").output();
            let name = output
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
                .unwrap_or_default();
            assert!(
                !name.is_empty(),
                "cannot tell who runs the tests (`id -un`)"
            );
            (None, name)
        };
        let dir = tempfile::Builder::new()
            .prefix("career-bot-own-postgres")
            .tempdir()
            .expect("a temporary directory for the cluster");
        std::fs::create_dir(dir.path().join("socket")).expect("the socket directory");
        let mut server = OwnPostgres {
            dir,
            bindir,
            run_as,
            superuser,
            port: 0,
            running: false,
        };
        if let Some(user) = &server.run_as {
            let chown = Command::new("chown")
                .arg("-R")
                .arg(user)
                .arg(server.dir.path())
                .status()
                .expect("chown runs");
            assert!(
                chown.success(),
                "cannot give the cluster directory to {user}"
            );
        }
        let data = server.data_dir();
        let output = server
            .server_program("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", &server.superuser, "--auth=trust", "--encoding=UTF8"])
            .args(["--locale=C", "--no-sync"])
            .output()
            .expect("initdb runs");
        assert_success("initdb", &output);
        // A free port can be taken between picking and binding it: retry
        // on a new one.
        let mut last_error = String::new();
        for _ in 0..5 {
            server.port = free_port();
            match server.start_server() {
                Ok(()) => return server,
                Err(error) => last_error = error,
            }
        }
        panic!("the test's own PostgreSQL did not start: {last_error}");
    }

    /// `postgres://USER@127.0.0.1:PORT/postgres`.
    pub fn url(&self) -> String {
        format!(
            "postgres://{}@127.0.0.1:{}/postgres",
            self.superuser, self.port
        )
    }

    /// The port it listens on (the same across restarts).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Stops the server at once, without a checkpoint, as a crash would
    /// (`pg_ctl stop -m immediate`); returns when it is gone.
    pub fn stop(&mut self) {
        let output = self.immediate_stop().output().expect("pg_ctl runs");
        assert_success("pg_ctl stop", &output);
        self.running = false;
    }

    /// Starts the stopped server again on the same port and data (it
    /// recovers from the crash first); returns when it accepts connections.
    pub fn start_again(&mut self) {
        if let Err(error) = self.start_server() {
            panic!("the test's own PostgreSQL did not start again: {error}");
        }
    }

    /// `pg_ctl stop` without a checkpoint, waiting until the server is gone.
    fn immediate_stop(&self) -> Command {
        let mut command = self.server_program("pg_ctl");
        command
            .arg("-D")
            .arg(self.data_dir())
            .args(["-m", "immediate", "-w", "-t"])
            .arg(SERVER_WAIT.as_secs().to_string())
            .arg("stop");
        command
    }

    fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// A server program, run as the server's user when root.
    fn server_program(&self, name: &str) -> Command {
        let path = match &self.bindir {
            Some(dir) => dir.join(name),
            None => PathBuf::from(name),
        };
        match &self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(path);
                command
            }
            None => Command::new(path),
        }
    }

    fn start_server(&mut self) -> Result<(), String> {
        // fsync off: the data only has to survive the server process, not
        // the machine. Commits stay synchronous (the WAL is written before
        // a commit returns): an immediate stop must not lose them.
        let options = format!(
            "-c listen_addresses=127.0.0.1 -p {} -c unix_socket_directories={} -c fsync=off",
            self.port,
            self.dir.path().join("socket").display()
        );
        let output = self
            .server_program("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .arg("-l")
            .arg(self.dir.path().join("server.log"))
            .args(["-w", "-t"])
            .arg(SERVER_WAIT.as_secs().to_string())
            .arg("-o")
            .arg(options)
            .arg("start")
            .output()
            .map_err(|e| format!("cannot run pg_ctl: {e}"))?;
        if !output.status.success() {
            let log =
                std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
            return Err(format!(
                "pg_ctl start failed: {}\nserver log:\n{log}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        self.running = true;
        // pg_ctl -w waited for the server; confirm the TCP listener, within
        // a bound.
        let deadline = Instant::now() + SERVER_WAIT;
        loop {
            let ready = Command::new(program("pg_isready"))
                .args(["-q", "-h", "127.0.0.1", "-p", &self.port.to_string()])
                .args(["-U", &self.superuser, "-d", "postgres", "-t", "5"])
                .status()
                .is_ok_and(|s| s.success());
            if ready {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "port {} not ready after {SERVER_WAIT:?}",
                    self.port
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        if self.running {
            let _ = self.immediate_stop().output();
        }
        // The TempDir removes the directory after this.
    }
}

fn assert_success(what: &str, output: &Output) {
    assert!(
        output.status.success(),
        "{what} failed ({}): {}{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A loopback port that was free a moment ago.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_of_a_url_is_replaced() {
        assert_eq!(
            with_database("postgres://pg@127.0.0.1:5/postgres", "t1"),
            "postgres://pg@127.0.0.1:5/t1"
        );
        assert_eq!(
            with_database("postgres://pg@127.0.0.1:5/postgres?sslmode=disable", "t1"),
            "postgres://pg@127.0.0.1:5/t1?sslmode=disable"
        );
        assert_eq!(
            with_database("postgres://pg@127.0.0.1:5", "t1"),
            "postgres://pg@127.0.0.1:5/t1"
        );
    }
}
