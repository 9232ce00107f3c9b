//! The server as a real process: started from a binary with flags, its address read from what
//! it prints, stopped by a real signal.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// The binary cargo built for these tests (the test profile).
pub fn test_binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_services-server"))
}

/// The release binary, as users run it (`make release-server` builds it; `make test` does).
pub fn release_binary() -> PathBuf {
    if let Ok(path) = std::env::var("SERVICES_SERVER_BIN") {
        return PathBuf::from(path);
    }
    let target = std::env::var("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../target")));
    let path = target.join("release/services-server");
    assert!(
        path.is_file(),
        "{} is missing: build it with `make release-server` (cargo build --release -p services-server)",
        path.display()
    );
    path
}

pub struct ServerProcess {
    pub child: Child,
    pub url: String,
    /// Everything it printed so far.
    pub output: Arc<Mutex<String>>,
}

/// A command for `binary` that runs in `dir` with none of the `SERVICES_*` settings of the
/// environment the tests run in.
pub fn command(binary: &Path, dir: &Path) -> Command {
    let mut command = Command::new(binary);
    command.current_dir(dir).kill_on_drop(true);
    for (key, _) in std::env::vars() {
        if key.starts_with("SERVICES_") {
            command.env_remove(key);
        }
    }
    command.env("RUST_LOG", "info");
    command
}

impl ServerProcess {
    /// Starts a server and waits until it says where it listens (pass `--addr 127.0.0.1:0`).
    pub async fn start(mut command: Command) -> ServerProcess {
        let mut child = command
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary starts");
        let output = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = tokio::sync::oneshot::channel::<Option<String>>();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let collected = output.clone();
        tokio::spawn(async move {
            let mut tx = Some(tx);
            let mut lines = BufReader::new(stdout).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Some(rest) = line.strip_prefix("Patchworks services list: ") {
                    let url = rest.split('/').take(3).collect::<Vec<_>>().join("/");
                    if let Some(tx) = tx.take() {
                        let _ = tx.send(Some(url));
                    }
                }
                collected.lock().unwrap().push_str(&format!("{line}\n"));
            }
            if let Some(tx) = tx.take() {
                let _ = tx.send(None);
            }
        });
        let collected = output.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                collected.lock().unwrap().push_str(&format!("{line}\n"));
            }
        });
        let url = tokio::time::timeout(Duration::from_secs(30), rx)
            .await
            .ok()
            .and_then(|r| r.ok())
            .flatten()
            .unwrap_or_else(|| {
                panic!(
                    "the server did not start: {}",
                    output.lock().unwrap().as_str()
                )
            });
        ServerProcess { child, url, output }
    }

    pub fn output(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    pub fn signal(&self, signal: i32) {
        let pid = self.child.id().expect("still running") as i32;
        // SAFETY: kill(2) with a pid of our own child and a valid signal number.
        assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    }

    /// Sends `signal` and waits (at most `within`) for the process to exit; its exit code.
    pub async fn stop_with(mut self, signal: i32, within: Duration) -> (Option<i32>, String) {
        self.signal(signal);
        let status = tokio::time::timeout(within, self.child.wait())
            .await
            .unwrap_or_else(|_| {
                panic!(
                    "the server did not exit within {within:?}: {}",
                    self.output()
                )
            })
            .unwrap();
        // Let the readers take the last lines.
        tokio::time::sleep(Duration::from_millis(100)).await;
        (status.code(), self.output())
    }
}

/// Runs a command to completion: (success, stdout, stderr).
pub async fn run(mut command: Command) -> (bool, String, String) {
    let output = command.output().await.expect("the binary runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}
