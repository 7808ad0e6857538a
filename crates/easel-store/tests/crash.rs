//! Kills a real writer process with SIGKILL at many points and checks, after each restart,
//! that every acknowledged write is there and nothing unacknowledged is half there.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use easel_core::model::{BoardState, Grantee};
use easel_store::{Durable, SqliteBackend};

/// How many times the writer is killed.
const KILL_POINTS: usize = 24;

#[test]
fn acknowledged_writes_survive_sigkill_and_nothing_is_half_written() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let db = dir.path().join("easel.db");
    let mut acked: Vec<(i64, String, String)> = Vec::new();
    for point in 0..KILL_POINTS {
        let mut child = Command::new(env!("CARGO_BIN_EXE_easel-crash-writer"))
            .arg(&db)
            .arg("1000")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("starting the writer: {e}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let mut lines = BufReader::new(stdout).lines();
        // Read a different number of acknowledgements each time, then kill at once, so the
        // kill lands at many places in the write path.
        let wanted = 1 + (point * 7) % 23;
        for _ in 0..wanted {
            let Some(Ok(line)) = lines.next() else { break };
            let parts: Vec<&str> = line.split(' ').collect();
            if let [_, revision, kind, board] = parts[..] {
                let revision: i64 = revision.parse().unwrap_or_else(|e| panic!("{line}: {e}"));
                acked.push((revision, kind.to_string(), board.to_string()));
            }
        }
        child.kill().unwrap_or_else(|e| panic!("kill: {e}"));
        let _ = child.wait();

        // Reopen as the next process would.
        let backend = SqliteBackend::open(&db)
            .unwrap_or_else(|e| panic!("reopening after kill {point}: {e}"));
        let (durable, _) =
            Durable::open(backend).unwrap_or_else(|e| panic!("replaying after kill {point}: {e}"));
        let state = durable.state();
        for (revision, kind, board) in &acked {
            assert!(
                *revision <= durable.revision(),
                "acknowledged revision {revision} lost after kill {point}"
            );
            let b = state
                .find_board(board)
                .unwrap_or_else(|| panic!("acknowledged board {board} lost after kill {point}"));
            let grants = state.board(b).map_or(0, |b| b.grants.len());
            if kind == "shared" {
                assert_eq!(
                    grants, 3,
                    "acknowledged share of {board} lost after kill {point}"
                );
            }
        }
        // Whatever was written, acknowledged or not, is whole: a share is all three grants
        // or none.
        for (_, board) in state.all_boards() {
            assert_eq!(board.state, BoardState::Active);
            let users = board
                .grants
                .iter()
                .filter(|(g, _)| matches!(g, Grantee::User(_)))
                .count();
            assert!(
                users == 0 || users == 3,
                "board {} is half shared ({users} grants) after kill {point}",
                board.id
            );
        }
    }
    assert!(
        acked.len() >= KILL_POINTS,
        "the writer acknowledged too little to test anything"
    );
    println!("{KILL_POINTS} kills, {} acknowledged commands", acked.len());
}
