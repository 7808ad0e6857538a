//! The memory the in-memory state holds on a generated dataset, counted exactly: every heap
//! byte live after loading, all indexes included, through a counting allocator (this
//! program alone runs with one, so the timing benchmarks are not slowed). Run with
//! `EASEL_BENCH_SIZE=small|medium|large cargo bench -p easel-store --bench memory`.
#![expect(
    clippy::unwrap_used,
    reason = "a benchmark over generated data that cannot fail to load"
)]

use std::alloc::System;

use easel_core::State;
use easel_store::jsonl::import;
use easel_testkit::bench_data::{Size, write};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Bytes allocated and not freed since the region began (a reallocation's growth is
/// counted in `bytes_allocated`, its shrinking in `bytes_deallocated`).
fn live(region: &Region<'_, System>) -> i64 {
    let s = region.change();
    s.bytes_allocated as i64 - s.bytes_deallocated as i64
}

fn main() {
    let size_name = std::env::var("EASEL_BENCH_SIZE").unwrap_or_else(|_| "small".into());
    let mut data = Vec::new();
    write(Size::named(&size_name).unwrap(), 42, &mut data).unwrap();
    let events = import(&State::new(), data.as_slice()).unwrap();
    drop(data);

    let region = Region::new(GLOBAL);
    let mut state = State::new();
    for e in &events {
        state.apply(e).unwrap();
    }
    let held = live(&region);
    drop(events);

    let grants: usize = state.all_boards().map(|(_, b)| b.grants.len()).sum();
    let memberships: usize = state
        .all_users()
        .map(|(_, u)| u.orgs.len() + u.teams.len() + u.projects.len() + u.groups.len())
        .sum();
    println!(
        "dataset {size_name}: {} boards, {} users, {grants} direct grants, {memberships} memberships (organization, team, project, group)",
        state.board_count(),
        state.user_count()
    );
    println!(
        "heap held by the state: {:.1} MiB, {:.1} bytes per grant or membership, {:.0} bytes per board",
        held as f64 / 1048576.0,
        held as f64 / (grants + memberships) as f64,
        held as f64 / state.board_count() as f64
    );
}
