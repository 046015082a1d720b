//! End-to-end tests of the Discord front end against the loopback server.
