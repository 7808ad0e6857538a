//! A stream of writes for the crash test: creates boards and shares each with three people
//! (one command, three grants), printing `ack <revision> <board>` once each command is
//! durable. The crash test kills it at random points and checks what survived.
//!
//! Usage: `easel-crash-writer <database> <commands>`

use std::error::Error;
use std::io::Write;

use easel_core::catalog::Plan;
use easel_core::command::{Actor, Command, Outcome};
use easel_core::roles::{BoardRole, MemberKind};
use easel_core::time::Time;
use easel_store::{Durable, SqliteBackend};

const SHARED_WITH: [&str; 3] = ["ben", "cy", "dee"];

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(path), Some(count)) = (args.get(1), args.get(2)) else {
        return Err("usage: easel-crash-writer <database> <commands>".into());
    };
    let count: usize = count.parse()?;
    let (mut durable, _) = Durable::open(SqliteBackend::open(std::path::Path::new(path))?)?;
    let now = Time::from_millis(0);
    let run = |durable: &mut Durable<SqliteBackend>,
               actor: Actor,
               command: Command|
     -> Result<i64, Box<dyn Error>> {
        match durable.run(actor, &command, now)? {
            (Outcome::Accepted { .. }, Some(revision)) => Ok(revision),
            (outcome, _) => Err(format!("{command:?} was not accepted: {outcome:?}").into()),
        }
    };
    if durable.state().find_org("acme").is_none() {
        for user in ["ana"].iter().chain(SHARED_WITH.iter()) {
            let email = format!("{user}@acme.test");
            run(
                &mut durable,
                Actor::System,
                Command::CreateUser {
                    user: (*user).into(),
                    email,
                    name: String::new(),
                },
            )?;
        }
        run(
            &mut durable,
            Actor::user("ana"),
            Command::CreateOrg {
                org: "acme".into(),
                name: "Acme".into(),
                plan: Plan::Enterprise,
                owner: None,
            },
        )?;
        for user in SHARED_WITH {
            let add = Command::AddMember {
                org: "acme".into(),
                user: user.into(),
                email: format!("{user}@acme.test"),
                name: String::new(),
                kind: MemberKind::Member,
            };
            run(&mut durable, Actor::user("ana"), add)?;
        }
        run(
            &mut durable,
            Actor::user("ana"),
            Command::CreateTeam {
                org: "acme".into(),
                team: "t".into(),
                name: "T".into(),
            },
        )?;
    }
    let mut out = std::io::stdout().lock();
    let first = durable.state().board_count();
    for i in first..first + count {
        let board = format!("b{i}");
        let create = Command::CreateBoard {
            team: "t".into(),
            board: board.clone(),
            name: "Board".into(),
            project: None,
            setup: Default::default(),
        };
        let revision = run(&mut durable, Actor::user("ana"), create)?;
        writeln!(out, "ack {revision} created {board}")?;
        out.flush()?;
        let emails = SHARED_WITH
            .iter()
            .map(|u| format!("{u}@acme.test"))
            .collect();
        let share = Command::ShareBoard {
            board: board.clone(),
            emails,
            role: BoardRole::Editor,
        };
        let revision = run(&mut durable, Actor::user("ana"), share)?;
        writeln!(out, "ack {revision} shared {board}")?;
        out.flush()?;
    }
    Ok(())
}
