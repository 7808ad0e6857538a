//! The Easel side: a generated dataset loaded into a `State`, and the questions both
//! engines are asked, drawn exactly as `crates/easel-store/benches/checks.rs` draws them.

use easel_core::action::Action;
use easel_core::ids::{BoardIx, UserIx};
use easel_core::{Request, State, Subject, Target};
use easel_store::bench_data::{Size, write};
use easel_store::jsonl::import;

/// The seed `checks.rs` uses for the dataset, so both benchmarks see the same boards.
const DATA_SEED: u64 = 42;

/// The seed of the question generator in `checks.rs`.
const QUESTION_SEED: u64 = 0x2545_F491_4F6C_DD1D;

/// Builds the named dataset (`tiny`, `small`, `medium`, `large`) the way `easel
/// bench-data` writes it and an import applies it.
pub fn load(size: &str) -> Result<State, String> {
    let size = Size::named(size)?;
    let mut data = Vec::new();
    write(size, DATA_SEED, &mut data).map_err(|e| format!("writing the dataset: {e}"))?;
    let events = import(&State::new(), data.as_slice())
        .map_err(|e| format!("importing the dataset: {e}"))?;
    drop(data);
    let mut state = State::new();
    for e in &events {
        state
            .apply(e)
            .map_err(|e| format!("applying the dataset: {e}"))?;
    }
    Ok(state)
}

/// The direct grants (co-owners included) over all boards.
pub fn grant_count(state: &State) -> usize {
    state.all_boards().map(|(_, b)| b.grants.len()).sum()
}

/// One board check.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    /// Who asks.
    pub user: UserIx,
    /// The board asked about.
    pub board: BoardIx,
    /// `board.edit_content` when true, `board.view` when false.
    pub edit: bool,
}

impl Question {
    /// The action's name, as both engines spell it.
    pub fn action_name(self) -> &'static str {
        if self.edit {
            "board.edit_content"
        } else {
            "board.view"
        }
    }
}

/// The xorshift generator of `checks.rs`: the same sequence gives the same questions.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// The first `count` questions of `checks.rs`: a random user `u<i>`, a random board
/// `b<j>`, view and edit in turn.
pub fn questions(state: &State, count: usize) -> Result<Vec<Question>, String> {
    let users = state.user_count();
    let boards = state.board_count();
    if users == 0 || boards == 0 {
        return Err("the dataset has no users or no boards".into());
    }
    let mut rng = Rng(QUESTION_SEED);
    (0..count)
        .map(|i| {
            let user_id = format!("u{}", rng.below(users));
            let user = state
                .find_user(&user_id)
                .ok_or_else(|| format!("no user `{user_id}` in the dataset"))?;
            let board_id = format!("b{}", rng.below(boards));
            let board = state
                .find_board(&board_id)
                .ok_or_else(|| format!("no board `{board_id}` in the dataset"))?;
            Ok(Question {
                user,
                board,
                edit: i % 2 == 1,
            })
        })
        .collect()
}

/// The Easel requests for the questions, built before anything is timed.
pub fn easel_requests(questions: &[Question]) -> Result<Vec<Request<'static>>, String> {
    let view = Action::parse("board.view").ok_or("Easel does not know `board.view`")?;
    let edit =
        Action::parse("board.edit_content").ok_or("Easel does not know `board.edit_content`")?;
    Ok(questions
        .iter()
        .map(|q| {
            let action = if q.edit { edit } else { view };
            Request::new(Subject::User(q.user), action, Target::Board(q.board))
        })
        .collect())
}
