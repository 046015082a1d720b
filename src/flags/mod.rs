//! Command-line flags, binary only. [`lowargs`] is what the user typed,
//! parsed by clap with no I/O; [`hiargs`] is the validated form built from it
//! (knowledge loaded, files read), which the commands run from.

pub mod hiargs;
pub mod lowargs;
