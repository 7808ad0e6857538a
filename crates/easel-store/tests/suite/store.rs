//! How a test binary gives the suite its backend, and the one list of the suite's tests,
//! which each backend's binary instantiates (`storage_suite!`), so no test of the suite
//! runs on one backend only.

use easel_store::Backend;

/// Databases of one backend, made fresh for one test and found again by name.
pub trait Store {
    /// The backend.
    type Backend: Backend;
    /// Opens the database `name` (made on first use); each call opens the same one again.
    fn open(&self, name: &str) -> Self::Backend;
    /// Runs SQL on the database `name` while no backend holds it open.
    fn run_sql(&self, name: &str, sql: &str);
}

/// The storage suite as tests, for a backend: `storage_suite!(store())`, where `store()`
/// gives `Option<impl Store>` (`None`: the backend is not available here, and each test
/// says so and passes).
#[allow(
    unused_macros,
    reason = "binaries that test one backend's own use it; others not"
)]
macro_rules! storage_suite {
    ($store:expr) => {
        use $crate::suite::Store as _;

        /// The store for one test, or the test skips.
        fn suite_store() -> Option<impl $crate::suite::Store> {
            $store
        }

        #[test]
        fn acknowledged_commands_survive_reopening() {
            let Some(store) = suite_store() else { return };
            $crate::suite::acknowledged_commands_survive_reopening(|| store.open("reopen"));
        }

        #[test]
        fn a_group_commits_in_order_and_survives_reopening() {
            let Some(store) = suite_store() else { return };
            $crate::suite::a_group_commits_in_order_and_survives_reopening(|| {
                store.open("grouped")
            });
        }

        #[test]
        fn a_stale_writer_gets_a_conflict_and_nothing_is_written() {
            let Some(store) = suite_store() else { return };
            $crate::suite::a_stale_writer_gets_a_conflict_and_nothing_is_written(
                store.open("conflict"),
            );
        }

        #[test]
        fn audit_retention_removes_old_records_and_says_so() {
            let Some(store) = suite_store() else { return };
            $crate::suite::audit_retention_removes_old_records_and_says_so(store.open("retention"));
        }

        #[test]
        fn an_upgraded_database_gets_its_state_tables() {
            let Some(store) = suite_store() else { return };
            $crate::suite::an_upgraded_database_gets_its_state_tables(
                || store.open("upgrade"),
                || store.run_sql("upgrade", &$crate::suite::downgrade_to_version_1()),
            );
        }

        #[test]
        fn a_migration_that_adds_tables_rebuilds_them() {
            let Some(store) = suite_store() else { return };
            $crate::suite::a_migration_that_adds_tables_rebuilds_them(
                || store.open("profiles"),
                || store.run_sql("profiles", $crate::suite::DOWNGRADE_TO_VERSION_10),
            );
        }

        #[test]
        fn tables_left_behind_their_changelog_are_rebuilt_at_open() {
            let Some(store) = suite_store() else { return };
            $crate::suite::tables_left_behind_their_changelog_are_rebuilt_at_open(|| {
                store.open("behind")
            });
        }

        #[test]
        fn every_kind_of_event_reaches_the_tables() {
            let Some(store) = suite_store() else { return };
            $crate::suite::events::every_kind_of_event_reaches_the_tables(store.open("events"));
        }

        #[test]
        fn random_changes_reach_the_tables() {
            let Some(store) = suite_store() else { return };
            $crate::suite::random::random_changes_reach_the_tables(store.open("random"));
        }

        #[test]
        fn command_scenarios_survive_a_restart() {
            let Some(store) = suite_store() else { return };
            let (replayed, kinds) = $crate::suite::replay::command_scenarios(|name| {
                store.open(name.trim_end_matches(".toml"))
            });
            println!("{replayed} command scenario files replayed and restarted");
            println!("{} kinds of event: {kinds:?}", kinds.len());
        }
    };
}

pub(crate) use storage_suite;
