//! Self-tests of the PostgreSQL test support (`tests/support/postgres.rs`):
//! per-test databases on the run's server, and a server of a test's own
//! that survives a crash with its data. They need `scripts/with-postgres`
//! (and fail without it, as every PostgreSQL test does).

use crate::support::postgres::{fresh_database, query, server_url, OwnPostgres};

#[test]
fn fresh_databases_are_distinct_and_each_answers() {
    let first = fresh_database();
    let second = fresh_database();
    assert_ne!(first, second);
    assert_ne!(first, server_url());
    for url in [&first, &second] {
        assert_eq!(query(url, "select 1").as_deref(), Ok("1"), "{url}");
    }
    let name_of = |url: &str| query(url, "select current_database()").expect("a database name");
    assert_ne!(name_of(&first), name_of(&second));
    // What one test creates, another does not see.
    query(&first, "create table notes (body text)").expect("create table");
    query(&first, "insert into notes values ('only here')").expect("insert");
    let count = |url: &str| {
        query(
            url,
            "select count(*) from pg_tables where tablename = 'notes'",
        )
        .expect("a count")
    };
    assert_eq!(count(&first), "1");
    assert_eq!(count(&second), "0");
}

#[test]
fn an_unreachable_server_is_an_error_not_an_empty_answer() {
    let own = OwnPostgres::start();
    let url = own.url();
    drop(own);
    assert!(query(&url, "select 1").is_err(), "{url} still answers");
}

#[test]
fn own_postgres_stops_like_a_crash_and_comes_back_with_its_data() {
    let mut own = OwnPostgres::start();
    let url = own.url();
    assert_ne!(url, server_url(), "a server of its own");
    query(&url, "create table answers (id int primary key, text text)").expect("create");
    query(
        &url,
        "insert into answers values (1, 'kept across the crash')",
    )
    .expect("insert");

    own.stop();
    let refused = query(&url, "select 1");
    assert!(
        refused.is_err(),
        "connecting to a stopped server: {refused:?}"
    );

    own.start_again();
    assert_eq!(own.url(), url, "same port after the restart");
    assert_eq!(
        query(&url, "select text from answers where id = 1").as_deref(),
        Ok("kept across the crash")
    );
}
