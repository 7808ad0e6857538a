//! The benchmarks' datasets (`easel bench-data`): a deterministic workload in the import
//! format.
//! One enterprise organization; users in one to three teams; projects in teams; boards with
//! an owner from their team, 0–2 co-owners and 0–8 direct members, half of them in a
//! project, and team, company and public-link access drawn per board.

use std::io::Write;

/// The dataset sizes.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    boards: usize,
    users: usize,
    teams: usize,
    projects: usize,
}

impl Size {
    /// A size by name: `tiny` (for tests), `small`, `medium` or `large`.
    pub fn named(name: &str) -> Result<Size, String> {
        Ok(match name {
            "tiny" => Size {
                boards: 200,
                users: 50,
                teams: 4,
                projects: 20,
            },
            "small" => Size {
                boards: 20_000,
                users: 2_000,
                teams: 40,
                projects: 200,
            },
            "medium" => Size {
                boards: 200_000,
                users: 20_000,
                teams: 400,
                projects: 2_000,
            },
            "large" => Size {
                boards: 1_000_000,
                users: 100_000,
                teams: 2_000,
                projects: 10_000,
            },
            other => {
                return Err(format!(
                    "unknown size `{other}`: tiny, small, medium or large"
                ));
            }
        })
    }
}

/// A small deterministic generator (SplitMix64): the data must be the same for a seed on
/// every machine; nothing here is secret.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    fn below(&mut self, n: usize) -> usize {
        let n = u64::try_from(n).unwrap_or(u64::MAX).max(1);
        usize::try_from(self.next() % n).unwrap_or(0)
    }
}

const TEAM_ACCESS: [&str; 4] = ["private", "viewer", "commenter", "editor"];
const COMPANY_ACCESS: [&str; 3] = ["private", "viewer", "commenter"];
const MEMBER_ROLES: [&str; 3] = ["viewer", "commenter", "editor"];

/// Writes the dataset.
pub fn write(size: Size, seed: u64, out: &mut impl Write) -> std::io::Result<()> {
    let mut rng = Rng(seed);
    writeln!(
        out,
        r#"{{"type":"organization","id":"org","name":"Bench","plan":"enterprise"}}"#
    )?;
    for u in 0..size.users {
        writeln!(
            out,
            r#"{{"type":"user","id":"u{u}","email":"u{u}@bench.test"}}"#
        )?;
        writeln!(
            out,
            r#"{{"type":"org_member","org":"org","user":"u{u}","kind":"member"}}"#
        )?;
    }
    // Each user joins one to three teams; every team gets at least one member.
    let mut team_members: Vec<Vec<usize>> = vec![Vec::new(); size.teams];
    for (t, members) in team_members.iter_mut().enumerate() {
        members.push(t % size.users);
    }
    for u in size.teams..size.users {
        for _ in 0..=rng.below(3) {
            let t = rng.below(size.teams);
            if !team_members[t].contains(&u) {
                team_members[t].push(u);
            }
        }
    }
    for (t, members) in team_members.iter().enumerate() {
        writeln!(
            out,
            r#"{{"type":"team","id":"t{t}","org":"org","name":"Team {t}"}}"#
        )?;
        for (i, u) in members.iter().enumerate() {
            let role = if i == 0 { "admin" } else { "member" };
            writeln!(
                out,
                r#"{{"type":"team_member","team":"t{t}","user":"u{u}","role":"{role}"}}"#
            )?;
        }
    }
    let project_team: Vec<usize> = (0..size.projects).map(|p| p % size.teams).collect();
    for (p, t) in project_team.iter().enumerate() {
        writeln!(
            out,
            r#"{{"type":"project","id":"p{p}","team":"t{t}","name":"Project {p}"}}"#
        )?;
    }
    for b in 0..size.boards {
        let t = rng.below(size.teams);
        let members = &team_members[t];
        let owner = members[rng.below(members.len())];
        // Half the boards are in a project of their team.
        let project = if rng.below(2) == 0 {
            let per_team = size.projects / size.teams;
            (per_team > 0).then(|| t + size.teams * rng.below(per_team))
        } else {
            None
        };
        let project_field = project.map_or(String::new(), |p| format!(r#","project":"p{p}""#));
        writeln!(
            out,
            r#"{{"type":"board","id":"b{b}","team":"t{t}"{project_field},"owner":"u{owner}","teamAccess":"{}","organizationAccess":"{}","publicAccess":"{}"}}"#,
            TEAM_ACCESS[rng.below(4)],
            COMPANY_ACCESS[rng.below(3)],
            TEAM_ACCESS[rng.below(4)],
        )?;
        let mut taken = vec![owner];
        let coowners = rng.below(3);
        let direct = rng.below(9);
        for i in 0..coowners + direct {
            let u = rng.below(size.users);
            if taken.contains(&u) {
                continue;
            }
            taken.push(u);
            let role = if i < coowners {
                "coowner"
            } else {
                MEMBER_ROLES[rng.below(3)]
            };
            writeln!(
                out,
                r#"{{"type":"board_member","board":"b{b}","user":"u{u}","role":"{role}"}}"#
            )?;
        }
    }
    out.flush()?;
    Ok(())
}
