//! hello-wasm's rules, in plain Rust: what a name is ([`greeting`]), how characters are
//! counted ([`graphemes`]), what the form shows ([`form_state`]), the greetings catalogue and
//! language negotiation ([`catalogue`]), and the "Under the hood" report ([`under_the_hood`]).
//!
//! This crate depends on nothing but `std`, so no rule can reach for Leptos, `web-sys`,
//! `js-sys` or `wasm-bindgen`: the compiler enforces it, and every rule is tested on the host.

pub mod catalogue;
pub mod form_state;
pub mod graphemes;
pub mod greeting;
pub mod under_the_hood;
