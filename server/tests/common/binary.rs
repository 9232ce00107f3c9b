//! The release build of the server binary (`target/release/services-server`, which `make test`
//! builds first), started as a real process.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// `SERVICES_RELEASE_BIN`, or the release build in the workspace's target folder.
pub fn release_binary() -> PathBuf {
    let path = std::env::var_os("SERVICES_RELEASE_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
            target.join("release/services-server")
        });
    assert!(
        path.is_file(),
        "{} is missing: build it with `cargo build --release -p services-server` (make test does)",
        path.display()
    );
    path
}

pub struct Binary {
    pub child: Child,
    /// `http://127.0.0.1:<port>`
    pub url: String,
    /// The demo tokens it printed, in order (company 1's admin first).
    pub tokens: Vec<String>,
    output: Arc<Mutex<Vec<String>>>,
}

impl Binary {
    /// Starts the release binary with `args` (and `envs`) and waits until it says where it
    /// listens.
    pub fn start(args: &[&str], envs: &[(&str, &str)]) -> Binary {
        let mut command = Command::new(release_binary());
        command
            .args(args)
            .env("RUST_LOG", "info")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in envs {
            command.env(key, value);
        }
        let mut child = command.spawn().expect("the release binary starts");
        let output = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
            Box::new(child.stderr.take().unwrap()),
        ] {
            let output = output.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    output.lock().unwrap().push(line);
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        let url = loop {
            let found = output.lock().unwrap().iter().find_map(|line| {
                line.strip_prefix("Patchworks services list: ")
                    .map(|url| url.trim_end_matches('/').to_string())
            });
            if let Some(url) = found {
                break url;
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "the release binary exited with {status}: {:#?}",
                    output.lock().unwrap()
                );
            }
            assert!(
                Instant::now() < deadline,
                "the release binary did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let tokens = output
            .lock()
            .unwrap()
            .iter()
            .filter_map(|line| line.split_whitespace().last())
            .filter(|word| word.starts_with("pw_"))
            .map(str::to_string)
            .collect();
        Binary {
            child,
            url,
            tokens,
            output,
        }
    }

    /// Everything it wrote to stdout and stderr so far.
    pub fn output(&self) -> Vec<String> {
        self.output.lock().unwrap().clone()
    }

    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// SIGKILL: no chance to clean up.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Binary {
    fn drop(&mut self) {
        self.kill();
    }
}
