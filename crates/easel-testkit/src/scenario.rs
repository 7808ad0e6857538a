//! Scenario files: given a state, when this principal does this, then allowed with this
//! role or refused with this code. The files are the project's memory of the rules; this
//! module parses them and runs them against the engine. Other front ends (HTTP) run the
//! same parsed scenarios and must give the same answers.

use serde::Deserialize;

use crate::fixture::{Change, FixtureError, Given};
use easel_core::action::Action;
use easel_core::decide;
use easel_core::explain;
use easel_core::lookup::{boards_for, subjects_for};
use easel_core::request::Question;
use easel_core::state::State;
use easel_core::time::Time;

/// A parsed scenario file.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// What the file covers.
    pub description: String,
    /// The state.
    pub given: Given,
    /// Single questions.
    pub checks: Vec<Check>,
    /// Board lookups.
    pub lookup_boards: Vec<LookupBoards>,
    /// Subject lookups.
    pub lookup_subjects: Vec<LookupSubjects>,
    /// Command steps, run in order on one state.
    pub steps: Vec<Step>,
}

/// One question and its expected answer.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// What it shows (optional inside a step, which has its own name).
    #[serde(default)]
    pub name: String,
    /// Changes applied to a copy of the given state first.
    #[serde(default)]
    pub changes: Vec<Change>,
    /// The instant (default `day 100`).
    #[serde(default)]
    pub now: Option<String>,
    /// The user asking; absent for an anonymous visitor.
    #[serde(default)]
    pub user: Option<String>,
    /// A session presented.
    #[serde(default)]
    pub session: Option<String>,
    /// A token presented.
    #[serde(default)]
    pub token: Option<String>,
    /// The action.
    pub action: String,
    /// Target: a board.
    #[serde(default)]
    pub board: Option<String>,
    /// Target: a team.
    #[serde(default)]
    pub team: Option<String>,
    /// Target: a project.
    #[serde(default)]
    pub project: Option<String>,
    /// Target: an organization.
    #[serde(default)]
    pub org: Option<String>,
    /// A public-link token.
    #[serde(default)]
    pub link: Option<String>,
    /// A board password.
    #[serde(default)]
    pub password: Option<String>,
    /// An app id.
    #[serde(default)]
    pub app: Option<String>,
    /// Scopes in the context.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    /// The surface.
    #[serde(default)]
    pub surface: Option<String>,
    /// The role granted or requested.
    #[serde(default)]
    pub role: Option<String>,
    /// An invitee's email.
    #[serde(default)]
    pub invitee: Option<String>,
    /// A move's destination team.
    #[serde(default)]
    pub to_team: Option<String>,
    /// A transfer's new owner.
    #[serde(default)]
    pub new_owner: Option<String>,
    /// `allowed`, `refused`, or `error` (the question cannot be asked).
    pub expect: String,
    /// The expected effective role (`none` for no role).
    #[serde(default)]
    pub expect_role: Option<String>,
    /// The expected code.
    #[serde(default)]
    pub expect_code: Option<String>,
    /// The expected reasons, as `channel:via`.
    #[serde(default)]
    pub expect_reasons: Option<Vec<String>>,
}

/// A lookup of a user's boards and its expected answer.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookupBoards {
    /// What it shows.
    pub name: String,
    /// Changes applied first.
    #[serde(default)]
    pub changes: Vec<Change>,
    /// The instant (default `day 100`).
    #[serde(default)]
    pub now: Option<String>,
    /// The user.
    pub user: String,
    /// The action.
    pub action: String,
    /// Page size for the walk (default 2, so paging is exercised).
    #[serde(default)]
    pub page: Option<usize>,
    /// The boards, as `id:role`, in any order.
    pub expect: Vec<String>,
}

/// A lookup of a board's users and its expected answer.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LookupSubjects {
    /// What it shows.
    pub name: String,
    /// Changes applied first.
    #[serde(default)]
    pub changes: Vec<Change>,
    /// The instant (default `day 100`).
    #[serde(default)]
    pub now: Option<String>,
    /// The board.
    pub board: String,
    /// The action.
    pub action: String,
    /// The users, as `id:role:channel+channel`, in any order.
    pub expect: Vec<String>,
}

/// One step of a command scenario: a command with its expected outcome, or a check of
/// the state the steps so far have made.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// What it shows.
    pub name: String,
    /// The acting user; absent for Easel itself (time-driven commands).
    #[serde(default)]
    pub user: Option<String>,
    /// Instead of a user, a provisioning credential acting for no user, as `token:<id>`
    /// (an operator's or a SCIM client's token: `Actor::Provisioner`).
    #[serde(default)]
    pub actor: Option<String>,
    /// The instant (default `day 100`).
    #[serde(default)]
    pub now: Option<String>,
    /// The command.
    #[serde(default)]
    pub command: Option<easel_core::command::Command>,
    /// Or a check.
    #[serde(default)]
    pub check: Option<Check>,
    /// For a command: `accepted` or `refused`.
    #[serde(default)]
    pub expect: Option<String>,
    /// For a refused command: the code.
    #[serde(default)]
    pub expect_code: Option<String>,
    /// For an accepted command: the event types, in order.
    #[serde(default)]
    pub expect_events: Option<Vec<String>>,
    /// For an accepted command: the audit changes, as `field: before -> after` (`none`
    /// where absent), in any order.
    #[serde(default)]
    pub expect_audit: Option<Vec<String>>,
}

impl Step {
    /// Who runs the step's command: the `user`, the provisioning token of `actor =
    /// "token:<id>"`, or (neither) Easel itself.
    pub fn actor(&self) -> Result<easel_core::command::Actor<'_>, String> {
        use easel_core::command::Actor;
        match (&self.user, &self.actor) {
            (Some(u), None) => Ok(Actor::user(u)),
            (None, Some(a)) => a
                .strip_prefix("token:")
                .map(|token| Actor::Provisioner { token })
                .ok_or_else(|| format!("`actor` is `token:<id>`, not `{a}`")),
            (None, None) => Ok(Actor::System),
            (Some(_), Some(_)) => Err("a step names a `user` or an `actor`, not both".into()),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Cases {
    #[serde(default)]
    step: Vec<Step>,
    #[serde(default)]
    check: Vec<Check>,
    #[serde(default)]
    lookup_boards: Vec<LookupBoards>,
    #[serde(default)]
    lookup_subjects: Vec<LookupSubjects>,
}

/// The instant scenarios use when they name none.
pub const DEFAULT_NOW: &str = "day 100";

/// Parses a scenario file: `description`, the `given` tables at the top level, and the
/// `check`, `lookup_boards` and `lookup_subjects` cases.
pub fn parse(text: &str) -> Result<Scenario, FixtureError> {
    let mut table: toml::Table =
        toml::from_str(text).map_err(|e| FixtureError::Parse(e.to_string()))?;
    let description = match table.remove("description") {
        Some(toml::Value::String(s)) => s,
        _ => {
            return Err(FixtureError::Parse(
                "a scenario file needs a `description`".into(),
            ));
        }
    };
    let mut cases = toml::Table::new();
    for key in ["step", "check", "lookup_boards", "lookup_subjects"] {
        if let Some(v) = table.remove(key) {
            cases.insert(key.into(), v);
        }
    }
    let given: Given = toml::Value::Table(table)
        .try_into()
        .map_err(|e: toml::de::Error| FixtureError::Parse(e.to_string()))?;
    let cases: Cases = toml::Value::Table(cases)
        .try_into()
        .map_err(|e: toml::de::Error| FixtureError::Parse(e.to_string()))?;
    Ok(Scenario {
        description,
        given,
        checks: cases.check,
        lookup_boards: cases.lookup_boards,
        lookup_subjects: cases.lookup_subjects,
        steps: cases.step,
    })
}

impl Check {
    /// The question this check asks, with string ids.
    pub fn question(&self) -> Result<Question, String> {
        let targets = [
            ("board", &self.board),
            ("team", &self.team),
            ("project", &self.project),
            ("org", &self.org),
        ];
        let mut named = targets
            .iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| (k.to_string(), v.clone())));
        let target = named
            .next()
            .ok_or("a check needs one of board, team, project, org")?;
        if named.next().is_some() {
            return Err("a check names one target".into());
        }
        Ok(Question {
            user: self.user.clone(),
            session: self.session.clone(),
            token: self.token.clone(),
            action: self.action.clone(),
            target,
            link: self.link.clone(),
            password: self.password.clone(),
            app: self.app.clone(),
            scopes: self.scopes.clone(),
            surface: self.surface.clone(),
            role: self.role.clone(),
            invitee: self.invitee.clone(),
            to_team: self.to_team.clone(),
            new_owner: self.new_owner.clone(),
        })
    }
}

/// The outcome of one question in a comparable form: what any front end must reproduce.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// `allowed`, `refused` or `error`.
    pub outcome: String,
    /// The effective role, or `none`.
    pub role: String,
    /// The code, when refused or an error.
    pub code: Option<String>,
    /// The reasons as `channel:via`, when allowed.
    pub reasons: Vec<String>,
}

impl Answer {
    /// Whether this answer meets the check's expectations; the first mismatch if not.
    pub fn meets(&self, check: &Check) -> Result<(), String> {
        if self.outcome != check.expect {
            return Err(format!(
                "expected {}, got {} ({})",
                check.expect,
                self.outcome,
                self.code.as_deref().unwrap_or("-")
            ));
        }
        if let Some(role) = &check.expect_role
            && &self.role != role
        {
            return Err(format!("expected role {role}, got {}", self.role));
        }
        if let Some(code) = &check.expect_code
            && self.code.as_ref() != Some(code)
        {
            return Err(format!(
                "expected code {code}, got {}",
                self.code.as_deref().unwrap_or("-")
            ));
        }
        if let Some(reasons) = &check.expect_reasons {
            let (mut want, mut got) = (reasons.clone(), self.reasons.clone());
            want.sort();
            got.sort();
            if want != got {
                return Err(format!("expected reasons {want:?}, got {got:?}"));
            }
        }
        Ok(())
    }
}

fn now(text: &Option<String>) -> Result<Time, String> {
    let text = text.as_deref().unwrap_or(DEFAULT_NOW);
    Time::parse(text).ok_or_else(|| format!("bad time `{text}`"))
}

fn with_changes(base: &State, changes: &[Change]) -> Result<State, String> {
    let mut state = base.clone();
    for c in changes {
        c.apply(&mut state).map_err(|e| e.to_string())?;
    }
    Ok(state)
}

/// Asks the engine a check's question.
pub fn answer(base: &State, check: &Check) -> Result<Answer, String> {
    let state = if check.changes.is_empty() {
        base.clone()
    } else {
        with_changes(base, &check.changes)?
    };
    let question = check.question()?;
    let at = now(&check.now)?;
    let request = match question.resolve(&state) {
        Ok(r) => r,
        Err(e) => {
            return Ok(Answer {
                outcome: "error".into(),
                role: "none".into(),
                code: Some(e.code.as_str().into()),
                reasons: vec![],
            });
        }
    };
    let decision = decide(&state, &request, at);
    // `explain` runs the same evaluation; it must reach the same decision.
    let explained = explain(&state, &request, at);
    if explained.decision != decision {
        return Err(format!(
            "explain disagrees with decide: {:?} vs {:?}",
            explained.decision, decision
        ));
    }
    Ok(Answer {
        outcome: if decision.allowed {
            "allowed"
        } else {
            "refused"
        }
        .into(),
        role: decision.role.map_or("none", |r| r.as_str()).into(),
        code: decision.denial.map(|d| d.code.as_str().to_string()),
        reasons: decision
            .reasons
            .iter()
            .map(|r| format!("{}:{}", r.channel, r.via.id(&state)))
            .collect(),
    })
}

/// Walks a board lookup page by page and returns `id:role` entries.
pub fn walk_boards(base: &State, case: &LookupBoards) -> Result<Vec<String>, String> {
    let state = with_changes(base, &case.changes)?;
    let user = state
        .find_user(&case.user)
        .ok_or_else(|| format!("no user `{}`", case.user))?;
    let action =
        Action::parse(&case.action).ok_or_else(|| format!("no action `{}`", case.action))?;
    let at = now(&case.now)?;
    let mut cursor: Option<String> = None;
    let mut out = Vec::new();
    loop {
        let page = boards_for(
            &state,
            user,
            action,
            cursor.as_deref(),
            case.page.unwrap_or(2),
            at,
        )
        .map_err(|e| e.to_string())?;
        for item in &page.items {
            let id = state
                .board(item.board)
                .map(|b| b.id.to_string())
                .unwrap_or_default();
            out.push(format!("{id}:{}", item.role.map_or("none", |r| r.as_str())));
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// Walks a subject lookup page by page and returns `id:role:channel+channel` entries.
pub fn walk_subjects(base: &State, case: &LookupSubjects) -> Result<Vec<String>, String> {
    let state = with_changes(base, &case.changes)?;
    let board = state
        .find_board(&case.board)
        .ok_or_else(|| format!("no board `{}`", case.board))?;
    let action =
        Action::parse(&case.action).ok_or_else(|| format!("no action `{}`", case.action))?;
    let at = now(&case.now)?;
    let mut cursor: Option<String> = None;
    let mut out = Vec::new();
    loop {
        let page = subjects_for(&state, board, action, cursor.as_deref(), 2, at)
            .map_err(|e| e.to_string())?;
        for item in &page.items {
            let id = state
                .user(item.user)
                .map(|u| u.id.to_string())
                .unwrap_or_default();
            let mut channels: Vec<&str> =
                item.channels.iter().map(|r| r.channel.as_str()).collect();
            channels.sort_unstable();
            channels.dedup();
            out.push(format!(
                "{id}:{}:{}",
                item.role.map_or("none", |r| r.as_str()),
                channels.join("+")
            ));
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => return Ok(out),
        }
    }
}

/// Runs every case of a scenario against the engine; the failures, each with its case name.
pub fn run(scenario: &Scenario) -> Result<Vec<String>, FixtureError> {
    let state = scenario.given.build()?;
    let mut failures = Vec::new();
    for check in &scenario.checks {
        match answer(&state, check).and_then(|a| a.meets(check)) {
            Ok(()) => {}
            Err(e) => failures.push(format!("check `{}`: {e}", check.name)),
        }
    }
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };
    for case in &scenario.lookup_boards {
        match walk_boards(&state, case) {
            Ok(got) if sorted(got.clone()) == sorted(case.expect.clone()) => {}
            Ok(got) => failures.push(format!(
                "lookup `{}`: expected {:?}, got {got:?}",
                case.name, case.expect
            )),
            Err(e) => failures.push(format!("lookup `{}`: {e}", case.name)),
        }
    }
    for case in &scenario.lookup_subjects {
        match walk_subjects(&state, case) {
            Ok(got) if sorted(got.clone()) == sorted(case.expect.clone()) => {}
            Ok(got) => failures.push(format!(
                "lookup `{}`: expected {:?}, got {got:?}",
                case.name, case.expect
            )),
            Err(e) => failures.push(format!("lookup `{}`: {e}", case.name)),
        }
    }
    Ok(failures)
}

/// The number of cases in a scenario.
pub fn case_count(scenario: &Scenario) -> usize {
    scenario.checks.len()
        + scenario.lookup_boards.len()
        + scenario.lookup_subjects.len()
        + scenario.steps.len()
}

/// An audit change as scenario files write it: `field: before -> after`.
pub fn render_change(c: &easel_core::command::AuditChange) -> String {
    format!(
        "{}: {} -> {}",
        c.field,
        c.before.as_deref().unwrap_or("none"),
        c.after.as_deref().unwrap_or("none")
    )
}

/// Runs one command step on `state`, checking its expectations; accepted events are
/// appended to `log`.
fn run_step(
    state: &mut State,
    step: &Step,
    command: &easel_core::command::Command,
    log: &mut Vec<easel_core::event::Event>,
) -> Result<(), String> {
    use easel_core::command::{Actor, AuditOutcome, Outcome, run};
    let at = now(&step.now)?;
    let actor = step.actor()?;
    // Who the audit record must name: the user, or the provisioning token's id.
    let named = match actor {
        Actor::User { id, .. } => Some(id),
        Actor::Provisioner { token } => Some(token),
        Actor::System => None,
    };
    let before = state.clone();
    let outcome = run(state, actor, command, at, crate::ENTROPY);
    // Whatever was expected, what was applied is logged, so the replay check stays true
    // to the state.
    if let Outcome::Accepted { events, .. } = &outcome {
        log.extend(events.iter().cloned());
    }
    let expect = step.expect.as_deref().unwrap_or("accepted");
    match (&outcome, expect) {
        (Outcome::Accepted { events, audit }, "accepted") => {
            if audit.outcome != AuditOutcome::Allowed {
                return Err("an accepted command's audit record must say allowed".into());
            }
            if audit.action != command.name() || audit.actor.as_deref() != named || audit.at != at {
                return Err(format!(
                    "audit record names the wrong action, actor or time: {audit:?}"
                ));
            }
            if let Some(kinds) = &step.expect_events {
                let got: Vec<&str> = events.iter().map(easel_core::event::Event::kind).collect();
                if got != kinds.iter().map(String::as_str).collect::<Vec<_>>() {
                    return Err(format!("expected events {kinds:?}, got {got:?}"));
                }
            }
            if let Some(changes) = &step.expect_audit {
                let mut want = changes.clone();
                let mut got: Vec<String> = audit.changes.iter().map(render_change).collect();
                want.sort();
                got.sort();
                if want != got {
                    return Err(format!("expected audit changes {want:?}, got {got:?}"));
                }
            }
            Ok(())
        }
        (Outcome::Refused { refusal, audit }, "refused") => {
            if *state != before {
                return Err("a refused command changed the state".into());
            }
            if let Some(code) = &step.expect_code
                && refusal.code.as_str() != code
            {
                return Err(format!(
                    "expected code {code}, got {} ({})",
                    refusal.code, refusal.message
                ));
            }
            if let Some(audit) = audit
                && (audit.outcome != (AuditOutcome::Refused { code: refusal.code })
                    || !audit.changes.is_empty()
                    || audit.actor.as_deref() != named)
            {
                return Err(format!(
                    "a refused command's audit record must say refused with its code, and name its actor: {audit:?}"
                ));
            }
            Ok(())
        }
        (Outcome::Accepted { .. }, _) => Err(format!("expected {expect}, got accepted")),
        (Outcome::Refused { refusal, .. }, _) => Err(format!(
            "expected {expect}, got refused: {} ({})",
            refusal.code, refusal.message
        )),
    }
}

/// Runs the steps of a scenario in order on one state. At the end, replaying every event the
/// accepted commands produced onto the given state must rebuild the same state.
pub fn run_steps(scenario: &Scenario) -> Result<Vec<String>, FixtureError> {
    let given = scenario.given.build()?;
    let mut state = given.clone();
    let mut log = Vec::new();
    let mut failures = Vec::new();
    for step in &scenario.steps {
        let result = match (&step.command, &step.check) {
            (Some(command), None) => run_step(&mut state, step, command, &mut log),
            (None, Some(check)) => answer(&state, check).and_then(|a| a.meets(check)),
            _ => Err("a step has a command or a check".into()),
        };
        if let Err(e) = result {
            failures.push(format!("step `{}`: {e}", step.name));
        }
    }
    let mut replayed = given;
    for event in &log {
        if let Err(e) = replayed.apply(event) {
            failures.push(format!("replaying {event:?}: {e}"));
        }
    }
    if replayed != state {
        failures.push("replaying the events does not rebuild the state".into());
    }
    Ok(failures)
}

/// Every scenario file (`*.toml`) in a folder, by name, in name order, parsed.
pub fn load_dir(dir: &std::path::Path) -> Result<Vec<(String, Scenario)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("reading {}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = std::fs::read_to_string(&path).map_err(|e| format!("{name}: {e}"))?;
            let scenario = parse(&text).map_err(|e| format!("{name}: {e}"))?;
            Ok((name, scenario))
        })
        .collect()
}
